"""Configuration: the column mapping and the conventions for the edges the law leaves open.

One TOML file (written by `ehcp-timeliness config init`) holds both. Models forbid unknown keys so
a typo is an error, not a silently ignored setting. The conventions in force are printed under
every report (rules.md §6).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from ehcp_timeliness.boolean_words import (
    BOOLEAN_FALSE_WORDS,
    DEFAULT_TRUE_REASONS,
    boolean_key,
)
from ehcp_timeliness.check_thresholds import (
    BY_NAME,
    WINDOW_MONTHS_DEFAULT,
    WINDOW_MONTHS_HELP,
    WINDOW_MONTHS_RANGE,
)
from ehcp_timeliness.columns import (
    CANONICAL_COLUMNS,
    FIRST_YEAR,
    KPI_IDS,
    LAST_YEAR,
    OUTCOME_CODES,
)
from ehcp_timeliness.errors import ConfigError


class _Strict(BaseModel):
    # nan, inf and numbers past a float's range (1e309 reads as inf) are refused: a threshold
    # or target of nan compares false with everything, so a gate would never fail.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _in_contract_years(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the date must be in the years {FIRST_YEAR} to {LAST_YEAR}, "
                         "the years the tool works with")
    return value


# A date in the config: the same years as a date in an export (the calendar ends there).
ConfigDate = Annotated[dt.date, AfterValidator(_in_contract_years)]


# [columns]: canonical name = "header in your export"; one optional field per canonical column.
ColumnsConfig: type[BaseModel] = create_model(
    "ColumnsConfig", __base__=_Strict, **{c.name: (str | None, None) for c in CANONICAL_COLUMNS})


class InputConfig(_Strict):
    sheet: str | None = Field(
        None, description="Excel sheet to read when --sheet is not given (default: the first "
        "visible sheet)."
    )
    header_row: int | None = Field(
        None, ge=1, le=1000, description="Line (CSV) or row (Excel) of the header row, when "
        "title lines or notes are above it (default: the first line, or the first of the "
        "first 20 that holds known headers; --header-row overrides).")
    max_file_mb: int = Field(
        4096, ge=1, le=1_048_576,
        description="Largest input, in MB: a file, a COLLECT folder's tables together, or the "
        "zip members read, uncompressed. Anything larger is refused unread.")
    max_zip_ratio: int = Field(
        100, ge=1, le=100_000,
        description="A zip member over 1 MB that would uncompress to more than this many "
        "times its stored size is refused unread, as a likely zip bomb.")
    max_columns: int = Field(
        5000, ge=1, le=1_000_000,
        description="Most columns an export may have: each costs memory (about 42 KB even "
        "for 3 rows), so a wider file is refused from its header line before it is read.")


class OutputConfig(_Strict):
    max_groups: int = Field(
        500, ge=1, le=10_000_000,
        description="Most groups --by may make (distinct values, or combinations of them): a "
        "column with more (a case id, a date) is refused before the analysis runs.")


class RulesConfig(_Strict):
    due_soon_days: int = Field(
        28, ge=0, le=366,
        description="An open case or review due within this many days is `due_soon`.",
    )
    anchor_is_day_one: bool = Field(
        False,
        description="Count the day the request was received as day 1 (decision whether to "
        "assess due R + 41, final plan R + 139) instead of the Dodds v Walker reading "
        "(R + 42, R + 140). DfE's published figures never move with it.",
    )
    review_convention: Literal["s44", "anniversary"] = Field(
        "s44",
        description='12-month review due date: "s44" = D + 12 months − 1 day (the 12 months '
        'start with D); "anniversary" = D + 12 months.',
    )
    review_clock: Literal["meeting", "decision"] = Field(
        "meeting",
        description='Which review date restarts the 12-month clock: the review "meeting" or the '
        'review "decision" date.',
    )


class AuthorityConfig(_Strict):
    la: str | None = Field(
        None, description="Your local authority, by DfE name or code (e.g. \"Redbridge\" or "
        "\"E09000026\"), for `benchmark`.")


class Milestone(_Strict):
    date: ConfigDate
    value: float


class KpiTarget(_Strict):
    """An improvement board's trajectory for one KPI: baseline -> dated milestones -> target."""

    baseline: float | None = Field(None, description="Where the KPI started.")
    baseline_date: ConfigDate | None = Field(None, description="When the baseline was measured.")
    target: float = Field(description="Where the KPI should end up.")
    target_date: ConfigDate | None = Field(None, description="When the target is due.")
    milestones: tuple[Milestone, ...] = Field(
        (), description="Dated steps on the way: [{ date = 2025-09-30, value = 50 }, …].")

    @model_validator(mode="after")
    def _dates_in_order(self) -> KpiTarget:
        dates = [m.date for m in self.milestones]
        if dates != sorted(set(dates)):
            raise ValueError("milestones must have different dates, earliest first")
        ends = [d for d in (self.baseline_date, *dates, self.target_date) if d is not None]
        if ends != sorted(ends):
            raise ValueError("baseline_date, milestone dates and target_date must be in order")
        return self


