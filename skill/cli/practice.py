"""`practice`: take a class in the terminal, typing what you would say to the speaker."""
from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from skill.classes import load_library
from skill.config import Settings
from skill.errors import StateError, UsageError
from skill.practice import events as ev
from skill.practice.engine import Outcome, handle
from skill.practice.model import Library
from skill.practice.progress import progress
from skill.practice.speech import Pace, Part, Say, Silence, Sound, seconds
from skill.practice.state import Phase, State, from_dict, to_dict
from skill.practice.understand import understand

LEAVE = {"quit", "exit", "q"}
REPLY_SECONDS = 2.0


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "practice", help="take a class in the terminal, typing what you would say to the speaker",
        description="Take a class in the terminal: type what you would say to the speaker (start low back "
                    "release, next, pause, resume, make it twenty minutes, time left, ...); quit to leave.")
    parser.add_argument("--class", dest="practice", metavar="ID", help="start this class straight away")
    parser.add_argument("--step", action="store_true", help="one step per response instead of hands-free flow")
    parser.add_argument("--realtime", action="store_true",
                        help="wait out the holds in real time with a countdown; Ctrl+C interrupts, as a voice would")
    parser.add_argument("--hold-scale", type=float, default=1.0, metavar="X",
                        help="with --realtime, wait X times the real length (0.1 runs ten times faster)")
    parser.add_argument("--speak", action="store_true", help="speak the cues aloud through espeak-ng, if installed")
    parser.add_argument("--state", type=Path, metavar="FILE",
                        help="where your place is kept between runs (default: DATA_DIR/terminal-state.json)")
    parser.add_argument("--fresh", action="store_true", help="ignore any saved place and start fresh")
    parser.set_defaults(run=run)


