"""Two requests for one person at once (a pause racing a segment) never lose or corrupt the record.

Each round brings one person to a segment that is playing, then releases two requests from two devices at the
same moment (a threading.Barrier): a pause, stop or session end against a continue, resume or next. The answers,
every save the store applied (a trigger in the SQLite file, MONITOR on Redis) and the record left must fit one
order of the two (tests/racing.py says exactly what each order allows). It runs through one Flask app on threads,
and through gunicorn with the two requests of every round answered by two worker processes over real HTTP, each on
a real SQLite file and a real redis-server; then with both reads forced to come before either save, so the overlap
is tested every time rather than when chance allows. Run with -s to see how many races ran and how they fell out.

A save goes through only if the record is still the one its request read; the other request, finding it changed,
reads again and answers from what is there. So even when two requests overlap, no change is lost: the judge
accepts only what one serial order of the two gives, and the last test forces the overlap that used to lose one.
"""
from __future__ import annotations

import dataclasses
import secrets
import threading
from pathlib import Path
from typing import Any

import pytest
from alexa import SKILL_ID, USER, Reply
from gunicorn_server import Gunicorn, server_env
from racing import PAIRS, Device, NotSerialisable, Racer, judge, pin_apart
from reference import Answer, said
from savelog import RedisSaves, SQLiteSaves

from skill.config import Settings
from skill.practice.engine import handle
from skill.practice.state import State
from skill.stores import open_store
from skill.web.app import create_app

pytestmark = [pytest.mark.gunicorn, pytest.mark.redis]

THREAD_ROUNDS = 200  # per store
WORKER_ROUNDS = 120  # per store
FORCED_ROUNDS = 12  # per pair and store
STORES = ("sqlite", "redis")
PAUSE = "AMAZON.PauseIntent"


def store_spec(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A real SQLite file, or the shared redis-server emptied for this test."""
    return f"sqlite:///{tmp_path / 'races.sqlite3'}" if kind == "sqlite" else request.getfixturevalue("redis_url")


def save_log(spec: str, store):
    """Every save of the test person's record, in the order the store applied them (tests/savelog.py)."""
    key = store.user_key(USER)
    if spec.startswith("sqlite:"):
        return SQLiteSaves(Path(spec.removeprefix("sqlite://")), key)
    return RedisSaves(spec, store.key(key))


ANSWERING = threading.local()  # the request this thread is answering: the in-process app runs in the poster's thread


def request_name(body: dict[str, Any]) -> str:
    """The intent's name, or SessionEnded: how PAIRS name requests."""
    request = body["request"]
    return request["intent"]["name"] if request["type"] == "IntentRequest" else "SessionEnded"


class Rendezvous:
    """The real store, with a meeting point for the next two requests: both finish their first read before either
    tries to save, and the one named `last` tries only after the other has saved. Only the order is forced; every
    read and every write goes to the real store, so the race these tests leave to chance happens every time. Reads
    and saves after those (a request answering again from a fresh read) go straight through."""

    def __init__(self, store) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.readers = self.savers = 0
        self.met = 0  # rounds in which both requests had read before either saved
        self.last: str | None = None
        self.read_together = threading.Barrier(2, timeout=10)
        self.other_saved = threading.Event()

    def arm(self, last: str) -> None:
        """Make the next two requests meet: both read, then the one named last saves after the other."""
        with self.lock:
            self.readers = self.savers = 2
            self.last = last
            self.read_together.reset()
            self.other_saved.clear()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)  # user_key, save, delete, load: the real store's own

    def load_versioned(self, key: str):
        found = self.store.load_versioned(key)
        with self.lock:
            meet = self.readers > 0
            self.readers -= meet
        if meet and self.read_together.wait() == 0:
            with self.lock:
                self.met += 1
        return found

    def save_if(self, key: str, record: dict[str, Any], token: str | None) -> bool:
        with self.lock:
            ordered = self.savers > 0
            self.savers -= ordered
        last = ordered and ANSWERING.name == self.last
        if last:
            assert self.other_saved.wait(timeout=10), "the other request never saved"
        try:
            return self.store.save_if(key, record, token)
        finally:
            if ordered and not last:
                self.other_saved.set()


