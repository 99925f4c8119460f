"""The stored record: small, versioned, and read back exactly, or refused with a reason."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from skill.errors import StateError
from skill.practice import events as ev
from skill.practice.engine import handle
from skill.practice.plan import Plan
from skill.practice.segment import playing
from skill.practice.state import VERSION, Phase, State, fit, from_dict, restore, to_dict


class TestRecord:
    def test_a_shortened_mid_class_state_round_trips_under_two_kilobytes(self, library):
        """The largest realistic state (long class, shortened, mid-segment, history) survives JSON intact."""
        state = handle(State(), ev.Start(practice="low_back_release", minutes=25), 0, library).state
        state = handle(state, ev.Next(), 10, library).state
        state = state.with_history("hip_release", 5).with_history("morning_wake_up", 6)
        text = json.dumps(to_dict(state))
        assert len(text) < 2048 and state.plan is not None and state.segment
        assert from_dict(json.loads(text)) == state

    def test_history_keeps_the_last_ten(self):
        """Only the most recent finished classes are remembered: enough to count a week's practice, and small."""
        state = State()
        for n in range(14):
            state = state.with_history(f"class_{n}", n)
        assert [item[0] for item in state.history] == [f"class_{n}" for n in range(13, 3, -1)]

    @pytest.mark.parametrize("record,reason", [
        (None, "not a mapping"),
        ({"v": VERSION + 1, "ph": "idle"}, "version"),
        ({"ph": "idle"}, "version"),
        ({"v": VERSION, "ph": "dancing"}, "unknown phase"),
        ({"v": VERSION, "ph": "idle", "m": "turbo"}, "unknown mode"),
        ({"v": VERSION, "ph": "paused"}, "needs a class"),
        ({"v": VERSION, "ph": "paused", "c": "x", "p": -1}, "step number"),
        ({"v": VERSION, "ph": "paused", "c": "x", "p": True}, "step number"),
        ({"v": VERSION, "ph": "practising", "c": "x", "sg": [1, 2], "mk": [0.0]}, "one mark per step"),
        ({"v": VERSION, "ph": "practising", "c": "x", "sg": ["a"]}, "whole numbers"),
        ({"v": VERSION, "ph": "paused", "c": "x", "h": "long"}, "whole numbers"),
        ({"v": VERSION, "ph": "idle", "hi": [["x"]]}, "pairs"),
        ({"v": VERSION, "ph": "idle", "hi": 5}, "should be a list"),
        ({"v": VERSION, "ph": "practising", "c": "x", "sg": [1], "mk": 5}, "should be a list"),
        ({"v": VERSION, "ph": "idle", "at": "noon"}, "number"),
    ])
    def test_unreadable_records_are_refused_with_a_reason(self, record, reason):
        """A corrupt or foreign record raises StateError naming what is wrong, never anything else."""
        with pytest.raises(StateError, match=reason):
            from_dict(record)


