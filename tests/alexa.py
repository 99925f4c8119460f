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
CUSTOM_SLOT_TYPES = {"practice": "ClassName", "focus": "Focus"}
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
             app: str = SKILL_ID) -> dict[str, Any]:
    """A recorded envelope of this kind (launch, session_ended, …) for this user, time and session."""
    body = copy.deepcopy(recorded(kind))
    body["request"]["timestamp"] = stamp(at)
    body["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
    body["context"]["System"]["user"]["userId"] = user
    body["context"]["System"]["application"]["applicationId"] = app
    if "session" in body:
        body["session"].update(new=new, sessionId=f"amzn1.echo-api.session.{session}")
        body["session"]["user"]["userId"] = user
        body["session"]["application"]["applicationId"] = app
    return body


def intent(name: str, at: float, slots: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    body = envelope("intent_start_class", at, **options)
    body["request"]["intent"] = {
        "name": name, "confirmationStatus": "NONE",
        "slots": {slot: _slot(slot, value) for slot, value in (slots or {}).items()},
    }
    return body


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
    def seconds(self) -> float:
        """How long the speech takes to play: its words at the skill's pace plus its breaks."""
        silence = sum(int(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK.findall(self.ssml))
        words = len(re.findall(r"[\w']+", self.text))
        return words * 60 / WPM + silence


class Speaker:
    """One person on a mat, talking to the skill through the Flask test client."""

    def __init__(self, client: Any, user: str = USER, now: float = START, headers: Any = None) -> None:
        self.client, self.user, self.now = client, user, now
        self.session: str | None = None
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
        return {"user": self.user, "new": new, "session": self.session}

    def _after(self, reply: Reply) -> Reply:
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
    record = store.get_attributes(as_request(envelope("launch", START, user=user)))
    return from_dict(record) if record else None
