"""Many people practising at once against a real server, each checked against the engine as a reference.

Each simulated person has a clock of their own that moves as the skill's speech plays, so a 40-minute class takes
a few seconds. They start a class by name and say continue after each flow segment; at random they pause
mid-segment and resume later (the same minute, an hour later or the next day; in a new session, after Alexa closed
the session, or by opening the skill and saying yes), stop, skip, go back, ask a question or make it shorter.
One person's requests go one after another; people go at the same time, one thread each.

Every answer must equal the engine's, and afterwards every stored record must equal the engine's state.
"""
from __future__ import annotations

import http.client
import json
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from alexa import START, Reply
from reference import Answer, Request, ended, launch, said

from skill.practice import ssml
from skill.practice.engine import handle
from skill.practice.model import Library, Practice
from skill.practice.segment import playing
from skill.practice.speech import Pace
from skill.practice.state import Phase, State

CARRY_ON = ("ContinueIntent", "AMAZON.ResumeIntent", "ContinueIntent", "AMAZON.YesIntent")
P_INTERRUPT = 0.3  # after a segment starts, the chance the person speaks before it has played out
P_WALK_AWAY = 0.12  # after a segment has played, the chance they say nothing and Alexa closes the session
INTERRUPTIONS = {"pause": 5, "ended": 2, "stop": 1, "next": 2, "back": 1, "repeat": 1, "question": 1, "shorter": 1}
MAX_TURNS = 300  # a person who has not finished by then is reported unfinished
DAY = 86_400


class Halt(Exception):
    """This person stops: the time cap was reached, or the server failed them."""


@dataclass
class Tally:
    """What happened to one person."""

    user: str
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # non-200, no connection, invalid SSML
    wrong: list[str] = field(default_factory=list)  # an answer that differs from the engine's
    reconnects: int = 0
    seen: Counter = field(default_factory=Counter)  # what the reference engine went through
    finished: bool = False
    state: State | None = None  # the engine's state after the person's last answered request
    checked: bool = True  # False when a request failed and the server's state cannot be known


