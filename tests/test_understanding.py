"""Understanding people, through the webhook with real envelopes: what's next, minutes from now (AMAZON.NUMBER and
AMAZON.DURATION as Alexa sends them), pace, longer holds, "that hurts", "go easy on my knees", switch sides, poses
left, "continue" after the prompt at real speaking rates, an honest welcome, asking before replacing a class,
practice this week, fallbacks that help, and partial class names."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from alexa import START, USER, Speaker, stored

from skill.alexa.intents import BY_NAME
from skill.classes import load_library
from skill.config import ROOT
from skill.practice.plan import Plan, pose_numbers, remaining_seconds
from skill.practice.speech import Pace
from skill.practice.state import Phase, to_dict

DAY = 24 * 3600
BODY_CLASS = Path(__file__).parent / "sequences_body" / "knee_care.yaml"
_BREAK = re.compile(r'<break time="(\d+)(ms|s)"/>')


def begin(speaker: Speaker, practice: str = "low_back_release"):
    """A class chosen and begun: the first part's reply."""
    speaker.open()
    speaker.say("StartClassIntent", practice=(practice.replace("_", " "), practice))
    return speaker.say("ContinueIntent")


def left_minutes(text: str) -> int:
    found = re.search(r"About (\d+) minutes to go", text)
    assert found, text
    return int(found.group(1))


