"""What every handler shares: the request context, sending a segment, and keeping a place."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from skill.practice import playback as pb
from skill.practice import prompts
from skill.practice import segment as seg
from skill.practice.model import Library, Practice
from skill.practice.plan import Plan, at_or_after, next_active
from skill.practice.speech import Pace, Silence, Speech, earliest_end, join, seconds, spoken
from skill.practice.state import Phase, State, kept
from skill.practice.timing import Timing, closing_speech, timing

GATHER_SECONDS = 15  # on a screen that carries on by itself: quiet time to gather the props before the class


@dataclass(frozen=True)
class Outcome:
    """What to say, what to keep, and whether to keep listening.

    end_session None leaves the session open without listening: a screen carries on by itself when carry_on is
    set (the token its timer sends back once the speech has played), and an answer that says nothing leaves the
    session as it was.
    """

    state: State
    speech: Speech
    reprompt: Speech = ()
    end_session: bool | None = False
    segment: seg.Segment | None = None
    carry_on: str | None = None
    play: pb.Play | None = None  # on a device's audio player: the stream to play now, or to queue next
    stop: bool = False  # on a device's audio player: stop playing, and forget what was queued
    rate: float = 1.0  # the pace to say it at (SSML prosody)


def carry_on_token(state: State) -> str | None:
    """What identifies the part a screen is showing: the class being readied, or the segment and when it was sent.

    A screen's timer sends it back when the part has played; once the person pauses, moves or starts over, the
    state no longer gives the same token, so a late timer changes nothing.
    """
    if state.phase is Phase.READY and state.practice:
        return f"ready:{state.practice}"
    if state.phase is Phase.PRACTISING and state.segment and state.sent_at is not None:
        return f"{state.practice}:{state.segment[0]}-{state.segment[-1]}@{state.sent_at:.3f}"
    return None


@dataclass(frozen=True)
class Context:
    state: State
    now: float
    library: Library
    pace: Pace

    @property
    def practice(self) -> Practice:
        practice = self.library.get(self.state.practice)
        assert practice is not None, "handlers that need a class are only reached with one"
        return practice

    @property
    def plan(self) -> Plan:
        return self.state.plan or self.practice.written

    @property
    def timing(self) -> Timing:
        """The class's timing under the plan in force, at this pace."""
        return timing(self.practice, self.plan, self.pace)

    def settled(self) -> Context:
        """This context, taking the last response as played in full once it surely has at any real voice's rate.

        "Continue" said after the prompt moves on even when the voice spoke faster than the estimate; only an
        interruption that is clearly mid-part still finds the pose that was playing."""
        s = self.state
        if s.phase is Phase.PRACTISING and s.sent_at is not None and s.early is not None and s.marks \
                and self.now - s.sent_at >= s.early:
            return replace(self, now=max(self.now, s.sent_at + s.marks[-1]))
        return self

    def _still_playing(self) -> int | None:
        """The step of the last segment its timeline says is playing now; None once it has all played."""
        s = self.state
        if s.phase not in (Phase.PRACTISING, Phase.FINISHED) or s.sent_at is None:
            return None
        return seg.playing(s.segment, s.marks, self.now - s.sent_at)

    @property
    def playing(self) -> bool:
        """Whether the last segment is still playing: then place() is the step playing, not the next one."""
        return self._still_playing() is not None

    def place(self) -> int | None:
        """The step the person is in: the step playing; between segments, the next one ("continue" starts it);
        when paused, the step kept. None before the class, once it is over, or when the plan keeps no step from
        there on."""
        s = self.state
        if s.phase is Phase.PAUSED:
            return at_or_after(self.practice, self.plan, s.position)
        if s.phase in (Phase.PRACTISING, Phase.FINISHED) and s.segment:
            playing = self._still_playing()
            if playing is not None or s.phase is Phase.FINISHED:
                return playing
            return next_active(self.practice, self.plan, s.segment[-1])
        return None

    def elapsed(self) -> float:
        """Seconds into the step still playing (0 when none is): exact on an audio player, whose report the
        engine has put in the state."""
        s, playing = self.state, self._still_playing()
        if playing is None or s.sent_at is None:
            return 0.0
        return max(self.now - s.sent_at - s.marks[s.segment.index(playing)], 0.0)

    def pose(self, index: int) -> str:
        return self.practice.steps[index].pose.name

    def say(self, *texts: str, reprompt: str | None = None, end: bool = False, state: State | None = None) -> Outcome:
        return Outcome(state or self.state, spoken(*texts), spoken(reprompt) if reprompt and not end else (), end)

    def summaries(self) -> list[str]:
        return [_summary(p, self.pace) for p in self.library]


