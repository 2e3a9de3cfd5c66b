"""The board page's templates, compiled once and kept between runs: the kept code renders
byte for byte what freshly compiled templates render, and a folder that cannot hold it costs
only the compiling."""

from __future__ import annotations

from pathlib import Path

from ehcp_timeliness.report.html import kept_compiled_templates, template_environment

TABLE = {"t": {"headings": ["Team", "<b>Cases</b>"], "rows": [[("North", ""), ("3", "num")]]}}


def render(compiled: object) -> str:
    return template_environment(compiled).get_template("table.html.j2").render(TABLE)


def test_kept_templates_render_what_fresh_ones_do(tmp_path: Path) -> None:
    fresh = render(None)
    assert "&lt;b&gt;Cases&lt;/b&gt;" in fresh and '<td class="num">3</td>' in fresh
    assert render(kept_compiled_templates(str(tmp_path))) == fresh
    kept = {p: p.read_bytes() for p in tmp_path.iterdir()}
    assert len(kept) == 1
    # A second run loads the kept code: the same page, and nothing compiled or written again.
    assert render(kept_compiled_templates(str(tmp_path))) == fresh
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == kept


def test_a_folder_that_cannot_hold_them_costs_only_the_compiling(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    assert render(kept_compiled_templates(str(not_a_folder))) == render(None)


def test_a_damaged_kept_file_is_compiled_again(tmp_path: Path) -> None:
    fresh = render(kept_compiled_templates(str(tmp_path)))
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(kept.read_bytes()[:40])
    assert render(kept_compiled_templates(str(tmp_path))) == fresh
