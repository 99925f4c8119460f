"""`make serve` on the embedded default: a real server process, real HTTP on loopback, then a clean stop."""
from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alexa import START, envelope, intent

from skill.config import ROOT

pytestmark = [pytest.mark.gunicorn, pytest.mark.slow]

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)/$")


def http(url: str, body: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    banner: str


def start(tmp_path: Path, **env: str) -> Server:
    clean = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ARGS")}
    clean.update(GENTLE_YOGA_DATA_DIR=str(tmp_path / "data"), GENTLE_YOGA_VOICE="off")  # a voice has its own test
    clean.update(env)
    process = subprocess.Popen(["make", "--no-print-directory", "serve", "ARGS=--port 0"], cwd=ROOT, env=clean,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if match := LISTENING.search(line):
            for _ in range(11):  # the rest of the banner
                lines.append(process.stdout.readline())
            return Server(process, match.group(1), "".join(lines))
    stop(process)
    raise AssertionError("the server did not start:\n" + "".join(lines))


def stop(process: subprocess.Popen) -> str:
    """Ctrl+C, as a person at the terminal would; returns what the server printed after it."""
    if process.returncode is not None:  # already stopped by the test
        return ""
    os.killpg(process.pid, signal.SIGINT)
    try:
        rest, _ = process.communicate(timeout=20)
        return rest
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    """`make serve` with the defaults (SQLite, verification on), on a free port."""
    server = start(tmp_path)
    yield server
    stop(server.process)


@pytest.fixture
def served_unverified(tmp_path: Path) -> Iterator[Server]:
    server = start(tmp_path, GENTLE_YOGA_VERIFY="off")
    yield server
    stop(server.process)


class TestMakeServe:
    def test_it_says_where_it_listens_and_how_to_point_a_skill_at_it(self, served):
        """The banner gives the endpoint, the store, verification on, and the HTTPS endpoint to configure."""
        assert "SQLite" in served.banner and "verification: on" in served.banner
        assert "https://YOUR-HOST/alexa" in served.banner and "gunicorn" in served.banner

    def test_health_answers_over_http(self, served):
        """GET /healthz answers on the real server."""
        status, body = http(f"{served.base}/healthz")
        assert status == 200 and body["status"] == "ok"

    def test_an_unsigned_request_is_refused(self, served, tmp_path):
        """With verification on (the default), a request without Alexa's signature gets a 400."""
        status, body = http(f"{served.base}/alexa", json.dumps(envelope("launch", time.time())).encode())
        assert status == 400 and "SignatureCertChainUrl" in body["error"]

    def test_the_banner_names_the_browser_player(self, served):
        """The banner says where to practise in a browser as well as where Alexa calls, and the page is there."""
        assert f"practise in a browser: {served.base}/" in served.banner
        assert f"Alexa endpoint:        {served.base}/alexa" in served.banner
        with urllib.request.urlopen(f"{served.base}/", timeout=10) as page:
            assert page.status == 200 and b"Gentle Yoga" in page.read()

    def test_a_busy_port_says_what_to_do(self, tmp_path):
        """A port already taken is a sentence naming it and how to choose another, not werkzeug's message."""
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            clean = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ARGS")}
            result = subprocess.run(["make", "--no-print-directory", "serve", f"ARGS=--port {port}"], cwd=ROOT,
                                    env={**clean, "GENTLE_YOGA_DATA_DIR": str(tmp_path / "data")},
                                    capture_output=True, text=True, timeout=120)
        assert result.returncode != 0
        assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
        assert "make serve ARGS='--port 8080'" in result.stderr and "Traceback" not in result.stderr

    def test_it_stops_cleanly_on_ctrl_c(self, tmp_path):
        """Ctrl+C stops the server and says so, with no traceback."""
        server = start(tmp_path)
        said = stop(server.process)
        assert "Stopped." in said and "Traceback" not in said


class TestServeWithAVoice:
    def test_the_banner_names_the_voice_and_the_audio_streams_play(self, rendered, audio_cache, tmp_path):
        """With the local voice and a warm clip cache, the banner names Festival, and a step's stream is served
        over real HTTP as MP3."""
        from skill.practice.plan import Plan

        server = start(tmp_path, GENTLE_YOGA_VOICE="local", GENTLE_YOGA_AUDIO_CACHE=str(audio_cache))
        try:
            assert re.search(r"voice: +festival [\d.]+, voice slt \(local\)", server.banner), server.banner
            assert "rendering the classes in the background" not in server.banner, "a warm cache is ready at once"
            practice = rendered.library.get("morning_wake_up")
            name = rendered.step_ref(practice, Plan.full(practice), 0).name
            with urllib.request.urlopen(f"{server.base}/audio/{name}", timeout=10) as answer:
                assert answer.headers["Content-Type"] == "audio/mpeg"
                assert answer.read() == rendered.stream(name).data
        finally:
            stop(server.process)

    def test_with_no_voice_the_banner_says_why(self, served):
        assert "voice:        no voice (GENTLE_YOGA_VOICE=off)" in served.banner


class TestServeWithoutVerification:
    def test_the_banner_warns_loudly(self, served_unverified):
        """Verification off is said in capitals at start."""
        assert "OFF" in served_unverified.banner and "VERIFICATION IS OFF" in served_unverified.banner

    def test_a_class_is_kept_in_sqlite_across_a_restart(self, served_unverified, tmp_path):
        """A class started on one run of the server is still there after a restart, in the SQLite file."""
        status, _ = http(f"{served_unverified.base}/alexa", json.dumps(
            intent("StartClassIntent", START, {"practice": ("hip release", "hip_release")})).encode())
        assert status == 200
        stop(served_unverified.process)
        assert list((tmp_path / "data").glob("*.sqlite3"))
        again = start(tmp_path, GENTLE_YOGA_VERIFY="off")
        try:
            status, body = http(f"{again.base}/alexa", json.dumps(envelope("launch", START + 60, new=True)).encode())
        finally:
            stop(again.process)
        assert status == 200 and "Hip Release is ready for you" in body["response"]["outputSpeech"]["ssml"]


class TestGunicorn:
    def test_the_documented_production_command_serves(self, tmp_path):
        """The README's gunicorn command, on a free port, serves the same app with two workers."""
        command = re.search(r"^\.venv/bin/(gunicorn .*)$", (ROOT / "README.md").read_text(), re.M).group(1)
        args = shlex.split(command.replace("0.0.0.0:8000", "127.0.0.1:0"))
        env = dict(os.environ, GENTLE_YOGA_DATA_DIR=str(tmp_path / "data"), GENTLE_YOGA_VERIFY="off",
                   GENTLE_YOGA_VOICE="off")  # no first render of every class's audio in the workers here
        process = subprocess.Popen([str(ROOT / ".venv" / "bin" / args[0]), *args[1:]], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        said: list[str] = []
        try:
            base = None
            for _ in range(200):
                line = process.stdout.readline()
                said.append(line)
                if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
                    base = match.group(1)
                    break
            assert base, "gunicorn did not start"
            for _ in range(50):  # the workers boot after the socket is bound
                try:
                    status, body = http(f"{base}/healthz")
                    break
                except (ConnectionError, urllib.error.URLError):
                    time.sleep(0.1)
            assert status == 200 and body["status"] == "ok"
            status, body = http(f"{base}/alexa", json.dumps(envelope("launch", time.time(), new=True)).encode())
            assert status == 200 and "Welcome to Gentle Yoga" in body["response"]["outputSpeech"]["ssml"]
            # The master says the warnings once it is ready, which may come after the workers answer.
            reader = threading.Thread(target=lambda: said.extend(iter(process.stdout.readline, "")), daemon=True)
            reader.start()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and "REQUEST VERIFICATION IS OFF" not in "".join(said):
                time.sleep(0.1)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
            if "reader" in locals():
                reader.join(timeout=5)
            else:
                said.append(process.stdout.read())
            process.stdout.close()
        # The settings' warnings are said once, not once a worker, in the same format as `make serve` logs.
        log = "".join(said)
        for warning in ("GENTLE_YOGA_SKILL_ID is not set", "REQUEST VERIFICATION IS OFF"):
            lines = [line for line in log.splitlines() if warning in line]
            assert len(lines) == 1, log
            assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING gentle_yoga\.web: ", lines[0]), lines
