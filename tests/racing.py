"""Two requests for one person released at the same moment, and a judge of what the store may hold afterwards.

Seen from outside the skill: each answer (which tells what state its request read, where the two states would be
answered differently), every save the store received, in the order it applied them (tests/savelog.py), and the
record left. The judge accepts a round only if a serial order explains all three:

- "A then B": B read A's save. The answers are A's on the state before and B's on A's result, the saves are those
  two results (each only if it changed what its request read), and the record is B's result.
- "B then A": the same the other way round.

It also names a third way, to tell it apart, and refuses it:
- "overlapped": both read the state before the race. The answers are both made from it, the saves are the two
  results in either order, and the record is whichever was saved last: last writer wins, so one request's change
  is lost. (Where only one of the two saved, this is also a serial order, and the round passes as that order.)

A save or record that does not decode, a record other than the last save, answers and saves that no order
explains, or that only "overlapped" explains, fail the round.
"""
from __future__ import annotations

import http.client
import json
import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from alexa import START, Reply
from reference import Answer, Request, decoded, difference, ended, said

from skill.errors import StateError
from skill.practice.engine import Outcome, handle
from skill.practice.model import Library
from skill.practice.segment import playing
from skill.practice.speech import Pace
from skill.practice.state import Phase, State

# (A, B): a pause, stop or session end, racing a request that sends a segment.
PAIRS = (("AMAZON.PauseIntent", "ContinueIntent"), ("AMAZON.PauseIntent", "AMAZON.NextIntent"),
         ("SessionEnded", "AMAZON.ResumeIntent"), ("AMAZON.StopIntent", "ContinueIntent"))
CLASSES = ("hip_release", "morning_wake_up")
JSON = {"Content-Type": "application/json"}

Post = Callable[[dict[str, Any]], Reply]


class Saves(Protocol):
    def since(self) -> list[dict[str, Any]]: ...


class NotSerialisable(AssertionError):
    """The record left is one no serial order of the two requests gives: one request's change was lost."""


@dataclass(frozen=True)
class Verdict:
    """Which orders explain what was seen, and whether the round passes."""

    orders: tuple[str, ...]
    ok: bool
    detail: str = ""
    lost_update: bool = False  # both saved a change made from the state before: the first save was overwritten
    serialisable: bool = True  # the record is one that some serial order of the two requests leaves


def _kept(read: State, outcome: Outcome) -> list[State]:
    """What the shell saves: the result, when it differs from the state it read."""
    return [outcome.state] if outcome.state != read else []


def judge(before: State, a: Request, b: Request, heard: tuple[Answer, Answer], saves: list[State], final: State,
          library: Library, pace: Pace) -> Verdict:
    """Whether the answers, the saves and the record after a and b raced from before fit one possible order."""
    def run(state: State, request: Request) -> Outcome:
        return handle(state, request.event, request.now, library, pace)

    first_a, first_b = run(before, a), run(before, b)
    a_then_b, b_then_a = run(first_a.state, b), run(first_b.state, a)
    both = _kept(before, first_a), _kept(before, first_b)
    orders = {
        "A then B": ((Answer.expected(first_a, a.kind), Answer.expected(a_then_b, b.kind)),
                     [both[0] + _kept(first_a.state, a_then_b)]),
        "B then A": ((Answer.expected(b_then_a, a.kind), Answer.expected(first_b, b.kind)),
                     [both[1] + _kept(first_b.state, b_then_a)]),
        "overlapped": ((Answer.expected(first_a, a.kind), Answer.expected(first_b, b.kind)),
                       [both[0] + both[1], both[1] + both[0]]),
    }
    by_answers = tuple(name for name, (answers, _) in orders.items() if answers == heard)
    fitting = tuple(name for name in by_answers if saves in orders[name][1])
    serialisable = final in (a_then_b.state, b_then_a.state)
    lost = fitting == ("overlapped",) and len(saves) == 2 and saves[0] != saves[1]
    if not by_answers:
        return Verdict((), False, f"the answers fit no order: A {heard[0].versus(orders['A then B'][0][0])}; "
                                  f"B {heard[1].versus(orders['B then A'][0][1])}", serialisable=serialisable)
    if not fitting:
        return Verdict(by_answers, False, f"{len(saves)} saves fit none of {', '.join(by_answers)}: "
                                          + "; ".join(difference(s, before) for s in saves), serialisable=serialisable)
    if not set(fitting) - {"overlapped"}:
        return Verdict(fitting, False, "only overlapping explains it: both answered from the state before, and the "
                                       "later save overwrote the earlier (last writer wins)", lost, serialisable)
    last = saves[-1] if saves else before
    if final != last:
        return Verdict(fitting, False, f"the record is not the last save: {difference(final, last)}", lost,
                       serialisable)
    return Verdict(fitting, True, "", lost, serialisable)


@dataclass
class Tally:
    rounds: int = 0
    orders: Counter = field(default_factory=Counter)
    lost_updates: int = 0
    not_serialisable: int = 0
    failures: list[str] = field(default_factory=list)
    other_process: int = 0  # rounds whose two requests were answered by two different processes

    def summary(self) -> str:
        seen = ", ".join(f"{name} {count}" for name, count in sorted(self.orders.items()))
        return (f"{self.rounds} races ({seen}); one change overwritten by the other (last writer wins): "
                f"{self.lost_updates}, leaving a record no serial order gives: {self.not_serialisable}"
                + (f"; answered by two processes: {self.other_process}" if self.other_process else ""))


