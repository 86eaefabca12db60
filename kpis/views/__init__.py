"""The KPI pages, one module per area: library, SLAs, values (entry and import), scorecards, API token."""
