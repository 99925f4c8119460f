"""The practice engine: every event in every phase, and what the timeline means for pause, next and repeat."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from properties import played_through

from skill.practice import events as ev
from skill.practice import prompts, ssml
from skill.practice.engine import handle
from skill.practice.plan import Plan, total_seconds
from skill.practice.progress import progress
from skill.practice.rehearse import rehearse
from skill.practice.speech import Pace, Say, seconds
from skill.practice.state import Phase, State, from_dict, to_dict

IDLE, READY, PRACTISING, PAUSED, FINISHED = "idle", "ready", "practising", "paused", "finished"
FAR = 10_000.0  # long after any segment has finished playing


def words(outcome) -> str:
    return " ".join(part.text for part in outcome.speech if isinstance(part, Say))


def run(library, events, start=0.0, state=None, mode="flow"):
    """Feed events one after another, each arriving when the previous response has finished playing."""
    state = state or replace(State(), mode=mode)
    now = start
    outcome = None
    for event in events:
        outcome = handle(state, event, now, library)
        state = outcome.state
        now += seconds(outcome.speech, _pace()) + 2
        if state.phase is Phase.FINISHED and outcome.end_session:
            break
    return outcome, now


def _pace():
    return Pace()


@pytest.fixture
def phases(tiny):
    """One state per phase of the tiny class, with the moment to send the next event."""
    ready = handle(State(), ev.Start(practice="tiny"), 0, tiny).state
    begun = handle(ready, ev.Next(), 100, tiny)
    playing = (begun.state, 100 + begun.segment.marks[0] + 1)  # a moment into the first step
    paused = handle(begun.state, ev.Pause(), 101, tiny).state
    finished, _ = run(tiny, [ev.StartOver()] + [ev.Resume()] * 20, state=ready)
    assert finished.state.phase is Phase.FINISHED
    return {
        IDLE: (State(), 0.0),
        READY: (ready, 50.0),
        PRACTISING: playing,
        PAUSED: (paused, 500.0),
        FINISHED: (finished.state, finished.state.history[0][1] + FAR),
    }


# event -> the phase each phase moves to (columns: idle, ready, practising, paused, finished)
TABLE = {
    ev.Launch(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Start(): (IDLE, PRACTISING, PRACTISING, PRACTISING, FINISHED),
    ev.Start(practice="tiny"): (READY, READY, PAUSED, PAUSED, READY),
    ev.Start(practice="no_such_class", heard="banana"): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Start(minutes=5, focus="hips"): (READY, READY, PRACTISING, PAUSED, READY),  # part-way: it trims Tiny Flow
    ev.Next(): (IDLE, PRACTISING, PRACTISING, PRACTISING, FINISHED),
    ev.Previous(): (IDLE, READY, PRACTISING, PRACTISING, FINISHED),
    ev.Repeat(): (IDLE, READY, PRACTISING, PRACTISING, FINISHED),
    ev.Pause(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Resume(): (IDLE, PRACTISING, PRACTISING, PRACTISING, FINISHED),
    ev.Shorter(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.Shorter(minutes=6): (READY, READY, PRACTISING, PAUSED, READY),  # with no class under way: one that long
    ev.StartOver(): (IDLE, PRACTISING, PRACTISING, PRACTISING, PRACTISING),
    ev.TimeLeft(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.WhatPose(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.WhatProps(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.ListClasses(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Help(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Yes(): (IDLE, PRACTISING, PRACTISING, PRACTISING, FINISHED),
    ev.No(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Stop(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.SessionEnded(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Unknown(heard="flibbertigibbet"): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.WhatsNext(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.PosesLeft(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.SwitchSides(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.PracticeCount(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.Slower(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.Faster(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.NormalPace(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.Longer(): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.Hurts(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Hurts(body="knees"): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Easier(): (IDLE, READY, PAUSED, PAUSED, FINISHED),  # Tiny Flow's poses have no easier way
    ev.GoEasy(body="knees"): (IDLE, READY, PRACTISING, PAUSED, FINISHED),
    ev.GoEasy(body="elbows"): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Loop(): (IDLE, READY, PAUSED, PAUSED, FINISHED),
    ev.Played("stopped", token="gy1:tiny:forged:0.000:1", offset_ms=5000): (IDLE, READY, PRACTISING, PAUSED,
                                                                            FINISHED),
}
ENDS_SESSION = {ev.Pause, ev.Stop, ev.SessionEnded}
CASES = [(event, phase, after) for event, row in TABLE.items()
         for phase, after in zip((IDLE, READY, PRACTISING, PAUSED, FINISHED), row, strict=True)]


def test_table_covers_every_event():
    """The table has a row for every kind of event the engine knows."""
    assert {type(event) for event in TABLE} == set(ev.ALL_EVENTS)


class TestEveryEventInEveryPhase:
    @pytest.mark.parametrize("event,phase,after", CASES, ids=[f"{type(e).__name__}-{p}" for e, p, _ in CASES])
    def test_moves_to_the_expected_phase_with_a_kind_answer(self, tiny, phases, event, phase, after):
        """Each (phase, event) lands in the phase the table says, with valid speech and a reprompt iff listening."""
        state, now = phases[phase]
        outcome = handle(state, event, now, tiny)
        assert outcome.state.phase.value == after
        if isinstance(event, ev.SessionEnded):
            assert outcome.speech == () and outcome.end_session
            return
        if isinstance(event, ev.Played):  # a report from an audio player: never words, and this one is forged
            assert outcome.speech == () and outcome.end_session is None and outcome.state == state
            return
        assert words(outcome), "every answer says something"
        for reply in (outcome.speech, outcome.reprompt):
            if reply:
                assert ssml.problems(ssml.render(reply)) == []
        assert bool(outcome.reprompt) == (not outcome.end_session)
        if type(event) in ENDS_SESSION and phase in (PRACTISING, PAUSED):
            assert outcome.end_session
        assert len(json.dumps(to_dict(outcome.state))) < 2048

    @pytest.mark.parametrize("phase", [IDLE, READY, PRACTISING, PAUSED, FINISHED])
    def test_every_state_round_trips_and_never_raises_on_junk_times(self, tiny, phases, phase):
        """Time going backwards or jumping a year ahead still gets an answer: valid SSML that says something (or,
        for the session's end or a silent device report, nothing), and a state that round-trips through its record."""
        state, now = phases[phase]
        for when in (now - 5_000, now + 365 * 86_400):
            for event in TABLE:
                outcome = handle(state, event, when, tiny)
                assert from_dict(json.loads(json.dumps(to_dict(outcome.state)))) == outcome.state, (event, when)
                if isinstance(event, ev.SessionEnded):
                    assert outcome.speech == () and outcome.end_session, (event, when)
                else:
                    assert words(outcome) or outcome.end_session is None, (event, when)
                for reply in (r for r in (outcome.speech, outcome.reprompt) if r):
                    assert ssml.problems(ssml.render(reply)) == [], (event, when)


class TestTimeline:
    def begin(self, tiny, mode="flow"):
        ready = handle(replace(State(), mode=mode), ev.Start(practice="tiny"), 0, tiny).state
        return handle(ready, ev.Next(), 1000, tiny)

    def test_marks_increase_and_end_with_the_speech(self, tiny):
        """Each step starts after the last; the end mark is when the steps' speech ends."""
        outcome = self.begin(tiny)
        marks = outcome.segment.marks
        assert list(marks) == sorted(marks) and len(marks) == len(outcome.segment.steps) + 1
        assert marks[-1] == pytest.approx(seconds(outcome.segment.speech, _pace()), abs=0.1)

    @pytest.mark.parametrize("k", [0, 1, 2])
    def test_pause_keeps_the_step_that_was_playing(self, tiny, k):
        """A pause k steps into a segment pauses in step k, and resume starts that step from its cue."""
        outcome = self.begin(tiny)
        segment = outcome.segment
        paused = handle(outcome.state, ev.Pause(), 1000 + segment.marks[k] + 0.5, tiny)
        assert paused.state.phase is Phase.PAUSED and paused.state.position == segment.steps[k]
        step = tiny.get("tiny").steps[segment.steps[k]]
        assert step.pose.name in words(paused)
        resumed = handle(paused.state, ev.Resume(), 90_000, tiny)
        assert resumed.segment.steps[0] == segment.steps[k]
        assert step.cue in words(resumed)

    def test_session_end_mid_segment_records_the_playing_step(self, tiny):
        """An ended session keeps the step that was playing, and the next visit offers to continue there."""
        outcome = self.begin(tiny)
        segment = outcome.segment
        ended = handle(outcome.state, ev.SessionEnded(), 1000 + segment.marks[1] + 1, tiny)
        assert ended.state.phase is Phase.PAUSED and ended.state.position == segment.steps[1]
        welcome = handle(ended.state, ev.Launch(), 1000 + 86_400, tiny)
        assert "we stopped Tiny Flow in" in words(welcome)
        assert tiny.get("tiny").steps[segment.steps[1]].pose.name in words(welcome)
        assert handle(welcome.state, ev.Yes(), 1000 + 86_410, tiny).segment.steps[0] == segment.steps[1]

    @pytest.mark.parametrize("later,phrase", [
        (600, "Welcome back. You paused"),
        (5 * 3600, "Welcome back. A few hours ago, you paused"),
        (30 * 3600, "Welcome back. About a day ago, you paused"),
        (3 * 86_400 + 60, "Welcome back. 3 days ago, you paused"),
    ])
    def test_the_welcome_back_says_how_long_ago_the_pause_was(self, tiny, later, phrase):
        """A returning person hears roughly when they paused, counted from the pause, not from later visits."""
        outcome = self.begin(tiny)
        paused = handle(outcome.state, ev.Pause(), 1010, tiny).state
        first_visit = handle(paused, ev.Launch(), 1010 + later / 2, tiny).state
        assert first_visit.paused_at == paused.paused_at == 1010
        assert words(handle(first_visit, ev.Launch(), 1010 + later, tiny)).startswith(phrase)

    def test_a_finished_segment_continues_with_the_step_after_it(self, tiny):
        """Once a segment has played, continue and pause both mean the step after it."""
        outcome = self.begin(tiny)
        after = outcome.segment.steps[-1] + 1
        later = 1000 + outcome.segment.seconds + 3
        assert handle(outcome.state, ev.Resume(), later, tiny).segment.steps[0] == after
        assert handle(outcome.state, ev.Pause(), later, tiny).state.position == after

    def test_next_previous_and_repeat_act_on_the_playing_step(self, tiny):
        """Mid-segment, next skips the playing step, go back is the one before it, repeat replays it."""
        outcome = self.begin(tiny)
        segment = outcome.segment
        when = 1000 + segment.marks[1] + 1
        playing = segment.steps[1]
        assert handle(outcome.state, ev.Next(), when, tiny).segment.steps[0] == playing + 1
        assert handle(outcome.state, ev.Previous(), when, tiny).segment.steps[0] == playing - 1
        assert handle(outcome.state, ev.Repeat(), when, tiny).segment.steps[0] == playing

    def test_repeat_after_the_segment_replays_its_last_step(self, tiny):
        """'Repeat that' at the continue prompt means the pose just finished."""
        outcome = self.begin(tiny)
        later = 1000 + outcome.segment.seconds + 3
        assert handle(outcome.state, ev.Repeat(), later, tiny).segment.steps[0] == outcome.segment.steps[-1]

    def test_what_pose_between_segments_names_the_one_done_and_the_next(self, tiny):
        """At the continue prompt, 'what pose is this' names the pose just finished and the one coming."""
        outcome = self.begin(tiny)
        practice = tiny.get("tiny")
        done = practice.steps[outcome.segment.steps[-1]].pose.name
        coming = practice.steps[outcome.segment.steps[-1] + 1].pose.name
        answer = handle(outcome.state, ev.WhatPose(), 1000 + outcome.segment.seconds + 3, tiny)
        assert words(answer).startswith(f"That was {done}. Next is {coming}")

    def test_time_going_backwards_means_the_first_step(self, tiny):
        """A clock behind the segment's start counts as its first step."""
        outcome = self.begin(tiny)
        paused = handle(outcome.state, ev.Pause(), 0, tiny)
        assert paused.state.position == outcome.segment.steps[0]

    def test_going_back_from_the_first_step_repeats_it(self, tiny):
        """There is nothing before the first pose, so going back takes it again."""
        outcome = self.begin(tiny, mode="step")
        back = handle(outcome.state, ev.Previous(), 1001, tiny)
        assert back.segment.steps == (0,) and prompts.FIRST_POSE_ALREADY in words(back)


class TestSegments:
    def test_step_mode_sends_one_step_each_time(self, library):
        """In step mode every response holds exactly one step."""
        for practice in library:
            state = handle(replace(State(), mode="step"), ev.Start(practice=practice.id), 0, library).state
            outcome = handle(state, ev.Next(), 10, library)
            assert len(outcome.segment.steps) == 1

    def test_flow_segments_fit_the_budget_and_end_at_rest_points(self, library, pace):
        """A flow segment ends at a rest point or the class's end, never mid-side, and keeps within the budget
        unless a single stretch between rest points is longer."""
        for practice in library:
            for turn in rehearse(library, practice.id, "flow"):
                segment = turn.outcome.segment
                if segment is None:
                    continue
                last = practice.steps[segment.steps[-1]]
                assert last.rest or last.index == len(practice.steps) - 1, (practice.id, last.label)
                following = practice.steps[last.index + 1] if last.index + 1 < len(practice.steps) else None
                assert following is None or following.side is None or following.unit != last.unit, last.label
                inner_rests = [practice.steps[i].label for i in segment.steps[:-1] if practice.steps[i].rest]
                steps_seconds = segment.marks[-1] - segment.marks[0]
                assert steps_seconds <= pace.flow_seconds + 1 or not inner_rests, (practice.id, segment.steps)

    def test_flow_ends_with_a_short_prompt_and_names_what_comes_next(self, tiny):
        """Between segments the skill says what is next and how to go on, and keeps listening."""
        state = handle(State(), ev.Start(practice="tiny"), 0, tiny).state
        outcome = handle(state, ev.Next(), 1, tiny)
        text = words(outcome)
        assert text.endswith(prompts.FLOW_PROMPT) and not outcome.end_session
        assert outcome.reprompt == (Say(prompts.FLOW_REPROMPT),)

    def test_sides_are_announced_and_switched(self, tiny):
        """The first side is named before it starts, and 'now the other side' comes between the sides."""
        outcome, _ = run(tiny, [ev.Start(practice="tiny"), ev.Next()], mode="step")
        texts = []
        state, now = outcome.state, 10_000.0
        for _ in range(8):
            outcome = handle(state, ev.Resume(), now, tiny)
            texts.append(words(outcome))
            state, now = outcome.state, now + 1_000
        joined = " ".join(texts)
        assert prompts.first_side("right") in joined and prompts.switch_sides("left") in joined
        assert joined.index("Strap around the right foot") < joined.index("Strap around the left foot")


class TestChoosingAndFinishing:
    def test_new_and_returning_welcomes(self, tiny):
        """A new person hears the classes; someone who has finished one is welcomed back."""
        assert "Welcome to Gentle Yoga" in words(handle(State(), ev.Launch(), 0, tiny))
        finished, _ = run(tiny, [ev.Start(practice="tiny"), ev.Next()] + [ev.Resume()] * 20)
        assert finished.state.history and finished.state.history[0][0] == "tiny"
        assert "Welcome back" in words(handle(finished.state, ev.Launch(), FAR * 10, tiny))

    def test_next_at_the_last_pose_says_the_class_closes_and_closes_it(self, tiny):
        """"Next" in the last pose says the class closes now (not that you'll finish it together), then does."""
        outcome, _ = run(tiny, [ev.Start(practice="tiny"), ev.Next()] + [ev.Resume()] * 20)
        last = replace(outcome.state, phase=Phase.PAUSED, position=outcome.state.segment[-1], segment=(), marks=(),
                       sent_at=None, paused_at=FAR, history=())
        closed = handle(last, ev.Next(), FAR + 1, tiny)
        said = words(closed)
        assert said.startswith(prompts.AT_END) and "close" in prompts.AT_END and "together" not in said
        assert closed.state.phase is Phase.FINISHED and closed.end_session

    def test_a_pause_inside_the_last_part_takes_back_its_finish(self, tiny):
        """The last part is counted as a finished class when it is sent; pausing in it (or a session ending in it)
        means the class was not finished, so the history forgets that entry and keeps the older ones."""
        finished, now = run(tiny, [ev.Start(practice="tiny"), ev.Next()] + [ev.Resume()] * 20)
        earlier = finished.state.history
        assert finished.state.phase is Phase.FINISHED and len(earlier) == 1
        again, _ = run(tiny, [ev.StartOver(), ev.Next()] + [ev.Resume()] * 20, start=FAR, state=finished.state)
        state = again.state
        assert state.phase is Phase.FINISHED and len(state.history) == 2
        for event in (ev.Pause(), ev.SessionEnded()):
            stopped = handle(state, event, state.sent_at + 2, tiny).state
            assert stopped.phase is Phase.PAUSED and stopped.history == earlier

    def test_choosing_a_class_names_length_and_props(self, tiny):
        """Starting a class says its name, its length and every prop before anything else."""
        outcome = handle(State(), ev.Start(practice="tiny"), 0, tiny)
        text = words(outcome)
        assert "Tiny Flow" in text and "minutes" in text and "a mat and a strap" in text
        assert outcome.state.phase is Phase.READY and not outcome.end_session

    def test_unknown_class_is_a_kind_answer(self, tiny):
        """A class that does not exist is named back, with the ones that do."""
        outcome = handle(State(), ev.Start(practice=None, heard="banana split"), 0, tiny)
        assert "banana split" in words(outcome) and "Tiny Flow" in words(outcome)
        assert outcome.state == State()

    def test_a_length_and_focus_pick_the_fitting_class(self, library, pace):
        """'A twenty minute practice for my hips' picks a hip class that takes about twenty minutes."""
        outcome = handle(State(), ev.Start(minutes=20, focus="hips"), 0, library)
        practice = library.get(outcome.state.practice)
        assert "hips" in practice.focus
        length = total_seconds(practice, outcome.state.plan or Plan.full(practice), pace)
        assert abs(length - 20 * 60) <= 0.1 * 20 * 60

    def test_a_shorter_length_than_the_class_trims_it_at_the_start(self, library, pace):
        """Twenty-five minutes for the low back is the low back class, trimmed to within 10 % of that."""
        outcome = handle(State(), ev.Start(minutes=25, focus="low back"), 0, library)
        practice = library.get(outcome.state.practice)
        assert practice.id == "low_back_release"
        length = total_seconds(practice, outcome.state.plan, pace)
        assert abs(length - 25 * 60) <= 0.1 * 25 * 60

    def test_finishing_says_the_closing_and_ends_the_session(self, tiny):
        """The last response carries the closing words, ends the session and records the class."""
        finished, _ = run(tiny, [ev.Start(practice="tiny"), ev.Next()] + [ev.Resume()] * 20)
        assert "Thank you." in words(finished) and prompts.finished("Tiny Flow") in words(finished)
        assert finished.end_session and finished.state.phase is Phase.FINISHED

    def test_start_over_restores_the_full_class(self, tiny, pace):
        """Start over goes back to the first step with the class as written, undoing shorter."""
        outcome, now = run(tiny, [ev.Start(practice="tiny"), ev.Next(), ev.Shorter()])
        assert outcome.state.plan is not None
        again = handle(outcome.state, ev.StartOver(), now, tiny)
        assert again.state.plan is None and again.segment.steps[0] == 0

    def test_time_left_and_what_pose_answer_then_carry_on(self, tiny, pace):
        """Asked mid-class, the answer comes first and the class continues from the pose it was in."""
        outcome, _ = run(tiny, [ev.Start(practice="tiny"), ev.Next()])
        asked = handle(outcome.state, ev.TimeLeft(), 1, tiny)
        # 430 s of holds ahead (TestTimeLeft works it out), and under a minute and a half of words
        assert re.match(r"There's about (7|8|9) minutes left\. This is pose 1 of 8\.", words(asked)), words(asked)
        assert asked.segment.steps[0] == 0
        pose = handle(outcome.state, ev.WhatPose(), 1, tiny)
        assert words(pose).startswith("This is Knees to Chest, or Apanasana. Pose 1 of")


# The tiny class's holds, read off TINY in conftest.py by hand: knees to chest 60 s, hand to big toe 60 s and leg
# to the side 45 s on the right, then the same on the left, bridge 30 s, final relaxation 120 s, seated close 10 s.
TINY_HOLDS = (60, 60, 45, 60, 45, 30, 120, 10)
# What "time left" may say one second into each step: the holds from that step on (430 s from the first, 130 s
# from the final relaxation), plus at most 15 s of words per step and 30 s of closing words; worked out by hand:
# e.g. step 6 leaves 130 s to 130 + 2 × 15 + 30 = 190 s, "about 2 minutes" (130 s) to "about 3 minutes" (190 s).
TIME_LEFT_SAID = {
    0: ("about 7 minutes", "about 8 minutes", "about 9 minutes", "about 10 minutes"),  # 429 .. 580 s
    1: ("about 6 minutes", "about 7 minutes", "about 8 minutes"),  # 369 .. 505 s
    2: ("about 5 minutes", "about 6 minutes", "about 7 minutes"),  # 309 .. 430 s
    3: ("about 4 minutes", "about 5 minutes", "about 6 minutes"),  # 264 .. 370 s
    4: ("about 3 minutes", "about 4 minutes", "about 5 minutes"),  # 204 .. 295 s
    5: ("about 3 minutes", "about 4 minutes"),  # 159 .. 235 s
    6: ("about 2 minutes", "about 3 minutes"),  # 129 .. 190 s
    7: ("less than a minute", "about a minute"),  # 9 .. 55 s
}


class TestTimeLeft:
    def test_the_table_adds_up(self):
        """The hand-worked table above: 430 s of holds in all, 130 s from the final relaxation on."""
        assert sum(TINY_HOLDS) == 430 and sum(TINY_HOLDS[6:]) == 130

    @pytest.mark.parametrize("step", sorted(TIME_LEFT_SAID))
    def test_time_left_counts_the_pose_you_are_in(self, tiny, step):
        """Asked one second into a step (step mode), time left includes that step's own hold and every hold after
        it, and says which pose it is."""
        state = replace(State(), mode="step")
        state, now = handle(state, ev.Start(practice="tiny"), 0, tiny).state, 100.0
        for _ in range(step + 1):
            begun = handle(state, ev.Next(), now, tiny)
            state, now = begun.state, now + begun.segment.marks[-1] + 5
        assert begun.segment.steps == (step,)
        said = words(handle(state, ev.TimeLeft(), now - begun.segment.marks[-1] - 5 + 1, tiny))
        found = re.match(r"There's (.+?) left\. This is pose (\d) of 8\.", said)
        assert found, said
        assert found.group(1) in TIME_LEFT_SAID[step] and found.group(2) == str(step + 1), said

    def test_time_left_in_the_final_relaxation_of_a_real_class_counts_it(self, library):
        """In Low Back Release's final relaxation (2 min 35 s), then 8 + 8 + 8 + 4 s of closing poses: 183 s of
        holds, plus at most 15 s of words a step and 30 s of closing words, is 183 to 288 s: about 3 to 5 minutes.
        (This class loads whatever the time left sums, unlike the tiny one, whose declared length then fails.)"""
        state, now = handle(replace(State(), mode="step"), ev.Start(practice="low_back_release"), 0, library).state, 0.0
        final = library.get("low_back_release").final_index
        begun = handle(state, ev.Next(), now, library)
        while begun.segment.steps != (final,):
            now += begun.segment.marks[-1] + 5
            begun = handle(begun.state, ev.Next(), now, library)
        said = words(handle(begun.state, ev.TimeLeft(), now + 1, library))
        assert re.match(r"There's about (3|4|5) minutes left\.", said), said

    @pytest.mark.parametrize("class_id", [
        "bedtime_wind_down", "chair_yoga", "low_back_release", "morning_wake_up", "neck_and_shoulders",
        # This test found a sided pose's second side that begins a segment after a rest point said by the segment
        # but not counted by the plan (figure four 1.7 s short): the plan now names a pose after every rest point.
        "desk_reset", "gentle_all_round", "hip_release",
    ])
    def test_time_left_at_each_step_is_what_the_rest_of_the_class_plays(self, library, class_id):
        """At the start of every step, the time left the engine reports (progress, which "time left", the screen and
        the browser player say) equals the rest of the class as the engine then plays it: each later step's length
        between its segment's marks, plus the closing words (tests/properties.py played_through, a plain sum)."""
        opening, left_from = played_through(library, class_id)
        practice = library.get(class_id)
        ready = handle(State(), ev.Start(practice=class_id), 0, library)
        now, outcome = 100.0, handle(ready.state, ev.Next(), 100.0, library)
        checked = 0
        while outcome.segment is not None:
            for k, step in enumerate(outcome.segment.steps):
                at = now + outcome.segment.marks[k] + 0.001
                assert progress(outcome.state, at, library).left_seconds == pytest.approx(left_from[step], abs=0.5), \
                    (practice.steps[step].pose.id, step)
                checked += 1
            now += seconds(outcome.speech, Pace()) + 2
            outcome = handle(outcome.state, ev.Resume(), now, library)
        assert checked == len(practice.steps)
