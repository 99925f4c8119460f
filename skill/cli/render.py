"""`render`: a class as one MP3 with a chapter per pose, every class's clips into the cache, or all of it to S3."""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

from skill.classes import load_library
from skill.config import Settings
from skill.errors import UsageError
from skill.practice import events as ev
from skill.practice.model import Library, Practice
from skill.practice.plan import Plan, for_minutes, shortest_seconds

MAX_MINUTES = ev.MAX_MINUTES


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "render", help="render a class as one MP3 with a chapter per pose (or every class's audio with --all)",
        description="Render a class as one MP3 with a chapter per pose, shortened if asked, from clips rendered "
                    "once and kept in the audio cache.",
        epilog="Examples: render low_back_release -o lbr.mp3 · render hip_release --minutes 15 -o hips.mp3 · "
               "render --all · render --all -o classes/ · render --upload s3://BUCKET/PREFIX")
    parser.add_argument("practice", nargs="?", metavar="CLASS", help="the class id (see `check`)")
    parser.add_argument("--minutes", type=int, help="shorten the class to about this many minutes")
    parser.add_argument("--voice", help="the voice: local[:ENGINE[:VOICE]], polly:NAME (default: GENTLE_YOGA_VOICE)")
    parser.add_argument("-o", "--output", type=Path,
                        help="the MP3 to write (with --all, a folder for one MP3 per class)")
    parser.add_argument("--all", action="store_true", help="render every class's clips into the cache")
    parser.add_argument("--upload", metavar="S3_URL",
                        help="render every class to s3://BUCKET/PREFIX: the clip cache and each step's stream, "
                             "for the skill on Lambda")
    parser.set_defaults(run=run)


class Bar:
    """A progress bar on stderr, redrawn in place on a terminal and once per tenth elsewhere."""

    def __init__(self, label: str, out: TextIO = sys.stderr) -> None:
        self.label, self.out, self.shown = label, out, -1

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if self.out.isatty():
            filled = done * 30 // max(total, 1)
            print(f"\r{self.label} [{'#' * filled}{' ' * (30 - filled)}] {done}/{total} clips", end="",
                  file=self.out, flush=True)
            if done >= total:
                print(file=self.out)
        elif tenth != self.shown:
            self.shown = tenth
            print(f"{self.label}: {done}/{total} clips", file=self.out, flush=True)


def _checked(args: argparse.Namespace, library: Library) -> Practice | None:
    """The class asked for, after every argument has been checked, before anything is rendered."""
    if args.upload and not args.upload.startswith("s3://"):
        raise UsageError(f"--upload {args.upload} is not an S3 address; use s3://BUCKET/PREFIX")
    if not (args.all or args.upload):
        if not args.practice:
            raise UsageError("name a class to render (for example low_back_release), or use --all")
        if args.output is None:
            raise UsageError("say where to write the MP3 with -o FILE.mp3")
    if args.minutes is not None and not ev.MIN_MINUTES <= args.minutes <= MAX_MINUTES:
        raise UsageError(f"--minutes {args.minutes} is out of range; use {ev.MIN_MINUTES} to {MAX_MINUTES}")
    practice = library.get(args.practice) if args.practice else None
    if args.practice and practice is None:
        raise UsageError(f"there is no class '{args.practice}'; the classes are {', '.join(p.id for p in library)}")
    if args.output is not None:
        if not args.all and args.output.is_dir():
            raise UsageError(f"{args.output} is a folder; give a file name such as {args.output}/class.mp3")
        _writable(args.output if args.all else args.output.parent)
    return practice


def _writable(folder: Path) -> None:
    """UsageError unless a file can be made in folder (made first if need be): found out before rendering."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write into {folder}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace, settings: Settings) -> int:
    from skill.audio import open_audio
    from skill.audio.publish import upload
    from skill.audio.recording import write_mp3

    library = load_library(args.sequences or settings.sequences)
    practice = _checked(args, library)
    settings = dataclasses.replace(settings, voice=args.voice or settings.voice,
                                   audio_cache=args.upload or settings.audio_cache)
    host, description = open_audio(settings, library)
    if host is None:
        raise UsageError(f"there is no voice to render with: {description.removeprefix('no voice: ')}")
    print(f"Voice: {description}", file=sys.stderr)
    started = time.monotonic()
    renders_before = host.audio.cache.renders
    host.measured = host.audio.prepare(library, host.base, Bar("Rendering the classes" if practice is None
                                                              else "Rendering"))
    pace = host.pace
    assert pace is not None
    if args.upload:
        count = upload(host, Bar("Uploading"))
        print(f"Uploaded {count} streams to {args.upload}.", file=sys.stderr)
    for target in ([practice] if practice else list(library) if args.output else []):
        plan = for_minutes(target, args.minutes, pace) if args.minutes else Plan.full(target)
        if args.minutes and plan.holds and shortest_seconds(target, pace) > args.minutes * 60:
            print(f"{target.title} cannot be as short as {args.minutes} minutes; this is its shortest.",
                  file=sys.stderr)
        out = args.output / f"{target.id}.mp3" if args.all else args.output
        seconds = write_mp3(host, target, plan, out)
        print(f"Wrote {out}: {target.title}, {seconds // 60:.0f}:{seconds % 60:02.0f}", file=sys.stderr)
    print(f"Done in {time.monotonic() - started:.1f} s; {host.audio.cache.renders - renders_before} clips rendered, "
          "the rest from the cache.", file=sys.stderr)
    return 0
