"""An export with every review-process input (review decisions, amendments, phase
transfers), one row for each situation the review process tells apart; the figures the tests
expect of it are worked out by hand for AS_OF (tests/cli/test_review_process_commands.py)."""

from __future__ import annotations

from pathlib import Path

AS_OF = "2025-12-01"   # next September's transfers: 2026
HEADER = ("Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,Last Review Date,"
          "Review Decision Date,Amendment Notice Date,Amended Plan Date,Phase Transfer Year,"
          "Transfer Type")
PLAN = "01/09/2022,Y,10/01/2023"
ROWS = [
    f"R1,{PLAN},01/03/2024,29/03/2024,,,,",                  # decided on day 28: within
    f"R2,{PLAN},01/03/2024,30/03/2024,,,,",                  # day 29: over 4 weeks
    f"R3,{PLAN},10/01/2025,,,,,",                            # undecided 10+ months
    f"R4,{PLAN},01/10/2023,,,,,",                            # undecided 26 months
    f"R5,{PLAN},20/11/2025,,,,2026,School phase",            # decision due 18 Dec: due soon
    f"R6,{PLAN},,,,,2026,Post 16",                           # no review yet, not at risk
    f"R7,{PLAN},,,,,2026,Primary to secondary",              # no review yet: at risk
    f"R8,{PLAN},01/10/2025,20/10/2025,20/10/2025,15/11/2025,2026,school",  # complete
    f"R9,{PLAN},,,,,2025,school",                            # last February's transfer
]


def write(folder: Path, rows: list[str] = ROWS, header: str = HEADER,
          name: str = "process.csv") -> Path:
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
