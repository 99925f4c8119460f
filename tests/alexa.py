"""Real Alexa request envelopes, and a person who talks to the skill through its HTTP endpoint.

The envelopes start from recorded JSON in tests/envelopes/ (the shapes ask-sdk-model deserialises) and change
only what a test needs: the user, the time, the intent and its slots. The `Speaker` keeps a clock that moves as
the skill's speech plays, so pauses and session ends land mid-segment the way they would on a device.
"""
from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skill.practice import ssml
from skill.practice.state import State, from_dict

ENVELOPES = Path(__file__).parent / "envelopes"
SKILL_ID = "amzn1.ask.skill.6a0b3f4e-0000-4000-8000-000000000000"
USER = "amzn1.ask.account.AGENTLEYOGATESTUSER0001"
START = datetime(2026, 11, 23, 7, 30, tzinfo=UTC).timestamp()
CUSTOM_SLOT_TYPES = {"practice": "ClassName", "focus": "Focus", "body": "BodyPart"}
APL = "Alexa.Presentation.APL"
RENDER = f"{APL}.RenderDocument"
ECHO_SHOW_8 = {"mode": "HUB", "shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 160,
               "currentPixelWidth": 1280, "currentPixelHeight": 800, "touch": ["SINGLE"]}
WPM = 140
_BREAK = re.compile(r'<break time="(\d+)(ms|s)"/>')
_TAG = re.compile(r"<[^>]+>")


def recorded(name: str) -> dict[str, Any]:
    return json.loads((ENVELOPES / f"{name}.json").read_text())


def stamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _slot(name: str, value: str | int | tuple[str, str | None]) -> dict[str, Any]:
    """A filled slot; (heard, id) for a custom type gives a resolution, (heard, None) a failed one."""
    heard, resolved = value if isinstance(value, tuple) else (str(value), None)
    slot: dict[str, Any] = {"name": name, "value": heard, "confirmationStatus": "NONE", "source": "USER"}
    if name in CUSTOM_SLOT_TYPES:
        authority = f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{CUSTOM_SLOT_TYPES[name]}"
        status = "ER_SUCCESS_MATCH" if resolved else "ER_SUCCESS_NO_MATCH"
        entry: dict[str, Any] = {"authority": authority, "status": {"code": status}}
        if resolved:
            entry["values"] = [{"value": {"name": heard, "id": resolved}}]
        slot["resolutions"] = {"resolutionsPerAuthority": [entry]}
    return slot


