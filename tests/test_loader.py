"""The class loader: every problem is one sentence naming file, step and field; valid classes expand as documented."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from conftest import SEQUENCES, TINY
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.classes import load_library, load_poses, parse_duration
from skill.errors import SequenceErrors
from skill.practice import prompts
from skill.practice.plan import Plan, total_seconds
from skill.practice.speech import Pace

BASE = TINY.format(minutes=8)
TOP = BASE[:BASE.index("\nsteps:\n") + 1]  # the class fields, without its steps
BRIDGE = "  - pose: bridge\n    cue: Lift the hips.\n    hold: 30s\n    optional: true\n"  # step 3 of TINY
STRAP = "2.1 (reclined_hand_to_big_toe)"  # the first step of TINY's sided block, as errors name it
DURATION_HINT = "write 45, '45s', '1m' or '1m30s'"
RANGE_HINT = "is out of range; holds run from 0 to 20 minutes"


def edit(text: str, old: str, new: str) -> str:
    """text with old replaced by new, failing loudly if old is not there exactly once."""
    assert text.count(old) == 1, f"{old!r} should appear exactly once in the class text"
    return text.replace(old, new)


def bridge(**changes: str | None) -> str:
    """TINY's bridge step with fields changed, added, or removed (None)."""
    fields: dict[str, str | None] = {"pose": "bridge", "cue": "Lift the hips.", "hold": "30s", "optional": "true"}
    fields.update(changes)
    return "  - " + "\n    ".join(f"{key}: {value}" for key, value in fields.items() if value is not None) + "\n"


def with_bridge(minutes: int = 9, **changes: str | None) -> str:
    """TINY (declaring minutes) with its bridge step changed."""
    return edit(TINY.format(minutes=minutes), BRIDGE, bridge(**changes))


def where(path: Path | str, step: str | None = None, field: str | None = None) -> str:
    """The start of an error sentence: 'path, step N (pose), field 'x': '."""
    parts = [str(path)] + ([f"step {step}"] if step else []) + ([f"field '{field}'"] if field else [])
    return ", ".join(parts) + ": "


def reported(errors, path, step, field, *words: str) -> list[str]:
    """The error sentences for that file, step and field holding every word; fails listing them all if none."""
    prefix = where(path, step, field)
    found = [str(e) for e in errors if str(e).startswith(prefix) and all(w in str(e)[len(prefix):] for w in words)]
    assert found, f"no error starting {prefix!r} with {words!r}; got:\n" + "\n".join(map(str, errors))
    return found


def about(errors, step, field) -> list[str]:
    """Every error naming exactly that step and field."""
    return [str(e) for e in errors if e.step == step and e.field == field]


@pytest.fixture
def errors_for(write_class, sequences_dir):
    """Write a class, load the folder, and return (path, errors); the load must fail with sentences only."""
    def load(text: str, name: str = "tiny.yaml"):
        path = write_class(text, name)
        with pytest.raises(SequenceErrors) as info:
            load_library(sequences_dir)
        assert info.value.errors, "SequenceErrors raised with no errors in it"
        assert "Traceback" not in str(info.value)
        assert str(info.value) == "\n".join(str(e) for e in info.value.errors)
        return path, info.value.errors
    return load


@pytest.fixture
def load_text(write_class, sequences_dir):
    """Write a class that must load, and return it."""
    def load(text: str):
        write_class(text)
        return load_library(sequences_dir).get("tiny")
    return load


class TestHelpers:
    def test_the_bridge_helper_writes_tinys_bridge_step(self):
        """The edits below only mean something if bridge() reproduces the step they replace."""
        assert bridge() == BRIDGE
        assert BASE.count(BRIDGE) == 1

    def test_tiny_as_written_loads(self, tiny):
        """The base every error case mutates is itself valid."""
        assert [p.id for p in tiny] == ["tiny"]


