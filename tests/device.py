"""A speaker with an audio player, simulated from the directives the skill returns, as Alexa's AudioPlayer behaves.

Nothing about the class is known here: the device reads each stream's URL and token from the Play directives,
fetches the stream from the app to learn its length (whole MP3 frames), and plays it for exactly that long on its
own clock. It sends what Alexa sends:

- PlaybackStarted when a stream begins, and PlaybackNearlyFinished soon after (Alexa sends it once the stream is
  buffered); PlaybackFinished at its end, then starts what was queued;
- PlaybackStopped when a person interrupts with "Alexa, …" (it pauses the audio, sends the request with its
  context.AudioPlayer, and resumes unless the answer stops or replaces it), and when a Play REPLACE_ALL or a Stop
  arrives while a stream plays;
- ENQUEUE is honoured only when expectedPreviousToken is the stream playing (or last queued), as on a device.

Each request carries context.AudioPlayer (token, offsetInMilliseconds, playerActivity) and says the device has an
AudioPlayer, in the shapes ask-sdk-model reads.
"""
from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from alexa import Reply, envelope, intent, recorded, stamp

from skill.audio import mp3

NEARLY_AFTER = 2.0  # seconds after a stream starts that the device says it is nearly finished (it is buffered)


@dataclass
class Playing:
    token: str
    url: str
    seconds: float
    started_at: float  # on the device's clock, where offset 0 of the stream would have been
    nearly_sent: bool = False


