"""The stored record: small, versioned, and read back exactly, or refused with a reason."""
from __future__ import annotations

import json

import pytest

from skill.errors import StateError
from skill.practice import events as ev
from skill.practice.engine import handle
from skill.practice.plan import Plan
from skill.practice.state import VERSION, Phase, State, fit, from_dict, to_dict


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
