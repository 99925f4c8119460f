/* Gentle Yoga's browser player.
 *
 * It plays what the server returns and sends the person's choices back as the engine's events; every decision
 * about the class (which pose, how long, what "shorter" drops) is the server's. A reply's `play` is a list of
 * items, words or silences, each with its start time and the step it belongs to; the page plays them on that
 * schedule, so a pause lands in the pose on screen. At the end it asks for the next part ("continue"), the same
 * event a speaker sends. No build step and no dependencies.
 *
 * Two voices can speak: the browser's own (speechSynthesis), or the class's rendered voice, whose clips play in
 * an <audio> element (clips.js). With the rendered voice the server times the class by those very clips, and
 * while one plays the countdown and the pose follow the audio's own clock. The person's choice is kept in this
 * browser; until they choose, the server's default (the better-sounding voice) speaks.
 */
"use strict";

(() => {
  const API = "/api/player";
  const $ = (id) => document.getElementById(id);
  const SCREENS = ["loading", "classes", "ready", "practice", "finished"];
  const RING = 2 * Math.PI * 54; // the ring's circumference, matching r="54" in the page
  const clips = window.GentleYogaClips;
  const RENDERED = "rendered";

  const app = {
    speed: 1, // class seconds per real second: 1, except in the tests' fast-time mode
    classes: [],
    view: null, // the last still view from the server
    run: null, // the playlist playing now
    generation: 0, // bumped whenever playback stops, so an old playlist's timers give up
    step: null, // the step entry on screen while playing
    queue: Promise.resolve(),
    actions: 0, // counts the person's actions (and the page's own "continue"), so only the latest answer shows
    voiceOn: localStorage.getItem("gentle-yoga-voice") !== "off",
    voice: null,
    voices: [], // the voices the server offers: [{id, label, neural}]
    defaultVoice: "browser",
    chosen: localStorage.getItem("gentle-yoga-voice-choice"), // this browser's choice, if it made one
  };

  /** The voice to speak with: the one chosen here if it is on offer, else the server's default (or the rendered
   *  voice, when the browser has none of its own). */
  function voiceChoice() {
    const offered = (id) => app.voices.some((v) => v.id === id);
    if (app.chosen && offered(app.chosen)) return app.chosen;
    if (app.voices.length === 0 && app.chosen) return app.chosen; // before the server has said what it offers
    if (app.voice === null && offered(RENDERED)) return RENDERED;
    return app.defaultVoice;
  }

  // ---- talking to the server -------------------------------------------------------------------------------
  async function request(path, options) {
    let response;
    try {
      response = await fetch(path, { credentials: "same-origin", ...options });
    } catch {
      throw new Error("The server can't be reached. Check your connection, then try again.");
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `Something went wrong (${response.status}). Please try again.`);
    if (typeof body.speed === "number" && body.speed > 0) app.speed = body.speed;
    if (typeof body.rate === "number" && body.rate > 0) app.rate = body.rate;
    return body;
  }

  /** One event for the engine; events go one at a time, in the order they were made. */
  function send(event, extra = {}) {
    const go = () => request(`${API}/events`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ event, voice: voiceChoice(), ...extra }),
    });
    const reply = app.queue.then(go, go);
    app.queue = reply.catch(() => {});
    return reply;
  }

  /** Stop whatever is playing, send an event, and show and play the answer, unless a newer action overtook it
   *  (its answer, which comes later, is the one that counts). */
  async function act(event, extra = {}) {
    stopPlaying();
    const ticket = ++app.actions;
    try {
      const answer = await send(event, extra);
      if (ticket === app.actions) apply(answer, event);
    } catch (error) {
      if (ticket !== app.actions) return;
      showError(error.message);
      if (app.view) render(app.view);
    }
  }

  function apply(answer, event) {
    showError("");
    app.view = answer.view;
    if (answer.view.class) $("practice-class").textContent = answer.view.class.title;
    status(event === "start" ? "" : answer.notice);
    const play = answer.play;
    if (play && (answer.view.phase === "practising" || answer.view.phase === "finished")) {
      showScreen("practice", document.body.dataset.screen !== "practice");
      startPlaying(play, answer.view);
    } else {
      render(answer.view, event === "start" || event === "start_over");
      if (play && answer.view.phase === "ready") startPlaying(play, answer.view);
    }
  }

  // ---- speaking ----------------------------------------------------------------------------------------------
  function pickVoice() {
    if (!("speechSynthesis" in window)) return;
    const voices = window.speechSynthesis.getVoices();
    const english = voices.filter((v) => /^en([-_]|$)/i.test(v.lang));
    const pool = english.length ? english : voices;
    app.voice = pool.find((v) => v.localService && v.default) || pool.find((v) => v.localService) || pool[0] || null;
    showVoice();
  }

  /** The ready screen's note and the header's controls say the same thing: which voice, on or off, or none. */
  function showVoice() {
    const rendered = voiceChoice() === RENDERED;
    const none = app.voice === null && !rendered;
    const choice = $("voice-choice");
    $("voice-choice-box").hidden = app.voices.length < 2;
    choice.value = voiceChoice();
    const label = (app.voices.find((v) => v.id === RENDERED) || {}).label;
    choice.title = rendered && label ? label : "";
    $("voice-hint").textContent = rendered
      ? "The class plays in its recorded voice, so turn your sound on. It moves on by itself; you only need the screen to pause or change something."
      : "Your browser speaks the cues, so turn your sound on. The class moves on by itself; you only need the screen to pause or change something.";
    $("no-voice-note").hidden = !none;
    $("voice-hint").hidden = none;
    const button = $("btn-voice");
    button.disabled = none;
    if (none) button.removeAttribute("aria-pressed"); // nothing to switch on or off
    else button.setAttribute("aria-pressed", String(app.voiceOn));
    button.querySelector(".label").textContent = none ? "No voice" : (app.voiceOn ? "Voice on" : "Voice off");
    button.title = none ? "This browser has no speaking voice installed" : "";
  }

  const canSpeak = () => app.voiceOn && app.voice !== null && "speechSynthesis" in window;
  const canPlay = (item) => app.voiceOn && Boolean(item.audio);

  /** Say text, a sentence at a time (long utterances stall in some browsers); true once all of it was said. */
  function speak(text) {
    return new Promise((resolve) => {
      const sentences = text.match(/[^.!?]+[.!?]*\s*/g) || [text];
      sentences.forEach((sentence, i) => {
        const utterance = new SpeechSynthesisUtterance(sentence.trim());
        utterance.voice = app.voice;
        utterance.lang = app.voice.lang;
        utterance.rate = 0.92 * (app.rate || 1); // the person's own pace ("slow down"), as the engine times it
        utterance.onerror = () => resolve(false);
        if (i === sentences.length - 1) utterance.onend = () => resolve(true);
        window.speechSynthesis.speak(utterance);
      });
    });
  }

  /** Some browsers (Safari on iPhone) speak only if the first utterance comes straight from a tap or a key. */
  function unlockSpeech() {
    if (app.unlocked || !("speechSynthesis" in window)) return;
    app.unlocked = true;
    clips.unlock();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
  }

  function hush() {
    clips.stop();
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
  }

  // ---- playing a playlist on its schedule --------------------------------------------------------------------
  /** Where the run is, in class seconds: by the audio's own clock while a clip plays, else by the page's. */
  function classSeconds(run) {
    if (run.clip) return run.clip.at + clips.position();
    return ((performance.now() - run.started) * app.speed) / 1000;
  }

  /** From now on, the page's clock reads `at` class seconds: it takes over from the audio's where a clip ended. */
  function rebase(run, at) {
    run.started = performance.now() - (at * 1000) / app.speed;
  }

  /** A promise that settles at `at` class seconds into the run (at once if that has passed). */
  function until(run, at) {
    const wait = (run.started + (at * 1000) / app.speed) - performance.now();
    return new Promise((resolve) => (wait > 0 ? setTimeout(resolve, wait) : resolve()));
  }

  function startPlaying(play, view) {
    stopPlaying();
    const generation = app.generation;
    const run = { play, view, started: performance.now(), steps: new Map(play.steps.map((s) => [s.index, s])) };
    app.run = run;
    app.step = null;
    const live = () => app.generation === generation;
    setPlaying(play.steps.length > 0);
    (async () => {
      for (const item of play.items) {
        await until(run, item.at);
        if (!live()) return;
        if (item.step !== null && run.steps.has(item.step)) showStep(run.steps.get(item.step));
        else if (item.step === null && run.view.phase === "finished") showClosing(run);
        if (canPlay(item)) {
          await playClip(run, item, live);
        } else if (item.kind === "say") {
          await say(run, item, live);
        } else {
          await until(run, item.at + item.seconds);
        }
        if (!live()) return;
      }
      finished(run);
    })();
  }

  /** Words: spoken when a voice is on, and always kept to the schedule (fast time cuts them at their end). */
  async function say(run, item, live) {
    const end = item.at + item.seconds;
    if (canSpeak()) {
      const limit = app.speed > 1 ? end : end + Math.max(8, item.seconds);
      const outcome = await Promise.race([speak(item.text), until(run, limit).then(() => "late")]);
      if (!live()) return;
      if (outcome === "late") hush();
      if (outcome === true) return; // the next silence takes up any difference from the estimate
    }
    await until(run, end);
  }

  /** A rendered clip (words or the chime), played to its end; the silences after it are timed from where the
   *  audio really ended. A clip that cannot play leaves the schedule as it was, as a silent voice would. */
  async function playClip(run, item, live) {
    const end = item.at + item.seconds;
    run.clip = item;
    const outcome = await Promise.race([clips.play(item.audio, app.speed),
      until(run, end + Math.max(8, item.seconds)).then(() => "late")]);
    run.clip = null;
    if (!live()) return;
    if (outcome === "ended") rebase(run, item.at + clips.position());
    else clips.stop();
    await until(run, end);
  }

  function stopPlaying() {
    app.generation += 1;
    app.run = null;
    hush();
    setPlaying(false);
  }

  function finished(run) {
    app.run = null;
    setPlaying(false);
    if (run.play.then === "continue") act("continue");
    else if (run.play.then === "done") showClosing(run);
  }

  /** The class is over once its last pose has played: the finished screen shows while the closing is said. */
  function showClosing(run) {
    if (run.closing) return;
    run.closing = true;
    keepAwake(false);
    renderFinished(run.view, true);
  }

  // ---- pictures of the poses -----------------------------------------------------------------------------------
  const drawings = new Map(); // path -> promise of the SVG's text, or "" when there is no drawing

  function drawing(pose, side) {
    const path = `/figures/${pose}${side === "left" ? "-left" : ""}.svg`;
    if (!drawings.has(path)) {
      drawings.set(path, fetch(path).then((r) => (r.ok ? r.text() : "")).catch(() => ""));
    }
    return drawings.get(path);
  }

  /** Show the pose's drawing in box (its alt text comes with it), or hide the box when the pose has none. */
  async function showFigure(box, pose, side) {
    const want = pose ? `${pose}:${side || ""}` : "";
    if (box.dataset.want === want) return;
    box.dataset.want = want;
    if (!pose) { box.hidden = true; box.replaceChildren(); return; }
    const text = await drawing(pose, side);
    if (box.dataset.want !== want) return; // a newer pose overtook this one
    const svg = text && new DOMParser().parseFromString(text, "image/svg+xml").querySelector("svg");
    box.hidden = !svg;
    box.replaceChildren(...(svg ? [document.importNode(svg, true)] : []));
    box.dataset.shown = svg ? want : "";
  }

  // ---- the countdown, progress and what is on screen while playing -------------------------------------------
  let ticker = null;
  let wakeLock = null;

  function setPlaying(on) {
    clearInterval(ticker);
    ticker = on ? setInterval(tick, 200) : null;
    document.body.dataset.playing = on ? "yes" : "no";
    updatePauseButton();
    if (on) keepAwake(true);
  }

  /** Keep a phone's screen on while a class plays (it may be propped up on the mat); harmless where refused. */
  async function keepAwake(on) {
    try {
      if (on && !wakeLock && "wakeLock" in navigator && document.visibilityState === "visible") {
        wakeLock = await navigator.wakeLock.request("screen");
        wakeLock.addEventListener("release", () => { wakeLock = null; });
      } else if (!on && wakeLock) {
        const lock = wakeLock;
        wakeLock = null;
        await lock.release();
      }
    } catch {
      wakeLock = null;
    }
  }

  function tick() {
    if (!app.run || !app.step) return;
    const t = classSeconds(app.run);
    const s = app.step;
    let shown;
    if (s.hold_at === null || s.end === null) {
      shown = [s.hold, s.hold];
      showTimer(s.hold, s.hold, "Next", false);
    } else if (t < s.hold_at) {
      shown = [s.end - s.hold_at, s.end - s.hold_at];
      showTimer(...shown, "Set up", false);
    } else {
      shown = [Math.max(0, s.end - t), s.end - s.hold_at];
      showTimer(...shown, "Hold", true);
    }
    const left = Math.max(0, s.left_seconds - Math.max(0, t - s.start));
    showProgress(s, left);
    app.shown = { index: s.index, remaining: shown[0], total: shown[1], left }; // what a pause keeps on screen
  }

  function clock(seconds) {
    const whole = Math.max(0, Math.ceil(seconds - 0.25)); // a 20 s hold timed as 20.1 s still reads 0:20
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  }

  function showTimer(remaining, total, label, holding) {
    $("countdown").textContent = clock(remaining);
    $("timer-label").textContent = label;
    $("ring-fill").style.strokeDashoffset = `${RING * (1 - (total > 0 ? remaining / total : 0))}px`;
    $("timer").classList.toggle("holding", holding);
  }

  function minutesLeft(seconds) {
    if (seconds < 45) return "less than a minute left";
    return `${Math.round(seconds / 60)} min left`;
  }

  function showProgress(s, leftSeconds) {
    $("progress-text").textContent = `Step ${s.number} of ${s.total} · ${minutesLeft(leftSeconds)}`;
    const done = s.total ? Math.round(((s.number - 1) / s.total) * 100) : 0;
    $("bar-fill").style.width = `${done}%`;
    $("bar").setAttribute("aria-valuenow", String(done));
    const next = s.up_next;
    $("up-next").textContent = next ? `Up next: ${next.name}${next.side ? `, ${next.side} side` : ""}` : "Up next: the closing";
    showFigure($("next-figure"), next && next.pose, next && next.side);
  }

  function showStep(s) {
    if (app.step && app.step.index === s.index && app.step.start === s.start) return;
    app.step = s;
    $("pose-name").textContent = s.name;
    $("pose-sanskrit").textContent = s.sanskrit || "";
    $("pose-sanskrit").hidden = !s.sanskrit;
    $("pose-side").textContent = s.side ? `${s.side[0].toUpperCase()}${s.side.slice(1)} side` : "";
    $("pose-side").hidden = !s.side;
    $("cue").textContent = s.cue;
    showFigure($("pose-figure"), s.pose, s.side);
    const options = $("options");
    options.replaceChildren(...s.options.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    document.title = `${s.name} · Gentle Yoga`;
    tick();
  }

  // ---- still screens -------------------------------------------------------------------------------------------
  function showScreen(name, focus = false) {
    document.body.dataset.screen = name;
    for (const screen of SCREENS) $(`screen-${screen}`).hidden = screen !== name;
    $("controls").hidden = name !== "practice";
    $("btn-classes").hidden = name === "classes" || name === "loading";
    if (focus) {
      // A new screen takes the focus to its heading, or on the practice screen to the control needed most.
      const target = { classes: "classes-title", ready: "ready-title", practice: "btn-pause", finished: "finished-title" }[name];
      if (target) $(target).focus();
    }
  }

  function render(view, focus = false) {
    app.view = view;
    keepAwake(false);
    const phase = view.phase;
    if (phase === "ready") return renderReady(view, focus);
    if (phase === "paused" || phase === "practising") return renderStill(view, focus);
    if (phase === "finished" && view.class) return renderFinished(view, focus);
    renderClasses(focus);
  }

  function renderStill(view, focus) {
    showScreen("practice", focus);
    $("practice-class").textContent = view.class.title;
    if (view.step) {
      app.step = null;
      const kept = app.shown && app.shown.index === view.step.index && view.phase === "paused" ? app.shown : null;
      showStep({ ...view.step, start: 0, hold_at: null, end: null });
      // A pause keeps the countdown and the time left as they were; resuming starts the pose again from its cue.
      showTimer(kept ? kept.remaining : view.step.hold, kept ? kept.total : view.step.hold, phaseLabel(view), false);
      showProgress(view.step, kept ? kept.left : view.left_seconds);
    }
    app.shown = null;
    updatePauseButton();
  }

  const phaseLabel = (view) => (view.phase === "paused" ? "Paused" : "Ready");

  function renderReady(view, focus) {
    showScreen("ready", focus);
    const c = view.class;
    $("ready-title").textContent = c.title;
    $("ready-meta").textContent = `About ${Math.round(view.left_seconds / 60)} minutes · ${view.total} steps · ${capitalise(c.level)}`;
    $("ready-props").replaceChildren(...(c.props.length ? c.props : ["Nothing but yourself"]).map((p) =>
      Object.assign(document.createElement("li"), { textContent: capitalise(p) })));
    $("ready-intro").textContent = c.intro;
    $("practice-class").textContent = c.title;
    document.title = `${c.title} · Gentle Yoga`;
  }

  function renderFinished(view, focus) {
    showScreen("finished", focus);
    $("finished-class").textContent = view.class.title;
    $("finished-summary").textContent = view.done ? summary(view.done) : "";
    $("finished-text").textContent = view.class.closing || `You've finished ${view.class.title}.`;
    status("");
    document.title = "Well done · Gentle Yoga";
  }

  function renderClasses(focus) {
    showScreen("classes", focus);
    status("");
    document.title = "Gentle Yoga";
    const inClass = app.view && app.view.class && ["ready", "paused", "practising"].includes(app.view.phase);
    $("resume-banner").hidden = !inClass;
    if (inClass) $("resume-title").textContent = app.view.class.title;
  }

  const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);
  const ORDINALS = ["first", "second", "third", "fourth", "fifth"];

  /** "You practised 38 minutes · your third class this week" */
  function summary(done) {
    const length = `You practised ${done.minutes} minute${done.minutes === 1 ? "" : "s"}`;
    if (done.at_least) return `${length} · ${done.this_week} or more classes this week`;
    if (done.this_week < 1) return length;
    return `${length} · your ${ORDINALS[done.this_week - 1] || `${done.this_week}th`} class this week`;
  }

  function listed(items) {
    if (items.length < 2) return items.join("");
    return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  }

  function buildClassList() {
    const list = $("class-list");
    list.replaceChildren(...app.classes.map((c) => {
      const item = document.createElement("li");
      item.className = "class-card";
      item.innerHTML = `
        <h2 class="class-title"></h2>
        <p class="meta"><span class="minutes"></span><span class="dot" aria-hidden="true">·</span><span class="level"></span></p>
        <p class="focus"></p>
        <p class="needs"><span class="needs-label">You'll need</span> <span class="props-text"></span></p>
        <button type="button" class="primary small choose">Choose<span class="visually-hidden"></span></button>`;
      item.querySelector(".class-title").textContent = c.title.replace(/-/g, "\u2011"); // no break at a hyphen
      item.querySelector(".minutes").textContent = `${c.minutes} min`;
      item.querySelector(".level").textContent = c.level;
      item.querySelector(".focus").textContent = `For ${listed(c.focus.slice(0, 3))}`;
      item.querySelector(".props-text").textContent = c.props.length ? listed(c.props) : "no props";
      item.querySelector(".visually-hidden").textContent = ` ${c.title}`;
      item.querySelector(".choose").addEventListener("click", () => act("start", { class: c.id }));
      return item;
    }));
  }

  function updatePauseButton() {
    const playing = Boolean(app.run) && app.run.play.steps.length > 0;
    const label = playing ? "Pause" : "Resume";
    const button = $("btn-pause");
    button.querySelector(".label").textContent = label;
    button.dataset.state = playing ? "pause" : "play";
  }

  function status(text) {
    $("status").textContent = text || "";
  }

  function showError(text) {
    $("error").textContent = text || "";
  }

  // ---- controls ------------------------------------------------------------------------------------------------
  function pauseOrResume() {
    const phase = app.view && app.view.phase;
    if (document.body.dataset.screen === "ready") return act("resume");
    if (document.body.dataset.screen !== "practice") return undefined;
    if (app.run && app.run.play.steps.length) return act("pause");
    if (phase === "paused" || phase === "practising") return act("resume");
    return undefined;
  }

  function openMinutes() {
    const dialog = $("minutes-dialog");
    if (dialog.open) return;
    const input = $("minutes-input");
    input.value = "";
    const now = app.view && app.view.left_seconds ? Math.round(app.view.left_seconds / 60) : 0;
    $("minutes-now").textContent = now ? `About ${now} minutes are left now. ` : "";
    app.minutesOpener = document.activeElement;
    dialog.showModal();
    input.focus();
  }

  function closedMinutes() {
    const dialog = $("minutes-dialog");
    const input = $("minutes-input");
    const opener = app.minutesOpener;
    if (opener && document.contains(opener) && !opener.closest("[hidden]")) opener.focus();
    if (dialog.returnValue === "set" && input.checkValidity() && input.value !== "") {
      act("shorter", { minutes: Number(input.value) });
    }
  }

  /** Speak with the other voice from now on; a pose playing starts again from its cue in the new voice. */
  function chooseVoice(id) {
    const before = voiceChoice();
    app.chosen = id;
    localStorage.setItem("gentle-yoga-voice-choice", id);
    showVoice();
    if (before === voiceChoice() || !(app.run && app.run.play.steps.length)) return;
    act("pause", { voice: before }).then(() => act("resume"));
  }

  function setVoice(on) {
    app.voiceOn = on;
    localStorage.setItem("gentle-yoga-voice", on ? "on" : "off");
    showVoice();
    if (!on) hush();
  }

  function goToClasses() {
    if (app.run && app.run.play.steps.length) {
      act("pause").then(() => renderClasses(true));
    } else {
      stopPlaying();
      renderClasses(true);
    }
  }

  const SHORTCUTS = {
    n: "btn-next", p: "btn-previous", b: "btn-previous", r: "btn-repeat", s: "btn-shorter", m: "btn-minutes",
  };

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || $("minutes-dialog").open) return;
    const target = event.target;
    if (target.closest("input, textarea, select, [contenteditable='true']")) return;
    const screen = document.body.dataset.screen;
    if (event.key === " " || event.code === "Space") {
      // In class the space bar is pause/resume wherever the focus is; before it, a focused button keeps its Space.
      if (screen !== "practice" && (screen !== "ready" || target.closest("button"))) return;
      event.preventDefault();
      if (event.type === "keydown" && !event.repeat) pauseOrResume();
      return;
    }
    if (event.type !== "keydown" || event.repeat) return;
    const key = event.key.toLowerCase();
    if (key === "v") { setVoice(!app.voiceOn); return; }
    if (key === "m" && screen === "ready") { openMinutes(); return; }
    if (screen === "practice" && SHORTCUTS[key]) {
      event.preventDefault();
      $(SHORTCUTS[key]).click();
    }
  }

  function wire() {
    $("btn-pause").addEventListener("click", pauseOrResume);
    $("btn-begin").addEventListener("click", () => act("resume"));
    $("btn-next").addEventListener("click", () => act("next"));
    $("btn-previous").addEventListener("click", () => act("previous"));
    $("btn-repeat").addEventListener("click", () => act("repeat"));
    $("btn-shorter").addEventListener("click", () => act("shorter"));
    $("btn-minutes").addEventListener("click", openMinutes);
    $("btn-ready-minutes").addEventListener("click", openMinutes);
    $("minutes-dialog").addEventListener("close", closedMinutes);
    $("btn-voice").addEventListener("click", () => setVoice(!app.voiceOn));
    $("voice-choice").addEventListener("change", (event) => chooseVoice(event.target.value));
    $("btn-classes").addEventListener("click", goToClasses);
    $("btn-finished-classes").addEventListener("click", () => { stopPlaying(); renderClasses(true); });
    $("btn-again").addEventListener("click", () => act("start_over"));
    $("btn-back-to-class").addEventListener("click", () => render(app.view, true));
    document.addEventListener("pointerdown", unlockSpeech, { capture: true });
    document.addEventListener("keydown", unlockSpeech, { capture: true });
    document.addEventListener("keydown", onKey);
    document.addEventListener("keyup", onKey);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && app.run && app.run.play.steps.length) keepAwake(true);
    });
    window.addEventListener("pagehide", () => {
      if (!app.run) return;
      // The page that was playing is going away: keep the place it was in, as a speaker does when a session ends.
      fetch(`${API}/events`, {
        method: "POST", keepalive: true, credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify({ event: "ended" }),
      });
      hush();
    });
    if ("speechSynthesis" in window) {
      pickVoice();
      window.speechSynthesis.addEventListener?.("voiceschanged", pickVoice);
    }
    setVoice(app.voiceOn);
  }

  async function boot() {
    wire();
    try {
      const answer = await request(app.chosen ? `${API}?voice=${encodeURIComponent(app.chosen)}` : API);
      app.voices = answer.voices || [];
      app.defaultVoice = answer.default || "browser";
      showVoice();
      app.classes = answer.classes;
      buildClassList();
      let view = answer.view;
      let notice = answer.notice;
      if (view.playing) { // a page that was playing went away: keep the place it was in
        const ended = await send("ended");
        view = ended.view;
      }
      if (view.phase === "finished") renderClasses(false);
      else render(view);
      if (view.phase === "paused" || view.phase === "practising") {
        notice = `${notice ? `${notice} ` : ""}Your place in ${view.class.title} is kept. Press Resume, or the space bar, to carry on: your browser needs one press before it may speak.`;
      }
      status(notice);
    } catch (error) {
      showScreen("classes");
      showError(error.message);
    }
  }

  boot();
})();
