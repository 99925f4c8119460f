"""The loader reads the teaching fields (rounds, settle, rest, chime, easier, body) and explains every mistake."""
from __future__ import annotations

import textwrap

import pytest

from skill.classes import loader
from skill.classes.poses import load_poses
from skill.errors import SequenceErrors


def text(steps: str, head: str = "") -> str:
    """A one-class file around steps (YAML at four spaces), its final rest appended."""
    return textwrap.dedent("""\
        id: t
        title: T
        minutes: 5
        level: gentle
        focus: [testing]
        props: []
        intro: Ease off at any pain.
        closing: Done.
        {head}steps:
        {steps}
          - pose: savasana
            cue: Rest.
            hold: 60s
            final: true
        """).format(head=head, steps=textwrap.indent(textwrap.dedent(steps), "  "))


@pytest.fixture
def load(sequences_dir, monkeypatch):
    """Load a class from its text; these tests are about fields, so its declared length is not checked."""
    monkeypatch.setattr(loader, "TOLERANCE", 1000)
    poses = load_poses(sequences_dir / "poses.yaml")

    def run(source: str):
        path = sequences_dir / "t.yaml"
        path.write_text(source, encoding="utf-8")
        return loader.load_practice(path, poses)
    return run


def sided(steps: str) -> str:
    """A block practised right then left around steps (YAML at twelve spaces)."""
    return "- block: B\n  sides: [right, left]\n  steps:\n" + textwrap.indent(textwrap.dedent(steps), "    ")


def problems(load, source: str) -> list[str]:
    with pytest.raises(SequenceErrors) as caught:
        load(source)
    return [str(e) for e in caught.value.errors]


ROUNDS = """\
- pose: cat_cow
  cue: Hands and knees.
  rounds:
    calls: 3
    inhale: Inhale, belly drops.
    exhale: Exhale, round the back.
"""


class TestRounds:
    def test_a_rounds_step_lasts_its_settling_and_its_breaths(self, load):
        """Three calls at 4 s in and 5 s out after 3 s of settling make a 30 s hold; the floor is two rounds."""
        step = load(text(ROUNDS)).steps[0]
        assert (step.hold, step.floor, step.settle) == (3 + 3 * 9, 3 + 2 * 9, 3)
        assert step.rounds.call(1) == ("Inhale, belly drops.", "Exhale, round the back.")

    def test_quiet_rounds_and_extra_stillness_are_added(self, load):
        """Two quiet rounds and a 5 s hold after them lengthen the step by 2 × 9 + 5 s."""
        source = ROUNDS.replace("    calls: 3\n", "    calls: 3\n    quiet: 2\n") + "  hold: 5s\n"
        assert load(text(source)).steps[0].hold == 3 + 3 * 9 + 2 * 9 + 5

    def test_the_tempo_is_the_class_s_own(self, load):
        """inhale_seconds and exhale_seconds set the breath: 3 s in and 6 s out still make 9 s rounds."""
        step = load(text(ROUNDS, head="inhale_seconds: 3\nexhale_seconds: 6\n")).steps[0]
        assert (step.rounds.inhale_seconds, step.rounds.exhale_seconds, step.hold) == (3.0, 6.0, 30)

    def test_lists_of_calls_are_taken_in_turn(self, load):
        """A list of exhale calls alternates, round after round."""
        source = ROUNDS.replace("    exhale: Exhale, round the back.", "    exhale: [Exhale right., Exhale left.]")
        rounds = load(text(source)).steps[0].rounds
        assert [rounds.call(k)[1] for k in range(3)] == ["Exhale right.", "Exhale left.", "Exhale right."]

    @pytest.mark.parametrize("change, message", [
        (("Inhale, belly drops.", "Inhale, let the belly drop all the way toward the floor as you lift the chest."),
         "takes longer to say than a 4 s inhale"),
        (("calls: 3", "calls: 0"), "should give calls, a whole number of rounds from 1 to 30"),
        (("calls: 3", "calls: 3\n    floor: 4"), "floor should be a whole number of rounds from 1 to calls"),
        (("    exhale: Exhale, round the back.\n", ""), "exhale should be the words called on each exhale"),
        (("calls: 3", "calls: 3\n    qiuet: 1"), "unknown field; did you mean 'quiet'?"),
        (("cue: Hands and knees.", "cue: Hands and knees.\n  breath: [Breathe.]"), "give rounds, or a hold"),
    ])
    def test_mistakes_in_rounds_are_explained(self, load, change, message):
        """Each mistake is one sentence naming the file, the step and the field."""
        found = problems(load, text(ROUNDS.replace(*change)))
        assert any("step 1 (cat_cow)" in p and message in p for p in found), found


