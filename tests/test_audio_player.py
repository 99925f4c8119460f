"""A whole class on a speaker's audio player: one utterance, pause and resume to the second, every request type.

Every request is a real envelope (ask-sdk-model shapes) sent to the Flask endpoint with verification on, signed
by the tests' own CA, and answered by the rendered audio of the real classes (Festival, decoded exactly). The
speaker is simulated from the directives alone (tests/device.py): it fetches each stream to learn its length.
"""
from __future__ import annotations

import random
import re

import pytest
import testca
from alexa import SKILL_ID, START, USER, Speaker, stored
from conftest import SEQUENCES
from device import Device

from skill.classes.loader import CATALOGS
from skill.config import Settings
from skill.practice import playback as pb
from skill.practice.plan import Plan, active
from skill.practice.state import Phase
from skill.practice.timing import timing
from skill.web.app import create_app
from skill.web.verify import Verifier

pytestmark = pytest.mark.audio

PUBLIC = "https://yoga.example.test"
CLASS = ("low back release", "low_back_release")
DAY = 24 * 3600


def make_device(rendered, library, store, tmp_path, user: str = USER) -> Device:
    """A signed-request speaker for one person, on a real app with the rendered audio and a real store."""
    ca = testca.TestCA()
    speaker = Speaker(None, headers=ca.headers)
    settings = Settings(sequences=SEQUENCES, data_dir=tmp_path / "data", verify=True, skill_id=SKILL_ID,
                        public_url=PUBLIC)
    device = Device(post=speaker.post, fetch=lambda path: b"", user=user, now=START, public_url=PUBLIC)
    verifier = Verifier(ca.roots, fetch=testca.Fetch({testca.DEFAULT_URL: ca.chain_pem()}), clock=lambda: device.now)
    rendered.public_url = PUBLIC
    app = create_app(settings, library=library, store=store, verifier=verifier, audio=rendered)
    client = app.test_client()
    speaker.client = client
    device.fetch = lambda path: client.get(path).data
    return device


def plays(reply) -> list[dict]:
    return [d for d in reply.response.get("directives", []) if d["type"] == "AudioPlayer.Play"]


def where(token: str) -> str:
    """The stream a token names: a step number, setup or closing."""
    return token.rsplit(":", 1)[1]


class TestAWholeClass:
    def test_low_back_release_plays_start_to_finish_on_one_utterance(self, device, sqlite_store, library,
                                                                      rendered):
        """'Start low back release' speaks the welcome and the props, then the device plays the setting-up
        quiet, every step of the class in order and the closing, with nothing more said; the class is finished."""
        reply = device.say("StartClassIntent", practice=CLASS)
        assert "You'll need a mat, a strap, two blocks and a blanket" in reply.text
        [play] = plays(reply)
        assert play["playBehavior"] == "REPLACE_ALL" and where(play["audioItem"]["stream"]["token"]) == "setup"
        assert reply.ends
        device.run_to_end()
        practice = library.get("low_back_release")
        steps = [str(i) for i in active(practice, Plan.full(practice))]
        assert [where(t) for t in device.started] == ["setup", *steps, "closing"]
        assert device.utterances == 1
        state = stored(sqlite_store)
        assert state.phase is Phase.FINISHED and state.history[0][0] == "low_back_release"

    def test_each_stream_lasts_what_the_engine_planned(self, device, library, rendered):
        """The lengths the device measured from the fetched MP3s are the engine's step times, within 50 ms."""
        device.say("StartClassIntent", practice=CLASS)
        device.run_to_end()
        practice = library.get("low_back_release")
        by_step = {where(t): url for t, url in zip(device.started, _urls(device), strict=True)}
        for index in active(practice, Plan.full(practice)):
            measured = device.lengths[by_step[str(index)]]
            assert measured == pytest.approx(timing(practice, Plan.full(practice), rendered.pace).seconds(index),
                                             abs=0.05)

    @pytest.mark.parametrize("practice_id", sorted(p.stem for p in SEQUENCES.glob("*.yaml")
                                                    if p.name not in CATALOGS and p.stem != "low_back_release"))
    def test_every_other_class_takes_one_utterance(self, device, library, practice_id):
        """Each class, started by name, plays every step and its closing with nothing more said."""
        practice = library.get(practice_id)
        device.say("StartClassIntent", practice=(practice.title.lower(), practice_id))
        device.run_to_end()
        steps = [str(i) for i in active(practice, Plan.full(practice))]
        assert [where(t) for t in device.started] == ["setup", *steps, "closing"]
        assert device.utterances == 1
        played = sum(device.lengths[url] for url in _urls(device))
        print(f"\n{practice_id}: 1 utterance, {len(device.started)} streams, {played / 60:.1f} min of audio")


