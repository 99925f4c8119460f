"""What the benchmarks share: the import path, timing a call, percentiles, the machine line and aligned tables."""
from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _folder in (str(ROOT / "tests"), str(ROOT)):  # the skill, and the tests' helpers (envelopes, the test CA)
    if _folder not in sys.path:
        sys.path.insert(0, _folder)


def machine() -> str:
    """One line naming the machine, so a table is never read without it."""
    return (f"{os.cpu_count()} CPUs, Python {platform.python_version()} ({platform.python_implementation()}), "
            f"{platform.system()} {platform.release()} {platform.machine()}")


def load() -> str:
    """One line saying how busy the machine is (uptime's load averages): figures from a shared machine need it."""
    one, five, fifteen = os.getloadavg()
    return f"machine load: {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min averages; {os.cpu_count()} CPUs)"


def progress(message: str) -> None:
    """Progress goes to stderr, so the tables on stdout stay clean."""
    print(message, file=sys.stderr, flush=True)


def percentile(samples: Sequence[float], share: float) -> float:
    """The sample at this share (0.99 for p99) of the sorted samples: a real measurement, never interpolated."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def timed(call: Callable[[], object]) -> float:
    """Microseconds one call takes."""
    start = time.perf_counter_ns()
    call()
    return (time.perf_counter_ns() - start) / 1000


def ratio(ours: float, base: float) -> str:
    return f"{ours / base:.2f}×" if base else "-"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned text: the first column to the left, the figures to the right."""
    everything = [list(header)] + [list(row) for row in rows]
    widths = [max(len(row[i]) for row in everything) for i in range(len(header))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:],
                                                                                     strict=True)]
        return "  ".join(cells).rstrip()

    return "\n".join([line(everything[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in everything[1:]])
