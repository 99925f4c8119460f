"""Where the time of one request goes: pyinstrument over the in-process requests of benchmarks/request.py.

Run with `make profile` or `python benchmarks/profile_requests.py --calls 2000 --case shorter`. Each row of the
request benchmark (the same bodies, the same state put back before each call) is answered many times by our skill
under the sampling profiler, and the call tree is printed, our frames first. (Not named profile.py: that would
hide the standard library's profile module from everything run from this folder.)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import common
import request
from pyinstrument import Profiler

from skill.stores.base import Store
from skill.stores.memory import MemoryStore
from skill.stores.sqlite import SQLiteStore


def profile(case: request.Case, store: Store, calls: int, interval: float) -> Profiler:
    """The profiler after calls answers of case; the state is put back before each, as in the benchmark."""
    answer = request.our_skill(request.LIBRARY, store, request.PACE)
    reset = request.resetter(store, store.user_key(request.USER), case)
    for _ in range(min(50, calls)):  # warm up: caches filled, as in a server that has answered before
        reset()
        answer(case.body)
    profiler = Profiler(interval=interval)
    profiler.start()
    for _ in range(calls):
        reset()
        answer(case.body)
    profiler.stop()
    return profiler


def main(argv: list[str] | None = None) -> int:
    names = [case.name for case in request.cases()]
    parser = argparse.ArgumentParser(
        description="Profile our skill answering the request benchmark's rows, and print where the time goes.")
    parser.add_argument("--calls", type=int, default=2000, help="answers profiled per row (default 2000)")
    parser.add_argument("--case", action="append", default=[], metavar="TEXT",
                        help="only rows whose name contains TEXT (repeatable); rows: " + "; ".join(names))
    parser.add_argument("--store", choices=("memory", "sqlite"), default="sqlite",
                        help="the store the skill keeps state in (default sqlite, a real file)")
    parser.add_argument("--interval", type=float, default=0.0002, help="sampling interval in seconds (default 0.0002)")
    parser.add_argument("--all-frames", action="store_true", help="show the library's frames too, not only ours")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    cases = [case for case in request.cases() if not args.case or any(text in case.name for text in args.case)]
    if not cases:
        parser.error(f"no row matches {args.case}; rows: {'; '.join(names)}")
    print(f"Where the time goes ({common.machine()}); pyinstrument, {args.calls} answers a row, {args.store} store")
    with tempfile.TemporaryDirectory(prefix="gentle-yoga-profile-") as folder:
        for case in cases:
            common.progress(f"profile: {case.name}, {args.calls} answers")
            store: Store = (SQLiteStore(Path(folder) / "profile.sqlite3", request.SECRET) if args.store == "sqlite"
                            else MemoryStore(request.SECRET))
            profiler = profile(case, store, args.calls, args.interval)
            store.close()
            print(f"\n=== {case.name} ({len(case.body)}-byte body)")
            print(profiler.output_text(unicode=True, color=False, show_all=args.all_frames, short_mode=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
