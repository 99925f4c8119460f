"""GET /audio/…: the class's rendered streams, as devices fetch them (byte ranges, a strong ETag, long caching)."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from skill.audio import mp3
from skill.audio.host import AudioHost

CACHE_SECONDS = 365 * 24 * 3600  # a name never changes its bytes: a new voice or an edited class is a new name


def audio_blueprint(host: AudioHost | None) -> Blueprint:
    """The audio routes; with no audio host every name is unknown."""
    blueprint = Blueprint("audio", __name__)

    @blueprint.get("/audio/<path:name>", merge_slashes=False)  # a doubled slash is no name, not a redirect
    def stream(name: str):  # type: ignore[no-untyped-def]
        found = host.stream(name) if host is not None else None
        if found is None:
            answer = jsonify(error="no such audio")
            answer.status_code = 404
            return answer
        response = Response(found.data, mimetype=mp3.MIME, direct_passthrough=True)
        response.set_etag(found.etag)  # strong: the same name always has the same bytes
        response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response.make_conditional(request, accept_ranges=True, complete_length=len(found.data))

    return blueprint
