"""The webhook end to end: real envelope JSON through Flask's test client, the skill, the engine and a store."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest
from alexa import START, Speaker, as_request, envelope, intent, keep, stored

from skill.alexa.intents import INTENTS
from skill.classes.loader import CATALOGS
from skill.config import ROOT
from skill.practice.state import Phase
from skill.web.endpoint import MAX_BODY

DAY = 24 * 3600


def started(speaker: Speaker, practice: str = "low_back_release"):
    """A class chosen and begun; returns the first segment's reply."""
    speaker.open()
    speaker.say("StartClassIntent", practice=(practice.replace("_", " "), practice))
    return speaker.say("ContinueIntent")


class TestLaunch:
    def test_a_new_user_is_welcomed_and_offered_the_classes(self, speaker):
        """A first launch welcomes, names every class, and keeps listening with a reprompt."""
        reply = speaker.open()
        assert reply.status == 200
        assert reply.text.startswith("Welcome to Gentle Yoga")
        for title in ("Low Back Release", "Hip Release", "Bedtime Wind-Down", "Morning Wake-Up"):
            assert title in reply.text
        assert not reply.ends and reply.reprompt

    def test_a_returning_user_with_a_paused_class_is_offered_that_pose(self, speaker, store):
        """After a pause, the next launch names the class and the pose, and yes carries on from that pose."""
        started(speaker)
        speaker.wait(20)
        paused = speaker.say("AMAZON.PauseIntent")
        pose = stored(store).position
        assert paused.ends and "Paused in" in paused.text
        speaker.wait(DAY)
        welcome = speaker.open()
        assert "Welcome back" in welcome.text and "Low Back Release" in welcome.text and "day ago" in welcome.text
        assert not welcome.ends
        carry_on = speaker.say("AMAZON.YesIntent")
        assert stored(store).phase is Phase.PRACTISING and stored(store).position == pose
        assert "pick up where you left off" in carry_on.text


class TestStart:
    def test_by_name_announces_the_class_and_its_props(self, speaker):
        """Starting by name says the title, its length and every prop, then waits for begin."""
        speaker.open()
        reply = speaker.say("StartClassIntent", practice=("low back release", "low_back_release"))
        assert "Low Back Release" in reply.text and "a strap" in reply.text and "two blocks" in reply.text
        assert "say begin" in reply.text and not reply.ends

    def test_by_minutes_picks_a_class_that_fits(self, speaker, store):
        """'a twenty minute class' picks a class of about twenty minutes."""
        reply = speaker.say("StartClassIntent", minutes="20")
        assert "20 minute practice" in reply.text
        assert stored(store).practice in ("hip_release", "chair_yoga")  # the two classes that declare 20 minutes

    def test_by_focus_picks_a_class_for_that_focus(self, speaker, store):
        """'something for my hips' picks Hip Release."""
        reply = speaker.say("StartClassIntent", focus=("hips", "hips"))
        assert "for your hips" in reply.text and stored(store).practice == "hip_release"

    def test_an_unresolved_class_name_gets_the_list_not_an_error(self, speaker, store):
        """A class name Alexa could not resolve is said back with the classes there are."""
        reply = speaker.say("StartClassIntent", practice=("power vinyasa", None))
        assert reply.status == 200 and "couldn't find a class called power vinyasa" in reply.text
        assert "Low Back Release" in reply.text and not reply.ends

    def test_begin_plays_the_first_segment_and_keeps_listening(self, speaker):
        """Begin sends the first part of the class, ending with a prompt to continue and a reprompt."""
        reply = started(speaker)
        assert "Knees to Chest" in reply.text and "Say continue" in reply.text
        assert reply.reprompt and not reply.ends
        assert reply.seconds > 120  # flow mode: minutes of class in one response


