"""The classes teach as a teacher would: breath at a breathable tempo, every change of position spoken, a safety line
in every intro, a chair class that never reaches the floor, and shorter never cutting rounds below their floors."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import SEQUENCES

from skill.classes.loader import CATALOGS
from skill.practice import cues, rhythm
from skill.practice.model import Practice, Step
from skill.practice.plan import Plan, active, announces, remaining_seconds, total_seconds, trim
from skill.practice.segment import build
from skill.practice.speech import Pace, Say, Silence, durations
from skill.practice.timing import named_poses, said

PACE = Pace()
# Words that tell a listener how to reach each position. A change of position must be spoken in the lead-in or
# cue of the step where it happens.
GETTING_THERE = {
    "supine": ("back",),
    "side": ("side",),
    "prone": ("belly",),
    "all_fours": ("hands and knees",),
    "kneeling": ("knee", "heels", "step your", "step the"),
    "standing": ("stand", "walk your feet", "roll up"),
    "seated": ("sit", "seat"),
    "chair": ("chair",),
}
SAFETY = re.compile(r"\b(pain|hurts?|sharp|pinching)\b", re.I)


def calls(step: Step, hold: int, pace: Pace = PACE) -> list[tuple[float, str]]:
    """(start time, words) of each breath call in the step's hold, timed from the hold's start."""
    clock, found = 0.0, []
    speech = cues.hold(step, hold, pace)
    for part, seconds in zip(speech, durations(speech, pace), strict=True):
        if isinstance(part, Say) and part.text.startswith(("Inhale", "Exhale")):
            found.append((clock, part.text))
        clock += seconds
    return found


def shortest(practice: Practice) -> Plan:
    return trim(practice, Plan.full(practice), 0, 0.0, PACE)


def plans(practice: Practice) -> list[tuple[str, Plan]]:
    return [("full", Plan.full(practice)), ("shortest", shortest(practice))]


class TestBreathPacedRounds:
    @pytest.mark.parametrize("which", ["full", "shortest"])
    def test_breath_calls_are_never_closer_than_the_tempo(self, library, which):
        """From one call to the next there is at least a whole inhale (4 s) or exhale (5 s), full or shortened."""
        too_close = []
        for practice in library:
            plan = dict(plans(practice))[which]
            for index in active(practice, plan):
                step = practice.steps[index]
                if step.rounds is None:
                    continue
                timed = calls(step, plan.holds[index])
                assert timed, f"{step.label} has rounds but no calls"
                for (start, text), (after, _) in zip(timed, timed[1:], strict=False):
                    need = step.rounds.inhale_seconds if text.startswith("Inhale") else step.rounds.exhale_seconds
                    if after - start < need - 0.01:
                        too_close.append((practice.id, step.label, text, round(after - start, 2)))
        assert too_close == []

    def test_calls_alternate_inhale_and_exhale(self, library):
        """Every round is an inhale call then an exhale call: the breath is never skipped or doubled."""
        for practice in library:
            for step in practice.steps:
                if step.rounds:
                    kinds = [text.split(",")[0].rstrip(".") for _, text in calls(step, step.hold)]
                    assert kinds == ["Inhale", "Exhale"] * step.rounds.calls, step.label

    def test_the_hold_of_a_rounds_step_is_what_its_rounds_take(self, library):
        """A rounds step lasts its settling time, its rounds and its quiet rounds: nothing squeezed, nothing lost."""
        for practice in library:
            for step in practice.steps:
                if step.rounds:
                    played = sum(durations(cues.hold(step, step.hold, PACE), PACE))
                    assert abs(played - step.hold) <= 1.0, (step.label, played, step.hold)

    def test_shorter_keeps_rounds_at_or_above_their_floors(self, library):
        """The shortest each class can go still calls at least each step's floor of rounds."""
        below = []
        for practice in library:
            plan = shortest(practice)
            for index in active(practice, plan):
                step = practice.steps[index]
                if step.rounds and len(calls(step, plan.holds[index])) < 2 * step.rounds.floor:
                    below.append(step.label)
        assert below == []

    def test_the_first_call_waits_for_the_body_to_settle(self, library):
        """After the cue there is quiet before the first breath call: at least the step's settling time."""
        for practice in library:
            for step in practice.steps:
                if step.rounds:
                    first = cues.hold(step, step.hold, PACE)[0]
                    assert isinstance(first, Silence) and first.seconds >= step.settle > 0, step.label


    def test_every_call_has_its_side_filled_in(self, library):
        """{side} and {other_side} in a breath call are said as right and left, never as braces."""
        assert [t for p in library for s in p.steps if s.rounds for t in s.rounds.inhale + s.rounds.exhale
                if "{" in t or "}" in t] == []
        lbr = library.get("low_back_release")
        moving = [s for s in lbr.steps if s.pose.id == "reclined_leg_open" and s.rounds]
        assert [s.rounds.exhale[0] for s in moving] == ["Exhale, out to the right.", "Exhale, out to the left."]