SUMMARIES_KEPT = 256  # one line per (class, pace): a library's classes at the few paces a skill speaks at


# Keyed by value (a class and a pace, each hashed once when made), and bounded: every welcome says every class's
# line, which is the same words until the class or the pace changes.
@lru_cache(maxsize=SUMMARIES_KEPT)
def _summary(practice: Practice, pace: Pace) -> str:
    """A class in one line for the welcome and the list."""
    return prompts.class_summary(practice.title, timing(practice, practice.written, pace).total, practice.focus)


def compact(practice: Practice, plan: Plan) -> Plan | None:
    return None if plan == practice.written else plan


def play(ctx: Context, start: int | None, *prefix: str, plan: Plan | None = None, at: float | None = None) -> Outcome:
    """Send the segment that begins at start; the class's closing words follow when it reaches the end.

    On an audio player, play start's stream instead, at seconds into it: given, or where the person is (the step
    playing carries on; a paused one picks up as resume_offset says), or from its beginning.
    """
    practice, plan = ctx.practice, plan or ctx.plan
    first = at_or_after(practice, plan, start) if start is not None else None
    if ctx.pace.audio_player:
        return _play_audio(ctx, first, spoken(*prefix), plan, at)
    in_force = compact(practice, plan)
    if first is None:  # past the last step: only the closing is left
        state = replace(ctx.state, phase=Phase.FINISHED, position=len(practice.steps), segment=(), marks=(),
                        sent_at=None, early=None, plan=in_force, paused_at=None)
        return _finished(ctx, state, spoken(*prefix), None)
    segment = seg.build(practice, plan, first, ctx.state.mode, ctx.pace, prefix=spoken(*prefix),
                        eased=frozenset(ctx.state.eased))
    speech, after = segment.speech, next_active(practice, plan, segment.steps[-1])
    state = replace(ctx.state, phase=Phase.FINISHED if after is None else Phase.PRACTISING, position=first,
                    segment=segment.steps, marks=segment.marks, sent_at=ctx.now, left_by="", plan=in_force,
                    paused_at=None)
    if after is None:
        return _finished(ctx, state, speech, segment)
    last = practice.steps[segment.steps[-1]]
    up_next = prompts.up_next(ctx.pose(after)) if practice.steps[after].pose != last.pose else None
    if ctx.pace.auto_advance:  # the screen's timer carries on: no prompt, and no open microphone
        said = join(speech, spoken(up_next))
        state = replace(state, early=round(earliest_end(said, ctx.pace), 1))
        return Outcome(state, said, end_session=None, segment=segment, carry_on=carry_on_token(state))
    step_mode = ctx.state.mode == seg.STEP
    prompt = prompts.STEP_PROMPT if step_mode else prompts.FLOW_PROMPT
    reprompt = prompts.STEP_REPROMPT if step_mode else prompts.FLOW_REPROMPT
    said = join(speech, spoken(up_next, prompt))
    state = replace(state, early=round(earliest_end(said, ctx.pace), 1))  # a person answers after the prompt
    return Outcome(state, said, spoken(reprompt), segment=segment)


def _finished(ctx: Context, state: State, speech: Speech, segment: seg.Segment | None) -> Outcome:
    """The last part: the class is kept in the history, and the teacher has the last word."""
    finished = replace(state.with_history(ctx.practice.id, ctx.now), spared=(), eased=())
    return Outcome(finished, join(speech, closing_speech(ctx.practice)), end_session=True, segment=segment)


def _play_audio(ctx: Context, first: int | None, speech: Speech, plan: Plan, at: float | None) -> Outcome:
    """Play a step's stream from now on (a new playback: older tokens go stale), or the closing at the end."""
    practice, in_force = ctx.practice, compact(ctx.practice, plan)
    if first is None:
        where = pb.Where(pb.CLOSING)
        state = replace(ctx.state, phase=Phase.FINISHED, position=len(practice.steps), segment=(), marks=(),
                        sent_at=None, paused_at=None, plan=in_force, playback=ctx.now, offset=0.0)
        state = state.with_history(practice.id, ctx.now)
        offset = 0.0
    else:
        where = pb.Where("step", first)
        if at is None:
            at = ctx.elapsed() if ctx.playing and first == ctx.place() else pb.resume_offset(ctx.state, first, ctx.now)
        length = timing(practice, plan, ctx.pace).seconds(first)
        offset = max(at, 0.0) if at < length else max(length - 1.0, 0.0)  # a stream made shorter: its last second
        starts = ctx.now + seconds(speech, ctx.pace)  # the stream plays once Alexa has said the words
        state = pb.playing_step(replace(ctx.state, plan=in_force, playback=ctx.now, left_by=""), practice, plan,
                                where, offset, starts, ctx.pace)
    stream = pb.stream(practice, plan, where, ctx.pace)
    play = pb.Play(pb.REPLACE_ALL, pb.token(practice, plan, ctx.now, first if first is not None else pb.CLOSING),
                   stream, offset_ms=round(offset * 1000))
    return Outcome(state, speech, end_session=True, play=play)


