"""Alexa stops the stream for any voice request and says so (PlaybackStopped), often before the request itself.

virtual-alexa sends them in that order (tests/test_virtual_alexa.py); here the simulated speaker of
tests/device.py does the same by hand, with signed requests to the Flask endpoint and the rendered audio. What the
person then says acts on the step that was playing, from where it stopped; a stop long before is a pause.
"""
from __future__ import annotations

import pytest
from alexa import stored
from device import Device
from test_audio_player import CLASS, plays, where

from skill.practice.playback import LISTENING
from skill.practice.state import Phase

pytestmark = pytest.mark.audio


def stopped_to_listen(device: Device, seconds: float = 300) -> tuple[str, int]:
    """Play the class for a while, then stop as a device does when someone says "Alexa": (token, offset ms)."""
    device.say("StartClassIntent", practice=CLASS)
    device.run(seconds)
    assert device.playing is not None, "the class is playing"
    token, offset = device.playing.token, device.offset_ms()
    device.stop()  # sends PlaybackStopped with the token and offset
    return token, offset


class TestAfterTheDeviceStopped:
    @pytest.mark.parametrize("intent", ["TimeLeftIntent", "WhatPoseIntent", "AMAZON.LoopOnIntent"])
    def test_a_question_is_answered_and_the_step_plays_on_from_the_same_millisecond(self, device, intent):
        token, offset = stopped_to_listen(device)
        reply = device.say(intent)
        assert reply.text
        [play] = plays(reply)
        assert where(play["audioItem"]["stream"]["token"]) == where(token) and play["playBehavior"] == "REPLACE_ALL"
        assert play["audioItem"]["stream"]["offsetInMilliseconds"] == offset
        assert device.playing is not None

    def test_pause_is_silent_and_keeps_the_exact_place(self, device, sqlite_store):
        """'Alexa, pause' after the device's own stop: no words, a pause by the person, resumed to the ms."""
        token, offset = stopped_to_listen(device, 500)
        reply = device.say("AMAZON.PauseIntent")
        assert reply.ssml == "" and not plays(reply)
        state = stored(sqlite_store)
        assert state.phase is Phase.PAUSED and state.left_by == "pause" and state.position == int(where(token))
        [play] = plays(device.say("AMAZON.ResumeIntent"))
        assert where(play["audioItem"]["stream"]["token"]) == where(token)
        assert play["audioItem"]["stream"]["offsetInMilliseconds"] == offset

    def test_long_after_the_stop_the_class_stays_paused(self, device, sqlite_store):
        """A question well after the device stopped (the person walked away) answers without playing."""
        stopped_to_listen(device)
        device.now += LISTENING + 1
        reply = device.say("TimeLeftIntent")
        assert reply.text and not plays(reply)
        assert stored(sqlite_store).phase is Phase.PAUSED
