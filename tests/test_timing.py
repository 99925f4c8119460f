"""A class's one Timing: each figure against a plain reference written here, by hand-worked examples, and the
places the engine reads it."""
from __future__ import annotations

from dataclasses import replace

import pytest

from skill.practice import cues
from skill.practice import events as ev
from skill.practice.engine import HANDLERS, handle
from skill.practice.model import Plan, Pose, Practice, Step
from skill.practice.plan import trim
from skill.practice.speech import Measured, Pace, Say, seconds, spoken
from skill.practice.state import Phase, State
from skill.practice.timing import named_poses, opening_speech, timing

PACES = (Pace(), Pace(wpm=100, chimes=False), Pace(rate=0.8),
         Pace(measured=Measured("test-voice", {"sound:chime": 3.0, "Rest completely.": 7.25})))


def reference_left(practice: Practice, plan: Plan, start: int, pace: Pace) -> float:
    """Seconds from step start (inclusive) to the end of the closing, worked out the slow, plain way: every step
    still in the plan from start on, its pose named when it is not the pose of the step before it in the plan, or
    when a rest point (a step's, kept or dropped) lies between them: a response may end there, the next begins."""
    kept = [step for step in practice.steps if step.index not in plan.skipped]
    total = 0.0
    for k, step in enumerate(kept):
        if step.index >= start:
            before = kept[k - 1] if k else None
            named = (before is None or before.pose.id != step.pose.id
                     or any(s.rest for s in practice.steps[before.index:step.index]))
            total += seconds(cues.step_speech(step, plan.holds[step.index], named, pace), pace)
    closing = spoken(f"That brings {practice.title} to a close.", practice.closing)
    return total + seconds(closing, pace)


def plans(practice: Practice, pace: Pace) -> list[Plan]:
    full = practice.written
    optional = frozenset(s.index for s in practice.steps if s.optional)
    return [full, Plan(full.holds, optional), trim(practice, full, 0, 0.0, pace),
            trim(practice, full, 2, 0.6 * timing(practice, full, pace).left_from(2), pace)]


class TestAgainstAPlainReference:
    @pytest.mark.parametrize("pace", PACES, ids=("default", "slow-no-chimes", "rate-0.8", "measured"))
    def test_time_left_at_every_step_is_every_step_from_there_on(self, library, pace):
        """Time left from each step counts that step and each later one in the plan, then the closing."""
        for practice in library:
            for plan in plans(practice, pace):
                known = timing(practice, plan, pace)
                for start in range(len(practice.steps) + 1):
                    assert known.left_from(start) == pytest.approx(reference_left(practice, plan, start, pace),
                                                                   abs=1e-9), (practice.id, plan, start)

    def test_the_total_is_the_opening_then_everything_left(self, library):
        """total = the words that open the class (its name, props, intro, the prompt) + time left from step 0."""
        pace = Pace()
        for practice in library:
            known = timing(practice, practice.written, pace)
            opening = spoken(*_announce(practice), "Gather what you need, and say begin when you're ready.")
            assert known.total == pytest.approx(seconds(opening, pace) + reference_left(practice, practice.written,
                                                                                        0, pace), abs=1e-9)

    def test_time_left_includes_the_step_the_person_is_in(self, tiny):
        """From a step, time left is more than from the step after it, by exactly that step's own time."""
        practice, pace = tiny.get("tiny"), Pace()
        known = timing(practice, practice.written, pace)
        for index in range(len(practice.steps)):
            assert known.left_from(index) - known.left_from(index + 1) == pytest.approx(known.seconds(index))
            assert known.seconds(index) > practice.steps[index].hold  # a step takes its hold and its words


def _announce(practice: Practice) -> tuple[str, ...]:
    from skill.practice import prompts

    return tuple(prompts.announce(practice.title, practice.minutes * 60, practice.props, practice.intro))


def _step(index: int, pose: str) -> Step:
    return Step(index=index, pose=Pose(pose, pose.title()), cue=f"Cue {index}.", hold=30, floor=10)


