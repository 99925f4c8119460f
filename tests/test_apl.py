"""Echo Show screens: a RenderDocument on every answer to a device that shows APL, whose own timer carries the class
on with UserEvents, so a whole class needs no words after "start"; a late timer never moves anyone."""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import replace
from typing import Any

import pytest
from alexa import START, Reply, Speaker, as_request, envelope, intent, stored, user_event
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.directive import Directive
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective, UserEvent
from properties import played_through

from skill.alexa import apl
from skill.alexa.model import skill_manifest
from skill.practice import events as ev
from skill.practice import prompts, ssml
from skill.practice.context import carry_on_token
from skill.practice.engine import handle
from skill.practice.plan import Plan, active, announces, next_active
from skill.practice.rehearse import rehearse
from skill.practice.speech import Pace, join, seconds, spoken
from skill.practice.state import Phase, State
from skill.web.app import create_app

CLASS = "low_back_release"
SERIALIZER = DefaultSerializer()
COMMANDS = "list[ask_sdk_model.interfaces.alexa.presentation.apl.command.Command]"
AUTO = Pace(auto_advance=True)
BINDING = re.compile(r"\$\{([^}]*)\}")
# Every kind of component and command the document may use, from the APL reference.
# APL's components (VectorGraphic, APL 1.1 and later, shows a pose's drawing from a URL)
COMPONENTS = {"Container", "Frame", "Text", "Pager", "Image", "TouchWrapper", "Sequence", "ScrollView",
              "VectorGraphic"}


@pytest.fixture
def show(client) -> Speaker:
    """A person on a mat in front of an Echo Show 8."""
    return Speaker(client, apl=True)


def begun(speaker: Speaker):
    """Start the class by voice and let the screen begin it; returns the first segment's reply."""
    speaker.say("StartClassIntent", practice=("low back release", CLASS))
    reply = speaker.follow()
    assert reply is not None
    return reply


def whole_class(speaker: Speaker):
    """'Start low back release', then nothing more: the screen's events carry the class to its end."""
    reply = speaker.say("StartClassIntent", practice=("low back release", CLASS))
    events = 0
    while not reply.ends:
        followed = speaker.follow(reply)
        assert followed is not None, "every part that does not end the class carries on by itself"
        reply, events = followed, events + 1
    return reply, events


def round_trips(data: Any, kind: Any) -> bool:
    """data deserialises into the ask-sdk-model type and serialises back to exactly the same JSON."""
    model = SERIALIZER.deserialize(json.dumps(data), kind)
    return model is not None and SERIALIZER.serialize(model) == data


