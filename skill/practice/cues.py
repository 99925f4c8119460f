"""One step as speech: the lead-in, the pose's name, the cue and options, then the hold with its breath cues."""
from __future__ import annotations

from skill.practice import prompts, rhythm
from skill.practice.model import Step
from skill.practice.speech import Pace, Sound, Speech, spoken


def setup(step: Step, announce: bool) -> Speech:
    """What is said before the hold begins."""
    return spoken(step.lead_in, prompts.pose_name(step.pose.name) if announce else None, step.cue, *step.options)


def hold(step: Step, hold_seconds: int, pace: Pace) -> Speech:
    """The hold: breath-paced rounds when the step moves on the breath, else stillness with cues and reminders."""
    return rhythm.paced(step, hold_seconds, pace) if step.rounds else rhythm.held(step, hold_seconds, pace)


def chimes(step: Step) -> tuple[bool, bool]:
    """Whether a chime sounds before the step and after its hold: at the start of the class, where the class
    asks (each switch of sides is marked so by the loader), and to begin and end the final relaxation."""
    return step.index == 0 or step.chime or step.final, step.final


def step_speech(step: Step, hold_seconds: int, announce: bool, pace: Pace) -> Speech:
    """The whole step, its pose named or not, with its chimes; timing.said keeps what the engine asks for."""
    speech = setup(step, announce) + hold(step, hold_seconds, pace)
    if not pace.chimes:
        return speech
    before, after = chimes(step)
    return (Sound(),) * before + speech + (Sound(),) * after
