"""Measure how many held-out phrasings match a sample exactly: `make phrasings` (python tests/phrasings/measure.py).

Each phrasing in heldout.txt names the event it should become; the goal (90 %) is on that set. fresh.txt, written
after the samples, is reported beside it: how far exact samples carry to phrasings nobody tuned them for. The
generated en-US model is matched with virtual-alexa's exact-sample matcher (tests/js, npm), which knows the built-in
intents' stock phrases as Alexa's simulator does; what it matched becomes an event through the skill's own intents
table, as a real request would.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skill.alexa.intents import BY_NAME, Slot, event_for  # noqa: E402
from skill.alexa.model import interaction_model  # noqa: E402
from skill.classes import load_library  # noqa: E402
from skill.practice import events as ev  # noqa: E402

HERE = Path(__file__).parent
HELDOUT = HERE / "heldout.txt"
FRESH = HERE / "fresh.txt"
MATCHER = ROOT / "tests" / "js" / "match.js"
GOAL = 0.9
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "fifteen": 15,
            "twenty": 20, "thirty": 30, "forty": 40, "forty five": 45, "sixty": 60, "ninety": 90}


@dataclass(frozen=True)
class Phrasing:
    line: int
    text: str
    event: str
    fields: dict[str, str]


def read_heldout(path: Path = HELDOUT) -> list[Phrasing]:
    """The phrasings in path; ValueError names a line that is not `phrase | Event field=value ...`."""
    found = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        text, bar, expected = line.partition("|")
        words = expected.split()
        if not bar or not text.strip() or not words or not hasattr(ev, words[0]):
            raise ValueError(f"{path.name} line {number}: write 'phrase | Event field=value', not {line!r}")
        fields = dict(word.split("=", 1) for word in words[1:])
        found.append(Phrasing(number, text.strip(), words[0], {k: v.replace("_", " ") if k == "focus" else v
                                                                 for k, v in fields.items()}))
    return found


def alexa_duration(words: str) -> str | None:
    """What Alexa sends in an AMAZON.DURATION slot for a few common spoken lengths ("half an hour" -> PT30M)."""
    text = " ".join(words.lower().replace("-", " ").split())
    if text in ("half an hour", "a half hour", "half hour"):
        return "PT30M"
    if text in ("an hour and a half", "one and a half hours"):
        return "PT1H30M"
    if text in ("an hour and a quarter",):
        return "PT1H15M"
    if text in ("a quarter of an hour", "quarter of an hour", "quarter hour"):
        return "PT15M"
    match = re.fullmatch(r"(\d+|[a-z]+(?: [a-z]+)?) (minutes?|hours?)", text)
    if match:
        amount = int(match.group(1)) if match.group(1).isdigit() else _NUMBERS.get(match.group(1))
        if amount:
            return f"PT{amount}{'H' if match.group(2).startswith('hour') else 'M'}"
    return None


def _slots(intent: str, matched: dict) -> dict[str, Slot]:
    """virtual-alexa's slot matches as the slots a real request would carry."""
    kinds = dict(BY_NAME[intent].slots) if intent in BY_NAME else {}
    slots = {}
    for name, found in matched.items():
        kind, value, resolved = kinds.get(name), found["value"], found["id"]
        if kind == "AMAZON.NUMBER":
            slots[name] = Slot(value=resolved or value)  # Alexa sends numbers as digits
        elif kind == "AMAZON.DURATION":
            slots[name] = Slot(value=alexa_duration(value) or "?")
        else:
            slots[name] = Slot(value=value, id=resolved)
    return slots


def matches(phrasing: Phrasing, event: ev.Event | None) -> bool:
    """Whether the event is the one meant. "I have 15 minutes" is ShorterIntent's, and the engine starts a class of
    that length when none is under way (tests/test_understanding.py shows it), so for a class by length alone
    Shorter(minutes=N) is what Start(minutes=N) means."""
    if isinstance(event, ev.Shorter) and phrasing.event == "Start" and set(phrasing.fields) == {"minutes"}:
        return str(event.minutes) == phrasing.fields["minutes"]
    if event is None or type(event).__name__ != phrasing.event:
        return False
    return all(str(getattr(event, name, None)) == value for name, value in phrasing.fields.items())


def run_matcher(model: dict, phrases: list[str]) -> list[dict]:
    """virtual-alexa's match for each phrase (node tests/js/match.js)."""
    if not (MATCHER.parent / "node_modules" / "virtual-alexa").is_dir():
        raise SystemExit("virtual-alexa is not installed: run `make phrasings` (it runs npm ci in tests/js)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(model, handle)
    try:
        result = subprocess.run(["node", str(MATCHER), handle.name], input=json.dumps(phrases), text=True,
                                capture_output=True, check=True)
    finally:
        Path(handle.name).unlink()
    return json.loads(result.stdout)


def measure(model: dict, phrasings: list[Phrasing]) -> list[tuple[Phrasing, str | None, ev.Event | None]]:
    """Each phrasing with the intent it matched (None for no sample) and the event that became."""
    results = []
    for phrasing, found in zip(phrasings, run_matcher(model, [p.text for p in phrasings]), strict=True):
        intent = found["intent"]
        event = event_for(intent, _slots(intent, found["slots"])) if intent else None
        results.append((phrasing, intent, event))
    return results


def report(results: list[tuple[Phrasing, str | None, ev.Event | None]], show_misses: bool = True,
           goal: float | None = GOAL) -> float:
    """Print the match table, the misses and the rate; return the rate."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for phrasing, intent, event in results:
        row = table[phrasing.event]
        row[1] += 1
        if matches(phrasing, event):
            row[0] += 1
        else:
            misses.append((phrasing, intent, event))
    print(f"{'event':<16}{'matched':>8}{'of':>5}{'rate':>8}")
    for name, (hit, total) in sorted(table.items()):
        print(f"{name:<16}{hit:>8}{total:>5}{hit / total:>8.0%}")
    hits = sum(hit for hit, _ in table.values())
    rate = hits / len(results)
    print(f"{'all':<16}{hits:>8}{len(results):>5}{rate:>8.1%}" + (f"   (goal {goal:.0%})" if goal else ""))
    if show_misses and misses:
        print(f"\n{len(misses)} not matched as meant:")
        for phrasing, intent, event in misses:
            print(f"  {phrasing.text!r:<45} wanted {phrasing.event:<12} got {event or 'no sample'}"
                  + (f" ({intent})" if intent else ""))
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Match the held-out phrasings against the en-US interaction "
                                     "model with virtual-alexa's matcher, and print the match table and rate.")
    parser.add_argument("--model", type=Path, help="an interaction model JSON file (default: generated now)")
    parser.add_argument("--quiet", action="store_true", help="print the tables only, not each miss")
    parser.add_argument("--set", type=Path, action="append", dest="sets",
                        help=f"a phrasings file (default: {HELDOUT.name} and {FRESH.name})")
    args = parser.parse_args(argv)
    model = (json.loads(args.model.read_text()) if args.model
             else interaction_model(load_library(ROOT / "sequences"), "en-US"))
    rates = {}
    for number, path in enumerate(args.sets or (HELDOUT, FRESH)):
        print(("\n" if number else "") + f"== {path.name}" + ("" if path == HELDOUT else " (reported, no goal)"))
        rates[path] = report(measure(model, read_heldout(path)), show_misses=not args.quiet,
                             goal=GOAL if path == HELDOUT else None)
    return 0 if rates.get(HELDOUT, 1.0) >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
