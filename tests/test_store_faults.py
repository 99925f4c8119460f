"""Store faults with the real stores (issue #6, part 3): a real SQLite file and a real redis-server.

- The store is unavailable at a request: the person still gets an answer, hears once that their place could not
  be saved, and the place rides in the session's attributes until the store is back, which then keeps it.
- A corrupt or old-version record: a fresh start, with a sentence, and no crash.
- A crash mid-write (the writing process killed, and Redis itself killed): every record still reads back whole.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from alexa import USER, Speaker, stored
from servers import RedisServer

from skill.alexa.shell import CARRIED, UNSAVED
from skill.config import ROOT
from skill.practice import prompts
from skill.practice.state import Phase, from_dict
from skill.stores import open_store, sqlite
from skill.web.app import create_app

pytestmark = pytest.mark.redis

DAY = 24 * 3600
SECRET = "fault-tests-secret"


def speaker_on(store, settings, library) -> Speaker:
    return Speaker(create_app(settings, library=library, store=store).test_client())


def in_class(speaker: Speaker):
    """Low Back Release begun, and a minute and a half into its first segment; returns that segment's reply."""
    speaker.open()
    speaker.say("StartClassIntent", practice=("low back release", "low_back_release"))
    first = speaker.say("ContinueIntent")
    speaker.wait(90)
    return first


@pytest.fixture
def redis_persisting(tmp_path):
    """A redis-server of this test's own that keeps its data across a stop and a start (AOF, fsync always)."""
    server = RedisServer(tmp_path / "redis", persist=True).start()
    yield server
    server.stop()


@pytest.fixture
def sqlite_store(tmp_path, monkeypatch):
    """A real SQLite file whose writers give up after 0.2 s, not 5 s, when another holds the lock."""
    monkeypatch.setattr(sqlite, "BUSY_MS", 200)
    store = open_store(f"sqlite://{tmp_path / 'faults.sqlite3'}", tmp_path, SECRET)
    yield store
    store.close()


