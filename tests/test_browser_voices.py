"""The browser player's rendered voice in a real headless Chromium (Debian's), against the real app and the
session's real Festival clips.

Headless Chromium decodes and plays MP3 (to a silent output) when started with
--autoplay-policy=no-user-gesture-required, so these tests hear the clips play for real: an init script records
each clip the page's <audio> element plays and the length Chromium decoded for it. The app's clock runs eight
times faster than the wall clock, and the page plays the clips eight times faster to match, so the audio's own
clock and the class's stay one.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import test_browser
from browser import FastClock, LiveServer, launch
from playwright.sync_api import Page, expect, sync_playwright
from test_browser import kept, sent, until

from skill.practice import prompts
from skill.practice.state import Phase
from skill.stores.sqlite import SQLiteStore
from skill.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.audio]

SPEED = 8

# Every clip the page plays: its URL, its rate, the length Chromium decoded, and whether it played to its end.
AUDIO_PROBE = """
(() => {
  window.__played = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!this.src) return play.call(this);
    const entry = {src: new URL(this.src).pathname, rate: this.playbackRate, ended: false};
    const mine = () => this.src.endsWith(entry.src);  // the page reuses one element for every clip
    window.__played.push(entry);
    this.addEventListener("loadedmetadata", () => { if (mine()) entry.duration = this.duration; }, {once: true});
    // Capturing, so it runs before the page's own listener, which at once moves the element on to the next clip.
    this.addEventListener("ended", () => { if (mine()) entry.ended = true; }, {once: true, capture: true});
    return play.call(this);
  };
})();
"""

open_page = test_browser.open_page  # the same fresh profiles, on this module's server


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> SQLiteStore:
    return SQLiteStore(tmp_path_factory.mktemp("voices") / "practice.sqlite3", b"browser-voice-secret" * 2)


@pytest.fixture(scope="module")
def server(library, store, rendered, tmp_path_factory) -> Iterator[LiveServer]:
    from skill.config import ROOT, Settings

    settings = Settings(sequences=ROOT / "sequences", data_dir=tmp_path_factory.mktemp("data"), verify=False)
    app = create_app(settings, library=library, store=store, clock=FastClock(SPEED), audio=rendered)
    live = LiveServer(app).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_playwright() as playwright:
        browser = launch(playwright, "--autoplay-policy=no-user-gesture-required")
        yield browser
        browser.close()


def played(page: Page) -> list[dict]:
    return page.evaluate("window.__played")


def choose_rendered(page: Page) -> None:
    choice = page.get_by_label("Voice", exact=True)
    expect(choice).to_have_value("browser")  # Festival's HTS voice: the browser's own is the default
    choice.select_option("rendered")


def begin(page: Page) -> dict:
    """Choose the class (whose name and props the ready screen says) and begin it; returns the first segment's
    answer, with `before`: how many clips had played till then."""
    with sent(page, "start") as chosen:
        page.get_by_role("button", name="Choose Low Back Release").click()
    ready = [i for i in chosen.value.json()["play"]["items"] if "audio" in i]
    until(page, f"window.__played.filter(p => p.ended).length >= {len(ready)}")
    before = len(played(page))
    with sent(page, "resume") as info:
        page.locator("#btn-begin").click()
    expect(page.locator("#screen-practice")).to_be_visible()
    answer = info.value.json()
    assert answer["voice"] == "rendered"
    return {**answer, "before": before}


def test_the_rendered_voice_plays_every_item_through_the_audio_element(open_page):
    """Each spoken item and chime plays its clip in turn, to its end, at the clock's speed; Chromium decodes each
    to the item's own length; the browser's voice says nothing; the pose on screen is the clip's step."""
    page = open_page(scripts=(AUDIO_PROBE,))
    choose_rendered(page)
    answer = begin(page)
    items = [item for item in answer["play"]["items"] if "audio" in item]
    assert items[0]["kind"] == "chime" and any(item["kind"] == "say" for item in items)
    first = answer["play"]["steps"][0]
    expect(page.locator("#pose-name")).to_have_text(first["name"])
    before = answer["before"]
    until(page, f"window.__played.slice({before}).filter(p => p.ended).length >= {min(len(items), 6)}")
    heard = played(page)[before:]
    assert len([p for p in heard if p["ended"]]) >= min(len(items), 6)
    for item, clip in zip(items, [p for p in heard if p["ended"]], strict=False):
        assert clip["src"] == item["audio"] and clip["rate"] == SPEED
        assert clip["duration"] == pytest.approx(item["seconds"], abs=0.05), item
    assert page.evaluate("window.__spoken") == []


