"""Ingest: one module per kind of upstream file, each turning it into a clean pandas table.

Ingest functions are pure apart from reading their input file; they raise
:class:`observatory.ingest.errors.InputError` naming file, row and column on malformed input.
"""