class TestStepErrors:
    @pytest.mark.parametrize("changes, step, field, message", [
        pytest.param({"pose": "bridg"}, "3 (bridg)", "pose",
                     "'bridg' is not in the pose catalog; did you mean 'bridge'?", id="unknown-pose-close"),
        pytest.param({"pose": "zzqxw"}, "3 (zzqxw)", "pose",
                     "'zzqxw' is not in the pose catalog; add it to sequences/poses.yaml first", id="unknown-pose-far"),
        pytest.param({"pose": None}, "3", "pose", "is missing", id="missing-pose"),
        pytest.param({"hold": "4 minutes"}, "3 (bridge)", "hold",
                     f"'4 minutes' is not a duration; {DURATION_HINT}", id="hold-4-minutes"),
        pytest.param({"hold": "abc"}, "3 (bridge)", "hold", f"'abc' is not a duration; {DURATION_HINT}",
                     id="hold-abc"),
        pytest.param({"hold": "-5"}, "3 (bridge)", "hold", f"-5 {RANGE_HINT}", id="hold-negative"),
        pytest.param({"hold": "true"}, "3 (bridge)", "hold", "True is not a duration", id="hold-true"),
        pytest.param({"hold": "25m"}, "3 (bridge)", "hold", f"'25m' {RANGE_HINT}", id="hold-over-20-minutes"),
        pytest.param({"hold": ".nan"}, "3 (bridge)", "hold", f"nan {RANGE_HINT}", id="hold-nan"),
        pytest.param({"hold": None}, "3 (bridge)", "hold",
                     "is missing; give a hold (like 45s) or a number of breaths", id="missing-hold"),
        pytest.param({"breaths": "5"}, "3 (bridge)", "breaths", "give hold or breaths, not both",
                     id="hold-and-breaths"),
        pytest.param({"hold": None, "breaths": "0"}, "3 (bridge)", "breaths",
                     "should be a whole number of breaths from 1 to 60", id="breaths-zero"),
        pytest.param({"hold": None, "breaths": "61"}, "3 (bridge)", "breaths",
                     "should be a whole number of breaths from 1 to 60", id="breaths-too-many"),
        pytest.param({"hold": None, "breaths": "2.5"}, "3 (bridge)", "breaths",
                     "should be a whole number of breaths from 1 to 60", id="breaths-fraction"),
        pytest.param({"hold": None, "breaths": "many"}, "3 (bridge)", "breaths",
                     "should be a whole number of breaths from 1 to 60", id="breaths-word"),
        pytest.param({"hold": None, "breaths": "true"}, "3 (bridge)", "breaths",
                     "should be a whole number of breaths from 1 to 60", id="breaths-true"),
        pytest.param({"floor": "40s"}, "3 (bridge)", "floor", "40 s is longer than the hold of 30 s",
                     id="floor-longer-than-hold"),
        pytest.param({"floor": "soon"}, "3 (bridge)", "floor", f"'soon' is not a duration; {DURATION_HINT}",
                     id="floor-not-a-duration"),
        pytest.param({"floor": "-1"}, "3 (bridge)", "floor", f"-1 {RANGE_HINT}", id="floor-negative"),
        pytest.param({"cue": None}, "3 (bridge)", "cue", "is missing", id="missing-cue"),
        pytest.param({"cue": "''"}, "3 (bridge)", "cue", "should be text", id="empty-cue"),
        pytest.param({"cue": "'   '"}, "3 (bridge)", "cue", "should be text", id="blank-cue"),
        pytest.param({"cue": "5"}, "3 (bridge)", "cue", "should be text", id="cue-number"),
        pytest.param({"cue": "[Lift, the hips]"}, "3 (bridge)", "cue", "should be text", id="cue-list"),
        pytest.param({"options": "5"}, "3 (bridge)", "options", "should be a list of sentences", id="options-number"),
        pytest.param({"breath": "[Inhale, 3]"}, "3 (bridge)", "breath", "should be a list of sentences",
                     id="breath-not-text"),
        pytest.param({"optional": "sometimes"}, "3 (bridge)", "optional", "should be true or false",
                     id="optional-not-bool"),
        pytest.param({"hold": None, "hlod": "30s"}, "3 (bridge)", "hlod", "unknown field; did you mean 'hold'?",
                     id="unknown-field-hlod"),
        pytest.param({"optional": None, "optinal": "true"}, "3 (bridge)", "optinal",
                     "unknown field; did you mean 'optional'?", id="unknown-field-optinal"),
        pytest.param({"colour": "blue"}, "3 (bridge)", "colour", "unknown field; known fields are "
                     "body, breath, breaths, chime, cue, easier, final, floor, hold, optional, options, pose, "
                     "reminders, rest, rounds, settle", id="unknown-field-far"),
    ])
    def test_a_bad_step_names_file_step_and_field(self, errors_for, changes, step, field, message):
        """Each step problem is one sentence: the path, the step and pose, the field, then what is wrong."""
        path, errors = errors_for(with_bridge(**changes))
        assert where(path, step, field) + message in map(str, errors)

    def test_a_bad_floor_is_not_also_compared_with_a_bad_hold(self, errors_for):
        """Only the hold is reported when it is broken, not a floor 'longer' than the hold it could not read."""
        path, errors = errors_for(with_bridge(hold="abc", floor="20s"))
        reported(errors, path, "3 (bridge)", "hold", "'abc' is not a duration")
        assert about(errors, "3 (bridge)", "floor") == []


