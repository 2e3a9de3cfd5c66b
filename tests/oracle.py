"""A plain-Python oracle of rules.md §1–2, written independently of the Polars rules.

Deliberately naive (one row at a time, dateutil for months) so that a Polars expression and this
code agreeing on random dates means something.
"""

from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta


@dataclass
class Case:
    received: date
    issued: date | None = None
    request_outcome: str | None = None
    request_outcome_date: date | None = None
    assessment_outcome: str | None = None
    assessment_outcome_date: date | None = None
    plan_start: date | None = None
    last_review: date | None = None
    review_decision: date | None = None
    cease: date | None = None
    transfer_in: date | None = None


def plan_due(received: date, anchor_is_day_one: bool = False) -> date:
    return received + timedelta(days=139 if anchor_is_day_one else 140)


def decision_due(received: date, anchor_is_day_one: bool = False) -> date:
    return received + timedelta(days=41 if anchor_is_day_one else 42)


def no_plan_decision_due(received: date, anchor_is_day_one: bool = False) -> date:
    return received + timedelta(days=111 if anchor_is_day_one else 112)


def twelve_months(clock: date, convention: str = "s44") -> date:
    target_year = clock.year + 1
    last_day = calendar.monthrange(target_year, clock.month)[1]
    if convention == "anniversary":
        return date(target_year, clock.month, min(clock.day, last_day))
    if clock.day > last_day:  # no corresponding day: the period ends at the month's end
        return date(target_year, clock.month, last_day)
    return date(target_year, clock.month, clock.day) - timedelta(days=1)


def months_beginning_with(day: date, months: int, convention: str = "s44") -> date:
    """reg 15(5)(b)'s "3 months beginning with" read like twelve_months: the day before the
    corresponding date, or the month's last day when there is none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if convention == "anniversary":
        return date(year, month, min(day.day, last_day))
    if day.day > last_day:
        return date(year, month, last_day)
    return date(year, month, day.day) - timedelta(days=1)


def _known(day: date | None, as_of: date) -> date | None:
    return day if day is not None and day <= as_of else None


def dfe_decisions(cases: list[Case], as_of: date) -> dict[tuple[str, int], tuple[int, int]]:
    """DfE's three decision measures, (measure, year of the decision) -> (within, over): the
    decision whether to assess within 42 days, not to issue within 112, the review decision
    within 28 days of its meeting. DfE's day counts, whatever the local day-one convention;
    every case here is in DfE's scope unless its assessment outcome is H or S."""
    counts: dict[tuple[str, int], list[int]] = {}

    def count(measure: str, day: date, within: bool) -> None:
        pair = counts.setdefault((measure, day.year), [0, 0])
        pair[0 if within else 1] += 1

    for c in cases:
        in_scope = c.assessment_outcome not in ("H", "S")
        decided = _known(c.request_outcome_date, as_of)
        if in_scope and c.request_outcome in ("Y", "N") and decided is not None:
            count("requests", decided, (decided - c.received).days <= 42)
        decided = _known(c.assessment_outcome_date, as_of)
        if in_scope and c.assessment_outcome == "N" and decided is not None:
            count("assessments", decided, (decided - c.received).days <= 112)
        meeting, decided = _known(c.last_review, as_of), _known(c.review_decision, as_of)
        if meeting is not None and decided is not None and decided >= meeting:
            count("reviews", decided, (decided - meeting).days <= 28)
    return {key: (pair[0], pair[1]) for key, pair in counts.items()}


def issue_date(case: Case, as_of: date) -> date | None:
    issued = case.issued
    if case.assessment_outcome in ("H", "S") and issued is None:
        issued = case.plan_start
    return _known(issued, as_of)


def plan_status(case: Case, as_of: date, due_soon_days: int = 28,
                anchor_is_day_one: bool = False) -> str:
    due = plan_due(case.received, anchor_is_day_one)
    issued = issue_date(case, as_of)
    if issued is not None:
        return "issued_on_time" if issued <= due else "issued_late"
    for outcome, when in ((case.request_outcome, case.request_outcome_date),
                          (case.assessment_outcome, case.assessment_outcome_date)):
        if outcome in ("N", "W") and (when is None or when <= as_of):
            return "closed_no_plan"
    if as_of > due:
        return "overdue"
    if (due - as_of).days <= due_soon_days:
        return "due_soon"
    return "in_progress"


