"""Pure computations over the ``Observatory``: pandas in, pandas out, no Dash."""
