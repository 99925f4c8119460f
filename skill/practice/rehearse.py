"""A whole class played through the engine by a person who waits for each part to finish, then says continue."""
from __future__ import annotations

from dataclasses import dataclass, replace

from skill.practice import events as ev
from skill.practice import ssml
from skill.practice.engine import Outcome, handle
from skill.practice.model import Library
from skill.practice.plan import trim
from skill.practice.speech import BEAT, DEFAULT_PACE, Pace, Say, durations, seconds
from skill.practice.state import Phase, State
from skill.practice.timing import timing

REPLY_SECONDS = 2.0  # how long the person takes to answer
MAX_TURNS = 1000


@dataclass(frozen=True)
class Turn:
    event: ev.Event
    outcome: Outcome
    at: float  # when the event arrived


def rehearse(
    library: Library, practice_id: str, mode: str, pace: Pace = DEFAULT_PACE, start: float = 0.0
) -> list[Turn]:
    """Every turn from choosing the class to its closing words, in mode ("flow" or "step")."""
    state, now = replace(State(), mode=mode), start
    turns: list[Turn] = []
    event: ev.Event = ev.Start(practice=practice_id)
    while len(turns) < MAX_TURNS:
        outcome = handle(state, event, now, library, pace)
        turns.append(Turn(event, outcome, now))
        state = outcome.state
        if state.phase is Phase.FINISHED and outcome.end_session:
            return turns
        now += seconds(outcome.speech, pace) + REPLY_SECONDS
        event = ev.Resume()
    raise RuntimeError(f"{practice_id} did not finish within {MAX_TURNS} turns")


@dataclass(frozen=True)
class Summary:
    """What `check` prints for a class, and what the tests hold the class files to."""

    steps: int
    sided_blocks: int
    sided_steps: int  # steps practised on both sides, counted once per side
    computed_seconds: float
    shortest_seconds: float
    flow_segments: tuple[float, ...]  # seconds of each flow-mode segment
    flow_ends: tuple[str, ...]  # the step each flow-mode segment ends on
    flow_turns: int  # responses (so things said) to finish in flow mode
    step_turns: int
    ssml_problems: tuple[str, ...]
    rounds: int = 0  # breath-paced rounds called in the whole class
    rest_points: tuple[str, ...] = ()  # the steps after which flow mode may stop for "continue"


def summarise(library: Library, practice_id: str, pace: Pace = DEFAULT_PACE) -> Summary:
    practice = library.get(practice_id)
    assert practice is not None
    full = timing(practice, practice.written, pace)
    shortest = timing(practice, trim(practice, practice.written, 0, 0.0, pace), pace)
    flow, step = rehearse(library, practice_id, "flow", pace), rehearse(library, practice_id, "step", pace)
    problems = []
    for mode, turns in (("flow", flow), ("step", step)):
        for number, turn in enumerate(turns, 1):
            for reply in (turn.outcome.speech, turn.outcome.reprompt):
                if reply:
                    problems += [f"{mode} turn {number}: {p}" for p in ssml.problems(ssml.render(reply))]
    sided = [s for s in practice.steps if s.side]
    return Summary(
        steps=len(practice.steps),
        sided_blocks=len({s.unit for s in sided}) // 2,
        sided_steps=len(sided),
        computed_seconds=full.total,
        shortest_seconds=full.total - full.left_from(0) + shortest.left_from(0),
        flow_segments=tuple(t.outcome.segment.seconds for t in flow if t.outcome.segment),
        flow_ends=tuple(practice.steps[t.outcome.segment.steps[-1]].label for t in flow if t.outcome.segment),
        flow_turns=len(flow),
        step_turns=len(step),
        ssml_problems=tuple(problems),
        rounds=sum(s.rounds.calls for s in practice.steps if s.rounds),
        rest_points=tuple(s.label for s in practice.steps if s.rest),
    )


def timeline(library: Library, practice_id: str, pace: Pace = DEFAULT_PACE) -> list[tuple[float, str, str]]:
    """(seconds from the class's start, step label, words) of everything the class says, as written, with the
    beat between steps; the prompts between flow segments are left out."""
    practice = library.get(practice_id)
    assert practice is not None
    known = timing(practice, practice.written, pace)
    clock, said = known.opening, []
    for step in practice.steps:
        speech = known.steps[step.index].speech
        for part, length in zip(speech, durations(speech, pace), strict=True):
            if isinstance(part, Say):
                said.append((clock, step.label, part.text))
            clock += length
        clock += BEAT
    return said
