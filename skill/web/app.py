"""The Flask app factory: POST /alexa for Alexa, GET /healthz for load balancers, and the blueprints' routes."""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from skill import __version__
from skill.alexa.apl import Pictures
from skill.alexa.skill import build_skill
from skill.audio import open_audio
from skill.classes import load_library
from skill.config import Settings
from skill.practice.model import Library
from skill.stores import Store, open_store
from skill.web.audio import audio_blueprint
from skill.web.endpoint import MAX_BODY, Endpoint
from skill.web.figures import Drawings, figures_blueprint
from skill.web.player import player_blueprint

if TYPE_CHECKING:  # imported when used: cryptography (skill.web.verify) only by an app that verifies
    from skill.audio.host import AudioHost
    from skill.web.verify import Verifier

log = logging.getLogger("gentle_yoga.web")

VERIFY_OFF_WARNING = (
    "REQUEST VERIFICATION IS OFF (GENTLE_YOGA_VERIFY=off): anyone who can reach this server can act as Alexa. "
    "Use this only for local testing."
)


WARNED = "GENTLE_YOGA_STARTUP_WARNED"  # set by gunicorn's master once it has logged the warnings


def startup_warnings(settings: Settings) -> list[str]:
    """What an operator must hear when the app starts with settings that are unsafe for production."""
    warnings = [VERIFY_OFF_WARNING] if not settings.verify else []
    if not settings.skill_id:
        warnings.append("GENTLE_YOGA_SKILL_ID is not set, so requests for any skill are accepted")
    return warnings


def _verifier(settings: Settings, given: Verifier | None) -> Verifier | None:
    """The caller's verifier, or one over the configured roots; none when verification is off."""
    if not settings.verify:
        return None
    if given is not None:
        return given
    from skill.web.verify import Verifier, load_roots

    return Verifier(load_roots(settings.cert_roots))


def _audio(settings: Settings, library: Library, given: AudioHost | None) -> tuple[AudioHost | None, str]:
    """The caller's audio host, or the one GENTLE_YOGA_VOICE names, started; and a sentence saying which."""
    if given is not None:
        return given, "given by the caller"
    audio, description = open_audio(settings, library)
    log.info("voice: %s", description)
    if audio is not None:
        audio.start()
    return audio, description


def create_app(settings: Settings | None = None, *, library: Library | None = None,
               store: Store | None = None, verifier: Verifier | None = None,
               clock: Callable[[], float] = time.time, audio: AudioHost | None = None) -> Flask:
    """The skill's web app; tests pass their own store, verifier, clock and audio, production reads the environment.

    Audio is prepared in the background: until it is ready (at once, when the clip cache is warm) the skill
    answers exactly as it would with no voice.
    """
    settings = settings or Settings.from_env()
    # The classes' parsed values are kept beside the store, so a start with unchanged classes needs no YAML parser.
    library = library if library is not None else load_library(settings.sequences, settings.data_dir / "cache" / "yaml")
    if store is None:
        store = open_store(settings.store, settings.data_dir, settings.id_secret, settings.keep_seconds)
    verifier = _verifier(settings, verifier)
    if not os.environ.get(WARNED):  # under gunicorn the master has said them once already
        for warning in startup_warnings(settings):
            log.warning(warning)
    audio, description = _audio(settings, library, audio)
    drawings = Drawings(settings.sequences)  # read when a screen or the browser first asks for a drawing
    pictures = Pictures(settings.public_url, drawings.alts())

    endpoint = Endpoint(build_skill(library, store, settings.pace, clock, audio, settings.player, pictures), verifier,
                        settings.skill_id)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY + 1  # a byte over: a chunked body cut off here shows it was too big
    app.extensions["gentle_yoga.endpoint"] = endpoint
    app.extensions["gentle_yoga.store"] = store
    app.extensions["gentle_yoga.audio"] = audio
    app.extensions["gentle_yoga.voice"] = description
    app.register_blueprint(player_blueprint(library, store, settings.pace, clock, audio))  # the browser player
    app.register_blueprint(audio_blueprint(audio))
    app.register_blueprint(figures_blueprint(drawings))  # each pose's drawing, for the player and Echo Show

    @app.post("/alexa")
    def alexa() -> tuple[Response, int]:
        # werkzeug's Headers reads like a Mapping (get, items, case-insensitive) but is not declared one
        status, payload = endpoint.answer(request.headers, request.get_data(cache=False))  # type: ignore[arg-type]
        return jsonify(payload), status

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", version=__version__, classes=len(library))

    app.register_error_handler(HTTPException, http_error)
    return app


def http_error(error: HTTPException) -> Response:
    """Errors as short JSON, like the endpoint's own refusals, never an HTML page or a traceback; headers the
    error carries (Content-Range on a 416, Allow on a 405) are kept."""
    answer = jsonify(error=error.description or error.name)
    answer.status_code = error.code or 500
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            answer.headers[name] = value
    return answer
