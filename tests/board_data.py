"""A small export for the board, worklist and KPI tests, with every figure worked out by hand
for the as-of date 2025-06-30 (see each row's comment).
"""

from __future__ import annotations

from pathlib import Path

AS_OF = "2025-06-30"
HEADER = ("Case Ref,Child ID,Date Request Received,Request Outcome,Final EHCP Issued,Week20,"
          "Team,Last Review Date")
ROWS = [
    "C1,P1,10/01/2025,Y,02/06/2025,,North,",   # due 30 May: issued late in June
    "C2,P2,20/01/2025,Y,05/06/2025,,North,",   # due 9 Jun: issued on time in June
    "C3,P3,01/05/2025,,,,South,",              # no decision: reg 5(1) date 12 Jun, 18 days over
    "C4,P4,01/02/2025,Y,,,South,",             # 20-week date 21 Jun: 9 days overdue
    "C5,P5,20/02/2025,Y,,,North,",             # 20-week date 10 Jul: due in 10 days
    "C6,P6,10/01/2023,Y,20/05/2023,,South,20/06/2024",  # review due 19 Jun 2025: 11 days over
    "C7,P4,01/03/2024,Y,10/07/2024,,North,",   # on time; first review due 9 Jul 2025: in 9 days
]
# Most urgent first: (case, next step's due date, days left).
EXPECTED_WORKLIST = [("C3", "2025-06-12", -18), ("C6", "2025-06-19", -11),
                     ("C4", "2025-06-21", -9), ("C7", "2025-07-09", 9),
                     ("C5", "2025-07-10", 10)]


def write_export(folder: Path, rows: list[str] | None = None, header: str = HEADER) -> Path:
    path = folder / "board_cases.csv"
    path.write_text("\n".join([header, *(ROWS if rows is None else rows)]) + "\n",
                    encoding="utf-8")
    return path
