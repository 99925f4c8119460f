"""The command line, run for real as `python -m skill ...` with typed scripts on stdin, plus the Terminal it drives."""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TINY
from properties import known

from skill.cli import build_parser
from skill.cli.practice import REPLY_SECONDS, Terminal
from skill.config import ROOT, SETTINGS, Settings
from skill.errors import ConfigError
from skill.practice import events as ev
from skill.practice.model import Library
from skill.practice.rehearse import summarise
from skill.practice.speech import Pace, Say, Silence, seconds

pytestmark = pytest.mark.slow

HOLD_LINE = re.compile(r"^  \[hold (\d+) s\]$", re.MULTILINE)
Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def cli(tmp_path: Path) -> Run:
    """Runs `python -m skill ARGS` from the repository with lines typed on stdin; state goes under tmp_path."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("GENTLE_YOGA_")}
    base["GENTLE_YOGA_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str, lines: tuple[str, ...] | list[str] = (), env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "skill", *args], input="".join(f"{line}\n" for line in lines),
            capture_output=True, text=True, cwd=ROOT, env={**base, **(env or {})}, timeout=120,
        )
    return run


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """A state file of the test's own."""
    return tmp_path / "state.json"


def turns(stdout: str) -> list[tuple[str, str]]:
    """The transcript as (line typed, what came back); the opening comes first, typed as ""."""
    result: list[tuple[str, list[str]]] = [("", [])]
    for line in stdout.splitlines():
        if line.startswith(">"):
            result.append((line[2:], []))
        else:
            result[-1][1].append(line)
    return [(typed, "\n".join(said)) for typed, said in result]


def answers(stdout: str, lines: list[str]) -> list[str]:
    """What came back to each typed line, checking the transcript echoes exactly the lines typed."""
    pairs = turns(stdout)[1:]
    assert [typed for typed, _ in pairs] == lines
    return [said for _, said in pairs]


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


def one_sentence(text: str) -> bool:
    """Non-empty, ends with a full stop, and holds no second sentence ("..." inside a list is not an end)."""
    text = " ".join(text.split()).replace("...", "")
    return text.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", text)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


SUBCOMMANDS = sorted(_subcommands())


class TestHelp:
    def test_top_level_help(self, cli: Run) -> None:
        """`--help` exits 0, says in one sentence what the program is, and lists every command."""
        result = cli("--help")
        assert result.returncode == 0, result.stderr
        description = build_parser().description
        assert description is not None and one_sentence(description)
        assert " ".join(description.split()) in " ".join(result.stdout.split())
        for name in SUBCOMMANDS:
            assert re.search(rf"^\s+{name}\s+\S", result.stdout, re.MULTILINE), name

    def test_commands_are_discovered(self) -> None:
        """The commands are read from the real parser, so a new command is covered here without editing a list."""
        assert {"practice", "check"} <= set(SUBCOMMANDS)

    @pytest.mark.parametrize("name", SUBCOMMANDS)
    def test_command_help(self, cli: Run, name: str) -> None:
        """`COMMAND --help` exits 0 and opens with a one-sentence description of what the command does."""
        parser = _subcommands()[name]
        result = cli(name, "--help")
        assert result.returncode == 0, result.stderr
        assert parser.description and one_sentence(parser.description), parser.description
        assert " ".join(parser.description.split()) in " ".join(result.stdout.split())

    @pytest.mark.parametrize("name", SUBCOMMANDS)
    def test_every_option_explains_itself(self, name: str) -> None:
        """Every option of every command has help text."""
        for action in _subcommands()[name]._actions:
            assert action.help, f"{name} {action.option_strings} has no help"

    def test_help_works_with_bad_settings(self, cli: Run) -> None:
        """Help is shown even when a setting is wrong, since settings are read only to run a command."""
        result = cli("practice", "--help", env={"GENTLE_YOGA_WPM": "fast"})
        assert result.returncode == 0
        assert "usage:" in result.stdout

    def test_version(self, cli: Run) -> None:
        """`--version` prints the program's name and version and exits 0."""
        result = cli("--version")
        assert result.returncode == 0
        assert re.match(r"gentle-yoga \d", result.stdout)


