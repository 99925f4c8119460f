"""Every pose's line drawing: each parses, says what it shows, mirrors for the left side, and has the right shape.

The shape checks read the SVG that is served, and hold the drawings to what a yoga teacher would expect to
see (a down dog is an upside-down V, a child's pose is folded over the knees), not to the renderer's own numbers.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from skill.classes import load_poses
from skill.config import ROOT
from skill.errors import SequenceErrors
from skill.figures import Figures, load_figures, missing
from skill.figures.body import GROUND, WIDTH

SEQUENCES = ROOT / "sequences"
POSES = load_poses(SEQUENCES / "poses.yaml")
FIGURES = Figures.load(SEQUENCES, list(POSES))
SVG = "{http://www.w3.org/2000/svg}"
FLOOR_TOLERANCE = 6.0  # a joint this close to the floor line (in drawing units) rests on it


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def points(d: str) -> list[tuple[float, float]]:
    """The absolute points of a path made of M, L and Q commands, as the renderer writes lines."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    assert re.fullmatch(r"[MLQ0-9. -]+", d), d
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def lines(svg: str, kind: str) -> list[list[tuple[float, float]]]:
    """The point lists of the paths with this class (near arm, far leg, spine, ...)."""
    return [points(p.get("d", "")) for p in parsed(svg).iter(f"{SVG}path") if kind in p.get("class", "").split(" ")
            or p.get("class") == kind]


def head(svg: str) -> tuple[float, float]:
    circle = next(parsed(svg).iter(f"{SVG}circle"))
    return float(circle.get("cx", "nan")), float(circle.get("cy", "nan"))


class TestEveryPose:
    def test_every_pose_in_the_catalog_has_a_drawing(self):
        """No pose in poses.yaml is left without a picture (make check fails the same way)."""
        assert missing(FIGURES.by_pose, POSES) == []

    @pytest.mark.parametrize("pose", list(POSES))
    def test_each_drawing_parses_and_says_what_it_shows(self, pose):
        """Each SVG is well-formed, an image with its alt text as its name and title, with a body and a head."""
        root = parsed(FIGURES.svg(pose))
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        alt = root.get("aria-label")
        assert alt and len(alt.split()) >= 6 and root.find(f"{SVG}title").text == alt
        assert len(lines(FIGURES.svg(pose), "spine")) == 1 and len(lines(FIGURES.svg(pose), "arm")) >= 1
        assert len(lines(FIGURES.svg(pose), "leg")) >= 1 and root.find(f"{SVG}circle") is not None

    @pytest.mark.parametrize("pose", list(POSES))
    def test_each_drawing_stays_in_its_box_and_on_the_floor(self, pose):
        """Nothing is drawn outside the box or below the floor, and some part of the body touches the floor."""
        svg = FIGURES.svg(pose)
        body = [p for kind in ("arm", "leg", "spine") for line in lines(svg, kind) for p in line]
        x, y = head(svg)
        assert all(0 <= px <= WIDTH and 0 <= py <= GROUND for px, py in [*body, (x, y)])
        lowest = max([py for _, py in body] + [y + 9])
        assert GROUND - lowest < FLOOR_TOLERANCE

    @pytest.mark.parametrize("pose", list(POSES))
    def test_the_left_side_is_the_mirror_image_of_the_right(self, pose):
        """Every point of the left drawing is its right-side point reflected across the middle of the box."""
        right, left = FIGURES.svg(pose), FIGURES.svg(pose, left=True)
        for kind in ("arm", "leg", "spine", "prop"):
            for a, b in zip(lines(right, kind), lines(left, kind), strict=True):
                assert [c for x, y in a for c in (WIDTH - x, y)] == pytest.approx([c for p in b for c in p], abs=0.11)
        assert parsed(right).get("viewBox") == parsed(left).get("viewBox")
        (rx, ry), (lx, ly) = head(right), head(left)
        assert (WIDTH - rx, ry) == pytest.approx((lx, ly), abs=0.11)
        if any(abs(x - WIDTH / 2) > 1 for x, _ in lines(right, "arm")[0]):
            assert right != left

    @pytest.mark.parametrize("pose", list(POSES))
    def test_the_echo_show_drawing_has_the_same_strokes(self, pose):
        """The AVG for Echo Show screens is valid JSON in AVG's shape, with one path per SVG stroke and the head."""
        graphic = json.loads(json.dumps(FIGURES.avg(pose)))
        svg = parsed(FIGURES.svg(pose))
        x, y, w, h = (float(n) for n in svg.get("viewBox").split())
        assert graphic["type"] == "AVG" and graphic["description"] == FIGURES.alt(pose)
        assert (graphic["width"], graphic["height"]) == pytest.approx((w, h))
        (group,) = graphic["items"]
        assert group["type"] == "group" and (group["translateX"], group["translateY"]) == pytest.approx((-x, -y))
        assert len(group["items"]) == len(svg.findall(f"{SVG}path")) + 1
        assert all(item["type"] == "path" and item["pathData"].startswith("M") for item in group["items"])


