"""The test lanes: what each marker stands for, and a loud failure when a test reaches a server it is not marked for.

`make test-fast` deselects the marked tests (pytest.ini names the markers), so a test that starts redis-server,
gunicorn, Chromium, node or Festival without its marker would silently slow the fast lane down. Every helper that
starts one calls `needs(marker)` first, and the running test fails at its end unless it carries that marker.
"""
from __future__ import annotations

import pytest

# The markers that stand for something a test starts; `slow` (pure but long) needs nothing started.
SERVERS = ("browser", "redis", "gunicorn", "audio", "node")

# Marked for them whatever the test file says: tests that use these fixtures (conftest.py) start the server.
BY_FIXTURE = {"redis_server": "redis", "rendered": "audio", "audio_cache": "audio"}

_current: pytest.Item | None = None
_unmarked: list[str] = []  # what the running test started without its marker


def entered(item: pytest.Item | None) -> None:
    """Record the test being set up, run or torn down (None between tests)."""
    global _current
    _current = item
    _unmarked.clear()


def needs(marker: str) -> None:
    """Note a running test that starts marker's server unmarked; outside a test run (benchmarks, make load) nothing.

    The test fails when it ends (check()), not here: a session fixture that raised would be cached as an error
    for every later test that uses it, marked or not."""
    assert marker in SERVERS, marker
    if _current is not None and _current.get_closest_marker(marker) is None:
        _unmarked.append(marker)


def check() -> None:
    """Fail the test that just ran if it started a server it is not marked for."""
    if _unmarked and _current is not None:
        missing = ", ".join(f"@pytest.mark.{m}" for m in dict.fromkeys(_unmarked))
        pytest.fail(f"{_current.nodeid} starts what {missing} stands for but is not marked so: mark it (the fast "
                    f"lane, `make test-fast`, leaves marked tests out)", pytrace=False)