class TestCheck:
    def test_every_real_class_gets_a_row(self, cli: Run, library: Library) -> None:
        """`check` exits 0 with one row per class, led by its id, and says every response is valid SSML."""
        result = cli("check")
        assert result.returncode == 0, result.stderr
        no_traceback(result)
        ids = [p.id for p in library]
        rows = [line.split()[0] for line in result.stdout.splitlines() if line.split() and line.split()[0] in ids]
        assert sorted(rows) == sorted(ids)
        assert result.stdout.startswith(f"{len(ids)} classes in ")
        assert "All classes load, and every response they produce is valid SSML." in result.stdout

    def test_segments_are_listed(self, cli: Run, library: Library) -> None:
        """`check` prints a line of flow-part lengths under each class."""
        result = cli("check")
        assert result.returncode == 0, result.stderr
        assert len(re.findall(r"^    parts: \d+:\d\d", result.stdout, re.MULTILINE)) == len(library)

    @pytest.mark.parametrize("how", ["--sequences", "GENTLE_YOGA_SEQUENCES"])
    def test_another_folder(self, cli: Run, write_class, sequences_dir: Path, how: str) -> None:
        """A folder named by --sequences or by GENTLE_YOGA_SEQUENCES is checked instead of the repository's."""
        write_class(TINY.format(minutes=8))
        if how == "--sequences":
            result = cli("--sequences", str(sequences_dir), "check")
        else:
            result = cli("check", env={how: str(sequences_dir)})
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"1 classes in {sequences_dir}")
        assert re.search(r"^tiny\s", result.stdout, re.MULTILINE)

    def test_the_columns_have_plain_headers_and_a_legend(self, cli: Run) -> None:
        """The table's headers are words a class author reads without a key, and a line explains them."""
        result = cli("check")
        header = next(line for line in result.stdout.splitlines() if line.startswith("class "))
        for words in ("both sides", "timed", "shortest", "parts", "longest part", "replies, step mode"):
            assert words in header
        assert "blk" not in result.stdout and "turns" not in result.stdout
        assert "both sides: blocks done on each side" in result.stdout

    def test_every_pose_needs_a_drawing_and_the_sheet_shows_them_all(self, cli: Run, write_class,
                                                                    sequences_dir: Path, tmp_path: Path) -> None:
        """A pose with no drawing fails check, naming it and where to add it; the contact sheet still shows every
        other pose's drawing and marks the missing one."""
        write_class(TINY.format(minutes=9))
        sheet = tmp_path / "sheet.html"
        result = cli("--sequences", str(sequences_dir), "check", "--sheet", str(sheet))
        assert result.returncode == 0, result.stdout
        poses = len(re.findall(r"^- \{id: ", (sequences_dir / "poses.yaml").read_text(), re.MULTILINE))
        assert f"{poses} of {poses} poses have a drawing" in result.stdout
        assert sheet.read_text().count("<svg") >= poses
        figures = sequences_dir / "figures.yaml"
        figures.write_text(re.sub(r"^bridge:\n(?:  .*\n)+", "", figures.read_text(), flags=re.MULTILINE))
        result = cli("--sequences", str(sequences_dir), "check", "--sheet", str(sheet))
        assert result.returncode == 1
        assert f"{poses - 1} of {poses} poses have a drawing" in result.stdout
        assert "No drawing yet for: bridge. Add each to" in result.stdout
        assert sheet.read_text().count('<li class="missing">') == 1

    BROKEN = [
        ("hold: 30s", "hold: banana", "step 3 (bridge), field 'hold': 'banana' is not a duration"),
        ("pose: bridge", "pose: bridgee", "field 'pose': 'bridgee' is not in the pose catalog; did you mean 'bridge'?"),
        ("    cue: Lift the hips.", "    que: Lift the hips.", "field 'que': unknown field; did you mean 'cue'?"),
        ("title: Tiny Flow", "title: [Tiny", "line 3, column 8: not valid YAML"),
        ("minutes: 8", "minutes: 30", "field 'minutes': declares 30 minutes but the class adds up to"),
    ]

    @pytest.mark.parametrize(("good", "bad", "sentence"), BROKEN, ids=[b[2].split(":")[0] for b in BROKEN])
    def test_broken_class(self, cli: Run, write_class, sequences_dir: Path, good: str, bad: str,
                          sentence: str) -> None:
        """A broken class file exits 2 with a sentence naming the file and what is wrong, and no traceback."""
        text = TINY.format(minutes=8)
        assert good in text
        path = write_class(text.replace(good, bad))
        result = cli("--sequences", str(sequences_dir), "check")
        assert result.returncode == 2
        no_traceback(result)
        assert result.stderr.startswith(f"gentle-yoga: {path}")
        assert sentence in result.stderr
        assert "valid SSML" not in result.stdout

    def test_missing_folder(self, cli: Run, tmp_path: Path) -> None:
        """A folder that does not exist is a sentence and exit 2, not a traceback."""
        result = cli("--sequences", str(tmp_path / "nowhere"), "check")
        assert result.returncode == 2
        no_traceback(result)
        assert "cannot be read" in result.stderr


