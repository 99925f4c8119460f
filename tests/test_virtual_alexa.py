"""Outside client: a whole class, pauses resumed and questions asked, through virtual-alexa's AudioPlayer (npm).

virtual-alexa 0.7.8 (tests/js, pinned; `make test` installs it) is pointed at the skill's URL with its own
`skillURL` builder, so every request is built and posted by it (its RemoteSkillInteractor), against `make serve`
on a free loopback port. Verification is off because virtual-alexa does not sign; the voice is the local one, with
the clip cache the `rendered` fixture filled. Its AudioPlayer follows our Play (REPLACE_ALL, ENQUEUE) and Stop
directives and sends PlaybackStarted, NearlyFinished, Finished and Stopped itself; when someone speaks while a
stream plays, it sends PlaybackStopped first, as Alexa does for a voice request. It has no clock, so
tests/js/audioplayer.js moves each stream's offset: 2 s in for NearlyFinished, the stream's length (its MP3 frames,
fetched from the server) for Finished. Unlike a device it ignores ClearQueue and expectedPreviousToken, so the
script records what the skill sent and the checks here hold the skill to them.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from test_serve import start

from skill.audio import mp3
from skill.config import ROOT
from skill.practice.plan import Plan, active

pytestmark = [pytest.mark.node, pytest.mark.audio]

SCRIPT = ROOT / "tests" / "js" / "audioplayer.js"
MODEL = ROOT / "interaction_model" / "en-US.json"
PUBLIC = "https://yoga.example.test"
PAUSES = 3


def where(token: str) -> str:
    """The stream a token names: a step number, setup or closing."""
    return token.rsplit(":", 1)[1]


def wait_for_audio(url: str, seconds: float = 60) -> None:
    """Until the server serves a step's stream (at once with a warm cache; never longer than `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except urllib.error.URLError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"the server never served {url}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def run(rendered, audio_cache, tmp_path_factory) -> dict:
    """The script's report of three runs of Low Back Release: whole, with pauses resumed, with questions asked."""
    assert (SCRIPT.parent / "node_modules" / "virtual-alexa").is_dir(), "run `make test`: it installs virtual-alexa"
    server = start(tmp_path_factory.mktemp("virtual-alexa"), GENTLE_YOGA_VOICE="local", GENTLE_YOGA_VERIFY="off",
                   GENTLE_YOGA_PUBLIC_URL=PUBLIC, GENTLE_YOGA_AUDIO_CACHE=str(audio_cache))
    logged: list[str] = []  # the server logs every request: read it all, or a full pipe stalls the server
    out = server.process.stdout
    assert out is not None
    reader = threading.Thread(target=lambda: logged.extend(out), daemon=True)
    reader.start()
    try:
        practice = rendered.library.get("low_back_release")
        wait_for_audio(f"{server.base}/audio/{rendered.step_ref(practice, Plan.full(practice), 0).name}")
        result = subprocess.run(["node", str(SCRIPT), "--skill", f"{server.base}/alexa", "--model", str(MODEL),
                                 "--public", PUBLIC, "--pauses", str(PAUSES)],
                                capture_output=True, text=True, timeout=120)
    finally:
        os.killpg(server.process.pid, signal.SIGINT)
        server.process.wait(timeout=20)
        reader.join(timeout=5)
        out.close()
    assert result.returncode == 0, result.stderr + "".join(logged[-40:])
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def steps(library) -> list[str]:
    practice = library.get("low_back_release")
    return [str(i) for i in active(practice, Plan.full(practice))]


def deduplicated(tokens: list[str]) -> list[str]:
    """The streams in order, a stream resumed after a pause counted once."""
    found: list[str] = []
    for token in tokens:
        if not found or found[-1] != where(token):
            found.append(where(token))
    return found