class TestBodyAndFlags:
    def test_body_tags_carry_on_and_bring_what_they_imply(self, load):
        """A step without tags keeps the last ones; hands and knees means kneeling, wrists and floor too."""
        steps = load(text(ROUNDS.replace("  cue:", "  body: [all_fours]\n  cue:", 1)
                          + "- pose: childs_pose\n  cue: Sit back.\n  hold: 20s\n")).steps
        assert steps[0].body == ("all_fours", "kneeling", "wrists", "floor")
        assert steps[1].body == steps[0].body and steps[1].position == "all_fours"

    @pytest.mark.parametrize("tags, message", [
        ("[knees]", "unknown tag 'knees'"),
        ("[supine, prone]", "needs exactly one position"),
        ("[wrists]", "needs exactly one position"),
        ("lying", "unknown tag 'lying'"),
    ])
    def test_bad_body_tags_are_explained(self, load, tags, message):
        """Unknown tags, or not exactly one position, are reported against the body field."""
        found = problems(load, text(ROUNDS.replace("  cue:", f"  body: {tags}\n  cue:", 1)))
        assert any("field 'body'" in p and message in p for p in found), found

    def test_chime_rest_and_easier_are_kept(self, load):
        """chime, rest and easier reach the step, with {side} filled in per side."""
        steps = load(text(sided("""\
            - pose: low_lunge
              cue: Lunge.
              easier: Keep the {side} knee soft.
              chime: true
              rest: true
              hold: 30s
        """))).steps
        assert [(s.chime, s.rest, s.easier) for s in steps[:2]] == [
            (True, True, "Keep the right knee soft."), (True, True, "Keep the left knee soft.")]
        assert (steps[2].chime, steps[2].rest, steps[2].easier) == (False, False, None)

    def test_a_rest_point_in_the_middle_of_a_side_is_refused(self, load):
        """Flow mode may not stop mid-side, so rest: true on any but a block's last step is an error."""
        found = problems(load, text(sided("""\
            - pose: reclined_hand_to_big_toe
              cue: Strap.
              hold: 30s
              rest: true
            - pose: figure_four
              cue: Cross.
              hold: 30s
        """)))
        assert any("step 1.1 (reclined_hand_to_big_toe)" in p and "cannot be mid-side" in p for p in found), found

    @pytest.mark.parametrize("field, value, message", [
        ("settle", "30s", "should be at most 20 s"),
        ("chime", "loud", "should be true or false"),
        ("reminders", "'no'", "should be true or false"),
    ])
    def test_bad_flags_and_settle_are_explained(self, load, field, value, message):
        """settle must be short, and the flags true or false."""
        found = problems(load, text(ROUNDS.replace("  cue:", f"  {field}: {value}\n  cue:", 1)))
        assert any(f"field '{field}'" in p and message in p for p in found), found

    def test_a_tempo_out_of_range_is_refused(self, load):
        """A 30 s inhale is no breath tempo."""
        found = problems(load, text(ROUNDS, head="inhale_seconds: 30\n"))
        assert any("field 'inhale_seconds'" in p and "from 2 to 10" in p for p in found), found