class TestHolds:
    def test_long_holds_tell_you_where_you_are(self, library):
        """A still hold of 45 s or more hears 'three more breaths' and then 'last breath', in that order."""
        for practice in library:
            for step in practice.steps:
                if step.rounds is None and not step.final and step.hold >= 45:
                    said = [p.text for p in cues.hold(step, step.hold, PACE) if isinstance(p, Say)]
                    assert said[-2:] == ["Three more breaths.", "Last breath here."], (step.label, said)

    def test_the_final_relaxation_is_left_quiet_of_reminders(self, library):
        """Nobody is told 'three more breaths' in the final relaxation."""
        for practice in library:
            final = practice.steps[practice.final_index]
            said = [p.text for p in cues.hold(final, final.hold, PACE) if isinstance(p, Say)]
            assert not {"Three more breaths.", "Last breath here."} & set(said), practice.id

    def test_reminders_fall_where_they_say(self):
        """'Last breath' comes one breath before the end and 'three more' three breaths before it."""
        marks = {text: when for when, text in rhythm.reminders(
            Step(index=0, pose=None, cue="", hold=90, floor=45), 90)}  # type: ignore[arg-type]
        assert marks["Last breath here."] == 90 - 9 and marks["Three more breaths."] == 90 - 27


class TestTransitions:
    @pytest.mark.parametrize("which", ["full", "shortest"])
    def test_every_change_of_position_is_spoken(self, library, which):
        """Where the body moves from one position to another, that step's lead-in or cue says how to get there."""
        unspoken = []
        for practice in library:
            plan = dict(plans(practice))[which]
            steps = [practice.steps[i] for i in active(practice, plan)]
            for before, step in zip(steps, steps[1:], strict=False):
                if before.position != step.position:
                    said = f"{step.lead_in or ''} {step.cue}".lower()
                    if not any(words in said for words in GETTING_THERE[step.position]):
                        unspoken.append(f"{practice.id} {before.label} -> {step.label} ({step.position})")
        assert unspoken == []

    def test_every_step_of_every_class_has_a_position(self, library):
        """Body tags reach every step, so the transition check above covers every class."""
        assert [s.label for p in library for s in p.steps if s.position is None] == []

    def test_every_switch_between_sides_is_spoken_however_short(self, library):
        """The lead-in between sides rides on a side's first step, so that step is never one shorter may drop."""
        assert [s.label for p in library for s in p.steps if s.lead_in and s.optional] == []

    def test_the_transition_check_can_fail(self, library):
        """A cue that does not mention the new position is caught by the word table."""
        assert not any(w in "stay where you are." for w in GETTING_THERE["all_fours"])


class TestChairClass:
    def test_the_chair_class_never_reaches_the_floor(self, library):
        """Chair Yoga: every step is in the chair, with nothing on the floor, kneeling or standing."""
        chair = library.get("chair_yoga")
        assert chair is not None
        assert {s.label: s.position for s in chair.steps if s.position != "chair"} == {}
        assert [s.label for s in chair.steps if {"floor", "kneeling", "standing"} & set(s.body)] == []

    def test_its_file_says_chair_where_the_body_is_set(self):
        """Read straight from the YAML: the class's only position tag is chair."""
        raw = (SEQUENCES / "chair_yoga.yaml").read_text(encoding="utf-8")
        assert set(re.findall(r"body: \[([a-z_]+)", raw)) == {"chair"}


class TestIntros:
    def test_every_intro_has_a_safety_line(self, library):
        """Each class says, before it starts, what to do if something hurts."""
        assert [p.id for p in library if not SAFETY.search(p.intro)] == []


class TestLengths:
    def test_low_back_release_takes_forty_minutes_give_or_take_two(self, library):
        """Low Back Release adds up to 38 to 42 minutes as written."""
        practice = library.get("low_back_release")
        assert 38 * 60 <= total_seconds(practice, Plan.full(practice), PACE) <= 42 * 60

    def test_twenty_minutes_can_be_reached(self, library):
        """'Make it twenty minutes' brings Low Back Release to twenty minutes or less."""
        practice = library.get("low_back_release")
        full = Plan.full(practice)
        opening = total_seconds(practice, full, PACE) - remaining_seconds(practice, full, 0, PACE)
        assert opening + remaining_seconds(practice, shortest(practice), 0, PACE) <= 20 * 60

    @pytest.mark.parametrize("class_id, low, high", [("desk_reset", 5, 8), ("gentle_all_round", 28, 32)])
    def test_the_break_and_the_all_round_class_keep_their_lengths(self, library, class_id, low, high):
        """The desk break takes 5 to 8 minutes and the all-round class about thirty."""
        practice = library.get(class_id)
        assert low * 60 <= total_seconds(practice, Plan.full(practice), PACE) <= high * 60


