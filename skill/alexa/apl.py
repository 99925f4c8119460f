"""Echo Show screens (APL): the pose playing, its cue, the class's progress, the time left and what comes next.

Every answer to a device with a screen carries an Alexa.Presentation.APL.RenderDocument directive: one pager page
for each step of the segment being spoken. The document's onMount command turns the page as each step's speech
begins and, when the whole speech (holds included) has played, sends the UserEvent that carries the class on, so
nobody has to say "continue".

Why onMount and not handleTick: APL runs a document's onMount commands in normal mode when the document is first
displayed, which is when its outputSpeech starts playing, so a command's delay counts from the start of the speech.
Tick handlers run their commands in fast mode, where SendEvent, SetPage and delays are ignored, and fire over and
over; a single Parallel timeline of delayed commands says exactly when each thing happens, once. Its screenLock
keeps the device's interaction timer from closing the document during long, quiet holds.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces

from skill.alexa.serializer import JsonArray, JsonObject
from skill.practice import engine
from skill.practice.context import Outcome
from skill.practice.model import Library, Step
from skill.practice.plan import Plan, active, total_seconds
from skill.practice.progress import Progress, progress
from skill.practice.speech import Pace, Speech, durations
from skill.practice.state import Phase, State
from skill.practice.timing import timing

if TYPE_CHECKING:  # the APL models (seventy modules) are imported by the first answer drawn on a screen
    from ask_sdk_model.interfaces.alexa.presentation.apl import Command, RenderDocumentDirective

# The document as written, every answer's own but for its onMount timeline: its parts are sent as they are, never
# walked by the serializer (serializer.JsonObject), since nothing in them changes from one answer to the next.
DOCUMENT: dict[str, Any] = {
    key: JsonObject(value) if isinstance(value, dict) else JsonArray(value) if isinstance(value, list) else value
    for key, value in json.loads((Path(__file__).parent / "apl" / "practice.json").read_text(encoding="utf-8")).items()
}
PAGER = "steps"  # the document's Pager, one page a step
CARRY_ON = "carry-on"  # the UserEvent's first argument; the second is the token of the part that has played
TOKEN = "gentle-yoga"  # the document's token when nothing carries on by itself
AFTER_SPEECH = 2.0  # seconds between the end of the speech and the event, for a voice a little slower than ours
MAX_BYTES = 24 * 1024  # a directive stays well under the response's limit (DESIGN.md 5: 120 KB in all)

# The screen's own words (en): what is shown, never spoken.
LABELS = {
    "step": "Step {number} of {total}",
    "next": "Next: {pose}",
    "last": "Last pose",
    "side": "{side} side",
    "minutes": "{minutes} min left",
    "under_a_minute": "Under a minute left",
    "paused": "Paused. Say \u201cresume\u201d when you\u2019re ready.",
    "starting": "Starting in a moment",
    "begin": "Say \u201cbegin\u201d when you\u2019re ready",
    "complete": "Class complete",
    "props": "You\u2019ll need {props}.",
    "no_props": "No props needed.",
    "length": "{minutes} minutes",
    "first": "First: {pose}",
    "welcome": "Gentle Yoga",
    "try": "Try \u201cstart low back release\u201d, or ask what classes there are.",
    "well_done": "Well done. Come back to your mat any time.",
}


def supported(handler_input: HandlerInput) -> bool:
    """Whether the request came from a device that shows APL (its supportedInterfaces names the interface)."""
    try:
        interfaces = get_supported_interfaces(handler_input)
    except AttributeError:  # a request with no device in its context, such as a skill event
        return False
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


def pace_for(handler_input: HandlerInput, pace: Pace) -> Pace:
    """The pace for this request: on a screen the class carries on by itself."""
    return replace(pace, auto_advance=True) if supported(handler_input) else pace


def _ms(seconds_: float) -> int:
    return max(0, int(round(seconds_ * 1000)))


def _starts_at(part: Speech, whole: Speech, played: list[float]) -> float:
    """When part begins within whole, in seconds (played: each part of whole's playing time): the edge may put a
    note before the engine's words."""
    size = len(part)
    for k in range(len(whole) - size + 1):
        if whole[k:k + size] == part:
            return sum(played[:k])
    return 0.0


def timeline(outcome: Outcome, pace: Pace) -> list[Command]:
    """The onMount commands: turn to each step as its speech starts, then carry on once everything has played."""
    from ask_sdk_model.interfaces.alexa.presentation.apl import (
        ParallelCommand,
        Position,
        SendEventCommand,
        SetPageCommand,
    )

    commands: list[Command] = []
    segment = outcome.segment
    played = durations(outcome.speech, pace)  # summed, in order: seconds(outcome.speech), or of any part before
    if segment is not None and len(segment.steps) > 1:
        offset = _starts_at(segment.speech, outcome.speech, played)
        for page, mark in enumerate(segment.marks[1:-1], start=1):
            commands.append(SetPageCommand(component_id=PAGER, position=Position.absolute, value=page,
                                           delay=_ms(offset + mark)))
    if outcome.carry_on:
        commands.append(SendEventCommand(arguments=[CARRY_ON, outcome.carry_on],
                                         delay=_ms(sum(played) + AFTER_SPEECH)))
    if not commands:
        return []
    return [ParallelCommand(description="the class's timeline", screen_lock=True, commands=commands)]


@dataclass(frozen=True)
class Pictures:
    """Where a screen loads each pose's drawing: the app's public https address, and the poses drawn.

    With no public address (on Lambda, or a host that has not set one) there are no pictures, and the screen
    shows its text-only layout.
    """

    base: str = ""
    alts: Mapping[str, str] = field(default_factory=dict)  # each drawn pose's words for what it shows

    def url(self, pose: str, side: str | None) -> str:
        if not self.base or pose not in self.alts:
            return ""
        from skill.figures import figure_path  # imported only by an app whose screens show drawings

        return self.base + figure_path(pose, side, "avg.json")

    def alt(self, pose: str) -> str:
        return self.alts.get(pose, "") if self.base else ""


@dataclass(frozen=True)
class Screen:
    """Builds the document for an outcome; the words and the timing come from the engine's own values."""

    library: Library
    pace: Pace
    pictures: Pictures = field(default_factory=Pictures)

    def directive(self, outcome: Outcome) -> RenderDocumentDirective:
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

        state = outcome.state
        if outcome.segment is not None:
            pages = self.step_pages(state, outcome.segment.steps)
        else:
            pages = [self.still_page(state)]
        payload = {"title": self.title(state), "status": self.status(outcome), "pages": pages}
        document = dict(DOCUMENT, onMount=timeline(outcome, self.pace))
        return RenderDocumentDirective(token=outcome.carry_on or TOKEN, document=document,
                                       datasources=JsonObject(payload=payload))  # text made here, sent as it is

    def title(self, state: State) -> str:
        practice = self.library.get(state.practice)
        return practice.title if practice is not None else LABELS["welcome"]

    def status(self, outcome: Outcome) -> str:
        phase = outcome.state.phase
        if phase is Phase.PAUSED:
            return LABELS["paused"]
        if phase is Phase.READY:
            return LABELS["starting"] if outcome.carry_on else LABELS["begin"]
        if phase is Phase.FINISHED and outcome.segment is None:
            return LABELS["complete"]
        return ""

    def step_pages(self, state: State, indexes: tuple[int, ...]) -> list[dict[str, str]]:
        """The pages of a segment's steps, where the person is while each plays (as if paused there, which needs no
        clock), from the one Timing they share: each step's place among the steps in the plan, its time left, and
        the step after it, as progress.at_step finds them."""
        practice = self.library.get(state.practice)
        assert practice is not None
        plan = state.plan or practice.written
        known = timing(practice, plan, engine.pace_for(state, self.pace))
        order, total = known.order, total_seconds(practice, plan, self.pace)
        pages, at = [], order.index(indexes[0]) if indexes else 0
        for index in indexes:
            if order[at] != index:  # a segment's steps follow one another in the plan; any other is looked up
                at = order.index(index)
            at += 1  # now the step's number, from 1, and where the step after it is in order
            up_next = practice.steps[order[at]] if at < len(order) else None
            pages.append(self._page(practice.steps[index], at, len(order), known.left_from(index), up_next, total))
        return pages

    def page(self, where: Progress, state: State) -> dict[str, str]:
        step = where.step
        assert step is not None
        practice = self.library.get(state.practice)
        assert practice is not None
        total = total_seconds(practice, state.plan or Plan.full(practice), self.pace)
        return self._page(step, where.number, where.total, where.left_seconds, where.up_next, total)

    def _page(self, step: Step, number: int, steps: int, left: float, up_next: Step | None,
              total: float) -> dict[str, str]:
        """Step's page: number of steps in the plan, left seconds of total from its start, then up_next."""
        return {
            "heading": step.pose.name,
            "subheading": step.pose.sanskrit_shown or "",
            "side": LABELS["side"].format(side=step.side.capitalize()) if step.side else "",
            "body": step.cue,
            "step": LABELS["step"].format(number=number, total=steps),
            "percent": _percent(left, total),
            "left": self.left(left),
            "next": LABELS["next"].format(pose=up_next.pose.name) if up_next else LABELS["last"],
            "figure": self.pictures.url(step.pose.id, step.side),
            "figureAlt": self.pictures.alt(step.pose.id),
        }

    def still_page(self, state: State) -> dict[str, str]:
        """The one page of an answer that plays no steps: the place kept, the class chosen, or a welcome."""
        practice = self.library.get(state.practice)
        if practice is None or state.phase is Phase.IDLE:
            return _page(LABELS["welcome"], body=LABELS["try"])
        if state.phase is Phase.FINISHED:
            return _page(practice.title, body=LABELS["well_done"], percent="100%")
        plan = state.plan or Plan.full(practice)
        if state.phase is Phase.READY:
            total = total_seconds(practice, plan, self.pace)
            props = LABELS["props"].format(props=", ".join(practice.props)) if practice.props else LABELS["no_props"]
            first = practice.steps[active(practice, plan)[0]].pose.name
            return _page(practice.title, subheading=LABELS["length"].format(minutes=round(total / 60)), body=props,
                         percent="0%", left=self.left(total), next=LABELS["first"].format(pose=first))
        where = progress(state, state.sent_at or state.paused_at or 0.0, self.library, self.pace)
        if where.step is None:
            return _page(practice.title, percent="100%")
        return self.page(where, state)

    def percent(self, practice_id: str, plan: Plan | None, left: float) -> str:
        practice = self.library.get(practice_id)
        assert practice is not None
        return _percent(left, total_seconds(practice, plan or Plan.full(practice), self.pace))

    @staticmethod
    def left(left_seconds: float) -> str:
        if left_seconds < 60:
            return LABELS["under_a_minute"]
        return LABELS["minutes"].format(minutes=round(left_seconds / 60))


def _percent(left: float, total: float) -> str:
    """How much of a class total seconds long is done with left seconds to go."""
    done = 1 - left / total if total else 1.0
    return f"{min(max(done, 0.0), 1.0) * 100:.0f}%"


def _page(heading: str, *, subheading: str = "", body: str = "", percent: str = "0%", left: str = "",
          next: str = "") -> dict[str, str]:
    return {"heading": heading, "subheading": subheading, "side": "", "body": body, "step": "", "percent": percent,
            "left": left, "next": next, "figure": "", "figureAlt": ""}
