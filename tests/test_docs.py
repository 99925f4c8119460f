"""The docs keep up with the code: settings, make targets, classes, the class format, and the commands run."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from skill.classes.loader import BLOCK_FIELDS, CLASS_FIELDS, CLASS_OPTIONAL, STEP_FIELDS
from skill.config import ROOT, SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")
FORMAT = (ROOT / "docs" / "sequence-format.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """Every `make ...` and `python -m skill ...` command the README shows in a code block or table."""
    found = re.findall(r"`((?:make|python -m skill)[^`]*)`", README)
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        found += [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    return sorted(set(found))


class TestReadme:
    @pytest.mark.parametrize("name", sorted(SETTINGS))
    def test_every_setting_is_documented(self, name):
        """Each environment variable the skill reads has a row in the README."""
        assert f"`{name}`" in README

    @pytest.mark.parametrize("name", re.findall(r"os\.environ\.get\(\"([A-Z_]+)\"",
                                                (ROOT / "skill" / "web" / "gunicorn_conf.py").read_text()))
    def test_every_gunicorn_setting_is_documented(self, name):
        """Each environment variable gunicorn_conf.py reads has a row in the README's gunicorn table."""
        assert re.search(rf"^\| `{name}` \|", README, re.M)

    @pytest.mark.parametrize("target", re.findall(r"^([a-z-]+):.*## ", MAKEFILE, re.M))
    def test_every_make_target_is_documented(self, target):
        """Each make target with a description is named in the README."""
        assert f"make {target}" in README

    def test_every_class_is_listed_and_no_other(self, library):
        """The README's class table lists exactly the classes in sequences/."""
        listed = set(re.findall(r"^\| `([a-z_]+)` \|", README, re.M))
        assert listed == {p.id for p in library}

    def test_the_quick_start_is_two_commands_that_set_themselves_up(self):
        """The quick start shows one command that starts the skill and one that runs the tests."""
        block = re.search(r"## Quick start.*?```sh\n(.*?)```", README, re.S).group(1)
        commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
        assert commands == ["make serve", "make test"]
        for target, stamp in (("serve", "SERVE_STAMP"), ("test", "STAMP")):  # serve: the runtime lock only
            assert re.search(rf"^{target}: \$\({stamp}\)", MAKEFILE, re.M), f"make {target} sets up the venv"


