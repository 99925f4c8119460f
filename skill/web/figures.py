"""GET /figures/POSE.svg (and POSE-left.svg, POSE.avg.json for Echo Show screens): each pose's line drawing.

The drawings are made from sequences/figures.yaml when the app starts to serve them, and cached by browsers
and devices for a day; the ETag changes whenever a drawing does.
"""
from __future__ import annotations

import hashlib
import json
import re

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue

from skill.figures import Figures

_NAME = re.compile(r"^(?P<pose>[a-z][a-z0-9_]*?)(?P<left>-left)?\.(?P<kind>svg|avg\.json)$")
MAX_AGE = 24 * 3600
TYPES = {"svg": "image/svg+xml", "avg.json": "application/json"}


def figures_blueprint(figures: Figures) -> Blueprint:
    """The drawings, by file name; an unknown pose is a short JSON 404 like every other error."""
    blueprint = Blueprint("figures", __name__)

    @blueprint.get("/figures/<name>")
    def figure(name: str) -> ResponseReturnValue:
        match = _NAME.match(name)
        if match is None or match["pose"] not in figures:
            return jsonify(error=f"there is no drawing called {name!r}"), 404
        left = match["left"] is not None
        if match["kind"] == "svg":
            body = figures.svg(match["pose"], left)
        else:
            body = json.dumps(figures.avg(match["pose"], left), separators=(",", ":"))
        response = Response(body, mimetype=TYPES[match["kind"]])
        response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response.headers["Access-Control-Allow-Origin"] = "*"  # Echo Show devices fetch the AVG cross-origin
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response.make_conditional(request)

    return blueprint