def _urls(device: Device) -> list[str]:
    """The URL of each stream the device began, in order, read back from the Play directives it was sent."""
    urls = {}
    for reply in device.replies:
        for play in plays(reply):
            urls[play["audioItem"]["stream"]["token"]] = play["audioItem"]["stream"]["url"]
    return [urls[t] for t in device.started]


class TestPauseToTheSecond:
    def test_two_hundred_pauses_resume_at_the_exact_offset(self, device, sqlite_store):
        """Paused at random moments through the class (random steps, random offsets), resume plays the same
        stream from the offset the device reported, to the millisecond; the stored place says so too."""
        chance = random.Random(11)
        device.say("StartClassIntent", practice=CLASS)
        errors, pauses, steps = [], 0, set()
        while pauses < 200:
            if device.playing is None:  # the class ended: start it over, and keep pausing
                device.say("AMAZON.StartOverIntent")
            device.run(chance.uniform(1, 40))
            if device.playing is None or where(device.playing.token) in ("setup", "closing"):
                continue
            token, offset = device.playing.token, device.offset_ms()
            steps.add(where(token))
            reply = device.say("AMAZON.PauseIntent")
            assert {d["type"] for d in reply.response["directives"]} == {"AudioPlayer.Stop",
                                                                         "AudioPlayer.ClearQueue"}
            assert reply.ssml == "" and device.playing is None
            state = stored(sqlite_store)
            assert state.phase is Phase.PAUSED and state.position == int(where(token))
            device.run(chance.uniform(0, 120))  # a short break: it picks up to the second
            [play] = plays(device.say("AMAZON.ResumeIntent"))
            stream = play["audioItem"]["stream"]
            assert where(stream["token"]) == where(token)
            errors.append(abs(stream["offsetInMilliseconds"] - offset))
            pauses += 1
        assert pauses == 200 and max(errors) == 0
        print(f"\npauses: {pauses}, steps paused in: {len(steps)}, offset error max {max(errors)} ms")

    def test_after_a_long_break_the_pose_starts_again_from_its_cue(self, device):
        """Paused, then resumed the next day in a new session: a welcome back, then the same step from 0 s."""
        device.say("StartClassIntent", practice=CLASS)
        device.run(300)
        token = device.playing.token
        device.say("AMAZON.PauseIntent")
        device.now += DAY
        welcome = device.open()
        assert "carry on" in welcome.text and not plays(welcome)
        [play] = plays(device.say("AMAZON.YesIntent"))
        assert where(play["audioItem"]["stream"]["token"]) == where(token)
        assert play["audioItem"]["stream"]["offsetInMilliseconds"] == 0

    def test_time_left_mid_stream_is_exact(self, device, rendered, library):
        """Asked mid-stream, the minutes said are the rest of the stream and every stream after it, as the device
        measured them, rounded; the class then carries on from the same millisecond."""
        device.say("StartClassIntent", practice=CLASS)
        device.run_to_end()
        lengths = [device.lengths[u] for u in _urls(device)][1:]  # the setting-up quiet is not class time
        chance = random.Random(5)
        for _ in range(12):
            device.playing, device.paused_at, device.activity, device.started = None, None, "IDLE", []
            device.now += DAY
            fresh = device
            fresh.say("AMAZON.StartOverIntent")
            fresh.run(chance.uniform(60, 2000))
            index = len(fresh.started) - 1
            left = sum(lengths[index:]) - fresh.offset_ms() / 1000
            offset = fresh.offset_ms()
            reply = fresh.say("TimeLeftIntent")
            said = int(re.search(r"about (\d+) minutes", reply.text).group(1))
            assert abs(said - left / 60) <= 0.5 + 1 / 60, (said, left)
            [play] = plays(reply)
            assert play["audioItem"]["stream"]["offsetInMilliseconds"] == offset


    @pytest.mark.parametrize("activity", ["PLAYING", "PAUSED"])
    def test_a_question_is_answered_from_the_device_s_place_however_it_reports_it(self, device, sqlite_store,
                                                                                 activity):
        """A device may report its player as playing or as paused while it listens: either way the stored place
        is its token's step, and the class carries on from that millisecond."""
        from alexa import intent

        device.say("StartClassIntent", practice=CLASS)
        device.run(500)
        token, offset = device.playing.token, device.offset_ms()
        body = device.context(intent("WhatPoseIntent", device.now, {}, user=device.user, new=True))
        body["context"]["AudioPlayer"]["playerActivity"] = activity
        reply = device.interact(body)
        assert stored(sqlite_store).position == int(where(token))
        assert plays(reply)[0]["audioItem"]["stream"]["offsetInMilliseconds"] == offset


