"""Figures: pure builders, data and view state in, plotly ``go.Figure`` out, no Dash.

``choropleth`` (every map: one builder, a ``Colouring`` value object saying how regions are
coloured), ``map_figure`` (the map explorer's figure and its patch updates), ``benchmark`` (the
benchmark's charts) and ``profile`` (sparklines, co-membership). Reused by pages, exports and embeds.
"""
