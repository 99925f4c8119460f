"""The browser player's JSON API through Flask's test client: the same engine and store as Alexa, per browser."""
from __future__ import annotations

import pytest

from skill.practice import prompts
from skill.practice.state import Phase, from_dict
from skill.practice.view import screen_text
from skill.stores.sqlite import SQLiteStore
from skill.web.app import create_app
from skill.web.player import COOKIE, LOST_PLACE, MAX_MINUTES, STORE_DOWN

EVENTS = "/api/player/events"
START = 1_800_000_000.0


class Clock:
    """A clock the test moves by hand; `speed`, when given, is what the API reports to the page."""

    def __init__(self, speed: float | None = None) -> None:
        self.now = START
        if speed is not None:
            self.speed = speed

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def player(settings, library, store, clock):
    """A test client for the whole app, with the hand-moved clock; it keeps its cookie like a browser."""
    return create_app(settings, library=library, store=store, clock=clock).test_client()


def send(client, event: str, **fields):
    return client.post(EVENTS, json={"event": event, **fields})


def browser_id(client) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "the browser was given its id"
    return cookie.value


def record(store, client):
    """The state the store keeps for this browser, read as the player reads it."""
    kept = store.load(store.user_key(f"browser:{browser_id(client)}"))
    return from_dict(kept) if kept else None


def begun(client, practice: str = "low_back_release"):
    """A class chosen and begun; returns the first segment's answer."""
    assert send(client, "start", **{"class": practice}).status_code == 200
    answer = send(client, "continue")
    assert answer.status_code == 200
    return answer.json


def step_at(play: dict, kind: str = "hold") -> tuple[dict, dict]:
    """The second step of a playlist, and the middle of its hold (an item of that kind)."""
    step = play["steps"][1]
    item = next(i for i in play["items"] if i["step"] == step["index"] and i["kind"] == kind)
    return step, item


class TestPage:
    def test_the_page_is_served_with_its_script_and_styles(self, player):
        """GET / is the player: an HTML page that loads its own script and stylesheet, and both are served."""
        page = player.get("/")
        assert page.status_code == 200 and page.mimetype == "text/html"
        html = page.get_data(as_text=True)
        for asset in ("/static/player/player.js", "/static/player/player.css"):
            assert asset in html
            served = player.get(asset)
            assert served.status_code == 200 and served.data
            served.close()

    def test_the_page_is_locked_down(self, player):
        """The page may load only its own scripts and styles, and may not be framed or sniffed."""
        headers = player.get("/").headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"

    def test_every_control_has_a_label_and_a_shortcut(self, player):
        """Each practice control is a real button with visible words and its keyboard shortcut declared."""
        html = player.get("/").get_data(as_text=True)
        for button, key in (("btn-pause", "Space"), ("btn-next", "N"), ("btn-previous", "P B"), ("btn-repeat", "R"),
                            ("btn-shorter", "S"), ("btn-minutes", "M")):
            assert f'<button type="button" id="{button}"' in html
            tag = html.split(f'id="{button}"', 1)[1].split(">", 1)[0]
            assert f'aria-keyshortcuts="{key}"' in tag
        assert 'for="minutes-input"' in html and 'aria-live="polite"' in html


class TestState:
    def test_a_new_browser_gets_the_classes_and_an_id(self, player, library):
        """The first visit lists every class with its length, focus and props, and sets a private cookie."""
        answer = player.get("/api/player")
        assert answer.status_code == 200
        body = answer.json
        assert [c["id"] for c in body["classes"]] == [p.id for p in library]
        low_back = next(c for c in body["classes"] if c["id"] == "low_back_release")
        assert low_back["title"] == "Low Back Release" and 38 <= low_back["minutes"] <= 42  # forty, give or take two
        assert "low back" in low_back["focus"] and "a strap" in low_back["props"]
        assert body["view"]["phase"] == "idle" and body["speed"] == 1
        cookie = answer.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        assert answer.headers["Cache-Control"] == "no-store"

    def test_the_speed_comes_from_the_clock(self, settings, library, store):
        """A clock that runs twenty times fast says so, and the API passes it on for the page's timers."""
        client = create_app(settings, library=library, store=store, clock=Clock(speed=20)).test_client()
        assert client.get("/api/player").json["speed"] == 20
        assert send(client, "start", **{"class": "hip_release"}).json["speed"] == 20

    def test_reading_the_state_changes_nothing(self, player, store, clock):
        """GET, as on a reload, reads the place and leaves the stored record as it was."""
        begun(player)
        clock.advance(30)
        send(player, "pause")
        before = store.load(store.user_key(f"browser:{browser_id(player)}"))
        clock.advance(3600)
        view = player.get("/api/player").json["view"]
        assert view["phase"] == "paused"
        assert store.load(store.user_key(f"browser:{browser_id(player)}")) == before