# (typed, what the answer must contain); HOLD means the answer plays poses, with at least one timed hold.
# A question asked mid-class is answered and the class carries on, so two are asked while paused, where the
# answer stands alone; shortening comes last because the class may then run to its end.
HOLD = object()
SCRIPT = [
    ("start {title}", "  {title}. It takes about"),
    ("begin", HOLD),
    ("what pose is this", "  That was "),  # asked at the prompt between two parts of the class
    ("pause", "  Paused in "),
    ("how much time is left", " minutes left. This is pose "),
    ("what do I need", "  For {title} you'll need "),
    ("resume", "  Let's pick up where you left off."),
    ("next", HOLD),
    ("go back", "  Going back one pose."),
    ("repeat that", "  Once more."),
    ("make it shorter", "  Okay, I've trimmed the rest of the class."),
    ("make it ten minutes", " to go"),
    ("flibber wop", "  I didn't catch that. Say "),
    ("quit", "Namaste."),
]


class TestPracticeScript:
    @pytest.mark.parametrize("practice_id", ["hip_release", "low_back_release"])
    def test_a_scripted_class(self, cli: Run, library: Library, state: Path, practice_id: str) -> None:
        """Every request in a typed session gets its own kind of answer, holds show as [hold N s], exit 0."""
        practice = library.get(practice_id)
        assert practice is not None, f"{practice_id} is not in sequences/"
        lines = [typed.format(title=practice.title.lower()) for typed, _ in SCRIPT]
        result = cli("practice", "--fresh", "--state", str(state), lines=lines)
        assert result.returncode == 0, result.stderr
        no_traceback(result)
        assert result.stderr == ""
        said = answers(result.stdout, lines)
        for typed, (_, expected), answer in zip(lines, SCRIPT, said, strict=True):
            if expected is HOLD:
                assert HOLD_LINE.search(answer), f"{typed!r} played no hold:\n{answer}"
            else:
                assert isinstance(expected, str) and expected.format(title=practice.title) in answer, \
                    f"{typed!r} answered:\n{answer}"
            if typed != "quit":
                assert re.search(r"\n  \([^()]+\)$", "\n" + answer.rstrip()), f"{typed!r} has no status line"
        unknown = said[lines.index("flibber wop")].split("didn't catch that.", 1)[1]
        assert "say" in unknown.lower()  # the unknown line is followed by what can be said
        holds = [int(n) for n in HOLD_LINE.findall(result.stdout)]
        assert holds and min(holds) >= 1

    @pytest.mark.parametrize("mode", ["flow", "step"])
    def test_low_back_release_to_the_end(self, cli: Run, library: Library, state: Path, mode: str) -> None:
        """Saying continue again and again plays Low Back Release to its close, in as many turns as check counts."""
        summary = summarise(library, "low_back_release", Pace(mode=mode))
        expected = summary.flow_turns if mode == "flow" else summary.step_turns
        lines = ["start low back release", *["continue"] * (expected + 3), "quit"]
        args = ["--step"] if mode == "step" else []
        result = cli("practice", "--fresh", "--state", str(state), *args, lines=lines)
        assert result.returncode == 0, result.stderr
        no_traceback(result)
        said = answers(result.stdout, lines)
        closing = [number for number, answer in enumerate(said) if "to a close" in answer]
        assert closing == [expected - 1], f"closed at turns {closing}, check counts {expected}"
        assert "That brings Low Back Release to a close." in said[expected - 1]
        assert "(Low Back Release · finished" in said[expected - 1]
        practice = known(library, "low_back_release")
        missing = {step.pose.name for step in practice.steps if step.pose.name not in result.stdout}
        assert not missing, f"never played: {missing}"
        assert "We've finished" in said[expected]  # continuing after the close is answered, not replayed

    def test_class_option_starts_straight_away(self, cli: Run, state: Path) -> None:
        """--class ID chooses that class at once, without the welcome."""
        result = cli("practice", "--fresh", "--state", str(state), "--class", "hip_release", lines=["quit"])
        assert result.returncode == 0, result.stderr
        opening = turns(result.stdout)[0][1]
        assert "Hip Release. It takes about" in opening
        assert "Welcome to Gentle Yoga" not in opening

    def test_unknown_class_option(self, cli: Run, state: Path) -> None:
        """--class with an unknown id exits non-zero with a sentence naming it and the ids there are."""
        result = cli("practice", "--state", str(state), "--class", "nosuchclass", lines=["quit"])
        assert result.returncode != 0
        no_traceback(result)
        assert "no class with id 'nosuchclass'" in result.stderr
        assert "hip_release" in result.stderr

    @pytest.mark.parametrize("scale", ["0", "-1", "nan", "inf"])
    def test_hold_scale_must_be_positive(self, cli: Run, state: Path, scale: str) -> None:
        """--hold-scale of zero, below zero, or not a finite number is refused with a sentence."""
        result = cli("practice", "--state", str(state), "--realtime", f"--hold-scale={scale}", lines=["quit"])
        assert result.returncode != 0
        no_traceback(result)
        assert "--hold-scale must be a number more than 0" in result.stderr

    def test_hold_scale_must_be_a_number(self, cli: Run, state: Path) -> None:
        """--hold-scale that is not a number is an argument error (exit 2)."""
        result = cli("practice", "--state", str(state), "--hold-scale", "fast", lines=["quit"])
        assert result.returncode == 2
        assert "invalid float value: 'fast'" in result.stderr

    def test_end_of_input_leaves_politely(self, cli: Run, state: Path) -> None:
        """When the typed script runs out mid-class, the place is kept, as if quit were typed."""
        lines = ["start hip release", "begin"]
        result = cli("practice", "--fresh", "--state", str(state), lines=lines)
        assert result.returncode == 0, result.stderr
        assert f"Your place is saved in {state}." in result.stdout and result.stdout.count("Namaste") == 1
        assert json.loads(state.read_text())["ph"] == "paused"

    def test_long_lines_wrap_at_words_to_the_terminals_width(self, cli: Run, state: Path, library: Library) -> None:
        """Speech wraps to COLUMNS at word boundaries, with every continuation line indented like the first."""
        result = cli("practice", "--fresh", "--state", str(state), lines=["start low back release", "quit"],
                     env={"COLUMNS": "50"})
        assert result.returncode == 0, result.stderr
        spoken = [line for line in result.stdout.splitlines() if not line.startswith(">")]
        assert max(len(line) for line in spoken) <= 50
        answer = answers(result.stdout, ["start low back release", "quit"])[0]
        assert all(line.startswith("  ") for line in answer.splitlines())
        intro = " ".join(known(library, "low_back_release").intro.split())
        assert intro in " ".join(answer.split())  # no word was cut in two

    def test_questions_at_the_continue_prompt_wait_for_continue(self, cli: Run, state: Path) -> None:
        """At "say continue", a question or something not understood is answered and the class waits: no part
        plays and nothing is paused until continue is said."""
        lines = ["start hip release", "begin", "what pose is this", "time left", "flibber wop", "continue", "quit"]
        result = cli("practice", "--fresh", "--state", str(state), lines=lines)
        said = answers(result.stdout, lines)
        for typed, answer in zip(lines[2:5], said[2:5], strict=True):
            assert not HOLD_LINE.search(answer), f"{typed!r} played a part:\n{answer}"
            assert "Say continue when you're ready." in answer and "paused" not in answer, answer
            assert "· next: step " in answer
        assert HOLD_LINE.search(said[5])

    def test_the_status_line_says_what_comes_next_in_plain_words(self, cli: Run, state: Path) -> None:
        """In step mode, right after a step is spoken the status line names what is next, as next; a pause says
        where it is kept and how to carry on; nothing mentions sessions or internal phases."""
        lines = ["start hip release", "begin", "pause", "quit"]
        result = cli("practice", "--fresh", "--state", str(state), "--step", lines=lines, env={"COLUMNS": "200"})
        said = answers(result.stdout, lines)
        assert re.search(r"\(Hip Release · next: step 2 of \d+, [^·]+ · about \d+ min left\)$", said[1])
        assert re.search(r"\(Hip Release · paused at step 2 of \d+, .+ · type resume to carry on\)$", said[2])
        assert "session" not in result.stdout and "practising" not in result.stdout

    def test_stop_ends_the_run(self, cli: Run, state: Path) -> None:
        """Saying stop ends the session and the program, leaving the lines after it unread."""
        lines = ["start hip release", "begin", "stop", "what pose is this"]
        result = cli("practice", "--fresh", "--state", str(state), lines=lines)
        assert result.returncode == 0, result.stderr
        assert "I've kept your place in" in result.stdout
        assert "> what pose is this" not in result.stdout

    def test_default_state_lives_in_the_data_dir(self, cli: Run, tmp_path: Path) -> None:
        """Without --state the place is kept in GENTLE_YOGA_DATA_DIR, never in the repository."""
        in_repo = ROOT / "data" / "terminal-state.json"
        before = in_repo.stat().st_mtime_ns if in_repo.exists() else None
        result = cli("practice", "--fresh", lines=["start hip release", "begin", "pause", "quit"])
        assert result.returncode == 0, result.stderr
        kept = json.loads((tmp_path / "data" / "terminal-state.json").read_text())
        assert kept["c"] == "hip_release" and kept["ph"] == "paused"
        assert (in_repo.stat().st_mtime_ns if in_repo.exists() else None) == before


