"""Alexa's web-service contract, without Flask: raw body and headers in, HTTP status and JSON out."""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from skill.alexa import translate
from skill.errors import VerificationError
from skill.web.verify import Verifier, check_skill_id

log = logging.getLogger("gentle_yoga.web")

MAX_BODY = 128 * 1024  # Alexa's requests are a few KB; anything this size is not one of them


class Rejected(Exception):
    """A request refused before it reaches a handler; the message is the short reason sent back."""


def _envelope(body: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise Rejected("the body is not JSON") from None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("request"), dict):
        raise Rejected("the body is not an Alexa request envelope")
    kind = envelope["request"].get("type")
    if not translate.handles(kind):
        raise Rejected(f"unsupported request type {str(kind)[:60]!r}")
    return envelope


class Endpoint:
    """Check a request, hand it to the skill, and serialise the answer; refusals never reach the skill."""

    def __init__(self, skill: CustomSkill, verifier: Verifier | None, skill_id: str) -> None:
        self.skill = skill
        self.verifier = verifier
        self.skill_id = skill_id

    def answer(self, headers: Mapping[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            envelope = _envelope(body)
            if self.verifier is not None:
                self.verifier.verify(headers, body, envelope)
            check_skill_id(envelope, self.skill_id)
            try:
                request = self.skill.serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
            except SerializationException:
                raise Rejected("the request envelope is malformed") from None
        except (Rejected, VerificationError) as exc:
            log.warning("refused a request: %s", exc)
            return 400, {"error": str(exc)}
        response = self.skill.invoke(request_envelope=request, context=None)
        return 200, self.skill.serializer.serialize(response)