def weeks_to_issue(case: Case, as_of: date) -> float | None:
    issued = issue_date(case, as_of)
    return None if issued is None else round((issued - case.received).days / 7, 2)


def days_overdue(case: Case, as_of: date, due_soon_days: int = 28,
                 anchor_is_day_one: bool = False) -> int | None:
    status = plan_status(case, as_of, due_soon_days, anchor_is_day_one)
    due = plan_due(case.received, anchor_is_day_one)
    if status == "overdue":
        return (as_of - due).days
    if status == "issued_late":
        issued = issue_date(case, as_of)
        assert issued is not None
        return (issued - due).days
    return None


def review_not_known(case: Case, as_of: date, convention: str = "s44",
                     clock: str = "meeting", column: bool = True) -> bool:
    """A review had fallen due by A, and either the one recorded review is after A (an
    earlier review may have been overwritten) or the export has no column for it (COLUMN
    False: no review can be dated at all), so the status on A is not known."""
    recorded = case.last_review if clock == "meeting" else case.review_decision
    made = [d for d in (issue_date(case, as_of), _known(case.plan_start, as_of)) if d]
    undated = not column or (recorded is not None and recorded > as_of)
    return undated and bool(made) and twelve_months(min(made), convention) < as_of


def review_due(case: Case, as_of: date, convention: str = "s44",
               clock: str = "meeting", column: bool = True) -> date | None:
    made = issue_date(case, as_of) or _known(case.plan_start, as_of)
    if made is None or review_not_known(case, as_of, convention, clock, column):
        return None
    if case.transfer_in is not None and case.transfer_in > as_of:
        return None  # reg 15: still the old authority's plan on that day
    last = _known(case.last_review if clock == "meeting" else case.review_decision, as_of)
    last = last if column else None
    start = max(made, last) if last is not None else made
    due = twelve_months(start, convention)
    transfer = _known(case.transfer_in, as_of)
    if transfer is None:
        return due
    # reg 15(5): the first review after a transfer in is due by the later of the two dates.
    # A review on or after the transfer restarts the clock (s44), and then the 12 months win.
    if last is not None and last >= transfer:
        return due
    return max(due, months_beginning_with(transfer, 3, convention))


def review_status(case: Case, as_of: date, due_soon_days: int = 28, convention: str = "s44",
                  clock: str = "meeting", column: bool = True) -> str:
    """COLUMN False: the export has no column for the review the clock reads."""
    made = issue_date(case, as_of) or _known(case.plan_start, as_of)
    here = case.transfer_in is None or case.transfer_in <= as_of
    if made is None or not here or (case.cease is not None and case.cease <= as_of):
        return "not_applicable"
    if review_not_known(case, as_of, convention, clock, column):
        return "not_known"
    due = review_due(case, as_of, convention, clock, column)
    if due is None:
        return "not_applicable"
    if as_of > due:
        return "overdue"
    if (due - as_of).days <= due_soon_days:
        return "due_soon"
    return "not_due"


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


# --- The review process (rules.md §2, §4; docs/rules.md §7 readings), one case at a time. ---

@dataclass
class ReviewCase(Case):
    amendment_notice: date | None = None
    amended_plan: date | None = None
    transfer_year: str | None = None
    transfer_kind: str | None = None
    dob: date | None = None


POST_16_WORDS = {"post16", "p16", "post16transfer", "secondarytopost16", "schooltopost16",
                 "year11", "y11", "yr11", "college", "fe", "furthereducation", "sixthform"}
SCHOOL_WORDS = {"schoolphase", "school", "phase", "phasetransfer", "earlyyearstoschool",
                "nurserytoschool", "nurserytoprimary", "eytoschool", "infanttojunior",
                "primarytosecondary", "middletosecondary", "juniortosecondary", "primary",
                "secondary", "reception", "year2", "year6", "y2", "y6", "yr2", "yr6"}