class TestFit:
    def test_a_removed_class_returns_to_idle_keeping_history(self, tiny):
        """A place in a class that no longer exists becomes a fresh start that remembers the history."""
        state = State(phase=Phase.PAUSED, practice="gone", position=3, history=(("gone", 1),))
        assert fit(state, tiny) == State(history=(("gone", 1),))

    def test_a_removed_class_keeps_what_belongs_to_the_person(self, tiny):
        """Their mode, history, pace, hold length and spared body parts stay; the place, plan and misses go."""
        state = State(phase=Phase.PAUSED, practice="gone", position=3, mode="step", history=(("gone", 1),),
                      rate=1.1, hold_scale=1.5, spared=("knees",), misses=2, plan=Plan((60,)))
        assert fit(state, tiny) == State(mode="step", history=(("gone", 1),), rate=1.1, hold_scale=1.5,
                                         spared=("knees",))

    def test_an_edited_class_drops_a_plan_that_no_longer_fits_and_clamps_the_place(self, tiny):
        """A plan for a different number of steps is dropped; a position past the end is pulled back."""
        state = State(phase=Phase.PAUSED, practice="tiny", position=99, plan=Plan((1, 2, 3)))
        fitted = fit(state, tiny)
        assert fitted.plan is None and fitted.position == len(tiny.get("tiny").steps) - 1

    def test_a_practising_state_without_its_segment_becomes_paused(self, tiny):
        """If the segment cannot be trusted, the place is kept as a pause there."""
        state = State(phase=Phase.PRACTISING, practice="tiny", position=2, segment=(50,), marks=(0.0, 1.0), sent_at=0)
        fitted = fit(state, tiny)
        assert fitted.phase is Phase.PAUSED and fitted.position == 2 and fitted.segment == ()

    # The tiny class has eight steps, 0 to 7 (conftest.TINY: the strap series is two steps on each side).
    EIGHT_HOLDS = Plan((60, 60, 45, 60, 45, 30, 120, 10))  # a plan for eight steps, leaving none out

    @pytest.mark.parametrize("state", [
        State(phase=Phase.PRACTISING, practice="tiny", position=2, segment=(2, 3), marks=(0.0, 50.0, 110.0),
              sent_at=5.0, early=3.0, eased=(0, 7), plan=EIGHT_HOLDS),
        State(phase=Phase.PAUSED, practice="tiny", position=7, eased=(0,)),
        State(phase=Phase.FINISHED, practice="tiny", position=8),  # finished: the place is just past the last step
        State(misses=2, pending="tiny"),  # no class under way: nothing to fit, a question asked is kept
    ], ids=["practising", "paused", "finished", "idle"])
    def test_a_state_that_already_fits_is_returned_as_it_is(self, tiny, state):
        """Nearly every stored state fits its class: fit hands back that very state, not a copy or a changed one."""
        assert fit(state, tiny) is state

    def test_a_segment_naming_a_step_the_class_no_longer_has_is_forgotten_with_its_times(self, tiny):
        """Step 8 is past the end of an eight-step class: the segment, its marks, when it was sent and when its
        words were over all go, and the place (step 7) stays."""
        state = State(phase=Phase.PAUSED, practice="tiny", position=7, segment=(7, 8), marks=(0.0, 10.0, 20.0),
                      sent_at=5.0, early=1.0)
        assert fit(state, tiny) == State(phase=Phase.PAUSED, practice="tiny", position=7)

    @pytest.mark.parametrize("eased,left", [((0, 3, 8, -1), (0, 3)), ((3, 8), (3,)), ((-1, 7), (7,))])
    def test_eased_steps_the_class_no_longer_has_are_dropped_and_the_others_kept(self, tiny, eased, left):
        """Steps 0 to 7 are in an eight-step class, step 8 and -1 are not."""
        state = State(phase=Phase.PAUSED, practice="tiny", position=3, eased=eased)
        assert fit(state, tiny) == replace(state, eased=left)

    def test_a_practising_state_without_its_segment_is_paused_at_a_clamped_place_with_a_plan_that_fits(self, tiny):
        """The pause is at the last step when the place is past it, and the plan is dropped only if it no longer
        fits the class."""
        lost = State(phase=Phase.PRACTISING, practice="tiny", position=99, plan=Plan((1, 2, 3)))
        assert fit(lost, tiny) == State(phase=Phase.PAUSED, practice="tiny", position=7)
        kept_plan = State(phase=Phase.PRACTISING, practice="tiny", position=2, plan=self.EIGHT_HOLDS)
        assert fit(kept_plan, tiny) == State(phase=Phase.PAUSED, practice="tiny", position=2, plan=self.EIGHT_HOLDS)

    def test_a_place_past_the_end_is_pulled_back_keeping_a_plan_that_fits(self, tiny):
        """Only the place changes: paused at step 99 of an eight-step class becomes paused at step 7."""
        state = State(phase=Phase.PAUSED, practice="tiny", position=99, plan=self.EIGHT_HOLDS)
        assert fit(state, tiny) == replace(state, position=7)


PAUSED = {"v": VERSION, "ph": "paused", "c": "x"}  # the smallest record of a class under way


