"""Header mapping, value normalisation (dates, codes, booleans) and row-level checks."""