def _plan_made(case: Case, as_of: date) -> date | None:
    if case.transfer_in is not None and case.transfer_in > as_of:
        return None  # reg 15: still the old authority's plan on that day
    return issue_date(case, as_of) or _known(case.plan_start, as_of)


def _ceased(case: Case, as_of: date) -> bool:
    return case.cease is not None and case.cease <= as_of


def _after_meeting(day: date | None, case: Case, as_of: date) -> date | None:
    known, meeting = _known(day, as_of), _known(case.last_review, as_of)
    if known is None or (meeting is not None and known < meeting):
        return None
    return known


def step_status(done: date | None, due: date, as_of: date, due_soon_days: int) -> str:
    if done is not None:
        return "on_time" if done <= due else "late"
    if as_of > due:
        return "overdue"
    return "due_soon" if (due - as_of).days <= due_soon_days else "pending"


def review_decision_due(case: Case, as_of: date) -> date | None:
    meeting = _known(case.last_review, as_of)
    return None if meeting is None else meeting + timedelta(days=28)


def review_decision_status(case: Case, as_of: date, due_soon_days: int = 28) -> str:
    due = review_decision_due(case, as_of)
    decided = _after_meeting(case.review_decision, case, as_of)
    if _plan_made(case, as_of) is None or due is None or (decided is None
                                                          and _ceased(case, as_of)):
        return "not_applicable"
    return step_status(decided, due, as_of, due_soon_days)


def amendment_notice(case: ReviewCase, as_of: date) -> date | None:
    return _after_meeting(case.amendment_notice, case, as_of)


def amendment_notice_due(case: ReviewCase, as_of: date) -> date | None:
    meeting = _known(case.last_review, as_of)
    return None if meeting is None else meeting + timedelta(days=28)


def amendment_notice_status(case: ReviewCase, as_of: date, due_soon_days: int = 28) -> str:
    due, notice = amendment_notice_due(case, as_of), amendment_notice(case, as_of)
    if _plan_made(case, as_of) is None or due is None or notice is None:
        return "not_applicable"
    return step_status(notice, due, as_of, due_soon_days)


def amended(case: ReviewCase, as_of: date) -> date | None:
    start = amendment_notice(case, as_of) or _known(case.last_review, as_of)
    plan = _known(case.amended_plan, as_of)
    return plan if plan is not None and start is not None and plan >= start else None


def amended_plan_due(case: ReviewCase, as_of: date) -> date | None:
    notice, meeting = amendment_notice(case, as_of), _known(case.last_review, as_of)
    limits = []
    if meeting is not None:  # Devon: 12 weeks of the meeting at the latest
        limits.append(meeting + timedelta(days=84))
    if notice is not None:  # reg 22(3): 8 weeks of the notice
        limits.append(notice + timedelta(days=56))
    return min(limits) if limits else None


def amended_plan_status(case: ReviewCase, as_of: date, due_soon_days: int = 28) -> str:
    due, done = amended_plan_due(case, as_of), amended(case, as_of)
    if (_plan_made(case, as_of) is None or due is None
            or (done is None and (amendment_notice(case, as_of) is None
                                  or _ceased(case, as_of)))):
        return "not_applicable"
    return step_status(done, due, as_of, due_soon_days)


def transfer_year(case: ReviewCase) -> int | None:
    import re

    found = re.search(r"(?:^|\D)(\d{4})(?:\D|$)", case.transfer_year or "")
    year = int(found.group(1)) if found else None
    return year if year is not None and 1950 <= year <= 2100 else None


def transfer_kind(case: ReviewCase) -> str:
    import re

    key = re.sub(r"[^a-z0-9]", "", (case.transfer_kind or "").lower())
    year = transfer_year(case)
    if key in POST_16_WORDS:
        return "post_16"
    if key in SCHOOL_WORDS:
        return "school_phase"
    if case.dob is not None and year is not None and case.dob <= date(year - 16, 8, 31):
        return "post_16"
    return "school_phase"


