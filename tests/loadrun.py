"""One load run end to end: a store, gunicorn on it, many people practising, then every stored record checked.

Shared by `benchmarks/load.py` (200 people) and `tests/test_load.py` (a few dozen), so the test runs the same code.
"""
from __future__ import annotations

import math
import re
import secrets
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alexa import SKILL_ID
from gunicorn_server import Gunicorn, server_env
from loadclient import Person, Tally
from reference import decoded, difference, position_lost
from servers import RedisServer

from skill.classes import load_library
from skill.config import Settings
from skill.errors import StateError
from skill.practice.model import Library
from skill.practice.speech import Pace
from skill.practice.state import State
from skill.stores import open_store


@dataclass
class Run:
    """Everything a load run measured, and what the final check of the stored records found."""

    tallies: list[Tally]
    wall: float
    capped: bool
    lost: list[str] = field(default_factory=list)  # stored phase, class or step differs from the engine's
    differ: list[str] = field(default_factory=list)  # the same place, but another field differs
    server_failures: list[str] = field(default_factory=list)  # tracebacks and errors in the server's log
    checked: int = 0
    baseline: Run | None = None  # a few people one at a time on the same server: latency with no crowd

    @property
    def requests(self) -> int:
        return sum(t.requests for t in self.tallies)

    @property
    def errors(self) -> list[str]:
        return [e for t in self.tallies for e in t.errors]

    @property
    def wrong(self) -> list[str]:
        return [w for t in self.tallies for w in t.wrong]

    @property
    def finished(self) -> int:
        return sum(t.finished for t in self.tallies)

    @property
    def seen(self) -> Counter:
        return sum((t.seen for t in self.tallies), Counter())

    def percentile(self, share: float) -> float:
        """The latency below which this share of requests came back, in milliseconds."""
        samples = sorted(x for t in self.tallies for x in t.latencies)
        if not samples:
            return math.nan
        if share == 0.5:
            return statistics.median(samples) * 1000
        return samples[min(len(samples) - 1, math.ceil(len(samples) * share) - 1)] * 1000

    @property
    def ok(self) -> bool:
        mine = not (self.errors or self.wrong or self.lost or self.differ or self.server_failures)
        return mine and (self.baseline is None or self.baseline.ok)


def practise_all(port: int, users: int, seed: int, library: Library, pace: Pace, max_seconds: float,
                 user_prefix: str, progress: Callable[[str], None] | None = None) -> Run:
    """Every person practises at once, one thread each; returns when all are done or the time cap is reached."""
    began = shown = time.monotonic()
    deadline = began + max_seconds
    people = [Person(n, seed, port, library, pace, deadline, user_prefix) for n in range(users)]
    threads = [threading.Thread(target=person.practise, name=person.user, daemon=True) for person in people]
    for thread in threads:
        thread.start()
    while alive := [thread for thread in threads if thread.is_alive()]:
        alive[0].join(timeout=1.0)
        if progress and time.monotonic() - shown >= 1.0:
            shown = time.monotonic()
            tallies = [p.tally for p in people]
            progress(f"{shown - began:5.1f} s  {sum(t.requests for t in tallies):6d} requests  "
                     f"{sum(t.finished for t in tallies):4d}/{users} classes finished  "
                     f"{sum(len(t.errors) + len(t.wrong) for t in tallies)} failures")
        if time.monotonic() > deadline + 35:  # a request in flight has at most its 30 s socket timeout
            break
    wall = time.monotonic() - began
    return Run([p.tally for p in people], wall, capped=time.monotonic() > deadline)


def one_at_a_time(port: int, people: int, seed: int, library: Library, pace: Pace, user_prefix: str) -> Run:
    """A few people practising one after another: the latency of the same requests with no crowd."""
    began = time.monotonic()
    tallies = [Person(n, seed, port, library, pace, math.inf, user_prefix).practise() for n in range(people)]
    return Run(tallies, time.monotonic() - began, capped=False)


def check_records(run: Run, store: Any, mode: str) -> Run:
    """Compare each person's stored record with the engine's state after their last answered request."""
    for tally in run.tallies:
        if not tally.checked:
            continue  # the last request failed: whether the server kept it cannot be known
        expected = tally.state if tally.state is not None else State(mode=mode)
        run.checked += 1
        try:
            stored = decoded(store.load(store.user_key(tally.user)), mode)
        except StateError as error:
            run.lost.append(f"{tally.user}: the stored record cannot be read: {error}")
            continue
        if position_lost(stored, expected):
            run.lost.append(f"{tally.user}: {difference(stored, expected)}")
        elif stored != expected:
            run.differ.append(f"{tally.user}: {difference(stored, expected)}")
    return run


