"""One step as speech: the lead-in, the pose's name, the cue and options, then the hold with its breath cues."""
from __future__ import annotations

from functools import lru_cache

from skill.practice import prompts
from skill.practice.model import Step
from skill.practice.speech import Pace, Part, Say, Silence, Sound, Speech, seconds, spoken

REMINDER_AFTER = 60  # a hold this long with no breath cues gets one gentle reminder halfway


def breath_cues(step: Step, hold: int) -> tuple[str, ...]:
    if step.breath:
        return step.breath
    if hold >= REMINDER_AFTER:
        return (prompts.HOLD_REMINDERS[step.index % len(prompts.HOLD_REMINDERS)],)
    return ()


def setup(step: Step, announce: bool) -> Speech:
    """What is said before the hold begins."""
    return spoken(step.lead_in, prompts.pose_name(step.pose.name) if announce else None, step.cue, *step.options)


def hold(step: Step, hold_seconds: int, pace: Pace) -> Speech:
    """The hold as silence, with the breath cues spread evenly through it."""
    cues = breath_cues(step, hold_seconds)
    said = seconds(tuple(Say(c) for c in cues), pace)
    quiet = max(hold_seconds - said, 0.0)
    gap = round(quiet / (len(cues) + 1), 1)
    parts: list[Part] = []
    for cue in cues:
        if gap:
            parts.append(Silence(gap, hold=True))
        parts.append(Say(cue))
    if gap:
        parts.append(Silence(gap, hold=True))
    return tuple(parts)


def chimes(step: Step) -> tuple[bool, bool]:
    """Whether a chime sounds before the step and after its hold: at the start of the class, where the class
    asks (each switch of sides is marked so by the loader), and to begin and end the final relaxation."""
    return step.index == 0 or step.chime or step.final, step.final


@lru_cache(maxsize=16384)
def step_speech(step: Step, hold_seconds: int, announce: bool, pace: Pace) -> Speech:
    """Cached: trimming a class measures the same steps many times over."""
    speech = setup(step, announce) + hold(step, hold_seconds, pace)
    if not pace.chimes:
        return speech
    before, after = chimes(step)
    return (Sound(),) * before + speech + (Sound(),) * after