class TestResumeAcrossRuns:
    def _pause_hip_release(self, cli: Run, state: Path) -> str:
        lines = ["start hip release", "begin", "pause", "quit"]
        first = cli("practice", "--fresh", "--state", str(state), lines=lines)
        assert first.returncode == 0, first.stderr
        paused = re.search(r"Paused in (.+?)\. Rest as long", answers(first.stdout, lines)[2])
        assert paused, first.stdout
        return paused.group(1)

    def test_welcomed_back_to_the_paused_pose(self, cli: Run, state: Path) -> None:
        """A second run with the same state file names the paused class and pose, and yes carries on there."""
        pose = self._pause_hip_release(cli, state)
        lines = ["yes", "quit"]
        second = cli("practice", "--state", str(state), lines=lines)
        assert second.returncode == 0, second.stderr
        no_traceback(second)
        assert f"You paused Hip Release in {pose}, with about" in turns(second.stdout)[0][1]
        resumed = answers(second.stdout, lines)[0]
        assert resumed.startswith("  Let's pick up where you left off.")
        assert f"  {pose}." in resumed.splitlines()[:4]  # after a chime and a switch of sides
        assert HOLD_LINE.search(resumed)

    def test_fresh_forgets(self, cli: Run, state: Path) -> None:
        """--fresh ignores the saved place: the welcome is the first-time one, and nothing was paused."""
        self._pause_hip_release(cli, state)
        again = cli("practice", "--fresh", "--state", str(state), lines=["resume", "quit"])
        assert again.returncode == 0, again.stderr
        assert "You paused" not in again.stdout
        assert "Welcome to Gentle Yoga." in turns(again.stdout)[0][1]
        assert "There's nothing paused right now." in answers(again.stdout, ["resume", "quit"])[0]

    @pytest.mark.parametrize("record", [
        "{garbage", '{"v": 99, "ph": "idle"}', "[1, 2]", '{"v": 1, "ph": "idle", "hi": 5}',
        '{"v": 1, "ph": "paused", "c": "hip_release", "p": 5, "sg": [1], "mk": 5}',
    ], ids=["garbage JSON", "version 99", "not a mapping", "history not a list", "marks not a list"])
    def test_corrupt_state_starts_fresh(self, cli: Run, state: Path, record: str) -> None:
        """An unreadable state file is a sentence about starting fresh, then a fresh welcome, and no traceback."""
        state.write_text(record)
        result = cli("practice", "--state", str(state), lines=["quit"])
        assert result.returncode == 0, result.stderr
        no_traceback(result)
        assert f"(Your saved place in {state} could not be read (" in result.stdout
        assert "so we start fresh.)" in result.stdout
        assert "Welcome to Gentle Yoga." in result.stdout
        assert json.loads(state.read_text())["v"] == 1  # replaced by a readable record