def run(command: str, tmp_path, stdin: str = "", **extra: str) -> subprocess.CompletedProcess:
    # Run as a person would: not inside this test run's own make (whose MAKEFLAGS would pass ARGS down).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ARGS")}
    env.update(GENTLE_YOGA_DATA_DIR=str(tmp_path), **extra)
    # A placeholder folder (`--package DIR`) goes to the test's own folder, never into the repository.
    args = [str(tmp_path / "DIR") if arg == "DIR" else arg for arg in shlex.split(command)]
    if args[0] == "python":
        args[0] = sys.executable
    return subprocess.run(args, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
class TestReadmeCommandsRun:
    # Not run here: make test is what runs this very test (make test-fast runs a part of it, and make mutate runs
    # parts of it for minutes against each mutant), make clean would delete the venv it runs in, a
    # real-time class takes forty minutes, make model rewrites committed files (test_interaction_model runs it
    # into a temporary folder), the server runs until stopped (test_serve starts and stops make serve), and the
    # measurements take minutes (make test runs the same code smaller: test_load, test_fuzz, test_invariants;
    # their scripts' --help is checked below; make render renders minutes of audio, and test_audio_classes runs
    # the same command on the warm cache). make lock rewrites the committed locks from the package index
    # (test_packaging checks they are fresh).
    # make phrasings runs node (virtual-alexa's matcher)
    @pytest.mark.parametrize("command", [pytest.param(c, marks=pytest.mark.node) if c == "make phrasings" else c
                                         for c in readme_commands()
                                         if c not in ("make test", "make test-fast", "make mutate", "make clean",
                                                      "make model", "make bench", "make load", "make fuzz",
                                                      "make profile", "make render",
                                                      "make lock")
                                         and "--realtime" not in c and "serve" not in c and "gunicorn" not in c
                                         and "--upload" not in c  # uploading needs AWS: test_audio_aws on moto
                                         and not c.startswith("make render")])
    def test_command_runs(self, command, tmp_path):
        """Every command the README shows exits 0 (the practice ones with 'quit' typed in)."""
        result = run(command, tmp_path, stdin="quit\n")
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stdout + result.stderr


class TestReadmeFigures:
    def test_low_back_release_takes_as_many_turns_as_the_readme_says(self, library):
        """The README's 'N things said in flow mode, and M in step mode' holds. M is the start plus one per step; N
        is the start plus one per stretch between rest points (each of Low Back Release's stretches is too long to
        share a response with the next); and playing the class through the engine takes exactly those."""
        from skill.practice.rehearse import summarise

        found = re.search(r"Low Back Release takes (\d+)\s+things said in flow mode, and (\d+) in step mode", README)
        assert found, "the README should say how many turns Low Back Release takes"
        flow, step = map(int, found.groups())
        practice = library.get("low_back_release")
        assert step == 1 + len(practice.steps)
        assert flow == 1 + sum(s.rest for s in practice.steps) + 1
        summary = summarise(library, "low_back_release")
        assert (summary.flow_turns, summary.step_turns) == (flow, step)

    def test_the_class_table_gives_each_class_its_declared_minutes(self, library):
        """Each row of the README's class table names the class's title and the minutes its file declares."""
        rows = {m[0]: (m[1], int(m[2])) for m in re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \| (\d+) \|", README, re.M)}
        assert rows == {p.id: (p.title, p.minutes) for p in library}


@pytest.mark.slow
class TestReadmeExamples:
    def test_the_terminal_example_is_a_real_run(self, tmp_path):
        """The README's terminal session, typed in again at 100 columns, prints every line it shows, in order
        ("..." stands for lines left out)."""
        block = re.search(r"## Practising in the terminal.*?```\n(.*?)```", README, re.S).group(1)
        typed = [line[2:] for line in block.splitlines() if line.startswith("> ")]
        result = run("python -m skill practice --fresh", tmp_path, "".join(f"{line}\n" for line in typed),
                     COLUMNS="100")
        assert result.returncode == 0, result.stderr
        printed = iter(result.stdout.splitlines())
        for line in block.splitlines():
            if line.strip() != "...":
                assert any(out == line for out in printed), f"the README shows {line!r}, which the run never printed"


class TestFormatDoc:
    @pytest.mark.parametrize("field", sorted(CLASS_FIELDS | CLASS_OPTIONAL | STEP_FIELDS | BLOCK_FIELDS))
    def test_every_field_the_loader_accepts_is_documented(self, field):
        """docs/sequence-format.md describes each field a class file may use."""
        assert re.search(rf"^\s*(?:- )?#?\s*{field}:", FORMAT, re.M), field


def test_changelog_has_an_unreleased_section():
    """Keep a Changelog: changes gather under Unreleased until a release."""
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("script", ["benchmarks/run.py", "benchmarks/load.py", "benchmarks/profile_requests.py",
                                    "benchmarks/request.py", "benchmarks/http_throughput.py",
                                    "benchmarks/cold_start.py", "benchmarks/stores.py", "benchmarks/verify.py",
                                    "benchmarks/audio.py"])
def test_each_measurement_script_explains_itself(script):
    """The scripts behind make bench, load and profile answer --help without measuring anything."""
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), script, "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("usage:"), result.stderr


class TestDeployDocs:
    LAMBDA = (ROOT / "docs" / "deploy-lambda.md").read_text(encoding="utf-8")

    def test_every_table_command_names_its_region(self):
        """Each `aws dynamodb` command in the Lambda guide says which region, so it works without a default one."""
        commands = re.findall(r"aws dynamodb [^\n`]*", self.LAMBDA)
        assert commands and all("--region" in command for command in commands), commands

    def test_function_and_role_come_from_the_ask_cli_state(self):
        """FUNCTION and ROLE are read from .ask/ask-states.json, where ask deploy keeps them, as is the skill id."""
        assert re.search(r"^FUNCTION=.*ask-states\.json", self.LAMBDA, re.M)
        assert re.search(r"^ROLE=.*ask-states\.json", self.LAMBDA, re.M)
        assert "`.ask/ask-states.json`, where the ASK CLI keeps the skill's id" in self.LAMBDA

    def test_packaging_output_is_git_ignored(self, tmp_path):
        """build/ (the ASK CLI package, the contact sheet) never shows up as a change to commit."""
        result = subprocess.run(["git", "check-ignore", "-q", "build/ask/skill-package/skill.json"], cwd=ROOT)
        assert result.returncode == 0
