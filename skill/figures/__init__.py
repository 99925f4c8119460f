"""A line drawing of every pose: small descriptions in sequences/figures.yaml, drawn by one renderer."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.figures import render
from skill.figures.body import Drawing, Figure, draw, mirror
from skill.figures.catalog import FILE, load_figures, missing

__all__ = ["FILE", "Figures", "figure_path", "load_figures", "missing"]


def figure_path(pose: str, side: str | None, kind: str = "svg") -> str:
    """The path a pose's drawing is served at (kind svg or avg.json); the left side mirrors the right."""
    return f"/figures/{pose}{'-left' if side == 'left' else ''}.{kind}"


@dataclass(frozen=True)
class Figures:
    """The drawings by pose id, rendered on demand and kept: SVG for pages, AVG for Echo Show screens."""

    by_pose: dict[str, Figure] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path, poses: list[str]) -> Figures:
        """The drawings beside the classes; none at all when the folder has no figures.yaml."""
        path = directory / FILE
        return cls(load_figures(path, poses) if path.exists() else {})

    def __contains__(self, pose: object) -> bool:
        return pose in self.by_pose

    def alt(self, pose: str) -> str:
        return self.by_pose[pose].alt

    def svg(self, pose: str, left: bool = False) -> str:
        return _svg(self.by_pose[pose], left)

    def avg(self, pose: str, left: bool = False) -> dict[str, Any]:
        return _avg(self.by_pose[pose], left)


def _drawing(figure: Figure, left: bool) -> Drawing:
    drawing = draw(figure)
    return mirror(drawing) if left else drawing


@lru_cache(maxsize=512)
def _svg(figure: Figure, left: bool) -> str:
    return render.svg(_drawing(figure, left), figure.alt)


@lru_cache(maxsize=512)
def _avg(figure: Figure, left: bool) -> dict[str, Any]:
    return render.avg(_drawing(figure, left), figure.alt)
