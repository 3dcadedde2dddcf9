"""gc_paused: the collector off inside the block, as it was after it (an error included)."""

from __future__ import annotations

import gc

import pytest

from chainkg.gc_pause import gc_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_then_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), gc_paused():
            raise ValueError("a stage that fails")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_the_seed_load_runs_with_the_collector_paused(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    """load_seeds pauses the collector while it reads (its registry records), and leaves
    it enabled."""
    import chainkg.tables as tables

    seen: list[bool] = []
    real = tables.latest_rows
    monkeypatch.setattr(tables, "latest_rows", lambda *a: seen.append(gc.isenabled()) or real(*a))
    from tests.helpers import copy_tiny

    tables.load_seeds(copy_tiny(tmp_path))
    assert seen == [False] and gc.isenabled()