class TestPlaceholders:
    @pytest.mark.parametrize("changes, field, message", [
        pytest.param({"cue": "Lift the {sid} hip."}, "cue", "unknown placeholder {sid}; use {side} or {other_side}",
                     id="unknown-in-cue"),
        pytest.param({"cue": "Lift the {side} hip."}, "cue", "{side} is only allowed inside a block with sides",
                     id="side-outside-block"),
        pytest.param({"cue": "'{Other_side} hand down.'"}, "cue",
                     "{Other_side} is only allowed inside a block with sides", id="capitalised-outside-block"),
        pytest.param({"options": "['Reach the {other_side} arm.']"}, "options",
                     "{other_side} is only allowed inside a block with sides", id="side-in-options"),
        pytest.param({"breath": "['Inhale, {sid} rises.']"}, "breath",
                     "unknown placeholder {sid}; use {side} or {other_side}", id="unknown-in-breath"),
    ])
    def test_a_placeholder_out_of_place_is_named(self, errors_for, changes, field, message):
        """Unknown placeholders and side placeholders outside a sided block are errors on that field."""
        path, errors = errors_for(with_bridge(**changes))
        assert where(path, "3 (bridge)", field) + message in map(str, errors)

    def test_a_placeholder_used_twice_is_reported_once(self, errors_for):
        """The same wrong placeholder twice in one cue is one sentence, not two."""
        path, errors = errors_for(with_bridge(cue="'{side} knee, {side} hand.'"))
        assert about(errors, "3 (bridge)", "cue") == [
            where(path, "3 (bridge)", "cue") + "{side} is only allowed inside a block with sides"]

    def test_an_unknown_placeholder_inside_a_sided_block_is_named(self, errors_for):
        """{sid} in a sided block's step is still unknown, and named by the block step's number."""
        text = edit(BASE, "Strap around the {side} foot", "Strap around the {sid} foot")
        path, errors = errors_for(text)
        reported(errors, path, STRAP, "cue", "unknown placeholder {sid}; use {side} or {other_side}")

    def test_an_unknown_placeholder_in_the_switch_is_named(self, errors_for):
        """The switch text is checked like a cue, under the block's name."""
        text = edit(BASE, "    sides: [right, left]\n", "    sides: [right, left]\n    switch: Now the {sied} leg.\n")
        path, errors = errors_for(text)
        reported(errors, path, "2 (block 'Strap series')", "switch", "unknown placeholder {sied}")

    @pytest.mark.parametrize("field", ["title", "intro", "closing"])
    def test_placeholders_in_class_texts_are_errors(self, errors_for, field):
        """Title, intro and closing are outside any sided block, so {side} and unknown names fail there."""
        line = next(line for line in BASE.splitlines() if line.startswith(f"{field}: "))
        path, errors = errors_for(edit(BASE, line, f"{line} {{side}} and {{sid}}."))
        reported(errors, path, None, field, "{side} is only allowed inside a block with sides")
        reported(errors, path, None, field, "unknown placeholder {sid}")