def envelope(kind: str, at: float, *, user: str = USER, new: bool = False, session: str = "s1",
             app: str = SKILL_ID, attributes: dict[str, Any] | None = None, apl: bool = False) -> dict[str, Any]:
    """A recorded envelope of this kind (launch, session_ended, …) for this user, time and session.

    apl: the device has a screen that shows APL (an Echo Show 8), as its supportedInterfaces and Viewport say.
    """
    body = copy.deepcopy(recorded(kind))
    interfaces = body["context"]["System"].get("device", {}).get("supportedInterfaces")
    if apl:
        assert interfaces is not None, f"a {kind} request comes from no device"
        interfaces[APL] = {"runtime": {"maxVersion": "2024.3"}}
        body["context"]["Viewport"] = dict(ECHO_SHOW_8)
    elif interfaces is not None:
        interfaces.pop(APL, None)
        body["context"].pop("Viewport", None)
        body["context"].pop(APL, None)
    body["request"]["timestamp"] = stamp(at)
    body["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
    body["context"]["System"]["user"]["userId"] = user
    body["context"]["System"]["application"]["applicationId"] = app
    if "session" in body:
        body["session"].update(new=new, sessionId=f"amzn1.echo-api.session.{session}")
        body["session"]["user"]["userId"] = user
        body["session"]["application"]["applicationId"] = app
        if attributes is not None:
            body["session"]["attributes"] = attributes
    return body


def intent(name: str, at: float, slots: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    body = envelope("intent_start_class", at, **options)
    body["request"]["intent"] = {
        "name": name, "confirmationStatus": "NONE",
        "slots": {slot: _slot(slot, value) for slot, value in (slots or {}).items()},
    }
    return body


def user_event(at: float, arguments: list[Any], token: str, **options: Any) -> dict[str, Any]:
    """The UserEvent a document's SendEvent produces when it runs from the document's onMount."""
    body = envelope("apl_user_event", at, **{"apl": True, **options})
    body["request"].update(arguments=arguments, token=token)
    body["context"][APL]["token"] = token
    return body


def onmount_events(commands: Any) -> list[tuple[int, dict[str, Any]]]:
    """Each SendEvent an onMount command list runs, with when it runs (ms after the document is shown).

    A command list runs in order, as does Sequential; Parallel's children all start with it. Commands other than
    these are taken as instant, which holds for those this skill uses (SetPage's animation runs inside a Parallel,
    which does not wait for it before starting its other children).
    """
    return _run_list(commands if isinstance(commands, list) else [commands], 0)[1]


def _run_list(commands: list[dict[str, Any]], start: int) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
    found: list[tuple[int, dict[str, Any]]] = []
    for command in commands:
        start, events = _run(command, start)
        found += events
    return start, found


def _run(command: dict[str, Any], start: int) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
    """When command ends, and the events it sends on the way."""
    begins = start + int(command.get("delay", 0))
    children = command.get("commands", [])
    if command["type"] == "Parallel":
        runs = [_run(child, begins) for child in children]
        return max([begins] + [end for end, _ in runs]), [event for _, events in runs for event in events]
    if command["type"] == "Sequential":
        return _run_list(children, begins)
    return begins, [(begins, command)] if command["type"] == "SendEvent" else []


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.body.get("response", {})

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def reprompt(self) -> str:
        return ((self.response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")

    @property
    def text(self) -> str:
        return " ".join(_TAG.sub(" ", self.ssml).split()).replace("&apos;", "'").replace("&amp;", "&")

    @property
    def ends(self) -> bool:
        return bool(self.response.get("shouldEndSession"))

    @property
    def screen(self) -> dict[str, Any] | None:
        """The RenderDocument directive the reply shows, if any."""
        return next((d for d in self.response.get("directives", []) if d.get("type") == RENDER), None)

    @property
    def timer(self) -> tuple[float, list[Any], str] | None:
        """When the shown document sends its UserEvent (seconds after it is shown), its arguments, and the token."""
        screen = self.screen
        if screen is None:
            return None
        events = onmount_events(screen["document"].get("onMount", []))
        if not events:
            return None
        assert len(events) == 1, "one document sends one event"
        when, command = events[0]
        return when / 1000, list(command.get("arguments", [])), screen["token"]

    @property
    def seconds(self) -> float:
        """How long the speech takes to play: its words at the skill's pace, its breaks, and 2.5 s a chime."""
        silence = sum(int(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK.findall(self.ssml))
        words = len(re.findall(r"[\w']+", self.text))
        return words * 60 / WPM + silence + 2.5 * self.ssml.count("<audio ")


class Speaker:
    """One person on a mat, talking to the skill through the Flask test client."""

    def __init__(self, client: Any, user: str = USER, now: float = START, headers: Any = None,
                 apl: bool = False) -> None:
        self.client, self.user, self.now = client, user, now
        self.apl = apl  # on an Echo Show: every request says the device shows APL
        self.session: str | None = None
        self.attributes: dict[str, Any] = {}  # what the last reply put in sessionAttributes; Alexa sends it back
        self.replies: list[Reply] = []
        self.utterances = 0
        self.headers = headers  # a callable(body bytes) -> headers, for signed requests

    def post(self, body: dict[str, Any] | bytes | str) -> Reply:
        raw = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        headers = self.headers(raw) if self.headers else {}
        result = self.client.post("/alexa", data=raw, headers=headers, content_type="application/json")
        reply = Reply(result.status_code, result.get_json(silent=True) or {})
        for speech in (reply.ssml, reply.reprompt):
            assert not speech or not ssml.problems(speech), ssml.problems(speech)
        self.replies.append(reply)
        return reply

    def _session(self) -> dict[str, Any]:
        new = self.session is None
        if new:
            self.session = str(uuid.uuid4())
            self.attributes = {}
        return {"user": self.user, "new": new, "session": self.session, "attributes": self.attributes,
                "apl": self.apl}

    def _after(self, reply: Reply) -> Reply:
        self.attributes = reply.body.get("sessionAttributes") or {}
        if reply.ends:
            self.session = None
        return reply

    def open(self) -> Reply:
        """'Alexa, open gentle yoga.'"""
        self.utterances += 1
        self.session = None
        return self._after(self.post(envelope("launch", self.now, **self._session())))

    def say(self, name: str, **slots: Any) -> Reply:
        """One utterance that Alexa resolved to this intent (a new session when none is open)."""
        self.utterances += 1
        return self._after(self.post(intent(name, self.now, slots, **self._session())))

    def listen(self, reply: Reply | None = None) -> None:
        """Let the last reply play out in full."""
        self.now += (reply or self.replies[-1]).seconds

    def wait(self, seconds: float) -> None:
        self.now += seconds

    def follow(self, reply: Reply | None = None) -> Reply | None:
        """Let the screen carry on: wait as long as the shown document's timer says, then send the UserEvent it
        specifies. None, and no time passes, when the document has no timer or the session has closed."""
        reply = reply or self.replies[-1]
        timer = reply.timer
        if timer is None or self.session is None:
            return None
        after, arguments, token = timer
        self.now += after
        return self._after(self.post(user_event(self.now, arguments, token, **self._session())))

    def walk_away(self, reason: str = "EXCEEDED_MAX_REPROMPTS") -> Reply:
        """Say nothing: Alexa closes the session and tells the skill."""
        body = envelope("session_ended", self.now, **self._session())
        body["request"]["reason"] = reason
        self.session = None
        return self.post(body)


def as_request(body: dict[str, Any]) -> Any:
    """An envelope as the ask-sdk-model object the skill and its stores are handed."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


def stored(store: Any, user: str = USER) -> State | None:
    """The practice state the store holds for user, read the way the skill reads it."""
    record = kept(store, as_request(envelope("launch", START, user=user)))
    return from_dict(record) if record else None


def _key(store: Any, request: Any) -> str:
    from skill.stores.base import user_id

    return store.user_key(user_id(request))


def kept(store: Any, request: Any) -> dict[str, Any]:
    """What the store keeps for the request's user ({} when nothing), found as the skill finds it."""
    return store.load(_key(store, request)) or {}


def keep(store: Any, request: Any, record: dict[str, Any]) -> None:
    """Save record for the request's user, over whatever was kept."""
    store.save(_key(store, request), record)


def forget(store: Any, request: Any) -> None:
    """Forget the request's user, as SkillDisabled does."""
    store.delete(_key(store, request))