class TestMoving:
    def test_next_skips_to_the_following_pose(self, speaker, store):
        """Next, while the first pose is playing, skips on to the second."""
        started(speaker)
        speaker.wait(5)
        reply = speaker.say("AMAZON.NextIntent")
        assert reply.text.startswith("Moving on") and stored(store).position == 1

    def test_go_back_returns_to_the_pose_before(self, speaker, store):
        """Go back during the second pose plays the first again."""
        first = started(speaker)
        speaker.listen(first)
        speaker.say("ContinueIntent")
        before = stored(store).position
        speaker.wait(3)
        reply = speaker.say("GoBackIntent")
        assert reply.text.startswith("Going back one pose") and stored(store).position < before

    def test_repeat_plays_the_pose_that_was_playing(self, speaker, store):
        """Repeat, a few seconds in, plays the first pose again from its cue."""
        started(speaker)
        speaker.wait(5)
        reply = speaker.say("AMAZON.RepeatIntent")
        assert reply.text.startswith("Once more") and "Knees to Chest" in reply.text
        assert stored(store).position == 0


class TestPauseAndResume:
    def test_pause_mid_segment_keeps_the_pose_that_was_playing(self, speaker, store, library):
        """A pause two minutes into a segment keeps the step that was playing then, not the segment's first."""
        first = started(speaker)
        state = stored(store)
        playing = next(step for step, mark in zip(state.segment, state.marks, strict=False) if mark > 120) - 1
        speaker.wait(120)
        reply = speaker.say("AMAZON.PauseIntent")
        pose = library.get("low_back_release").steps[playing].pose.name
        assert f"Paused in {pose}" in reply.text and stored(store).position == playing
        assert first.seconds > 120

    def test_resume_the_next_day_in_a_new_session_starts_that_pose(self, speaker, store, library):
        """'Ask gentle yoga to continue' a day later, in a new session, restarts the paused pose from its cue."""
        started(speaker)
        speaker.wait(120)
        speaker.say("AMAZON.PauseIntent")
        position = stored(store).position
        speaker.wait(DAY)
        reply = speaker.say("ContinueIntent")
        pose = library.get("low_back_release").steps[position].pose.name
        assert speaker.replies[-1] is reply and reply.text.startswith("Let's pick up where you left off")
        assert pose in reply.text and stored(store).position == position


class TestShorter:
    def test_shorter_without_a_target_trims_the_rest(self, speaker, store):
        """'Make it shorter' says the new time left, and the plan is kept."""
        started(speaker)
        speaker.wait(10)
        reply = speaker.say("ShorterIntent")
        assert "trimmed the rest of the class" in reply.text and stored(store).plan is not None

    def test_shorter_to_a_target_reaches_it(self, speaker, store):
        """'Make it thirty minutes' early in the class leaves about thirty minutes from now."""
        started(speaker)
        speaker.wait(10)
        reply = speaker.say("ShorterIntent", minutes="30")
        assert "trimmed" in reply.text
        left = int(re.search(r"About (\d+) minutes to go", reply.text).group(1))
        assert 27 <= left <= 30


BUILTINS = [i.name for i in INTENTS if i.builtin]