def bindings(document: dict) -> list[str]:
    """Every data-binding expression in the document."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.extend(BINDING.findall(value))
    walk(document.get("mainTemplate", {}))
    return found


def components(item: Any) -> list[dict]:
    if isinstance(item, list):
        return [c for i in item for c in components(i)]
    if not isinstance(item, dict) or "type" not in item:
        return []
    children = [item.get(key) for key in ("item", "items") if key in item]
    return [item] + [c for child in children for c in components(child)]


class TestOnlyWithAScreen:
    def test_every_answer_to_a_screen_shows_a_document(self, show):
        """Launch, the class list, choosing a class and each part of it all carry a RenderDocument."""
        replies = [show.open(), show.say("ListClassesIntent"), show.say("StartClassIntent",
                                                                      practice=("low back release", CLASS))]
        replies.append(show.follow())
        assert all(r.status == 200 and r.screen is not None for r in replies)
        assert {r.screen["type"] for r in replies} == {"Alexa.Presentation.APL.RenderDocument"}

    def test_a_speaker_gets_no_directive_and_hears_what_it_always_did(self, speaker):
        """Without APL in supportedInterfaces: no directive, the prompt to continue, a reprompt, the mic open."""
        speaker.say("StartClassIntent", practice=("low back release", CLASS))
        reply = speaker.say("ContinueIntent")
        assert "directives" not in reply.response or not reply.response["directives"]
        assert reply.text.endswith(prompts.FLOW_PROMPT) and reply.reprompt
        assert reply.response["shouldEndSession"] is False

    def test_a_screen_is_not_asked_to_say_continue_and_the_mic_stays_closed(self, show):
        """A part played on a screen ends without the prompt, with no reprompt and shouldEndSession left out."""
        reply = begun(show)
        assert prompts.FLOW_PROMPT not in reply.text and not reply.reprompt
        assert "shouldEndSession" not in reply.response and reply.timer is not None

    def test_the_manifest_declares_apl_for_every_echo_show_and_the_spot(self):
        """skill.json's custom API lists ALEXA_PRESENTATION_APL with viewports that hold each screen's size."""
        interfaces = skill_manifest(None)["manifest"]["apis"]["custom"]["interfaces"]
        aplish = [i for i in interfaces if i["type"] == "ALEXA_PRESENTATION_APL"]
        assert len(aplish) == 1
        screens = {"Show 5": ("RECTANGLE", 960, 480), "Show 8": ("RECTANGLE", 1280, 800),
                   "Show 15": ("RECTANGLE", 1920, 1080), "Spot": ("ROUND", 480, 480)}
        for name, (shape, width, height) in screens.items():
            assert any(v["shape"] == shape and v["minWidth"] <= width <= v["maxWidth"]
                       and v["minHeight"] <= height <= v["maxHeight"] for v in aplish[0]["supportedViewports"]), name


class TestAgainstTheModelTypes:
    def test_every_directive_of_a_whole_class_round_trips_through_ask_sdk_model(self, show):
        """Each RenderDocument, and its onMount commands, deserialise into ask-sdk-model types and back unchanged,
        and each stays well under the response size limit."""
        whole_class(show)
        screens = [r.screen for r in show.replies if r.screen is not None]
        assert len(screens) == len(show.replies)
        for screen in screens:
            assert round_trips(screen, Directive)
            assert isinstance(SERIALIZER.deserialize(json.dumps(screen), Directive), RenderDocumentDirective)
            assert round_trips(screen["document"]["onMount"], COMMANDS)
            assert len(json.dumps(screen).encode()) < apl.MAX_BYTES

    def test_the_round_trip_check_catches_a_misspelt_property(self):
        """A command property ask-sdk-model does not know is dropped on the way, so the check fails."""
        good = [{"type": "SetPage", "componentId": "steps", "position": "absolute", "value": 1}]
        bad = [{"type": "SetPage", "componentID": "steps", "position": "absolute", "value": 1}]
        assert round_trips(good, COMMANDS) and not round_trips(bad, COMMANDS)

    def test_the_user_event_posted_is_an_ask_sdk_model_user_event(self, show):
        """The UserEvent a screen sends deserialises as UserEvent, with the arguments the document gave it."""
        reply = show.say("StartClassIntent", practice=("low back release", CLASS))
        after, arguments, token = reply.timer
        body = user_event(show.now + after, arguments, token)
        request = as_request(body).request
        assert isinstance(request, UserEvent) and request.arguments == arguments and request.token == token
        serialised = SERIALIZER.serialize(request)
        assert serialised.pop("timestamp") and body["request"].pop("timestamp")
        assert serialised == body["request"]


class TestWhatTheScreenShows:
    def test_each_page_shows_its_pose_sanskrit_cue_progress_time_left_and_next(self, show, library, store):
        """The pages of the first segment match the class: names, cue, step number, progress, time left, next."""
        reply = begun(show)
        state = stored(store)
        practice = library.get(CLASS)
        plan = Plan.full(practice)
        steps = active(practice, plan)
        opening, left_from = played_through(library, CLASS)
        total = opening + left_from[0]
        pages = reply.screen["datasources"]["payload"]["pages"]
        assert len(pages) == len(state.segment) > 1
        for page, index in zip(pages, state.segment, strict=True):
            step = practice.steps[index]
            left = left_from[index]
            after = practice.steps[next_active(practice, plan, index)]
            assert page["heading"] == step.pose.name and page["body"] == step.cue
            assert page["subheading"] == (step.pose.sanskrit or "")
            assert page["side"] == (f"{step.side.capitalize()} side" if step.side else "")
            assert page["step"] == f"Step {steps.index(index) + 1} of {len(steps)}"
            percent, minutes = re.fullmatch(r"(\d+)%", page["percent"]), re.fullmatch(r"(\d+) min left", page["left"])
            assert percent and abs(int(percent.group(1)) - (1 - left / total) * 100) <= 0.51, (page, left, total)
            assert minutes and abs(int(minutes.group(1)) - left / 60) <= 0.51, (page, left)
            assert page["next"] == f"Next: {after.pose.name}"
        assert reply.screen["datasources"]["payload"]["title"] == practice.title

    def test_every_binding_and_resource_the_document_uses_is_there(self, show):
        """${payload.…} and ${data.…} name fields every emitted datasource has; every @resource is defined;
        every component is an APL component."""
        whole_class(show)
        document = apl.DOCUMENT
        names = {n for block in document["resources"] for kind in ("colors", "dimensions")
                 for n in block.get(kind, {})}
        used = set(re.findall(r'"@(\w+)"', json.dumps(document)))
        assert used and used <= names
        assert {c["type"] for c in components(document["mainTemplate"]["item"])} <= COMPONENTS
        expressions = bindings(document)
        for reply in show.replies:
            payload = reply.screen["datasources"]["payload"]
            for expression in expressions:
                for field in re.findall(r"\bpayload\.(\w+)", expression):
                    assert field in payload, field
                for page in payload["pages"]:
                    for field in re.findall(r"\bdata\.(\w+)", expression):
                        assert field in page and isinstance(page[field], str), field

    def test_choosing_a_class_shows_its_props_and_that_it_will_begin(self, show, library):
        """The ready screen names the class, its props and first pose, and says it starts in a moment."""
        reply = show.say("StartClassIntent", practice=("low back release", CLASS))
        payload = reply.screen["datasources"]["payload"]
        practice = library.get(CLASS)
        page = payload["pages"][0]
        assert payload["status"] == apl.LABELS["starting"] and page["heading"] == practice.title
        assert all(prop in page["body"] for prop in practice.props)
        assert page["next"] == f"First: {practice.steps[0].pose.name}"

    def test_a_pause_shows_the_paused_pose_and_has_no_timer(self, show, library, store):
        """Paused by voice: one page, the pose that was playing, a paused status, and nothing that carries on."""
        begun(show)
        show.wait(90)
        reply = show.say("AMAZON.PauseIntent")
        position = stored(store).position
        payload = reply.screen["datasources"]["payload"]
        assert payload["status"] == apl.LABELS["paused"] and len(payload["pages"]) == 1
        assert payload["pages"][0]["heading"] == library.get(CLASS).steps[position].pose.name
        assert reply.timer is None and reply.screen["document"]["onMount"] == []


class TestTimeline:
    def test_pages_turn_at_the_segments_marks_and_the_event_comes_after_the_speech(self, library):
        """SetPage k runs at mark k; the one SendEvent runs when the speech has played, plus the margin."""
        ready = handle(State(), ev.Start(practice=CLASS), 0, library, AUTO).state
        outcome = handle(ready, ev.Resume(after=carry_on_token(ready)), 100, library, AUTO)
        [parallel] = SERIALIZER.serialize(apl.timeline(outcome, AUTO))  # as the JSON the device is sent
        assert parallel["type"] == "Parallel" and parallel["screenLock"] is True
        pages = [c for c in parallel["commands"] if c["type"] == "SetPage"]
        marks = outcome.segment.marks
        assert [c["value"] for c in pages] == list(range(1, len(outcome.segment.steps)))
        assert [c["delay"] / 1000 for c in pages] == pytest.approx(marks[1:-1], abs=0.001)  # ms, from seconds
        [event] = [c for c in parallel["commands"] if c["type"] == "SendEvent"]
        assert event["arguments"] == [apl.CARRY_ON, outcome.carry_on]
        # two seconds after the speech ends, the speech timed as a device plays it (tests/alexa.py's own measure)
        said = {"response": {"outputSpeech": {"type": "SSML", "ssml": ssml.render(outcome.speech)}}}
        heard = Reply(200, said).seconds
        assert event["delay"] / 1000 == pytest.approx(heard + 2.0, abs=1.0)
        assert event["delay"] > marks[-1] * 1000  # never before the last hold has ended

    def test_words_put_before_the_segment_delay_every_page_by_as_long(self, library):
        """A note the edge puts before the engine's words (a store fault) moves every page turn by its length."""
        ready = handle(State(), ev.Start(practice=CLASS), 0, library, AUTO).state
        outcome = handle(ready, ev.Resume(after=carry_on_token(ready)), 100, library, AUTO)
        noted = replace(outcome, speech=join(spoken(prompts.NOT_SAVED), outcome.speech))
        shift = seconds(noted.speech, AUTO) - seconds(outcome.speech, AUTO)
        plain, later = (SERIALIZER.serialize(apl.timeline(o, AUTO))[0]["commands"] for o in (outcome, noted))
        assert shift > 1
        for before, after in zip(plain, later, strict=True):
            assert after["delay"] == pytest.approx(before["delay"] + shift * 1000, abs=2)

    def test_the_screen_timer_over_http_matches_the_reply_length(self, show):
        """The event a reply's document sends comes when that reply's speech has played, as a device hears it."""
        reply = begun(show)
        after, _, _ = reply.timer
        assert after == pytest.approx(reply.seconds + apl.AFTER_SPEECH, abs=1.0)


