"""Group-bys over analysed cases: DfE-style rates by period, and the as-of snapshot of open work."""
