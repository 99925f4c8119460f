"""The browser player's rendered voice through Flask's test client: the voices on offer, the class timed by the
real clips (Festival's, rendered by the session's `rendered` host), and each spoken item's clip served as MP3."""
from __future__ import annotations

from dataclasses import replace

import pytest
from audiotools import decoded_seconds

from skill.audio import mp3
from skill.audio.assemble import Audio
from skill.audio.host import AudioHost
from skill.errors import AudioError
from skill.practice import prompts
from skill.practice.speech import Pace
from skill.web.app import create_app
from skill.web.voices import BROWSER_LABEL

EVENTS = "/api/player/events"
FRAME = mp3.FRAME_SECONDS


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def player(settings, library, store, clock, rendered):
    return create_app(settings, library=library, store=store, clock=clock, audio=rendered).test_client()


def send(client, event: str, voice: str = "rendered", **fields):
    answer = client.post(EVENTS, json={"event": event, "voice": voice, **fields})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def begun(client, voice: str = "rendered") -> dict:
    send(client, "start", voice, **{"class": "low_back_release"})
    return send(client, "resume", voice)


def clip(client, url: str) -> bytes:
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "audio/mpeg", url
    return answer.data


def test_the_offer_lists_both_voices_and_prefers_the_browser_over_festival(player):
    answer = player.get("/api/player").get_json()
    ids = [v["id"] for v in answer["voices"]]
    assert ids == ["rendered", "browser"]
    assert answer["voices"][0]["label"].startswith("festival") and answer["voices"][0]["neural"] is False
    assert answer["voices"][1]["label"] == BROWSER_LABEL
    assert answer["default"] == "browser"  # an HTS voice sounds worse than a good system voice
    assert answer["voice"] == "browser"  # nothing asked for: the browser's own


def test_a_neural_voice_is_the_default(settings, library, store, clock, rendered):
    neural = replace(rendered.audio.voice, neural=True)  # same engine and key, flagged as Polly's would be
    host = AudioHost(Audio(neural, rendered.audio.cache), library, Pace())
    host.prepare(render=False)  # the session's cache is warm
    client = create_app(settings, library=library, store=store, clock=clock, audio=host).test_client()
    assert client.get("/api/player").get_json()["default"] == "rendered"


def test_without_audio_only_the_browser_voice_is_offered_and_a_rendered_request_falls_back(player, settings,
                                                                                          library, store, clock):
    client = create_app(settings, library=library, store=store, clock=clock).test_client()
    answer = client.get("/api/player?voice=rendered").get_json()
    assert [v["id"] for v in answer["voices"]] == ["browser"] and answer["default"] == "browser"
    played = begun(client)
    assert played["voice"] == "browser"
    assert all("audio" not in item for item in played["play"]["items"])


def test_an_unknown_voice_is_refused_with_the_choices(player):
    answer = player.post(EVENTS, json={"event": "pause", "voice": "robot"})
    assert answer.status_code == 400 and "rendered, browser" in answer.get_json()["error"]
    assert player.get("/api/player?voice=robot").status_code == 400


def test_every_spoken_item_plays_a_clip_of_exactly_its_seconds(player, tmp_path):
    played = begun(player)
    assert played["voice"] == "rendered"
    items = played["play"]["items"]
    kinds = {item["kind"] for item in items}
    assert {"say", "chime", "hold"} <= kinds
    at = 0.0
    for item in items:
        assert item["at"] == pytest.approx(at, abs=0.002)  # back to back: the timeline is the clips' own
        at += item["seconds"]
        if item["kind"] in ("say", "chime"):
            data = clip(player, item["audio"])
            length = mp3.count_frames(data) * FRAME
            if item["kind"] == "chime" or item["step"] is not None:
                assert length == pytest.approx(item["seconds"], abs=0.002), item
            else:  # a screen leaves out voice-only words ("say continue"): never longer than the part
                assert length <= item["seconds"] + 0.002, item
        else:
            assert "audio" not in item
    first = next(item for item in items if item["kind"] == "say")
    path = tmp_path / "first.mp3"
    path.write_bytes(clip(player, first["audio"]))
    assert decoded_seconds(path) == pytest.approx(mp3.count_frames(path.read_bytes()) * FRAME, abs=0.05)