def transfer_due(case: ReviewCase, reading: str = "strict") -> date | None:
    year = transfer_year(case)
    if year is None:
        return None
    named = date(year, 3, 31) if transfer_kind(case) == "post_16" else date(year, 2, 15)
    return named - timedelta(days=1) if reading == "strict" else named


def _transfer_reviewed(case: ReviewCase, as_of: date, due: date, window: int = 12) -> bool:
    meeting = _known(case.last_review, as_of)
    transfer = date(due.year, 9, 1)
    return meeting is not None and add_months(transfer, -window) <= meeting < transfer


def phase_transfer_status(case: ReviewCase, as_of: date, due_soon_days: int = 28,
                          reading: str = "strict", window: int = 12) -> str:
    due = transfer_due(case, reading)
    made = _plan_made(case, as_of)
    meeting = _known(case.last_review, as_of)
    if (due is None or made is None or _ceased(case, as_of) or made > due
            or (meeting is not None and meeting >= date(due.year, 9, 1))):
        return "not_applicable"
    done = None
    if _transfer_reviewed(case, as_of, due, window):
        done = amended(case, as_of)
        if done is None and amendment_notice(case, as_of) is None:
            done = _after_meeting(case.review_decision, case, as_of)
    return step_status(done, due, as_of, due_soon_days)


def transfer_at_risk(case: ReviewCase, as_of: date, due_soon_days: int = 28,
                     reading: str = "strict", window: int = 12) -> bool:
    status = phase_transfer_status(case, as_of, due_soon_days, reading, window)
    if status not in ("overdue", "due_soon", "pending"):
        return False
    due = transfer_due(case, reading)
    assert due is not None
    if status == "overdue":
        return True
    finish = (amended_plan_due(case, as_of) if _transfer_reviewed(case, as_of, due, window)
              else as_of + timedelta(days=84))
    assert finish is not None
    return finish > due


def _fifth_birthday(dob: date) -> date:
    try:
        return dob.replace(year=dob.year + 5)
    except ValueError:  # born 29 February: 1 March in a common year
        return date(dob.year + 5, 3, 1)


def under_5_guide_date(case: ReviewCase, as_of: date, months: int = 6,
                       clock: str = "meeting") -> date | None:
    made = _plan_made(case, as_of)
    dob = case.dob
    if (made is None or dob is None or _ceased(case, as_of) or dob > as_of
            or _fifth_birthday(dob) <= as_of):
        return None
    last = _known(case.last_review if clock == "meeting" else case.review_decision, as_of)
    start = max(made, last) if last is not None else made
    return add_months(start, months)


def under_5_guide(case: ReviewCase, as_of: date, months: int = 6, clock: str = "meeting") -> str:
    guide = under_5_guide_date(case, as_of, months, clock)
    if guide is None:
        return "not_applicable"
    return "consider_review" if guide <= as_of else "not_yet"


def last_working_day(due: date | None, bank_holidays: frozenset[date]) -> date | None:
    if due is None:
        return None
    while due.weekday() >= 5 or due in bank_holidays:
        due -= timedelta(days=1)
    return due


def dfe_bucket(received: date | None, issued: date,
               over_a_year: str = "52_weeks") -> str | None:
    """DfE's 20-week buckets (rules.md §3), read from its data guidance: "within 20 weeks",
    "between 20 and 52 weeks", "after 52 weeks" (or, "anniversary", after the request's
    anniversary); None when the request date is missing or after the issue (counted in DfE's
    denominator only). No local convention enters."""
    if received is None or received > issued:
        return None
    if issued <= received + timedelta(weeks=20):
        return "within_20_weeks"
    year = (received + relativedelta(years=1) if over_a_year == "anniversary"
            else received + timedelta(weeks=52))
    if issued <= year:
        return "gt20weeks_ltYear"
    return "gt_1_year"


