"""What answering one request costs in process: our skill beside a bare ask-sdk-core skill that answers "hello".

Run with `python benchmarks/request.py --calls 500`. Both skills get the same envelope bytes for each row and go
the same way: body → deserialise → invoke → serialise → JSON text. Ours is the real skill (the real classes, a
real store) behind `Endpoint.answer` with verification off, so its own checks on the body count as ours. Before
each call the person's stored state is put back (not timed), so every call is the same real transition: "next"
really plays the next pose, "pause" really pauses. The first answer of each row is checked against the engine.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import common
from alexa import SKILL_ID, USER, envelope, intent
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import RequestEnvelope, Response

from skill.alexa.skill import build_skill
from skill.classes import load_library
from skill.config import ROOT
from skill.practice import events as ev
from skill.practice.engine import handle
from skill.practice.model import Library
from skill.practice.speech import Pace
from skill.practice.state import State, from_dict, to_dict
from skill.stores.base import Store
from skill.stores.memory import MemoryStore
from skill.stores.sqlite import SQLiteStore
from skill.web.endpoint import Endpoint

AT = 1_795_426_200.0  # 2026-11-23 07:30 UTC, when every request in this benchmark is asked
CLASS = "low_back_release"
SECRET = b"benchmark secret, not for production"
LIBRARY = load_library(ROOT / "sequences")
PACE = Pace()


class Hello(AbstractRequestHandler):
    """The bare skill's one handler: every request gets "hello"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("hello").response


def bare_skill() -> Callable[[bytes], str]:
    """A bare ask-sdk-core skill as a function of the raw body, the way any web adapter drives one."""
    builder = SkillBuilder()
    builder.add_request_handler(Hello())
    skill = builder.create()

    def answer(body: bytes) -> str:
        request = skill.serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
        return json.dumps(skill.serializer.serialize(skill.invoke(request_envelope=request, context=None)))

    return answer


def our_skill(library: Library, store: Store, pace: Pace) -> Callable[[bytes], str]:
    """Our skill as the web endpoint drives it, verification off (verifying has a benchmark of its own)."""
    endpoint = Endpoint(build_skill(library, store, pace), None, SKILL_ID)

    def answer(body: bytes) -> str:
        status, payload = endpoint.answer({}, body)
        return json.dumps(payload)

    return answer


@dataclass(frozen=True)
class Case:
    """One row: the request's body, the state the person is in before it, and the event the engine should see."""

    name: str
    body: bytes
    before: State | None  # None: the person has no record yet
    event: ev.Event
    mode: str = "flow"
    screen: bool = False  # from an Echo Show: the answer carries an APL document, and the class carries on itself

    @property
    def expected(self) -> State:
        """The state the engine keeps after this request: what the store must hold after our answer."""
        pace = replace(PACE, auto_advance=True) if self.screen else PACE
        return handle(self.before or State(mode=self.mode), self.event, AT, LIBRARY, pace).state


def _walk(mode: str, *steps: tuple[ev.Event, float]) -> State:
    """The state a person reaches by these events, each at AT minus so many seconds."""
    state = State(mode=mode)
    for event, ago in steps:
        state = handle(state, event, AT - ago, LIBRARY, PACE).state
    return state


def _in_session(name: str, state: State, **options: Any) -> bytes:
    """An intent mid-session: Alexa sends back the place our last answer put in the session's attributes."""
    from skill.alexa.shell import CARRIED

    return json.dumps(intent(name, AT, attributes={CARRIED: to_dict(state)}, **options)).encode()


def cases() -> list[Case]:
    """The rows: launch (first visit, and back to a paused class), next, pause, a flow segment (by voice, and on a
    screen), and shorter."""
    start = (ev.Start(practice=CLASS), 1000.0)
    # Flow mode: the first segment was sent 900 s ago and has played (211 s); "continue" sends the next, about
    # four minutes of class (steps 5 to 10).
    played = _walk("flow", start, (ev.Resume(), 900.0))
    # The same first segment sent 60 s ago: the person is in its second pose.
    playing = _walk("flow", start, (ev.Resume(), 60.0))
    paused = _walk("flow", start, (ev.Resume(), 900.0), (ev.Resume(), 800.0), (ev.Pause(), 700.0))
    # Step mode: the first pose was sent 300 s ago and has played; "next" plays the second.
    stepped = _walk("step", start, (ev.Resume(), 300.0))
    return [
        Case("launch, first visit", json.dumps(envelope("launch", AT, new=True)).encode(), None, ev.Launch()),
        Case("launch, back to a paused class", json.dumps(envelope("launch", AT, new=True)).encode(), paused,
             ev.Launch()),
        Case("next (step mode)", _in_session("AMAZON.NextIntent", stepped), stepped, ev.Next(), "step"),
        Case("pause mid-segment", _in_session("AMAZON.PauseIntent", playing), playing, ev.Pause()),
        Case("continue: a 4-minute flow segment", _in_session("ContinueIntent", played), played, ev.Resume()),
        Case("continue on an Echo Show (APL)", _in_session("ContinueIntent", played, apl=True), played, ev.Resume(),
             screen=True),
        Case("make it shorter, mid-class", _in_session("ShorterIntent", playing), playing, ev.Shorter()),
    ]


