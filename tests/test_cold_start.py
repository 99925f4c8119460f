"""What a server's start loads: the classes' parsed values kept between starts, and nothing a request path does not
need (no YAML parser with unchanged classes, no audio package without a voice, no drawings, no APL models)."""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from conftest import SEQUENCES, TINY

from skill.classes import load_library
from skill.classes.fields import read_yaml
from skill.classes.parsed import entry
from skill.config import ROOT
from skill.errors import SequenceErrors

FILES = sorted(SEQUENCES.glob("*.yaml"))


class TestParsedValuesKept:
    @pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
    def test_each_file_reads_back_exactly_as_pyyaml_reads_it(self, path: Path, tmp_path: Path) -> None:
        """Values and types (an int stays an int, True stays True) as the pure-Python safe_load gives them,
        whether the entry was just made or read back."""
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        made, kept = read_yaml(path, tmp_path), read_yaml(path, tmp_path)
        assert entry(tmp_path, path).exists()
        assert made == expected and kept == expected
        assert repr(kept) == repr(expected)  # repr shows 1 and 1.0, True and 1 apart where == does not

    def test_the_library_is_the_same_with_or_without_kept_values(self, tmp_path: Path) -> None:
        plain = load_library(SEQUENCES)
        assert load_library(SEQUENCES, tmp_path) == plain  # parsed, and kept
        assert load_library(SEQUENCES, tmp_path) == plain  # read back
        assert len(list(tmp_path.glob("*.marshal"))) == len(FILES) - 1  # every class and poses.yaml; no figures

    def test_an_edited_file_is_read_afresh(self, sequences_dir: Path, write_class, tmp_path: Path) -> None:
        def title() -> str:
            practice = load_library(sequences_dir, tmp_path).get("tiny")
            assert practice is not None
            return practice.title

        path = write_class(TINY.format(minutes=8))
        assert title() == "Tiny Flow"
        path.write_text(TINY.format(minutes=8).replace("title: Tiny Flow", "title: Small Flow"), encoding="utf-8")
        assert title() == "Small Flow"

    def test_a_damaged_entry_is_parsed_again_and_replaced(self, tmp_path: Path) -> None:
        path = SEQUENCES / "poses.yaml"
        read_yaml(path, tmp_path)
        entry(tmp_path, path).write_bytes(b"\x00 not what was kept")
        assert read_yaml(path, tmp_path) == yaml.safe_load(path.read_text(encoding="utf-8"))
        assert read_yaml(path, tmp_path) == yaml.safe_load(path.read_text(encoding="utf-8"))
        assert entry(tmp_path, path).read_bytes() != b"\x00 not what was kept"

    def test_an_entry_kept_under_another_python_is_parsed_again(self, tmp_path: Path) -> None:
        """marshal's format may change between Python versions: an entry stamped by another Python (here, the
        stamp of 3.10 written by hand, holding other values) is not read; the file is parsed and kept afresh."""
        path = SEQUENCES / "poses.yaml"
        text = path.read_text(encoding="utf-8")
        other = (f"gentle-yoga parsed yaml 1, marshal {marshal.version}, Python 3.10",
                 metadata.version("PyYAML"), hashlib.sha256(text.encode("utf-8")).hexdigest())
        tmp_path.mkdir(exist_ok=True)
        entry(tmp_path, path).write_bytes(marshal.dumps((other, {"not": "the catalog"})))
        assert read_yaml(path, tmp_path) == yaml.safe_load(text)
        kept = marshal.loads(entry(tmp_path, path).read_bytes())
        assert kept[0][0].endswith(f"Python {sys.version_info[0]}.{sys.version_info[1]}")

    def test_nothing_is_kept_where_nothing_can_be_written(self, tmp_path: Path) -> None:
        blocked = tmp_path / "a file, not a folder"
        blocked.write_text("")
        assert load_library(SEQUENCES, blocked / "cache") == load_library(SEQUENCES)

    def test_a_broken_file_says_the_same_and_keeps_nothing(self, sequences_dir: Path, write_class,
                                                           tmp_path: Path) -> None:
        write_class(TINY.format(minutes=8).replace("title: Tiny Flow", "title: [Tiny"))
        with pytest.raises(SequenceErrors) as plain:
            load_library(sequences_dir)
        with pytest.raises(SequenceErrors) as kept:
            load_library(sequences_dir, tmp_path)
        assert "line 3, column 8: not valid YAML" in str(plain.value)
        assert str(kept.value) == str(plain.value)
        assert not entry(tmp_path, sequences_dir / "tiny.yaml").exists()


class TestDrawingsReadWhenAskedFor:
    def test_the_first_request_for_a_drawing_reads_them(self, settings, library, store) -> None:
        from skill.web.app import create_app

        client = create_app(settings, library=library, store=store).test_client()
        reply = client.get("/figures/bridge.svg")  # figures.yaml is read now, by the first request for a drawing
        assert reply.status_code == 200 and reply.mimetype == "image/svg+xml" and b"<svg" in reply.data

    def test_a_broken_figures_file_is_logged_and_leaves_no_drawings(self, settings, library, store,
                                                                   sequences_dir: Path, caplog) -> None:
        from dataclasses import replace

        from skill.web.app import create_app

        (sequences_dir / "figures.yaml").write_text("bridge: [not, a, drawing]\n", encoding="utf-8")
        client = create_app(replace(settings, sequences=sequences_dir), library=library, store=store).test_client()
        reply = client.get("/figures/bridge.svg")
        assert reply.status_code == 404 and reply.get_json() == {"error": "there is no drawing called 'bridge.svg'"}
        assert "the drawings cannot be used" in caplog.text and "bridge" in caplog.text


# A production start, as benchmarks/cold_start.py makes it: no voice, no verification, SQLite in the data dir.
START = """
import json, sys, time
sys.path.insert(0, "tests")
from alexa import envelope
from skill.web.app import create_app
app = create_app()
body = json.dumps(envelope("launch", time.time(), new=True))
reply = app.test_client().post("/alexa", data=body, content_type="application/json")
assert reply.status_code == 200 and "<speak>" in reply.get_data(as_text=True), reply.get_data(as_text=True)
wanted = ("yaml", "skill.audio.host", "skill.figures", "ask_sdk_model.interfaces.alexa.presentation.apl",
          "ask_sdk_model.interfaces.audioplayer")
print(json.dumps(sorted(name for name in wanted if name in sys.modules)))
"""


def test_a_start_with_unchanged_classes_loads_only_what_a_launch_needs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENTLE_YOGA_")}
    env.update(GENTLE_YOGA_VOICE="off", GENTLE_YOGA_VERIFY="off", GENTLE_YOGA_STORE="sqlite",
               GENTLE_YOGA_DATA_DIR=str(tmp_path / "data"), GENTLE_YOGA_ID_SECRET="test", GENTLE_YOGA_SKILL_ID="",
               GENTLE_YOGA_LOG_LEVEL="error")

    def start() -> list[str]:
        done = subprocess.run([sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert start() == ["yaml"]  # the first start parses the classes, and keeps what it parsed
    assert start() == []  # later ones read them back, and need nothing else for a launch
