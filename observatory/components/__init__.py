"""Reusable Dash components shared by pages (no callbacks with side effects on other pages)."""
