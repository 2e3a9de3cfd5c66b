"""docs/worked-examples.md E60–E64, E80 and E81: a worked month of `trend`, checked figure by
figure."""

from __future__ import annotations

from datetime import date

from ehcp_timeliness.config import RulesConfig
from ehcp_timeliness.summaries.clearance import Verdict, backlog_clearance
from ehcp_timeliness.summaries.trend import LEFT_BY_CLOSURE, LEFT_BY_ISSUE, trend_table
from trend_cases import analysed
from trend_oracle import TrendCase


def _rows(batch: list[TrendCase], as_of: date) -> dict[str, dict[str, object]]:
    rules = RulesConfig()
    table = trend_table(analysed(batch, as_of, rules), as_of, rules, []).table
    return {row["month"]: row for row in table.to_dicts()}


def test_E60_open_at_month_end_is_last_month_plus_received_less_issued_and_closed() -> None:
    rows = _rows([
        TrendCase(received=date(2025, 1, 6), issued=date(2025, 2, 20)),
        TrendCase(received=date(2025, 1, 20), request_outcome="N",
                  request_outcome_date=date(2025, 2, 3)),
        TrendCase(received=date(2025, 2, 10)),
    ], date(2025, 3, 14))
    jan, feb, mar = rows["2025-01"], rows["2025-02"], rows["2025-03"]
    assert (jan["requests_received"], jan["open_at_month_end"]) == (2, 2)
    assert (feb["requests_received"], feb[LEFT_BY_ISSUE], feb[LEFT_BY_CLOSURE]) == (1, 1, 1)
    assert feb["open_at_month_end"] == 2 + 1 - 1 - 1 == 1
    assert (feb["plans_issued"], feb["plans_issued_within_20_weeks"]) == (1, 1)
    assert mar["open_at_month_end"] == 1  # the as-of month: its snapshot is 14 March


def test_E61_due_on_the_last_day_is_not_overdue_until_the_next_month_end() -> None:
    # Received Fri 2024-09-13: 20-week date Fri 2025-01-31 (R + 140).
    rows = _rows([TrendCase(received=date(2024, 9, 13))], date(2025, 2, 28))
    assert rows["2025-01"]["open_overdue_at_month_end"] == 0
    feb = rows["2025-02"]
    assert feb["open_overdue_at_month_end"] == 1
    # 2024-09-13 to 2025-02-28 is 168 days: 24.0 weeks open.
    assert feb["mean_weeks_open_overdue_at_month_end"] == 24.0
    assert feb["open_over_52_weeks_at_month_end"] == 0
    assert rows["2025-01"]["plans_due"] == 1
    assert rows["2025-01"]["plans_due_issued_on_time"] == 0


def test_E62_due_month_cohort_and_dfe_issue_month_count_different_plans() -> None:
    rows = _rows([
        # Due Mon 2025-03-03 (R + 140), issued early on 2025-02-24: DfE counts it in
        # February (month of issue), the cohort in March (month due), on time.
        TrendCase(received=date(2024, 10, 14), issued=date(2025, 2, 24)),
        # Due 2025-01-20, still open when March began, issued 2025-03-10: from the backlog.
        TrendCase(received=date(2024, 9, 2), issued=date(2025, 3, 10)),
        # Due 2025-03-24, issued on it: a current plan, within 20 weeks.
        TrendCase(received=date(2024, 11, 4), issued=date(2025, 3, 24)),
    ], date(2025, 3, 31))
    feb, mar = rows["2025-02"], rows["2025-03"]
    assert (feb["plans_issued"], feb["plans_due"]) == (1, 0)
    assert (mar["plans_due"], mar["plans_due_issued_on_time"]) == (2, 2)
    assert (mar["plans_issued"], mar["plans_issued_within_20_weeks"]) == (2, 1)
    assert mar["pct_within_20_weeks"] == 50.0
    assert (mar["plans_issued_from_backlog"], mar["plans_issued_current"]) == (1, 1)
    assert mar["pct_current_within_20_weeks"] == 100.0
    assert rows["2025-01"]["plans_due"] == 1  # the backlog plan's own cohort: late


