"""Load with correctness: many people practise whole classes at once against gunicorn, and nobody loses their place.

Run with `make load` or `python benchmarks/load.py --users 200 --store both`. Each person practises a whole class in
flow mode, pausing and resuming at random, against gunicorn on loopback (verification off, so each person's
request times follow a clock of their own). Every answer is checked against the practice engine run beside it, and
afterwards every stored record against the engine's state. It prints requests, errors, p50/p99 latency and
positions lost per store, and exits non-zero if anything was wrong.
"""
from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from loadrun import STORES, run_load, table  # noqa: E402


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Play many people through whole classes against gunicorn and check nobody loses their place.")
    parser.add_argument("--users", type=int, default=200, help="people practising at once (default 200)")
    parser.add_argument("--store", choices=(*STORES, "both"), default="both",
                        help="sqlite, redis (a redis-server started for the run) or both (default)")
    parser.add_argument("--seed", type=int, default=1, help="seed for what each person does (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="stop each store's run after this long and report what was done (default 300)")
    args = parser.parse_args(argv)
    if args.users < 1:
        parser.error("--users must be at least 1")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.max_seconds <= 0:
        parser.error("--max-seconds must be more than 0")

    stores = STORES if args.store == "both" else (args.store,)
    runs = {}
    with tempfile.TemporaryDirectory(prefix="gentle-yoga-load-") as folder:
        for store in stores:
            began = time.monotonic()
            runs[store] = run_load(store, args.users, args.seed, args.workers, args.max_seconds, Path(folder),
                                   progress)
            progress(f"{store}: done in {time.monotonic() - began:.1f} s, records checked")
    print(f"Python {platform.python_version()}, gunicorn gthread, {args.workers} workers, loopback, "
          f"{args.users} people each practising a whole class, seed {args.seed}")
    print(table(runs))
    capped = [store for store, run in runs.items() if run.capped]
    # Without the cap, everyone must have heard their class's closing words.
    failed = [store for store, run in runs.items()
              if not run.ok or (not run.capped and run.finished < len(run.tallies))]
    if capped:
        print(f"Stopped at the {args.max_seconds:g} s cap on {', '.join(capped)}: the classes not finished were "
              "checked up to where they got")
    if failed:
        print(f"FAILED on {', '.join(failed)}: see the errors, wrong answers, lost positions and unfinished classes "
              "above")
        return 1
    print("OK: every answer matched the engine and every stored place was right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
