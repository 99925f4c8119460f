"""What a screen shows and plays, derived from the state or an outcome: plain JSON-ready dicts, no I/O.

The browser player turns an outcome into `answer(...)`: the `view` (where the person is, for a still screen)
and, when the outcome is spoken practice, `play`: the speech as timed items, each words to say or a silence,
tagged with the step the engine considers playing at that moment, plus each step's view and timeline. A page
that plays the items on schedule agrees with the engine about which pose a pause lands in. Any other screen
(an Echo Show, say) may use `class_card`, `step_view` and `screen` on their own.

Times are seconds from when the outcome was sent, measured exactly as the engine measures them.
"""
from __future__ import annotations

from typing import Any

from skill.practice import cues
from skill.practice.context import Context, Outcome
from skill.practice.engine import pace_for
from skill.practice.model import Library, Practice, Step
from skill.practice.plan import Plan, next_active
from skill.practice.progress import progress
from skill.practice.speech import Pace, Say, Silence, Sound, Speech, durations, on_screen, seconds
from skill.practice.state import HISTORY, Phase, State, fit
from skill.practice.timing import timing

WEEK = 7 * 24 * 3600
CONTINUE = "continue"  # after playing, ask the engine for the next part of the class
WAIT = "wait"  # after playing, wait for the person (a class chosen and not begun)
DONE = "done"  # the class is over


def screen_text(text: str) -> str:
    """text without its sentences that tell a voice user what to say (prompts.py tags them voice-only): a screen
    has a button for those. Such sentences are left out of what a screen shows and plays outside the steps."""
    return on_screen(text)


def class_card(practice: Practice, pace: Pace) -> dict[str, Any]:
    """A class as a list shows it: title, length in minutes as the skill says it, focus, props, level, and the
    words that open and close it."""
    known = timing(practice, practice.written, pace)
    return {
        "id": practice.id, "title": practice.title, "minutes": round(known.total / 60),
        "level": practice.level, "focus": list(practice.focus), "props": list(practice.props),
        "poses": len(known.order), "intro": practice.intro, "closing": practice.closing,
    }


def class_cards(library: Library, pace: Pace) -> list[dict[str, Any]]:
    return [class_card(practice, pace) for practice in library]


def _pose(step: Step) -> dict[str, Any]:
    return {"pose": step.pose.id, "name": step.pose.name, "sanskrit": step.pose.sanskrit_shown, "side": step.side}


def step_view(practice: Practice, plan: Plan, index: int, pace: Pace) -> dict[str, Any]:
    """One step as a screen shows it: the pose, the cue, the hold in force, and progress from its start."""
    step = practice.steps[index]
    known = timing(practice, plan, pace)
    steps = known.order
    after = next_active(practice, plan, index)
    return {
        "index": index, **_pose(step), "cue": step.cue, "options": list(step.options),
        "hold": plan.holds[index], "number": steps.index(index) + 1 if index in steps else 0, "total": len(steps),
        "left_seconds": round(known.left_from(index), 1),
        "up_next": _pose(practice.steps[after]) if after is not None else None,
    }


def screen(state: State, now: float, library: Library, pace: Pace) -> dict[str, Any]:
    """Where the person is at time now, for a still screen: the phase, the class, the step and progress.

    `playing` is true while a sent segment may still be playing, or the engine waits for "continue": an edge
    that is no longer playing it (a page just loaded) should say the session ended, so the place is kept.
    """
    ctx = Context(fit(state, library), now, library, pace)
    where = progress(state, now, library, pace)
    view: dict[str, Any] = {
        "phase": where.phase.value, "class": None, "step": None, "number": where.number, "total": where.total,
        "left_seconds": round(where.left_seconds, 1),
        "playing": ctx.state.phase is Phase.PRACTISING or ctx.playing,
    }
    if ctx.state.practice is None:
        return view
    practice, plan = ctx.practice, ctx.plan
    view["class"] = class_card(practice, pace)
    if where.step is not None:
        view["step"] = step_view(practice, plan, where.step.index, pace)
    if ctx.state.phase is Phase.FINISHED:
        view["done"] = done(ctx.state, now, round(ctx.timing.total / 60))
    return view


def done(state: State, now: float, minutes: int) -> dict[str, Any]:
    """What a finished screen says about the practice: its length, and how many classes in the last seven days
    (the history holds the last few, so `at_least` says when there may have been more)."""
    this_week = sum(1 for _, at in state.history if now - at < WEEK)
    return {"minutes": minutes, "this_week": this_week, "at_least": this_week == HISTORY}