class TestPractice:
    def test_choosing_a_class_names_it_and_its_props_and_waits(self, player):
        """Start announces the class and its props, keeps the voice-only 'say begin' off, and waits for begin."""
        body = send(player, "start", **{"class": "low_back_release"}).json
        assert body["view"]["phase"] == "ready" and body["view"]["class"]["props"][1] == "a strap"
        said = " ".join(i["text"] for i in body["play"]["items"] if i["kind"] == "say")
        assert "Low Back Release" in said and "a strap, two blocks and a blanket" in said
        assert "say begin" not in said.lower() and body["play"]["then"] == "wait"

    def test_beginning_plays_a_segment_with_each_step_shown(self, player, library):
        """A segment's items carry the pose, cue, hold and progress of each step, and end by asking to continue."""
        play = begun(player)["play"]
        first = play["steps"][0]
        practice = library.get("low_back_release")
        assert first["name"] == "Knees to Chest" and first["sanskrit"] == "Apanasana"
        assert first["cue"] == practice.steps[0].cue and first["hold"] == practice.steps[0].hold
        assert (first["number"], first["total"]) == (1, len(practice.steps))
        assert first["up_next"]["name"] == play["steps"][1]["name"]
        assert play["items"][0] == {"at": 0.0, "kind": "chime", "seconds": 2.5, "step": 0}, "a chime opens the class"
        assert play["items"][1] == {"at": 2.5, "kind": "say", "seconds": pytest.approx(3 * 60 / 140, abs=0.01),
                                    "step": 0, "text": "Knees to Chest."}
        assert play["then"] == "continue"
        said = [i["text"] for i in play["items"] if i["kind"] == "say"]
        assert prompts.FLOW_PROMPT not in said, "the page continues by itself, so it never asks to be told to"
        assert said[-1] == prompts.up_next(play["steps"][-1]["name"])

    def test_items_follow_one_another_and_belong_to_the_step_playing(self, player):
        """Each item starts where the last ended, and is tagged with the step whose part of the timeline it is in."""
        play = begun(player)["play"]
        at = 0.0
        for item in play["items"]:
            assert item["at"] == pytest.approx(at, abs=0.01)
            at += item["seconds"]
            middle = item["at"] + item["seconds"] / 2
            owner = next(s for s in play["steps"] if s["end"] is None or middle < s["end"])
            assert item["step"] == owner["index"]
        assert play["seconds"] == pytest.approx(at, abs=0.01)
        for step in (s for s in play["steps"] if s["end"] is not None):
            assert step["start"] <= step["hold_at"] < step["end"]
            assert step["end"] - step["hold_at"] == pytest.approx(step["hold"], abs=1), "the countdown is the hold"
            silences = [i for i in play["items"] if i["step"] == step["index"] and i["kind"] == "hold"]
            assert silences and silences[0]["at"] == step["hold_at"]
            assert all(step["hold_at"] <= i["at"] < step["end"] for i in silences)

    def test_continue_at_the_end_of_a_segment_plays_the_next(self, player, clock):
        """The page's 'continue' after the last item brings the next part, starting at the pose it announced."""
        play = begun(player)["play"]
        coming = play["steps"][-1]
        assert coming["end"] is None, "the last entry is the pose announced next"
        clock.advance(play["seconds"])
        after = send(player, "continue").json
        assert after["view"]["phase"] == "practising"
        assert after["play"]["items"][0]["step"] == coming["index"]
        said = [i["text"] for i in after["play"]["items"] if i["step"] == coming["index"] and i["kind"] == "say"]
        assert f"{coming['name']}." in said[:2]

    def test_a_pause_keeps_the_pose_that_was_playing(self, player, store, clock):
        """Pause in the middle of the second pose's hold stops there, in the view and in the store."""
        play = begun(player)["play"]
        step, hold = step_at(play)
        clock.advance(hold["at"] + hold["seconds"] / 2)
        body = send(player, "pause").json
        assert body["play"] is None
        assert body["view"]["phase"] == "paused" and body["view"]["step"]["index"] == step["index"]
        assert body["notice"].startswith(f"Paused in {step['name']}.") and "say resume" not in body["notice"]
        kept = record(store, player)
        assert kept.phase is Phase.PAUSED and kept.position == step["index"]

    def test_resume_starts_that_pose_again_from_its_cue(self, player, clock):
        """Resume, even a day later, plays from the paused pose, after a word of welcome back."""
        step, hold = step_at(begun(player)["play"])
        clock.advance(hold["at"] + 1)
        send(player, "pause")
        clock.advance(24 * 3600)
        play = send(player, "resume").json["play"]
        said = [i for i in play["items"] if i["kind"] == "say"]
        assert said[0]["text"] == prompts.RESUME_FROM and said[1]["text"] == f"{step['name']}."
        assert said[1]["step"] == step["index"]

    def test_next_previous_and_repeat_move_as_the_engine_says(self, player, clock):
        """Next skips on from the pose playing, previous goes back one, repeat plays the same again."""
        step, hold = step_at(begun(player)["play"])
        clock.advance(hold["at"] + 1)
        moved = send(player, "next").json
        assert moved["notice"] == prompts.SKIP_ON and moved["play"]["steps"][0]["index"] == step["index"] + 1
        back = send(player, "previous").json
        assert back["notice"] == prompts.BACK_ONE and back["play"]["steps"][0]["index"] == step["index"]
        again = send(player, "repeat").json
        assert again["notice"] == prompts.AGAIN and again["play"]["steps"][0]["index"] == step["index"]

    def test_shorter_trims_the_rest_and_plays_on(self, player, clock):
        """Shorter mid-class says the new length, and the class plays on from the same pose with less time left."""
        first = begun(player)
        clock.advance(5)
        body = send(player, "shorter").json
        assert body["notice"].startswith("Okay, I've trimmed the rest of the class.")
        assert body["play"]["steps"][0]["index"] == 0
        assert body["play"]["steps"][0]["left_seconds"] < first["play"]["steps"][0]["left_seconds"] * 0.9

    def test_make_it_n_minutes_fits_the_class_to_that_length(self, player):
        """'Make it 20 minutes' before beginning makes the whole class about twenty minutes (within 10 %)."""
        send(player, "start", **{"class": "low_back_release"})
        body = send(player, "shorter", minutes=20).json
        assert body["view"]["phase"] == "ready"
        assert body["view"]["left_seconds"] == pytest.approx(20 * 60, rel=0.1)

    def test_a_reload_mid_segment_keeps_the_place_when_the_page_says_it_ended(self, player, store, clock):
        """GET during a segment says it is playing; the new page's 'ended' pauses at the pose that was playing."""
        step, hold = step_at(begun(player)["play"])
        clock.advance(hold["at"] + 2)
        view = player.get("/api/player").json["view"]
        assert view["playing"] is True and view["step"]["index"] == step["index"]
        ended = send(player, "ended").json
        assert ended["view"]["phase"] == "paused" and ended["view"]["step"]["index"] == step["index"]
        assert ended["play"] is None and record(store, player).position == step["index"]

    def test_the_class_finishes_with_its_closing_words(self, player, clock, library):
        """Continuing to the end plays the closing and says the class is done."""
        body = begun(player, "morning_wake_up")
        for _ in range(20):
            if body["play"]["then"] != "continue":
                break
            clock.advance(body["play"]["seconds"])
            body = send(player, "continue").json
        assert body["play"]["then"] == "done" and body["view"]["phase"] == "finished"
        said = " ".join(i["text"] for i in body["play"]["items"] if i["kind"] == "say")
        assert library.get("morning_wake_up").closing in said


