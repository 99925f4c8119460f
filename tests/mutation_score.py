"""Print `make mutate`'s score from mutmut's results: killed / total, and every mutant that got through."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

CAUGHT = ("killed", "timeout", "caught by type check")  # a mutant a test (or the clock) stopped


def main() -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    listed = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=True)
    status = {}
    for line in listed.stdout.splitlines():
        name, sep, said = line.strip().rpartition(": ")
        if sep and name:
            status[name] = said
    if not status:
        print("no mutants found: run `make mutate` (mutmut run) first", file=sys.stderr)
        return 1
    counts = Counter(status.values())
    caught = sum(counts[s] for s in CAUGHT)
    for name, said in sorted(status.items()):
        if said not in CAUGHT and said != "not checked":
            print(f"  {said}: {name}   (mutmut show {name})")
    print(f"mutation score: {caught} killed / {len(status)} mutants = {100 * caught / len(status):.1f} %  "
          f"({', '.join(f'{s} {n}' for s, n in counts.most_common())})")
    if counts["not checked"]:
        print(f"{counts['not checked']} mutants not checked yet: `make mutate` again carries on")
    return 0


if __name__ == "__main__":
    sys.exit(main())
