"""One style for every drawing: a Drawing as SVG (the browser, the contact sheet) or AVG (the Echo Show)."""
from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

from skill.figures.body import HEAD, Drawing, Point

STROKE = 7.0  # the body's line
FLOOR = 3.0  # the floor and props
FAR_OPACITY = 0.45  # limbs on the far side of the body, behind the near ones
SCREEN_INK = "#F3EFE6"  # the Echo Show document's ink and sage (skill/alexa/apl/practice.json)
SCREEN_FLOOR = "#9CC5A1"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _path(points: tuple[Point, ...]) -> str:
    first, *rest = points
    return f"M{_n(first[0])} {_n(first[1])}" + "".join(f"L{_n(x)} {_n(y)}" for x, y in rest)


def _spine(d: Drawing) -> str:
    (x0, y0), (cx, cy), (x1, y1) = d.spine
    return f"M{_n(x0)} {_n(y0)}Q{_n(cx)} {_n(cy)} {_n(x1)} {_n(y1)}"


def _circle(centre: Point, r: float) -> str:
    """A circle as a path (AVG has no circle element)."""
    x, y = centre
    return f"M{_n(x - r)} {_n(y)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0a{_n(r)} {_n(r)} 0 1 0 {_n(-2 * r)} 0Z"


def svg(d: Drawing, alt: str) -> str:
    """A standalone SVG in currentColor, so a page may theme it; alt is its title and accessible name."""
    line = ('fill="none" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round" '
            f'stroke-width="{_n(STROKE)}"')
    x, y, w, h = d.frame
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_n(x)} {_n(y)} {_n(w)} {_n(h)}" role="img" '
             f'aria-label={quoteattr(alt)} class="figure" preserveAspectRatio="xMidYMax meet">',
             f"<title>{_escape(alt)}</title>",
             f'<path class="floor" d="{_path(d.floor)}" fill="none" stroke="currentColor" stroke-opacity="0.35" '
             f'stroke-linecap="round" stroke-width="{_n(FLOOR)}"/>']
    parts += [f'<path class="prop" d="{_path(p)}" fill="none" stroke="currentColor" stroke-opacity="0.6" '
              f'stroke-linecap="round" stroke-width="{_n(FLOOR)}"/>' for p in d.props]
    parts += [f'<path class="far {limb.kind}" d="{_path(limb.points)}" {line} stroke-opacity="{FAR_OPACITY}"/>'
              for limb in d.limbs if limb.far]
    parts.append(f'<path class="spine" d="{_spine(d)}" {line}/>')
    parts += [f'<path class="near {limb.kind}" d="{_path(limb.points)}" {line}/>' for limb in d.limbs if not limb.far]
    parts.append(f'<circle class="head" cx="{_n(d.head[0])}" cy="{_n(d.head[1])}" r="{_n(HEAD)}" '
                 'fill="currentColor"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def avg(d: Drawing, alt: str) -> dict[str, Any]:
    """The same strokes as an Alexa Vector Graphic, for APL's VectorGraphic component."""
    def stroke(path: str, width: float, opacity: float = 1.0, colour: str = SCREEN_INK) -> dict[str, Any]:
        return {"type": "path", "pathData": path, "stroke": colour, "strokeWidth": width, "strokeOpacity": opacity,
                "strokeLineCap": "round", "strokeLineJoin": "round"}

    items = [stroke(_path(d.floor), FLOOR, 0.6, SCREEN_FLOOR)]
    items += [stroke(_path(p), FLOOR, 0.7, SCREEN_FLOOR) for p in d.props]
    items += [stroke(_path(limb.points), STROKE, FAR_OPACITY) for limb in d.limbs if limb.far]
    items.append(stroke(_spine(d), STROKE))
    items += [stroke(_path(limb.points), STROKE) for limb in d.limbs if not limb.far]
    items.append({"type": "path", "pathData": _circle(d.head, HEAD), "fill": SCREEN_INK})
    x, y, w, h = (round(n, 1) for n in d.frame)
    return {"type": "AVG", "version": "1.2", "description": alt, "width": w, "height": h, "viewportWidth": w,
            "viewportHeight": h, "items": [{"type": "group", "translateX": -x, "translateY": -y, "items": items}]}