# [targets.KPI]: one optional trajectory per headline KPI (columns.KPI_IDS).
TargetsConfig: type[BaseModel] = create_model(
    "TargetsConfig", __base__=_Strict, **{k: (KpiTarget | None, None) for k in KPI_IDS})


class PrivacyConfig(_Strict):
    pseudonymise_key: str | None = Field(
        None, description="Secret key for --pseudonymise when the EHCP_PSEUDONYMISE_KEY "
        "environment variable is not set (that variable wins; prefer it, so the key stays out of "
        "a file you share).")
    personal_columns: tuple[str, ...] = Field(
        (), description="Headers of your export whose values identify a child, besides those "
        "the tool knows (date of birth, names, NHS number, address, postcode, UPN): with "
        "--pseudonymise, --by refuses them.")
    min_rows_to_show_value: int = Field(
        5, ge=2, le=1_000_000, description="`validate` shows an unrecognised word of a code "
        "column (outcome, yes/no, phase-transfer kind) when it is in at least this many rows: "
        "a system's vocabulary, not a child's data. Rarer values are described by shape.")


def _threshold(name: str) -> Any:
    """A [check] field: unset by default, its range and wording from its one definition
    (check_thresholds.THRESHOLDS; tests/cli/test_check.py checks every one has its field)."""
    threshold = BY_NAME[name]
    return Field(None, ge=0, le=threshold.largest, description=threshold.help)


class CheckConfig(_Strict):
    """Thresholds for `check`, the pipeline gate (docs/commands.md#check); flags override."""

    min_pct_within_20_weeks: float | None = _threshold("min_pct_within_20_weeks")
    max_overdue: int | None = _threshold("max_overdue")
    max_reviews_overdue_pct: float | None = _threshold("max_reviews_overdue_pct")
    max_error_rows: int | None = _threshold("max_error_rows")
    window_months: int = Field(WINDOW_MONTHS_DEFAULT, ge=WINDOW_MONTHS_RANGE[0],
                               le=WINDOW_MONTHS_RANGE[1], description=WINDOW_MONTHS_HELP)


class ReviewProcessConfig(_Strict):
    """[review_process]: after the review meeting, phase transfers, under-5s (rules.md §2)."""

    phase_transfer_reading: Literal["strict", "lenient"] = Field(
        "strict", description='reg 18(1) "before 15 February" / "before 31 March": "strict" = '
        'last day 14 Feb / 30 Mar; "lenient" reads "before" as "by": 15 Feb / 31 Mar.')
    under_5_review_months: int = Field(
        6, ge=3, le=6, description="Advisory review interval for under-5s, 3 to 6 months "
        "(CoP 9.178: guidance, never a breach).")
    case_columns: Literal["auto", "all", "core"] = Field(
        "auto", description='Review-process columns in `cases`: "auto" = when the export has '
        'a review decision, amendment or phase-transfer column; "all" = always; "core" = never.')
    phase_transfer_window_months: int = Field(
        12, ge=1, le=24, description="A review meeting counts as the phase-transfer review when "
        "held in this many months before the transfer (1 September); an earlier one is the "
        "previous annual review (reg 18(1): \"within 12 months of a transfer\").")


class Closure(_Strict):
    closes: ConfigDate = Field(description="First day the school or setting is closed.")
    reopens: ConfigDate = Field(description="First day it is open again.")

    @model_validator(mode="after")
    def _in_order(self) -> Closure:
        if self.reopens <= self.closes:
            raise ValueError("reopens must be after closes")
        return self


class TermDatesConfig(_Strict):
    """[term_dates]: school closures, used only to audit the reg 10(4)(a) exception."""

    default_pattern: Literal["england", "none"] = Field(
        "england", description='Years with no closure listed: "england" = a summer closure '
        'from six weeks before the first Wednesday of September to that day; "none" = none.')
    closures: tuple[Closure, ...] = Field(
        (), description="Your schools' closures: [{ closes = 2025-07-23, reopens = "
        "2025-09-03 }, …]; a year listed here replaces the default pattern for that year.")


class ExceptionAuditConfig(_Strict):
    advice_date_proxy: Literal["decision_to_assess", "none"] = Field(
        "decision_to_assess", description="Without an advice_requested_date: "
        '"decision_to_assess" = the day the decision to assess was notified (advice is '
        'sought once the assessment is agreed: our reading); "none" = no date, not audited.')


class DfeConfig(_Strict):
    """[dfe]: our readings of DfE's method where its guidance leaves one open (benchmarking.md).
    Not local conventions: DfE's figures never follow [rules] (rules/dfe_method.py)."""

    over_a_year: Literal["52_weeks", "anniversary"] = Field(
        "52_weeks", description='DfE\'s "over a year" (plans_issued_gt_1_year): "52_weeks" = '
        'issued more than 364 days after the request, DfE\'s definition "after 52 weeks"; '
        '"anniversary" = issued after the anniversary of the request (the column\'s name).')
