"""GET /figures/POSE.svg (and POSE-left.svg, POSE.avg.json for Echo Show screens): each pose's line drawing.

The drawings are read from sequences/figures.yaml when first asked for (by the browser, or by a screen that shows
pictures), not at every start, and cached by browsers and devices for a day; the ETag changes whenever a drawing
does.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue

from skill.errors import SequenceErrors

if TYPE_CHECKING:  # skill.figures (and figures.yaml) are loaded by the first request that needs a drawing
    from skill.figures import Figures

log = logging.getLogger("gentle_yoga.web")

_NAME = re.compile(r"^(?P<pose>[a-z][a-z0-9_]*?)(?P<left>-left)?\.(?P<kind>svg|avg\.json)$")
MAX_AGE = 24 * 3600
TYPES = {"svg": "image/svg+xml", "avg.json": "application/json"}


class Drawings:
    """The poses' drawings beside the classes, read once, by the first request that needs one.

    Most requests never draw (no screen, or no public address for its pictures), so a start does not pay for
    reading and checking figures.yaml. Should the file be broken, that is logged as an error and there are no
    drawings: screens show their text-only layout and the routes answer 404 (`python -m skill check` names each
    problem).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._figures: Figures | None = None
        self._lock = threading.Lock()

    def figures(self) -> Figures:
        if self._figures is None:
            with self._lock:  # a worker's threads may ask at once: read the file once
                if self._figures is None:
                    self._figures = self._load()
        return self._figures

    def _load(self) -> Figures:
        from skill.classes import load_poses
        from skill.figures import Figures

        try:
            return Figures.load(self.directory, list(load_poses(self.directory / "poses.yaml")))
        except SequenceErrors as exc:
            log.error("the drawings cannot be used, so none are shown: %s", exc)
            return Figures()

    def alts(self) -> Alts:
        return Alts(self)


class Alts(Mapping[str, str]):
    """Each drawn pose's words for what its drawing shows (apl.Pictures), read with the drawings when first asked."""

    def __init__(self, drawings: Drawings) -> None:
        self.drawings = drawings

    def __getitem__(self, pose: str) -> str:
        return self.drawings.figures().alt(pose)

    def __contains__(self, pose: object) -> bool:
        return pose in self.drawings.figures()

    def __iter__(self) -> Iterator[str]:
        return iter(self.drawings.figures().by_pose)

    def __len__(self) -> int:
        return len(self.drawings.figures().by_pose)


def figures_blueprint(drawings: Drawings) -> Blueprint:
    """The drawings, by file name; an unknown pose is a short JSON 404 like every other error."""
    blueprint = Blueprint("figures", __name__)

    @blueprint.get("/figures/<name>")
    def figure(name: str) -> ResponseReturnValue:
        figures = drawings.figures()
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
