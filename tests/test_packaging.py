"""Packaging: the locks follow pyproject.toml, `pip install .` gives a working command, make checks its Python."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import skill
from skill.audio import mp3
from skill.audio.voices import from_setting
from skill.config import ROOT
from skill.errors import AudioError

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# What each lock must hold, as the design says: serving on SQLite (with its audio), and everything for the tests.
RUNTIME_EXTRAS = ("audio",)
DEV_EXTRAS = ("audio", "redis", "aws")


def load_lock_script() -> ModuleType:
    """.ci/lock.py, which `make lock` runs (a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("lock_script", ROOT / ".ci" / "lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pins(lock: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """A lock's pins: canonical name -> (version, hashes). Every requirement in it must be name==version (with
    a marker where it applies to some Pythons or platforms only) and carry its sha256 hashes."""
    text = (ROOT / lock).read_text(encoding="utf-8").replace("\\\n", " ")
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for line in text.splitlines():
        requirement, *hashes = re.split(r"\s+--hash=", line.split("#")[0].strip())
        if not requirement:
            continue
        pinned = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)( ; .+)?", requirement)
        assert pinned, f"{lock}: {requirement!r} is not pinned to one version"
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), (
            f"{lock}: {requirement} should carry its sha256 hashes, has {hashes}")
        found[canonicalize_name(pinned.group(1))] = (pinned.group(2), tuple(hashes))
    return found


def declared(extras: tuple[str, ...], *, dev: bool = False) -> list[Requirement]:
    """What pyproject.toml (and, for the dev lock, requirements-dev.in) asks for."""
    wanted = list(PROJECT["dependencies"]) + [r for extra in extras for r in PROJECT["optional-dependencies"][extra]]
    if dev:
        wanted += load_lock_script().dev_requirements()
    return [Requirement(text) for text in wanted]


class TestLocks:
    @pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
    def test_each_lock_was_compiled_from_todays_inputs(self, lock):
        """The digest of pyproject.toml's requirements and requirements-dev.in recorded in each lock is today's."""
        first = (ROOT / lock).read_text(encoding="utf-8").splitlines()[0]
        recorded = re.fullmatch(r"# inputs: sha256=([0-9a-f]{64}) .*", first)
        assert recorded, f"{lock} does not start with the digest of its inputs; run make lock"
        assert recorded.group(1) == load_lock_script().inputs_digest(), (
            f"{lock} is stale: pyproject.toml's requirements or requirements-dev.in changed since; run make lock")

    @pytest.mark.parametrize(("lock", "extras", "dev"), [("requirements.txt", RUNTIME_EXTRAS, False),
                                                         ("requirements-dev.txt", DEV_EXTRAS, True)])
    def test_every_requirement_is_pinned_to_a_version_it_allows(self, lock, extras, dev):
        """Each requirement the inputs name is pinned in the lock, at a version its specifier allows."""
        pinned = pins(lock)
        for requirement in declared(extras, dev=dev):
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{lock} does not pin {requirement}; run make lock"
            assert requirement.specifier.contains(pinned[name][0], prereleases=True), (
                f"{lock} pins {name}=={pinned[name][0]}, which {requirement} rules out; run make lock")

    def test_serving_installs_no_extra_and_no_dev_tool(self):
        """The runtime lock leaves out the redis and aws extras and every test tool: `make serve` stays small."""
        pinned = pins("requirements.txt")
        for name in ("redis", "boto3", "botocore", "pytest", "playwright", "moto", "mypy", "uv"):
            assert name not in pinned

    def test_the_dev_lock_holds_every_runtime_pin_as_it_is(self):
        """The tests run on exactly the versions, and files, that `make serve` installs."""
        runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
        assert {name: dev.get(name) for name in runtime} == runtime


class TestLockDigest:
    """The staleness check sees a changed requirement, and only that."""

    @pytest.fixture
    def inputs(self, tmp_path):
        for name in ("pyproject.toml", "requirements-dev.in"):
            shutil.copyfile(ROOT / name, tmp_path / name)
        return tmp_path

    @pytest.mark.parametrize(("file", "before", "after"), [
        ("pyproject.toml", '"Flask>=3.1"', '"Flask>=3.2"'),
        ("pyproject.toml", 'redis = ["redis>=8.1"]', 'redis = ["redis>=8.1", "hiredis"]'),
        ("pyproject.toml", 'requires-python = ">=3.11"', 'requires-python = ">=3.12"'),
        ("requirements-dev.in", "\npytest\n", "\npytest\npytest-cov\n"),
    ])
    def test_a_changed_requirement_makes_the_locks_stale(self, inputs, file, before, after):
        """Editing a dependency, an extra, the Python bound or a dev tool changes the digest the locks record."""
        script = load_lock_script()
        assert script.inputs_digest(inputs) == script.inputs_digest(ROOT)
        text = (inputs / file).read_text(encoding="utf-8")
        assert before in text
        (inputs / file).write_text(text.replace(before, after, 1), encoding="utf-8")
        assert script.inputs_digest(inputs) != script.inputs_digest(ROOT)

    def test_settings_and_comments_leave_the_locks_fresh(self, inputs):
        """Another tool's settings in pyproject.toml, or a comment, need no new lock."""
        script = load_lock_script()
        with (inputs / "pyproject.toml").open("a", encoding="utf-8") as file:
            file.write('\n[tool.coverage.run]\nbranch = true\n')
        with (inputs / "requirements-dev.in").open("a", encoding="utf-8") as file:
            file.write("# a note\n")
        assert script.inputs_digest(inputs) == script.inputs_digest(ROOT)


class TestAudioExtra:
    def test_without_the_encoder_a_local_voice_is_off_and_says_how_to_add_it(self, monkeypatch):
        """Installed without [audio], the default voice is off with a sentence, and Alexa speaks the class."""
        monkeypatch.setitem(sys.modules, "lameenc", None)  # as if lameenc were not installed
        assert from_setting("local") == (None, "no voice: the MP3 encoder is not installed (pip install "
                                               "'gentle-yoga[audio]', which brings lameenc), so classes are spoken "
                                               "by Alexa, timed by estimate")
        with pytest.raises(AudioError, match=r"cannot encode audio: .*gentle-yoga\[audio\]"):
            mp3.encode(b"\0\0" * 2400, mp3.RATE)


def without_make_flags() -> dict[str, str]:
    # Run as a person would: not inside this test run's own make (whose MAKEFLAGS would pass ARGS down).
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ARGS")}


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env=without_make_flags(),
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def old_python(tmp_path) -> Path:
    """A python3.9 as far as make can tell: it answers every question with its version."""
    fake = tmp_path / "python3.9"
    fake.write_text("#!/bin/sh\necho 3.9.18\n")
    fake.chmod(0o755)
    return fake


class TestMakeVenv:
    @pytest.mark.parametrize("target", ["serve", "venv"])
    def test_a_python_older_than_3_11_is_refused_in_one_sentence(self, tmp_path, old_python, target):
        """make names the python, its version and what to install, and makes no venv from it."""
        result = make(target, f"PYTHON={old_python}", f"VENV={tmp_path / 'venv'}")
        assert result.returncode != 0
        assert (f"Gentle Yoga needs Python 3.11 or newer, but {old_python} ({old_python}) is Python 3.9.18: "
                "install Python 3.11 or newer (e.g. apt-get install python3.11 python3.11-venv) and run "
                "make PYTHON=python3.11.") in result.stderr
        assert not (tmp_path / "venv").exists()

    def test_a_missing_python_is_named(self, tmp_path):
        """With no such python, make says so and what to install."""
        result = make("serve", f"PYTHON={tmp_path / 'python3'}", f"VENV={tmp_path / 'venv'}")
        assert result.returncode != 0
        assert f"Gentle Yoga needs Python 3.11 or newer, but there is no working {tmp_path / 'python3'} here" in (
            result.stderr)

    @pytest.mark.parametrize("broken", ["install cut short", "python gone"])
    def test_a_venv_left_broken_is_removed_not_reused(self, tmp_path, old_python, broken):
        """A venv whose install was cut short, or whose python is gone, is thrown away whatever its stamps say
        (here the old python then stops the rebuild, so nothing is downloaded)."""
        venv = tmp_path / "venv"
        (venv / "bin").mkdir(parents=True)
        (venv / ".serve-installed").touch()
        (venv / ".installed").touch()
        if broken == "install cut short":
            os.symlink(sys.executable, venv / "bin" / "python")
            (venv / ".installing").touch()
        result = make("serve", f"PYTHON={old_python}", f"VENV={venv}")
        assert f"{venv} is broken" in result.stdout and "building it again" in result.stdout
        assert not venv.exists() and result.returncode != 0

    def test_a_sound_venv_is_kept(self, tmp_path, old_python):
        """A venv whose python works and whose stamps are fresh is used as it is, with no install."""
        venv = tmp_path / "venv"
        (venv / "bin").mkdir(parents=True)
        os.symlink(sys.executable, venv / "bin" / "python")
        for stamp in (".serve-installed", ".installed"):
            (venv / stamp).touch()
        result = make("-n", "serve", f"PYTHON={old_python}", f"VENV={venv}")  # -n: say what would run
        assert result.returncode == 0, result.stderr
        assert "pip install" not in result.stdout and f"{venv}/bin/python -m skill serve" in result.stdout


def project_copy(into: Path) -> Path:
    """The project's files, without the venv, caches or state, so building never writes into the checkout."""
    ignore = shutil.ignore_patterns(".git", ".venv", "data", "build", "node_modules", "__pycache__", "*.egg-info",
                                    ".pytest_cache", ".hypothesis", ".mutmut-cache", "mutants")
    return Path(shutil.copytree(ROOT, into / "project", ignore=ignore))


def pip(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args], cwd=cwd,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
class TestInstall:
    def test_the_wheel_carries_the_package_its_data_and_the_classes_but_no_tests(self, tmp_path):
        """Every module and data file under skill/ and every class file is in the wheel; tests/ is not."""
        project = project_copy(tmp_path)
        pip(Path(sys.executable), "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), ".", cwd=project)
        (wheel,) = (tmp_path / "dist").glob("gentle_yoga-*.whl")
        assert wheel.name == f"gentle_yoga-{skill.__version__}-py3-none-any.whl"
        names = set(zipfile.ZipFile(wheel).namelist())
        wanted = {path.relative_to(ROOT).as_posix() for path in (ROOT / "skill").rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts}
        wanted |= {f"skill/sequences/{path.name}" for path in (ROOT / "sequences").glob("*.yaml")}
        assert wanted - names == set()
        assert not [name for name in names if name.startswith(("tests/", "benchmarks/", "interaction_model/"))]

    def test_pip_install_in_a_clean_venv_gives_a_working_gentle_yoga_command(self, tmp_path, library):
        """`pip install .` into a new venv (dependencies from the package index) installs `gentle-yoga`, which
        prints its help, checks the classes it carries and leads a class in the terminal, keeping state in the
        user's data dir."""
        project = project_copy(tmp_path)
        venv = tmp_path / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
        pip(venv / "bin" / "python", "install", "--quiet", ".", cwd=project)
        command = venv / "bin" / "gentle-yoga"
        home, work = tmp_path / "home", tmp_path / "work"
        work.mkdir()
        env = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": str(home)}

        def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
            return subprocess.run([str(command), *args], cwd=work, env=env, input=stdin, capture_output=True,
                                  text=True, timeout=300)

        helped = run("--help")
        assert helped.returncode == 0 and helped.stdout.startswith("usage: gentle-yoga ")
        assert run("--version").stdout.strip() == f"gentle-yoga {skill.__version__}"
        checked = run("check")
        assert checked.returncode == 0, checked.stderr
        carried = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages" / \
            "skill" / "sequences"
        assert f"{len(library)} classes in {carried}," in checked.stdout
        assert "All classes load, and every response they produce is valid SSML." in checked.stdout
        assert (work / "build" / "figures.html").is_file()
        practised = run("practice", "--class", "low_back_release", stdin="begin\nstop\n")
        assert practised.returncode == 0, practised.stderr
        assert "Low Back Release" in practised.stdout
        assert (home / ".local" / "share" / "gentle-yoga" / "terminal-state.json").is_file()
        assert not list(venv.rglob("site-packages/tests/*"))