def test_E63_backlog_clearance_at_the_slower_of_the_last_3_and_6_months_falls() -> None:
    clearance = backlog_clearance([80, 70, 60, 50, 40, 45, 40], date(2025, 6, 30))
    # 3 months: (40 − 50) / 3 = −3.3 a month; 6 months: (40 − 80) / 6 = −6.7 a month. At
    # the slower fall, 40 × 3 / 10 = 12 months: June 2026.
    assert [w.net_change(40) for w in clearance.windows] == [-3.3, -6.7]
    assert (clearance.verdict, clearance.clears_in_month) == (Verdict.CLEARS, "2026-06")
    assert clearance.sentence() == (
        "Overdue backlog on 2025-06-30: 40, down 3.3 a month over the last 3 months and down "
        "6.7 a month over the last 6 months; at the slower fall of 3.3 a month, cleared by "
        "2026-06.")


def test_E81_a_large_slowly_falling_backlog_is_not_clearing_at_the_current_rate() -> None:
    as_of = date(2025, 6, 30)
    # 12,000 overdue, down 20 a month: 600 months (the year 2075) at that pace, past 5 years.
    slow = backlog_clearance([12120 - 20 * i for i in range(7)], as_of)
    assert (slow.verdict, slow.clears_in_month) == (Verdict.NOT_CLEARING, None)
    assert slow.sentence() == (
        "Overdue backlog on 2025-06-30: 12,000, down 20.0 a month over the last 3 months and "
        "down 20.0 a month over the last 6 months; not clearing at the current rate.")
    # Falling over 3 months, up over 6: one verdict, at the slower (a rise): not clearing.
    mixed = backlog_clearance([30, 60, 60, 60, 55, 50, 45], as_of)
    assert [w.net_change(45) for w in mixed.windows] == [-5.0, 2.5]
    assert mixed.sentence().endswith("; not clearing at the current rate.")


def test_E64_a_closure_without_a_date_counts_as_open_until_the_last_known_date() -> None:
    rules = RulesConfig()
    as_of = date(2024, 5, 31)
    case = TrendCase(received=date(2024, 1, 10), request_outcome="Y",
                     request_outcome_date=date(2024, 3, 5), assessment_outcome="N")
    trend = trend_table(analysed([case], as_of, rules), as_of, rules, [])
    assert trend.undated_closures == 1
    assert trend.public()["open_at_month_end"].to_list() == [1, 1, 0, 0, 0]


def test_E80_the_due_month_cohort_counts_plans_in_dfes_scope_and_open_requests() -> None:
    rows = _rows([
        # Due Mon 2025-02-03, issued 2025-01-30 (day 136): on time; DfE counts it in January.
        TrendCase(received=date(2024, 9, 16), issued=date(2025, 1, 30)),
        # Due 2025-02-10, mediation: out of DfE's scope, so out of the cohort too.
        TrendCase(received=date(2024, 9, 23), issued=date(2025, 2, 20), mediation=True),
        # Due 2025-02-17, decision not to issue on 2025-03-05: ended without a plan, no plan.
        TrendCase(received=date(2024, 9, 30), request_outcome="Y",
                  request_outcome_date=date(2024, 11, 4), assessment_outcome="N",
                  assessment_outcome_date=date(2025, 3, 5)),
        # Due 2025-02-24, still open on the as-of date: in the cohort, late.
        TrendCase(received=date(2024, 10, 7)),
        # Due Wed 2025-02-05, issued 2025-03-12 (day 175): late; DfE counts it in March.
        TrendCase(received=date(2024, 9, 18), issued=date(2025, 3, 12)),
    ], date(2025, 3, 31))
    jan, feb, mar = rows["2025-01"], rows["2025-02"], rows["2025-03"]
    assert (feb["plans_due"], feb["plans_due_issued_on_time"]) == (3, 1)
    assert feb["pct_due_issued_on_time"] == 33.3
    # DfE's month of issue: January 1 of 1 within, February none, March 0 of 1.
    assert (jan["plans_issued"], jan["pct_within_20_weeks"]) == (1, 100.0)
    assert (feb["plans_issued"], feb["pct_within_20_weeks"]) == (0, None)
    assert (mar["plans_issued"], mar["pct_within_20_weeks"]) == (1, 0.0)
