"""The browser practice player: GET / serves the page, and a small JSON API drives the same engine as Alexa.

Like the Alexa shell, each request loads this browser's state from the store, hands one event to the engine,
saves, and answers with what the page shows and plays (`skill.practice.view`); the page holds no practice logic.
A browser is known by a random id in an HttpOnly cookie, and its record is kept under the store's HMAC of
"browser:" + id, never the id itself.

    GET  /                     the player page
    GET  /api/player           the classes, where this browser is, the clock's speed and the voices on offer
    POST /api/player/events    {"event": "pause"}; "start" takes "class" (and "minutes"), "shorter" "minutes"

Both take the voice the page speaks with (`?voice=` and `"voice"`: rendered or browser, skill.web.voices). With
the rendered voice the class is timed by its measured clips, and each spoken item carries its clip's URL.

Time is the app's clock. A test clock that runs N times faster than real time carries `speed = N`; the API
passes it on so the page scales its timers to agree (production's clock is time.time, speed 1).
"""
from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, jsonify, render_template, request

from skill.errors import BadRequest
from skill.practice import events as ev
from skill.practice import prompts, view
from skill.practice.engine import Outcome, handle, pace_for
from skill.practice.model import Library
from skill.practice.segment import FLOW
from skill.practice.speech import Pace
from skill.practice.state import State, restore, to_dict
from skill.stores.base import Store
from skill.stores.turn import Read, read, take_turn
from skill.web.voices import CHOICES, RENDERED, PlayerVoices

if TYPE_CHECKING:  # the audio package is imported only by an app with a voice (skill.audio.open_audio)
    from skill.audio.host import AudioHost

log = logging.getLogger("gentle_yoga.player")

COOKIE = "gentle_yoga_browser"
COOKIE_SECONDS = 400 * 24 * 3600  # the longest a browser keeps a cookie; each visit renews it
_BROWSER_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
MIN_MINUTES, MAX_MINUTES = ev.MIN_MINUTES, ev.MAX_MINUTES  # as at every edge
LOST_PLACE = prompts.LOST_PLACE
STORE_DOWN = "Your place can't be reached just now. Please try again in a moment."

# The page's words for the engine's events: simple ones here, those with fields below.
SIMPLE: dict[str, Callable[[], ev.Event]] = {
    "continue": ev.Resume, "resume": ev.Resume, "pause": ev.Pause, "next": ev.Next, "previous": ev.Previous,
    "repeat": ev.Repeat, "start_over": ev.StartOver, "stop": ev.Stop, "ended": ev.SessionEnded,
}
EVENTS = (*SIMPLE, "start", "shorter")
Answered = tuple[Outcome, Pace, bool]  # the engine's outcome, the pace that timed it, and whether the place was lost
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _minutes(body: dict[str, Any], required: bool) -> int | None:
    value = body.get("minutes")
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_MINUTES <= value <= MAX_MINUTES:
        raise BadRequest(f"'minutes' should be a whole number from {MIN_MINUTES} to {MAX_MINUTES}")
    return value


def voice_of(value: Any) -> str | None:
    """The voice the page asks to speak with (None: not said, the browser's own); BadRequest for any other."""
    if value is None or value in CHOICES:
        return value
    raise BadRequest(f"unknown voice {value!r}; the voices are {', '.join(CHOICES)}")


def event_of(body: Any, library: Library) -> ev.Event:
    """The engine's event for a request body; BadRequest says what is wrong with one it cannot be."""
    if not isinstance(body, dict):
        raise BadRequest("send a JSON object, like {\"event\": \"pause\"}")
    name = body.get("event")
    if name in SIMPLE:
        return SIMPLE[name]()
    if name == "shorter":
        return ev.Shorter(minutes=_minutes(body, required=False))
    if name == "start":
        practice = body.get("class")
        if not isinstance(practice, str) or library.get(practice) is None:
            raise BadRequest(f"there is no class {practice!r}; the classes are "
                             f"{', '.join(p.id for p in library)}")
        return ev.Start(practice=practice, minutes=_minutes(body, required=False))
    raise BadRequest(f"unknown event {name!r}; the events are {', '.join(EVENTS)}")


def _browser() -> tuple[str, bool]:
    """This browser's id, and whether it is new (so the cookie must be set)."""
    known = request.cookies.get(COOKIE, "")
    return (known, False) if _BROWSER_ID.match(known) else (secrets.token_urlsafe(32), True)


