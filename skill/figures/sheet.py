"""The contact sheet: one HTML page with every pose's drawing, so an author can review them all at once."""
from __future__ import annotations

import re
from html import escape

from skill.figures import Figures
from skill.practice.model import Pose

STYLE = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 24px; color: #24343b; background: #f7f4ee; }
h1 { font-weight: 600; margin: 0 0 4px; } p.lede { margin: 0 0 20px; color: #5b6b70; }
ul { list-style: none; display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 14px;
     padding: 0; margin: 0; }
li { background: #fff; border-radius: 12px; padding: 10px 12px 12px; box-shadow: 0 1px 2px #0001; }
.pics { display: flex; align-items: flex-end; justify-content: center; gap: 6px; min-height: 120px; }
.pics svg { color: #2f5b52; }
h2 { font-size: 15px; margin: 6px 0 0; } code { color: #7a8a8e; font-size: 12px; }
p.alt { margin: 4px 0 0; font-size: 13px; color: #5b6b70; } li.missing { outline: 2px dashed #c55; }
"""


SCALE = 0.55  # pixels a drawing unit: every drawing at the same scale, two side by side in a card


def _sized(svg: str) -> str:
    """svg given a size from its viewBox, so that every pose is drawn at one scale on the sheet."""
    box = re.search(r'viewBox="([^"]+)"', svg)
    if box is None:
        raise ValueError("the drawing has no viewBox")  # render.svg always writes one
    _, _, width, height = (float(n) for n in box.group(1).split())
    return svg.replace("<svg ", f'<svg width="{width * SCALE:.0f}" height="{height * SCALE:.0f}" ', 1)


def contact_sheet(poses: list[Pose], figures: Figures, sided: set[str]) -> str:
    """Every pose in the catalog's order: its drawing (and the mirrored left side when a class uses sides)."""
    cards = []
    for pose in poses:
        if pose.id not in figures:
            cards.append(f'<li class="missing"><h2>{escape(pose.name)}</h2><code>{pose.id}</code>'
                         '<p class="alt">No drawing yet: add one to sequences/figures.yaml.</p></li>')
            continue
        pictures = [_sized(figures.svg(pose.id))]
        if pose.id in sided:
            pictures.append(_sized(figures.svg(pose.id, left=True)))
        cards.append(f'<li><div class="pics">{"".join(pictures)}</div>'
                     f"<h2>{escape(pose.name)}</h2><code>{pose.id}</code>"
                     f'<p class="alt">{escape(figures.alt(pose.id))}</p></li>')
    drawn = sum(pose.id in figures for pose in poses)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Gentle Yoga: every pose</title>"
            f"<style>{STYLE}</style></head><body><h1>Every pose</h1>"
            f'<p class="lede">{drawn} of {len(poses)} poses drawn, from sequences/figures.yaml. Poses done on each '
            "side show the right side, then its mirror image for the left.</p>"
            f"<ul>{''.join(cards)}</ul></body></html>\n")