class TestHandsFreeOnAScreen:
    def test_a_whole_low_back_release_needs_no_words_after_start(self, show, library, store, record_property):
        """On an Echo Show the class runs from 'start low back release' to its closing words with no other
        utterance: every pose in order, one screen event for each 'continue' a speaker would have needed."""
        reply, events = whole_class(show)
        practice = library.get(CLASS)
        spoken_text = " ".join(r.text for r in show.replies)
        named = [s.pose.name for s in practice.steps if announces(practice, Plan.full(practice), s.index)]
        at = 0
        for name in named:
            at = spoken_text.index(name, at) + len(name)
        assert practice.closing in reply.text and stored(store).phase is Phase.FINISHED
        assert all(r.status == 200 for r in show.replies)
        on_a_speaker = len(rehearse(library, CLASS, "flow", Pace()))
        assert show.utterances == 1 and events == on_a_speaker - 1
        record_property("utterances_after_start_apl", show.utterances - 1)
        print(f"\nEcho Show: {show.utterances - 1} utterances after 'start low back release' "
              f"({events} screen events); a speaker in flow mode needs {on_a_speaker} utterances in all")

    def test_step_mode_on_a_screen_also_needs_nothing_after_start(self, settings, library, store):
        """One step a response: the screen carries on after each, so step mode too needs only 'start'."""
        app = create_app(dataclasses.replace(settings, pace=Pace(mode="step")), library=library, store=store)
        show = Speaker(app.test_client(), apl=True)
        reply, events = whole_class(show)
        assert library.get(CLASS).closing in reply.text and show.utterances == 1
        assert events == len(rehearse(library, CLASS, "step", Pace(mode="step"))) - 1

    def test_a_paused_class_ignores_the_late_timer_then_resumes_by_voice(self, show, store):
        """Pause by voice mid-segment; the old document's event then arrives: nothing is said and nothing moves.
        'Resume' restarts the paused pose, and the screen carries on from there."""
        first = begun(show)
        after, arguments, token = first.timer
        started = show.now
        show.wait(60)
        show.say("AMAZON.PauseIntent")
        paused = stored(store)
        late = show.post(user_event(started + after, arguments, token, user=show.user, session="late"))
        assert late.status == 200 and not late.ssml and late.screen is None
        assert "shouldEndSession" not in late.response
        assert stored(store) == paused
        show.wait(30)
        resumed = show.say("AMAZON.ResumeIntent")
        assert resumed.text.startswith("Let's pick up where you left off") and resumed.timer is not None
        assert stored(store).position == paused.position and stored(store).phase is Phase.PRACTISING
        carried = show.follow(resumed)
        assert stored(store).position > paused.position and carried.timer is not None

    @pytest.mark.parametrize("move", ["AMAZON.StartOverIntent", "AMAZON.NextIntent", "AMAZON.RepeatIntent"])
    def test_a_timer_from_before_a_move_changes_nothing(self, show, store, move):
        """After start over, next or repeat, the previous document's event is silent and keeps the new place."""
        first = begun(show)
        after, arguments, token = first.timer
        show.wait(20)
        show.say(move)
        moved = stored(store)
        show.wait(after)
        late = show.post(user_event(show.now, arguments, token, user=show.user, session=show.session))
        assert not late.ssml and late.screen is None and stored(store) == moved

    def test_an_event_delivered_twice_moves_the_class_once(self, show, store):
        """The same UserEvent again (a retry) finds its part already replaced, so it changes nothing."""
        first = begun(show)
        after, arguments, token = first.timer
        show.follow(first)
        moved = stored(store)
        again = show.post(user_event(show.now + 1, arguments, token, user=show.user, session=show.session))
        assert not again.ssml and stored(store) == moved

    @pytest.mark.parametrize("arguments", [[], ["carry-on"], ["tap", "x"], ["carry-on", 7], ["carry-on", ""]])
    def test_any_other_event_from_a_screen_is_answered_with_silence(self, show, store, arguments):
        """Events that are not this skill's timer get an empty 200 answer and keep the place."""
        begun(show)
        before = stored(store)
        reply = show.post(user_event(show.now + 5, arguments, "whatever", user=show.user, session=show.session))
        assert reply.status == 200 and not reply.ssml and stored(store) == before


