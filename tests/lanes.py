"""The test lanes: what each marker stands for, and a loud failure when a test reaches a server it is not marked for.

`make test-fast` deselects the marked tests (pytest.ini names the markers), so a test that starts redis-server,
gunicorn, Chromium, node or Festival without its marker would silently slow the fast lane down. Every helper that
starts one calls `needs(marker)` first, which fails the running test unless it carries that marker.
"""
from __future__ import annotations

import pytest

# The markers that stand for something a test starts; `slow` (pure but long) needs nothing started.
SERVERS = ("browser", "redis", "gunicorn", "audio", "node")

# Marked for them whatever the test file says: tests that use these fixtures (conftest.py) start the server.
BY_FIXTURE = {"redis_server": "redis", "rendered": "audio", "audio_cache": "audio"}

_current: pytest.Item | None = None


def entered(item: pytest.Item | None) -> None:
    """Record the test being set up, run or torn down (None between tests)."""
    global _current
    _current = item


def needs(marker: str) -> None:
    """Fail the running test unless it is marked `marker`; outside a test run (benchmarks, make load) do nothing."""
    assert marker in SERVERS, marker
    if _current is not None and _current.get_closest_marker(marker) is None:
        pytest.fail(f"{_current.nodeid} starts {marker} but is not marked @pytest.mark.{marker}: mark it (the "
                    f"fast lane, `make test-fast`, leaves marked tests out)", pytrace=False)