def test_the_browser_voice_gets_no_clips_and_estimated_times(player):
    played = begun(player, "browser")
    rendered = begun(player)  # the same first segment, timed by the clips
    assert played["voice"] == "browser" and all("audio" not in i for i in played["play"]["items"])
    assert played["play"]["seconds"] != rendered["play"]["seconds"]


def test_words_never_measured_are_rendered_and_timed_by_their_clip(player, clock, rendered):
    begun(player)
    clock.now += 30
    shorter = send(player, "shorter", minutes=20)
    assert "20 minutes to go" in shorter["notice"]
    new = [item for item in shorter["play"]["items"]
           if item["kind"] == "say" and item["text"] not in rendered.measured.seconds]
    assert any("20 minutes to go" in item["text"] for item in new), new  # said once: rendered for this answer
    for item in new:
        assert mp3.count_frames(clip(player, item["audio"])) * FRAME == pytest.approx(item["seconds"], abs=0.002)


def test_clips_are_served_with_ranges_and_etags_and_nothing_else_is(player, rendered, tmp_path, monkeypatch):
    url = next(i["audio"] for i in begun(player)["play"]["items"] if i["kind"] == "say")
    whole = player.get(url)
    assert whole.headers["Accept-Ranges"] == "bytes" and "immutable" in whole.headers["Cache-Control"]
    part = player.get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == whole.data[:100]
    assert player.get(url, headers={"Range": f"bytes={len(whole.data) + 10}-"}).status_code == 416
    assert player.get(url, headers={"If-None-Match": whole.headers["ETag"]}).status_code == 304
    unknown = player.get(f"/audio/clips/{'0' * 64}.mp3")
    assert unknown.status_code == 404 and unknown.get_json() == {"error": "no such audio"}
    for bad in (url[:-4] + ".wav", url.upper(), "/audio/clips/../x.mp3", f"/audio/clips/{'a' * 63}.mp3"):
        assert player.get(bad).status_code == 404, bad
    key = url.rsplit("/", 1)[1][:-4]
    backend = rendered.audio.cache.backend
    damaged = tmp_path / "damaged.clip"  # a copy: other tests (and xdist workers) read the shared cache meanwhile
    damaged.write_bytes(backend.path(key).read_bytes()[:-50])  # cut short: detected, never served
    shared_path = backend.path
    monkeypatch.setattr(backend, "path", lambda k: damaged if k == key else shared_path(k))
    assert player.get(url).status_code == 404


class BrokenVoice:
    """The session's voice, as far as the cache can tell, but its engine now fails (a stand-in: no real engine
    can be made to fail on demand here)."""

    def __init__(self, voice) -> None:
        self.key, self.label, self.neural = voice.key, voice.label, voice.neural

    def render(self, texts):
        raise AudioError("festival could not speak: the engine crashed")

    def at_rate(self, rate: float):
        return self


def test_a_voice_that_fails_on_new_words_leaves_them_to_the_browser_voice(settings, library, store, clock,
                                                                          rendered):
    host = AudioHost(Audio(BrokenVoice(rendered.audio.voice), rendered.audio.cache), library, Pace())
    host.prepare(render=False)  # everything the classes say is cached, so it is ready
    client = create_app(settings, library=library, store=store, clock=clock, audio=host).test_client()
    assert any("audio" in item for item in begun(client)["play"]["items"])
    voice_key = rendered.audio.voice.key
    minutes = next(m for m in range(21, 40)  # a length whose words no test has rendered yet
                   if all(rendered.audio.cache.peek(voice_key, text) is None for text in
                          (prompts.to_go(m * 60), prompts.shorter_done(m * 60))))
    clock.now += 30
    trimmed = send(client, "shorter", minutes=minutes)
    assert trimmed["voice"] == "rendered" and f"{minutes} minutes to go" in trimmed["notice"]
    items = trimmed["play"]["items"]
    new = [item for item in items if f"{minutes} minutes to go" in item.get("text", "")]
    assert new and all("audio" not in item for item in new)  # the page speaks these with the browser's voice
    assert any("audio" in item for item in items if item["step"] is not None)  # the cached cues still play
