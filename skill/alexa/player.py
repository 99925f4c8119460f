"""The Alexa edge of the audio player: when to use it, and the engine's Play and stop as AudioPlayer directives.

The class plays on the device's audio player when all of these hold: the device has one (supportedInterfaces),
rendered audio is ready, and Alexa can fetch it (a public https base). GENTLE_YOGA_PLAYER=speech never uses it.

On an Echo Show the audio player is used too, rather than the timed APL screens: it pauses to the second, the
built-ins ("Alexa, pause", "next") work without the skill's name, and no screen timer can drift from the voice.
The Show's now-playing screen shows each stream's pose (with its side) as the title and the class as the
subtitle.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa import translate
from skill.practice.context import Outcome
from skill.practice.speech import Pace

if TYPE_CHECKING:  # the audio package is imported only by an app with a voice (skill.audio.open_audio)
    from skill.audio.host import AudioHost

def pace_for(handler_input: HandlerInput, pace: Pace, audio: AudioHost | None, mode: str) -> Pace | None:
    """The pace that plays the class on this device's audio player, or None when it is to be spoken instead."""
    if mode == "speech" or audio is None or not audio.public_url:
        return None
    if not translate.supports_audio_player(handler_input.request_envelope):
        return None
    measured = audio.pace
    if measured is None:  # still rendering: spoken this time, played once the audio is ready
        return None
    return replace(measured, audio_player=True, auto_advance=False, mode=pace.mode)


def directives(outcome: Outcome, audio: AudioHost | None) -> list:
    """The outcome's audio as directives: a Play (with where it starts and what a screen shows), or a stop that
    also forgets what was queued."""
    # Imported here: only an app with a voice ever plays audio, and the models take a few ms to import.
    from ask_sdk_model.interfaces.audioplayer import (
        AudioItem,
        AudioItemMetadata,
        ClearBehavior,
        ClearQueueDirective,
        PlayBehavior,
        PlayDirective,
        StopDirective,
    )
    from ask_sdk_model.interfaces.audioplayer import Stream as AudioStream

    found: list = []
    if outcome.play is not None and audio is not None:
        play = outcome.play
        metadata = AudioItemMetadata(title=play.stream.title, subtitle=play.stream.subtitle)
        ref = audio.ref_of(play.stream)
        assert ref is not None, "the engine plays only classes the library has"
        stream = AudioStream(token=play.token, url=audio.url(ref),
                             offset_in_milliseconds=play.offset_ms, expected_previous_token=play.previous)
        found.append(PlayDirective(play_behavior=PlayBehavior(play.behavior),
                                   audio_item=AudioItem(stream=stream, metadata=metadata)))
    if outcome.stop:
        found += [StopDirective(), ClearQueueDirective(clear_behavior=ClearBehavior.CLEAR_ENQUEUED)]
    return found
