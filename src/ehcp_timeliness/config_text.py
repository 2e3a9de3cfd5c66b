"""What the tool writes about a configuration: the conventions in force, in plain English under
every report (rules.md §6), and the commented template `config init` writes. The model itself,
and reading a file into it, is config.py.
"""

from __future__ import annotations

from pydantic import BaseModel

from ehcp_timeliness.boolean_words import (
    BOOLEAN_FALSE_WORDS,
    BOOLEAN_TRUE_WORDS,
    DEFAULT_TRUE_REASONS,
)
from ehcp_timeliness.check_thresholds import THRESHOLDS, WINDOW_MONTHS_DEFAULT, WINDOW_MONTHS_HELP
from ehcp_timeliness.columns import CANONICAL_COLUMNS, KPI_IDS
from ehcp_timeliness.config import (
    AuthorityConfig,
    BooleansConfig,
    Config,
    DfeConfig,
    ExceptionAuditConfig,
    InputConfig,
    OutputConfig,
    PrivacyConfig,
    ReviewProcessConfig,
    RulesConfig,
    TermDatesConfig,
)


def conventions(config: Config) -> list[tuple[str, str]]:
    """The conventions in force, as (setting, plain-English reading) pairs for reports."""
    r = config.rules
    day_one = ("receipt day counted as day 1: decision whether to assess due R + 41, "
               "final plan R + 139 days (DfE's figures count R + 42, R + 140)"
               if r.anchor_is_day_one else
               "receipt day not counted, final plan due R + 140 days")
    review = {"s44": "review due 12 months − 1 day after the clock date (s44 reading)",
              "anniversary": "review due on the 12-month anniversary"}[r.review_convention]
    return [
        ("anchor_is_day_one", day_one),
        ("review_convention", review),
        ("review_clock", f"review clock restarts at the review {r.review_clock}"),
        ("due_soon_days", f"due_soon = due within {r.due_soon_days} days"),
        ("dfe.over_a_year", {"52_weeks": "DfE over a year: > 364 days",
                             "anniversary": "DfE over a year: after the anniversary"}
         [config.dfe.over_a_year]),
    ]

def review_process_conventions(config: Config) -> list[tuple[str, str]]:
    """Conventions of the review-process figures, printed beside them when shown."""
    p = config.review_process
    before = ("last day 14 Feb / 30 Mar" if p.phase_transfer_reading == "strict"
              else "by 15 Feb / 31 Mar")
    return [
        ("phase_transfer_reading", f"phase transfer ({p.phase_transfer_reading}): {before}"),
        ("under_5_review_months",
         f"under-5s: review considered every {p.under_5_review_months} months (guidance)"),
        ("phase_transfer_window_months",
         f"phase transfer review: a meeting in the {p.phase_transfer_window_months} months "
         "before the September transfer"),
    ]


def _commented(model: type[BaseModel], *names: str, **examples: str) -> list[str]:
    """NAMES (default: every field of MODEL), each as its description and its default value
    (or its value in EXAMPLES, for a field with no default worth showing), commented out."""
    lines = []
    for name in names or tuple(model.model_fields):
        default = model.model_fields[name].default
        shown = f'"{default}"' if isinstance(default, str) else str(default).lower()
        lines += [f"# {model.model_fields[name].description}",
                  f"# {name} = {examples.get(name, shown)}"]
    return lines


def config_template() -> str:
    """A commented config file with every key, for `config init`."""
    lines = [
        "# ehcp-timeliness configuration (TOML). Lines starting with # are comments.",
        "# Docs: docs/configuration.md.",
        "# Check it against your export: ehcp-timeliness validate FILE --config THIS",
        "",
        "[input]",
        *_commented(InputConfig, "sheet", "max_file_mb", "max_zip_ratio", "max_columns",
                    sheet='"Cases"'),
        "",
        "[output]",
        *_commented(OutputConfig),
        "",
        "[columns]",
        '# canonical column = "header in your export". Common headers are recognised without a',
        "# line here (case, spaces and punctuation ignored); add a line for any that are not.",
    ]
    for col in CANONICAL_COLUMNS:
        need = "REQUIRED" if col.required else "optional"
        example = col.synonyms[0].title() if col.synonyms else col.name
        lines.append(f"# {col.name} = \"{example}\"    # {need}, {col.kind}: {col.meaning}")
    lines += [
        "",
        "[outcome_codes]",
        "# " + Config.model_fields["outcome_codes"].description,
        "# Built in: Y yes assess issue(d); N no refused declined; A awaiting pending (blank);",
        "# W withdrawn ceased; H historical 'transferred in'; S.",
        '# "Agreed to assess" = "Y"',
        '# "Not agreed" = "N"',
        "",
        "[rules]",
        *_commented(RulesConfig),
        "",
        "[authority]",
        *_commented(AuthorityConfig, la='"Redbridge"'),
        "",
        "[dfe]",
        *_commented(DfeConfig),
        "",
        "# [targets.KPI]: an improvement board's trajectory for a headline KPI, shown against the",
        "# actual in `report` and its workbook (slippage flagged). The KPIs:",
        *(f"#   {kpi}" for kpi in KPI_IDS),
        "# [targets.pct_within_20_weeks_ex_12_months]",
        "# baseline = 38.0",
        "# baseline_date = 2024-12-31",
        "# target = 60.0",
        "# target_date = 2026-03-31",
        "# milestones = [{ date = 2025-06-30, value = 45.0 }, { date = 2025-12-31, value = 52.0 }]",
        "",
        "[privacy]",
        *_commented(PrivacyConfig, "pseudonymise_key", "personal_columns",
                    pseudonymise_key='"a long random secret"',
                    personal_columns='["Child Name", "Home Address"]'),
        "",
        "[check]",
        "# Thresholds for `check` (exit 3 when one fails); its flags override these.",
    ]
    for threshold in THRESHOLDS:
        lines += [f"# {threshold.help}", f"# {threshold.name} = {threshold.example}"]
    lines += [f"# {WINDOW_MONTHS_HELP}", f"# window_months = {WINDOW_MONTHS_DEFAULT}"]
    lines += [
        "",
        "[review_process]",
        *_commented(ReviewProcessConfig),
        "",
        "[exception_audit]",
        *_commented(ExceptionAuditConfig),
        "",
        "[term_dates]",
        *_commented(TermDatesConfig, "default_pattern"),
        f"# {TermDatesConfig.model_fields['closures'].description}",
        "# closures = [",
        "#     { closes = 2024-07-24, reopens = 2024-09-04 },",
        "#     { closes = 2025-07-23, reopens = 2025-09-03 },",
        "# ]",
        "",
        "[booleans]",
        f"# {BooleansConfig.model_fields['true_words'].description}",
        f"# Always yes: {', '.join(BOOLEAN_TRUE_WORDS)}. Always no: blank, "
        f"{', '.join(BOOLEAN_FALSE_WORDS)}, and 'No - ...'.",
        "# true_words = [",
        *(f'#     "{w}",' for w in DEFAULT_TRUE_REASONS),
        "# ]",
    ]
    return "\n".join(lines) + "\n"