class TestEveryIntent:
    @pytest.mark.parametrize("name", [i.name for i in INTENTS])
    def test_each_intent_answers_before_a_class(self, speaker, name):
        """Every intent, said before any class, gets valid speech and never an error, and a reprompt if the
        session stays open."""
        reply = speaker.say(name)
        assert reply.status == 200 and reply.text and "went wrong" not in reply.text
        assert reply.ends or reply.reprompt

    @pytest.mark.parametrize("name", [i.name for i in INTENTS])
    def test_each_intent_answers_mid_class(self, speaker, store, name):
        """Every intent, said mid-segment, gets valid speech; the session stays open only with a reprompt."""
        started(speaker)
        speaker.wait(30)
        reply = speaker.say(name)
        assert reply.status == 200 and reply.text and "went wrong" not in reply.text
        assert reply.ends or reply.reprompt
        assert stored(store).practice  # the class is still known

    @pytest.mark.parametrize("name", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"])
    def test_stop_and_cancel_keep_the_place_and_end_kindly(self, speaker, store, name):
        """Stop, cancel and home end the session with a goodbye, keeping the pose that was playing."""
        started(speaker)
        speaker.wait(30)
        reply = speaker.say(name)
        assert reply.ends and "kept your place" in reply.text
        assert stored(store).phase is Phase.PAUSED

    def test_fallback_helps(self, speaker):
        """Something the model could not place gets a short answer that says what can be said."""
        reply = speaker.say("AMAZON.FallbackIntent")
        assert "didn't catch that" in reply.text and "name of a class" in reply.text.lower() and not reply.ends

    def test_an_intent_the_skill_does_not_know_gets_help(self, speaker):
        """An intent name from an older model is treated like fallback, not an error."""
        reply = speaker.say("DanceIntent")
        assert reply.status == 200 and "didn't catch that" in reply.text


class TestSessionEnd:
    def test_session_end_mid_segment_records_the_step_playing(self, speaker, store):
        """When the session closes two minutes into a segment, the step playing then is the one kept."""
        started(speaker)
        state = stored(store)
        playing = next(step for step, mark in zip(state.segment, state.marks, strict=False) if mark > 120) - 1
        speaker.wait(120)
        reply = speaker.walk_away("ERROR")
        assert reply.status == 200 and not reply.ssml  # nothing is said to a session that has ended
        assert stored(store).phase is Phase.PAUSED and stored(store).position == playing

    def test_session_end_after_the_segment_keeps_the_next_step(self, speaker, store):
        """A session that times out after a segment played in full resumes at the step after it."""
        first = started(speaker)
        last = stored(store).segment[-1]
        speaker.listen(first)
        speaker.wait(16)
        speaker.walk_away()
        assert stored(store).phase is Phase.PAUSED and stored(store).position > last
        welcome = speaker.open()
        assert "Shall we carry on" in welcome.text


class TestSilentRequests:
    def test_exception_encountered_is_logged_and_answered_with_nothing(self, client, store, caplog):
        """System.ExceptionEncountered gets an empty response and saves nothing."""
        result = client.post("/alexa", json=envelope("exception_encountered", START))
        assert result.status_code == 200 and "outputSpeech" not in result.get_json()["response"]
        assert store.count() == 0 and "INVALID_RESPONSE" in caplog.text

    def test_skill_disabled_deletes_the_users_record(self, speaker, client, store):
        """Disabling the skill deletes that person's stored state."""
        started(speaker)
        assert store.count() == 1
        result = client.post("/alexa", json=envelope("skill_disabled", speaker.now))
        assert result.status_code == 200 and store.count() == 0


class TestRefusals:
    @pytest.mark.parametrize("body, reason", [
        (b"{not json", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        (b"[1, 2]", "not an Alexa request envelope"),
        (b'{"version": "1.0"}', "not an Alexa request envelope"),
        (json.dumps({"version": "1.0", "request": {"type": "Weird.Thing"}}).encode(), "unsupported request type"),
        (json.dumps({"version": "1.0", "request": {"type": "Messaging.MessageReceived"}}).encode(),
         "unsupported request type"),
    ])
    def test_bodies_that_are_not_requests_get_a_400_and_nothing_is_saved(self, client, store, body, reason):
        """Bad JSON, non-envelopes and unknown request types are refused with the reason; nothing is stored."""
        result = client.post("/alexa", data=body, content_type="application/json")
        assert result.status_code == 400 and reason in result.get_json()["error"]
        assert store.count() == 0

    def test_a_malformed_envelope_is_refused(self, client, store):
        """An intent request whose intent is not an object is refused before the handlers."""
        body = intent("AMAZON.HelpIntent", START)
        body["request"]["intent"] = "help"
        result = client.post("/alexa", json=body)
        assert result.status_code == 400 and "malformed" in result.get_json()["error"] and store.count() == 0

    def test_an_oversized_body_gets_a_413(self, client, store):
        """A body over the limit is refused unread with 413."""
        body = intent("AMAZON.HelpIntent", START)
        body["padding"] = "x" * MAX_BODY
        result = client.post("/alexa", json=body)
        assert result.status_code == 413 and result.get_json()["error"] and store.count() == 0

    def test_another_skills_request_is_refused(self, client, store):
        """A request for another skill id gets a 400 even with verification off."""
        result = client.post("/alexa", json=envelope("launch", START, app="amzn1.ask.skill.someone-else"))
        assert result.status_code == 400 and "skill id" in result.get_json()["error"] and store.count() == 0

    def test_get_on_the_endpoint_is_a_json_405(self, client):
        """The endpoint only takes POST, and says so in JSON."""
        result = client.get("/alexa")
        assert result.status_code == 405 and result.get_json()["error"]


class TestFaults:
    def test_a_store_that_fails_gets_a_kind_answer(self, settings, library):
        """When the store raises, the person hears a kind sentence, and the error is logged, not sent."""
        from skill.stores.memory import MemoryStore
        from skill.web.app import create_app

        class Broken(MemoryStore):
            def load_versioned(self, key):
                raise OSError("disk on fire")

        speaker = Speaker(create_app(settings, library=library, store=Broken()).test_client())
        reply = speaker.open()
        assert reply.status == 200 and "went wrong on my side" in reply.text and "fire" not in json.dumps(reply.body)
        assert reply.reprompt and not reply.ends

    def test_an_unreadable_record_starts_fresh_with_a_sentence(self, speaker, store):
        """A stored record from an unknown version is replaced, and the person is told."""
        started(speaker)
        keep(store, as_request(envelope("launch", START)), {"v": 99})
        reply = speaker.open()
        assert reply.text.startswith("I couldn't read where you were") and stored(store).phase is Phase.IDLE


class TestHealth:
    def test_healthz_answers(self, client):
        """GET /healthz answers 200 with the number of classes, for load balancers."""
        result = client.get("/healthz")
        class_files = [p for p in (ROOT / "sequences").glob("*.yaml") if p.name not in CATALOGS]
        body = result.get_json()
        assert result.status_code == 200 and body["status"] == "ok" and body["classes"] == len(class_files) == 8



class TestSignedRequests:
    """Verification on, as in production: every request really signed by a leaf of a CA the tests made."""

    @pytest.fixture
    def ca(self):
        import testca

        return testca.TestCA()

    @pytest.fixture
    def signed(self, ca, settings, library, store):
        import testca

        from skill.web.app import create_app
        from skill.web.verify import Verifier

        speaker = Speaker(None, headers=ca.headers)
        fetch = testca.Fetch({testca.DEFAULT_URL: ca.chain_pem()})
        verifier = Verifier(ca.roots, fetch=fetch, clock=lambda: speaker.now)
        app = create_app(dataclasses.replace(settings, verify=True), library=library, store=store, verifier=verifier)
        speaker.client = app.test_client()
        speaker.fetch = fetch
        return speaker

    def test_a_signed_class_pauses_and_resumes(self, signed, store):
        """Signed requests reach the skill: start, begin, pause mid-segment, and resume the next day."""
        started(signed)
        signed.wait(90)
        assert "Paused in" in signed.say("AMAZON.PauseIntent").text
        signed.wait(DAY)
        assert signed.say("ContinueIntent").text.startswith("Let's pick up")
        assert all(r.status == 200 for r in signed.replies) and len(signed.fetch.calls) == 1

    def test_a_body_changed_after_signing_is_refused_and_nothing_saved(self, signed, ca, store):
        """A signature over one body does not let another through."""
        body = json.dumps(intent("StartClassIntent", signed.now, {"practice": ("hip release", "hip_release")}))
        headers = ca.headers(body.encode())
        result = signed.client.post("/alexa", data=body.replace("hip", "low").encode(), headers=headers,
                                    content_type="application/json")
        assert result.status_code == 400 and "signature" in result.get_json()["error"] and store.count() == 0

    def test_a_replayed_request_is_refused(self, signed, store):
        """A correctly signed request replayed five minutes later is too old."""
        body = json.dumps(envelope("launch", signed.now - 300, new=True)).encode()
        assert signed.post(body).status == 400 and store.count() == 0

    def test_an_unsigned_request_is_refused(self, signed, store):
        """No signature headers, no answer."""
        signed.headers = None
        assert signed.open().status == 400 and store.count() == 0