class TestBlocks:
    @pytest.mark.parametrize("sides", ["[right, right]", "[front, back]", "[left]", "[right, left, right]", "right",
                                       "[right, 1]", "[{right: 1}, left]", "[]"])
    def test_sides_other_than_right_and_left_fail(self, errors_for, sides):
        """Only [right, left] or [left, right] are sides; anything else is named on the block, never a crash."""
        path, errors = errors_for(edit(BASE, "sides: [right, left]", f"sides: {sides}"))
        reported(errors, path, "2 (block 'Strap series')", "sides", "should be [right, left] or [left, right]")

    def test_a_switch_without_sides_fails(self, errors_for):
        """A switch means nothing in a block that is practised once."""
        text = edit(BASE, "    sides: [right, left]\n", "    switch: Now the other leg.\n")
        path, errors = errors_for(text)
        reported(errors, path, "2 (block 'Strap series')", "switch", "is only for a block with sides")

    def test_a_block_inside_a_block_fails(self, errors_for):
        """Blocks hold steps only; the nested block is named by its place in the outer block."""
        text = edit(BASE, "        optional: true\n",
                    "        optional: true\n      - block: Inner\n        steps:\n          - pose: bridge\n")
        path, errors = errors_for(text)
        reported(errors, path, "2.3", None, "should be a step with pose and cue; blocks cannot hold blocks")

    @pytest.mark.parametrize("steps", ["[]", "", "a step"])
    def test_a_block_with_no_steps_fails(self, errors_for, steps):
        """A block must hold a list of at least one step."""
        text = edit(BASE, BRIDGE, f"  - block: Empty\n    steps: {steps}\n" + BRIDGE)
        path, errors = errors_for(text)
        reported(errors, path, "3 (block 'Empty')", "steps", "should be a list of steps")

    def test_a_block_needs_a_name(self, errors_for):
        """The block key must carry a name."""
        path, errors = errors_for(edit(BASE, "block: Strap series", "block:"))
        reported(errors, path, "2 (block None)", "block", "is missing")

    def test_an_unknown_block_field_suggests_the_known_one(self, errors_for):
        """'side' on a block is caught with a hint, as on a step."""
        path, errors = errors_for(edit(BASE, "sides: [right, left]", "side: [right, left]"))
        reported(errors, path, "2 (block 'Strap series')", "side", "unknown field; did you mean 'sides'?")

    def test_an_item_that_is_neither_step_nor_block_fails(self, errors_for):
        """A bare word in the steps list is named by its number."""
        path, errors = errors_for(edit(BASE, BRIDGE, "  - just breathe\n" + BRIDGE))
        reported(errors, path, "3", None, "should be a step (with pose and cue) or a block")


class TestSidedErrorsOnce:
    @pytest.mark.parametrize("old, new, step, field", [
        pytest.param("Strap around the {side} foot", "Strap around the {sid} foot", STRAP, "cue", id="placeholder"),
        pytest.param("        hold: 60s\n", "        hold: abc\n", STRAP, "hold", id="hold"),
        pytest.param("        floor: 20s\n", "        floor: 90s\n", STRAP, "floor", id="floor"),
        pytest.param("        floor: 20s\n", "        floor: 20s\n        hlod: 1m\n", STRAP, "hlod",
                     id="unknown-field"),
        pytest.param("pose: reclined_hand_to_big_toe", "pose: reclined_hand_to_big_to",
                     "2.1 (reclined_hand_to_big_to)", "pose", id="pose"),
        pytest.param("        floor: 20s\n", "        floor: 20s\n        final: true\n", STRAP, "final", id="final"),
    ])
    def test_a_sided_step_error_is_reported_once_not_per_side(self, errors_for, old, new, step, field):
        """The block is written once, so its problems are reported once, not once per side."""
        path, errors = errors_for(edit(BASE, old, new))
        assert len(about(errors, step, field)) == 1, "\n".join(map(str, errors))
        assert len(errors) == 1, "\n".join(map(str, errors))


class TestFinal:
    def test_no_final_step_fails(self, errors_for):
        """A class needs its final relaxation."""
        path, errors = errors_for(edit(BASE, "    final: true\n", ""))
        assert where(path, None, "final") + (
            "exactly one step needs final: true (the final relaxation); found none") in map(str, errors)

    def test_two_final_steps_fail_naming_both(self, errors_for):
        """Two final relaxations are one error that names both steps."""
        path, errors = errors_for(edit(BASE, "    hold: 10s\n", "    hold: 10s\n    final: true\n"))
        reported(errors, path, None, "final", "exactly one step needs final: true", "4 (savasana)",
                 "5 (seated_close)")

    @pytest.mark.parametrize("old, new, step", [
        pytest.param("    final: true\n", "    final: true\n    optional: true\n", "4 (savasana)", id="optional"),
        pytest.param("        floor: 20s\n", "        floor: 20s\n        final: true\n", STRAP, id="in-sided-block"),
    ])
    def test_a_final_step_cannot_be_optional_or_sided(self, errors_for, old, new, step):
        """Shorter never drops the final relaxation, and it happens once, so it is neither optional nor sided."""
        path, errors = errors_for(edit(BASE, old, new))
        reported(errors, path, step, "final", "the final relaxation cannot be optional or inside a block with sides")

    def test_final_must_be_true_or_false(self, errors_for):
        """final: yes-please is not a flag."""
        path, errors = errors_for(edit(BASE, "    final: true\n", "    final: at the end\n"))
        reported(errors, path, "4 (savasana)", "final", "should be true or false")


