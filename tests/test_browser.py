"""The browser player in a real headless Chromium (Debian's), against the real app on a loopback port.

The app runs on a clock twenty times faster than real time, and says so; the page scales its timers to match, so
a 40-minute class moves on in seconds. Practice state goes to a real SQLite file. Headless Chromium has no speech
voices (speaking fails at once), so most tests stand a stub in for `speechSynthesis` (tests/browser.py) that
records what the page asked to say; `test_with_no_voice_the_class_still_runs_on_its_own` runs with none.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser import SPEECH_STUB, FastClock, LiveServer, launch, new_page
from playwright.sync_api import Page, expect, sync_playwright

from skill.practice import prompts
from skill.practice.plan import Plan, total_seconds
from skill.practice.speech import Pace
from skill.practice.state import Phase, from_dict
from skill.stores.sqlite import SQLiteStore
from skill.web.app import create_app
from skill.web.player import COOKIE

pytestmark = pytest.mark.browser

SPEED = 20
WAIT_MS = 20_000  # the longest any one wait may take; the first segment of a class plays in about 11 s
CONTROLS = ["btn-previous", "btn-pause", "btn-next", "btn-repeat", "btn-shorter", "btn-minutes"]
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> SQLiteStore:
    """A real SQLite file, shared by the module's server and its tests."""
    return SQLiteStore(tmp_path_factory.mktemp("player") / "practice.sqlite3", b"browser-test-secret" * 2)


@pytest.fixture(scope="module")
def server(library, store, tmp_path_factory) -> Iterator[LiveServer]:
    from skill.config import ROOT, Settings

    settings = Settings(sequences=ROOT / "sequences", data_dir=tmp_path_factory.mktemp("data"), verify=False)
    live = LiveServer(create_app(settings, library=library, store=store, clock=FastClock(SPEED))).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, server):
    """A fresh browser profile (its own cookie) on the player; speech=False leaves the browser with no voice, and
    scripts run before the page's own."""
    contexts = []

    def open_(width: int = 1280, height: int = 800, speech: bool = True, scripts: tuple[str, ...] = (),
              **options: Any) -> Page:
        page = new_page(chromium, server.url, [*([SPEECH_STUB] if speech else []), *scripts], width, height, **options)
        contexts.append(page.context)
        return page

    yield open_
    for context in contexts:
        assert not context.pages or not context.pages[0].errors, context.pages[0].errors
        context.close()


def sent(page: Page, event: str):
    """Wait for the page to send this event and get its answer (use with `with ... as info`)."""
    def is_it(response) -> bool:
        request = response.request
        return (response.url.endswith("/api/player/events") and request.method == "POST"
                and (request.post_data_json or {}).get("event") == event)
    return page.expect_response(is_it, timeout=WAIT_MS)


