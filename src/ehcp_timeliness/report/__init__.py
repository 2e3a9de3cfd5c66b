"""View-models of results and their renderers (Rich, CSV, JSON). Only cli/ prints."""