class Racer:
    """Races pairs of requests for one person, from two devices (post_a, post_b), on a store it can read."""

    def __init__(self, post_a: Post, post_b: Post, read: Callable[[], dict[str, Any] | None], saves: Saves,
                 library: Library, pace: Pace, user: str, seed: int = 6) -> None:
        self.post_a, self.post_b, self.read, self.saves = post_a, post_b, read, saves
        self.library, self.pace, self.user = library, pace, user
        self.rng = random.Random(seed)
        self.now = int(START)
        self.sessions = 0
        self.tally = Tally()
        self.barrier = threading.Barrier(2)
        self.pool = ThreadPoolExecutor(2, thread_name_prefix="race")

    def close(self) -> None:
        self.pool.shutdown()

    def stored(self) -> State:
        return decoded(self.read(), self.pace.mode)

    def _session(self) -> dict[str, Any]:
        self.sessions += 1
        return {"user": self.user, "new": True, "session": f"race-{self.sessions}"}

    def request(self, name: str, at: int, slots: dict[str, Any] | None = None) -> Request:
        if name == "SessionEnded":
            return ended(at, "USER_INITIATED", **self._session())
        return said(name, at, slots, **self._session())

    def serial(self, name: str, slots: dict[str, Any] | None = None) -> None:
        reply = self.post_a(self.request(name, self.now, slots).body)
        assert reply.status == 200, reply
        self.now += 3

    def practising(self) -> State:
        """Bring the person to a segment that has just been sent, and return the state the store holds."""
        state = self.stored()
        if state.phase in (Phase.IDLE, Phase.FINISHED):
            practice = self.rng.choice(CLASSES)
            self.serial("StartClassIntent", {"practice": (practice.replace("_", " "), practice)})
        self.serial("ContinueIntent")
        state = self.stored()
        if state.phase is Phase.FINISHED:  # that was the last segment; start the class again
            return self.practising()
        assert state.phase is Phase.PRACTISING and state.segment, state
        return state

    def race(self, pair: tuple[str, str], ready: Callable[[], None] | None = None) -> Verdict:
        """One round: both requests at one moment mid-segment, then the record judged; ready() is called once the
        person is in place, just before the two requests go."""
        before = self.practising()
        self.saves.since()  # the setup's saves
        if ready is not None:
            ready()
        assert before.sent_at is not None, "a segment is playing"
        at = int(before.sent_at) + self.rng.randint(1, int(before.marks[-1]) - 1)  # a second or more in
        assert playing(before.segment, before.marks, at - before.sent_at) is not None
        a, b = self.request(pair[0], at), self.request(pair[1], at)
        gate = self.barrier

        def go(post: Post, body: dict[str, Any]) -> Reply:
            gate.wait(timeout=30)
            return post(body)

        futures = [self.pool.submit(go, self.post_a, a.body), self.pool.submit(go, self.post_b, b.body)]
        reply_a, reply_b = (future.result(timeout=60) for future in futures)
        self.now = at + 3
        self.tally.rounds += 1
        for name, reply in (("A", reply_a), ("B", reply_b)):
            answer = Answer.of(reply)
            if reply.status != 200 or answer.problems():
                return self._fail(Verdict((), False, f"{name}: HTTP {reply.status}, {answer.problems()}"), pair)
        try:
            saves = [decoded(record, self.pace.mode) for record in self.saves.since()]
            final = self.stored()
        except StateError as error:
            return self._fail(Verdict((), False, f"a save or the record does not decode: {error}"), pair)
        verdict = judge(before, a, b, (Answer.of(reply_a), Answer.of(reply_b)), saves, final, self.library,
                        self.pace)
        self.tally.orders[" or ".join(verdict.orders) or "none"] += 1
        self.tally.lost_updates += verdict.lost_update
        self.tally.not_serialisable += not verdict.serialisable
        return verdict if verdict.ok else self._fail(verdict, pair)

    def _fail(self, verdict: Verdict, pair: tuple[str, str]) -> Verdict:
        self.tally.failures.append(f"round {self.tally.rounds} ({pair[0]} racing {pair[1]}): {verdict.detail}")
        return verdict


class Device:
    """One device's keep-alive HTTP connection to gunicorn, and the worker process that holds it."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.conn: http.client.HTTPConnection | None = None
        self.held: tuple[int, int | None] = (0, None)  # (local port, worker): a connection never changes process

    def connect(self) -> int | None:
        """A fresh connection, with one request made on it so a worker has accepted it; that worker's id."""
        self.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        self.conn.request("GET", "/healthz")
        self.conn.getresponse().read()
        return self.worker()

    def worker(self) -> int | None:
        """The worker holding this connection now (http.client reopens a closed one, perhaps to another worker)."""
        if self.conn is None or self.conn.sock is None:
            return None
        port = self.conn.sock.getsockname()[1]
        if self.held[0] != port or self.held[1] is None:
            self.held = port, self.server.worker_serving(port)
        return self.held[1]

    def post(self, body: dict[str, Any]) -> Reply:
        assert self.conn is not None, "connect first"
        self.conn.request("POST", "/alexa", body=json.dumps(body).encode(), headers=JSON)
        answer = self.conn.getresponse()
        raw = answer.read()
        return Reply(answer.status, json.loads(raw) if raw else {})

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def pin_apart(a: Device, b: Device, attempts: int = 200) -> tuple[int, int]:
    """Keep a's connection, and reconnect b until a different worker process holds it."""
    worker_a = a.worker() or a.connect()
    for _ in range(attempts):
        worker_b = b.worker()
        if worker_a is not None and worker_b is not None and worker_b != worker_a:
            return worker_a, worker_b
        b.connect()
    raise AssertionError(f"no second worker took a connection in {attempts} tries")