def until(page: Page, script: str) -> None:
    """Wait for a script to be true in the page (polled from here: the page's policy forbids eval in it)."""
    for _ in range(WAIT_MS // 50):
        if page.evaluate(script):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {script}")


def spoken(page: Page) -> list[str]:
    return page.evaluate("window.__spoken")


def kept(page: Page, store: SQLiteStore):
    """The state the store keeps for this page's browser."""
    browser_id = next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
    return from_dict(store.load(store.user_key(f"browser:{browser_id}")))


def begin(page: Page, title: str = "Low Back Release") -> dict:
    """Choose the class and begin it; returns the first segment's answer."""
    page.get_by_role("button", name=f"Choose {title}").click()
    expect(page.locator("#ready-title")).to_have_text(title)
    with sent(page, "resume") as info:
        page.locator("#btn-begin").click()
    expect(page.locator("#screen-practice")).to_be_visible()
    return info.value.json()


def holding(page: Page) -> None:
    expect(page.locator("#timer-label")).to_have_text("Hold")


class TestClasses:
    def test_the_list_shows_each_class_with_its_length_focus_and_props(self, open_page, library):
        """Every class is a card with its title, minutes, focus and props, under the page's own strict policy."""
        page = open_page()
        cards = page.locator(".class-card")
        expect(cards).to_have_count(len(library))
        low_back = cards.filter(has_text="Low Back Release")
        practice = library.get("low_back_release")  # the length the skill says: what the class adds up to
        expect(low_back).to_contain_text(f"{round(total_seconds(practice, Plan.full(practice), Pace()) / 60)} min")
        expect(low_back).to_contain_text("For low back, hamstrings and hips")
        expect(low_back).to_contain_text("a mat, a strap, two blocks and a blanket")
        expect(page).to_have_title("Gentle Yoga")

    def test_choosing_a_class_names_the_props_before_it_begins(self, open_page):
        """The ready screen lists what to gather, and the page says the class's name and props aloud."""
        page = open_page()
        page.get_by_role("button", name="Choose Low Back Release").click()
        expect(page.locator("#ready-props li")).to_have_text(["A mat", "A strap", "Two blocks", "A blanket"])
        until(page, "window.__spoken.length >= 3")
        said = spoken(page)
        assert said[0] == "Low Back Release." and "You'll need a mat, a strap, two blocks and a blanket." in said


class TestPractice:
    def test_a_class_shows_the_pose_its_cue_and_a_moving_countdown(self, open_page, library):
        """After begin: the pose in English and Sanskrit, the cue spoken and shown, progress, and a countdown."""
        page = open_page()
        first = begin(page)["play"]["steps"][0]
        expect(page.locator("#pose-name")).to_have_text("Knees to Chest")
        expect(page.locator("#pose-sanskrit")).to_have_text("Apanasana")
        expect(page.locator("#cue")).to_have_text(first["cue"])
        steps = len(library.get("low_back_release").steps)
        expect(page.locator("#progress-text")).to_have_text(re.compile(rf"^Step 1 of {steps} · \d+ min left$"))
        expect(page.locator("#up-next")).to_have_text("Up next: Knee Circles")
        holding(page)
        shown = page.locator("#countdown").text_content()
        expect(page.locator("#countdown")).not_to_have_text(shown)
        said = spoken(page)
        assert "Knees to Chest." in said and first["cue"].split(". ")[0] + "." in said

    def test_space_pauses_and_resumes_the_same_pose(self, open_page, store):
        """Space pauses in the pose on screen (kept in the store); the countdown stops; space again resumes it."""
        page = open_page()
        begin(page)
        holding(page)
        with sent(page, "pause") as info:
            page.keyboard.press("Space")
        paused = info.value.json()["view"]["step"]
        expect(page.locator("#btn-pause")).to_have_attribute("data-state", "play")
        expect(page.locator("#btn-pause .label")).to_have_text("Resume")
        expect(page.locator("#pose-name")).to_have_text(paused["name"])
        expect(page.locator("#status")).to_have_text(re.compile(rf"^Paused in {re.escape(paused['name'])}\."))
        still = page.locator("#countdown").text_content()
        page.wait_for_timeout(500)  # ten seconds of class time
        expect(page.locator("#countdown")).to_have_text(still)
        state = kept(page, store)
        assert state.phase is Phase.PAUSED and state.position == paused["index"]
        before = len(spoken(page))
        with sent(page, "resume"):
            page.keyboard.press("Space")
        expect(page.locator("#btn-pause")).to_have_attribute("data-state", "pause")
        until(page, f"window.__spoken.length >= {before + 2}")
        assert spoken(page)[before:before + 2] == [prompts.RESUME_FROM, f"{paused['name']}."]

    def test_next_shorter_and_make_it_n_minutes(self, open_page):
        """N moves on a pose, S trims the rest, and M asks for minutes in a labelled field and fits the class."""
        page = open_page()
        begin(page)
        holding(page)
        with sent(page, "next") as info:
            page.keyboard.press("n")
        moved = info.value.json()
        assert moved["notice"] == prompts.SKIP_ON
        until(page, "window.__spoken.length > window.__spoken.indexOf('Moving on.') + 1 > 0")
        said = spoken(page)
        assert said[said.index("Moving on.") + 1] == f"{moved['play']['steps'][0]['name']}."
        with sent(page, "shorter") as info:
            page.keyboard.press("s")
        trimmed = info.value.json()
        assert trimmed["notice"].startswith("Okay, I've trimmed the rest of the class.")
        expect(page.locator("#status")).to_have_text(trimmed["notice"])
        page.keyboard.press("m")
        field = page.get_by_label("Minutes from now")
        expect(field).to_be_focused()
        field.fill("25")
        with sent(page, "shorter") as info:
            field.press("Enter")
        assert info.value.request.post_data_json == {"event": "shorter", "voice": "browser", "minutes": 25}
        fitted = info.value.json()["play"]["steps"][0]
        assert fitted["left_seconds"] < trimmed["play"]["steps"][0]["left_seconds"]
        expect(page.locator("#minutes-dialog")).not_to_be_visible()
        # 25 minutes, less what is done, within 10 %
        expect(page.locator("#progress-text")).to_have_text(re.compile(r"· 2[1-7] min left$"))

    def test_the_class_runs_hands_free(self, open_page):
        """With no input at all, the page moves to the next pose, and at the end of the part asks to continue."""
        page = open_page()
        first = begin(page)["play"]
        expect(page.locator("#pose-name")).to_have_text(first["steps"][1]["name"])
        with sent(page, "continue") as info:
            pass
        following = info.value.json()["play"]["steps"][0]
        assert following["index"] == first["steps"][-1]["index"]
        expect(page.locator("#pose-name")).to_have_text(following["name"])

    def test_with_no_voice_the_class_still_runs_on_its_own(self, open_page):
        """Without any speech voice (headless Chromium as it is), the page says so and keeps the class's time."""
        page = open_page(speech=False)
        page.get_by_role("button", name="Choose Morning Wake-Up").click()
        expect(page.locator("#no-voice-note")).to_be_visible()
        with sent(page, "resume") as info:
            page.locator("#btn-begin").click()
        steps = info.value.json()["play"]["steps"]
        expect(page.locator("#pose-name")).to_have_text(steps[0]["name"])
        expect(page.locator("#pose-name")).to_have_text(steps[1]["name"])


class TestReload:
    def test_a_reload_after_a_pause_comes_back_to_the_same_pose(self, open_page):
        """Reload shows the paused pose with Resume and a word on why a press is needed; Resume plays it."""
        page = open_page()
        begin(page)
        holding(page)
        with sent(page, "pause") as info:
            page.locator("#btn-pause").click()
        pose = info.value.json()["view"]["step"]["name"]
        page.reload()
        expect(page.locator("#pose-name")).to_have_text(pose)
        expect(page.locator("#btn-pause .label")).to_have_text("Resume")
        expect(page.locator("#status")).to_contain_text("Your place in Low Back Release is kept")
        with sent(page, "resume"):
            page.locator("#btn-pause").click()
        until(page, "window.__spoken.length >= 2")
        assert spoken(page)[:2] == [prompts.RESUME_FROM, f"{pose}."]

    def test_a_reload_while_playing_keeps_the_pose_that_was_playing(self, open_page, store):
        """Reloading mid-pose pauses there: the page and the store agree on the pose."""
        page = open_page()
        begin(page)
        expect(page.locator("#pose-name")).to_have_text("Knee Circles")
        page.reload()
        expect(page.locator("#btn-pause .label")).to_have_text("Resume")
        state = kept(page, store)
        assert state.phase is Phase.PAUSED
        expect(page.locator("#pose-name")).to_have_text(page.request.get("/api/player").json()["view"]["step"]["name"])
        assert page.request.get("/api/player").json()["view"]["step"]["index"] == state.position


class TestAccess:
    def test_a_phone_sized_screen_never_scrolls_sideways(self, open_page):
        """At 375 by 667 every screen (list, ready, pose, paused, the minutes dialog) fits the width."""
        page = open_page(width=375, height=667, is_mobile=True, has_touch=True)

        def fits() -> None:
            width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1], width

        fits()
        begin(page)
        holding(page)
        fits()
        expect(page.locator("#btn-pause")).to_be_in_viewport()
        with sent(page, "pause"):
            page.locator("#btn-pause").tap()
        fits()
        page.locator("#btn-minutes").tap()
        expect(page.locator("#minutes-dialog")).to_be_visible()
        fits()

    def test_the_keyboard_alone_reaches_every_control_in_order(self, open_page):
        """With only the keyboard: choose a class, begin, pause, then Tab meets every control in reading order,
        each with a visible focus ring, and M's dialog takes the focus and gives it back."""
        page = open_page()

        def tab_to(target: str, most: int = 20) -> None:
            for _ in range(most):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.textContent.trim()").startswith(target):
                    return
            raise AssertionError(f"Tab never reached {target!r}")

        tab_to("Choose Low Back Release")
        page.keyboard.press("Enter")
        expect(page.locator("#ready-title")).to_have_text("Low Back Release")
        tab_to("Begin")
        with sent(page, "resume"):
            page.keyboard.press("Enter")
        expect(page.locator("#btn-pause")).to_be_focused()
        with sent(page, "pause"):
            page.keyboard.press("Space")
        reached = []
        for _ in range(14):
            page.keyboard.press("Tab")
            focus = page.evaluate("""() => { const e = document.activeElement;
                const style = getComputedStyle(e); return [e.id, style.outlineStyle, style.outlineWidth]; }""")
            if focus[0]:
                reached.append(focus[0])
                assert focus[1] != "none" and focus[2] != "0px", f"no focus ring on {focus[0]}"
        cycle = ["skip-link", "btn-voice", "btn-classes", *CONTROLS]
        start = reached.index("skip-link")
        assert reached[start:start + len(cycle)] == cycle, reached
        assert reached[:start] == cycle[cycle.index(reached[0]):], reached
        page.locator("#btn-minutes").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_label("Minutes from now")).to_be_focused()
        page.keyboard.press("Escape")
        expect(page.locator("#minutes-dialog")).not_to_be_visible()
        expect(page.locator("#btn-minutes")).to_be_focused()

    def test_reduced_motion_turns_off_the_animations(self, open_page):
        """With prefers-reduced-motion, the breathing ring and the countdown's sweep do not move."""
        page = open_page(reduced_motion="reduce")
        begin(page)
        holding(page)
        motion = page.evaluate("""() => [getComputedStyle(document.querySelector('.ring')).animationName,
            getComputedStyle(document.querySelector('#ring-fill')).transitionDuration]""")
        assert motion == ["none", "0s"]