class TestPerBrowser:
    def test_state_is_kept_under_a_hash_of_the_browser_id(self, player, store):
        """The store holds this browser's record under an HMAC of 'browser:' + its id, never the id itself."""
        begun(player)
        raw = browser_id(player)
        key = store.user_key(f"browser:{raw}")
        assert raw not in key and len(key) == 64
        assert from_dict(store.load(key)).phase is Phase.PRACTISING
        assert store.load(raw) is None

    def test_two_browsers_do_not_share_a_place(self, settings, library, store, clock):
        """One browser's class is not another's: each cookie has its own record."""
        app = create_app(settings, library=library, store=store, clock=clock)
        first, second = app.test_client(), app.test_client()
        begun(first)
        assert second.get("/api/player").json["view"]["phase"] == "idle"
        assert browser_id(first) != browser_id(second)
        assert first.get("/api/player").json["view"]["phase"] == "practising"

    def test_a_made_up_cookie_is_replaced_by_a_fresh_id(self, player):
        """A cookie that is not an id this app hands out is not used as one."""
        player.set_cookie(COOKIE, "../../not-an-id")
        answer = player.get("/api/player")
        assert COOKIE in answer.headers["Set-Cookie"] and browser_id(player) != "../../not-an-id"

    def test_an_unreadable_record_starts_afresh_and_says_so(self, player, store):
        """A stored record the player cannot read is a fresh start with a note, then replaced on the next event."""
        player.get("/api/player")
        key = store.user_key(f"browser:{browser_id(player)}")
        store.save(key, {"v": 99})
        body = player.get("/api/player").json
        assert body["view"]["phase"] == "idle" and body["notice"] == LOST_PLACE
        assert send(player, "start", **{"class": "hip_release"}).json["notice"].startswith(LOST_PLACE)
        assert from_dict(store.load(key)).phase is Phase.READY


