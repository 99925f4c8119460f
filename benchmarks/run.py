"""Every benchmark, one after another, each table under a header naming the machine: what `make bench` runs.

Run with `python benchmarks/run.py` (a few minutes) or `python benchmarks/run.py --quick` (about a minute, for a
first look). Each benchmark runs in its own process, so none pays for another's imports or caches. Progress goes
to stderr; the tables go to stdout. It exits non-zero if a benchmark failed (the HTTP one fails on any error).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
# name: (script, its options for a full run, for a quick one)
BENCHMARKS = {
    "request": ("request.py", ["--calls", "1000"], ["--calls", "150"]),
    "http": ("http_throughput.py", ["--seconds", "10"],
             ["--seconds", "3", "--rounds", "3", "--warmup", "1", "--people", "50"]),
    "cold_start": ("cold_start.py", ["--runs", "15", "--importtime", "15"], ["--runs", "5"]),
    "stores": ("stores.py", ["--calls", "3000"], ["--calls", "500"]),
    "verify": ("verify.py", ["--calls", "2000"], ["--calls", "300"]),
    "audio": ("audio.py", ["--texts", "30", "--rounds", "20"], ["--texts", "10", "--rounds", "5"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and print their tables, with the machine named.")
    parser.add_argument("--quick", action="store_true", help="short runs, for a first look (noisier figures)")
    parser.add_argument("--only", action="append", choices=list(BENCHMARKS), default=[],
                        help="run only this benchmark (repeatable)")
    args = parser.parse_args(argv)
    chosen = args.only or list(BENCHMARKS)
    print(f"Gentle Yoga benchmarks on {common.machine()}{' (--quick)' if args.quick else ''}", flush=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; {common.load()}", flush=True)
    failed = []
    for name in chosen:
        script, full, quick = BENCHMARKS[name]
        common.progress(f"== {name}: {script} {' '.join(quick if args.quick else full)}")
        print(f"\n=== {name} ({common.machine()}; {common.load()})", flush=True)
        began = time.monotonic()
        done = subprocess.run([sys.executable, str(HERE / script), *(quick if args.quick else full)], cwd=common.ROOT)
        common.progress(f"== {name}: done in {time.monotonic() - began:.0f} s")
        if done.returncode != 0:
            failed.append(name)
            print(f"({name} FAILED with exit status {done.returncode})", flush=True)
    print(f"\nAt the end: {common.load()}", flush=True)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