class TestTheEngineDecides:
    def test_a_matching_timer_in_ready_begins_the_class(self, library):
        """Choosing a class on a screen: no prompt to begin, a quiet moment, then its own timer begins."""
        ready = handle(State(), ev.Start(practice=CLASS), 0, library, AUTO)
        assert ready.carry_on == f"ready:{CLASS}" and ready.end_session is None and not ready.reprompt
        assert prompts.READY_PROMPT not in " ".join(getattr(p, "text", "") for p in ready.speech)
        outcome = handle(ready.state, ev.Resume(after=ready.carry_on), 80, library, AUTO)
        assert outcome.state.phase is Phase.PRACTISING and outcome.state.position == 0

    def test_a_matching_timer_goes_to_the_step_after_the_segment_whatever_the_clock(self, library):
        """Even a timer that fires a little early moves on, instead of restarting the pose as if interrupted."""
        ready = handle(State(), ev.Start(practice=CLASS), 0, library, AUTO).state
        first = handle(ready, ev.Resume(after=carry_on_token(ready)), 100, library, AUTO)
        early = 100 + first.segment.seconds - 5
        outcome = handle(first.state, ev.Resume(after=first.carry_on), early, library, AUTO)
        practice = library.get(CLASS)
        assert outcome.state.position == next_active(practice, Plan.full(practice), first.segment.steps[-1])
        assert not any("pick up" in getattr(p, "text", "") for p in outcome.speech)

    def test_a_token_from_another_part_keeps_everything_and_says_nothing(self, library):
        """A stale token: same state, no words, the session left as it is (shouldEndSession left out)."""
        ready = handle(State(), ev.Start(practice=CLASS), 0, library, AUTO).state
        first = handle(ready, ev.Resume(after=carry_on_token(ready)), 100, library, AUTO)
        for token in (f"ready:{CLASS}", "", first.carry_on + "x"):
            outcome = handle(first.state, ev.Resume(after=token), 400, library, AUTO)
            assert outcome.state == first.state and outcome.speech == () and outcome.end_session is None

    def test_on_a_screen_every_answer_listens_ends_or_carries_on(self, library):
        """With the screen flag, each answer either listens with a reprompt, ends, carries on by itself (no
        reprompt, shouldEndSession left out), or says nothing at all."""
        events = [ev.Launch(), ev.Start(practice=CLASS), ev.Next(), ev.Previous(), ev.Repeat(), ev.Pause(),
                  ev.Resume(), ev.Shorter(), ev.StartOver(), ev.TimeLeft(), ev.WhatPose(), ev.WhatProps(),
                  ev.Help(), ev.Yes(), ev.No(), ev.Stop(), ev.Unknown()]
        states = [State()]
        for event in [ev.Start(practice=CLASS), ev.Resume(), ev.Pause(), ev.Resume()]:
            states.append(handle(states[-1], event, 100.0 * len(states), library, AUTO).state)
        for state in states:
            for event in events:
                outcome = handle(state, event, 1000.0, library, AUTO)
                if outcome.carry_on:
                    assert outcome.end_session is None and not outcome.reprompt
                    assert outcome.carry_on == carry_on_token(outcome.state)
                elif outcome.end_session is None:
                    assert outcome.speech == ()
                else:
                    assert bool(outcome.reprompt) == (not outcome.end_session), (state.phase, event)

    def test_without_a_screen_nothing_carries_on(self, library):
        """The default pace never sets carry_on nor leaves shouldEndSession out: a speaker behaves as before."""
        turns = rehearse(library, CLASS, "flow", Pace())
        assert all(t.outcome.carry_on is None and t.outcome.end_session is not None for t in turns)