class TestBadInput:
    @pytest.mark.parametrize(("body", "says"), [
        ({"event": "dance"}, "unknown event 'dance'"),
        ({}, "unknown event None"),
        ({"event": "shorter", "minutes": "ten"}, "'minutes' should be a whole number"),
        ({"event": "shorter", "minutes": 0}, "from 1 to"),
        ({"event": "shorter", "minutes": MAX_MINUTES + 1}, "from 1 to"),
        ({"event": "shorter", "minutes": 12.5}, "whole number"),
        ({"event": "shorter", "minutes": True}, "whole number"),
        ({"event": "start", "class": "handstands"}, "there is no class 'handstands'"),
        ({"event": "start"}, "there is no class None"),
        ({"event": "start", "class": "hip_release", "minutes": -5}, "from 1 to"),
        (["pause"], "send a JSON object"),
    ])
    def test_bad_events_are_refused_with_a_reason(self, player, store, body, says):
        """Input the engine cannot take is a 400 with a sentence, and the stored place is untouched."""
        begun(player)
        before = store.load(store.user_key(f"browser:{browser_id(player)}"))
        answer = player.post(EVENTS, json=body)
        assert answer.status_code == 400 and says in answer.json["error"]
        assert store.load(store.user_key(f"browser:{browser_id(player)}")) == before

    @pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
    def test_only_json_is_accepted(self, player, content_type):
        """A POST that is not application/json (as a cross-site form would be) is refused with 415."""
        answer = player.post(EVENTS, data='{"event": "pause"}', content_type=content_type)
        assert answer.status_code == 415 and "application/json" in answer.json["error"]

    def test_malformed_json_is_a_400(self, player):
        """A body that does not parse is a clear 400, not a traceback."""
        answer = player.post(EVENTS, data="{not json", content_type="application/json")
        assert answer.status_code == 400 and "JSON object" in answer.json["error"]

    def test_the_wrong_method_is_json_too(self, player):
        """GET on the events URL is a 405 in JSON, like every other error."""
        answer = player.get(EVENTS)
        assert answer.status_code == 405 and "error" in answer.json

    def test_a_store_that_cannot_be_read_is_a_503(self, settings, library, clock, tmp_path):
        """When the real SQLite file is damaged, the API says the place can't be reached, with no traceback."""
        path = tmp_path / "practice.sqlite3"
        store = SQLiteStore(path, b"s" * 32)
        client = create_app(settings, library=library, store=store, clock=clock).test_client()
        for leftover in tmp_path.glob("practice.sqlite3*"):
            leftover.unlink()
        path.write_bytes(b"this is not a database " * 200)
        for answer in (client.get("/api/player"), send(client, "pause")):
            assert answer.status_code == 503 and answer.json == {"error": STORE_DOWN}


class TestScreenText:
    @pytest.mark.parametrize(("text", "shown"), [
        (prompts.FLOW_PROMPT, ""),
        (prompts.paused("Bridge"), "Paused in Bridge. Rest as long as you like."),
        (prompts.already_paused("Cobra"), "We're paused in Cobra."),
        (prompts.SKIP_ON, prompts.SKIP_ON),
        ("Essays are not sayings.", "Essays are not sayings."),
    ])
    def test_sentences_for_a_voice_device_are_left_off_a_screen(self, text, shown):
        """A sentence telling someone what to say is dropped; every other sentence, whole words only, stays."""
        assert screen_text(text) == shown


def test_a_tab_that_saved_in_between_is_not_overwritten(settings, library, clock):
    """Two tabs on one cookie: when the other tab saves between this request's read and save, this request reads
    again and answers from the other tab's place, so neither change is lost."""
    from skill.stores.memory import MemoryStore

    class OtherTabSavesFirst(MemoryStore):
        def __init__(self) -> None:
            super().__init__(b"player-race")
            self.other_tab = None  # a record another tab saves just before this request's first save

        def save_if(self, key, record, token):
            if self.other_tab is not None:
                self.save(key, self.other_tab)
                self.other_tab = None
            return super().save_if(key, record, token)

    store = OtherTabSavesFirst()
    client = create_app(settings, library=library, store=store, clock=clock).test_client()
    send(client, "start", **{"class": "low_back_release"})
    elsewhere = MemoryStore(b"elsewhere")  # the other tab's answer, worked out on a store of its own
    other = create_app(settings, library=library, store=elsewhere, clock=clock).test_client()
    send(other, "start", **{"class": "hip_release"})
    store.other_tab = record_of(elsewhere, other)
    answer = send(client, "continue")  # begins the class this tab read, low back release
    assert answer.status_code == 200 and store.other_tab is None, "the other tab's save came first"
    kept = record(store, client)
    assert kept.practice == "hip_release" and kept.phase is Phase.PRACTISING, kept


def record_of(store, client) -> dict:
    return store.load(store.user_key(f"browser:{browser_id(client)}"))