class TestEveryField:
    """Each field of a stored record: refused with its own sentence when wrong, read as written when right."""

    @pytest.mark.parametrize("record,message", [
        ([], "the record is not a mapping"),
        ({"v": 9, "ph": "idle"}, f"record version 9 is not {VERSION}"),
        ({"v": VERSION, "ph": "dancing"}, "unknown phase 'dancing'"),
        ({"v": VERSION}, "unknown phase None"),
        ({"v": VERSION, "ph": "idle", "m": "turbo"}, "unknown mode 'turbo'"),
        ({"v": VERSION, "ph": "idle", "c": 5}, "'c' should be a class id"),
        ({**PAUSED, "p": "3"}, "'p' should be a step number"),
        ({**PAUSED, "sg": [1, True], "mk": [0, 1, 2]}, "'sg' should be a list of whole numbers"),
        ({**PAUSED, "sg": [1], "mk": [0, "a"]}, "'mk' should be a number"),
        ({**PAUSED, "sg": [1], "mk": [0.0, 1.0, 2.0]}, "'mk' should have one mark per step and one for the end"),
        ({**PAUSED, "h": [60], "sk": [True]}, "'sk' should be a list of whole numbers"),
        ({**PAUSED, "h": 60}, "'h' should be a list of whole numbers"),
        ({"v": VERSION, "ph": "idle", "hi": [["x", 1, 2]]}, "'hi' should list [class id, time] pairs"),
        ({"v": VERSION, "ph": "idle", "hi": [[1, 1]]}, "'hi' should list [class id, time] pairs"),
        ({"v": VERSION, "ph": "idle", "hi": [["x", "1"]]}, "'hi' should list [class id, time] pairs"),
        ({"v": VERSION, "ph": "idle", "hi": "x"}, "'hi' should be a list"),
        ({"v": VERSION, "ph": "ready"}, "phase ready needs a class"),
        ({**PAUSED, "lb": "nap"}, "unknown 'lb' 'nap'"),
        ({**PAUSED, "pd": 5}, "'pd' should be a class id"),
        ({**PAUSED, "r": "fast"}, "'r' should be a number"),
        ({**PAUSED, "hs": True}, "'hs' should be a number"),
        ({**PAUSED, "mi": -1}, "'mi' should be a count"),
        ({**PAUSED, "mi": True}, "'mi' should be a count"),
        ({**PAUSED, "mi": 1.5}, "'mi' should be a count"),
        ({**PAUSED, "sp": ["knees", 3]}, "'sp' should be a list of body tags"),
        ({**PAUSED, "sp": "knees"}, "'sp' should be a list"),
        ({**PAUSED, "af": 3}, "'af' should be 0, 1 or 2 and 'of' not negative"),
        ({**PAUSED, "af": True}, "'af' should be 0, 1 or 2 and 'of' not negative"),
        ({**PAUSED, "of": -0.5}, "'af' should be 0, 1 or 2 and 'of' not negative"),
        ({**PAUSED, "of": "x"}, "'of' should be a number"),
        ({**PAUSED, "pa": [1]}, "'pa' should be a number"),
        ({**PAUSED, "ee": "soon"}, "'ee' should be a number"),
        ({**PAUSED, "ez": [1.5]}, "'ez' should be a list of whole numbers"),
        ({**PAUSED, "pb": "now"}, "'pb' should be a number"),
        ({**PAUSED, "sg": [1], "mk": 5}, "'mk' should be a list"),
        ({**PAUSED, "sg": [1], "mk": [0, 1], "at": "noon"}, "'at' should be a number"),
    ])
    def test_a_wrong_field_is_named(self, record, message):
        """The StateError says exactly what is wrong (the store logs it, and the person starts afresh)."""
        with pytest.raises(StateError) as caught:
            from_dict(record)
        assert str(caught.value) == message

    def test_a_record_with_every_field_reads_as_written(self):
        """Every field set to something other than its default comes back as that value (hand-written here)."""
        record = {"v": VERSION, "ph": "practising", "m": "step", "c": "hip_release", "p": 3, "sg": [3, 4],
                  "mk": [0, 10.5, 20], "at": 1000, "pa": 900.5, "h": [60, 50, 40, 30, 20], "sk": [1],
                  "hi": [["x", 5]], "ee": 12, "lb": "timeout", "r": 1.2, "hs": 1.5, "mi": 2, "pd": "chair_yoga",
                  "ez": [2], "sp": ["knees"], "pb": 77, "of": 1.25, "af": 2}
        state = from_dict(record)
        assert state == State(
            phase=Phase.PRACTISING, mode="step", practice="hip_release", position=3, segment=(3, 4),
            marks=(0.0, 10.5, 20.0), sent_at=1000.0, paused_at=900.5, plan=Plan((60, 50, 40, 30, 20), frozenset({1})),
            history=(("x", 5),), early=12.0, left_by="timeout", rate=1.2, hold_scale=1.5, misses=2,
            pending="chair_yoga", eased=(2,), spared=("knees",), playback=77.0, offset=1.25, audio_failed=2)
        assert to_dict(state) == {**record, "mk": [0.0, 10.5, 20.0]}

    def test_holds_without_a_list_of_steps_left_out_read_as_a_plan_leaving_none_out(self):
        """'sk' is optional beside 'h': a plan that only changes the holds leaves no step out."""
        assert from_dict({**PAUSED, "h": [60, 30]}).plan == Plan((60, 30), frozenset())

    def test_audio_failed_not_yet_said_is_read(self):
        """'af' 1 (the audio failed, not yet said) is one of the three values a record may hold."""
        assert from_dict({**PAUSED, "af": 1}).audio_failed == 1

    def test_the_offset_is_kept_to_the_millisecond(self):
        """Seconds into a step are stored rounded to thousandths: 1.23456 s is kept as 1.235."""
        assert to_dict(State(offset=1.23456))["of"] == 1.235

    def test_a_record_with_no_optional_field_has_the_defaults(self):
        """Left out, each field takes its default: flow mode, step 0, no plan, normal pace, nothing pending."""
        assert from_dict({"v": VERSION, "ph": "idle"}) == State()
        assert from_dict(PAUSED) == State(phase=Phase.PAUSED, practice="x")
        assert to_dict(State()) == {"v": VERSION, "ph": "idle", "m": "flow"}, "a default is never written"
        assert to_dict(State(phase=Phase.PAUSED, practice="x")) == {**PAUSED, "m": "flow", "p": 0}
        assert State() == State(phase=Phase.IDLE, mode="flow", practice=None, position=0, segment=(), marks=(),
                                sent_at=None, paused_at=None, plan=None, history=(), early=None, left_by="",
                                rate=1.0, hold_scale=1.0, misses=0, pending=None, eased=(), spared=(),
                                playback=None, offset=0.0, audio_failed=0)

    @pytest.mark.parametrize("field,value,read", [
        ("r", 5.0, 1.25), ("r", 0.1, 0.8), ("r", 0, 1.0), ("hs", 9, 2.0), ("hs", 0.5, 1.0), ("hs", 0, 1.0),
    ])
    def test_a_pace_out_of_range_is_brought_within_it(self, field, value, read):
        """Rate stays within 0.8..1.25 and the hold scale within 1..2 (zero reads as the normal 1)."""
        state = from_dict({**PAUSED, field: value})
        assert (state.rate if field == "r" else state.hold_scale) == read