class TestClassFields:
    @pytest.mark.parametrize("old, new, field, message", [
        pytest.param("level: gentle", "level: fierce", "level", "should be one of gentle, beginner, intermediate",
                     id="level"),
        pytest.param("minutes: 8", "minutes: 0", "minutes", "should be a whole number of minutes from 1 to 180",
                     id="minutes-zero"),
        pytest.param("minutes: 8", "minutes: forty", "minutes", "should be a whole number of minutes from 1 to 180",
                     id="minutes-word"),
        pytest.param("minutes: 8", "minutes: true", "minutes", "should be a whole number of minutes from 1 to 180",
                     id="minutes-true"),
        pytest.param("minutes: 8", "minutes: 8.5", "minutes", "should be a whole number of minutes from 1 to 180",
                     id="minutes-fraction"),
        pytest.param("minutes: 8", "minutes: 181", "minutes", "should be a whole number of minutes from 1 to 180",
                     id="minutes-too-long"),
        pytest.param("focus: [testing, hips]", "focus: []", "focus", "needs at least one", id="focus-empty"),
        pytest.param("focus: [testing, hips]", "focus: 7", "focus", "should be a list of words", id="focus-number"),
        pytest.param("props: [a mat, a strap]", "props: [a mat, 3]", "props", "should be a list of words",
                     id="props-not-words"),
        pytest.param("props: [a mat, a strap]", "props: {mat: 1}", "props", "should be a list of words",
                     id="props-mapping"),
        pytest.param("id: tiny", "id: Low Back", "id", "needs lowercase letters, digits and _ (like low_back_release)",
                     id="id-with-capitals-and-space"),
        pytest.param("id: tiny", "id: 7up", "id", "needs lowercase letters, digits and _ (like low_back_release)",
                     id="id-starting-with-digit"),
        pytest.param("title: Tiny Flow", "title: ''", "title", "should be text", id="title-empty"),
        pytest.param("level: gentle", "level: gentle\nbreath_seconds: 1", "breath_seconds",
                     "should be a number of seconds from 2 to 20", id="breath-seconds"),
        pytest.param("level: gentle", "level: gentle\nititle: x", "ititle", "unknown field; did you mean 'title'?",
                     id="unknown-top-level-close"),
        pytest.param("level: gentle", "level: gentle\ncolour: blue", "colour",
                     "unknown field; known fields are aliases, breath_seconds, closing, exhale_seconds, focus, id, "
                     "inhale_seconds, intro, level, minutes, props, steps, title", id="unknown-top-level-far"),
    ])
    def test_a_bad_class_field_is_named(self, errors_for, old, new, field, message):
        """Class-level problems name the file and the field, with no step."""
        path, errors = errors_for(edit(BASE, old, new))
        assert where(path, None, field) + message in map(str, errors)

    @pytest.mark.parametrize("steps", ["[]", "", "{pose: bridge}"])
    def test_steps_must_be_a_non_empty_list(self, errors_for, steps):
        """A class with no list of steps is named on its steps field."""
        path, errors = errors_for(TOP + f"steps: {steps}\n")
        assert where(path, None, "steps") + "should be a list of steps and blocks" in map(str, errors)

    @pytest.mark.parametrize("field", ["id", "title", "minutes", "level", "focus", "props", "intro", "closing",
                                       "steps"])
    def test_each_missing_class_field_is_named_once(self, errors_for, field):
        """A missing top-level field is one sentence, 'is missing', and nothing more about that field."""
        if field == "steps":
            text = TOP
        else:
            line = next(line for line in BASE.splitlines(keepends=True) if line.startswith(f"{field}: "))
            text = edit(BASE, line, "")
        path, errors = errors_for(text)
        assert about(errors, None, field) == [where(path, None, field) + "is missing"]

    def test_several_problems_are_all_reported_together(self, errors_for):
        """An author sees every problem in one pass, in class fields, top-level steps and blocks alike."""
        text = edit(with_bridge(pose="bridg"), "level: gentle", "level: fierce")
        text = edit(text, "    hold: 60s\n    rest: true\n  - block", "    hold: 4 minutes\n    rest: true\n  - block")
        text = edit(text, "Strap around the {side} foot", "Strap around the {sid} foot")
        text = edit(text, "    hold: 10s\n", "    hold: 10s\n    hlod: 5s\n")
        path, errors = errors_for(text)
        reported(errors, path, None, "level", "should be one of")
        reported(errors, path, "1 (knees_to_chest)", "hold", "'4 minutes' is not a duration")
        reported(errors, path, STRAP, "cue", "unknown placeholder {sid}")
        reported(errors, path, "3 (bridg)", "pose", "did you mean 'bridge'?")
        reported(errors, path, "5 (seated_close)", "hlod", "did you mean 'hold'?")
        assert len(errors) == 5, "\n".join(map(str, errors))


