"""Whole classes played through the HTTP endpoint, start to finish, as a person on a mat would."""
from __future__ import annotations

import dataclasses
import re

import pytest
from alexa import Speaker, stored

from skill.config import ROOT
from skill.practice.plan import Plan, announces
from skill.practice.speech import Pace
from skill.practice.state import Phase
from skill.web.app import create_app

# The README's sentence, which the whole class played over HTTP must bear out (flow, step).
README_TURNS = re.compile(r"The whole of Low Back Release takes (\d+) things said in flow mode, and (\d+) in step mode")
REPLY_SECONDS = 2  # the person answers a couple of seconds after the speech ends
CLASS = "low_back_release"


def speaker_in(mode: str, settings, library, store) -> Speaker:
    settings = dataclasses.replace(settings, pace=Pace(mode=mode))
    return Speaker(create_app(settings, library=library, store=store).test_client())


def poses_in_order(text: str, names: list[str]) -> list[str]:
    """The names that are not found, in order, in text: empty when every pose was spoken in sequence."""
    missing, at = [], 0
    for name in names:
        found = text.find(name, at)
        if found < 0:
            missing.append(name)
        else:
            at = found + len(name)
    return missing


class TestWholeClassOverHttp:
    @pytest.mark.parametrize("mode, carry_on", [("flow", "ContinueIntent"), ("step", "AMAZON.NextIntent")])
    def test_low_back_release_start_to_finish(self, mode, carry_on, settings, library, store, record_property):
        """Every pose is spoken in order, the class closes and is recorded, in as many utterances as the README
        says it takes."""
        speaker = speaker_in(mode, settings, library, store)
        reply = speaker.say("StartClassIntent", practice=("low back release", CLASS))
        while not reply.ends:
            speaker.listen(reply)
            speaker.wait(REPLY_SECONDS)
            reply = speaker.say(carry_on if speaker.utterances > 1 else "ContinueIntent")
        spoken = " ".join(r.text for r in speaker.replies)
        practice = library.get(CLASS)
        named = [s.pose.name for s in practice.steps if announces(practice, Plan.full(practice), s.index)]
        assert poses_in_order(spoken, named) == []
        assert practice.closing in reply.text
        assert all(r.status == 200 for r in speaker.replies)
        found = README_TURNS.search(" ".join((ROOT / "README.md").read_text(encoding="utf-8").split()))
        assert found, "the README should say how many things Low Back Release takes in each mode"
        assert speaker.utterances == int(found.group(1 if mode == "flow" else 2))
        record_property(f"utterances_{mode}", speaker.utterances)
        print(f"\n{mode} mode: {speaker.utterances} utterances for the whole of Low Back Release")

    def test_a_session_that_times_out_between_segments_continues_next_time(self, settings, library, store):
        """A person who never answers in time still gets through the class with 'ask gentle yoga to continue'."""
        speaker = speaker_in("flow", settings, library, store)
        reply = speaker.say("StartClassIntent", practice=("low back release", CLASS))
        speaker.wait(REPLY_SECONDS)
        reply = speaker.say("ContinueIntent")
        while not reply.ends:
            speaker.listen(reply)
            speaker.wait(16)  # the prompt, the reprompt, and two silences: Alexa closes the session
            speaker.walk_away()
            speaker.wait(60)
            reply = speaker.say("ContinueIntent")
            assert reply.text.startswith("Let's pick up where you left off") or reply.ends
        assert library.get(CLASS).closing in reply.text
        assert stored(store).phase is Phase.FINISHED