class TestAWholeClass:
    def test_one_utterance_plays_every_step_in_order_and_the_closing(self, run, steps):
        """'Ask Gentle Yoga to start low back release' is the only thing said; virtual-alexa's player then plays
        the setting-up quiet, every step of the class in order and the closing, and ends FINISHED."""
        whole = run["whole"]
        assert whole["utterances"] == 1
        assert "You'll need a mat, a strap, two blocks and a blanket" in whole["said"][0]["speech"]
        assert [where(s["token"]) for s in whole["started"]] == ["setup", *steps, "closing"]
        assert whole["activity"] == "FINISHED"

    def test_the_closing_plays_to_its_end(self, run):
        """The closing's start is not answered with a Stop: its PlaybackFinished comes at its full length."""
        whole = run["whole"]
        last = whole["requests"][-1]
        assert last["type"] == "AudioPlayer.PlaybackFinished" and where(last["token"]) == "closing"
        assert last["offset"] == round(whole["started"][-1]["seconds"] * 1000) > 0
        for request in whole["requests"]:
            if request["type"] == "AudioPlayer.PlaybackStarted":
                assert not [d for d in request["directives"] if d["type"] == "AudioPlayer.Stop"], request

    def test_each_next_stream_is_queued_after_the_one_nearly_finished(self, run, steps):
        """Every PlaybackNearlyFinished but the closing's is answered with one ENQUEUE whose
        expectedPreviousToken is the stream that reported, and answers to the player never speak."""
        requests = run["whole"]["requests"]
        nearly = [r for r in requests if r["type"] == "AudioPlayer.PlaybackNearlyFinished"]
        assert len(nearly) == len(steps) + 2
        for request in nearly:
            queued = [d for d in request["directives"] if d.get("playBehavior") == "ENQUEUE"]
            if where(request["token"]) == "closing":
                assert queued == []
            else:
                [play] = queued
                assert play["expectedPreviousToken"] == request["token"]
        assert not [r for r in requests if r["type"].startswith("AudioPlayer.") and r["speaks"]]

    def test_every_stream_is_served_and_measured_as_the_app_rendered_it(self, run, rendered):
        """Each Play URL is on the public base; the script fetched it from the server and its length, walked
        frame by frame in node, is the rendered stream's own."""
        for stream in run["whole"]["started"]:
            assert stream["url"].startswith(f"{PUBLIC}/audio/")
            name = stream["url"].removeprefix(f"{PUBLIC}/audio/")
            frames = mp3.count_frames(rendered.stream(name).data)
            assert stream["seconds"] == pytest.approx(frames * mp3.FRAME_SECONDS, abs=0.0005)


class TestPauseAndResume:
    def test_resume_plays_the_paused_step_from_the_paused_offset(self, run):
        """Paused mid-step by voice (virtual-alexa sends PlaybackStopped, then the PauseIntent), the player
        stays stopped; "resume" plays the same step from the same millisecond."""
        pauses = run["paused"]["pauses"]
        assert len(pauses) == PAUSES
        for pause in pauses:
            assert pause["activity_after_pause"] == "STOPPED"
            assert where(pause["resumed_token"]) == where(pause["token"]) not in ("setup", "closing")
            assert pause["resumed_offset"] == pause["offset"] > 2000

    def test_the_paused_class_still_plays_to_the_end(self, run, steps):
        """After the pauses the class goes on through every step to the closing; 1 + 2 utterances a pause."""
        paused = run["paused"]
        assert paused["utterances"] == 1 + 2 * PAUSES
        assert deduplicated([s["token"] for s in paused["started"]]) == ["setup", *steps, "closing"]
        assert paused["activity"] == "FINISHED"


class TestQuestionsWhilePlaying:
    def test_after_an_answer_the_class_carries_on_from_the_same_millisecond(self, run):
        """Asked mid-step (virtual-alexa sends PlaybackStopped first, as Alexa does for any voice request), the
        skill answers and plays the same step from the offset it stopped at, instead of leaving the class paused."""
        asked = run["asked"]["asked"]
        assert [a["question"] for a in asked] == ["how much time is left", "what pose is this"]
        assert re.fullmatch(r"There's about \d+ minutes left\. This is pose \d+ of \d+\.", asked[0]["answer"])
        assert asked[1]["answer"].startswith("This is ")
        for answer in asked:
            assert answer["playing"]
            assert where(answer["carried_on_token"]) == where(answer["token"])
            assert answer["carried_on_offset"] == answer["offset"] > 2000

    def test_the_asked_class_plays_to_the_end_on_three_utterances(self, run, steps):
        asked = run["asked"]
        assert asked["utterances"] == 3 and asked["activity"] == "FINISHED"
        assert deduplicated([s["token"] for s in asked["started"]]) == ["setup", *steps, "closing"]