class TestDeclaredLength:
    @pytest.fixture
    def computed(self, tiny) -> float:
        """What TINY adds up to, in minutes."""
        practice = tiny.get("tiny")
        return total_seconds(practice, Plan.full(practice), Pace()) / 60

    def test_far_from_the_computed_length_fails(self, errors_for, computed):
        """minutes: 30 for a class of about 8 minutes is named with both numbers."""
        path, errors = errors_for(TINY.format(minutes=30))
        assert [str(e) for e in errors] == [
            where(path, None, "minutes") + f"declares 30 minutes but the class adds up to {computed:.1f} minutes, "
            "more than 10% away; adjust the holds or the declared length"]

    def test_just_outside_ten_percent_fails(self, errors_for, computed):
        """The first whole minute beyond 10 % either side is refused."""
        for minutes in (math.floor(computed * 1.1) + 1, math.ceil(computed * 0.9) - 1):
            path, errors = errors_for(TINY.format(minutes=minutes))
            reported(errors, path, None, "minutes", f"declares {minutes} minutes", "more than 10% away")

    def test_just_inside_ten_percent_loads(self, load_text, computed):
        """The last whole minute within 10 % either side still loads."""
        for minutes in (math.floor(computed * 1.1), math.ceil(computed * 0.9)):
            assert abs(minutes - computed) <= 0.1 * computed
            assert load_text(TINY.format(minutes=minutes)).minutes == minutes


class TestFiles:
    def test_a_yaml_syntax_error_names_line_and_column(self, errors_for):
        """Broken YAML says where, so the author can find it."""
        path, errors = errors_for(edit(BASE, "level: gentle", "  level: gentle"))
        assert len(errors) == 1
        reported(errors, path, None, None, "line 4, column 8: not valid YAML", "mapping values are not allowed")

    @pytest.mark.parametrize("text", ["- id: tiny\n- title: Tiny\n", "", "just words\n"])
    def test_a_file_that_is_not_a_mapping_fails(self, errors_for, text):
        """A class file is a mapping; a list, nothing or a bare string is named as such."""
        path, errors = errors_for(text)
        assert [str(e) for e in errors] == [where(path) + "should be a mapping with id, title, minutes and steps"]

    def test_an_empty_sequences_folder_fails(self, sequences_dir):
        """A folder with only poses.yaml holds no class, and says so."""
        with pytest.raises(SequenceErrors) as info:
            load_library(sequences_dir)
        assert [str(e) for e in info.value.errors] == [where(sequences_dir) + "holds no class files (*.yaml)"]

    def test_a_duplicate_class_id_names_both_files(self, write_class, sequences_dir):
        """Two files claiming one id: the second is named, and so is the first."""
        first = write_class(BASE, "a_tiny.yaml")
        second = write_class(BASE, "b_tiny.yaml")
        with pytest.raises(SequenceErrors) as info:
            load_library(sequences_dir)
        assert [str(e) for e in info.value.errors] == [
            where(second, None, "id") + f"duplicate id 'tiny', already used by {first}"]

    def test_a_bad_file_does_not_hide_a_good_ones_problems(self, write_class, sequences_dir):
        """Problems in several files come back together."""
        first = write_class(with_bridge(pose="bridg"), "a.yaml")
        second = write_class(edit(BASE.replace("id: tiny", "id: other"), "level: gentle", "level: x"), "b.yaml")
        with pytest.raises(SequenceErrors) as info:
            load_library(sequences_dir)
        reported(info.value.errors, first, "3 (bridg)", "pose", "is not in the pose catalog")
        reported(info.value.errors, second, None, "level", "should be one of")


