"""`python -m demos.replay --fast`: what it prints is what it computed."""

from __future__ import annotations

from .conftest import assert_files_written


def test_replay_demo_prints_the_level_schedule_and_an_equal_replay(run_demo) -> None:
    result = run_demo("replay")
    out = result["stdout"]
    assert_files_written(result)
    small = result["small"]
    assert f"nodes in the graph                           = {small['nodes']}" in out
    for level, op, count in small["groups"]:
        assert f"level {level}: {op} × {count}" in out
    levels = [level for level, _, _ in small["groups"]]
    assert levels == sorted(levels) and levels[0] == 1  # groups run level by level
    assert sum(count for _, _, count in small["groups"]) + 9 == small["nodes"]  # + 9 leaves
    assert result["max_diff"] <= 1e-12
    assert f"= {result['max_diff']:.1e}" in out
    assert f"speed-up                                     = {result['speedup']:.0f}×" in out
    assert f"{1e3 * result['replayed']:.2f} ms" in out