def pause_at(ctx: Context, index: int, why: str = "pause") -> State:
    """Paused at step index, and why (pause, stop or timeout); a pause that was already there keeps the time it
    began, how it was left, and its place in the step.

    On an audio player the place is exact: the seconds into the step that was playing are kept too.
    """
    if ctx.state.phase is Phase.PAUSED and ctx.state.paused_at is not None:
        since, why = ctx.state.paused_at, ctx.state.left_by or why
        offset = ctx.state.offset if index == ctx.state.position else 0.0
    else:
        since = ctx.now
        offset = ctx.elapsed() if ctx.pace.audio_player and ctx.playing and index == ctx.place() else 0.0
    history = ctx.state.history
    if ctx.state.phase is Phase.FINISHED and history and ctx.state.sent_at is not None \
            and history[0] == (ctx.state.practice, int(ctx.state.sent_at)):
        history = history[1:]  # stopped inside the last part: the class was not finished after all
    return replace(ctx.state, phase=Phase.PAUSED, position=index, segment=(), marks=(), sent_at=None, early=None,
                   paused_at=since, left_by=why, offset=offset, history=history)


def in_class(ctx: Context) -> bool:
    return ctx.place() is not None


def hold_and_say(ctx: Context, *texts: str) -> Outcome:
    """Answer, keeping the place: a playing segment stops and waits at the step it was in."""
    here = ctx.place()
    if here is None:
        return ctx.say(*texts, reprompt=prompts.CHOOSE_REPROMPT)
    return ctx.say(*texts, prompts.already_paused(ctx.pose(here)), reprompt=prompts.RESUME_REPROMPT,
                   state=pause_at(ctx, here))


def announce(ctx: Context, practice: Practice, plan: Plan, *before: str) -> Outcome:
    texts = prompts.announce(practice.title, timing(practice, plan, ctx.pace).total, practice.props, practice.intro)
    state = replace(kept(ctx.state), phase=Phase.READY, practice=practice.id, plan=compact(practice, plan))
    if ctx.pace.audio_player:  # the welcome, then quiet to set up, then the class plays with nothing more said
        return setup_audio(ctx, state, practice, plan, spoken(*before, *texts, prompts.READY_AUDIO))
    if ctx.pace.auto_advance:  # the screen begins the class itself, after a quiet moment to gather the props
        speech = join(spoken(*before, *texts, prompts.READY_AUTO), (Silence(GATHER_SECONDS),))
        return Outcome(state, speech, end_session=None, carry_on=carry_on_token(state))
    return ctx.say(*before, *texts, prompts.READY_PROMPT, reprompt=prompts.READY_REPROMPT, state=state)


def setup_audio(ctx: Context, ready: State, practice: Practice, plan: Plan, speech: Speech) -> Outcome:
    """Play the setting-up quiet now; the first step is queued as it nearly finishes."""
    first = at_or_after(practice, plan, 0)
    assert first is not None, "a class has steps"
    starts = ctx.now + seconds(speech, ctx.pace) + pb.SETUP_SECONDS
    state = pb.playing_step(replace(ready, playback=ctx.now), practice, plan, pb.Where("step", first), 0.0, starts,
                            ctx.pace)
    setup = pb.Where(pb.SETUP)
    play = pb.Play(pb.REPLACE_ALL, pb.token(practice, plan, ctx.now, pb.SETUP), pb.stream(practice, plan, setup,
                                                                                             ctx.pace))
    return Outcome(state, speech, end_session=True, play=play)


def not_in_class(ctx: Context) -> Outcome:
    if ctx.state.phase is Phase.FINISHED:
        return ctx.say(prompts.FINISHED_ALREADY, reprompt=prompts.CHOOSE_REPROMPT)
    if ctx.state.phase is Phase.READY:
        return ctx.say(prompts.HELP_READY, reprompt=prompts.READY_REPROMPT)
    return ctx.say(prompts.NOT_STARTED, reprompt=prompts.CHOOSE_REPROMPT)


