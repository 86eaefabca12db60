"""Cost and value views, one module per area."""