class TestMovingAndAsking:
    def test_next_previous_repeat_and_start_over_play_the_right_step(self, device, library):
        practice = library.get("low_back_release")
        steps = active(practice, Plan.full(practice))
        device.say("StartClassIntent", practice=CLASS)
        device.run(200)
        here = int(where(device.playing.token))
        k = steps.index(here)
        [play] = plays(device.say("AMAZON.NextIntent"))
        assert where(play["audioItem"]["stream"]["token"]) == str(steps[k + 1])
        device.run(3)
        [play] = plays(device.say("AMAZON.PreviousIntent"))
        assert where(play["audioItem"]["stream"]["token"]) == str(steps[k])
        device.run(3)
        [play] = plays(device.say("AMAZON.RepeatIntent"))
        stream = play["audioItem"]["stream"]
        assert where(stream["token"]) == str(steps[k]) and stream["offsetInMilliseconds"] == 0
        [play] = plays(device.say("AMAZON.StartOverIntent"))
        assert where(play["audioItem"]["stream"]["token"]) == str(steps[0])

    @pytest.mark.parametrize("intent", ["AMAZON.LoopOnIntent", "AMAZON.ShuffleOnIntent", "AMAZON.LoopOffIntent",
                                        "AMAZON.ShuffleOffIntent"])
    def test_loop_and_shuffle_get_a_kind_sentence_and_the_class_carries_on(self, device, intent):
        device.say("StartClassIntent", practice=CLASS)
        device.run(100)
        token, offset = device.playing.token, device.offset_ms()
        reply = device.say(intent)
        assert "keeps its own order" in reply.text
        [play] = plays(reply)
        assert where(play["audioItem"]["stream"]["token"]) == where(token)
        assert play["audioItem"]["stream"]["offsetInMilliseconds"] == offset

    def test_shorter_replans_and_replaces_the_queue(self, device, sqlite_store):
        """'Make it twenty minutes' mid-stream: a new plan, new tokens, and the stream playing carries on."""
        device.say("StartClassIntent", practice=CLASS)
        device.run(120)
        before = device.playing.token
        reply = device.say("ShorterIntent", minutes="20")
        assert "to go" in reply.text
        [play] = plays(reply)
        token = play["audioItem"]["stream"]["token"]
        assert where(token) == where(before) and token.split(":")[2] != before.split(":")[2]
        assert stored(sqlite_store).plan is not None
        device.run_to_end()
        assert where(device.started[-1]) == "closing"

    def test_stop_stops_clears_the_queue_and_keeps_the_place(self, device, sqlite_store):
        device.say("StartClassIntent", practice=CLASS)
        device.run(400)
        step = int(where(device.playing.token))
        reply = device.say("AMAZON.StopIntent")
        types = {d["type"] for d in reply.response["directives"]}
        assert types == {"AudioPlayer.Stop", "AudioPlayer.ClearQueue"} and "kept your place" in reply.text
        assert stored(sqlite_store).position == step and device.queue == []


