"""`check`: load and validate every class, then print what each adds up to."""
from __future__ import annotations

import argparse

from skill.classes import load_library
from skill.config import Settings
from skill.practice.rehearse import summarise, timeline


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check", help="validate every class file and print each class's steps, length and flow segments",
        description="Validate every class file and print each class's steps, sides, length and flow segments.")
    parser.add_argument("--timeline", metavar="ID",
                        help="instead, print every word a class says with the minute and second it is said")
    parser.set_defaults(run=run)


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def run(args: argparse.Namespace, settings: Settings) -> int:
    library = load_library(args.sequences or settings.sequences)
    pace = settings.pace
    if args.timeline:
        if library.get(args.timeline) is None:
            print(f"There is no class {args.timeline!r}; the classes are {', '.join(p.id for p in library)}.")
            return 2
        for at, label, words in timeline(library, args.timeline, pace):
            print(f"{int(at // 60):>3}:{at % 60:04.1f}  {label:<36} {words}")
        return 0
    print(f"{len(library)} classes in {args.sequences or settings.sequences}, timed at {pace.wpm} words a minute")
    header = f"{'class':<20} {'steps':>5} {'sided':>9} {'declared':>8} {'computed':>8} {'shortest':>8} " \
             f"{'rounds':>6} {'rests':>5} {'flow segs':>9} {'longest':>7} {'turns flow':>10} {'turns step':>10}"
    print(header)
    print("-" * len(header))
    failures = 0
    for practice in library:
        s = summarise(library, practice.id, pace)
        print(f"{practice.id:<20} {s.steps:>5} {f'{s.sided_blocks} blk/{s.sided_steps}':>9} "
              f"{practice.minutes:>5} min {_clock(s.computed_seconds):>8} {_clock(s.shortest_seconds):>8} "
              f"{s.rounds:>6} {len(s.rest_points):>5} "
              f"{len(s.flow_segments):>9} {_clock(max(s.flow_segments)):>7} {s.flow_turns:>10} {s.step_turns:>10}")
        print("    rest points: " + ", ".join(s.rest_points))
        print("    flow segments: " + ", ".join(f"{_clock(x)} to {end}"
                                                 for x, end in zip(s.flow_segments, s.flow_ends, strict=True)))
        for problem in s.ssml_problems:
            failures += 1
            print(f"    SSML problem: {problem}")
    print("All classes load, and every response they produce is valid SSML." if not failures
          else f"{failures} SSML problems.")
    return 1 if failures else 0
