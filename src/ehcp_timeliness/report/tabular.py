"""The summary as CSV or JSON (bytes, deterministic: same input, same bytes)."""

from __future__ import annotations

from ehcp_timeliness.columns import REQUEST_BASED_KPIS
from ehcp_timeliness.io.writers import json_bytes, table_bytes
from ehcp_timeliness.report.views import NOT_IN_EXPORT, SummaryView


def summary_bytes(view: SummaryView, file_format: str) -> bytes:
    if file_format == "csv":
        return table_bytes(view.timeliness, "csv")
    return json_bytes(summary_dict(view))


def summary_dict(view: SummaryView) -> dict[str, object]:
    """The summary as JSON. A plan register (no request dates) has the same keys, with the
    figures counted from request dates null and named under `not_in_this_export`, so a script
    can tell "none" from "not known"."""
    register = not view.request_dates
    head: dict[str, object] = {
        "source": view.source,
        "as_of": view.as_of.isoformat(),
        "period": view.period,
        "by": list(view.by),
        "rows": view.accounting.to_dict(),
        "conventions": dict(view.conventions),
    }
    if register:
        request_based = ["timeliness", "open_requests", "plan_status_counts",
                         *(f"kpis.{k}" for k in sorted(REQUEST_BASED_KPIS))]
        head["not_in_this_export"] = {
            "reason": f"no request received date column: {NOT_IN_EXPORT}",
            "figures": request_based}
    return {
        **head,
        "timeliness": None if register else view.timeliness.to_dicts(),
        "open_requests": None if register else view.open_requests.to_dicts(),
        "reviews": view.reviews.to_dicts(),
        "plan_status_counts": None if register else view.plan_statuses,
        "kpis": {k.kpi: None if register and k.kpi in REQUEST_BASED_KPIS else k.to_dict()
                 for k in view.kpis},
        **({"year_end": view.year_end.to_dict()} if view.year_end is not None else {}),
        **review_process_dict(view),
        # Only when DfE's method and the case analysis part (views.analysis_notes).
        **({"dfe_method_notes": list(view.notes)} if view.notes else {}),
    }


def review_process_dict(view: SummaryView) -> dict[str, object]:
    """The review-process section, only when the export has its inputs (no key otherwise)."""
    part = view.review_process
    if part is None:
        return {}
    section: dict[str, object] = {"conventions": dict(part.conventions)}
    if part.decisions is not None and part.awaiting is not None:
        section["review_decisions"] = part.decisions.to_dicts()
        section["reviews_awaiting_decision"] = part.awaiting.to_dicts()[0]
    if part.transfers is not None:
        section["phase_transfer_readiness"] = [
            {**row, "deadline": row["deadline"].isoformat()}
            for row in part.transfers.to_dicts()]
    return {"review_process": section}

