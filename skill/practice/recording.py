"""A whole class as one recording: its chapters, each a pose (in English and Sanskrit) with the speech it plays.

Pure, like the rest of the core: the edge renders the speech, and the chapter times come from the same measured
durations the engine plans with.
"""
from __future__ import annotations

from dataclasses import dataclass

from skill.practice import prompts
from skill.practice.model import Plan, Practice, Step
from skill.practice.speech import Pace, Silence, Speech, join, spoken
from skill.practice.timing import timing

GATHER_SECONDS = 15  # quiet after the opening, to gather the props before the first chime


@dataclass(frozen=True)
class Chapter:
    title: str
    speech: Speech


def title(step: Step) -> str:
    """A pose as a chapter names it: English, then Sanskrit where it has one, then the side."""
    name = step.pose.name
    if step.pose.sanskrit_shown:
        name += f" ({step.pose.sanskrit_shown})"
    return f"{name}, {prompts.SIDE_NAMES[step.side]} side" if step.side else name


def chapters(practice: Practice, plan: Plan, pace: Pace) -> list[Chapter]:
    """The welcome, each pose (consecutive steps of one pose on one side together), and the closing."""
    known = timing(practice, plan, pace)
    opening = spoken(*prompts.announce(practice.title, known.total, practice.props, practice.intro),
                     prompts.RECORDING_GATHER)
    out = [Chapter(prompts.RECORDING_WELCOME, join(opening, (Silence(GATHER_SECONDS),)))]
    last: tuple[str, str | None] | None = None
    for index in known.order:
        step = practice.steps[index]
        speech = known.steps[index].speech
        if (step.pose.id, step.side) == last:
            out[-1] = Chapter(out[-1].title, join(out[-1].speech, speech))
        else:
            out.append(Chapter(title(step), speech))
        last = (step.pose.id, step.side)
    out.append(Chapter(prompts.RECORDING_CLOSING, spoken(practice.closing)))
    return out