class BooleansConfig(_Strict):
    """[booleans]: how yes/no columns (week20_exception, mediation, tribunal) are read."""

    true_words: tuple[str, ...] = Field(
        DEFAULT_TRUE_REASONS, description="Wording that means yes besides Yes, Y, 1 and true: "
        "the exception reasons your system writes instead of yes (case, spaces and "
        "punctuation ignored). This list replaces the default one.")

    @field_validator("true_words")
    @classmethod
    def _not_a_no(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        falses = {boolean_key(w) for w in BOOLEAN_FALSE_WORDS}
        for word in value:
            if not boolean_key(word):
                raise ValueError(f"{word!r} has no letters or digits")
            if boolean_key(word) in falses:
                raise ValueError(f"{word!r} already means no")
        return tuple(value)


class Config(_Strict):
    input: InputConfig = InputConfig()
    output: OutputConfig = OutputConfig()
    authority: AuthorityConfig = AuthorityConfig()
    columns: ColumnsConfig = ColumnsConfig()  # type: ignore[valid-type]
    outcome_codes: dict[str, str] = Field(
        default_factory=dict,
        description="Extra outcome values used by your system, mapped to SEN2 codes "
        '(e.g. "Agreed to assess" = "Y").',
    )
    rules: RulesConfig = RulesConfig()
    targets: TargetsConfig = TargetsConfig()  # type: ignore[valid-type]
    privacy: PrivacyConfig = PrivacyConfig()
    check: CheckConfig = CheckConfig()
    review_process: ReviewProcessConfig = ReviewProcessConfig()
    term_dates: TermDatesConfig = TermDatesConfig()
    exception_audit: ExceptionAuditConfig = ExceptionAuditConfig()
    dfe: DfeConfig = DfeConfig()
    booleans: BooleansConfig = BooleansConfig()

    @field_validator("outcome_codes")
    @classmethod
    def _codes_are_sen2(cls, value: dict[str, str]) -> dict[str, str]:
        for text, code in value.items():
            if code.strip().upper() not in OUTCOME_CODES:
                raise ValueError(
                    f'"{text}" maps to "{code}", which is not one of {", ".join(OUTCOME_CODES)}'
                )
        return {text: code.strip().upper() for text, code in value.items()}

    def column_mapping(self) -> dict[str, str]:
        """Canonical column -> header, for the columns the file maps explicitly."""
        return {k: v for k, v in self.columns.model_dump().items() if v is not None}


def load_config(path: Path | None) -> Config:
    """Read a TOML config; None gives the defaults. Raises ConfigError naming file and key."""
    if path is None:
        return Config()
    if path.is_symlink() and not path.exists():
        raise ConfigError(f"{path}: is a symbolic link that does not lead to a file (broken, "
                          "or a loop)", "Give the path of the config file itself.")
    if path.is_dir():
        raise ConfigError(f"{path}: is a folder, not a config file",
                          "Give the path of the TOML file itself, e.g. --config mapping.toml.")
    if not path.is_file():
        raise ConfigError(
            f"Config file not found: {path}",
            "Check the path, or write a template with: ehcp-timeliness config init > mapping.toml",
        )
    try:
        data = tomllib.loads(_config_text(path))
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a configuration (arrays or tables "
                          "inside one another hundreds of levels deep)",
                          "A configuration nests a few levels at most: start again from "
                          "`ehcp-timeliness config init`.") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text", "Save the file as UTF-8.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML ({exc})",
            'Each setting is `key = "value"` under a [section]; quote header names.',
        ) from exc
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: invalid configuration\n{_describe(exc)}",
                          "See docs/configuration.md for every key and its accepted values, "
                          "or start again from `ehcp-timeliness config init`.") from exc


# A configuration is a few kilobytes; a file over this is not one (an export or a log given
# to --config by mistake) and is refused before it is read into memory.
MAX_CONFIG_BYTES = 1 * 2**20


def _config_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})",
                          "Check you have permission to read it.") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: is over {MAX_CONFIG_BYTES // 2**20} MB, too large to be a "
                          "configuration file",
                          "Give the TOML mapping/config file (a few kilobytes): write one with "
                          "`ehcp-timeliness config init`.")
    return data.decode("utf-8-sig")


# Sections whose values are secrets: an error names the key, never the value given.
_SECRET_SECTIONS = ("privacy",)


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors(include_input=True, include_context=False, include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            lines.append(f"  {where}: unknown key")
        elif err["loc"] and err["loc"][0] in _SECRET_SECTIONS:
            lines.append(f"  {where}: {err['msg']} (the value is not shown: it is a secret)")
        else:
            shown = err.get("input")
            got = f" (got {shown!r})" if isinstance(shown, str | int | float | bool) else ""
            lines.append(f"  {where}: {err['msg']}{got}")
    return "\n".join(lines)