def _reply(payload: dict[str, Any], status: int = 200, new_id: str | None = None) -> Response:
    response = jsonify(payload)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if new_id is not None:
        response.set_cookie(COOKIE, new_id, max_age=COOKIE_SECONDS, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


def _secure(response: Response) -> Response:
    response.headers.update({k: v for k, v in SECURITY_HEADERS.items() if k not in response.headers})
    return response


def page() -> str:
    return render_template("player.html", min_minutes=MIN_MINUTES, max_minutes=MAX_MINUTES)


@dataclass(frozen=True)
class _Player:
    """The API's two routes, over the app's classes, store, pace, clock and voices."""

    library: Library
    store: Store
    pace: Pace
    clock: Callable[[], float]
    voices: PlayerVoices

    @property
    def speed(self) -> float:
        return float(getattr(self.clock, "speed", 1.0))

    def load(self, got: Read, key: str) -> tuple[State, bool]:
        """The stored state in flow mode, and whether a record was there but unreadable."""
        state, unreadable = restore(got.record, FLOW)
        if unreadable:
            log.warning("unreadable practice record for browser %s, starting fresh: %s", key, unreadable)
        return replace(state, mode=FLOW), unreadable is not None

    def current(self) -> Response:
        """Where this browser is; reading never changes the state (a reload is just this)."""
        try:
            voice, timing = self.voices.pace(voice_of(request.args.get("voice")), self.pace)
        except BadRequest as exc:
            return _reply({"error": str(exc)}, 400)
        browser_id, new = _browser()
        key = self.store.user_key(f"browser:{browser_id}")
        got = read(self.store, key)
        if got.unreachable:
            return _reply({"error": STORE_DOWN}, 503)
        state, lost = self.load(got, key)
        payload = {"speed": self.speed, "classes": view.class_cards(self.library, timing),
                   "view": view.screen(state, self.clock(), self.library, pace_for(state, timing)),
                   "notice": LOST_PLACE if lost else "", "rate": state.rate, "voice": voice, **self.voices.offer()}
        return _reply(payload, new_id=browser_id if new else None)

    def event(self) -> Response:
        """One event for the engine; the answer is what to show and play."""
        if request.mimetype != "application/json":
            return _reply({"error": "send the event as JSON, with Content-Type: application/json"}, 415)
        body = request.get_json(silent=True)
        try:
            happened = event_of(body, self.library)  # BadRequest unless body is a JSON object
            voice, timing = self.voices.pace(voice_of(body.get("voice") if isinstance(body, dict) else None),
                                             self.pace)
        except BadRequest as exc:
            return _reply({"error": str(exc)}, 400)
        browser_id, new = _browser()
        key = self.store.user_key(f"browser:{browser_id}")
        now = self.clock()

        def answer(got: Read) -> tuple[Answered | None, dict[str, Any] | None]:
            if got.unreachable:  # without its place the player has nothing to answer from, and must not save
                return None, None
            state, lost = self.load(got, key)
            outcome, timed = self.voices.timed(partial(handle, state, happened, now, self.library), timing)
            changed = lost or outcome.state != state
            return (outcome, timed, lost), to_dict(outcome.state) if changed else None

        turn = take_turn(self.store, key, answer)  # as in the Alexa shell: a save only over the record read
        if turn.answer is None or not turn.saved:
            return _reply({"error": STORE_DOWN}, 503)
        outcome, timed, lost = turn.answer
        shown = view.answer(outcome, now, self.library, timed)
        payload = {"speed": self.speed, "voice": voice,
                   **(self.voices.with_audio(shown) if voice == RENDERED else shown)}
        if lost:
            payload["notice"] = f"{LOST_PLACE} {payload['notice']}".strip()
        return _reply(payload, new_id=browser_id if new else None)


def player_blueprint(library: Library, store: Store, pace: Pace, clock: Callable[[], float],
                     audio: AudioHost | None = None) -> Blueprint:
    """The page and its API, over the app's classes, store, clock and rendered audio (if any)."""
    blueprint = Blueprint("player", __name__, template_folder="templates")
    api = _Player(library, store, pace, clock, PlayerVoices(audio))
    blueprint.after_request(_secure)
    blueprint.get("/")(page)
    blueprint.get("/api/player")(api.current)
    blueprint.post("/api/player/events")(api.event)
    return blueprint