class TestFlowStops:
    @pytest.mark.parametrize("path", sorted(p for p in SEQUENCES.glob("*.yaml") if p.name not in CATALOGS),
                             ids=lambda p: p.stem)
    def test_rest_points_are_where_the_file_puts_them(self, library, path: Path):
        """The rest points the loader keeps are the steps marked rest: true, once per side inside a sided block."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected = 0
        for item in data["steps"]:
            if "block" in item:
                expected += sum(bool(s.get("rest")) for s in item["steps"]) * len(item.get("sides") or [None])
            else:
                expected += bool(item.get("rest"))
        assert sum(s.rest for s in library.get(data["id"]).steps) == expected

    def test_no_flow_stop_in_the_middle_of_a_side(self, library):
        """Flow mode never stops with the next step on the same side of the same block."""
        for practice in library:
            for step in practice.steps[:-1]:
                following = practice.steps[step.index + 1]
                if step.rest and step.side:
                    assert following.unit != step.unit, step.label

    def test_the_pose_name_is_said_once_per_pose(self, library):
        """A second step in the same pose carries on without its name (what announces() decides)."""
        practice = library.get("low_back_release")
        plan = Plan.full(practice)
        again = [s.index for s in practice.steps[1:] if practice.steps[s.index - 1].pose.id == s.pose.id]
        assert again and not any(announces(practice, plan, i) for i in again)


class TestEasierWay:
    def test_an_eased_step_is_said_as_a_class_written_with_its_easier_cue_would_say_it(self, library, pace):
        """Every step of every class that has an easier way: eased, its segment (step by step) is the one a class
        whose cue for that step is the easier one (and no options) would send, at the plan's own hold; the cue is
        not said."""
        checked = 0
        for practice in library:
            shortened = Plan(tuple(max(step.hold // 2, 1) for step in practice.steps))  # not the written holds
            for step in practice.steps:
                if not step.easier:
                    continue
                easier = replace(step, cue=step.easier, options=())
                rewritten = replace(practice, steps=tuple(easier if s is step else s for s in practice.steps))
                eased = build(practice, shortened, step.index, "step", pace, eased=frozenset({step.index}))
                assert eased == build(rewritten, shortened, step.index, "step", pace), (practice.id, step.index)
                words = " ".join(part.text for part in eased.speech if isinstance(part, Say))
                assert step.easier in words and step.cue not in words, (practice.id, step.index)
                checked += 1
        assert checked >= 7, "every class but one has a step with an easier way"


class TestSegmentLength:
    @pytest.mark.parametrize("flow_chars", [700, 1500, 3000])
    def test_a_flow_segment_of_more_than_one_step_keeps_within_the_character_limit(self, library, flow_chars):
        """From every step of every class, with seconds no limit: a segment's steps, each measured on its own as the
        segment says it (its first pose always named), add up to no more SSML than flow_chars, unless it is one
        step (one step always goes, however long). Summed here step by step with timing.said."""
        pace = Pace(flow_seconds=10**6, flow_chars=flow_chars)
        longest = 0
        for practice in library:
            plan = practice.written
            named = named_poses(practice, plan.skipped)
            for start in range(len(practice.steps)):
                steps = build(practice, plan, start, "flow", pace).steps
                assert steps and steps[0] == start, (practice.id, start)
                chars = sum(said(practice.steps[i], plan.holds[i], named[i] or i == start, pace).chars for i in steps)
                assert len(steps) == 1 or chars <= flow_chars, (practice.id, start, steps, chars)
                longest = max(longest, len(steps))
            assert build(practice, plan, len(practice.steps), "flow", pace).steps == (), "no step past the end"
        assert longest > 1, "some segment holds more than one step, so the limit was put to the test"

    @pytest.mark.parametrize("limit", ["seconds", "chars"])
    def test_a_flow_segment_takes_every_stretch_that_fits_the_limit_exactly(self, library, limit):
        """From every step of every class: with one limit set to exactly what the first two stretches (each ending
        at a rest point, or the class's end) take, summed stretch by stretch, both go in, and no more."""
        checked = 0
        for practice in library:
            plan = practice.written
            named = named_poses(practice, plan.skipped)
            stretches: list[list[int]] = [[]]
            for step in practice.steps:
                stretches[-1].append(step.index)
                if step.rest:
                    stretches.append([])
            stretches = [s for s in stretches if s]
            for k in range(len(stretches) - 2):  # a third stretch is left to refuse
                start = stretches[k][0]
                first_two = stretches[k] + stretches[k + 1]
                cost = [said(practice.steps[i], plan.holds[i], named[i] or i == start, PACE)
                        for i in first_two]
                ones = (cost[:len(stretches[k])], cost[len(stretches[k]):])
                if limit == "seconds":
                    pace = replace(PACE, flow_chars=10**9, flow_seconds=0.0 + sum(c.seconds for c in ones[0])
                                   + sum(c.seconds for c in ones[1]))
                else:
                    pace = replace(PACE, flow_seconds=10**9, flow_chars=sum(c.chars for c in cost))
                assert build(practice, plan, start, "flow", pace).steps == tuple(first_two), (practice.id, start)
                checked += 1
        assert checked > 20
