"""What the skill answers when the device's audio player reports what it did itself.

Alexa takes no answer to PlaybackStopped (the device has stopped already), and an answer to PlaybackStarted that
stops the player stops the stream that has just begun. Both used to happen: the closing stream was stopped as it
began (so a class on a speaker never played its closing words), and a PlaybackStopped that reached the skill
before the PauseIntent said with it was answered with Stop and ClearQueue. A PauseIntent whose context says the
player has already halted (as a real Echo's can) keeps the device's offset, not an estimate from the timestamp.
Through the Flask endpoint with
verification on, the rendered classes, a real SQLite file and the simulated speaker (tests/device.py).
"""
from __future__ import annotations

from typing import Any

import pytest
from alexa import Reply, stored
from test_audio_player import CLASS, make_device, where

from skill.practice.state import Phase

pytestmark = pytest.mark.audio


@pytest.fixture
def heard(rendered, library, sqlite_store, tmp_path):
    """A speaker, and every request it sent with the answer it got."""
    device = make_device(rendered, library, sqlite_store, tmp_path)
    seen: list[tuple[dict[str, Any], Reply]] = []
    post = device.post

    def recording(body: dict[str, Any]) -> Reply:
        reply = post(body)
        seen.append((body, reply))
        return reply

    device.post = recording
    return device, seen


def reports(seen, kind: str, stream: str | None = None) -> list[tuple[dict[str, Any], Reply]]:
    return [(body, reply) for body, reply in seen if body["request"]["type"] == f"AudioPlayer.{kind}"
            and (stream is None or where(body["request"]["token"]) == stream)]


@pytest.mark.parametrize("practice", [CLASS, ("desk reset", "desk_reset")])
def test_the_closing_plays_to_its_end(heard, sqlite_store, practice):
    """The closing stream starts and finishes; it is never stopped, and nothing answers its start with a stop."""
    device, seen = heard
    device.say("StartClassIntent", practice=practice)
    device.run_to_end()
    [(_, started)] = reports(seen, "PlaybackStarted", "closing")
    assert started.response.get("directives", []) == []
    assert reports(seen, "PlaybackStopped", "closing") == []
    [(finished, _)] = reports(seen, "PlaybackFinished", "closing")
    closing = device.lengths[next(url for url in device.lengths if url.endswith("/closing.mp3"))]
    assert finished["request"]["offsetInMilliseconds"] == round(closing * 1000)
    assert stored(sqlite_store).phase is Phase.FINISHED


def test_no_answer_to_playback_started_or_stopped_carries_a_directive(heard):
    """Through a class with pauses, resumes and a move: every answer to PlaybackStarted and to PlaybackStopped is
    empty, including a PlaybackStopped that arrives before the PauseIntent said with it."""
    device, seen = heard
    device.say("StartClassIntent", practice=CLASS)
    device.run(400)
    token, offset = device.playing.token, device.offset_ms()
    device.playing, device.activity, device.paused_at = None, "STOPPED", (token, offset)
    first = device.send(device.player_body("PlaybackStopped", token, offset))  # before the PauseIntent
    assert first.response == {}
    device.say("AMAZON.PauseIntent")
    device.now += 30
    device.say("AMAZON.ResumeIntent")
    device.run(200)
    device.say("AMAZON.NextIntent")
    device.run(100)
    device.say("AMAZON.PauseIntent")
    assert reports(seen, "PlaybackStopped") and reports(seen, "PlaybackStarted")
    for kind in ("PlaybackStarted", "PlaybackStopped"):
        for body, reply in reports(seen, kind):
            assert reply.response == {}, (kind, body["request"]["token"], reply.response)


@pytest.mark.parametrize("activity", ["PAUSED", "STOPPED"])
def test_a_pause_whose_context_says_the_player_halted_keeps_the_devices_offset(heard, sqlite_store, activity):
    """'Alexa, pause' reaching the skill before PlaybackStopped, its context saying the player has already
    paused or stopped at a token and offset: the place kept is that step at that millisecond, not an estimate
    from the request's timestamp (whole seconds)."""
    device, _ = heard
    device.say("StartClassIntent", practice=CLASS)
    device.run(733.37)
    token, offset = device.playing.token, device.offset_ms()
    device.playing, device.activity, device.paused_at = None, activity, (token, offset)
    device.say("AMAZON.PauseIntent")
    state = stored(sqlite_store)
    assert state.phase is Phase.PAUSED and state.position == int(where(token))
    assert round(state.offset * 1000) == offset