class TestRealtime:
    def test_short_run_with_a_tiny_hold_scale(self, cli: Run, state: Path) -> None:
        """--realtime --hold-scale 0.001 waits out a whole segment in well under the run's time limit."""
        lines = ["start hip release", "begin", "continue", "quit"]
        result = cli("practice", "--fresh", "--state", str(state), "--realtime", "--hold-scale", "0.001",
                     lines=lines)
        assert result.returncode == 0, result.stderr
        no_traceback(result)
        said = answers(result.stdout, lines)
        assert HOLD_LINE.search(said[1]) and HOLD_LINE.search(said[2])

    def test_holds_and_speech_are_waited_out(self, tiny: Library) -> None:
        """In real time the waits add up, after scaling, to the segment's speech and holds (each hold to the second)."""
        slept: list[float] = []
        terminal = Terminal(tiny, Pace(), None, out=io.StringIO(), realtime=True, hold_scale=0.001,
                            sleep=slept.append, clock=lambda: 1000.0)
        terminal.send(ev.Start(practice="tiny"))
        slept.clear()
        began = terminal.now
        outcome = terminal.send(ev.Start())
        holds = [p for p in outcome.speech if isinstance(p, Silence) and p.hold and p.seconds >= 1]
        assert holds and any(isinstance(p, Say) for p in outcome.speech)
        waited = sum(slept) / 0.001
        assert waited == pytest.approx(seconds(outcome.speech, Pace()), abs=0.5 * len(holds) + 1e-6)
        assert waited > sum(h.seconds for h in holds) + 1  # the words take time too
        assert terminal.now == pytest.approx(began + seconds(outcome.speech, Pace()) + REPLY_SECONDS)

    def test_without_realtime_nothing_waits(self, tiny: Library) -> None:
        """Without --realtime the class is shown at once: sleep is never called."""
        def refuse(_: float) -> None:
            raise AssertionError("slept without --realtime")
        out = io.StringIO()
        terminal = Terminal(tiny, Pace(), None, out=out, sleep=refuse, clock=lambda: 1000.0)
        terminal.send(ev.Start(practice="tiny"))
        terminal.send(ev.Start())
        assert HOLD_LINE.search(out.getvalue())

    def test_interrupt_stops_where_it_is(self, tiny: Library) -> None:
        """Ctrl+C during a hold stops the speech there, and the pose being held is the one asked about."""
        plan = Terminal(tiny, Pace(), None, out=io.StringIO(), clock=lambda: 1000.0)
        plan.send(ev.Start(practice="tiny"))
        segment = plan.send(ev.Start()).segment
        assert segment is not None and len(segment.steps) >= 3
        interrupt_at = segment.marks[2] - 1  # inside the hold of the segment's second step

        slept: list[float] = []

        def sleep(x: float) -> None:
            slept.append(x)
            if sum(slept) / 0.01 >= interrupt_at:
                raise KeyboardInterrupt

        out = io.StringIO()
        terminal = Terminal(tiny, Pace(), None, out=out, realtime=True, hold_scale=0.01, sleep=sleep,
                            clock=lambda: 1000.0)
        terminal.send(ev.Start(practice="tiny"))
        slept.clear()
        terminal.send(ev.Start())
        assert "(interrupted)" in out.getvalue()
        sent = terminal.state.sent_at
        assert sent is not None and sent + segment.marks[1] <= terminal.now < sent + segment.marks[2]
        terminal.realtime = False  # the question's answer need not be waited out
        terminal.send(ev.WhatPose())
        pose = known(tiny, "tiny").steps[segment.steps[1]].pose.name
        assert f"This is {pose}" in out.getvalue().split("(interrupted)", 1)[1]