@dataclass
class Device:
    """One person with one speaker. post(body) -> Reply sends a request to the skill; fetch(path) -> bytes gets a
    stream from the app."""

    post: Callable[[dict[str, Any]], Reply]
    fetch: Callable[[str], bytes]
    user: str
    now: float
    public_url: str
    playing: Playing | None = None
    paused_at: tuple[str, int] | None = None  # (token, offset ms) of a stream stopped part-way
    queue: list[dict[str, Any]] = field(default_factory=list)
    activity: str = "IDLE"
    utterances: int = 0
    started: list[str] = field(default_factory=list)  # every token the device began playing, in order
    lengths: dict[str, float] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)

    # --- what the device reports -----------------------------------------------------------------------------
    def offset_ms(self) -> int:
        if self.playing is not None:
            return max(round((self.now - self.playing.started_at) * 1000), 0)
        return self.paused_at[1] if self.paused_at else 0

    def context(self, body: dict[str, Any]) -> dict[str, Any]:
        body["context"]["System"]["device"]["supportedInterfaces"]["AudioPlayer"] = {}
        token = self.playing.token if self.playing else (self.paused_at[0] if self.paused_at else None)
        player: dict[str, Any] = {"offsetInMilliseconds": self.offset_ms(), "playerActivity": self.activity}
        if token:
            player["token"] = token
        body["context"]["AudioPlayer"] = player
        return body

    def player_body(self, kind: str, token: str, offset_ms: int | None = None) -> dict[str, Any]:
        """The AudioPlayer request the device would send now (its context as it stands), not yet sent."""
        body = copy.deepcopy(recorded("launch"))
        body.pop("session", None)
        body["context"]["System"]["user"]["userId"] = self.user
        body["request"] = {"type": f"AudioPlayer.{kind}", "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                           "timestamp": stamp(self.now), "locale": "en-US", "token": token}
        if offset_ms is not None:
            body["request"]["offsetInMilliseconds"] = offset_ms
        return self.context(body)

    def player_request(self, kind: str, token: str, offset_ms: int | None = None) -> Reply:
        reply = self.send(self.player_body(kind, token, offset_ms))
        assert "outputSpeech" not in reply.response and "reprompt" not in reply.response, \
            "an answer to the audio player carries audio directives and nothing else"
        return reply

    def send(self, body: dict[str, Any]) -> Reply:
        reply = self.post(body)
        assert reply.status == 200, reply.body
        self.replies.append(reply)
        return reply

    # --- a person speaking ------------------------------------------------------------------------------------
    def say(self, name: str, **slots: Any) -> Reply:
        """'Alexa, …' while the audio plays (it pauses), or to a quiet speaker: one utterance, in a new session."""
        self.utterances += 1
        return self.interact(self.context(intent(name, self.now, slots, user=self.user, new=True,
                                                 session=str(uuid.uuid4()))))

    def open(self) -> Reply:
        self.utterances += 1
        return self.interact(self.context(envelope("launch", self.now, user=self.user, new=True,
                                                   session=str(uuid.uuid4()))))

    def interact(self, body: dict[str, Any]) -> Reply:
        was, offset = self.playing, self.offset_ms()
        if was is not None:  # the device pauses its audio while it listens and answers
            self.playing, self.activity, self.paused_at = None, "PAUSED", (was.token, offset)
        reply = self.send(body)
        self.now += reply_seconds(reply)
        directives = {d["type"] for d in reply.response.get("directives", [])}
        if was is not None and not directives & {"AudioPlayer.Play", "AudioPlayer.Stop"}:
            self.playing = Playing(was.token, was.url, was.seconds, self.now - offset / 1000, was.nearly_sent)
            self.activity, self.paused_at = "PLAYING", None  # nothing changed the audio: it carries on
        elif was is not None:
            self.playing = was  # what the answer does to it (stop, or replace) starts from where it paused
            self.playing.started_at = self.now - offset / 1000
        self.apply(reply)
        return reply

    # --- directives -------------------------------------------------------------------------------------------
    def apply(self, reply: Reply) -> None:
        for directive in reply.response.get("directives", []):
            kind = directive["type"]
            if kind == "AudioPlayer.Stop":
                self.stop()
            elif kind == "AudioPlayer.ClearQueue":
                self.queue.clear()
                if directive.get("clearBehavior") == "CLEAR_ALL":
                    self.stop()
            elif kind == "AudioPlayer.Play":
                self.play(directive)

    def stop(self) -> None:
        if self.playing is not None:
            offset = self.offset_ms()
            token = self.playing.token
            self.playing, self.activity, self.paused_at = None, "STOPPED", (token, offset)
            self.player_request("PlaybackStopped", token, offset)

    def play(self, directive: dict[str, Any]) -> None:
        stream = directive["audioItem"]["stream"]
        assert stream["url"].startswith("https://") and len(stream["token"]) <= 1024
        if directive["playBehavior"] == "ENQUEUE":
            last = self.queue[-1]["token"] if self.queue else (self.playing.token if self.playing else None)
            if stream.get("expectedPreviousToken") == last:
                self.queue.append(stream)
            return
        self.stop()
        self.queue.clear()
        self.begin(stream)

    def begin(self, stream: dict[str, Any]) -> None:
        seconds = self.length(stream["url"])
        offset = stream.get("offsetInMilliseconds", 0) / 1000
        assert 0 <= offset < seconds, (offset, seconds)
        self.playing = Playing(stream["token"], stream["url"], seconds, self.now - offset)
        self.activity, self.paused_at = "PLAYING", None
        self.started.append(stream["token"])
        self.apply(self.player_request("PlaybackStarted", stream["token"], round(offset * 1000)))

    def length(self, url: str) -> float:
        if url not in self.lengths:
            assert url.startswith(self.public_url + "/audio/"), url
            self.lengths[url] = mp3.count_frames(self.fetch(urlsplit(url).path)) * mp3.FRAME_SECONDS
        return self.lengths[url]

    # --- time passing -------------------------------------------------------------------------------------------
    def run(self, seconds: float) -> None:
        """Let the audio play for this long (or until it runs out), sending what the device sends on the way."""
        until = self.now + seconds
        while self.playing is not None:
            playing = self.playing
            nearly = playing.started_at + NEARLY_AFTER
            end = playing.started_at + playing.seconds
            if not playing.nearly_sent and nearly <= until:
                self.now = max(self.now, nearly)
                playing.nearly_sent = True
                self.apply(self.player_request("PlaybackNearlyFinished", playing.token,
                                               self.offset_ms()))
                continue
            if end > until:
                break
            self.now = end
            self.apply(self.player_request("PlaybackFinished", playing.token, round(playing.seconds * 1000)))
            self.playing = None
            if self.queue:
                self.begin(self.queue.pop(0))
            else:
                self.activity = "FINISHED"
        self.now = max(self.now, until)

    def run_to_end(self, limit: float = 6 * 3600) -> None:
        self.run(limit)
        assert self.playing is None, "the class played on past the limit"


def reply_seconds(reply: Reply) -> float:
    """How long Alexa takes to say a reply's speech (the simulated device's estimate)."""
    return reply.seconds if reply.ssml else 0.0
