"""Regenerate the table in docs/issue-codes.md from schema/issue_codes.py (make docs)."""

from pathlib import Path

from ehcp_timeliness.schema.issue_codes import catalogue_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "issue-codes.md"
BEGIN, END = "<!-- begin generated table -->\n", "<!-- end generated table -->\n"

text = DOC.read_text(encoding="utf-8")
before, rest = text.split(BEGIN, 1)
_, after = rest.split(END, 1)
DOC.write_text(before + BEGIN + catalogue_markdown() + END + after, encoding="utf-8")
print(f"wrote {DOC}")
