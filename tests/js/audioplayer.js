// A whole class, pauses resumed and questions asked mid-step, through virtual-alexa's AudioPlayer: an outside
// client against our skill's URL.
// Usage: node audioplayer.js --skill http://127.0.0.1:PORT/alexa --model MODEL.json --public https://HOST
//                            [--class "low back release"] [--pauses 3] [--seed 7] [--brief]
// virtual-alexa (0.7.8) posts each request to --skill over HTTP (its RemoteSkillInteractor), matches utterances
// against --model, and keeps an AudioPlayer that follows Play (REPLACE_ALL, ENQUEUE) and Stop and sends
// PlaybackStarted, PlaybackNearlyFinished, PlaybackFinished and PlaybackStopped. It has no clock, so this script
// moves each stream's offset itself: to 2 s in (buffered) for NearlyFinished, to the stream's length for Finished.
// Each stream's length is measured from its MP3 frames, fetched from the server: a Play's URL on --public is
// fetched from the same path on --skill's host. Prints one JSON object: the three runs (see USAGE below).
"use strict";
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1"; // virtual-alexa loads aws-sdk v2, which warns on stderr
const http = require("http");
const { VirtualAlexa } = require("virtual-alexa");

const USAGE = `usage: node audioplayer.js --skill URL --model MODEL.json --public URL [--class NAME] [--pauses N]
                          [--seed N] [--brief]
  --skill   the skill's endpoint over plain HTTP on loopback (virtual-alexa posts there)
  --model   the interaction model the utterances are matched against (interaction_model/en-US.json)
  --public  the https:// base the skill puts in its Play URLs; streams are fetched from --skill's host instead
  --class   the class to start by voice (default "low back release")
  --pauses  how many times the second run says "pause" and then "resume" (default 3)
  --seed    where the pauses fall, reproducibly (default 7)
  --brief   print only a short summary of each run (utterances, streams, pauses), one line each
Prints JSON: {"whole": run, "paused": run, "asked": run}; a run has utterances, said (each reply's speech), started (each
stream's token, url, offset, seconds), requests (each request type and token sent, with the directives answered),
for the paused run, pauses: [{token, offset, resumed_token, resumed_offset}], and for the asked run (a question
asked mid-step each), asked: [{question, token, offset, answer, carried_on_token, carried_on_offset}].`;

const NEARLY_AFTER_MS = 2000; // a device reports NearlyFinished once the stream is buffered, soon after it starts
const MAX_STREAMS = 400;
// virtual-alexa reads "ask gentle yoga <words>" without "to" as a bare launch, so the questions go without the name
const QUESTIONS = ["how much time is left", "what pose is this"];

function options(argv) {
  const found = { class: "low back release", pauses: "3", seed: "7" };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--help" || argv[i] === "-h") return null;
    if (argv[i] === "--brief") {
      found.brief = true;
      i -= 1;
      continue;
    }
    const name = argv[i].replace(/^--/, "");
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) throw new Error(`expected --name value at ${argv[i]}`);
    found[name] = argv[i + 1];
  }
  for (const need of ["skill", "model", "public"]) {
    if (!found[need]) throw new Error(`--${need} is required`);
  }
  return found;
}