def drawing_name(page: Page, pose: str, side: str | None = None) -> str:
    """The alt text of a pose's drawing as the app serves it."""
    text = page.request.get(f"/figures/{pose}{'-left' if side == 'left' else ''}.svg").text()
    found = re.search(r'aria-label="([^"]+)"', text)
    assert found, text
    return found.group(1)


class TestPictures:
    def test_the_pose_and_up_next_show_their_drawings(self, open_page):
        """The pose card shows the current pose's drawing, named by its alt text, and "up next" the next one's."""
        page = open_page()
        first = begin(page)["play"]["steps"]
        step = first[0]
        expect(page.locator("#pose-name")).to_have_text(step["name"])
        figure = page.locator("#pose-figure svg")
        expect(figure).to_have_attribute("aria-label", drawing_name(page, step["pose"], step["side"]))
        expect(figure).to_be_visible()
        assert figure.bounding_box()["width"] > 100
        upcoming = step["up_next"]
        expect(page.locator("#next-figure svg")).to_have_attribute(
            "aria-label", drawing_name(page, upcoming["pose"], upcoming["side"]))
        expect(page.locator("#pose-name")).to_have_text(first[1]["name"])
        expect(figure).to_have_attribute("aria-label", drawing_name(page, first[1]["pose"], first[1]["side"]))

    def test_a_left_side_step_shows_the_mirror_image(self, open_page, library):
        """On a left-side step the picture is the left drawing, the mirror of the right."""
        page = open_page()
        begin(page)
        with sent(page, "pause"):
            page.keyboard.press("Space")
        practice = library.get("low_back_release")
        target = next(i for i, s in enumerate(practice.steps) if s.side == "left")
        for _ in range(target + 5):
            view = page.request.get("/api/player").json()["view"]
            if view["step"]["index"] == target:
                break
            page.request.post("/api/player/events", data={"event": "next"})
            page.request.post("/api/player/events", data={"event": "pause"})
        page.reload()
        expect(page.locator("#pose-side")).to_have_text("Left side")
        left = page.request.get(f"/figures/{practice.steps[target].pose.id}-left.svg").text()
        expect(page.locator("#pose-figure svg path.spine")).to_have_attribute(
            "d", re.search(r'class="spine" d="([^"]+)"', left).group(1))


