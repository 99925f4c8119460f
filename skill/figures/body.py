"""A pose's description as joint angles, and the stick figure's strokes it draws (pure: no I/O).

Angles are degrees in a side view of the figure facing right: 0 points right (forward), 90 up, 180 back, -90 down.
Each limb is a chain of directions from where it joins the body: an arm is [upper arm, forearm], a leg
[thigh, shin, foot]. The first limb of a pair is the near one, drawn full; the second, if given, is the far one,
drawn softer behind. In a front view the first limb is on the viewer's right, and the body has width.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

# Body proportions, in drawing units (a standing figure is about 150 tall).
TORSO, NECK, HEAD = 48.0, 6.0, 9.0
ARM = (27.0, 25.0)
LEG = (40.0, 38.0, 11.0)
SHOULDERS, HIPS = 26.0, 18.0  # widths, in a front view only
WIDTH, HEIGHT = 260.0, 210.0  # the drawing's box
GROUND = 192.0  # the floor's height in the box
PAD = 8.0  # the least space between the figure and the box's edge
FRAME_MARGIN, MIN_HALF_WIDTH, FLOOR_INSET = 12.0, 60.0, 4.0  # the picture's frame around the figure

Point = tuple[float, float]


@dataclass(frozen=True)
class Figure:
    """One pose's description: where the torso, head and limbs point, and what the picture says in words."""

    pose: str
    alt: str
    torso: float
    head: float
    arms: tuple[tuple[float, ...], ...]
    legs: tuple[tuple[float, ...], ...]
    view: str = "side"  # side or front
    bend: float = 0.0  # how far the spine bows from a straight line, toward the back when positive
    strap: bool = False  # a strap from the near hand to the near foot
    wall: bool = False  # a wall behind the feet (legs up the wall)
    lift: float = 0.0  # how far above the floor the lowest point sits (a bolster, the hands of a held pose)


@dataclass(frozen=True)
class Limb:
    """An arm or a leg as a line through its joints; a far limb is behind the body."""

    kind: str  # arm or leg
    far: bool
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Drawing:
    """A figure's strokes in the box: the limbs, the spine, the head, the floor and any props."""

    limbs: tuple[Limb, ...]
    head: Point
    spine: tuple[Point, Point, Point]  # hips, the bow's control point, shoulders (a quadratic curve)
    props: tuple[tuple[Point, ...], ...] = field(default=())
    floor: tuple[Point, Point] = ((PAD, GROUND), (WIDTH - PAD, GROUND))
    frame: tuple[float, float, float, float] = (0.0, 0.0, WIDTH, HEIGHT)  # the part of the box to show: x, y, w, h


def _toward(start: Point, degrees: float, length: float) -> Point:
    rad = math.radians(degrees)
    return (start[0] + length * math.cos(rad), start[1] - length * math.sin(rad))


def _chain(start: Point, angles: tuple[float, ...], lengths: tuple[float, ...]) -> tuple[Point, ...]:
    points = [start]
    for angle, length in zip(angles, lengths, strict=False):
        points.append(_toward(points[-1], angle, length))
    return tuple(points)


def _lay_out(fig: Figure) -> Drawing:
    """The figure with its hips at the origin, before it is set on the floor."""
    hips = (0.0, 0.0)
    shoulders = _toward(hips, fig.torso, TORSO)
    side = fig.torso - 90  # across the body, toward the viewer's right in a front view
    front = fig.view == "front"
    limbs: list[Limb] = []
    for kind, joint, pairs, lengths in (("arm", shoulders, fig.arms, ARM), ("leg", hips, fig.legs, LEG)):
        for k, angles in enumerate(pairs):
            root = _toward(joint, side + 180 * k, (SHOULDERS if kind == "arm" else HIPS) / 2) if front else joint
            # In a front view both sides face the viewer, so neither is behind; each starts at the body's middle.
            limbs.append(Limb(kind, k > 0 and not front, ((joint,) if front else ()) + _chain(root, angles, lengths)))
    middle = ((hips[0] + shoulders[0]) / 2, (hips[1] + shoulders[1]) / 2)
    bow = _toward(middle, fig.torso + 90, fig.bend)
    head = _toward(shoulders, fig.head, NECK + HEAD)
    props: tuple[tuple[Point, ...], ...] = ()
    if fig.strap:  # from the near hand to the near foot
        props = ((limbs[0].points[-1], limbs[len(fig.arms)].points[-1]),)
    return Drawing(limbs=tuple(limbs), head=head, spine=(hips, bow, shoulders), props=props)


def _points(d: Drawing) -> list[Point]:
    return [p for limb in d.limbs for p in limb.points] + [p for line in d.props for p in line] + \
        [d.spine[0], d.spine[2]]


def _each(d: Drawing, at: Callable[[Point], Point], floor: tuple[Point, Point] | None = None) -> Drawing:
    """d with every point moved by at."""
    return Drawing(limbs=tuple(Limb(limb.kind, limb.far, tuple(at(p) for p in limb.points)) for limb in d.limbs),
                   head=at(d.head), spine=(at(d.spine[0]), at(d.spine[1]), at(d.spine[2])),
                   props=tuple(tuple(at(p) for p in line) for line in d.props), floor=floor or d.floor,
                   frame=d.frame)


def draw(fig: Figure) -> Drawing:
    """The figure set on the floor, centred in the box, and made smaller only if it would not fit."""
    d = _lay_out(fig)
    points = _points(d)
    xs = [p[0] for p in points] + [d.head[0] - HEAD, d.head[0] + HEAD]
    ys = [p[1] for p in points] + [d.head[1] - HEAD, d.head[1] + HEAD]
    lowest = max(max(p[1] for p in points), d.head[1] + HEAD - 6)  # the head may rest on the floor
    tall, wide = lowest - min(ys), max(xs) - min(xs)
    scale = min(1.0, (GROUND - fig.lift - 2 * PAD) / tall, (WIDTH - 2 * PAD) / wide)
    dx = WIDTH / 2 - (min(xs) + max(xs)) / 2 * scale
    dy = GROUND - fig.lift - 2.5 - lowest * scale  # half a stroke above the floor line
    placed = _each(d, lambda p: (p[0] * scale + dx, p[1] * scale + dy))
    if fig.wall:
        x = max(p[0] for p in _points(placed)) + 6
        placed = replace(placed, props=(*placed.props, ((x, PAD), (x, GROUND))))
    return _framed(placed)


def _framed(d: Drawing) -> Drawing:
    """d shown from just above its head down to the floor, and as wide as it needs, centred on the box's middle
    (so the mirror image has the same frame): every pose fills its picture at the same scale."""
    points = _points(d) + [(d.head[0] - HEAD, d.head[1] - HEAD), (d.head[0] + HEAD, d.head[1] + HEAD)]
    half = max(MIN_HALF_WIDTH, max(abs(x - WIDTH / 2) for x, _ in points) + FRAME_MARGIN)
    top = max(0.0, min(y for _, y in points) - FRAME_MARGIN)
    if any(line[0][1] <= PAD for line in d.props):  # a wall reaches the top of the box
        top = min(top, PAD)
    left = WIDTH / 2 - half
    return replace(d, floor=((left + FLOOR_INSET, GROUND), (WIDTH - left - FLOOR_INSET, GROUND)),
                   frame=(left, top, 2 * half, HEIGHT - top))


def mirror(d: Drawing) -> Drawing:
    """The same drawing seen from the other side: every point reflected across the box's middle."""
    def flip(p: Point) -> Point:
        return (WIDTH - p[0], p[1])

    return _each(d, flip, floor=(flip(d.floor[1]), flip(d.floor[0])))