def played_at(reply, wpm: float) -> float:
    """How long the reply takes to play when the voice speaks at wpm: its words at that rate, its breaks exactly."""
    silence = sum(int(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK.findall(reply.ssml))
    return len(re.findall(r"[\w']+", reply.text)) * 60 / wpm + silence


@pytest.fixture
def body_library(tmp_path):
    """The real classes and the catalog, plus Knee Care Test: steps with body tags and easier ways."""
    folder = tmp_path / "sequences"
    shutil.copytree(ROOT / "sequences", folder)
    shutil.copy(BODY_CLASS, folder / BODY_CLASS.name)
    return load_library(folder)


@pytest.fixture
def body_speaker(settings, body_library, store):
    from skill.web.app import create_app

    return Speaker(create_app(settings, library=body_library, store=store).test_client())


class TestWhatsNext:
    def test_mid_pose_it_names_the_next_pose_and_side_without_moving(self, speaker, store, library):
        """'What's next' during a pose names the next pose (and side), and the class stays in the pose it was in."""
        first = begin(speaker)
        speaker.wait(5)  # inside the first pose
        reply = speaker.say("WhatsNextIntent")
        state = stored(store)
        steps = library.get("low_back_release").steps
        assert state.segment[0] == 0, "it did not move on"
        after = next(s for s in steps if s.pose.id != steps[0].pose.id)
        assert reply.text.startswith(f"Next is {after.pose.name}")
        assert first.text.split(".")[0] in reply.text  # the pose it was in plays on from its cue

    def test_between_parts_it_names_what_continue_starts(self, speaker, store, library):
        """After a part has played, 'what's next' names the pose continue will start, and nothing moves."""
        reply = begin(speaker)
        speaker.listen(reply)
        before = stored(store)
        answer = speaker.say("WhatsNextIntent")
        upcoming = library.get("low_back_release").steps[before.segment[-1] + 1]
        side = f", on the {upcoming.side} side" if upcoming.side else ""
        assert answer.text.startswith(f"Next is {upcoming.pose.name}{side}.") and not answer.ends
        assert stored(store) == before

    def test_the_intent_exists_and_does_not_skip(self):
        """'What's next' is its own intent, not a sample of the next-pose intent that skips."""
        assert "what's next" in BY_NAME["WhatsNextIntent"].samples
        assert "what's next" not in BY_NAME["NextPoseIntent"].samples


class TestMinutesFromNow:
    def test_before_a_class_minutes_are_its_length(self, speaker):
        """Ready to begin, 'make it twenty minutes' makes the whole class about twenty minutes, and says so."""
        speaker.say("StartClassIntent", practice=("low back release", "low_back_release"))
        reply = speaker.say("ShorterIntent", minutes="20")
        assert 18 <= left_minutes(reply.text) <= 21

    @pytest.mark.parametrize("asked,waited", [(30, 5 * 60), (20, 16 * 60)])
    def test_during_a_class_minutes_count_from_now(self, speaker, asked, waited):
        """'Make it N minutes' mid-class leaves about N minutes from now, not N minus the time already done."""
        begin(speaker)
        speaker.wait(waited)
        reply = speaker.say("ShorterIntent", minutes=str(asked))
        assert asked - 3 <= left_minutes(reply.text) <= asked

    def test_an_unreachable_length_says_the_shortest_and_gives_it(self, speaker):
        """Asking for less than the class can be says this is the shortest, and how long that is."""
        begin(speaker, "hip_release")
        reply = speaker.say("ShorterIntent", minutes="3")
        assert "This is the shortest the class can be" in reply.text and left_minutes(reply.text) > 3

    def test_more_than_is_left_says_it_fits_already(self, speaker):
        """'Make it thirty' with twenty left changes nothing and says how long is left."""
        begin(speaker, "hip_release")
        reply = speaker.say("ShorterIntent", minutes="30")
        assert "That fits already" in reply.text and left_minutes(reply.text) <= 21

    @pytest.mark.parametrize("duration,minutes", [("PT30M", 30), ("PT1H15M", 75), ("PT20M", 20), ("PT1H", 60)])
    def test_a_duration_slot_is_minutes_too(self, speaker, duration, minutes):
        """AMAZON.DURATION values, as Alexa sends them ("half an hour", "an hour and a quarter"), count as minutes."""
        speaker.say("StartClassIntent", practice=("low back release", "low_back_release"))
        reply = speaker.say("ShorterIntent", length=duration)
        expected = min(minutes, 40)
        assert "to go" in reply.text
        assert left_minutes(reply.text) <= expected + 3

    def test_a_duration_before_any_class_chooses_one_that_long(self, speaker, store):
        """'I've got half an hour' with no class under way picks a class for that time."""
        reply = speaker.say("ShorterIntent", length="PT20M")
        assert "20 minute practice" in reply.text and stored(store).phase is Phase.READY

    def test_a_duration_on_start_picks_by_length(self, speaker, store, library):
        """'Start a twenty minute class' said as a duration picks a twenty-minute class, as the number does."""
        speaker.say("StartClassIntent", length="PT20M")
        assert library.get(stored(store).practice).minutes == 20

    def test_a_duration_alexa_could_not_fill_is_ignored(self, speaker, store):
        """A '?' duration (Alexa heard a length it could not read) trims as 'make it shorter' does."""
        begin(speaker)
        reply = speaker.say("ShorterIntent", length="?")
        assert reply.status == 200 and "trimmed" in reply.text


class TestPace:
    def test_slow_down_speaks_slower_and_retimes(self, speaker, store):
        """'Slow down' says the rest at a slower prosody rate, with a timeline timed for it, and keeps it."""
        first = begin(speaker)
        marks = stored(store).marks
        reply = speaker.say("SlowerIntent")
        assert '<prosody rate="90%">' in reply.ssml and stored(store).rate == 0.9
        assert stored(store).marks[-1] > marks[-1]  # the same poses take longer to say
        assert first.text.split(".")[0] in reply.text
        later = speaker.say("ContinueIntent")
        assert '<prosody rate="90%">' in later.ssml

    def test_the_pace_is_remembered_for_next_time_and_normal_resets_it(self, speaker, store):
        """The pace lasts into the next session and class; 'normal pace' puts it back."""
        begin(speaker)
        speaker.say("FasterIntent")
        speaker.say("AMAZON.StopIntent")
        speaker.wait(DAY)
        speaker.open()
        reply = speaker.say("StartClassIntent", practice=("hip release", "hip_release"))
        assert '<prosody rate="110%">' in reply.ssml
        normal = speaker.say("NormalPaceIntent")
        assert "usual pace" in normal.text and "prosody" not in normal.ssml and stored(store).rate == 1.0

    def test_slow_down_has_a_floor(self, speaker, store):
        """Past the slowest pace it says so, and stays there."""
        begin(speaker)
        for _ in range(4):
            reply = speaker.say("SlowerIntent")
        assert "as slowly as I speak" in reply.text and stored(store).rate == 0.8

    def test_make_it_longer_holds_longer_and_tells_the_new_time(self, speaker, store):
        """'Hold it longer' lengthens the holds from here and says the new time left, which has grown."""
        begin(speaker, "hip_release")
        speaker.wait(5)
        before = speaker.say("TimeLeftIntent")
        said_before = int(re.search(r"about (\d+) minutes left", before.text).group(1))
        speaker.say("ContinueIntent")
        reply = speaker.say("LongerIntent")
        assert "hold each pose a little longer" in reply.text and left_minutes(reply.text) > said_before
        assert stored(store).hold_scale == 1.25

    def test_longer_holds_carry_into_the_next_class(self, speaker, library):
        """The next class chosen keeps the longer holds."""
        begin(speaker, "hip_release")
        speaker.say("LongerIntent")
        reply = speaker.say("StartClassIntent", practice=("morning wake up", "morning_wake_up"))
        speaker.say("AMAZON.YesIntent")  # it asks first: the person was part-way through Hip Release
        announce = speaker.replies[-1].text
        assert "Morning Wake-Up. It takes about 1" in announce and "10 minutes" not in announce, (reply.text, announce)


class TestTheBody:
    def test_that_hurts_stops_says_one_safety_sentence_and_offers_the_easier_way(self, body_speaker):
        """'My knee hurts' stops the pose, says to ease out, and offers the step's easier way; continue takes it."""
        begin(body_speaker, "knee_care")
        body_speaker.wait(3)
        reply = body_speaker.say("HurtsIntent", body=("knee", "knees"))
        assert reply.text.startswith("Stop there, and ease out of the pose gently.")
        assert "Lie on your back instead" in reply.text and "next to skip" in reply.text
        assert "go easy on my knees" in reply.text
        again = body_speaker.say("ContinueIntent")
        assert "Lie on your back instead" in again.text and "Come onto hands and knees" not in again.text

    def test_that_hurts_without_an_easier_way_offers_to_skip(self, body_speaker, store):
        """A pose with no easier way is stopped and offered to skip; next skips it."""
        begin(body_speaker, "knee_care")
        body_speaker.wait(played_at(body_speaker.replies[-1], 140) * 0.6)  # into the half split, right side
        reply = body_speaker.say("HurtsIntent")
        at = stored(store).position
        assert "next to skip this pose" in reply.text and stored(store).phase is Phase.PAUSED
        skipped = body_speaker.say("NextPoseIntent")
        assert stored(store).segment[0] > at and skipped.status == 200

    def test_easier_version_plays_the_pose_its_easier_way(self, body_speaker):
        """'Easier version' plays the pose again its easier way."""
        begin(body_speaker, "knee_care")
        body_speaker.wait(3)
        reply = body_speaker.say("EasierIntent")
        assert "Here's the easier way" in reply.text and "Lie on your back instead" in reply.text

    def test_go_easy_on_my_knees_swaps_and_drops_keeping_both_sides(self, body_speaker, store, body_library):
        """Before beginning: kneeling steps with an easier way are swapped, others dropped, sides kept together."""
        body_speaker.say("StartClassIntent", practice=("knee care test", "knee_care"))
        reply = body_speaker.say("GoEasyIntent", body=("knees", "knees"))
        assert "Going easy on your knees" in reply.text
        assert "Tabletop" in reply.text and "Child" in reply.text
        state = stored(store)
        steps = body_library.get("knee_care").steps
        dropped = {steps[i].pose.id for i in state.plan.skipped}
        assert "childs_pose" in dropped
        for group in {steps[i].group for i in state.plan.skipped}:  # every side of a dropped step went together
            assert all(s.index in state.plan.skipped for s in steps if s.group == group)
        assert not any(steps[i].final for i in state.plan.skipped)
        played = body_speaker.say("ContinueIntent")
        assert "Lie on your back instead" in played.text and "Come onto hands and knees" not in played.text

    def test_go_easy_mid_block_never_drops_one_side(self, body_speaker, store, body_library):
        """Said on the first side of a block, the other side stays: one side is never left without the other."""
        begin(body_speaker, "knee_care")
        body_speaker.wait(played_at(body_speaker.replies[-1], 140) * 0.6)
        body_speaker.say("GoEasyIntent", body=("knee", "knees"))
        steps = body_library.get("knee_care").steps
        skipped = stored(store).plan.skipped if stored(store).plan else frozenset()
        assert not {i for i in skipped if steps[i].side}

    def test_a_part_it_cannot_spare_is_said_kindly(self, speaker):
        """'Go easy on my elbows' says what it can spare instead of a command list."""
        begin(speaker)
        reply = speaker.say("GoEasyIntent", body=("elbows", None))
        assert "knees or your wrists" in reply.text and "During class" not in reply.text


class TestSidesAndPoses:
    def test_switch_sides_goes_to_the_same_pose_on_the_other_side(self, speaker, store, library):
        """On the right side of a block, 'switch sides' plays the same pose on the left."""
        steps = library.get("low_back_release").steps
        right = next(s for s in steps if s.side == "right")
        begin(speaker)
        for _ in range(40):
            state = stored(store)
            if right.index in state.segment:
                break
            speaker.listen()
            speaker.say("ContinueIntent")
        offset = state.marks[state.segment.index(right.index)] + 1
        speaker.wait(offset - (speaker.now - state.sent_at))
        reply = speaker.say("SwitchSidesIntent")
        target = steps[stored(store).segment[0]]
        assert target.side == "left" and target.group == right.group and "Switching to the left side" in reply.text

    def test_how_many_poses_are_left_counts_poses(self, speaker, store, library):
        """Poses, not steps: the count is of poses after this one, and is far below the step count."""
        begin(speaker)
        speaker.wait(3)
        reply = speaker.say("PosesLeftIntent")
        practice = library.get("low_back_release")
        numbers, total = pose_numbers(practice, Plan.full(practice))
        assert f"After this one there are {total - 1} more poses" in reply.text
        assert total < len(practice.steps)


class TestContinueAfterThePrompt:
    @pytest.mark.parametrize("wpm", [120, 140, 190])
    def test_continue_after_the_prompt_moves_on_at_any_real_rate(self, speaker, store, wpm):
        """Said as soon as the prompt has been spoken, at 120, 140 or 190 words a minute, continue moves on."""
        reply = begin(speaker)
        part = stored(store).segment
        speaker.wait(played_at(reply, wpm) + 0.5)
        speaker.say("ContinueIntent")
        assert stored(store).segment[0] > part[-1], f"replayed at {wpm} wpm"

    def test_there_is_no_one_second_cliff(self, speaker, store):
        """Continue a few seconds before the estimated end, when a fast voice has already finished, moves on."""
        reply = begin(speaker)
        part = stored(store).segment
        speaker.wait(reply.seconds - 5)
        speaker.say("ContinueIntent")
        assert stored(store).segment[0] > part[-1]

    def test_an_interruption_clearly_mid_part_resumes_the_pose_playing(self, speaker, store):
        """Interrupted in the middle of a part, continue resumes the pose that was playing."""
        begin(speaker)
        part, marks = stored(store).segment, stored(store).marks
        speaker.wait((marks[1] + marks[2]) / 2)  # inside the second step
        reply = speaker.say("ContinueIntent")
        assert stored(store).segment[0] == part[1] and "pick up where you left off" in reply.text


class TestWelcomeAndReplacing:
    def test_after_a_pause_it_says_you_paused(self, speaker):
        begin(speaker)
        speaker.wait(20)
        speaker.say("AMAZON.PauseIntent")
        assert "You paused Low Back Release" in speaker.open().text

    @pytest.mark.parametrize("leave", ["timeout", "stop"])
    def test_after_a_timeout_or_a_stop_it_says_we_stopped(self, speaker, leave):
        """A session that timed out, or a stop, is not a pause: the welcome says where we stopped."""
        begin(speaker)
        speaker.wait(20)
        speaker.walk_away() if leave == "timeout" else speaker.say("AMAZON.StopIntent")
        welcome = speaker.open().text
        assert "We stopped Low Back Release in" in welcome and "paused" not in welcome

    def test_starting_another_class_over_a_paused_one_asks_first(self, speaker, store):
        """'Start hip release' while part-way through another asks; no keeps the place, yes starts the new one."""
        begin(speaker)
        speaker.wait(20)
        speaker.say("AMAZON.PauseIntent")
        place = stored(store).position
        speaker.open()
        asked = speaker.say("StartClassIntent", practice=("hip release", "hip_release"))
        assert "You're part-way through Low Back Release. Start Hip Release instead?" in asked.text
        kept = speaker.say("AMAZON.NoIntent")
        assert "stay with Low Back Release" in kept.text and stored(store).position == place
        assert stored(store).practice == "low_back_release"
        speaker.say("StartClassIntent", practice=("hip release", "hip_release"))
        speaker.say("AMAZON.YesIntent")
        assert stored(store).practice == "hip_release" and stored(store).phase is Phase.READY

    def test_something_else_after_the_question_forgets_it(self, speaker, store):
        """Any answer but yes or no leaves the class as it was, and a later yes does not start the other one."""
        begin(speaker)
        speaker.say("StartClassIntent", minutes="20", focus=("hips", "hips"))
        speaker.say("TimeLeftIntent")
        speaker.say("AMAZON.YesIntent")
        assert stored(store).practice == "low_back_release"


class TestProgress:
    def finish(self, speaker, practice="morning_wake_up"):
        reply = begin(speaker, practice)
        while not reply.ends:
            speaker.listen(reply)
            reply = speaker.say("ContinueIntent")
        speaker.listen(reply)  # the closing plays out: a class stopped inside its last part is not finished

    def test_how_many_classes_this_week_and_a_light_mention_on_the_welcome(self, speaker, store):
        """Two classes finished this week are counted, and the welcome calls the next one the third."""
        self.finish(speaker)
        speaker.wait(DAY)
        self.finish(speaker)
        speaker.wait(3600)
        welcome = speaker.open()
        assert "This would be your third practice this week" in welcome.text
        count = speaker.say("PracticeCountIntent")
        assert "You've finished 2 classes this week" in count.text

    def test_older_practice_is_not_counted(self, speaker):
        """A class finished more than a week ago is not this week's."""
        self.finish(speaker)
        speaker.wait(8 * DAY)
        assert "haven't finished a class this week" in speaker.say("PracticeCountIntent").text

    def test_the_history_is_kept_small_under_the_hashed_id(self, speaker, store):
        """The record keeping the history is under the hashed user id and well under 2 KB, even when full."""
        for _ in range(12):
            self.finish(speaker)
        record = json.dumps(to_dict(stored(store)))
        assert len(stored(store).history) == 10 and len(record) < 2048
        key = store.user_key(USER)
        assert USER not in key and "AGENTLEYOGATESTUSER" not in key


class TestFallbacks:
    def test_the_first_miss_is_short_and_fits_the_moment(self, speaker):
        """Mid-class, a first miss gets one short line of what to say, not the whole list."""
        begin(speaker)
        reply = speaker.say("AMAZON.FallbackIntent")
        assert "I didn't catch that. Say resume" in reply.text and "what's next" in reply.text
        assert "During class you can say" not in reply.text

    def test_after_two_misses_it_offers_help(self, speaker):
        begin(speaker)
        speaker.say("AMAZON.FallbackIntent")
        reply = speaker.say("AMAZON.FallbackIntent")
        assert "still not getting it" in reply.text and "During class you can say" in reply.text

    def test_something_understood_resets_the_count(self, speaker):
        begin(speaker)
        speaker.say("AMAZON.FallbackIntent")
        speaker.say("TimeLeftIntent")
        assert "still not" not in speaker.say("AMAZON.FallbackIntent").text

    @pytest.mark.parametrize("said", ["i'm done", "quit", "that's enough", "end the class", "goodbye"])
    def test_natural_stop_words_end_kindly_and_keep_the_place(self, speaker, store, said):
        """'I'm done' and its like are stop samples: the session ends with a kind word and the place is kept."""
        assert said in BY_NAME["AMAZON.StopIntent"].samples
        begin(speaker)
        speaker.wait(20)
        reply = speaker.say("AMAZON.StopIntent")
        assert reply.ends and "kept your place" in reply.text and stored(store).phase is Phase.PAUSED

    @pytest.mark.parametrize("said", ["okay", "go ahead", "sure thing"])
    def test_okay_and_go_ahead_mean_yes(self, speaker, store, said):
        """'Okay' and 'go ahead' are yes, and yes carries on where that is what it means."""
        assert said in BY_NAME["AMAZON.YesIntent"].samples
        speaker.say("StartClassIntent", practice=("hip release", "hip_release"))
        speaker.say("AMAZON.YesIntent")
        assert stored(store).phase is Phase.PRACTISING


class TestPartialNames:
    @pytest.mark.parametrize("heard,practice", [
        ("the morning class", "morning_wake_up"), ("hips", "hip_release"), ("back", "low_back_release"),
        ("the bedtime one", "bedtime_wind_down"),
    ])
    def test_a_partial_name_alexa_could_not_resolve_finds_its_class(self, speaker, store, heard, practice):
        """A class name with no resolution, but one class it can only mean, starts that class."""
        reply = speaker.say("StartClassIntent", practice=(heard, None))
        assert stored(store).practice == practice and "couldn't find" not in reply.text

    def test_an_ambiguous_name_still_asks(self, speaker, store):
        """'Release' names two classes: the skill lists them rather than guess."""
        reply = speaker.say("StartClassIntent", practice=("release", None))
        assert "couldn't find a class called release" in reply.text and stored(store) is None

    def test_yoga_lists_the_classes(self):
        assert "yoga" in BY_NAME["ListClassesIntent"].samples


def test_a_slower_pace_times_the_class_longer():
    """The timing estimate follows the pace: words at wpm x rate."""
    library = load_library(ROOT / "sequences")
    practice = library.get("hip_release")
    plan = Plan.full(practice)
    assert remaining_seconds(practice, plan, 0, Pace(rate=0.8)) > remaining_seconds(practice, plan, 0, Pace())


def test_a_record_from_before_these_fields_still_loads():
    """A version-1 record written before pace, welcome and history fields loads with their defaults."""
    from skill.practice.state import from_dict

    state = from_dict({"v": 1, "ph": "paused", "m": "flow", "c": "hip_release", "p": 3, "pa": START})
    assert state.rate == 1.0 and state.left_by == "" and state.hold_scale == 1.0


def test_minutes_for_the_class_under_way_trim_it_rather_than_ask(speaker, store):
    """'A twenty minute class for my back' part-way through Low Back Release trims it to twenty minutes from now."""
    begin(speaker)
    speaker.wait(60)
    reply = speaker.say("StartClassIntent", minutes="20", focus=("back", "low_back"))
    assert "part-way" not in reply.text and 17 <= left_minutes(reply.text) <= 20
    assert stored(store).practice == "low_back_release"


def test_that_hurts_after_a_part_has_played_is_about_the_pose_just_held(body_speaker, store, body_library):
    """Said after the prompt, 'that hurts' stops at the pose that was just held, not the one coming next."""
    reply = begin(body_speaker, "knee_care")
    last = stored(store).segment[-1]
    body_speaker.listen(reply)
    body_speaker.say("HurtsIntent")
    assert stored(store).position == last and stored(store).phase is Phase.PAUSED


def test_a_screen_plays_and_times_at_the_person_s_pace(library):
    """The browser player's answer carries the person's rate, and its playlist is timed at it, as the engine's."""
    from skill.practice import events as ev
    from skill.practice import view
    from skill.practice.engine import handle
    from skill.practice.state import State

    def first_part(rate: float) -> dict:
        ready = handle(State(rate=rate), ev.Start(practice="hip_release"), 0, library).state
        return view.answer(handle(ready, ev.Resume(), 1, library), 1, library, Pace())

    slow, usual = first_part(0.8), first_part(1.0)
    assert slow["rate"] == 0.8 and usual["rate"] == 1.0
    first_words = [next(i for i in answer["play"]["items"] if i["kind"] == "say") for answer in (slow, usual)]
    assert first_words[0]["seconds"] == pytest.approx(first_words[1]["seconds"] / 0.8, rel=0.01)
