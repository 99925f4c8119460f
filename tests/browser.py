"""A real browser against a real server: the player app on a loopback port, fast time, and Debian's Chromium.

`FastClock` runs class time `speed` times faster than the wall clock and says so (`speed`), so the app tells the
page to scale its timers to match. `LiveServer` serves an app from a thread with werkzeug. `SPEECH_STUB` stands
in for the browser's speech synthesis, which headless Chromium lacks (it has no voices, and speaking fails with
"synthesis-failed"): it records what the page asked to say and ends each utterance at once.
"""
from __future__ import annotations

import threading
import time
from typing import Any

import lanes
from servers import free_port
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class FastClock:
    """Wall-clock seconds, running speed times faster from the moment it is made."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self._wall = time.time()
        self._start = time.monotonic()

    def __call__(self) -> float:
        return self._wall + (time.monotonic() - self._start) * self.speed


class LiveServer:
    """A WSGI app served from a thread on a free loopback port, until stop()."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, name="player-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def launch(playwright: Any, *args: str) -> Any:
    """Debian's Chromium, headless, with nothing reaching out to the network on its own (and any more args)."""
    lanes.needs("browser")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *args])


# Installed before the page's own scripts run. window.__spoken lists every text the page asked to say (the empty
# utterance a page may speak on the first tap, to unlock speech on some phones, says nothing and is left out).
SPEECH_STUB = """
(() => {
  const voice = {name: "Test voice", lang: "en-US", localService: true, default: true, voiceURI: "test"};
  window.__spoken = [];
  class Utterance {
    constructor(text) { this.text = text; this.onend = null; this.onerror = null; }
  }
  const synth = {
    queue: [],
    getVoices() { return [voice]; },
    speak(u) {  // the page's empty utterance only unlocks speech on some phones; it says nothing to record
      if (u.text) window.__spoken.push(u.text);
      setTimeout(() => { if (u.onend) u.onend({}); }, 5);
    },
    cancel() {},
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
})();
"""


def new_page(chromium: Any, base_url: str, scripts: list[str], width: int = 1280, height: int = 800,
             **options: Any) -> Any:
    """A fresh browser profile (its own cookie) on the player, with init scripts run before the page's own;
    `page.errors` collects the page's uncaught errors."""
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": width, "height": height}, base_url=base_url, **options)
    for script in scripts:
        context.add_init_script(script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto("/")
    expect(page.locator("#screen-classes")).to_be_visible()
    return page
