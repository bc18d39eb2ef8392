"""The web layer: the Flask/Dash server, HTTP concerns (headers, caching, errors) and page shell."""