class TestAtTheWebhook:
    def test_the_user_event_passes_the_request_type_check(self, client, store):
        """Alexa.Presentation.APL.UserEvent is a request type the endpoint answers (not a 400)."""
        result = client.post("/alexa", json=user_event(START, [apl.CARRY_ON, "nothing"], "t", new=True))
        assert result.status_code == 200 and "outputSpeech" not in result.get_json()["response"]

    @pytest.fixture
    def signed(self, settings, library, store):
        import testca

        from skill.web.verify import Verifier

        ca = testca.TestCA()
        speaker = Speaker(None, headers=ca.headers, apl=True)
        verifier = Verifier(ca.roots, fetch=testca.Fetch({testca.DEFAULT_URL: ca.chain_pem()}),
                            clock=lambda: speaker.now)
        app = create_app(dataclasses.replace(settings, verify=True), library=library, store=store, verifier=verifier)
        speaker.client = app.test_client()
        return speaker

    def test_a_signed_screen_event_within_150_seconds_carries_on(self, signed, store):
        """With verification on, the screen's event (timestamped when it is sent) is verified and answered."""
        reply = signed.say("StartClassIntent", practice=("low back release", CLASS))
        carried = signed.follow(reply)
        assert carried.status == 200 and stored(store).phase is Phase.PRACTISING

    def test_a_signed_screen_event_older_than_150_seconds_is_refused(self, signed, store):
        """The same event replayed five minutes late is refused, and the class does not move."""
        reply = signed.say("StartClassIntent", practice=("low back release", CLASS))
        after, arguments, token = reply.timer
        body = user_event(signed.now + after, arguments, token, user=signed.user, session=signed.session)
        signed.now += after + 300
        assert signed.post(body).status == 400 and stored(store).phase is Phase.READY