class TestPoseCatalog:
    @pytest.fixture
    def catalog(self, sequences_dir) -> Path:
        return sequences_dir / "poses.yaml"

    def test_a_duplicate_pose_id_is_named(self, catalog):
        """Two catalog entries with one id: the second is named by its number and id."""
        count = len(yaml.safe_load(catalog.read_text(encoding="utf-8")))
        with catalog.open("a", encoding="utf-8") as out:
            out.write("- {id: bridge, name: Bridge Again}\n")
        with pytest.raises(SequenceErrors) as info:
            load_poses(catalog)
        assert [str(e) for e in info.value.errors] == [
            where(catalog, f"{count + 1} (bridge)", "id") + "duplicate id 'bridge'"]

    @pytest.mark.parametrize("entry, step, field, message", [
        ("{id: floaty}", "{n} (floaty)", "name", "is missing; every pose needs a spoken name"),
        ("{id: Floaty, name: Floaty}", "{n}", "id", "needs lowercase letters, digits and _"),
        ("{id: floaty, name: Floaty, nmae: x}", "{n}", "nmae", "unknown field; did you mean 'name'?"),
        ("just a word", "{n}", None, "should be a mapping with id and name"),
    ])
    def test_a_bad_pose_entry_is_named(self, catalog, entry, step, field, message):
        """Every catalog problem names the entry's number and the field."""
        count = len(yaml.safe_load(catalog.read_text(encoding="utf-8")))
        with catalog.open("a", encoding="utf-8") as out:
            out.write(f"- {entry}\n")
        with pytest.raises(SequenceErrors) as info:
            load_poses(catalog)
        assert where(catalog, step.format(n=count + 1), field) + message in map(str, info.value.errors)

    def test_a_catalog_that_is_not_a_list_fails(self, catalog):
        """The catalog is a list of poses."""
        catalog.write_text("bridge: Bridge\n", encoding="utf-8")
        with pytest.raises(SequenceErrors) as info:
            load_poses(catalog)
        assert [str(e) for e in info.value.errors] == [where(catalog) + "should be a list of poses"]


class TestParseDuration:
    @pytest.mark.parametrize("value, seconds", [
        (45, 45), ("45", 45), ("45s", 45), ("1m", 60), ("1m30s", 90), ("90 s", 90), ("2 min", 120), (1.5, 2), (0, 0),
        ("1m 30s", 90), ("30 sec", 30), ("20m", 1200), (" 45s ", 45), ("1.5m", 90), ("1M", 60),
    ])
    def test_written_durations_become_whole_seconds(self, value, seconds):
        """Every documented way of writing a hold gives whole seconds."""
        result = parse_duration(value)
        assert result == seconds
        assert type(result) is int

    @pytest.mark.parametrize("value, reason", [
        ("4 minutes", "is not a duration"), ("abc", "is not a duration"), ("", "is not a duration"),
        ("m", "is not a duration"), (-5, "is out of range"), (True, "is not a duration"),
        ("25m", "is out of range"), (1201, "is out of range"), (float("nan"), "is out of range"),
        (float("inf"), "is out of range"), (None, "is not a duration"), ([45], "is not a duration"),
    ])
    def test_anything_else_is_refused_with_a_reason(self, value, reason):
        """Bad durations raise ValueError saying what is wrong."""
        with pytest.raises(ValueError, match=reason):
            parse_duration(value)

    @settings(deadline=None)  # a busy machine must not fail a pure function on time
    @given(minutes=st.integers(0, 19), seconds=st.integers(0, 59))
    def test_minutes_and_seconds_add_up(self, minutes, seconds):
        """'XmYs' is X minutes and Y seconds, however it is spaced."""
        assert parse_duration(f"{minutes}m{seconds}s") == minutes * 60 + seconds
        assert parse_duration(f"{minutes} min {seconds} sec") == minutes * 60 + seconds


