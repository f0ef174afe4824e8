"""Reports for executives: KPI arithmetic, aggregates, charts and exports."""
