"""Alexa's web-service contract, without Flask: raw body and headers in, HTTP status and JSON out."""
from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill import CustomSkill

from skill.alexa import translate
from skill.alexa.serializer import Serializer
from skill.alexa.translate import check_skill_id
from skill.errors import NoUserId, Rejected, VerificationError
from skill.stores.base import user_id

if TYPE_CHECKING:  # cryptography is imported only by an app that verifies (see create_app)
    from skill.web.verify import Verifier

log = logging.getLogger("gentle_yoga.web")

MAX_BODY = 128 * 1024  # Alexa's requests are a few KB; anything this size is not one of them
# Alexa's envelopes nest about a dozen levels. Far deeper is not one of them, and would run Python out of stack
# while the request is read or the answer written.
MAX_DEPTH = 50


def _finite(text: str) -> float:
    """A JSON number with a fraction or exponent; one too large for a float (1e400) is not a number we can use."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")  # Python's json reads NaN and Infinity; JSON has no such words


# One decoder for every request (json.loads with these options would build a new one each call).
_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_not_json)


def _depth(value: Any) -> int:
    """How deeply value's lists and objects nest, counted without recursion (only containers are visited)."""
    if not isinstance(value, (dict, list)):
        return 0
    deepest, stack = 1, [(value, 1)]
    while stack:
        value, level = stack.pop()
        if level > deepest:
            deepest = level
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, (dict, list)):
                stack.append((child, level + 1))
    return deepest


def _envelope(body: bytes) -> dict[str, Any]:
    try:  # strictly UTF-8, as Alexa sends it (json.loads alone would also take UTF-16 and UTF-32)
        envelope = _DECODER.decode(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Rejected("the body is not JSON") from None
    except RecursionError:
        raise Rejected("the body nests too deeply") from None
    if _depth(envelope) > MAX_DEPTH:
        raise Rejected("the body nests too deeply")
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
        self.reader = Serializer()  # reads the envelope from the JSON parsed here once

    def answer(self, headers: Mapping[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        if len(body) > MAX_BODY:  # a body with no length is read only to a byte past the limit, never in full
            return 413, {"error": f"the body is larger than {MAX_BODY} bytes"}
        try:
            envelope = _envelope(body)
            if self.verifier is not None:
                self.verifier.verify(headers, body, envelope)
            check_skill_id(envelope, self.skill_id)
            try:
                request = self.reader.envelope(envelope)
            except SerializationException:
                raise Rejected("the request envelope is malformed") from None
            try:
                user_id(request).encode("utf-8")  # Alexa always says whose request it is; the store keeps state by it
            except NoUserId as exc:
                raise Rejected(str(exc)) from None
            except UnicodeEncodeError:  # a lone surrogate, written as \ud800 in the JSON
                raise Rejected("the request's user id is not text") from None
        except (Rejected, VerificationError) as exc:
            log.warning("refused a request: %s", exc)
            return 400, {"error": str(exc)}
        response = self.skill.invoke(request_envelope=request, context=None)
        return 200, cast("dict[str, Any]", self.skill.serializer.serialize(response))  # a ResponseEnvelope: an object
