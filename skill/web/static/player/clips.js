/* Gentle Yoga's rendered voice in the browser: one <audio> element that plays the class's clips in turn.
 *
 * `play(url, speed)` resolves "ended" when the clip has played to its end, or "failed" (a network error, a
 * browser that refuses to play before a tap); `position()` is the audio's own clock, in class seconds, which
 * the player follows while a clip plays. A test clock that runs N times faster plays the clips N times faster.
 */
"use strict";

window.GentleYogaClips = (() => {
  const MAX_RATE = 16; // the fastest playbackRate browsers allow
  const element = new Audio();
  element.preload = "auto";
  let settle = null; // resolves the clip playing now

  function finish(outcome) {
    const done = settle;
    settle = null;
    if (done) done(outcome);
  }

  element.addEventListener("ended", () => finish("ended"));
  element.addEventListener("error", () => finish("failed"));

  /** Play one clip from its start; a clip already playing is stopped first (and reports "stopped"). */
  function play(url, speed = 1) {
    stop();
    return new Promise((resolve) => {
      settle = resolve;
      element.src = url;
      element.defaultPlaybackRate = element.playbackRate = Math.min(Math.max(speed, 1), MAX_RATE);
      element.preservesPitch = true;
      element.play().catch(() => finish("failed"));
    });
  }

  /** Seconds of the clip played so far, in class time. */
  const position = () => element.currentTime;

  function stop() {
    element.pause();
    finish("stopped");
  }

  /** Some browsers (Safari on iPhone) let an element play only once a tap has started it: start it empty. */
  function unlock() {
    if (element.src) return;
    element.play().catch(() => {});
  }

  return { play, position, stop, unlock, element };
})();