def resetter(store: Store, key: str, case: Case) -> Callable[[], None]:
    """A call that puts the person's stored state back to the case's before-state (or none)."""
    if case.before is None:
        return lambda: store.delete(key)
    record = to_dict(case.before)
    return lambda: store.save(key, record)


def check(case: Case, store: Store, key: str, answer: str) -> None:
    """Our answer is a real one and the store holds the state the engine says it should."""
    payload = json.loads(answer)
    speech = payload.get("response", {}).get("outputSpeech", {}).get("ssml", "")
    if not speech.startswith("<speak>"):
        raise SystemExit(f"{case.name}: our skill did not answer with speech: {answer[:300]}")
    record = store.load(key)
    kept = from_dict(record) if record else State(mode=case.mode)
    if kept != case.expected:
        raise SystemExit(f"{case.name}: the store holds {kept}, not the engine's {case.expected}")


def run(calls: int, folder: Path, only: list[str] | None = None) -> list[list[str]]:
    """Every case, interleaving bare, memory and SQLite call by call so noise falls on all three alike."""
    memory = MemoryStore(SECRET)
    sqlite = SQLiteStore(folder / "request.sqlite3", SECRET)
    variants: dict[str, tuple[Callable[[bytes], str], Store | None]] = {
        "bare ask-sdk-core": (bare_skill(), None),
        "ours, MemoryStore": (our_skill(LIBRARY, memory, PACE), memory),
        "ours, SQLite": (our_skill(LIBRARY, sqlite, PACE), sqlite),
    }
    rows = []
    for case in cases():
        if only and not any(text in case.name for text in only):
            continue
        common.progress(f"request: {case.name} ({len(case.body)} bytes), {calls} calls each")
        key = memory.user_key(USER)
        resets = {name: resetter(store, key, case) if store else (lambda: None)
                  for name, (_, store) in variants.items()}
        samples: dict[str, list[float]] = {name: [] for name in variants}
        sizes: dict[str, int] = {}
        for name, (answer, store) in variants.items():  # warm up, and check our answers once
            for _ in range(min(20, calls)):
                resets[name]()
                text = answer(case.body)
            sizes[name] = len(text)
            if store is not None:
                check(case, store, key, text)
        for _ in range(calls):
            for name, (answer, _) in variants.items():
                resets[name]()
                body = case.body
                samples[name].append(common.timed(lambda a=answer, b=body: a(b)))  # type: ignore[misc]
        base_median = common.median(samples["bare ask-sdk-core"])
        base_p99 = common.percentile(samples["bare ask-sdk-core"], 0.99)
        for name, taken in samples.items():
            med, p99 = common.median(taken), common.percentile(taken, 0.99)
            bare = name.startswith("bare")
            rows.append([f"{case.name}: {name}" if bare else f"  {name}", str(len(case.body)), str(sizes[name]),
                         f"{med:.0f}", f"{p99:.0f}", "" if bare else common.ratio(med, base_median),
                         "" if bare else common.ratio(p99, base_p99),
                         "" if bare else ("met" if med <= 1.3 * base_median else "not met")])
    sqlite.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time one request in process, our skill against a bare ask-sdk-core skill, same bodies.")
    parser.add_argument("--calls", type=int, default=500, help="timed calls per skill and row (default 500)")
    parser.add_argument("--case", action="append", default=[], metavar="TEXT",
                        help="only rows whose name contains TEXT (repeatable)")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    with tempfile.TemporaryDirectory(prefix="gentle-yoga-request-") as folder:
        rows = run(args.calls, Path(folder), args.case)
    print(f"Per-request cost in process ({common.machine()}); {args.calls} calls a row, interleaved; µs")
    print("Path: body → deserialise → invoke → serialise → JSON. Goal: ours ≤ 1.3× the bare skill.")
    print(common.table(["row", "body B", "answer B", "median", "p99", "×median", "×p99", "goal"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
