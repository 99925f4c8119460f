"""Fixtures that build on each other: the real classes, then small classes written for one test."""
from __future__ import annotations

import textwrap
from pathlib import Path

import lanes
import pytest

from skill.classes import load_library
from skill.config import ROOT
from skill.practice.model import Library
from skill.practice.speech import Pace

SEQUENCES = ROOT / "sequences"

# A small but complete class: a top-level step, a sided block of two steps (one optional), an optional
# step, the final relaxation and a closing step, with rest points after the first step, each side and the
# bridge. Its declared length matches what it adds up to.
TINY = """\
id: tiny
title: Tiny Flow
minutes: {minutes}
level: gentle
focus: [testing, hips]
props: [a mat, a strap]
intro: A short class for tests.
closing: Thank you.
steps:
  - pose: knees_to_chest
    cue: Hug both knees in.
    hold: 60s
    rest: true
  - block: Strap series
    sides: [right, left]
    steps:
      - pose: reclined_hand_to_big_toe
        cue: Strap around the {{side}} foot, {{other_side}} leg long.
        hold: 60s
        floor: 20s
      - pose: reclined_leg_open
        cue: Let the {{side}} leg open to the {{side}}.
        hold: 45s
        optional: true
        rest: true
  - pose: bridge
    cue: Lift the hips.
    hold: 30s
    optional: true
    rest: true
  - pose: savasana
    cue: Rest completely.
    hold: 2m
    final: true
  - pose: seated_close
    cue: Come up to sit.
    hold: 10s
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests using a server's fixture carry its marker, so `make test-fast` leaves them out (tests/lanes.py)."""
    for item in items:
        for fixture, marker in lanes.BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Say the random order's seed at the end too, where -q (as in CI) still shows it, so a failure can be re-run."""
    if config.pluginmanager.hasplugin("randomly") and not hasattr(config, "workerinput"):
        seed = config.getoption("randomly_seed")
        terminalreporter.write_line(f"random order: repeat it with --randomly-seed={seed}"
                                    f" (-p no:randomly turns it off)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    lanes.entered(item)
    try:
        return (yield)
    finally:
        lanes.entered(None)


@pytest.fixture(autouse=True)
def _marked_for_what_it_starts():
    """A test that started a server its markers do not name fails at its end (tests/lanes.py)."""
    yield
    lanes.check()


@pytest.fixture(scope="session")
def library() -> Library:
    """Every class in sequences/, loaded once."""
    return load_library(SEQUENCES)


@pytest.fixture
def pace() -> Pace:
    return Pace()


@pytest.fixture
def sequences_dir(tmp_path: Path) -> Path:
    """An empty sequences folder with the real pose catalog and drawings, for classes written by one test."""
    folder = tmp_path / "sequences"
    folder.mkdir()
    for catalog in ("poses.yaml", "figures.yaml"):
        (folder / catalog).write_text((SEQUENCES / catalog).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture
def write_class(sequences_dir: Path):
    """Write a class file from YAML text into the test's sequences folder; returns its path."""
    def write(text: str, name: str = "tiny.yaml") -> Path:
        path = sequences_dir / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


@pytest.fixture
def tiny(write_class, sequences_dir: Path) -> Library:
    """A library holding only the tiny class."""
    write_class(TINY.format(minutes=8))
    return load_library(sequences_dir)


# The Alexa edge: store -> settings -> app -> client -> speaker, each building on the last (STYLE.md 5).
@pytest.fixture
def store():
    """A fresh in-memory store; the SQLite store has tests of its own on a real file."""
    from skill.stores.memory import MemoryStore

    return MemoryStore()


@pytest.fixture
def settings(tmp_path: Path):
    """Settings for one test: the real classes, flow mode, verification off, and the test skill's id."""
    from alexa import SKILL_ID

    from skill.config import Settings

    return Settings(sequences=SEQUENCES, data_dir=tmp_path / "data", verify=False, skill_id=SKILL_ID)


@pytest.fixture
def app(settings, library, store):
    from skill.web.app import create_app

    return create_app(settings, library=library, store=store)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def speaker(client):
    """A person talking to the skill over HTTP, with a clock that moves as the speech plays."""
    from alexa import Speaker

    return Speaker(client)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the whole run, on a free loopback port (never skipped: make test installs it)."""
    from servers import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """The shared server's URL, emptied first so each test starts with no records."""
    if redis_server.process is None or not redis_server.ping():
        redis_server.start()  # a fault test stopped it
    redis_server.flush()
    return redis_server.url


# Real audio: the local voice (Festival, installed by make test) renders every class once per run into one cache.
@pytest.fixture(scope="session")
def audio_cache(tmp_path_factory) -> Path:
    """A fresh clip cache for the run; GENTLE_YOGA_TEST_AUDIO_CACHE names a lasting one, for a quick edit loop.

    Under pytest-xdist the workers share one (beside their own temporary folders): the cache locks the folder
    while a library renders (skill/audio/clips.py), so one worker renders and the others find the clips there.
    Tests that damage a clip do so on a copy of their own."""
    import os

    lasting = os.environ.get("GENTLE_YOGA_TEST_AUDIO_CACHE")
    if lasting:
        return Path(lasting)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "audio-cache"
        shared.mkdir(exist_ok=True)
        return shared
    return tmp_path_factory.mktemp("audio-cache")


@pytest.fixture(scope="session")
def rendered(library, audio_cache):
    """An audio host for the real classes in the real local voice, prepared (every clip rendered and measured)."""
    from skill.audio.assemble import Audio
    from skill.audio.clips import ClipCache, DiskBackend
    from skill.audio.host import AudioHost
    from skill.audio.voices import from_setting

    lanes.needs("audio")
    voice, why = from_setting("local")
    assert voice is not None, f"the local voice is needed for these tests ({why}); make test installs it"
    host = AudioHost(Audio(voice, ClipCache(DiskBackend(audio_cache / "clips"))), library, Pace())
    host.prepare()
    assert host.ready, host.failed
    return host


@pytest.fixture
def sqlite_store(tmp_path):
    """A real SQLite file for one test."""
    from skill.stores.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "state.sqlite3", b"audio test secret, not for production")
    yield store
    store.close()


@pytest.fixture
def device(rendered, library, sqlite_store, tmp_path):
    """A speaker with an audio player (tests/device.py), on a real app, signed requests, and a real SQLite file."""
    from test_audio_player import make_device

    return make_device(rendered, library, sqlite_store, tmp_path)