class TestNamedPoses:
    STEPS = tuple(_step(i, pose) for i, pose in enumerate(("cat", "cat", "cow", "cat", "cat")))
    PRACTICE = Practice("p", "P", 5, "gentle", (), (), "Intro.", "Bye.", STEPS)

    @pytest.mark.parametrize("skipped,expected", [
        (frozenset(), (True, False, True, True, False)),
        (frozenset({2}), (True, False, True, False, False)),  # cow left out: cat carries on, unnamed
        (frozenset({0}), (True, True, True, True, False)),  # the first cat left out: the second is the first
        (frozenset({1, 2, 3}), (True, False, True, False, False)),  # only cats are left: one name
    ])
    def test_a_pose_is_named_when_it_is_not_the_pose_before_it_in_the_plan(self, skipped, expected):
        """Worked by hand: cat, cat, cow, cat, cat; a left-out step is answered as if it were put back."""
        assert named_poses(self.PRACTICE, skipped) == expected

    def test_a_pose_is_named_again_after_a_rest_point(self):
        """Worked by hand: cat, cat (a rest point after it), cat, cat. The third names its pose again, since the
        person may have stopped at the rest; when the resting step is left out, its rest stays in that gap."""
        steps = (_step(0, "cat"), replace(_step(1, "cat"), rest=True), _step(2, "cat"), _step(3, "cat"))
        practice = Practice("r", "R", 5, "gentle", (), (), "Intro.", "Bye.", steps)
        assert named_poses(practice, frozenset()) == (True, False, True, False)
        assert named_poses(practice, frozenset({1})) == (True, False, True, False)
        assert named_poses(practice, frozenset({2})) == (True, False, True, True)

    def test_a_timing_says_the_names_where_they_are_named(self):
        """The Timing's steps say their pose's name ("Cat.") exactly where it is named, and time it."""
        plan = Plan(self.PRACTICE.written.holds, frozenset({2}))
        known = timing(self.PRACTICE, plan, Pace(chimes=False))
        assert known.order == (0, 1, 3, 4)
        said = [[getattr(part, "text", "") for part in step.speech] for step in known.steps]
        assert ["Cat." in texts for texts in said] == [True, False, False, False, False]
        assert known.seconds(0) > known.seconds(1)  # the same step but for its name


class TestACacheByValue:
    def test_an_equal_class_plan_and_pace_give_the_same_figures(self, tiny):
        """Figures depend on values, not on which object asks: a copy of the class gets the same timing."""
        practice = tiny.get("tiny")
        copy = replace(practice)
        assert copy == practice and copy is not practice and hash(copy) == hash(practice)
        assert timing(copy, Plan(practice.written.holds), Pace()) == timing(practice, practice.written, Pace())

    def test_an_edited_class_with_the_same_id_gets_its_own_figures(self, tiny):
        """Two classes that share an id but not their holds are timed apart, each as its own holds say."""
        practice = tiny.get("tiny")
        longer = replace(practice, steps=tuple(replace(s, hold=s.hold + 30) for s in practice.steps))
        assert longer.id == practice.id and longer != practice
        for each in (practice, longer, practice):
            assert timing(each, each.written, Pace()).left_from(0) == pytest.approx(
                reference_left(each, each.written, 0, Pace()), abs=1e-9)


class TestAPlanWithNothingLeft:
    def test_every_event_gets_an_answer(self, tiny):
        """A stored plan that keeps no step from the person's place on (a class edited since, say) is answered,
        never raised on: the step the person is in is None, and every handler says so kindly."""
        practice = tiny.get("tiny")
        n = len(practice.steps)
        plan = Plan(practice.written.holds, frozenset({n - 1}))  # the closing step, after the final relaxation
        paused = State(phase=Phase.PAUSED, practice="tiny", position=n - 1, plan=plan, paused_at=0.0)
        playing = State(phase=Phase.PRACTISING, practice="tiny", position=n - 2, plan=plan, segment=(n - 2,),
                        marks=(0.0, 1.0), sent_at=0.0)
        for state in (paused, playing):
            for kind in HANDLERS:
                event = kind(what="finished") if kind is ev.Played else kind()
                outcome = handle(state, event, 500.0, tiny)
                assert outcome.state.phase in Phase, kind


def test_the_opening_names_the_class_its_length_its_props_and_its_intro_then_asks_for_begin(tiny):
    """The tiny class declared as 45 minutes, with a mat and a strap: each part of the opening, in order, by hand."""
    practice = tiny.get("tiny")
    assert practice is not None
    practice = replace(practice, minutes=45)  # long enough that a minute's count off by a second would show
    words = [part.text for part in opening_speech(practice) if isinstance(part, Say)]
    assert words[:3] == ["Tiny Flow. It takes about 45 minutes.", "You'll need a mat and a strap.",
                         "A short class for tests."]
    assert len(words) == 4 and "say begin when you're ready" in words[3]


def test_seconds_left_from_a_place_outside_the_class_are_those_from_its_nearest_end(tiny):
    """Past the last of the tiny class's eight steps only the closing words are left; before step 0, the whole
    class but its opening."""
    practice = tiny.get("tiny")
    assert practice is not None
    known = timing(practice, practice.written, Pace())
    assert known.left_from(8) == known.left_from(99) == known.closing
    assert known.left_from(-3) == known.left_from(0) == pytest.approx(known.total - known.opening)