def in_process_racer(kind: str, settings, library, tmp_path: Path, request, adapter=None):
    """A racer through one app on two threads, on a real store (wrapped by adapter, if given); the app's store;
    and what to close afterwards."""
    secret = secrets.token_hex(32)
    spec = store_spec(kind, tmp_path, request)
    store = open_store(spec, tmp_path / "data", secret)
    saves = save_log(spec, store)
    app = create_app(settings, library=library, store=adapter(store) if adapter else store)

    def poster(client):
        def post(body):
            ANSWERING.name = request_name(body)
            answer = client.post("/alexa", json=body)
            return Reply(answer.status_code, answer.get_json(silent=True) or {})
        return post

    racer = Racer(poster(app.test_client()), poster(app.test_client()), lambda: store.load(store.user_key(USER)),
                  saves, library, settings.pace, USER)
    return racer, app.extensions["gentle_yoga.store"], [racer.close, saves.close, store.close]


def report(where: str, racer: Racer, record_property) -> None:
    record_property(f"races {where}", racer.tally.summary())
    print(f"\n{where}: {racer.tally.summary()}")


@pytest.mark.parametrize("kind", STORES)
def test_racing_threads_in_one_app_never_lose_or_corrupt_the_record(kind, settings, library, tmp_path, request,
                                                                   record_property):
    """Through one app on two threads, every round leaves a record that decodes and that the answers explain."""
    racer, _, closers = in_process_racer(kind, settings, library, tmp_path, request)
    try:
        for number in range(THREAD_ROUNDS):
            racer.race(PAIRS[number % len(PAIRS)])
    finally:
        for close in closers:
            close()
    report(f"{kind}, threads in one process", racer, record_property)
    assert racer.tally.failures == []
    assert racer.tally.rounds == THREAD_ROUNDS


@pytest.mark.parametrize("kind", STORES)
def test_racing_gunicorn_workers_never_lose_or_corrupt_the_record(kind, library, tmp_path, request, record_property):
    """Through gunicorn, with the two requests of every round answered by two worker processes, every round leaves
    a record that decodes and that the answers explain."""
    secret = secrets.token_hex(32)
    spec = store_spec(kind, tmp_path, request)
    env = server_env(spec, tmp_path / "data", secret, SKILL_ID, workers=2)
    store = open_store(spec, tmp_path / "data", secret)
    saves = save_log(spec, store)
    try:
        with Gunicorn(env, tmp_path / "gunicorn") as server:
            a, b = Device(server), Device(server)
            racer = Racer(a.post, b.post, lambda: store.load(store.user_key(USER)), saves, library,
                          Settings.from_env(env).pace, USER)
            try:
                for number in range(WORKER_ROUNDS):
                    pin_apart(a, b)
                    racer.race(PAIRS[number % len(PAIRS)])
                    workers = a.worker(), b.worker()
                    racer.tally.other_process += None not in workers and workers[0] != workers[1]
            finally:
                racer.close()
                a.close()
                b.close()
            log = server.log_text()
    finally:
        saves.close()
        store.close()
    report(f"{kind}, two gunicorn workers", racer, record_property)
    assert racer.tally.failures == []
    assert racer.tally.rounds == WORKER_ROUNDS
    assert racer.tally.other_process == WORKER_ROUNDS
    assert "Traceback" not in log and "error answering a request" not in log


@pytest.mark.parametrize("kind", STORES)
def test_overlapping_requests_leave_one_whole_result(kind, settings, library, tmp_path, request, record_property):
    """When both requests read before either saves (forced, in both save orders), the one that tries to save second
    finds the record changed, reads again and answers from the other's result: answers, saves and record fit one
    serial order, never a mix, never the state before the race, never one change overwritten by the other."""
    racer, meeting, closers = in_process_racer(kind, settings, library, tmp_path, request, Rendezvous)
    try:
        for pair in PAIRS:
            for number in range(FORCED_ROUNDS):
                verdict = racer.race(pair, ready=lambda: meeting.arm(last=pair[number % 2]))  # noqa: B023
                assert verdict.ok, racer.tally.failures
    finally:
        for close in closers:
            close()
    report(f"{kind}, reads forced to overlap", racer, record_property)
    assert racer.tally.lost_updates == racer.tally.not_serialisable == 0
    assert racer.tally.rounds == meeting.met == len(PAIRS) * FORCED_ROUNDS  # every round, both read first


