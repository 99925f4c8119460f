"""The AWS Lambda entry point: Alexa invokes `skill.lambda_function.lambda_handler` with the request as a dict.

The skill is the one the web app serves (`build_skill`), built once per Lambda container on its first request
and reused while the container lives. There is no signature to check: only Alexa can invoke the function (the
Alexa Skills Kit trigger, bound to the skill id). Requests for another skill id, when GENTLE_YOGA_SKILL_ID is
set, and request types the skill does not answer are refused before they reach the skill, as on the web.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

from ask_sdk_core.exceptions import SerializationException

from skill.alexa import translate
from skill.alexa.serializer import Serializer
from skill.alexa.skill import build_skill
from skill.audio.host import AudioHost
from skill.classes import load_library
from skill.config import Settings
from skill.errors import ConfigError, VerificationError
from skill.practice.model import Library
from skill.stores import Store, open_store, redact

log = logging.getLogger("gentle_yoga.lambda")
LASTING = ("dynamodb", "redis", "rediss")  # stores that outlive a Lambda container


class LambdaSkill:
    """The skill with its store and checks, ready to answer invocations."""

    def __init__(self, settings: Settings, *, library: Library | None = None, store: Store | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        if not settings.id_secret:
            raise ConfigError("GENTLE_YOGA_ID_SECRET must be set on AWS Lambda: the data dir, where the id secret "
                              "is otherwise kept, does not last there, and every stored place would be lost with "
                              "it. Set it to 64 random hex characters (python -c 'import secrets; "
                              "print(secrets.token_hex(32))') in the function's environment.")
        self.skill_id = settings.skill_id
        if not self.skill_id:
            log.warning("GENTLE_YOGA_SKILL_ID is not set, so requests for any skill are accepted")
        if store is None and settings.store.partition(":")[0] not in LASTING:
            raise ConfigError(f"GENTLE_YOGA_STORE is {redact(settings.store)!r}, which does not last on AWS Lambda "
                              "(a container's files and memory go when it does); use dynamodb://TABLE")
        self.library = library if library is not None else load_library(settings.sequences)
        self.store = store if store is not None else open_store(settings.store, settings.data_dir,
                                                                settings.id_secret, settings.keep_seconds)
        self.audio = lambda_audio(settings, self.library)
        self.skill = build_skill(self.library, self.store, settings.pace, clock, self.audio, settings.player)
        self.reader = Serializer()

    def check(self, event: Any) -> None:
        """Raise VerificationError (the short reason) for a request the skill must not answer."""
        request = event.get("request") if isinstance(event, Mapping) else None
        if not isinstance(request, Mapping):
            raise VerificationError("the event is not an Alexa request envelope")
        if not translate.handles(request.get("type")):
            raise VerificationError(f"unsupported request type {str(request.get('type'))[:60]!r}")
        translate.check_skill_id(event, self.skill_id)

    def __call__(self, event: Any, context: Any) -> dict[str, Any]:
        try:
            self.check(event)
        except VerificationError as exc:
            log.warning("refused a request: %s", exc)
            raise
        try:
            request = self.reader.envelope(event)  # Lambda hands over the request already parsed
        except SerializationException:
            log.warning("refused a request: the request envelope is malformed")
            raise VerificationError("the request envelope is malformed") from None
        response = self.skill.invoke(request_envelope=request, context=context)
        return cast("dict[str, Any]", self.skill.serializer.serialize(response))  # a ResponseEnvelope: an object


def lambda_audio(settings: Settings, library: Library) -> AudioHost | None:
    """The audio the class plays from on Lambda: clips and measurements in S3 (put there by `render --upload`),
    streams served from the bucket; None (the class is spoken) unless voice, S3 cache and public URL are all set."""
    if settings.voice == "off" or not settings.audio_cache.startswith("s3://") or not settings.public_url:
        return None
    from skill.audio import open_audio
    from skill.audio.clips import S3Backend
    from skill.audio.publish import publisher

    host, description = open_audio(settings, library)
    if host is None:
        log.warning("no audio on Lambda: %s", description)
        return None
    backend = host.audio.cache.backend
    assert isinstance(backend, S3Backend)
    host.publish = publisher(backend)
    host.prepare(render=False)  # one read of the kept measurements; a Lambda never renders a class
    return host if host.ready else None


_skill: LambdaSkill | None = None
_lock = threading.Lock()


def current() -> LambdaSkill:
    """This container's skill, built from the environment on first use."""
    global _skill
    if _skill is None:
        with _lock:
            if _skill is None:
                logging.getLogger("gentle_yoga").setLevel(logging.INFO)  # Lambda's root logger sends to CloudWatch
                _skill = LambdaSkill(Settings.from_env())
                log.info("Gentle Yoga is ready: %d classes, state in %s", len(_skill.library),
                         _skill.store.describe())
    return _skill


def reset() -> None:
    """Forget the built skill, as a new container would (tests change the environment between invocations)."""
    global _skill
    with _lock:
        if _skill is not None:
            _skill.store.close()
        _skill = None


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer one Alexa request; the handler to name in Lambda is skill.lambda_function.lambda_handler."""
    return current()(event, context)
