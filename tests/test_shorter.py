"""Shorter's guarantees, by example and over random event sequences on every class."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from properties import sides_followed_through, sides_whole

from skill.classes import load_library
from skill.practice import events as ev
from skill.practice.engine import handle
from skill.practice.plan import (
    Plan,
    at_or_after,
    droppable_groups,
    longer_plan,
    previous_active,
    remaining_seconds,
    total_seconds,
    trim,
)
from skill.practice.speech import Pace
from skill.practice.state import Phase, State, from_dict, to_dict

PACE = Pace()


class TestLonger:
    """"Make it longer": holds from a step on at a multiple of what is written (conftest.TINY's holds, read by hand:
    60, 60, 45, 60, 45, 30, 120 and 10 seconds)."""

    WRITTEN = (60, 60, 45, 60, 45, 30, 120, 10)

    def test_holds_from_the_step_on_grow_by_the_scale_and_steps_left_out_stay_out(self, tiny):
        """At 1.5 from step 5: 30 s -> 45, 120 s -> 180, 10 s -> 15; steps 0 to 4 are as they were."""
        practice = tiny.get("tiny")
        assert Plan.full(practice).holds == self.WRITTEN
        plan = Plan(self.WRITTEN, frozenset({5}))
        assert longer_plan(practice, plan, 5, 1.5) == Plan((60, 60, 45, 60, 45, 45, 180, 15), frozenset({5}))

    def test_a_scale_of_one_leaves_a_shortened_plan_as_it_is(self, tiny):
        """Scale 1 is the class as written: it does not give back the seconds a shorter class took away."""
        practice = tiny.get("tiny")
        shortened = Plan((30, 30, 20, 30, 20, 15, 60, 10), frozenset({5}))
        assert longer_plan(practice, shortened, 0, 1.0) is shortened


class TestNeighbours:
    """The steps still in a plan either side of a place, in the tiny class (steps 0 to 7)."""

    @pytest.mark.parametrize("skipped,index,before", [
        (frozenset(), 3, 2), (frozenset({2}), 3, 1), (frozenset({1, 2}), 3, 0), (frozenset({0, 1, 2}), 3, None),
        (frozenset(), 0, None)])
    def test_the_step_before_is_the_nearest_one_kept(self, tiny, skipped, index, before):
        """Steps left out are passed over one by one, back to the first step and no further."""
        practice = tiny.get("tiny")
        assert previous_active(practice, Plan(practice.written.holds, skipped), index) == before

    @pytest.mark.parametrize("skipped,index,found", [
        (frozenset(), 5, 5), (frozenset({5}), 5, 6), (frozenset(), 7, 7), (frozenset(), 8, None),
        (frozenset({7}), 7, None)])
    def test_a_place_at_or_after_is_the_step_itself_or_the_next_kept_and_none_past_the_end(self, tiny, skipped,
                                                                                           index, found):
        """Step 8 is past the last step: there is nothing at or after it."""
        practice = tiny.get("tiny")
        assert at_or_after(practice, Plan(practice.written.holds, skipped), index) == found


class TestTrim:
    def test_holds_shrink_before_any_step_is_dropped(self, tiny):
        """A small cut only shortens holds; every step stays."""
        practice = tiny.get("tiny")
        full = Plan.full(practice)
        left = remaining_seconds(practice, full, 0, PACE)
        plan = trim(practice, full, 0, left * 0.9, PACE)
        assert plan.skipped == frozenset()
        assert all(new <= old for new, old in zip(plan.holds, full.holds, strict=True))
        assert abs(remaining_seconds(practice, plan, 0, PACE) - left * 0.9) <= 0.1 * left * 0.9

    def test_as_short_as_it_goes_drops_optional_steps_and_keeps_floors(self, tiny):
        """A target of nothing drops every optional step and holds everything else at its floor."""
        practice = tiny.get("tiny")
        plan = trim(practice, Plan.full(practice), 0, 0.0, PACE)
        optional = {s.index for s in practice.steps if s.optional}
        assert plan.skipped == optional
        assert all(plan.holds[s.index] == s.floor for s in practice.steps if s.index not in optional)
        assert practice.final_index not in plan.skipped

    def test_a_side_already_practised_keeps_its_mirror(self, tiny):
        """Trimming from the left side cannot drop an optional step whose right side was done."""
        practice = tiny.get("tiny")
        left_start = next(s.index for s in practice.steps if s.side == "left")
        assert droppable_groups(practice, Plan.full(practice), left_start) == {
            "s3": frozenset({next(s.index for s in practice.steps if s.pose.id == "bridge")})}
        plan = trim(practice, Plan.full(practice), left_start, 0.0, PACE)
        assert sides_followed_through(practice, Plan.full(practice), plan, left_start) == []
        assert sides_whole(practice, plan) == []

    def test_the_longest_optional_step_goes_first(self, tiny):
        """When holds at their floors are not enough, the longest optional pose goes first: the leg to the side
        (45 s on each side) before the bridge (30 s), and the bridge stays when that is enough."""
        practice = tiny.get("tiny")
        full = Plan.full(practice)
        legs = frozenset(s.index for s in practice.steps if s.pose.id == "reclined_leg_open")
        at_floors = trim(practice, full, 0, 0.0, PACE).holds
        target = remaining_seconds(practice, Plan(at_floors, legs), 0, PACE) + 1  # enough once the legs go
        assert trim(practice, full, 0, target, PACE).skipped == legs

    def test_a_long_optional_pose_goes_before_a_short_one_that_comes_earlier(self, write_class, sequences_dir):
        """Longest first, not first in the class: a 30 s optional bridge early on stays while a 3 minute optional
        reclined twist later goes, when dropping the twist is enough."""
        write_class("""\
            id: order
            title: Order
            minutes: 8
            level: gentle
            focus: [testing]
            props: [a mat]
            intro: Two optional poses.
            closing: Thank you.
            steps:
              - pose: knees_to_chest
                cue: Hug both knees in.
                hold: 60s
              - pose: bridge
                cue: Lift the hips.
                hold: 30s
                optional: true
              - pose: knees_to_chest
                cue: Hug both knees in again.
                hold: 60s
              - pose: supine_twist
                cue: Let the knees fall to one side.
                hold: 3m
                optional: true
              - pose: savasana
                cue: Rest completely.
                hold: 2m
                final: true
            """, "order.yaml")
        practice = load_library(sequences_dir).get("order")
        full = Plan.full(practice)
        bridge, twist = (next(s.index for s in practice.steps if s.pose.id == pose)
                         for pose in ("bridge", "supine_twist"))
        at_floors = trim(practice, full, 0, 0.0, PACE).holds
        target = remaining_seconds(practice, Plan(at_floors, frozenset({twist})), 0, PACE) + 1
        assert trim(practice, full, 0, target, PACE).skipped == {twist}, f"the bridge ({bridge}) stays"

    def test_a_pause_in_a_dropped_pose_moves_to_the_next_one_kept(self, tiny):
        """Paused in an optional pose that shorter drops, the place moves on to the next pose, which is named."""
        bridge = next(s.index for s in tiny.get("tiny").steps if s.pose.id == "bridge")
        paused = State(phase=Phase.PAUSED, practice="tiny", position=bridge)
        outcome = handle(paused, ev.Shorter(minutes=1), 0, tiny)
        assert bridge in outcome.state.plan.skipped
        assert outcome.state.phase is Phase.PAUSED and outcome.state.position == bridge + 1
        assert "paused in Final Relaxation" in " ".join(getattr(p, "text", "") for p in outcome.speech)

    def test_trimming_from_any_step_of_any_class_keeps_both_sides_and_the_final_relaxation(self, library):
        """From every step of every class, cut to nothing or to half: sides stay whole, the final rest stays."""
        for practice in library:
            full = Plan.full(practice)
            for start in range(len(practice.steps)):
                half = remaining_seconds(practice, full, start, PACE) / 2
                for target in (0.0, half):
                    plan = trim(practice, full, start, target, PACE)
                    assert sides_whole(practice, plan) == [], (practice.id, start, target)
                    assert sides_followed_through(practice, full, plan, start) == [], (practice.id, start, target)
                    assert practice.final_index not in plan.skipped
                    assert all(plan.holds[i] == full.holds[i] for i in range(start)), "the past is not rewritten"

    def test_nothing_grows_longer(self, tiny):
        """Asking for more time than is left changes nothing."""
        practice = tiny.get("tiny")
        short = trim(practice, Plan.full(practice), 0, 200.0, PACE)
        assert trim(practice, short, 0, 10_000.0, PACE) == short

    @pytest.mark.parametrize("share", [0.95, 0.8, 0.65])
    def test_every_class_lands_within_ten_percent_of_a_reachable_target(self, library, share):
        """Any target between the shortest and the full length is met within ±10 %, from any point."""
        for practice in library:
            full = Plan.full(practice)
            for start in (0, len(practice.steps) // 3, 2 * len(practice.steps) // 3):
                left = remaining_seconds(practice, full, start, PACE)
                shortest = remaining_seconds(practice, trim(practice, full, start, 0.0, PACE), start, PACE)
                target = max(left * share, shortest)
                got = remaining_seconds(practice, trim(practice, full, start, target, PACE), start, PACE)
                assert abs(got - target) <= 0.1 * target, (practice.id, start, share)

    def test_make_it_twenty_minutes_from_the_start(self, library):
        """'Make it twenty minutes' before beginning low back release plans a class of twenty ±10 %."""
        ready = handle(State(), ev.Start(practice="low_back_release"), 0, library).state
        shortest = handle(ready, ev.Shorter(minutes=1), 1, library).state.plan
        practice = library.get("low_back_release")
        target = max(20 * 60, total_seconds(practice, shortest, PACE))
        outcome = handle(ready, ev.Shorter(minutes=round(target / 60)), 1, library)
        assert abs(total_seconds(practice, outcome.state.plan, PACE) - target) <= 0.1 * target
        assert "minutes" in " ".join(getattr(p, "text", "") for p in outcome.speech)


def _events(ids: list[str]):
    simple = st.sampled_from([
        ev.Launch(), ev.Start(), ev.Next(), ev.Previous(), ev.Repeat(), ev.Pause(), ev.Resume(), ev.Shorter(),
        ev.StartOver(), ev.TimeLeft(), ev.WhatPose(), ev.WhatProps(), ev.ListClasses(), ev.Help(), ev.Yes(),
        ev.No(), ev.Stop(), ev.SessionEnded(), ev.Unknown(heard="hmm"),
    ])
    onward = st.sampled_from([ev.Resume(), ev.Next()])  # weighted so that sequences get deep into classes
    return st.one_of(
        simple, simple, simple, onward, onward, onward,
        st.builds(ev.Start, practice=st.sampled_from(ids)),
        st.builds(ev.Start, minutes=st.integers(1, 90), focus=st.sampled_from([None, "hips", "sleep", "low back"])),
        st.builds(ev.Shorter, minutes=st.one_of(st.none(), st.integers(1, 90))),
    )


# Seconds between events: mostly a reply, sometimes mid-hold, a day later, or the clock going backwards.
GAPS = st.one_of(st.floats(0, 30), st.floats(30, 400), st.just(86_400.0), st.floats(-600, 0))


IDS = ["bedtime_wind_down", "chair_yoga", "desk_reset", "gentle_all_round", "hip_release", "low_back_release",
       "morning_wake_up", "neck_and_shoulders"]


@pytest.mark.slow
class TestRandomSequences:
    def test_the_strategy_names_every_class(self, library):
        """The random sequences can start any class there is."""
        assert sorted(IDS) == sorted(p.id for p in library)

    @settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mode=st.sampled_from(["flow", "step"]), script=st.lists(st.tuples(_events(IDS), GAPS), min_size=1,
                                                                   max_size=40))
    def test_invariants_hold_for_any_sequence(self, library, mode, script):
        """No exception; the position is valid; both sides and the final relaxation kept; length never grows."""
        state, now = replace(State(), mode=mode), 1_700_000_000.0
        for event, gap in script:
            now += gap
            before = state
            outcome = handle(state, event, now, library)
            state = outcome.state
            record = to_dict(state)
            assert from_dict(json.loads(json.dumps(record))) == state
            assert len(json.dumps(record)) < 2048
            if state.practice is None:
                assert state.phase is Phase.IDLE
                continue
            practice = library.get(state.practice)
            plan = state.plan or Plan.full(practice)
            assert 0 <= state.position <= len(practice.steps)
            assert state.phase is Phase.FINISHED or state.position < len(practice.steps)
            assert state.phase is not Phase.PAUSED or state.position not in plan.skipped
            assert all(0 <= i < len(practice.steps) and i not in plan.skipped for i in state.segment)
            assert sides_whole(practice, plan) == []
            if before.practice == state.practice and before.phase is not Phase.READY:  # steps before it were done
                old = before.plan or Plan.full(practice)
                assert sides_followed_through(practice, old, plan, before.position) == [], (before, event)
            assert practice.final_index not in plan.skipped
            assert all(plan.holds[s.index] >= s.floor for s in practice.steps)
            # yes to "start it again?" starts; so does "make it N minutes" with no class under way (it picks a
            # class for N minutes, which may be the one just finished: a new round, ready to begin)
            chosen = state.phase is Phase.READY and before.phase in (Phase.IDLE, Phase.FINISHED)
            started = (isinstance(event, (ev.StartOver, ev.Start)) or (isinstance(event, ev.Yes) and before.pending)
                       or chosen)
            same_class = before.practice == state.practice and not started
            if same_class:
                old = before.plan or Plan.full(practice)
                assert total_seconds(practice, plan, PACE) <= total_seconds(practice, old, PACE) + 0.01