def test_apl_envelopes_say_so_and_others_do_not():
    """The test envelopes: apl=True adds the interface and a viewport; without it there is neither."""
    shown = as_request(intent("AMAZON.HelpIntent", START, apl=True))
    plain = as_request(envelope("launch", START))
    assert shown.context.system.device.supported_interfaces.alexa_presentation_apl is not None
    assert shown.context.viewport is not None
    assert plain.context.system.device.supported_interfaces.alexa_presentation_apl is None


class TestPoseDrawings:
    """With GENTLE_YOGA_PUBLIC_URL set, each page loads its pose's drawing from the app; without it, text only."""

    def test_without_a_public_url_the_pages_are_text_only(self, show):
        """No address to load from: every page's figure is empty, so the document's VectorGraphic is left out."""
        pages = begun(show).screen["datasources"]["payload"]["pages"]
        assert pages and all(page["figure"] == "" and page["figureAlt"] == "" for page in pages)
        graphic = next(c for c in components(apl.DOCUMENT["mainTemplate"]["item"]) if c["type"] == "VectorGraphic")
        assert "data.figure != ''" in graphic["when"] and graphic["source"] == "${data.figure}"

    def test_with_a_public_url_each_page_loads_its_drawing_from_the_app(self, settings, library, store):
        """Each page names the AVG of its own pose (the left side's mirror for a left-side step), which the app
        serves as an Alexa Vector Graphic, with the drawing's own alt text."""
        from skill.web.app import create_app

        app = create_app(replace(settings, public_url="https://yoga.example.com"), library=library, store=store)
        client = app.test_client()
        speaker = Speaker(client, apl=True)
        reply = begun(speaker)
        pages = reply.screen["datasources"]["payload"]["pages"]
        state = stored(store)
        practice = library.get(CLASS)
        seen_left = False
        while True:
            for page, index in zip(pages, state.segment, strict=True):
                step = practice.steps[index]
                suffix = "-left" if step.side == "left" else ""
                seen_left |= bool(suffix)
                assert page["figure"] == f"https://yoga.example.com/figures/{step.pose.id}{suffix}.avg.json"
                assert len(page["figureAlt"].split()) >= 6
                served = client.get(page["figure"].removeprefix("https://yoga.example.com"))
                assert served.status_code == 200 and served.get_json()["type"] == "AVG"
            if seen_left or reply.ends:
                break
            reply = speaker.follow(reply)
            pages, state = reply.screen["datasources"]["payload"]["pages"], stored(store)
        assert seen_left
