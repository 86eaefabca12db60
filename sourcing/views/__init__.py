"""Selection views, one module per area: selections, scoring, diligence, award."""