@pytest.mark.parametrize("kind", STORES)
def test_a_pause_overlapping_a_next_keeps_a_place_some_serial_order_gives(kind, settings, library, tmp_path,
                                                                        request):
    """'Pause' on one device and 'next' on another at the same moment leave the person where one order or the
    other would: paused at the next pose, or playing it; not paused at the pose the other device skipped."""
    racer, meeting, closers = in_process_racer(kind, settings, library, tmp_path, request, Rendezvous)
    try:
        # Both read the state before; next saves first, then pause tries to save over it, and must read again.
        verdict = racer.race(("AMAZON.PauseIntent", "AMAZON.NextIntent"), ready=lambda: meeting.arm(last=PAUSE))
    finally:
        for close in closers:
            close()
    assert verdict.ok, racer.tally.failures
    assert meeting.met == 1
    if not verdict.serialisable:
        raise NotSerialisable(f"the record is paused at the pose the next skipped ({verdict.orders})")


class TestTheJudge:
    """The judge of a round accepts what an order explains and nothing else (so the races above can fail)."""

    @pytest.fixture
    def round_(self, library, pace):
        """Pause (A) and next (B) a minute into a segment of Hip Release, and what each order would give."""
        before = handle(State(), said("StartClassIntent", 0, {"practice": ("hip release", "hip_release")}).event,
                        0, library, pace).state
        before = handle(before, said("ContinueIntent", 10).event, 10, library, pace).state
        a, b = said(PAUSE, 70), said("AMAZON.NextIntent", 70)

        def run(state, request):
            return handle(state, request.event, request.now, library, pace)

        first_a, first_b = run(before, a), run(before, b)
        return before, a, b, first_a, first_b, run(first_a.state, b), run(first_b.state, a)

    def verdict(self, round_, library, pace, answers, saves, final):
        before, a, b, *_ = round_
        heard = tuple(Answer.expected(outcome, request.kind) for outcome, request in zip(answers, (a, b),
                                                                                        strict=True))
        return judge(before, a, b, heard, saves, final, library, pace)

    def test_a_serial_order_is_accepted(self, round_, library, pace):
        """A then B: B's answer made from A's result, both saved in turn, the record is B's result."""
        _, _, _, first_a, _, a_then_b, _ = round_
        verdict = self.verdict(round_, library, pace, (first_a, a_then_b), [first_a.state, a_then_b.state],
                               a_then_b.state)
        assert verdict.ok and "A then B" in verdict.orders and verdict.serialisable

    def test_last_writer_wins_is_refused_and_counted_as_a_lost_update(self, round_, library, pace):
        """Both made from the state before, B saved first, A last: the record is A's, B's change is lost: refused."""
        _, _, _, first_a, first_b, _, _ = round_
        verdict = self.verdict(round_, library, pace, (first_a, first_b), [first_b.state, first_a.state],
                               first_a.state)
        assert not verdict.ok and verdict.orders == ("overlapped",)
        assert verdict.lost_update and not verdict.serialisable

    @pytest.mark.parametrize("wrong", ["record is the state before", "record mixes the two", "record is not the last",
                                       "a save nobody made", "answer from nowhere"])
    def test_anything_no_order_explains_is_refused(self, round_, library, pace, wrong):
        """A record that is not the last save, a save no request could make, or an answer no state gives fail."""
        before, _, _, first_a, first_b, a_then_b, _ = round_
        answers, saves, final = (first_a, first_b), [first_b.state, first_a.state], first_a.state
        if wrong == "record is the state before":
            final = before
        elif wrong == "record mixes the two":
            final = dataclasses.replace(first_a.state, sent_at=first_b.state.sent_at, segment=first_b.state.segment)
        elif wrong == "record is not the last":
            final = first_b.state
        elif wrong == "a save nobody made":
            saves = [first_b.state, dataclasses.replace(first_a.state, position=first_a.state.position + 1)]
            final = saves[-1]
        else:
            answers = (dataclasses.replace(first_a, speech=a_then_b.speech), first_b)
        assert not self.verdict(round_, library, pace, answers, saves, final).ok