def _timed(speech: Speech, pace: Pace) -> list[tuple[float, float]]:
    """(start, length) of each part, measured as the engine measures the whole."""
    out, at = [], 0.0
    for length in durations(speech, pace):
        out.append((at, length))
        at += length
    return out


def playlist(outcome: Outcome, library: Library, pace: Pace) -> dict[str, Any] | None:
    """The outcome's speech as items to play on schedule, or None when there is nothing to play.

    A pause, and anything said while paused or before a class, is shown rather than played (None). Each item
    carries the step the engine would find playing at its midpoint, so a pause lands where the screen shows.
    `then` says what follows the last item: continue, wait, or done.
    """
    state = fit(outcome.state, library)
    if state.practice is None or state.phase in (Phase.IDLE, Phase.PAUSED) or not outcome.speech:
        return None
    practice = library.get(state.practice)
    assert practice is not None  # fit() keeps only classes the library has
    plan = state.plan or practice.written
    segment = outcome.segment
    steps, marks = (segment.steps, segment.marks) if segment else ((), ())
    after = next_active(practice, plan, steps[-1]) if steps else None
    items = _items(outcome.speech, steps, marks, after, pace)
    timeline = []
    holds_at: dict[int, float] = {}  # each step's first silence of its hold
    for item in items:
        if item["kind"] == "hold":
            holds_at.setdefault(item["step"], item["at"])
    for k, index in enumerate(steps):
        # The hold begins with its first silence; a hold with no silence at all is as long as its breath cues.
        hold_at = holds_at.get(index)
        if hold_at is None:
            spoken_hold = marks[k + 1] - seconds(cues.hold(practice.steps[index], plan.holds[index], pace), pace)
            hold_at = max(spoken_hold, marks[k])
        timeline.append({**step_view(practice, plan, index, pace), "start": marks[k], "end": marks[k + 1],
                         "hold_at": round(hold_at, 3)})
    if after is not None:
        timeline.append({**step_view(practice, plan, after, pace), "start": marks[-1], "end": None, "hold_at": None})
    if state.phase is Phase.FINISHED:
        then = DONE
    else:
        then = CONTINUE if state.phase is Phase.PRACTISING and segment is not None else WAIT
    length = sum(item["seconds"] for item in items)
    return {"items": items, "steps": timeline, "seconds": round(length, 3), "then": then}


def _items(speech: Speech, steps: tuple[int, ...], marks: tuple[float, ...], after: int | None,
           pace: Pace) -> list[dict[str, Any]]:
    """Each part of the speech as an item: when it plays, for how long, what it is, and the step it belongs to."""
    items: list[dict[str, Any]] = []
    for part, (at, length) in zip(speech, _timed(speech, pace), strict=True):
        middle = at + length / 2  # the marks are rounded to 0.1 s, so a part is placed by its middle, not its edge
        in_step = bool(steps) and marks[0] <= middle < marks[-1]
        if steps and middle < marks[-1]:  # before the first mark (a prefix) the engine counts the first step
            step: int | None = next(i for i, end in zip(steps, marks[1:], strict=True) if middle < end)
        else:
            step = after if steps else None
        item: dict[str, Any] = {"at": round(at, 3), "seconds": round(length, 3), "step": step}
        text = (part.text if in_step else screen_text(part.text)) if isinstance(part, Say) else ""
        if text:
            item.update(kind="say", text=text)
        elif isinstance(part, Sound):
            item["kind"] = "chime"
        else:  # a silence, or words only a voice device needs: quiet for as long, so the timeline holds
            item["kind"] = "hold" if isinstance(part, Silence) and part.hold else "quiet"
        items.append(item)
    return items


def notice(outcome: Outcome, pace: Pace) -> str:
    """The outcome's own words for a status line: all it said before the steps of a segment (such as "Moving on."
    or a trimmed class's new length), or all of an answer with no segment ("Paused in Bridge."), less the
    sentences that tell a voice user what to say."""
    before = outcome.segment.marks[0] if outcome.segment else float("inf")
    texts = (screen_text(part.text) for part, (at, length) in zip(outcome.speech, _timed(outcome.speech, pace),
                                                                    strict=True)
             if isinstance(part, Say) and at + length / 2 < before)
    return " ".join(t for t in texts if t)


def answer(outcome: Outcome, now: float, library: Library, pace: Pace) -> dict[str, Any]:
    """Everything a screen needs after an event: the still view, what to play, and the words to show; timed at
    the person's own pace, which the page speaks at too (rate)."""
    pace = pace_for(outcome.state, pace)
    return {"view": screen(outcome.state, now, library, pace), "play": playlist(outcome, library, pace),
            "notice": notice(outcome, pace), "rate": pace.rate}