function fetchBytes(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (answer) => {
      const chunks = [];
      answer.on("data", (chunk) => chunks.push(chunk));
      answer.on("end", () => resolve({ status: answer.statusCode, type: answer.headers["content-type"],
                                       data: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

// MPEG audio frames, walked header by header: how long the stream plays, in milliseconds (no estimate).
const BITRATES = { 1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
                   2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160] };
const RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

function mp3Milliseconds(data) {
  let at = 0, samples = 0, rate = 0;
  while (at < data.length) {
    if (at + 4 > data.length || data[at] !== 0xff || (data[at + 1] & 0xe0) !== 0xe0) {
      throw new Error(`not an MPEG frame at byte ${at}`);
    }
    const version = (data[at + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    if (((data[at + 1] >> 1) & 3) !== 1) throw new Error(`not Layer III at byte ${at}`);
    const kbps = BITRATES[version === 3 ? 1 : 2][data[at + 2] >> 4];
    rate = RATES[version][(data[at + 2] >> 2) & 3];
    const padding = (data[at + 2] >> 1) & 1;
    const perFrame = version === 3 ? 1152 : 576;
    at += Math.floor((perFrame / 8) * kbps * 1000 / rate) + padding;
    samples += perFrame;
  }
  if (at !== data.length) throw new Error("the last frame is cut short");
  return Math.round(samples * 1000 / rate);
}

class Run {
  constructor(opts) {
    this.opts = opts;
    this.alexa = VirtualAlexa.Builder().skillURL(opts.skill).interactionModelFile(opts.model).create();
    this.player = this.alexa.audioPlayer();
    this.utterances = 0;
    this.said = [];
    this.started = [];
    this.requests = [];
    this.lengths = new Map();
    this.pending = new Set();
    // Each request as it goes over HTTP, in that order, with the directives of its answer; a PlaybackStarted
    // also notes the stream the player began.
    const interactor = this.alexa.interactor();
    const invoke = interactor.invoke.bind(interactor);
    interactor.invoke = async (sent) => {
      const entry = { type: sent.request.type, intent: sent.request.intent && sent.request.intent.name,
                      token: sent.request.token, offset: sent.request.offsetInMilliseconds,
                      context: sent.context.AudioPlayer, directives: null };
      this.requests.push(entry);
      if (entry.type === "AudioPlayer.PlaybackStarted") this.started.push(this.startedEntry(sent));
      const reply = await invoke(sent);
      entry.directives = ((reply.response && reply.response.directives) || []).map(summary);
      entry.speaks = Boolean(reply.response && (reply.response.outputSpeech || reply.response.reprompt));
      return reply;
    };
    // The player sends PlaybackStarted itself, unawaited: every call is tracked so `idle` can wait for it and
    // for the directives its answer carries.
    const call = this.alexa.call.bind(this.alexa);
    this.alexa.call = (request) => {
      const promise = call(request);
      this.pending.add(promise);
      promise.then(() => this.pending.delete(promise), () => this.pending.delete(promise));
      return promise;
    };
  }

  startedEntry(sent) {
    const playing = this.player.playing();
    return { token: sent.request.token, offset: sent.request.offsetInMilliseconds,
             url: playing && playing.stream.token === sent.request.token ? playing.stream.url : null };
  }

  async idle() {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async say(words) {
    this.utterances += 1;
    const reply = await this.alexa.utter(words);
    await this.idle();
    this.said.push({ utterance: words, speech: plain(reply), ends: Boolean(reply.response.shouldEndSession) });
    return reply;
  }

  async length(url) {
    if (!this.lengths.has(url)) {
      if (!url.startsWith(this.opts.public + "/")) throw new Error(`a Play URL off the public base: ${url}`);
      const local = new URL(url.slice(this.opts.public.length), this.opts.skill).href;
      const got = await fetchBytes(local);
      if (got.status !== 200 || got.type !== "audio/mpeg") throw new Error(`${local}: ${got.status} ${got.type}`);
      this.lengths.set(url, mp3Milliseconds(got.data));
    }
    return this.lengths.get(url);
  }

  // Let the stream now playing run: NearlyFinished once buffered (unless `until` stops it first), then Finished
  // at its end, after which the player starts what the skill queued. Returns false when nothing is playing.
  async playOn(until = null) {
    if (!this.player.isPlaying()) return false;
    const stream = this.player.playing().stream;
    const total = await this.length(stream.url);
    const entry = this.started[this.started.length - 1];
    entry.seconds = total / 1000;
    const from = stream.offsetInMilliseconds || 0;
    this.player.playbackOffset(Math.min(from + NEARLY_AFTER_MS, total));
    await this.player.playbackNearlyFinished();
    await this.idle();
    if (until !== null) {
      this.player.playbackOffset(until);
      return true;
    }
    this.player.playbackOffset(total);
    await this.player.playbackFinished();
    await this.idle();
    return true;
  }

  async toTheEnd() {
    for (let streams = 0; await this.playOn(); streams++) {
      if (streams > MAX_STREAMS) throw new Error("the class played on past any class's length");
    }
  }

  report(extra = {}) {
    return { utterances: this.utterances, said: this.said, started: this.started, requests: this.requests,
             activity: this.player.playerActivity(), ...extra };
  }
}

function summary(directive) {
  const found = { type: directive.type };
  if (directive.playBehavior) found.playBehavior = directive.playBehavior;
  if (directive.clearBehavior) found.clearBehavior = directive.clearBehavior;
  const stream = directive.audioItem && directive.audioItem.stream;
  if (stream) {
    Object.assign(found, { token: stream.token, url: stream.url, offset: stream.offsetInMilliseconds,
                           expectedPreviousToken: stream.expectedPreviousToken });
  }
  return found;
}

function plain(reply) {
  const speech = reply && reply.response && reply.response.outputSpeech;
  const text = speech ? (speech.ssml || speech.text || "") : "";
  return text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()
    .replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// A small seeded generator (mulberry32), so the pauses fall in the same places on every run with the same seed.
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function wholeClass(opts) {
  const run = new Run(opts);
  await run.say(`ask gentle yoga to start ${opts.class}`);
  await run.toTheEnd();
  return run.report();
}

// Start the class, then `times` times: play on to a seeded random moment inside a step (each step is passed over
// with chance `skip`), and there call `interrupt(run, token, offset)`, which says something and returns what
// happened. Then the class plays to its end.
async function interrupted(opts, seed, skip, times, interrupt) {
  const run = new Run(opts);
  const chance = seeded(seed);
  await run.say(`ask gentle yoga to start ${opts.class}`);
  const happened = [];
  for (let streams = 0; happened.length < times && run.player.isPlaying() && streams < MAX_STREAMS; streams++) {
    const token = run.player.playing().stream.token;
    if (token.endsWith(":setup") || token.endsWith(":closing") || chance() < skip) {
      await run.playOn();
      continue;
    }
    const total = await run.length(run.player.playing().stream.url);
    const offset = NEARLY_AFTER_MS + Math.floor(chance() * (total - NEARLY_AFTER_MS - 1));
    await run.playOn(offset);
    happened.push(await interrupt(run, token, offset, happened.length));
  }
  await run.toTheEnd();
  return { run, happened };
}

function played(reply) {
  const play = ((reply.response && reply.response.directives) || []).find((d) => d.type === "AudioPlayer.Play");
  return play ? play.audioItem.stream : { token: null, offsetInMilliseconds: null };
}

async function pausedClass(opts) {
  const { run, happened } = await interrupted(opts, Number(opts.seed), 0.6, Number(opts.pauses),
    async (run, token, offset) => {
      await run.say("pause");
      const afterPause = run.player.playerActivity();
      const stream = played(await run.say("resume"));
      return { token, offset, activity_after_pause: activityName(afterPause), resumed_token: stream.token,
               resumed_offset: stream.offsetInMilliseconds };
    });
  return run.report({ pauses: happened });
}

async function askedClass(opts) {
  const { run, happened } = await interrupted(opts, Number(opts.seed) + 1, 0.7, QUESTIONS.length,
    async (run, token, offset, index) => {
      const reply = await run.say(QUESTIONS[index]);
      const stream = played(reply);
      return { question: QUESTIONS[index], token, offset, answer: plain(reply), playing: run.player.isPlaying(),
               carried_on_token: stream.token, carried_on_offset: stream.offsetInMilliseconds };
    });
  return run.report({ asked: happened });
}

function activityName(activity) {
  return require("virtual-alexa/lib/src/audioPlayer/AudioPlayer").AudioPlayerActivity[activity];
}

async function main() {
  let opts;
  try {
    opts = options(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (opts === null) {
    console.log(USAGE);
    return;
  }
  const whole = await wholeClass(opts);
  const paused = await pausedClass(opts);
  const asked = await askedClass(opts);
  const runs = { whole: { ...whole, activity: activityName(whole.activity) },
                 paused: { ...paused, activity: activityName(paused.activity) },
                 asked: { ...asked, activity: activityName(asked.activity) } };
  if (!opts.brief) {
    process.stdout.write(JSON.stringify(runs));
    return;
  }
  for (const [name, run] of Object.entries(runs)) {
    const last = run.requests[run.requests.length - 1];
    console.log(JSON.stringify({
      run: name, utterances: run.utterances, said: run.said.map((s) => s.utterance),
      streams_started: run.started.length, first: run.started[0].token, last: run.started[run.started.length - 1].token,
      requests: run.requests.length, last_request: `${last.type} ${last.token} @${last.offset} ms`,
      player: run.activity,
      pauses: run.pauses && run.pauses.map((p) => `${p.token} @${p.offset} ms -> resumed ${p.resumed_token} @${p.resumed_offset} ms`),
      asked: run.asked && run.asked.map((a) => `"${a.question}" at ${a.token} @${a.offset} ms: "${a.answer}" -> ` +
                                               `plays ${a.carried_on_token} @${a.carried_on_offset} ms`),
    }));
  }
}

main().catch((error) => {
  if (error && error.code === "ECONNREFUSED") {
    console.error(`audioplayer.js: nothing answers at ${error.address}:${error.port}; start the skill first ` +
                  "(GENTLE_YOGA_VERIFY=off GENTLE_YOGA_PUBLIC_URL=https://… make serve) and pass its /alexa URL");
    process.exit(1);
  }
  console.error(`audioplayer.js: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
