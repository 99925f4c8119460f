"""The command line: thin wrappers that parse arguments and call the core."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from skill import __version__
from skill.cli import check, model, practice, render, serve
from skill.config import Settings
from skill.errors import GentleYogaError


def build_parser(prog: str = "python -m skill") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Gentle Yoga: a voice skill that leads a whole yoga class hands-free.")
    parser.add_argument("--version", action="version", version=f"gentle-yoga {__version__}")
    parser.add_argument("--sequences", type=Path, help="folder of class files (default: GENTLE_YOGA_SEQUENCES "
                        "or the repository's sequences/)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    practice.add_parser(commands)
    check.add_parser(commands)
    serve.add_parser(commands)
    model.add_parser(commands)
    render.add_parser(commands)
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m skill") -> int:
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    if args.command is None:  # no command: say what there is, as --help does
        parser.print_help()
        return 0
    try:
        settings = Settings.from_env()
        return int(args.run(args, settings) or 0)
    except GentleYogaError as exc:
        print(f"gentle-yoga: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


def console() -> int:
    """The `gentle-yoga` command an install puts on PATH: `python -m skill` under its own name."""
    return main(prog="gentle-yoga")