class TestUnavailable:
    def test_redis_down_mid_class_carries_the_place_and_keeps_it_when_back(self, redis_persisting, settings,
                                                                          library, tmp_path):
        store = open_store(redis_persisting.url, tmp_path, SECRET)
        speaker = speaker_on(store, settings, library)
        in_class(speaker)
        before = stored(store)
        redis_persisting.stop()

        moved = speaker.say("AMAZON.NextIntent")  # the store can be neither read nor written
        assert moved.status == 200 and prompts.NOT_SAVED in moved.text and not moved.ends
        carried = from_dict(moved.body["sessionAttributes"][CARRIED])
        assert moved.body["sessionAttributes"][UNSAVED] is True and carried.position > before.position
        moved_to = carried.position

        asked = speaker.say("WhatPoseIntent")  # answered from the session's copy, and not told twice
        assert asked.status == 200 and prompts.NOT_SAVED not in asked.text
        carried = from_dict(asked.body["sessionAttributes"][CARRIED])
        assert carried.position == moved_to and asked.body["sessionAttributes"][UNSAVED] is True

        redis_persisting.start()  # back, with what it held before the outage
        assert stored(store) == before
        told = speaker.say("TimeLeftIntent")  # the first request after: the carried place is saved
        assert stored(store) == from_dict(told.body["sessionAttributes"][CARRIED])
        assert stored(store).position == moved_to and UNSAVED not in speaker.attributes
        speaker.walk_away()
        speaker.wait(DAY)
        assert "Low Back Release" in speaker.open().text and stored(store).position >= moved_to

    def test_redis_down_at_the_start_of_a_session_says_so_and_loses_nothing(self, redis_persisting, settings,
                                                                            library, tmp_path):
        store = open_store(redis_persisting.url, tmp_path, SECRET)
        speaker = speaker_on(store, settings, library)
        in_class(speaker)
        assert speaker.say("AMAZON.PauseIntent").ends
        paused = stored(store)
        assert paused.phase is Phase.PAUSED
        redis_persisting.stop()

        speaker.wait(DAY)
        opened = speaker.open()
        assert opened.status == 200 and opened.text.startswith(prompts.NO_RECORD) and opened.reprompt
        speaker.say("AMAZON.StopIntent")

        redis_persisting.start()
        speaker.wait(60)
        assert "you paused Low Back Release" in speaker.open().text and stored(store) == paused

    def test_a_pause_that_cannot_be_saved_says_so_before_the_session_ends(self, redis_persisting, settings,
                                                                         library, tmp_path):
        store = open_store(redis_persisting.url, tmp_path, SECRET)
        speaker = speaker_on(store, settings, library)
        in_class(speaker)
        redis_persisting.stop()
        paused = speaker.say("AMAZON.PauseIntent")
        assert paused.ends and prompts.NOT_KEPT in paused.text and "Paused in" in paused.text

    def test_sqlite_locked_by_another_writer_carries_the_place_until_the_lock_goes(self, sqlite_store, settings,
                                                                                  library):
        speaker = speaker_on(sqlite_store, settings, library)
        in_class(speaker)
        before = stored(sqlite_store)
        locker = sqlite3.connect(sqlite_store.path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")  # another process's long write, a backup, a migration
        try:
            moved = speaker.say("AMAZON.NextIntent")
            assert moved.status == 200 and prompts.NOT_SAVED in moved.text
            assert stored(sqlite_store) == before  # WAL readers still read the last saved place
            again = speaker.say("AMAZON.NextIntent")
            assert prompts.NOT_SAVED not in again.text
            moved_to = from_dict(again.body["sessionAttributes"][CARRIED]).position
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        asked = speaker.say("WhatPoseIntent")
        assert stored(sqlite_store) == from_dict(asked.body["sessionAttributes"][CARRIED])
        assert stored(sqlite_store).position == moved_to > before.position and UNSAVED not in speaker.attributes

    def test_a_session_ended_while_down_gets_a_second_chance_to_save(self, redis_persisting, settings, library,
                                                                     tmp_path):
        """Alexa's SessionEndedRequest carries the session's attributes, so the carried place is saved then."""
        store = open_store(redis_persisting.url, tmp_path, SECRET)
        speaker = speaker_on(store, settings, library)
        in_class(speaker)
        redis_persisting.stop()
        moved = speaker.say("AMAZON.NextIntent")
        carried = from_dict(moved.body["sessionAttributes"][CARRIED])
        redis_persisting.start()
        speaker.walk_away()
        assert stored(store).position == carried.position


def _raw_write(store, spec: str, text: str) -> None:
    """Put text where the person's record is, behind the store's back."""
    key = store.user_key(USER)
    if spec == "sqlite":
        with sqlite3.connect(store.path) as conn:
            conn.execute("UPDATE practice SET record = ? WHERE user = ?", (text, key))
    else:
        store._client.set(store.key(key), text.encode("latin-1"))


@pytest.mark.parametrize("spec", ["sqlite", "redis"])
@pytest.mark.parametrize("damage", ["\x00\xff not json", "[1, 2, 3]", '{"v": 0, "ph": "practising"}',
                                    '{"v": 1, "ph": "flying"}', "", '"a string"'])
def test_a_corrupt_or_old_record_starts_fresh_with_a_sentence(spec, damage, sqlite_store, redis_url, settings,
                                                              library, tmp_path):
    store = sqlite_store if spec == "sqlite" else open_store(redis_url, tmp_path, SECRET)
    speaker = speaker_on(store, settings, library)
    in_class(speaker)
    speaker.say("AMAZON.PauseIntent")
    _raw_write(store, spec, damage)
    speaker.wait(DAY)
    opened = speaker.open()
    assert opened.status == 200 and opened.text.startswith(prompts.LOST_PLACE) and opened.reprompt
    assert stored(store).phase is Phase.IDLE  # replaced by a readable fresh start
    assert "Welcome" in speaker.open().text and not speaker.replies[-1].text.startswith(prompts.LOST_PLACE)


WRITER = """
import sys, itertools
from pathlib import Path
from skill.practice.state import Phase, State, to_dict
from skill.stores import open_store
store = open_store(sys.argv[1], Path(sys.argv[2]), sys.argv[3])
print("writing", flush=True)
for n in itertools.count():
    store.save(store.user_key(f"user-{n % 20}"), to_dict(State(Phase.PAUSED, "low_back_release", position=n % 40,
                                                              paused_at=float(n))))
"""


def _crash_writer(spec: str, tmp_path, kill: Callable[[subprocess.Popen], object]) -> int:
    """Run a process saving records as fast as it can, kill it mid-stream; returns how many rounds ran."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rounds = 0
    for delay in (0.05, 0.12, 0.2, 0.33, 0.5):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, spec, str(tmp_path), SECRET], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        time.sleep(delay)
        kill(writer)
        writer.wait(timeout=10)
        writer.stdout.close()
        rounds += 1
    return rounds


def _all_records_whole(store) -> int:
    for n in range(20):
        record = store.load(store.user_key(f"user-{n}"))
        if record is not None:
            state = from_dict(record)
            assert state.phase is Phase.PAUSED and 0 <= state.position < 40
            assert state.paused_at is not None and state.paused_at % 20 == n
    return n + 1


class TestCrashMidWrite:
    def test_sqlite_stays_consistent_when_the_writer_is_killed(self, tmp_path):
        path = tmp_path / "crash.sqlite3"
        spec = f"sqlite://{path}"
        rounds = _crash_writer(spec, tmp_path, lambda p: p.send_signal(signal.SIGKILL))
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT COUNT(*) FROM practice").fetchone()[0] == 20
        assert rounds == 5 and _all_records_whole(open_store(spec, tmp_path, SECRET)) == 20

    def test_redis_keeps_whole_records_when_writer_and_server_are_killed(self, redis_persisting, tmp_path):
        def kill_both(writer):
            redis_persisting.process.send_signal(signal.SIGKILL)  # the server dies mid-append
            writer.send_signal(signal.SIGKILL)
            redis_persisting.stop()  # reaps it
            redis_persisting.start()

        rounds = _crash_writer(redis_persisting.url, tmp_path, kill_both)
        store = open_store(redis_persisting.url, tmp_path, SECRET)
        assert rounds == 5 and _all_records_whole(store) == 20
        assert len(list(store._client.scan_iter("gentle-yoga:practice:*"))) == 20


def test_a_carried_place_that_cannot_be_read_is_ignored(speaker, store):
    """Session attributes that are not a readable place are not trusted: the store's place stands."""
    in_class(speaker)
    for junk in ("junk", [1, 2], {"v": 99}, {"v": 1, "ph": "flying"}, {"v": 1, "ph": "paused", "p": "gone"}):
        speaker.attributes = {CARRIED: junk, UNSAVED: True}
        reply = speaker.say("TimeLeftIntent")
        assert reply.status == 200 and "minutes left" in reply.text
        kept = stored(store)
        assert kept.practice == "low_back_release" and kept.phase is Phase.PRACTISING
        assert from_dict(reply.body["sessionAttributes"][CARRIED]) == kept
        assert UNSAVED not in reply.body["sessionAttributes"]


def test_only_the_skills_own_session_attributes_go_back(speaker):
    """Attributes a request brings that the skill did not set are not echoed into the answer."""
    in_class(speaker)
    speaker.attributes = {**speaker.attributes, "junk": "x" * 10_000}
    reply = speaker.say("WhatPoseIntent")
    assert reply.status == 200 and set(reply.body["sessionAttributes"]) == {CARRIED}