class TestPlayerRequests:
    def test_the_buttons_pause_play_next_and_previous(self, device):
        """PlaybackController requests (the device's buttons) get audio directives only, never speech."""
        device.say("StartClassIntent", practice=CLASS)
        device.run(150)
        token, offset = device.playing.token, device.offset_ms()
        for kind, expect in (("PauseCommandIssued", "AudioPlayer.Stop"), ("PlayCommandIssued", "AudioPlayer.Play"),
                             ("NextCommandIssued", "AudioPlayer.Play"), ("PreviousCommandIssued",
                                                                          "AudioPlayer.Play")):
            reply = controller(device, kind)
            assert "outputSpeech" not in reply.response and expect in {d["type"] for d in
                                                                       reply.response["directives"]}
            if kind == "PlayCommandIssued":
                stream = plays(reply)[0]["audioItem"]["stream"]
                assert where(stream["token"]) == where(token) and stream["offsetInMilliseconds"] == offset
            device.apply(reply)

    def test_a_stale_or_forged_token_does_nothing(self, device, sqlite_store):
        device.say("StartClassIntent", practice=CLASS)
        device.run(60)
        def place():
            state = stored(sqlite_store)
            return state.phase, state.position, state.plan, state.playback, state.offset, state.history

        before = place()
        for token in ("gy1:low_back_release:00000000:1.000:3", "gy1:hip_release:x:0:1", "nonsense", ""):
            for kind in ("PlaybackNearlyFinished", "PlaybackStopped", "PlaybackFinished", "PlaybackStarted"):
                reply = device.player_request(kind, token, 5000)
                assert reply.response.get("directives", []) == []
        assert place() == before

    def test_playback_failed_keeps_the_place_and_the_next_words_carry_on_in_speech(self, device, sqlite_store):
        """The device cannot play a stream: the place is kept, and the next time the person speaks the skill
        apologises and carries on as speech (SSML), from that pose."""
        device.say("StartClassIntent", practice=CLASS)
        device.run(240)
        token, offset = device.playing.token, device.offset_ms()
        device.playing = None
        body = device.context(_failed(device, token, offset))
        device.send(body)
        state = stored(sqlite_store)
        assert state.phase is Phase.PAUSED and state.position == int(where(token)) and state.audio_failed == 1
        reply = device.say("AMAZON.ResumeIntent")
        assert reply.text.startswith("Sorry, the audio stopped playing") and not plays(reply)
        assert "<break" in reply.ssml

    def test_an_exception_alexa_reports_gets_an_empty_answer(self, device):
        from alexa import envelope

        body = envelope("exception_encountered", device.now)
        reply = device.send(device.context(body))
        assert reply.response.get("directives") is None and "outputSpeech" not in reply.response


def controller(device: Device, kind: str):
    from alexa import recorded, stamp

    body = recorded("launch")
    body.pop("session", None)
    body["request"] = {"type": f"PlaybackController.{kind}", "requestId": "amzn1.echo-api.request.x",
                       "timestamp": stamp(device.now), "locale": "en-US"}
    return device.send(device.context(body))


def _failed(device: Device, token: str, offset: int) -> dict:
    from alexa import recorded, stamp

    body = recorded("launch")
    body.pop("session", None)
    body["request"] = {"type": "AudioPlayer.PlaybackFailed", "requestId": "amzn1.echo-api.request.f",
                       "timestamp": stamp(device.now), "locale": "en-US", "token": token,
                       "error": {"type": "MEDIA_ERROR_UNKNOWN", "message": "the stream could not be played"},
                       "currentPlaybackState": {"token": token, "offsetInMilliseconds": offset,
                                                "playerActivity": "PLAYING"}}
    return body


def test_tokens_carry_no_person_and_fit_alexas_limit(device):
    """Every token names the class, the plan's version, the playback and the stream: nothing of the user."""
    device.say("StartClassIntent", practice=CLASS)
    device.run(600)
    for token in device.started:
        assert len(token) <= 1024 and USER not in token and re.fullmatch(r"gy1:[a-z_]+:[0-9a-f]{8}:[\d.]+:\w+",
                                                                         token)
    assert pb.PREFIX == "gy1"
