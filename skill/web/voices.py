"""The browser player's two voices: the class's rendered voice (the app's audio host) and the browser's own.

The default is whichever sounds better: a neural rendered voice (Polly) over the browser's, and the browser's
(often a good system voice) over a local formant or HTS one. With the rendered voice the engine times the class
by the clips' measured lengths, so its timeline is the audio's own, and each spoken item of an answer carries
the URL of its clip; the page plays those in an <audio> element.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill.errors import AudioError
from skill.practice.context import Outcome
from skill.practice.speech import Pace, Say
from skill.web.audio import clip_path

if TYPE_CHECKING:  # the audio package is imported only by an app with a voice (skill.audio.open_audio)
    from skill.audio.host import AudioHost

log = logging.getLogger("gentle_yoga.player")

RENDERED, BROWSER = "rendered", "browser"
CHOICES = (RENDERED, BROWSER)
BROWSER_LABEL = "This browser's own voice"


class PlayerVoices:
    """The voices on offer to the page, the pace each times the class with, and the rendered clips' URLs."""

    def __init__(self, host: AudioHost | None) -> None:
        self.host = host

    @property
    def rendered(self) -> bool:
        """Whether the rendered voice can play now (it is ready once every clip is rendered and measured)."""
        return self.host is not None and self.host.ready

    def offer(self) -> dict[str, Any]:
        """The voices the page may choose between, and the better-sounding one as the default."""
        voices = [{"id": BROWSER, "label": BROWSER_LABEL, "neural": False}]
        default = BROWSER
        if self.host is not None and self.rendered:
            voice = self.host.audio.voice
            voices.insert(0, {"id": RENDERED, "label": voice.label, "neural": voice.neural})
            default = RENDERED if voice.neural else BROWSER
        return {"voices": voices, "default": default}

    def pace(self, choice: str | None, base: Pace) -> tuple[str, Pace]:
        """The voice that speaks when the page asks for choice, and the pace that times it: the rendered voice's
        measured times only when it was chosen and is ready."""
        if choice == RENDERED and self.host is not None and self.host.measured is not None:
            return RENDERED, self.host.audio.pace(base, self.host.measured)
        return BROWSER, base

    def timed(self, run: Callable[[Pace], Outcome], pace: Pace) -> tuple[Outcome, Pace]:
        """run's outcome at pace, and the pace that timed it; with rendered audio, words it says that were never
        measured (the time left, say) are rendered now and the outcome is timed again by their real length."""
        if self.host is None or pace.measured is None:
            return run(pace), pace
        try:
            return self.host.audio.retimed(run, pace, lambda outcome: (
                part.text for part in outcome.speech if isinstance(part, Say)))
        except AudioError as exc:  # the voice failed just now: those words keep their estimate
            log.warning("new words could not be rendered for the player: %s", exc)
            return run(pace), pace

    def with_audio(self, answer: dict[str, Any]) -> dict[str, Any]:
        """answer, its spoken and chime items given the URL of their clip (words a screen shortens, like a
        voice-only "say continue" left out, are rendered as shown). Should the voice fail, items with no clip
        carry no URL, and the page says them with the browser's own voice."""
        play = answer.get("play")
        if self.host is None or not play:
            return answer
        from skill.audio.assemble import CHIME_CLIP  # a host means the audio package is loaded already
        from skill.audio.clips import clip_key

        audio = self.host.audio
        try:
            audio.clips(item["text"] for item in play["items"] if item["kind"] == "say")  # renders only what is new
        except AudioError as exc:
            log.warning("clips could not be rendered for the player: %s", exc)
        for item in play["items"]:
            if item["kind"] == "say" and audio.cache.peek(audio.voice.key, item["text"]) is not None:
                item["audio"] = clip_path(clip_key(audio.voice.key, item["text"]))
            elif item["kind"] == "chime":
                audio.chime()
                item["audio"] = clip_path(CHIME_CLIP)
        return answer