class TestShapes:
    """Poses a teacher would recognise at a glance, checked as shapes."""

    def test_down_dog_is_an_upside_down_v(self):
        """Hands and feet on the floor, far apart, and the hips the highest point between them."""
        svg = FIGURES.svg("downward_dog")
        hand, foot = lines(svg, "arm")[0][-1], max(lines(svg, "leg")[0][-2:], key=lambda p: p[1])
        hips = lines(svg, "spine")[0][0]
        assert GROUND - hand[1] < FLOOR_TOLERANCE and GROUND - foot[1] < FLOOR_TOLERANCE
        assert abs(hand[0] - foot[0]) > 80
        assert min(hand[0], foot[0]) < hips[0] < max(hand[0], foot[0])
        assert hips[1] < min(p[1] for line in lines(svg, "arm") + lines(svg, "leg") for p in line) + 0.5
        assert GROUND - hips[1] > 60

    @pytest.mark.parametrize("pose", ["childs_pose", "wide_knee_child"])
    def test_childs_pose_is_folded_over_the_knees(self, pose):
        """Knees and shins on the floor, the hips above the heels, the head down in front of the knees."""
        svg = FIGURES.svg(pose)
        hips, knee, ankle = lines(svg, "leg")[0][:3]
        x, y = head(svg)
        assert GROUND - knee[1] < FLOOR_TOLERANCE and GROUND - ankle[1] < FLOOR_TOLERANCE
        assert abs(hips[0] - ankle[0]) < 12 and hips[1] < knee[1] - 10
        assert x > knee[0] and y > hips[1] and GROUND - (y + 9) < FLOOR_TOLERANCE

    def test_mountain_stands_with_the_head_on_top(self):
        """Standing: the feet on the floor and the head the highest part, well above them."""
        svg = FIGURES.svg("mountain")
        feet = [max(line[-2:], key=lambda p: p[1]) for line in lines(svg, "leg")]
        assert all(GROUND - y < FLOOR_TOLERANCE for _, y in feet)
        assert head(svg)[1] < min(p[1] for line in lines(svg, "arm") for p in line) and GROUND - head(svg)[1] > 120

    def test_final_relaxation_lies_flat(self):
        """Lying flat: everything within a few units of the floor."""
        svg = FIGURES.svg("savasana")
        body = [p for kind in ("leg", "spine") for line in lines(svg, kind) for p in line[:3]]
        assert all(GROUND - y < 12 for _, y in body)


class TestTheFile:
    """figures.yaml is checked like the class files: every problem named, never a traceback."""

    def write(self, tmp_path, text: str):
        path = tmp_path / "figures.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    def test_problems_name_the_pose_and_the_field(self, tmp_path):
        """An unknown pose, a missing alt, a bad angle and a wrong limb are all reported together."""
        path = self.write(tmp_path, """
mountain: {torso: 90, head: up, arms: [-90, -90], legs: [[-90, -90], [1, 2], [3]]}
no_such_pose: {alt: Standing tall and quiet, torso: 90, head: 90, arms: [0], legs: [0]}
bridge: {alt: Lying on the back, torso: 180, head: 180, arms: [0], legs: [0], colour: red}
""")
        with pytest.raises(SequenceErrors) as caught:
            load_figures(path, POSES)
        text = str(caught.value)
        assert "step mountain, field 'alt'" in text and "step mountain, field 'head'" in text
        assert "step mountain, field 'legs'" in text and "step no_such_pose: is not a pose" in text
        assert "step bridge, field 'colour': unknown field" in text

    def test_a_folder_without_the_file_has_no_drawings(self, tmp_path):
        """Classes kept elsewhere with no figures.yaml still load; every pose is then listed as missing."""
        figures = Figures.load(tmp_path, list(POSES))
        assert figures.by_pose == {} and missing(figures.by_pose, POSES) == list(POSES)


class TestServed:
    """GET /figures/...: what the player and Echo Show screens load."""

    def test_each_drawing_is_served_as_svg_and_avg_with_a_day_of_caching(self, client):
        """The right side, the left side's mirror and the AVG, each with its type and an ETag that revalidates."""
        right = client.get("/figures/downward_dog.svg")
        assert right.status_code == 200 and right.mimetype == "image/svg+xml"
        assert right.get_data(as_text=True) == FIGURES.svg("downward_dog")
        assert "max-age=86400" in right.headers["Cache-Control"] and right.headers["ETag"]
        left = client.get("/figures/downward_dog-left.svg")
        assert left.get_data(as_text=True) == FIGURES.svg("downward_dog", left=True) != right.get_data(as_text=True)
        again = client.get("/figures/downward_dog.svg", headers={"If-None-Match": right.headers["ETag"]})
        assert again.status_code == 304
        graphic = client.get("/figures/downward_dog.avg.json")
        assert graphic.status_code == 200 and graphic.get_json() == FIGURES.avg("downward_dog")

    @pytest.mark.parametrize("name", ["no_such_pose.svg", "downward_dog.png", "../poses.yaml", "Mountain.svg"])
    def test_anything_else_is_a_short_json_404(self, client, name):
        """An unknown pose or kind of file is refused in a sentence, like the app's other errors."""
        response = client.get(f"/figures/{name}")
        assert response.status_code == 404 and "error" in response.get_json()
