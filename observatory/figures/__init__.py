"""Pure figure builders: data + view state in, plotly ``go.Figure`` out, no Dash."""
