"""Screenshots of the browser player and the contact sheet, to look at (not a test).

    .venv/bin/python tests/screenshots.py --out /tmp/shots

Serves the real app (fast time, an in-memory store) and drives Debian's Chromium through the screens a new user
sees: the class list, the ready screen, a pose with its drawing, paused, the minutes dialog, phones at 320 and
375 px, the finished screen while the closing plays, the ready screen with no voice, and build/figures.html
(run `make check` first to write it).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]  # tests/ and the repository
from browser import SPEECH_STUB, FastClock, LiveServer, launch  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from skill.config import ROOT, Settings  # noqa: E402
from skill.stores.memory import MemoryStore  # noqa: E402
from skill.web.app import create_app  # noqa: E402


def until(page, script: str, seconds: float = 240) -> None:
    """Poll a script in the page (its policy forbids Playwright's wait_for_function)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if page.evaluate(script):
            return
        page.wait_for_timeout(50)
    raise TimeoutError(script)


def shoot(out: Path, speed: float) -> None:
    settings = Settings(sequences=ROOT / "sequences", data_dir=Path(tempfile.mkdtemp()), verify=False)
    live = LiveServer(create_app(settings, store=MemoryStore(), clock=FastClock(speed))).start()
    with sync_playwright() as playwright:
        browser = launch(playwright)

        def page(width: int, height: int, speech: bool = True):
            context = browser.new_context(viewport={"width": width, "height": height}, base_url=live.url)
            if speech:
                context.add_init_script(SPEECH_STUB)
            opened = context.new_page()
            opened.goto("/")
            opened.wait_for_selector("#screen-classes:not([hidden])")
            return opened

        def begin(opened, title: str = "Low Back Release") -> None:
            opened.get_by_role("button", name=f"Choose {title}").click()
            opened.wait_for_selector("#screen-ready:not([hidden])")
            opened.locator("#btn-begin").click()
            opened.wait_for_selector("#screen-practice:not([hidden])")
            until(opened, "document.getElementById('timer-label').textContent === 'Hold'")

        shot = page(1280, 800)
        shot.screenshot(path=out / "classes.png", full_page=True)
        shot.get_by_role("button", name="Choose Low Back Release").click()
        shot.wait_for_selector("#screen-ready:not([hidden])")
        shot.screenshot(path=out / "ready.png", full_page=True)
        shot.locator("#btn-begin").click()
        shot.wait_for_selector("#screen-practice:not([hidden])")
        until(shot, "document.getElementById('timer-label').textContent === 'Hold'")
        shot.wait_for_timeout(1500)
        shot.screenshot(path=out / "pose.png", full_page=True)
        shot.keyboard.press("Space")
        until(shot, "document.getElementById('timer-label').textContent === 'Paused'")
        shot.screenshot(path=out / "paused.png", full_page=True)
        shot.keyboard.press("m")
        shot.wait_for_timeout(300)
        shot.screenshot(path=out / "minutes.png")
        for width in (320, 375):
            phone = page(width, 700)
            phone.screenshot(path=out / f"phone{width}-classes.png")
            begin(phone)
            phone.screenshot(path=out / f"phone{width}.png", full_page=True)
        ending = page(1280, 800)
        begin(ending, "Morning Wake-Up")
        ending.wait_for_selector("#screen-finished:not([hidden])", timeout=240_000)
        ending.screenshot(path=out / "closing.png", full_page=True)
        quiet = page(1280, 800, speech=False)
        quiet.get_by_role("button", name="Choose Hip Release").click()
        quiet.wait_for_selector("#screen-ready:not([hidden])")
        quiet.screenshot(path=out / "no-voice.png", full_page=True)
        sheet = ROOT / "build" / "figures.html"
        if sheet.exists():
            review = browser.new_page(viewport={"width": 1400, "height": 1000})
            review.goto(sheet.as_uri())
            review.screenshot(path=out / "sheet.png", full_page=True)
        browser.close()
    live.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description="Take screenshots of the browser player and the contact sheet.")
    parser.add_argument("--out", type=Path, default=Path("build/screenshots"), help="folder for the PNGs")
    parser.add_argument("--speed", type=float, default=40, help="class seconds a real second (default 40)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shoot(args.out, args.speed)
    print(f"wrote the screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
