"""GET /audio/…: the class's rendered streams, as devices fetch them, and single clips by their content key, as
the browser player plays them (byte ranges, a strong ETag, long caching for both)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask import Blueprint, Response, jsonify, request

from skill.errors import AudioError

if TYPE_CHECKING:  # the audio package is imported only by an app with a voice (skill.audio.open_audio)
    from skill.audio.assemble import Stream
    from skill.audio.host import AudioHost

CACHE_SECONDS = 365 * 24 * 3600  # a name never changes its bytes: a new voice or an edited class is a new name
_CLIP = re.compile(r"^([0-9a-f]{64})\.mp3$")


def clip_path(key: str) -> str:
    """Where the browser fetches the cached clip with this content key."""
    return f"/audio/clips/{key}.mp3"


def _not_found() -> Response:
    answer = jsonify(error="no such audio")
    answer.status_code = 404
    return answer


def _serve(found: Stream) -> Response:
    """found as MP3: whole, or the byte range asked for; 304 when the browser has it already."""
    from skill.audio import mp3  # only an app with a voice has audio to serve

    response = Response(found.data, mimetype=mp3.MIME, direct_passthrough=True)
    response.set_etag(found.etag)  # strong: the same name always has the same bytes
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.make_conditional(request, accept_ranges=True, complete_length=len(found.data))  # in place
    return response


def audio_blueprint(host: AudioHost | None) -> Blueprint:
    """The audio routes; with no audio host every name is unknown."""
    blueprint = Blueprint("audio", __name__)

    @blueprint.get("/audio/clips/<name>")  # one segment: a stream's name always has three
    def clip(name: str) -> Response:
        """A clip the cache holds, read whole and checked (a damaged entry is never served)."""
        match = _CLIP.match(name)
        entry = host.audio.cache.backend.read(match.group(1)) if host is not None and match else None
        if entry is None:
            return _not_found()
        from skill.audio.assemble import Stream  # a host means the audio package is loaded already
        from skill.audio.clips import unpack

        try:
            found = unpack(entry)
        except AudioError:
            return _not_found()
        return _serve(Stream(found.data, found.frames))

    @blueprint.get("/audio/<path:name>", merge_slashes=False)  # a doubled slash is no name, not a redirect
    def stream(name: str) -> Response:
        found = host.stream(name) if host is not None else None
        return _not_found() if found is None else _serve(found)

    return blueprint
