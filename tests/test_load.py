"""Load with correctness, small: a few dozen people practise whole classes at once against gunicorn, and every
answer and every stored place matches the engine's. `benchmarks/load.py` runs the same code with 200 people.
"""
from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest
from loadclient import Tally
from loadrun import Run, check_records, practise_all, run_load
from werkzeug.serving import make_server

from skill.practice.plan import Plan
from skill.practice.speech import Pace
from skill.practice.state import Phase, State, to_dict
from skill.stores import MemoryStore
from skill.web.app import create_app

pytestmark = [pytest.mark.slow, pytest.mark.gunicorn, pytest.mark.redis]

USERS = 24
SEED = 4


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_people_practising_at_once_all_finish_with_every_place_kept(store, tmp_path, record_property):
    """24 people each practise a whole class against gunicorn with two workers: no errors, every answer is the
    engine's, every stored place is the engine's, and the run really paused, resumed and finished classes."""
    run = run_load(store, USERS, SEED, workers=2, max_seconds=120, folder=tmp_path)
    seen = run.seen
    record_property(f"load {store}", f"{run.requests} requests, p50 {run.percentile(0.5):.1f} ms")
    print(f"\n{store}: {run.requests} requests by {USERS} people, {dict(seen)}")
    assert run.baseline is not None and run.baseline.ok and run.baseline.finished == run.baseline.checked > 0
    assert run.errors == []
    assert run.wrong == []
    assert run.lost == []
    assert run.differ == []
    assert run.server_failures == []
    assert not run.capped
    assert run.checked == USERS
    assert run.finished == seen["finished"] == USERS  # each heard their class's closing words
    # Not vacuous: the reference engine went through pauses mid-segment, sessions that ended mid-segment,
    # resumes in a later session and a day later, and skips.
    for what in ("mid-segment Pause", "mid-segment SessionEnded", "resumed in a new session", "resumed a day later",
                 "event Next", "event Previous"):
        assert seen[what] > 0, what
    assert run.requests > USERS * 8


@pytest.fixture
def served(settings, library) -> Iterator[tuple[int, MemoryStore]]:
    """The app on a real loopback HTTP server in this process (werkzeug's), on a store the test can read."""
    store = MemoryStore()
    server = make_server("127.0.0.1", 0, create_app(settings, library=library, store=store), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, store
    server.shutdown()
    server.server_close()
    thread.join()


class TestTheChecksCanFail:
    def test_answers_that_differ_from_the_engine_are_counted_wrong(self, served, library, settings):
        """A reference that times segments differently from the server disagrees, and every person stops at it."""
        port, store = served
        right = practise_all(port, 3, SEED, library, settings.pace, 60, "amzn1.ask.account.RIGHT")
        wrong = practise_all(port, 3, SEED, library, dataclasses.replace(settings.pace, flow_seconds=900), 60,
                             "amzn1.ask.account.WRONG")
        assert right.wrong == [] and right.finished == 3
        assert len(wrong.wrong) == 3 and wrong.finished == 0

    def test_a_stored_place_other_than_the_engines_is_lost(self):
        """The final check counts a moved step as a lost position, another changed field as a differing record,
        and an unreadable record as lost."""
        store = MemoryStore()
        told = State(phase=Phase.PAUSED, practice="hip_release", position=5, paused_at=1000.0, mode="flow")
        cases = {
            "same": told,
            "moved": dataclasses.replace(told, position=4),
            "changed": dataclasses.replace(told, plan=Plan((30,) * 3, frozenset())),
        }
        for user, kept in cases.items():
            store.save(store.user_key(user), to_dict(kept))
        store.save(store.user_key("garbled"), {"v": 1, "ph": "nonsense"})
        run = check_records(Run([Tally(user, state=told) for user in (*cases, "garbled")], 0.0, False), store,
                            Pace().mode)
        assert run.checked == 4
        assert [line.split(":")[0] for line in run.lost] == ["moved", "garbled"]
        assert [line.split(":")[0] for line in run.differ] == ["changed"]
