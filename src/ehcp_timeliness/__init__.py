"""ehcp-timeliness: statutory EHC plan and annual-review deadlines from an authority's case export.

Library front door: :func:`ehcp_timeliness.pipeline.analyse`. The command line lives in
:mod:`ehcp_timeliness.cli` and is a thin layer over it.
"""

__version__ = "0.1.0"
