"""Store latency: saving and loading one person's practice record in SQLite (a real file) and Redis (a real
server), beside the raw client doing the same by itself: a sqlite3 upsert, a redis-py SET.

Run with `python benchmarks/stores.py --calls 2000`. The record is a real one (a person mid-class, after "make it
shorter"), and every call is for one of many people, so the stores work as they do on a server. Our rows include
what the raw rows leave out: the JSON text, the idle-record check, and turning failures into StoreUnavailable.
Where the store has it, save_if is timed too: the compare-and-set save each request makes.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import common
import redis
from request import AT, CLASS, LIBRARY, PACE
from servers import RedisServer

from skill.practice import events as ev
from skill.practice.engine import handle
from skill.practice.state import State, to_dict
from skill.stores.redis import PREFIX, RedisStore
from skill.stores.sqlite import BUSY_MS, SCHEMA, UPSERT, SQLiteStore

PEOPLE = 500
SECRET = b"store benchmark secret"


def record() -> dict:
    """A person mid-class after "make it shorter": the largest kind of record the skill keeps."""
    state = State()
    for event, ago in ((ev.Start(practice=CLASS), 1000.0), (ev.Resume(), 900.0), (ev.Shorter(), 850.0),
                       (ev.Pause(), 800.0)):
        state = handle(state, event, AT - ago, LIBRARY, PACE).state
    return to_dict(state)


def raw_sqlite(path: Path) -> sqlite3.Connection:
    """A connection set up as the store sets up its own: WAL, synchronous NORMAL, the same table."""
    conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for statement in SCHEMA:
        conn.execute(statement)
    return conn


Rows = dict[str, tuple[Callable[[int], object], str | None]]  # name: (call, the raw row it is compared with)


def measure(rows: Rows, calls: int) -> dict[str, list[float]]:
    """Microseconds per call of each row, interleaved call by call; call n is for person n % PEOPLE."""
    samples: dict[str, list[float]] = {name: [] for name in rows}
    for n in range(min(calls, 200)):  # warm up: connections open, pages cached
        for call, _ in rows.values():
            call(n)
    for n in range(calls):
        for name, (call, _) in rows.items():
            samples[name].append(common.timed(lambda c=call, i=n: c(i % PEOPLE)))  # type: ignore[misc]
    return samples


Table = tuple[str, Rows, dict[str, list[float]]]


def sqlite_table(folder: Path, calls: int, kept: dict, text: str) -> Table:
    """Our SQLite store beside raw sqlite3, on real files in folder."""
    common.progress(f"stores: SQLite, {calls} calls a row")
    store = SQLiteStore(folder / "store.sqlite3", SECRET)
    conn = raw_sqlite(folder / "raw.sqlite3")
    keys = [store.user_key(f"amzn1.ask.account.STOREBENCH{n:06d}") for n in range(PEOPLE)]
    for key in keys:  # everyone has a record, so loads find one
        store.save(key, kept)
        conn.execute(UPSERT, (key, text, AT))
    tokens = [store.load_versioned(key)[1] for key in keys]
    rows: Rows = {
        "SQLite save (ours)": (lambda n: store.save(keys[n], kept), "  raw sqlite3 upsert"),
        "  raw sqlite3 upsert": (lambda n: conn.execute(UPSERT, (keys[n], text, AT)), None),
        "SQLite load (ours)": (lambda n: store.load(keys[n]), "  raw sqlite3 select"),
        "  raw sqlite3 select": (lambda n: conn.execute("SELECT record, updated FROM practice WHERE user = ?",
                                                        (keys[n],)).fetchone(), None),
        # what a request does: save only if the record is still the one read
        "SQLite save_if, as a request saves (ours)": (lambda n: store.save_if(keys[n], kept, tokens[n]),
                                                      "  raw sqlite3 upsert"),
    }
    try:
        return "SQLite, a real file in WAL mode", rows, measure(rows, calls)
    finally:
        store.close()
        conn.close()


def redis_table(folder: Path, calls: int, kept: dict, text: str) -> Table:
    """Our Redis store beside raw redis-py, on a redis-server of its own on loopback."""
    common.progress(f"stores: Redis (a redis-server on loopback), {calls} calls a row")
    server = RedisServer(folder / "redis").start()
    try:
        store = RedisStore(server.url, SECRET)
        client = redis.Redis.from_url(server.url)
        keys = [store.user_key(f"amzn1.ask.account.STOREBENCH{n:06d}") for n in range(PEOPLE)]
        for key in keys:
            store.save(key, kept)
            client.set("raw:" + key, text, ex=store.keep_seconds)
        tokens = [store.load_versioned(key)[1] for key in keys]
        rows: Rows = {
            "Redis save (ours)": (lambda n: store.save(keys[n], kept), "  raw redis-py SET EX"),
            "  raw redis-py SET EX": (lambda n: client.set("raw:" + keys[n], text, ex=store.keep_seconds), None),
            "Redis load (ours)": (lambda n: store.load(keys[n]), "  raw redis-py GET"),
            "  raw redis-py GET": (lambda n: client.get("raw:" + keys[n]), None),
            "Redis save_if, as a request saves (ours)": (lambda n: store.save_if(keys[n], kept, tokens[n]),
                                                         "  raw redis-py SET EX"),
        }
        table = ("Redis, a redis-server on loopback", rows, measure(rows, calls))
        assert client.get(PREFIX + keys[0]) is not None, "our store keeps records under its prefix"
        store.close()
        client.close()
        return table
    finally:
        server.stop()


def print_table(title: str, rows: Rows, samples: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    out = []
    for name, (_, raw) in rows.items():
        med, p99 = common.median(samples[name]), common.percentile(samples[name], 0.99)
        if raw is None:
            out.append([name, f"{med:.0f}", f"{p99:.0f}", "", ""])
            continue
        raw_med, raw_p99 = common.median(samples[raw]), common.percentile(samples[raw], 0.99)
        out.append([name, f"{med:.0f}", f"{p99:.0f}", common.ratio(med, raw_med), common.ratio(p99, raw_p99)])
    print(common.table(["operation", "median", "p99", "×raw median", "×raw p99"], out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time saving and loading a practice record in SQLite and Redis, beside raw sqlite3 and redis-py.")
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per row (default 2000)")
    parser.add_argument("--store", choices=("sqlite", "redis", "both"), default="both",
                        help="which stores to measure (default both)")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    if args.store != "sqlite" and shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed; run .ci/system-deps redis-server")
    kept = record()
    text = json.dumps(kept, separators=(",", ":"))
    tables: list[Table] = []
    with tempfile.TemporaryDirectory(prefix="gentle-yoga-stores-") as name:
        if args.store in ("sqlite", "both"):
            tables.append(sqlite_table(Path(name), args.calls, kept, text))
        if args.store in ("redis", "both"):
            tables.append(redis_table(Path(name), args.calls, kept, text))
    print(f"Store latency ({common.machine()}); {args.calls} calls a row, interleaved, {PEOPLE} people, "
          f"a {len(text)}-byte record; µs")
    for table in tables:
        print_table(*table)
    return 0

if __name__ == "__main__":
    sys.exit(main())