# Notes, in the page, whether the class was still playing at the moment the finished screen first showed.
FINISHED_WATCH = """
new MutationObserver(() => {
  const finished = document.getElementById("screen-finished");
  if (finished && !finished.hidden && window.__finishedWhile === undefined) {
    window.__finishedWhile = document.body.dataset.playing;
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


class TestTheEnd:
    def test_the_finished_screen_shows_while_the_closing_plays_and_says_what_was_done(self, open_page, library):
        """Once the last pose has played, the finished screen shows (no Resume, no stale pose) while the closing
        is said; it shows the closing once and how long you practised, and nothing old lingers."""
        page = open_page(scripts=(FINISHED_WATCH,))
        begin(page, "Morning Wake-Up")
        with sent(page, "pause"):
            page.keyboard.press("Space")
        for _ in range(40):  # to the last pose, as a person pressing N would
            if page.request.get("/api/player").json()["view"]["step"]["up_next"] is None:
                break
            page.request.post("/api/player/events", data={"event": "next"})
            page.request.post("/api/player/events", data={"event": "pause"})
        page.reload()
        page.locator("#btn-pause").click()
        # Seen by the page itself: at this clock the closing words take about half a second of wall time.
        until(page, "window.__finishedWhile !== undefined")
        assert page.evaluate("window.__finishedWhile") == "yes", "the closing is still being said"
        expect(page.locator("#controls")).to_be_hidden()
        closing = library.get("morning_wake_up").closing
        expect(page.locator("#finished-text")).to_have_text(closing)
        assert page.locator("main").inner_text().count(closing[:40]) == 1
        expect(page.locator("#finished-summary")).to_have_text(
            re.compile(r"^You practised \d+ minutes · your first class this week$"))
        expect(page.locator("#status")).to_have_text("")
        until(page, "document.body.dataset.playing === 'no'")
        expect(page.locator("#screen-finished")).to_be_visible()
        page.locator("#btn-finished-classes").click()
        expect(page.locator("#screen-classes")).to_be_visible()
        expect(page.locator("#status")).to_have_text("")


class TestPapercuts:
    def test_with_no_voice_the_page_says_one_thing(self, open_page):
        """No voice: the ready screen says the cues are on screen only, never that the browser speaks them, and
        the header's button says there is no voice instead of "Voice on"."""
        page = open_page(speech=False)
        page.get_by_role("button", name="Choose Hip Release").click()
        expect(page.locator("#no-voice-note")).to_be_visible()
        expect(page.locator("#voice-hint")).to_be_hidden()
        expect(page.locator("#btn-voice .label")).to_have_text("No voice")
        expect(page.locator("#btn-voice")).to_be_disabled()
        assert page.locator("#btn-voice .label").evaluate("(e) => getComputedStyle(e).textDecorationLine") == "none"

    def test_a_pause_keeps_the_countdown_and_time_left_and_nothing_moves(self, open_page):
        """Pausing freezes the countdown and the time left where they were, and Pause/Resume keep their place."""
        page = open_page()
        begin(page)
        holding(page)
        page.wait_for_timeout(600)  # a few class seconds into the hold
        shown = "() => ['countdown', 'progress-text'].map((id) => document.getElementById(id).textContent)"
        where = ("() => ['btn-previous', 'btn-pause', 'btn-next']"
                 ".map((id) => document.getElementById(id).getBoundingClientRect().x)")
        before, buttons = page.evaluate(shown), page.evaluate(where)
        with sent(page, "pause"):
            page.keyboard.press("Space")
        expect(page.locator("#timer-label")).to_have_text("Paused")
        after = page.evaluate(shown)
        seconds = [int(t.split(":")[0]) * 60 + int(t.split(":")[1]) for t in (before[0], after[0])]
        assert seconds[0] - 2 <= seconds[1] <= seconds[0] and after[1] == before[1], (before, after)
        assert page.evaluate(where) == buttons

    def test_back_at_the_class_list_old_messages_are_gone(self, open_page):
        """The pause's "Paused in …" does not follow you to the class list."""
        page = open_page()
        begin(page)
        with sent(page, "pause"):
            page.keyboard.press("Space")
        expect(page.locator("#status")).not_to_have_text("")
        page.locator("#btn-classes").click()
        expect(page.locator("#screen-classes")).to_be_visible()
        expect(page.locator("#status")).to_have_text("")

    def test_at_320_px_nothing_overflows_or_is_cut_off(self, open_page):
        """On the narrowest phones the header fits, and every control's words fit inside its button."""
        page = open_page(width=320, height=640, is_mobile=True, has_touch=True)
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(overflow) <= 0
        begin(page)
        holding(page)
        assert page.evaluate(overflow) <= 0
        clipped = page.evaluate("""() => [...document.querySelectorAll('#controls button, .top button')]
            .filter((b) => b.offsetParent && b.scrollWidth > b.clientWidth + 1).map((b) => b.id)""")
        assert clipped == []

    def test_the_minutes_dialog_asks_plainly_in_the_pages_colours(self, open_page):
        """A plain title, an empty field with no number that looks filled in, and a focus ring from the palette."""
        page = open_page()
        begin(page)
        page.keyboard.press("m")
        expect(page.locator("#minutes-title")).to_have_text("Change the length")
        field = page.get_by_label("Minutes from now")
        expect(field).to_be_focused()
        assert field.input_value() == "" and not field.get_attribute("placeholder")
        expect(page.locator("#minutes-hint")).to_contain_text(re.compile(r"About \d+ minutes are left now"))
        ring, accent = page.evaluate("""() => [getComputedStyle(document.activeElement).outlineColor,
            getComputedStyle(document.documentElement).getPropertyValue('--focus').trim()]""")
        assert ring != "rgb(47, 95, 143)" and accent in ("#2f5a44", "#c3e0c9")

    def test_titles_keep_their_hyphens_and_the_level_reads_the_same_everywhere(self, open_page):
        """"Wind-Down" never breaks at its hyphen on a card, and the level is "Gentle" on cards and ready alike."""
        page = open_page(width=700)
        title = page.locator(".class-card .class-title", has_text="Bedtime")
        lines = title.evaluate("""(e) => { const r = document.createRange(); const t = e.firstChild;
            const at = t.data.search(/Wind.Down/); r.setStart(t, at); r.setEnd(t, at + 9);
            return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size; }""")
        assert lines == 1
        level = page.locator(".class-card .level").first.evaluate("(e) => e.innerText")
        page.get_by_role("button", name="Choose Low Back Release").click()
        expect(page.locator("#ready-meta")).to_have_text(re.compile(rf"· {level}$"))
        assert level == level.capitalize()
