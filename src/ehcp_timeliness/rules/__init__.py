"""Statutory deadlines and statuses as pure Polars expressions (rules.md §1–2).

No I/O and no clock: the as-of date and the conventions are always passed in.
"""

from ehcp_timeliness.rules.deadlines import with_deadlines
from ehcp_timeliness.rules.status import with_status

__all__ = ["with_deadlines", "with_status"]