def test_pause_resume_next_previous_and_shorter_work_with_the_rendered_voice(open_page, store):
    page = open_page(scripts=(AUDIO_PROBE,))
    choose_rendered(page)
    begin(page)
    expect(page.locator("#timer-label")).to_have_text("Hold")
    with sent(page, "pause") as info:
        page.keyboard.press("Space")
    paused = info.value.json()["view"]["step"]
    assert page.evaluate("window.GentleYogaClips.element.paused")
    assert kept(page, store).phase is Phase.PAUSED
    count = len(played(page))
    page.wait_for_timeout(500)
    assert len(played(page)) == count  # nothing plays while paused

    with sent(page, "resume") as info:
        page.keyboard.press("Space")
    resumed = [item for item in info.value.json()["play"]["items"] if "audio" in item]
    until(page, f"window.__played.length > {count}")
    assert played(page)[count]["src"] == resumed[0]["audio"]
    expect(page.locator("#pose-name")).to_have_text(paused["name"])

    count = len(played(page))
    with sent(page, "next") as info:
        page.keyboard.press("n")
    moved = info.value.json()
    assert moved["notice"] == prompts.SKIP_ON
    following = moved["play"]["steps"][0]["name"]
    expect(page.locator("#pose-name")).to_have_text(following)
    until(page, f"window.__played.length > {count + 1}")
    assert [p["src"] for p in played(page)[count:count + 2]] == [i["audio"] for i in moved["play"]["items"]
                                                                 if "audio" in i][:2]

    with sent(page, "previous") as info:
        page.keyboard.press("p")
    expect(page.locator("#pose-name")).to_have_text(info.value.json()["play"]["steps"][0]["name"])

    count = len(played(page))
    with sent(page, "shorter") as info:
        page.keyboard.press("s")
    trimmed = info.value.json()
    to_go = next(i for i in trimmed["play"]["items"] if "to go" in i.get("text", ""))
    until(page, f"window.__played.slice({count}).some(p => p.src === {to_go['audio']!r} && p.ended)")
    clip = next(p for p in played(page)[count:] if p["src"] == to_go["audio"])
    assert clip["duration"] <= to_go["seconds"] + 0.05  # rendered for this answer, its real length timed


def test_reload_resumes_in_the_rendered_voice_and_the_choice_is_kept(open_page, store):
    page = open_page(scripts=(AUDIO_PROBE,))
    choose_rendered(page)
    begin(page)
    expect(page.locator("#timer-label")).to_have_text("Hold")
    page.reload()
    expect(page.get_by_label("Voice", exact=True)).to_have_value("rendered")
    expect(page.locator("#status")).to_contain_text("Your place in Low Back Release is kept")
    expect(page.locator("#btn-pause .label")).to_have_text("Resume")
    assert kept(page, store).phase is Phase.PAUSED
    where = page.locator("#pose-name").text_content()
    count = len(played(page))
    with sent(page, "resume") as info:
        page.locator("#btn-pause").click()
    answer = info.value.json()
    assert answer["voice"] == "rendered" and info.value.request.post_data_json["voice"] == "rendered"
    expect(page.locator("#pose-name")).to_have_text(where)
    until(page, f"window.__played.length > {count}")
    assert played(page)[count]["src"] == next(i["audio"] for i in answer["play"]["items"] if "audio" in i)


def test_switching_to_the_browser_voice_mid_class_speaks_the_pose_again_with_it(open_page):
    page = open_page(scripts=(AUDIO_PROBE,))
    choose_rendered(page)
    begin(page)
    expect(page.locator("#timer-label")).to_have_text("Hold")
    where = page.locator("#pose-name").text_content()
    with sent(page, "resume") as info:
        page.get_by_label("Voice", exact=True).select_option("browser")
    assert info.value.json()["voice"] == "browser"
    until(page, f"window.__spoken.includes({where + '.'!r})")
    assert page.evaluate("window.GentleYogaClips.element.paused")
    page.reload()
    expect(page.get_by_label("Voice", exact=True)).to_have_value("browser")
