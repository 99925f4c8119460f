"""A teacher's rhythm inside a hold: settling time, breath-paced rounds, and reminders at natural points."""
from __future__ import annotations

from skill.practice import prompts
from skill.practice.model import Rounds, Step
from skill.practice.speech import Pace, Part, Say, Silence, Speech, durations

GAP = 0.5  # the least quiet after a call, so the next never runs into it
BREATH = 9.0  # one gentle breath (4 s in, 5 s out): where "three more breaths" and "last breath" fall
HALFWAY_AFTER = 75  # holds at least this long hear "halfway"
THREE_MORE_AFTER = 45  # ... "three more breaths"
LAST_BREATH_AFTER = 25  # ... and "last breath here"


def said(text: str, pace: Pace) -> float:
    return durations((Say(text),), pace)[0]


def round_seconds(rounds: Rounds, k: int, pace: Pace) -> float:
    """Round k (from 0) at the tempo: a call longer than its breath stretches that breath, never shortens a gap."""
    inhale, exhale = rounds.call(k)
    return max(rounds.inhale_seconds, said(inhale, pace) + GAP) + max(rounds.exhale_seconds, said(exhale, pace) + GAP)


def rounds_seconds(rounds: Rounds, calls: int, quiet: int, pace: Pace) -> float:
    """The time of calls called rounds, then quiet rounds with the prompt that lets them go on alone."""
    called = sum(round_seconds(rounds, k, pace) for k in range(calls))
    return called + (max(quiet * rounds.breath, said(prompts.QUIET_ROUNDS, pace) + GAP) if quiet else 0.0)


def fitted(rounds: Rounds, room: float, pace: Pace) -> tuple[int, int]:
    """How many called and quiet rounds fit in room seconds: quiet rounds go first, then calls down to the floor."""
    for quiet in range(rounds.quiet, 0, -1):
        if rounds_seconds(rounds, rounds.calls, quiet, pace) <= room + 0.01:
            return rounds.calls, quiet
    calls = rounds.calls
    while calls > rounds.floor and rounds_seconds(rounds, calls, 0, pace) > room + 0.01:
        calls -= 1
    return calls, 0


def paced(step: Step, hold: int, pace: Pace) -> Speech:
    """Settle, then each call on its breath, then any quiet rounds, then stillness to the end of the hold."""
    rounds = step.rounds
    assert rounds is not None
    calls, quiet = fitted(rounds, hold - step.settle, pace)
    parts: list[Part] = [Silence(step.settle, hold=True)] if step.settle else []
    for k in range(calls):
        for text, breath in zip(rounds.call(k), (rounds.inhale_seconds, rounds.exhale_seconds), strict=True):
            parts += [Say(text), Silence(round(max(breath - said(text, pace), GAP), 2), hold=True)]
    if quiet:
        quiet_seconds = rounds_seconds(rounds, calls, quiet, pace) - rounds_seconds(rounds, calls, 0, pace)
        parts += [Say(prompts.QUIET_ROUNDS),
                  Silence(round(quiet_seconds - said(prompts.QUIET_ROUNDS, pace), 2), hold=True)]
    left = hold - sum(durations(tuple(parts), pace))
    if left > 0.05:
        parts.append(Silence(round(left, 2), hold=True))
    return tuple(parts)


def reminders(step: Step, hold: int) -> list[tuple[float, str]]:
    """(when, words) of the reminders a long hold gets on its own; none in the final relaxation."""
    if step.final or not step.reminders:
        return []
    found = []
    if hold >= HALFWAY_AFTER:
        found.append((hold / 2, prompts.HALFWAY[step.index % len(prompts.HALFWAY)]))
    if hold >= THREE_MORE_AFTER:
        found.append((hold - 3 * BREATH, prompts.THREE_MORE))
    if hold >= LAST_BREATH_AFTER:
        found.append((hold - BREATH, prompts.LAST_BREATH))
    return found


def held(step: Step, hold: int, pace: Pace) -> Speech:
    """A still hold: the author's breath cues spread after the settling time, the reminders at their points."""
    marks = reminders(step, hold)
    end = marks[0][0] if marks else hold
    cues = step.breath or ((prompts.HOLD_REMINDERS[step.index % len(prompts.HOLD_REMINDERS)],)
                           if hold >= 60 and not marks else ())
    start = min(step.settle, end)
    spacing = (end - start) / len(cues) if cues else 0  # each cue a third of the way into its share of the hold
    timed = [(start + (k + 1 / 3) * spacing, text) for k, text in enumerate(cues)] + marks
    parts: list[Part] = []
    clock = 0.0
    for when, text in timed:
        if when - clock > 0.05:
            parts.append(Silence(round(when - clock, 2), hold=True))
            clock = when
        parts.append(Say(text))
        clock += said(text, pace) + GAP
        parts.append(Silence(GAP, hold=True))
    if hold - clock > 0.05:
        parts.append(Silence(round(hold - clock, 2), hold=True))
    return _merged(parts)


def _merged(parts: list[Part]) -> Speech:
    """Neighbouring silences as one, so the SSML has no needless breaks."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, Silence) and out and isinstance(out[-1], Silence):
            out[-1] = Silence(round(out[-1].seconds + part.seconds, 2), hold=True)
        else:
            out.append(part)
    return tuple(out)