class TestBoundaries:
    def test_an_unreadable_record_restores_a_fresh_state_in_the_mode_asked_and_says_why(self):
        """restore: a junk record gives a fresh start in the person's mode, with the StateError's sentence."""
        assert restore({"v": VERSION, "ph": "dancing"}, "step") == (State(mode="step"), "unknown phase 'dancing'")
        assert restore(None, "step") == (State(mode="step"), None)
        assert restore({"v": VERSION, "ph": "idle", "m": "step"}, "flow") == (State(mode="step"), None)

    @pytest.mark.parametrize("skipped,fits", [(frozenset({0}), True), (frozenset({7}), True),
                                              (frozenset({8}), False), (frozenset({-1}), False)])
    def test_a_plan_fits_a_class_when_every_step_it_drops_is_one_of_the_class(self, tiny, skipped, fits):
        """The tiny class has eight steps: dropping step 0 or step 7 fits it; step 8 or -1 is no step of it."""
        practice = tiny.get("tiny")
        holds = tuple(step.hold for step in practice.steps)
        assert len(holds) == 8 and Plan(holds, skipped).fits(practice) is fits
        assert Plan(holds[:7], frozenset()).fits(practice) is False, "a hold for each step of another class"


class TestPlaying:
    """Which step a segment is playing, at its marks exactly: a step begins at its mark and ends at the next."""

    @pytest.mark.parametrize("elapsed,step", [(0.0, 7), (9.999, 7), (10.0, 8), (24.999, 8), (25.0, None),
                                              (99.0, None), (-1.0, 7)])
    def test_each_moment_belongs_to_one_step(self, elapsed, step):
        assert playing((7, 8), (0.0, 10.0, 25.0), elapsed) == step

    def test_an_empty_segment_plays_nothing(self):
        assert playing((), (0.0,), 0.0) is None
