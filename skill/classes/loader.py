"""Classes from YAML: validated whole, every problem a sentence that names file, step and field."""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from skill.classes.fields import ID, parse_duration, read_yaml, texts, unknown_fields
from skill.classes.poses import load_poses
from skill.classes.teaching import read_body, read_flags, read_rounds, read_settle, rounds_hold
from skill.errors import SequenceError, SequenceErrors
from skill.practice import prompts
from skill.practice.model import SIDES, Library, Pose, Practice, Step
from skill.practice.plan import Plan, total_seconds
from skill.practice.speech import Pace

CLASS_FIELDS = {"id", "title", "minutes", "level", "focus", "props", "intro", "closing", "steps"}
CLASS_OPTIONAL = {"aliases", "breath_seconds", "inhale_seconds", "exhale_seconds"}
STEP_FIELDS = {"pose", "cue", "hold", "breaths", "floor", "options", "breath", "optional", "final",
               "rounds", "settle", "reminders", "chime", "rest", "easier", "body"}
BLOCK_FIELDS = {"block", "sides", "switch", "steps"}
LEVELS = ("gentle", "beginner", "intermediate")
SIDE_PLACEHOLDERS = {"side", "other_side", "Side", "Other_side"}
TOLERANCE = 0.10  # declared minutes may differ from the computed length by this share
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class _ClassReader:
    """Reads one class file, collecting every problem instead of stopping at the first."""

    def __init__(self, path: Path, poses: dict[str, Pose], cache: Path | None = None) -> None:
        self.path, self.where, self.poses, self.cache = path, str(path), poses, cache
        self.errors: list[SequenceError] = []
        self.steps: list[Step] = []
        self.unit = 0
        self.tempo = (4.0, 5.0)  # seconds of one inhale and one exhale, for breath-paced rounds
        self.body: tuple[str, ...] = ()  # the last body tags given: a step without its own keeps them
        self.bodies: dict[int, tuple[str, ...]] = {}  # each raw step's tags, read once for both sides

    def error(self, message: str, step: str | None = None, field: str | None = None) -> None:
        if step is None and any(e.step is None and e.field == field and e.message == "is missing" for e in self.errors):
            return  # a missing class-level field is reported once, with nothing more about it
        self.errors.append(SequenceError(self.where, message, step=step, field=field))

    def text(self, mapping: dict, key: str, step: str | None, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error("is missing" if value is None else "should be text", step, key)
            return ""
        return " ".join(value.split())

    def fill(self, text: str, side: str | None, step: str | None, key: str) -> str:
        """Placeholders replaced for side; unknown or out-of-place ones are errors."""
        for name in dict.fromkeys(_PLACEHOLDER.findall(text)):  # each placeholder reported once
            if name not in SIDE_PLACEHOLDERS:
                self.error(f"unknown placeholder {{{name}}}; use {{side}} or {{other_side}}", step, key)
            elif side is None:
                self.error(f"{{{name}}} is only allowed inside a block with sides", step, key)
        if side is None:
            return text
        other = SIDES[1 - SIDES.index(side)]
        for name, value in (("side", side), ("other_side", other)):
            text = text.replace(f"{{{name}}}", value).replace("{" + name.capitalize() + "}", value.capitalize())
        return text

    def read(self) -> Practice | None:
        data = read_yaml(self.path, self.cache)
        if not isinstance(data, dict):
            self.error("should be a mapping with id, title, minutes and steps")
            return None
        self.errors += unknown_fields(data, CLASS_FIELDS | CLASS_OPTIONAL, self.where, None)
        for key in sorted(CLASS_FIELDS - set(data)):
            self.error("is missing", None, key)
        practice_id, minutes = self.practice_id(data), self.minutes(data)
        if data.get("level") not in LEVELS:
            self.error(f"should be one of {', '.join(LEVELS)}", None, "level")
        lists = self.lists(data)
        breath_seconds = self.seconds(data, "breath_seconds", 6, 20)
        self.tempo = (self.seconds(data, "inhale_seconds", 4, 10), self.seconds(data, "exhale_seconds", 5, 10))
        self.items(data.get("steps"), breath_seconds)
        # spoken outside any sided block, so placeholders there are errors
        title, intro, closing = (self.fill(self.text(data, k, None), None, None, k)
                                 for k in ("title", "intro", "closing"))
        if self.errors or practice_id is None or minutes is None:
            return None
        practice = Practice(
            id=practice_id, title=title, minutes=minutes, level=data["level"], focus=lists["focus"],
            props=lists["props"], intro=intro, closing=closing, steps=tuple(self.steps), aliases=lists["aliases"],
            source=self.where,
        )
        return practice if self.adds_up(practice) else None

    def practice_id(self, data: dict[str, Any]) -> str | None:
        practice_id = data.get("id")
        if not isinstance(practice_id, str) or not ID.match(practice_id):
            self.error("needs lowercase letters, digits and _ (like low_back_release)", None, "id")
            return None
        return practice_id

    def minutes(self, data: dict[str, Any]) -> int | None:
        minutes = data.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 180:
            self.error("should be a whole number of minutes from 1 to 180", None, "minutes")
            return None
        return minutes

    def lists(self, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        """focus (at least one), props and aliases: each a list of words."""
        lists = {}
        for key in ("focus", "props", "aliases"):
            value = texts(data.get(key, []))
            if value is None or (key == "focus" and not value):
                self.error("should be a list of words" if value is None else "needs at least one", None, key)
            lists[key] = value or ()
        return lists

    def seconds(self, data: dict[str, Any], key: str, default: int, most: int) -> float:
        """A class-wide number of seconds from 2 to most; the default when it is absent or wrong."""
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 2 <= value <= most:
            self.error(f"should be a number of seconds from 2 to {most}", None, key)
            return float(default)
        return float(value)

    def items(self, items: Any, breath_seconds: float) -> None:
        """The class's steps and blocks, then the check that exactly one step is the final relaxation."""
        if not isinstance(items, list) or not items:
            self.error("should be a list of steps and blocks", None, "steps")
            items = []
        for number, item in enumerate(items, 1):
            self.item(item, str(number), breath_seconds)
        finals = [s for s in self.steps if s.final]
        if len(finals) != 1 and self.steps:
            found = ", ".join(s.label for s in finals) or "none"
            self.error(f"exactly one step needs final: true (the final relaxation); found {found}", None, "final")

    def adds_up(self, practice: Practice) -> bool:
        """Whether the declared minutes are within TOLERANCE of what the steps add up to; an error if not."""
        computed = total_seconds(practice, Plan.full(practice), Pace()) / 60
        if abs(practice.minutes - computed) > TOLERANCE * computed:
            self.error(f"declares {practice.minutes} minutes but the class adds up to {computed:.1f} minutes, more "
                       f"than {TOLERANCE:.0%} away; adjust the holds or the declared length", None, "minutes")
            return False
        return True

    def item(self, item: Any, number: str, breath_seconds: float) -> None:
        if isinstance(item, dict) and "block" in item:
            self.block(item, number, breath_seconds)
        elif isinstance(item, dict):
            self.unit += 1
            self.step(item, number, breath_seconds, side=None, group=f"s{number}", lead_in=None)
        else:
            self.error("should be a step (with pose and cue) or a block", number)

    def block(self, block: dict[str, Any], number: str, breath_seconds: float) -> None:
        label = f"{number} (block {block.get('block')!r})"
        self.errors += unknown_fields(block, BLOCK_FIELDS, self.where, label)
        self.text(block, "block", label)
        sides = block.get("sides")
        if sides is not None and sides not in (list(SIDES), list(SIDES)[::-1]):
            self.error("should be [right, left] or [left, right]", label, "sides")
            sides = None
        steps = block.get("steps")
        if not isinstance(steps, list) or not steps:
            self.error("should be a list of steps", label, "steps")
            return
        switch = self.text(block, "switch", label, required=False)
        if switch and not sides:
            self.error("is only for a block with sides", label, "switch")
        if sides:
            self.rests_between_sides(steps, number)
        for turn, side in enumerate(sides or [None]):
            self.unit += 1
            lead = self.lead(turn, side, switch, label)
            for k, step in enumerate(steps, 1):
                if not isinstance(step, dict) or "block" in step:
                    if turn == 0:
                        self.error("should be a step with pose and cue; blocks cannot hold blocks", f"{number}.{k}")
                    continue
                quiet = turn > 0  # the second side repeats the first: report its problems once
                self.step(step, f"{number}.{k}", breath_seconds, side, f"b{number}.{k}", lead if k == 1 else None,
                          quiet=quiet, switch=turn > 0 and k == 1)

    def rests_between_sides(self, steps: list[Any], number: str) -> None:
        """A sided block's rest points: only at its last step, as flow mode stops between sides or after it."""
        for k, step in enumerate(steps[:-1], 1):
            if isinstance(step, dict) and step.get("rest") is True:
                self.error("a rest point cannot be mid-side; flow mode may stop only between sides or after the "
                           "block", f"{number}.{k} ({step.get('pose')})", "rest")

    def lead(self, turn: int, side: str | None, switch: str, label: str) -> str | None:
        """What is said before a side's first step: the first side named, then the switch (the block's own, or
        the usual words)."""
        if side is None:
            return None
        if turn == 0:
            return prompts.first_side(side)
        return self.fill(switch, side, label, "switch") if switch else prompts.switch_sides(side)

    def step(self, raw: dict[str, Any], number: str, breath_seconds: float, side: str | None, group: str,
             lead_in: str | None, quiet: bool = False, switch: bool = False) -> None:
        """One step; switch marks the first step of a block's second side, where a chime sounds."""
        before = len(self.errors)
        pose_id = raw.get("pose")
        label = f"{number} ({pose_id})" if isinstance(pose_id, str) else number
        self.errors += unknown_fields(raw, STEP_FIELDS, self.where, label)
        pose = self.pose(pose_id, label)
        cue = self.fill(self.text(raw, "cue", label), side, label, "cue")
        spoken = {key: self.sentences(raw, key, side, label) for key in ("options", "breath")}

        def report(message: str, key: str) -> None:
            self.error(message, label, key)

        rounds = read_rounds(raw["rounds"], self.tempo, self.where, label, report, self.errors,
                             lambda text: self.fill(text, side, label, "rounds")) if "rounds" in raw else None
        if "rounds" in raw and (spoken["breath"] or "breaths" in raw or "floor" in raw):
            self.error("give rounds, or a hold with breath cues, breaths or a floor, not both", label, "rounds")
        settle = read_settle(raw, bool(rounds or spoken["breath"]), report)
        easier = self.fill(self.text(raw, "easier", label, required=False), side, label, "easier") or None
        body = self.body_of(raw, report)
        hold, floor = self.hold_and_floor(raw, label, breath_seconds, rounds is not None)
        flags = read_flags(raw, ("optional", "final", "reminders", "chime", "rest"), report)
        if rounds is not None:
            hold, floor = rounds_hold(rounds, settle, hold)
        if flags["final"] is True and (flags["optional"] is True or side is not None):
            self.error("the final relaxation cannot be optional or inside a block with sides", label, "final")
        failed = len(self.errors) > before
        if quiet:
            del self.errors[before:]
        if pose is None or failed:  # the second side of a faulty step is left out too
            return
        self.steps.append(Step(
            index=len(self.steps), pose=pose, cue=cue, hold=hold, floor=min(floor, hold), options=spoken["options"],
            breath=spoken["breath"], optional=flags["optional"], final=flags["final"], side=side, lead_in=lead_in,
            unit=self.unit, group=group, label=f"{number} ({pose.id}{', ' + side if side else ''})",
            rounds=rounds, settle=settle, reminders=flags["reminders"], chime=flags["chime"] is True or switch,
            rest=flags["rest"], easier=easier, body=body,
        ))

    def pose(self, pose_id: Any, label: str) -> Pose | None:
        """The catalog's pose; an error (with the nearest id, if one is near) when it has none."""
        pose = self.poses.get(pose_id) if isinstance(pose_id, str) else None
        if pose is None:
            near = difflib.get_close_matches(str(pose_id), list(self.poses), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else "; add it to sequences/poses.yaml first"
            problem = "is missing" if pose_id is None else f"'{pose_id}' is not in the pose catalog{hint}"
            self.error(problem, label, "pose")
        return pose

    def sentences(self, raw: dict[str, Any], key: str, side: str | None, label: str) -> tuple[str, ...]:
        """A list of sentences (options, breath cues), placeholders filled for side."""
        value = texts(raw.get(key, []))
        if value is None:
            self.error("should be a list of sentences", label, key)
        return tuple(self.fill(t, side, label, key) for t in value or ())

    def body_of(self, raw: dict[str, Any], report: Callable[[str, str], None]) -> tuple[str, ...]:
        """The step's body tags: its own, else the last given; read once for both sides of a block."""
        if id(raw) not in self.bodies:
            body = read_body(raw["body"], report) if "body" in raw else self.body
            self.body = self.bodies[id(raw)] = body or self.body
        return self.bodies[id(raw)]

    def hold_and_floor(self, raw: dict[str, Any], label: str, breath_seconds: float,
                       rounds: bool) -> tuple[int, int]:
        """The hold in seconds, and the floor shorter would not cut it below (half the hold unless given)."""
        before_hold = len(self.errors)
        hold = self.duration(raw, label, breath_seconds, optional=rounds)
        hold_ok = len(self.errors) == before_hold
        floor = hold // 2
        if "floor" in raw:
            try:
                floor = parse_duration(raw["floor"])
            except ValueError as exc:
                self.error(str(exc), label, "floor")
            if floor > hold and hold_ok:
                self.error(f"{floor} s is longer than the hold of {hold} s", label, "floor")
        return hold, floor

    def duration(self, raw: dict, label: str, breath_seconds: float, optional: bool = False) -> int:
        if "hold" in raw and "breaths" in raw:
            self.error("give hold or breaths, not both", label, "breaths")
        if "breaths" in raw:
            count = raw["breaths"]
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 60:
                self.error("should be a whole number of breaths from 1 to 60", label, "breaths")
                return 0
            return int(round(count * breath_seconds))
        if "hold" not in raw:
            if optional:  # rounds make their own hold; a hold beside them is stillness after the rounds
                return 0
            self.error("is missing; give a hold (like 45s) or a number of breaths", label, "hold")
            return 0
        try:
            return parse_duration(raw["hold"])
        except ValueError as exc:
            self.error(str(exc), label, "hold")
            return 0


# Files beside the classes that are not classes: the pose catalog and the poses' drawings.
CATALOGS = ("poses.yaml", "figures.yaml")


def load_practice(path: Path, poses: dict[str, Pose], cache: Path | None = None) -> Practice:
    reader = _ClassReader(path, poses, cache)
    practice = reader.read()
    if reader.errors or practice is None:
        raise SequenceErrors(reader.errors)
    return practice


def load_library(directory: Path, cache: Path | None = None) -> Library:
    """Every class in directory, with the pose catalog beside them; all problems raised together.

    With cache, a folder, each file's parsed values are kept there and read back while its text is unchanged
    (skill.classes.parsed): a server's start then needs no YAML parser. Every value is checked as if just parsed.
    """
    poses = load_poses(directory / "poses.yaml", cache)
    errors: list[SequenceError] = []
    practices: list[Practice] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.y*ml")):
        if path.name in CATALOGS:
            continue
        try:
            practice = load_practice(path, poses, cache)
        except SequenceErrors as exc:
            errors += exc.errors
            continue
        if practice.id in seen:
            errors.append(SequenceError(str(path), f"duplicate id '{practice.id}', already used by {seen[practice.id]}",
                                        field="id"))
            continue
        seen[practice.id] = str(path)
        practices.append(practice)
    if errors:
        raise SequenceErrors(errors)
    if not practices:
        raise SequenceErrors([SequenceError(str(directory), "holds no class files (*.yaml)")])
    return Library(tuple(practices))