class TestSides:
    def keyed(self, practice):
        return [(s.pose.id, s.side) for s in practice.steps]

    def test_a_sided_block_is_practised_right_then_left(self, tiny):
        """All the block's steps on the right, then all of them again on the left, in written order."""
        assert self.keyed(tiny.get("tiny")) == [
            ("knees_to_chest", None),
            ("reclined_hand_to_big_toe", "right"), ("reclined_leg_open", "right"),
            ("reclined_hand_to_big_toe", "left"), ("reclined_leg_open", "left"),
            ("bridge", None), ("savasana", None), ("seated_close", None),
        ]

    def test_placeholders_are_filled_per_side(self, tiny):
        """{side} and {other_side} become the side practised and its opposite."""
        cues = [s.cue for s in tiny.get("tiny").steps if s.side]
        assert cues == [
            "Strap around the right foot, left leg long.", "Let the right leg open to the right.",
            "Strap around the left foot, right leg long.", "Let the left leg open to the left.",
        ]

    def test_capitalised_placeholders_start_a_sentence(self, load_text):
        """{Side} and {Other_side} give the side with a capital, in cues, options and breath cues."""
        text = edit(BASE, "        floor: 20s\n", "        floor: 20s\n"
                    "        options: ['{Side} hand on the strap.']\n        breath: ['{Other_side} leg heavy.']\n")
        text = edit(text, "Strap around the {side} foot, {other_side} leg long.",
                    "'{Side} foot in the strap. {Other_side} leg long.'")
        steps = [s for s in load_text(text).steps if s.pose.id == "reclined_hand_to_big_toe"]
        assert [(s.cue, s.options, s.breath) for s in steps] == [
            ("Right foot in the strap. Left leg long.", ("Right hand on the strap.",), ("Left leg heavy.",)),
            ("Left foot in the strap. Right leg long.", ("Left hand on the strap.",), ("Right leg heavy.",)),
        ]

    def test_lead_ins_open_each_side_with_the_default_switch(self, tiny):
        """The first side is announced; without a switch the second gets the default 'other side' words."""
        leads = [(s.side, s.lead_in) for s in tiny.get("tiny").steps if s.side]
        assert leads == [("right", prompts.first_side("right")), ("right", None),
                         ("left", prompts.switch_sides("left")), ("left", None)]
        assert prompts.switch_sides("left").startswith("Now the other side")
        assert all(s.lead_in is None for s in tiny.get("tiny").steps if not s.side)

    def test_the_blocks_switch_leads_into_the_second_side(self, load_text):
        """A written switch replaces the default, with {side} as the side about to start."""
        text = edit(BASE, "    sides: [right, left]\n",
                    "    sides: [right, left]\n    switch: Hug both knees, then keep the {side} knee close.\n")
        leads = [s.lead_in for s in load_text(text).steps if s.side]
        assert leads == [prompts.first_side("right"), None, "Hug both knees, then keep the left knee close.", None]

    def test_sides_may_start_on_the_left(self, load_text):
        """sides: [left, right] practises the left first and announces it."""
        practice = load_text(edit(BASE, "sides: [right, left]", "sides: [left, right]"))
        sided = [s for s in practice.steps if s.side]
        assert [s.side for s in sided] == ["left", "left", "right", "right"]
        assert sided[0].lead_in == prompts.first_side("left")
        assert sided[0].cue == "Strap around the left foot, right leg long."

    def test_mirrored_steps_share_a_group_and_each_side_is_its_own_unit(self, tiny):
        """Shorter drops a group on both sides together; flow mode may pause between sides."""
        steps = [s for s in tiny.get("tiny").steps if s.side]
        right, left = steps[:2], steps[2:]
        assert [s.group for s in right] == [s.group for s in left]
        assert len({s.group for s in right}) == 2
        assert len({s.unit for s in right}) == 1 and len({s.unit for s in left}) == 1
        assert right[0].unit != left[0].unit
        assert [s.optional for s in right] == [s.optional for s in left] == [False, True]

    def test_steps_are_indexed_and_labelled_in_order(self, tiny):
        """Each expanded step knows its place and says which side it is in its label."""
        steps = tiny.get("tiny").steps
        assert [s.index for s in steps] == list(range(len(steps)))
        assert steps[3].label == "2.1 (reclined_hand_to_big_toe, left)"
        assert steps[0].label == "1 (knees_to_chest)"


class TestHoldsAndFloors:
    def test_the_default_floor_is_half_the_hold(self, tiny):
        """Without floor, shorter may halve a hold (rounded down); a written floor is kept."""
        floors = {(s.pose.id, s.side): (s.hold, s.floor) for s in tiny.get("tiny").steps}
        assert floors[("knees_to_chest", None)] == (60, 30)
        assert floors[("reclined_leg_open", "left")] == (45, 22)
        assert floors[("reclined_hand_to_big_toe", "right")] == (60, 20)
        assert floors[("savasana", None)] == (120, 60)

    @pytest.mark.parametrize("extra, hold", [("", 30), ("breath_seconds: 8\n", 40), ("breath_seconds: 4.5\n", 22)])
    def test_breaths_times_breath_seconds_is_the_hold(self, load_text, extra, hold):
        """breaths: 5 lasts five slow breaths of breath_seconds each (6 unless the class says otherwise)."""
        text = edit(with_bridge(8, hold=None, breaths="5"), "level: gentle\n", "level: gentle\n" + extra)
        bridge_step = next(s for s in load_text(text).steps if s.pose.id == "bridge")
        assert (bridge_step.hold, bridge_step.floor) == (hold, hold // 2)

    def test_a_hold_of_zero_is_a_pure_transition(self, load_text):
        """hold: 0 loads, with a floor of 0."""
        bridge_step = next(s for s in load_text(with_bridge(8, hold="0")).steps if s.pose.id == "bridge")
        assert (bridge_step.hold, bridge_step.floor) == (0, 0)


class TestRealCatalog:
    def test_the_fixture_catalog_is_the_real_one(self, sequences_dir):
        """Tests above write classes against the real poses.yaml."""
        assert load_poses(sequences_dir / "poses.yaml") == load_poses(SEQUENCES / "poses.yaml")
