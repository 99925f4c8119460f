"""The reference model: the pure engine run beside the server, on the same events at the same times.

A request is built once and read twice: as the JSON envelope the server is sent, and as the event and time the
engine is handed here. What the server answers must equal what the engine says (rendered the way the shell renders
it), and what it keeps must equal the engine's state.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alexa import Reply, envelope, intent

from skill.alexa.intents import Slot, event_for
from skill.practice import events as ev
from skill.practice import ssml
from skill.practice.engine import Outcome
from skill.practice.state import State, from_dict

ENDED = "SessionEndedRequest"


@dataclass(frozen=True)
class Request:
    """One request as the server gets it (body) and as the engine gets it (event, now)."""

    body: dict[str, Any]
    event: ev.Event
    now: float

    @property
    def kind(self) -> str:
        return self.body["request"]["type"]


def _session(body: dict[str, Any], attributes: dict[str, Any] | None) -> dict[str, Any]:
    """The body with the session attributes Alexa sends back: those of the session's last response."""
    if attributes is not None and "session" in body:
        body["session"]["attributes"] = attributes
    return body


def launch(at: int, attributes: dict[str, Any] | None = None, **session: Any) -> Request:
    """'Alexa, open Gentle Yoga.'"""
    return Request(_session(envelope("launch", at, **session), attributes), ev.Launch(), float(at))


def said(name: str, at: int, slots: dict[str, Any] | None = None, attributes: dict[str, Any] | None = None,
         **session: Any) -> Request:
    """An utterance Alexa resolved to this intent; slot values as tests/alexa.py takes them ((heard, id) or str)."""
    plain = {}
    for slot, value in (slots or {}).items():
        heard, resolved = value if isinstance(value, tuple) else (str(value), None)
        plain[slot] = Slot(value=heard, id=resolved)
    return Request(_session(intent(name, at, slots, **session), attributes), event_for(name, plain), float(at))


def ended(at: int, reason: str = "EXCEEDED_MAX_REPROMPTS", attributes: dict[str, Any] | None = None,
          **session: Any) -> Request:
    """Alexa closing the session without the skill asking it to."""
    body = _session(envelope("session_ended", at, **session), attributes)
    body["request"]["reason"] = reason
    return Request(body, ev.SessionEnded(), float(at))


@dataclass(frozen=True)
class Answer:
    """What a response says: its speech, its reprompt (both SSML, or empty) and whether it ends the session."""

    speech: str
    reprompt: str
    ends: bool | None

    @classmethod
    def of(cls, reply: Reply) -> Answer:
        ends = reply.response.get("shouldEndSession")
        return cls(reply.ssml, reply.reprompt, None if ends is None else bool(ends))

    @classmethod
    def expected(cls, outcome: Outcome, kind: str) -> Answer:
        """The answer the shell gives for this outcome (skill/alexa/shell.py `render`)."""
        if kind == ENDED:
            return cls("", "", None)  # Alexa plays nothing in answer to a session that has ended
        speech = ssml.render(outcome.speech) if outcome.speech else ""
        reprompt = ssml.render(outcome.reprompt) if outcome.reprompt and not outcome.end_session else ""
        return cls(speech, reprompt, outcome.end_session)

    def versus(self, other: Answer) -> str:
        """Where this answer first departs from other, in a few words and characters."""
        for name in ("speech", "reprompt", "ends"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine != theirs:
                if not (isinstance(mine, str) and isinstance(theirs, str)):
                    return f"{name} {mine!r}, not {theirs!r}"
                at = next((i for i, (x, y) in enumerate(zip(mine, theirs, strict=False)) if x != y),
                          min(len(mine), len(theirs)))
                window = slice(max(0, at - 30), at + 60)
                return f"{name} has {mine[window]!r} where the engine has {theirs[window]!r}"
        return "the same"

    def problems(self) -> list[str]:
        """What Alexa would reject in this answer's SSML."""
        return [problem for text in (self.speech, self.reprompt) if text for problem in ssml.problems(text)]


def decoded(record: dict[str, Any] | None, mode: str) -> State:
    """A stored record as the shell reads it; no record at all is a fresh state."""
    return State(mode=mode) if not record else from_dict(record)


def difference(stored: State, expected: State) -> str:
    """'' when equal; else the fields that differ, position and phase first."""
    fields = ("phase", "practice", "position", "segment", "marks", "sent_at", "paused_at", "plan", "mode", "history")
    return ", ".join(f"{name}: stored {getattr(stored, name)!r}, expected {getattr(expected, name)!r}"
                     for name in fields if getattr(stored, name) != getattr(expected, name))


def position_lost(stored: State, expected: State) -> bool:
    """Whether the stored record puts the person somewhere other than where they were told they are."""
    return (stored.phase, stored.practice, stored.position) != (expected.phase, expected.practice, expected.position)