class Person:
    """One simulated person on a mat; their requests are sent one at a time over a keep-alive connection."""

    def __init__(self, number: int, seed: int, port: int, library: Library, pace: Pace, deadline: float,
                 user_prefix: str) -> None:
        self.rng = random.Random(f"{seed}:{number}")
        self.user = f"{user_prefix}{number:05d}"
        self.port, self.library, self.pace, self.deadline = port, library, pace, deadline
        self.now = int(START) + self.rng.randrange(DAY)
        self.session: str | None = None
        self.session_count = 0
        self.attributes: dict[str, Any] = {}
        self.paused_in: str | None = None  # the session the reference's pause began in
        self.state = State(mode=pace.mode)
        self.reply: Reply | None = None
        self.conn: http.client.HTTPConnection | None = None
        self.tally = Tally(self.user)

    # The wire.
    def _post(self, raw: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            fresh = self.conn is None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn = self.conn
            try:
                conn.request("POST", "/alexa", body=raw, headers={"Content-Type": "application/json"})
                answer = conn.getresponse()
                return answer.status, answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if fresh or attempt == 2:
                    raise
                # A kept-alive connection the server had closed. If it had in fact answered the first attempt, the
                # retry is applied twice and its answer differs from the engine's: the check below catches that.
                self.tally.reconnects += 1
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(self, request: Request) -> Reply:
        """Send one request, and check the answer against the engine's on the same event and time."""
        if time.monotonic() > self.deadline:
            raise Halt("time cap")
        outcome = handle(self.state, request.event, request.now, self.library, self.pace)
        raw = json.dumps(request.body).encode()
        began = time.perf_counter()
        try:
            status, body = self._post(raw)
        except (OSError, http.client.HTTPException) as error:
            self.tally.checked = False
            self._fail(self.tally.errors, f"{request.kind}: {type(error).__name__}: {error}")
        self.tally.latencies.append(time.perf_counter() - began)
        self.tally.requests += 1
        try:
            reply = Reply(status, json.loads(body))
        except ValueError:
            reply = Reply(status, {})
        if status != 200:
            self.tally.checked = False
            self._fail(self.tally.errors, f"{request.kind}: HTTP {status} {body[:200]!r}")
        self._count(request, self.state, outcome.state)
        self.state = self.tally.state = outcome.state
        heard, meant = Answer.of(reply), Answer.expected(outcome, request.kind)
        if heard.problems():
            self._fail(self.tally.errors, f"{request.kind}: invalid SSML: {heard.problems()}")
        if heard != meant:
            self._fail(self.tally.wrong, f"{request.kind} {type(request.event).__name__} at {request.now:.0f}: "
                                         f"{heard.versus(meant)}")
        self.reply = reply
        self.attributes = reply.body.get("sessionAttributes") or {}  # Alexa sends them back in the session
        if request.kind == "SessionEndedRequest" or reply.ends:
            self.session = None
        return reply

    def _fail(self, into: list[str], message: str) -> None:
        into.append(f"{self.user}: {message}")
        raise Halt(message)

    def _count(self, request: Request, before: State, after: State) -> None:
        """What the reference went through, so a run can show it exercised what it claims."""
        seen = self.tally.seen
        kind = type(request.event).__name__
        seen[f"event {kind}"] += 1
        if before.phase is Phase.PRACTISING and after.phase is Phase.PAUSED:
            live = before.sent_at is not None and playing(before.segment, before.marks,
                                                          request.now - before.sent_at) is not None
            seen[f"{'mid-segment' if live else 'between segments'} {kind}"] += 1
            self.paused_in = self.session
        if before.phase is Phase.PAUSED and after.phase in (Phase.PRACTISING, Phase.FINISHED):
            seen["resumed"] += 1
            if self.session != self.paused_in:
                seen["resumed in a new session"] += 1
            if before.paused_at is not None and request.now - before.paused_at >= DAY / 2:
                seen["resumed a day later"] += 1
        if after.phase is Phase.FINISHED and before.phase is not Phase.FINISHED:
            seen["finished"] += 1

    # Speaking, listening, waiting.
    def _session(self) -> dict[str, Any]:
        new = self.session is None
        if new:
            self.session_count += 1
            self.session = f"{self.user}-{self.session_count}"
            self.attributes = {}
        return {"user": self.user, "new": new, "session": self.session, "attributes": self.attributes}

    def say(self, name: str, slots: dict[str, Any] | None = None) -> Reply:
        return self.send(said(name, self.now, slots, **self._session()))

    def open(self) -> Reply:
        self.session = None
        return self.send(launch(self.now, **self._session()))

    def walk_away(self, reason: str) -> Reply:
        reply = self.send(ended(self.now, reason, **self._session()))
        self.session = None
        return reply

    def wait(self, seconds: float) -> None:
        self.now += max(0, int(seconds))

    def listen(self) -> None:
        """Let the last answer play out in full."""
        self.now += math.ceil(self.reply.seconds if self.reply else 0)

    # The person.
    def practise(self) -> Tally:
        try:
            self._practise()
        except Halt:
            pass
        except Exception as error:  # a failure of this client is an error of the run, never a silent thread death
            self.tally.checked = False
            self.tally.errors.append(f"{self.user}: the load client failed: {error!r}")
        finally:
            self.close()
        return self.tally

    def _practise(self) -> None:
        rng = self.rng
        if rng.random() < 0.25:
            self.open()
            self.wait(rng.randint(2, 6))
        practice: Practice = rng.choice(list(self.library))
        slots: dict[str, Any] = {"practice": (practice.title.lower(), practice.id)}
        if rng.random() < 0.2:
            slots["minutes"] = rng.randint(max(5, practice.minutes // 2), practice.minutes)
        self.say("StartClassIntent", slots)
        self.listen()
        self.wait(rng.randint(1, 6))
        self.say(rng.choice(CARRY_ON))
        for _ in range(MAX_TURNS):
            reply = self.reply
            assert reply is not None, "every request here gets a reply"
            if self.state.phase is Phase.FINISHED:
                done = self.library.get(self.state.practice)
                assert done is not None, "a finished class is one of the library's"
                self.tally.finished = ssml.escape(done.closing) in reply.ssml
                return
            if rng.random() < P_INTERRUPT:
                self.wait(rng.uniform(0, reply.seconds))
                self.interrupt(rng.choices(list(INTERRUPTIONS), weights=list(INTERRUPTIONS.values()))[0])
                continue
            self.listen()
            if rng.random() < P_WALK_AWAY:
                self.wait(rng.randint(8, 16))  # the prompt, the reprompt and the silences after them
                self.walk_away("EXCEEDED_MAX_REPROMPTS")
                self.come_back()
            else:
                self.wait(rng.randint(1, 5))
                self.say(rng.choice(CARRY_ON))

    def interrupt(self, kind: str) -> None:
        """Speak while a segment is playing."""
        rng = self.rng
        if kind == "pause":
            self.say("AMAZON.PauseIntent")
            self.come_back()
        elif kind == "ended":
            self.walk_away(rng.choice(("USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR")))
            self.come_back()
        elif kind == "stop":
            self.say(rng.choice(("AMAZON.StopIntent", "AMAZON.CancelIntent")))
            self.come_back()
        elif kind == "next":
            self.say(rng.choice(("AMAZON.NextIntent", "NextPoseIntent")))
        elif kind == "back":
            self.say(rng.choice(("AMAZON.PreviousIntent", "GoBackIntent")))
        elif kind == "repeat":
            self.say("AMAZON.RepeatIntent")
        elif kind == "question":
            self.say(rng.choice(("WhatPoseIntent", "TimeLeftIntent", "WhatPropsIntent")))
        else:
            self.say("ShorterIntent", {"minutes": rng.randint(5, 30)} if rng.random() < 0.5 else None)

    def come_back(self) -> None:
        """Return after a while, in a new session: straight to continue, or by opening the skill first."""
        rng = self.rng
        self.wait(rng.choice((rng.randint(5, 60), rng.randint(120, 5400), DAY + rng.randint(-3600, 3600))))
        how = rng.randrange(4)
        if how == 0:
            self.say("AMAZON.ResumeIntent")
        elif how == 1:
            self.say("ContinueIntent")
        else:
            self.open()  # "welcome back, you paused in …, shall we continue?"
            self.listen()
            self.wait(rng.randint(1, 4))
            self.say("AMAZON.YesIntent" if how == 2 else "ContinueIntent")