STORES = ("sqlite", "redis")
BASELINE_PEOPLE = 8
# What in the server's log means a request went wrong: the skill's own error log, or any traceback.
SERVER_FAILURE = re.compile(r"Traceback|error answering a request|Worker .* (?:timeout|was sent)", re.IGNORECASE)
EXERCISED = ("mid-segment Pause", "mid-segment SessionEnded", "between segments SessionEnded", "mid-segment Stop",
             "resumed in a new session", "resumed a day later", "finished")


def run_load(store: str, users: int, seed: int, workers: int, max_seconds: float, folder: Path,
             progress: Callable[[str], None] | None = None) -> Run:
    """Practise with users people against gunicorn on this store ("sqlite" or "redis"), and check every record."""
    if store not in STORES:
        raise ValueError(f"store should be one of {STORES}, not {store!r}")
    secret = secrets.token_hex(32)
    data_dir = folder / store / "data"
    with ExitStack() as stack:
        if store == "redis":
            redis = RedisServer(folder / store / "redis").start()
            stack.callback(redis.stop)
            spec = redis.url
        else:
            spec = "sqlite"
        env = server_env(spec, data_dir, secret, SKILL_ID, workers)
        settings = Settings.from_env(env)
        library = load_library(settings.sequences)
        server = Gunicorn(env, folder / store)
        prefix = f"amzn1.ask.account.LOADTEST{store.upper()}{seed}"
        with server:
            if progress:
                progress(f"{store}: gunicorn with {workers} workers on {server.url}; {BASELINE_PEOPLE} people one at "
                         f"a time, then {users} at once")
            baseline = one_at_a_time(server.port, BASELINE_PEOPLE, seed + 1, library, settings.pace, prefix + "B")
            run = practise_all(server.port, users, seed, library, settings.pace, max_seconds, prefix + "X", progress)
        run.baseline = baseline
        run.server_failures = [line for line in server.log_text().splitlines() if SERVER_FAILURE.search(line)]
        kept = open_store(spec, data_dir, secret)
        try:
            check_records(run, kept, settings.pace.mode)
            check_records(baseline, kept, settings.pace.mode)
        finally:
            kept.close()
    return run


HEADER = ("store", "users", "finished", "requests", "errors", "wrong", "p50 ms", "p99 ms", "wall s", "req/s",
          "lost")


def row(store: str, run: Run) -> tuple[str, ...]:
    return (store, str(len(run.tallies)), str(run.finished), str(run.requests), str(len(run.errors)),
            str(len(run.wrong)), f"{run.percentile(0.5):.1f}", f"{run.percentile(0.99):.1f}", f"{run.wall:.1f}",
            f"{run.requests / run.wall:.0f}" if run.wall else "-", str(len(run.lost)))


def table(runs: dict[str, Run]) -> str:
    """The figures of each run as an aligned table, then what each run exercised and any failures found."""
    rows: list[tuple[str, ...]] = [HEADER]
    for store, run in runs.items():
        rows.append(row(store, run))
        if run.baseline is not None:
            rows.append(row(f"{store}, one at a time", run.baseline))
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(r, widths, strict=True)) for r in rows]
    named = {}
    for store, run in runs.items():
        named[store] = run
        if run.baseline is not None:
            named[f"{store}, one at a time"] = run.baseline
    for store, run in named.items():
        seen = run.seen
        lines.append(f"{store}: records checked {run.checked}, identical to the engine's "
                     f"{run.checked - len(run.lost) - len(run.differ)}; "
                     + ", ".join(f"{name} {seen[name]}" for name in EXERCISED)
                     + f"; reconnects {sum(t.reconnects for t in run.tallies)}"
                     + ("; STOPPED AT THE TIME CAP" if run.capped else ""))
        for title, found in (("errors", run.errors), ("wrong answers", run.wrong), ("positions lost", run.lost),
                             ("records that differ", run.differ), ("server log failures", run.server_failures)):
            for message in found[:5]:
                lines.append(f"  {store} {title}: {message}")
            if len(found) > 5:
                lines.append(f"  … and {len(found) - 5} more {title}")
    return "\n".join(lines)