class TestSpeak:
    def test_missing_espeak_prints_the_hint_and_carries_on(self, cli: Run, state: Path, tmp_path: Path) -> None:
        """--speak with no espeak-ng on PATH says how to install it, then the class runs as printed text."""
        empty = tmp_path / "bin"
        empty.mkdir()
        lines = ["start hip release", "begin", "quit"]
        result = cli("practice", "--fresh", "--state", str(state), "--speak", lines=lines, env={"PATH": str(empty)})
        assert result.returncode == 0, result.stderr
        no_traceback(result)
        assert "(espeak-ng is not installed, so the cues are printed only: apt-get install espeak-ng)" in result.stdout
        assert HOLD_LINE.search(answers(result.stdout, lines)[1])

    def test_cues_go_to_espeak(self, tiny: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With espeak-ng on PATH (here a stand-in script that logs its arguments) every line shown is spoken."""
        log = tmp_path / "spoken.log"
        fake = tmp_path / "bin" / "espeak-ng"
        fake.parent.mkdir()
        fake.write_text(f'#!/bin/sh\nprintf "%s|%s|%s|%s\\n" "$1" "$2" "$3" "$4" >> "{log}"\n')
        fake.chmod(0o755)
        monkeypatch.setenv("PATH", str(fake.parent))
        out = io.StringIO()
        slept: list[float] = []
        terminal = Terminal(tiny, Pace(wpm=150), None, out=out, speak=True, realtime=True, hold_scale=0.01,
                            sleep=slept.append, clock=lambda: 1000.0)
        outcome = terminal.send(ev.Start(practice="tiny"))
        said = [p.text for p in outcome.speech if isinstance(p, Say)]
        assert "espeak-ng is not installed" not in out.getvalue()
        assert log.read_text().splitlines() == [f"-s|150|--|{text}" for text in said]
        beats = sum(p.seconds for p in outcome.speech if isinstance(p, Silence))
        assert sum(slept) / 0.01 == pytest.approx(beats)  # the voice takes its own time; only silences wait


class TestSettings:
    def test_defaults(self) -> None:
        """With nothing set, every setting takes its documented default."""
        settings = Settings.from_env({})
        assert settings.sequences == ROOT / "sequences"
        assert settings.data_dir == ROOT / "data"
        assert (settings.pace.wpm, settings.pace.flow_seconds, settings.pace.mode) == (140, 240, "flow")

    def test_values_are_read(self, tmp_path: Path) -> None:
        """Set values are used, with stray spaces ignored."""
        settings = Settings.from_env({
            "GENTLE_YOGA_SEQUENCES": str(tmp_path), "GENTLE_YOGA_DATA_DIR": str(tmp_path / "d"),
            "GENTLE_YOGA_WPM": " 120 ", "GENTLE_YOGA_FLOW_SECONDS": "90", "GENTLE_YOGA_MODE": "step",
        })
        assert settings.sequences == tmp_path and settings.data_dir == tmp_path / "d"
        assert (settings.pace.wpm, settings.pace.flow_seconds, settings.pace.mode) == (120, 90, "step")

    BAD = [
        ("GENTLE_YOGA_WPM", "abc"), ("GENTLE_YOGA_WPM", "59"), ("GENTLE_YOGA_WPM", "301"),
        ("GENTLE_YOGA_WPM", "-140"), ("GENTLE_YOGA_WPM", "140.5"), ("GENTLE_YOGA_WPM", ""),
        ("GENTLE_YOGA_WPM", "²"), ("GENTLE_YOGA_FLOW_SECONDS", "29"), ("GENTLE_YOGA_FLOW_SECONDS", "601"),
        ("GENTLE_YOGA_MODE", "fast"), ("GENTLE_YOGA_MODE", "Flow"), ("GENTLE_YOGA_MODE", ""),
    ]

    @pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v!r}" for n, v in BAD])
    def test_bad_value_names_the_variable(self, name: str, value: str) -> None:
        """A value the skill cannot use raises ConfigError with a sentence naming the variable and the value."""
        with pytest.raises(ConfigError) as raised:
            Settings.from_env({name: value})
        assert str(raised.value).startswith(f"{name} is {value.strip()!r}; it should be")

    def test_every_setting_has_a_meaning_and_default(self) -> None:
        """Each setting in the table explains itself and has a default the settings accept (some are empty,
        meaning the fallback its sentence names)."""
        for name, (meaning, default) in SETTINGS.items():
            assert meaning and isinstance(default, str), name
            assert default or "empty" in meaning, name
        Settings.from_env({name: default for name, (_, default) in SETTINGS.items()})

    @pytest.mark.parametrize("command", ["check", "practice"])
    @pytest.mark.parametrize(("name", "value", "sentence"), [
        ("GENTLE_YOGA_WPM", "abc", "GENTLE_YOGA_WPM is 'abc'; it should be a whole number from 60 to 300"),
        ("GENTLE_YOGA_MODE", "fast", "GENTLE_YOGA_MODE is 'fast'; it should be one of flow, step"),
    ])
    def test_cli_turns_a_bad_setting_into_a_sentence(self, cli: Run, state: Path, command: str, name: str,
                                                     value: str, sentence: str) -> None:
        """A bad setting makes any command exit 2 with the sentence on stderr, and no traceback."""
        args = [command, "--state", str(state)] if command == "practice" else [command]
        result = cli(*args, lines=["quit"], env={name: value})
        assert result.returncode == 2
        no_traceback(result)
        assert result.stderr == f"gentle-yoga: {sentence}\n"
        assert result.stdout == ""


class TestEntryPoint:
    def test_no_command_prints_the_help(self, cli: Run) -> None:
        """`python -m skill` alone shows what it can do, and exits 0."""
        result = cli()
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: python -m skill") and "practice" in result.stdout

    def test_the_help_names_the_browser_player_and_says_plain_http(self, cli: Run) -> None:
        """The command list says serve runs the endpoint and the browser player, and claims no HTTPS."""
        for args in (("--help",), ("serve", "--help")):
            result = cli(*args)
            assert "browser" in result.stdout and "HTTPS-ready" not in result.stdout, result.stdout

    def test_a_python_without_the_requirements_says_what_to_run(self) -> None:
        """Run by a Python that lacks the requirements (here: the venv's own, without site-packages), it says to
        use the virtual environment, with no traceback."""
        result = subprocess.run([sys.executable, "-S", "-m", "skill", "check"], cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert "make venv" in result.stderr and ".venv/bin/python -m skill" in result.stderr