class Terminal:
    """One person at the keyboard: turns lines into events, shows the speech, keeps the place in a file."""

    def __init__(self, library: Library, pace: Pace, state_file: Path | None, *, out: TextIO = sys.stdout,
                 realtime: bool = False, hold_scale: float = 1.0, speak: bool = False,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep) -> None:
        self.library, self.pace, self.state_file, self.out = library, pace, state_file, out
        self.realtime, self.hold_scale, self.sleep = realtime, hold_scale, sleep
        self.voice = shutil.which("espeak-ng") if speak else None
        if speak and not self.voice:
            self.show("(espeak-ng is not installed, so the cues are printed only: apt-get install espeak-ng)")
        self.now = clock()  # the engine's clock: advances as speech plays and as the person replies
        self.state = self.load()

    def show(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def say(self, text: str, indent: str = "  ") -> None:
        """Text wrapped to the terminal's width at word boundaries, every line indented alike."""
        width = max(40, shutil.get_terminal_size((100, 24)).columns - 1)
        self.show(textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent,
                                break_long_words=False, break_on_hyphens=False))

    def load(self) -> State:
        if self.state_file is None or not self.state_file.exists():
            return replace(State(), mode=self.pace.mode)
        try:
            state = from_dict(json.loads(self.state_file.read_text(encoding="utf-8")))
        except (StateError, ValueError, OSError) as exc:
            self.show(f"(Your saved place in {self.state_file} could not be read ({exc}), so we start fresh.)")
            return replace(State(), mode=self.pace.mode)
        return replace(state, mode=self.pace.mode)

    def save(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(to_dict(self.state)), encoding="utf-8")
        temporary.replace(self.state_file)  # atomic: a crash never leaves half a record

    def send(self, event: ev.Event) -> Outcome:
        outcome = handle(self.state, event, self.now, self.library, self.pace)
        self.state = outcome.state
        self.save()
        self.play(outcome)
        return outcome

    def perform(self, part: Part) -> float:
        """Show (or speak) one part of the speech and, in real time, wait it out; its length in seconds."""
        if isinstance(part, Say):
            self.say(part.text)
            if self.voice:  # the voice takes as long as it takes; no waiting on top
                subprocess.run([self.voice, "-s", str(self.pace.wpm), "--", part.text], check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                return seconds((part,), self.pace)
            return self.wait(seconds((part,), self.pace))
        if isinstance(part, Sound):
            self.show("  [chime]")
            return self.wait(seconds((part,), self.pace))
        if part.hold and part.seconds >= 1:
            self.countdown(part)
            return part.seconds
        return self.wait(part.seconds)

    def wait(self, length: float) -> float:
        """In real time, wait out length seconds (scaled); length, either way."""
        if self.realtime:
            self.sleep(length * self.hold_scale)
        return length

    def play(self, outcome: Outcome) -> None:
        """Show the speech; in real time, wait out each part. Ctrl+C stops it where it is, as a voice would."""
        started = self.now
        elapsed = 0.0
        try:
            for part in outcome.speech:
                elapsed += self.perform(part)
        except KeyboardInterrupt:
            self.show("\n  (interrupted)")
        else:
            elapsed += REPLY_SECONDS  # a reply comes a moment after the speech ends
        self.now = started + elapsed
        self.status(outcome)

    def countdown(self, part: Silence) -> None:
        total = round(part.seconds)
        if not self.realtime:
            self.show(f"  [hold {total} s]")
            return
        tty = self.out.isatty()
        for left in range(total, 0, -1):
            if tty:
                print(f"\r  [hold {total} s] {left:>3} s ", end="", file=self.out, flush=True)
            self.sleep(self.hold_scale)
        self.show(f"\r  [hold {total} s] done  " if tty else f"  [hold {total} s]")

    def status(self, outcome: Outcome) -> None:
        """Where the class stands, in words: what comes next, or where it is paused, and the time left."""
        where = progress(self.state, self.now, self.library, self.pace)
        if where.title is None:
            line = "no class chosen"
        elif where.phase is Phase.READY:
            line = f"{where.title} · ready, about {round(where.left_seconds / 60)} min · type begin"
        elif where.step is None:
            line = f"{where.title} · finished"
        else:
            side = f", {where.step.side} side" if where.step.side else ""
            at = "paused at" if where.phase is Phase.PAUSED else "next:"
            then = " · type resume to carry on" if where.phase is Phase.PAUSED else ""
            line = (f"{where.title} · {at} step {where.number} of {where.total}, {where.step.pose.name}{side} · "
                    f"about {round(where.left_seconds / 60)} min left{then}")
        self.say(f"({line})")


def run(args: argparse.Namespace, settings: Settings) -> int:
    library = load_library(args.sequences or settings.sequences)
    if not 0 < args.hold_scale < math.inf:  # also rejects nan, which time.sleep refuses
        raise UsageError("--hold-scale must be a number more than 0")
    if args.practice and library.get(args.practice) is None:
        raise UsageError(f"no class with id {args.practice!r}; try one of {', '.join(p.id for p in library)}")
    pace = replace(settings.pace, mode="step" if args.step else settings.pace.mode)
    state_file = args.state or settings.data_dir / "terminal-state.json"
    if args.fresh and state_file.exists():
        state_file.unlink()
    terminal = Terminal(library, pace, state_file, realtime=args.realtime, hold_scale=args.hold_scale,
                        speak=args.speak)
    interactive = sys.stdin.isatty()
    terminal.say("Gentle Yoga in the terminal. Type what you would say to the speaker; help for ideas, quit to leave.",
                 indent="")
    terminal.send(ev.Start(practice=args.practice) if args.practice else ev.Launch())
    while True:
        try:
            line = input("> " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            line = "quit"
        if not interactive:
            terminal.show(f"> {line}")
        if line.strip().lower() in LEAVE:
            if terminal.state.phase in (Phase.PRACTISING, Phase.PAUSED):
                terminal.send(ev.Stop())  # its answer says goodbye
                terminal.show(f"Your place is saved in {state_file}.")
            else:
                terminal.show("Namaste.")
            return 0
        event = understand(line, library)
        outcome = terminal.send(event)
        if isinstance(event, ev.Stop) and outcome.end_session:
            return 0
