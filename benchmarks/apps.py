"""The apps the benchmarks serve: ours with verification on against the test CA, a bare Flask JSON endpoint (also
verifying signatures, to compare like with like), and a bare ask-sdk-core skill behind Flask (what the framework
alone costs; verifying too, `apps:bare_ask(verify=True)`, it does everything ours does at the edge).

gunicorn loads them by name from this folder (`--pythonpath benchmarks 'apps:gentle_yoga()'`), and the cold start
benchmark imports them. Ours is the production app from `create_app`, configured by GENTLE_YOGA_* as in
production, except that its Verifier trusts the root in GENTLE_YOGA_CERT_ROOTS and "fetches" the chain from the
file BENCH_CERT_CHAIN, once per worker, then keeps it in its cache like any chain fetched from Alexa.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, jsonify, request

if TYPE_CHECKING:
    from skill.web.verify import Verifier

CHAIN_FILE = "BENCH_CERT_CHAIN"  # the PEM chain (leaf, intermediate) the benchmark's requests are signed with
CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"  # tests/testca.py's DEFAULT_URL


def gentle_yoga() -> Flask:
    """Our app, verifying every request's signature with the test CA's chain."""
    from skill.config import Settings
    from skill.errors import VerificationError
    from skill.web.app import create_app
    from skill.web.verify import Verifier, load_roots

    settings = Settings.from_env()
    if not settings.verify or settings.cert_roots is None:
        raise SystemExit("apps.gentle_yoga needs GENTLE_YOGA_VERIFY=on and GENTLE_YOGA_CERT_ROOTS (the test root)")
    chain = Path(os.environ[CHAIN_FILE]).read_bytes()

    def fetch(url: str) -> bytes:
        if url != CHAIN_URL:
            raise VerificationError("the benchmark serves one chain only")
        return chain

    return create_app(settings, verifier=Verifier(load_roots(settings.cert_roots), fetch=fetch))


def bare() -> Flask:
    """The baseline: a Flask endpoint that reads the body and answers a small JSON, under the same server."""
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa():  # type: ignore[no-untyped-def]
        request.get_data(cache=False)
        return jsonify(version="1.0", response={"outputSpeech": {"type": "SSML", "ssml": "<speak>hello</speak>"}})

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    return app


def _verifier() -> Verifier:
    """A Verifier as ours uses it: the test root, and the benchmark's chain as the one Alexa's URL serves."""
    from skill.config import Settings
    from skill.web.verify import Verifier, load_roots

    settings = Settings.from_env()
    if settings.cert_roots is None:
        raise SystemExit("the verifying apps need GENTLE_YOGA_CERT_ROOTS (the test root)")
    chain = Path(os.environ[CHAIN_FILE]).read_bytes()
    return Verifier(load_roots(settings.cert_roots), fetch=lambda url: chain)


def bare_verifying() -> Flask:
    """The baseline like for like: the same bare Flask endpoint, but checking each request's signature, timestamp
    and chain as ours does (skill.web.verify, the benchmark's chain), and refusing what fails with 400."""
    import json

    from skill.errors import VerificationError

    verifier = _verifier()
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa():  # type: ignore[no-untyped-def]
        body = request.get_data(cache=False)
        try:
            verifier.verify(request.headers, body, json.loads(body))
        except (VerificationError, ValueError) as exc:
            return jsonify(error=str(exc)), 400
        return jsonify(version="1.0", response={"outputSpeech": {"type": "SSML", "ssml": "<speak>hello</speak>"}})

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    return app


def bare_ask(verify: bool = False) -> Flask:
    """A bare ask-sdk-core skill that answers "hello", behind Flask: body → deserialise → invoke → serialise.

    Not the issue's baseline; it shows how much of a request the Alexa framework takes before any skill runs.
    With verify, it first checks each signature as ours does (and as bare_verifying does): ours like for like."""
    import json

    from ask_sdk_core.dispatch_components import AbstractRequestHandler
    from ask_sdk_core.skill_builder import SkillBuilder
    from ask_sdk_model import RequestEnvelope

    class Hello(AbstractRequestHandler):
        def can_handle(self, handler_input):  # type: ignore[no-untyped-def]
            return True

        def handle(self, handler_input):  # type: ignore[no-untyped-def]
            return handler_input.response_builder.speak("hello").response

    builder = SkillBuilder()
    builder.add_request_handler(Hello())
    skill = builder.create()
    verifier = _verifier() if verify else None
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa():  # type: ignore[no-untyped-def]
        body = request.get_data(cache=False)
        if verifier is not None:
            from skill.errors import VerificationError

            try:
                verifier.verify(request.headers, body, json.loads(body))
            except (VerificationError, ValueError) as exc:
                return jsonify(error=str(exc)), 400
        envelope = skill.serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
        return jsonify(skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=None)))

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    return app