# Booleans (data contract "Booleans"; issue 12 point 7), word by word in plain Python.
BOOLEAN_FALSE = ("0", "0.0", "n", "no", "false", "f", "none", "n/a", "na", "nil", "null",
                 "#n/a", "-", "--", "no exception", "no exceptions", "not applicable")
BOOLEAN_TRUE = ("1", "1.0", "y", "yes", "true", "t")


def _boolean_key(text: str) -> str:
    """Letters and numbers of any script ("Sí", "Да"), after NFC, make the words."""
    words, word = [], ""
    for ch in unicodedata.normalize("NFC", text).lower():
        if ch.isalnum():
            word += ch
        elif word:
            words.append(word)
            word = ""
    return " ".join([*words, word] if word else words)


def boolean(text: str | None, true_words: tuple[str, ...]) -> bool | None:
    """True / False, or None for text that is neither (it counts as False, with a warning)."""
    cell = (text or "").strip()
    if cell == "":
        return False
    key = _boolean_key(cell)
    if key in {_boolean_key(w) for w in (*true_words, *BOOLEAN_TRUE)}:
        return True
    if key in {k for w in BOOLEAN_FALSE if (k := _boolean_key(w))} or cell in ("-", "--"):
        return False
    lowered = cell.lower()
    if lowered.startswith("no") and lowered[2:].lstrip()[:1] in tuple("-–—:;,(/"):
        return False
    return None


def bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """England's bank holidays straight from the `holidays` package, not the shipped table."""
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG",
                                               years=range(first_year, last_year + 1)))


# Data contract "Values": the date forms, day first; a time of day after any of them is dropped.
CONTRACT_DATE_FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y",
                       "%d %B %Y", "%Y-%b-%d", "%Y/%m/%d")
_TIMES = ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")
_ZONES = ("", "Z", "%z")
_MERIDIEMS = ("", "%p", " %p")
_DATE_AND_TIME_FORMS = (*CONTRACT_DATE_FORMS,
                        *(f"{day}{sep}{time}{meridiem}{zone}" for day in CONTRACT_DATE_FORMS
                          for sep in (" ", "T") for time in _TIMES for meridiem in _MERIDIEMS
                          for zone in _ZONES))
BLANK_WORDS = ("", "n/a", "na", "null", "none", "-", "--", "nil", "#n/a")
# Unicode's White_Space characters: what trimming a cell removes. Not str.strip()'s set, which
# also takes the ASCII separators \x1c-\x1f that no export uses as spacing.
WHITESPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
              + "\u2028\u2029\u202f\u205f\u3000")


def is_blank(text: str | None) -> bool:
    """Empty, or a blank word as exports write it: lower case, upper case or capitalised."""
    cell = (text or "").strip(WHITESPACE)
    return any(cell in (w, w.upper(), w.title(), w.capitalize()) for w in BLANK_WORDS)


def parse_date(text: str | None) -> date | None:
    """A cell as the contract reads it, with datetime.strptime: None when blank or unreadable,
    or when the year is outside 1950–2100."""
    if text is None or is_blank(text):
        return None
    cell = text.strip(WHITESPACE)
    for form in _DATE_AND_TIME_FORMS:
        try:
            parsed = datetime.strptime(cell, form).date()
        except ValueError:
            continue
        return parsed if 1950 <= parsed.year <= 2100 else None
    return None


# Data contract "Outcome codes", spelled out (case, spaces, '-' and '_' ignored).
_OUTCOMES = {"Y": ("y", "yes", "assess", "issue", "issued"),
             "N": ("n", "no", "not assess", "not issue", "refused", "declined"),
             "A": ("a", "awaiting", "pending"),
             "W": ("w", "withdrawn", "ceased"),
             "H": ("h", "historical", "transferred in"),
             "S": ("s",)}


def outcome_code(text: str | None) -> str | None:
    """The SEN2 code of a cell: A when blank, None for words the contract does not list."""
    if text is None or is_blank(text):
        return "A"
    key = "".join(ch for ch in text.lower() if ch not in WHITESPACE + "-_")
    for code, words in _OUTCOMES.items():
        if key in {w.replace(" ", "") for w in words}:
            return code
    return None
