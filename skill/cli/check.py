"""`check`: load and validate every class, print what each adds up to, and review every pose's drawing."""
from __future__ import annotations

import argparse
from pathlib import Path

from skill.classes import load_library, load_poses
from skill.config import WORKSPACE, Settings
from skill.figures import Figures, missing
from skill.figures.sheet import contact_sheet
from skill.practice.model import Library
from skill.practice.rehearse import summarise, timeline

SHEET = WORKSPACE / "build" / "figures.html"
COLUMNS = (("class", "<20"), ("steps", ">5"), ("both sides", ">10"), ("says", ">8"), ("timed", ">6"),
           ("shortest", ">8"), ("rounds", ">6"), ("rests", ">5"), ("parts", ">5"), ("longest part", ">12"),
           ("replies", ">7"), ("replies, step mode", ">18"))
LEGEND = ("both sides: blocks done on each side / steps in them; says: the length the class file declares; "
          "timed: its length as spoken; shortest: after every 'make it shorter'; rounds: breath-paced rounds; "
          "rests: rest points, where a speaker may stop; parts: how many times a speaker stops for 'continue'; "
          "replies: what a person says to finish it.")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check", help="validate every class file and pose drawing; print each class's steps, length and parts",
        description="Validate every class file, print each class's steps, sides, length and flow parts, check "
                    "that every pose has a drawing, and write the contact sheet of every drawing.")
    parser.add_argument("--sheet", type=Path, default=SHEET,
                        help=f"where to write the contact sheet (default: {SHEET.relative_to(WORKSPACE)})")
    parser.add_argument("--timeline", metavar="ID",
                        help="instead, print every word a class says with the minute and second it is said")
    parser.set_defaults(run=run)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(round(seconds % 60)):02d}"


def _row(values: tuple[str, ...]) -> str:
    return " ".join(f"{value:{align}}" for value, (_, align) in zip(values, COLUMNS, strict=True))


def run(args: argparse.Namespace, settings: Settings) -> int:
    folder = args.sequences or settings.sequences
    library = load_library(folder)
    pace = settings.pace
    if args.timeline:
        if library.get(args.timeline) is None:
            print(f"There is no class {args.timeline!r}; the classes are {', '.join(p.id for p in library)}.")
            return 2
        for at, label, words in timeline(library, args.timeline, pace):
            print(f"{int(at // 60):>3}:{at % 60:04.1f}  {label:<36} {words}")
        return 0
    print(f"{len(library)} classes in {folder}, timed at {pace.wpm} words a minute")
    header = _row(tuple(name for name, _ in COLUMNS))
    print(header)
    print("-" * len(header))
    failures = 0
    for practice in library:
        s = summarise(library, practice.id, pace)
        print(_row((practice.id, str(s.steps), f"{s.sided_blocks} / {s.sided_steps}", f"{practice.minutes} min",
                    _clock(s.computed_seconds), _clock(s.shortest_seconds), str(s.rounds), str(len(s.rest_points)),
                    str(len(s.flow_segments)), _clock(max(s.flow_segments)), str(s.flow_turns), str(s.step_turns))))
        print("    rest points: " + ", ".join(s.rest_points))
        print("    parts: " + ", ".join(f"{_clock(x)} to {end}" for x, end in zip(s.flow_segments, s.flow_ends,
                                                                                    strict=True)))
        for problem in s.ssml_problems:
            failures += 1
            print(f"    SSML problem: {problem}")
    print(LEGEND)
    print("All classes load, and every response they produce is valid SSML." if not failures
          else f"{failures} SSML problems.")
    return 1 if failures or not _figures(folder, library, args.sheet) else 0


def _figures(folder: Path, library: Library, sheet: Path) -> bool:
    """Write the contact sheet and say which poses still need a drawing; True when none do."""
    poses = load_poses(folder / "poses.yaml")
    figures = Figures.load(folder, list(poses))
    sided = {step.pose.id for practice in library for step in practice.steps if step.side}
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text(contact_sheet(list(poses.values()), figures, sided), encoding="utf-8")
    lacking = missing(figures.by_pose, poses)
    print(f"{len(poses) - len(lacking)} of {len(poses)} poses have a drawing; review them all in {sheet}")
    if lacking:
        print(f"No drawing yet for: {', '.join(lacking)}. Add each to {folder / 'figures.yaml'} "
              "(see docs/sequence-format.md, 'Pose drawings').")
    return not lacking
