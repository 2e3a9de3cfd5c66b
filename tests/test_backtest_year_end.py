"""The backtest's machinery (scripts/backtest_year_end.py; `make backtest` runs it in full):
which month ends it replays, that each replay is the forecast as of that day against the
year's final rate, and the score's arithmetic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.summaries.year_end import year_end
from ehcp_timeliness.synthetic import generate_cases
from ehcp_timeliness.synthetic_export import mapping_toml, to_messy_export

from conftest import load_script

backtest = load_script("backtest_year_end")
Replay = backtest.Replay


def test_month_ends_need_a_full_year_of_history_and_a_finished_year() -> None:
    days = backtest.month_ends(date(2022, 7, 2), date(2025, 6, 30))
    assert days[0] == date(2023, 7, 31) and days[-1] == date(2024, 11, 30)
    assert len(days) == 5 + 11 and date(2024, 2, 29) in days


def test_each_replay_is_the_forecast_then_against_the_final_rate(tmp_path: Path) -> None:
    cases = generate_cases(900, 5, date(2024, 12, 31), profile="stable", history_days=730)
    export = to_messy_export(cases, 5)
    path, mapping = tmp_path / "stable.csv", tmp_path / "stable.toml"
    export.write_csv(path)
    mapping.write_text(mapping_toml(export.columns, "# test"))
    config = load_config(mapping)
    found = backtest.replay(path, config, date(2024, 12, 31), months=(6,))
    assert [r.as_of for r in found] == [date(2024, 6, 30)]
    then = analyse(path, config, date(2024, 6, 30))
    made = year_end(then.cases, then.as_of, then.undated_plans)
    final = analyse(path, config, date(2024, 12, 31))
    assert found[0] == Replay(date(2024, 6, 30),
                              year_end(final.cases, final.as_of, final.undated_plans)
                              .pct_so_far,  # type: ignore[arg-type]
                              made.central, made.likely_low,  # type: ignore[arg-type]
                              made.likely_high, made.short_history)  # type: ignore[arg-type]
    # Two years of requests to 2024-12-31: as of 2024-06-30 the export holds 17 months of them,
    # short of the 24 the forecast reads, so the replay is kept apart (by_history).
    assert (made.history_months, found[0].short_history) == (17, True)
    assert backtest.by_history(found) == ([], found)


def test_the_score_from_march_on_and_the_width_in_june() -> None:
    replays = [Replay(date(2024, 2, 29), 50.0, 60.0, 55.0, 65.0),   # before March: not scored
               Replay(date(2024, 3, 31), 50.0, 53.0, 49.0, 57.0),   # held, error 3
               Replay(date(2024, 6, 30), 50.0, 49.0, 40.0, 58.5),   # held, error 1, width 18.5
               Replay(date(2024, 9, 30), 50.0, 55.0, 52.0, 58.0)]   # missed, error 5
    found = backtest.score(replays)
    assert found is not None
    assert (found.replays, found.mean_absolute_error, found.worst_absolute_error) == (3, 3.0,
                                                                                      5.0)
    assert (found.held_share, found.widest_in_june) == (2 / 3, 18.5)
    assert "| x | 3 | 3.0 | 5.0 | 67% | 18.5 |" in backtest.markdown_table([("x", found)])
    assert backtest.score(replays[:1]) is None


def test_short_history_replays_are_kept_apart_and_labelled() -> None:
    full = Replay(date(2024, 3, 31), 50.0, 53.0, 49.0, 57.0)
    short = Replay(date(2023, 3, 31), 40.0, 49.0, 41.0, 47.0, short_history=True)
    assert backtest.by_history([short, full]) == ([full], [short])
    table = backtest.by_month_table([short, full])
    assert "| 2023-03-31 | 40.0 | 49.0 | +9.0 | 41.0–47.0 | no | short |" in table
    assert "| 2024-03-31 | 50.0 | 53.0 | +3.0 | 49.0–57.0 | yes | full |" in table
