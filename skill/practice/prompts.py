"""Every word the skill says that is not a class's own cue, in one place (en), ready for more locales."""
from __future__ import annotations

from collections.abc import Sequence

from skill.practice.speech import Line, sentences, voice_only

# A sentence that tells the person what to say is for a voice device: it is tagged voice_only where it is made,
# and a screen (view.py), which has buttons for it, leaves it out.

SIDE_NAMES = {"right": "right", "left": "left"}


def spoken_list(items: Sequence[str], conjunction: str = "and", separator: str = ", ") -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{separator.join(items[:-1])}{separator if separator != ', ' else ' '}{conjunction} {items[-1]}"


def minutes(seconds: float) -> str:
    """A friendly, rounded length: 'about 12 minutes', 'less than a minute'."""
    whole = int(round(seconds / 60))
    if seconds < 45:
        return "less than a minute"
    if whole == 1:
        return "about a minute"
    return f"about {whole} minutes"


def class_summary(title: str, length_seconds: float, focus: Sequence[str]) -> str:
    return f"{title}, {round(length_seconds / 60)} minutes, for {spoken_list(list(focus[:2]))}"


# --- welcome and choosing a class -------------------------------------------------------------
def welcome_new(summaries: Sequence[str]) -> str:
    return (
        "Welcome to Gentle Yoga. I'll guide you through a whole class, pose by pose, with the holds timed for you. "
        f"You can choose {spoken_list(summaries, 'or', '; ')}. Which would you like?"
    )


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def welcome_back(summaries: Sequence[str], practice_number: int = 1) -> str:
    """practice_number: which practice this week this would be; from the second on, it is said lightly."""
    week = f"This would be your {ORDINALS[practice_number - 1]} practice this week. " \
        if 2 <= practice_number <= len(ORDINALS) else ""
    return (f"Welcome back to Gentle Yoga. {week}You can choose {spoken_list(summaries, 'or', '; ')}. "
            "Which would you like?")


def ago(seconds: float | None) -> str:
    """How long ago, said without needing the person's time zone; empty for under an hour."""
    if seconds is None or seconds < 3600:
        return ""
    if seconds < 20 * 3600:
        return "A few hours ago, "
    if seconds < 48 * 3600:
        return "About a day ago, "
    return f"{int(seconds // 86400)} days ago, "


def welcome_back_paused(title: str, pose: str, left_seconds: float, since: float | None = None,
                        paused: bool = True) -> str:
    """paused: the person paused; otherwise the session timed out or they stopped, and "we stopped" is honest."""
    when = ago(since)
    who = ("you" if when else "You") + " paused" if paused else ("we" if when else "We") + " stopped"
    return (
        f"Welcome back. {when}{who} {title} in {pose}, with {minutes(left_seconds)} to go. "
        "Shall we carry on from there?"
    )


def replace_class(current: str, wanted: str) -> str:
    if current == wanted:
        return f"You're part-way through {current}. Start it again from the beginning?"
    return f"You're part-way through {current}. Start {wanted} instead?"


REPLACE_REPROMPT = voice_only("Say yes to start the new class, or no to stay where you are.")


def stay_with(title: str, pose: str) -> Line:
    return sentences(f"Okay, we'll stay with {title}. We're paused in {pose}.",
                     voice_only("Say resume when you're ready."))


def welcome_back_ready(title: str) -> str:
    return f"Welcome back. {title} is ready for you."


CONTINUE_REPROMPT = voice_only("Say yes to carry on where you paused, or start over to begin again.")
RESUME_REPROMPT = voice_only("Say resume when you're ready, or stop to finish for now.")


def list_classes(summaries: Sequence[str]) -> Line:
    return sentences(f"Here are the classes: {spoken_list(summaries, 'and', '; ')}.",
                     voice_only("Say the name of the one you'd like."))


CHOOSE_REPROMPT = sentences("Which class would you like?", voice_only("For example, say start low back release."))


SAID_BACK_CHARS = 60  # the most of someone's own words said back to them: a name or a few words, never a speech


def said_back(text: str) -> str:
    """Someone's words, cut to SAID_BACK_CHARS at a space, so an odd request cannot make the answer overlong."""
    text = " ".join(text.split())
    return text if len(text) <= SAID_BACK_CHARS else text[:SAID_BACK_CHARS + 1].rsplit(" ", 1)[0][:SAID_BACK_CHARS]


def unknown_class(heard: str, titles: Sequence[str]) -> str:
    heard = said_back(heard)
    return f"I couldn't find a class called {heard}. I have {spoken_list(titles, 'and')}. Which would you like?"


def no_focus_match(focus: str, titles: Sequence[str]) -> str:
    focus = said_back(focus)
    return f"I don't have a class for {focus}. The closest are {spoken_list(titles, 'and')}. Which would you like?"


def chosen_for_request(title: str, asked_minutes: int | None, focus: str | None) -> str:
    what = f"a {asked_minutes} minute practice" if asked_minutes else "a practice"
    focus = said_back(focus) if focus else focus
    if focus:
        what += f" for your {focus}" if not focus.startswith(("sleep", "bed", "morning", "relax")) else f" for {focus}"
    return f"For {what}, I've picked {title}."


def cannot_reach_minutes(asked_minutes: int, shortest_seconds: float) -> str:
    return f"The shortest I can make it is {minutes(shortest_seconds)}, keeping both sides and the final relaxation."


def announce(title: str, length_seconds: float, props: Sequence[str], intro: str) -> tuple[str, str, str]:
    """The three parts of choosing a class: name and length, props, and the intro."""
    return (
        f"{title}. It takes {minutes(length_seconds)}.",
        f"You'll need {spoken_list(props)}." if props else "You won't need any props.",
        intro,
    )


READY_PROMPT = voice_only("Gather what you need, and say begin when you're ready.")
READY_REPROMPT = voice_only("Whenever you're set up, say begin. Or say what do I need to hear the props again.")
# On a device's audio player: the class plays by itself after the welcome, with quiet to set up first.
READY_AUDIO = sentences("Take a moment to set up, and the class will begin.",
                        voice_only("You can say pause at any time."))
# On a screen that carries the class on by itself: no one needs to say begin.
READY_AUTO = sentences("Gather what you need.",
                       voice_only("We'll begin in a moment, or say pause if you'd like longer."))


# --- during the class -----------------------------------------------------------------------------
def pose_name(name: str) -> str:
    return f"{name}."


def first_side(side: str) -> str:
    return f"We'll start on the {SIDE_NAMES[side]} side."


def switch_sides(side: str) -> str:
    return f"Now the other side. Come to your {SIDE_NAMES[side]}."


HOLD_REMINDERS = (
    "Keep breathing slowly.",
    "Let each exhale soften you a little more.",
    "Stay easy here, and breathe.",
    "Notice your breath, long and slow.",
)


# Said inside holds at natural points, so that nobody wonders how long is left (rhythm.py places them).
HALFWAY = ("Halfway. Stay soft.", "Halfway there. Keep the breath easy.", "Halfway. Nothing to force.")
THREE_MORE = "Three more breaths."
LAST_BREATH = "Last breath here."
QUIET_ROUNDS = "Keep going on your own breath."


def up_next(name: str) -> str:
    return f"Next is {name}."


FLOW_PROMPT = voice_only("Say continue when you're ready.")
FLOW_REPROMPT = voice_only("Say continue for the next part of the class, or pause to stop here for now.")
STEP_PROMPT = voice_only("Say next when you're ready.")
STEP_REPROMPT = voice_only("Say next for the next pose, repeat to hear this one again, or pause to stop for now.")


RESUME_FROM = "Let's pick up where you left off."
BACK_ONE = "Going back one pose."
SKIP_ON = "Moving on."
AGAIN = "Once more."
FIRST_POSE_ALREADY = "This is the first pose, so let's take it again."


def start_over(title: str) -> str:
    return f"Starting {title} again from the beginning."


def finished(title: str) -> str:
    return f"That brings {title} to a close."


PACE_RECORDED = sentences("The recorded voice keeps its own calm pace, and I'll remember yours for spoken classes.",
                          voice_only("For more time in each pose, say hold it longer."))
ONE_ORDER = "A class keeps its own order, so there's no shuffle or loop here."
AUDIO_FAILED = "Sorry, the audio stopped playing, so I'll speak the class from here."
RESUME_FROM_CUE = "Welcome back. Let's take this pose again from the start."


# --- a class as a recording (an MP3 to practise with anywhere) -----------------------------------------------
RECORDING_WELCOME = "Welcome"
RECORDING_CLOSING = "Closing"
RECORDING_GATHER = "Take a moment to gather what you need, and we'll begin."


# --- pause, resume, stop ---------------------------------------------------------------------------
def paused(pose: str) -> Line:
    return sentences(f"Paused in {pose}. Rest as long as you like.",
                     voice_only("When you're ready, even tomorrow, say resume."))


def already_paused(pose: str) -> Line:
    return sentences(f"We're paused in {pose}.", voice_only("Say resume when you're ready."))


def nothing_paused_idle() -> Line:
    return sentences("There's nothing paused right now.",
                     voice_only("Say start, and the name of a class, to begin one."))


def stop_saved(pose: str) -> Line:
    return sentences(f"Okay. I've kept your place in {pose}.",
                     voice_only("Say resume next time to carry on."), "Namaste.")


STOP_PLAIN = "Okay. Take care, and come back to your mat soon. Namaste."
PAUSE_READY = sentences("Take your time.", voice_only("Say begin when you're ready."))


# --- questions ---------------------------------------------------------------------------------------
def time_left(left_seconds: float, pose_number: int, pose_total: int) -> str:
    return f"There's {minutes(left_seconds)} left. This is pose {pose_number} of {pose_total}."


def poses_left(after: int, left_seconds: float) -> str:
    if after == 0:
        return f"This is the last pose, with {minutes(left_seconds)} to go."
    more = "is one more pose" if after == 1 else f"are {after} more poses"
    return f"After this one there {more}, {minutes(left_seconds)} in all."


def whats_next(name: str, side: str | None) -> str:
    on = f", on the {SIDE_NAMES[side]} side" if side else ""
    return f"Next is {name}{on}."


LAST_POSE_NEXT = "This is the last pose. After it, we finish."


def practice_count(count: int) -> str:
    if count == 0:
        return "You haven't finished a class this week yet. Today is a good day for one."
    classes = "one class" if count == 1 else f"{count} classes"
    return f"You've finished {classes} this week. Well done."


def time_left_ready(title: str, length_seconds: float) -> str:
    return f"We haven't begun yet. {title} takes {minutes(length_seconds)}."


def what_pose(name: str, sanskrit: str | None, side: str | None, pose_number: int, pose_total: int) -> str:
    also = f", or {sanskrit}" if sanskrit else ""  # the caller gives it where it adds to the name (Pose.sanskrit_shown)
    on = f", on the {SIDE_NAMES[side]} side" if side else ""
    return f"This is {name}{also}{on}. Pose {pose_number} of {pose_total}."


def between_poses(done: str, name: str, side: str | None, pose_number: int, pose_total: int) -> str:
    on = f", on the {SIDE_NAMES[side]} side" if side else ""
    return f"That was {done}. Next is {name}{on}, pose {pose_number} of {pose_total}."


def first_pose(name: str) -> str:
    return f"We haven't begun yet. The first pose is {name}."


def props(title: str, items: Sequence[str]) -> str:
    if not items:
        return f"For {title} you won't need any props."
    return f"For {title} you'll need {spoken_list(items)}."


def props_idle(examples: Sequence[str]) -> str:
    return f"That depends on the class. {' '.join(examples)}"


NOT_STARTED = sentences("We haven't started a class yet.",
                        voice_only("Say start low back release, or ask what classes there are."))
FINISHED_ALREADY = sentences("We've finished the class.",
                             voice_only("Say start over to do it again, or name another class."))
NO_TIME_LEFT = "We've finished, so there's no time left. Well done."
NO_POSE_FINISHED = "The class is complete, so there's no pose right now."


# --- shorter ---------------------------------------------------------------------------------------------
def to_go(left_seconds: float) -> str:
    """The time left, said back: "About 20 minutes to go." """
    said = minutes(left_seconds)
    return f"{said[0].upper()}{said[1:]} to go."


def shorter_done(left_seconds: float) -> str:
    return f"Okay, I've trimmed the rest of the class. {to_go(left_seconds)}"


def shorter_at_minimum(left_seconds: float) -> str:
    return (
        f"This is the shortest the class can be, keeping both sides and the final relaxation. "
        f"{to_go(left_seconds)}"
    )


def shorter_not_longer(left_seconds: float) -> Line:
    return sentences(f"That fits already. {to_go(left_seconds)}",
                     voice_only("Say make it longer if you'd like longer holds."))


def longer_done(left_seconds: float) -> str:
    return f"Okay, I'll hold each pose a little longer from here. {to_go(left_seconds)}"


def longer_at_most(left_seconds: float) -> str:
    return f"The holds are as long as I make them. {to_go(left_seconds)}"


LONGER_IDLE = "Okay, I'll hold the poses longer. Which class would you like?"
LONGER_FINISHED = "We've finished, so there's nothing left to lengthen. Next time the holds will be longer."


def pace_set(change: str) -> str:
    return {"slower": "Okay, I'll speak more slowly.", "faster": "Okay, I'll speak a little faster.",
            "normal": "Okay, back to the usual pace.", "slowest": "This is as slowly as I speak.",
            "fastest": "This is as fast as I speak."}[change]


SHORTER_FINISHED = "We've already finished, so there's nothing left to shorten."


# --- help, yes and no, and the unexpected -----------------------------------------------------------
HELP_IDLE = sentences(
    "I lead yoga classes out loud, with the holds timed for you.",
    voice_only("Say start low back release, or ask for a twenty minute practice for your hips."),
    "You can also ask what classes there are.",
)
HELP_CLASS = sentences(
    voice_only("During class you can say pause, resume, next, go back, or repeat that. Say make it shorter, "
               "or make it twenty minutes, to trim the rest."),
    "You can ask how much time is left, what pose this is, or what you need.",
    voice_only("Say stop to finish for now; I'll remember your place."),
)
HELP_READY = voice_only("Say begin to start the class, or make it shorter first. "
                        "You can ask what you need, or say stop.")
NO_THANKS = sentences("No problem.",
                      voice_only("You can say start over, or name another class. Or say stop to finish for now."))
NO_READY = sentences("That's fine.", voice_only("Say another class's name, or say stop."))
NO_IDLE = "Okay. Whenever you'd like to practise, just ask. Namaste."
MISSED_IN_CLASS = sentences("I didn't catch that.",
                            voice_only("Say resume to carry on, next to move on, or what's next."))
MISSED_READY = sentences("I didn't catch that.", voice_only("Say begin, or what do I need."))
MISSED_IDLE = sentences("I didn't catch that.", voice_only("Say the name of a class, or what classes are there."))
MISSED_AGAIN = sentences("Sorry, I'm still not getting it.", voice_only("Here's what you can say."))
FALLBACK = "Sorry, I didn't catch that."
AT_END = "That was the last pose, so we'll close the class here."


def already_in(title: str, pose: str) -> Line:
    return sentences(f"You're already in {title}, at {pose}.",
                     voice_only("Say start over to begin it again, or resume to carry on."))


# The Alexa edge's own words: a record it could not read, and any error it did not expect.
LOST_PLACE = "I couldn't read where you were, so we're starting fresh."
SORRY = "Sorry, something went wrong on my side. Your place is kept. Please try that again."
SORRY_REPROMPT = voice_only("Say continue to carry on, or stop to finish for now.")
# The store could not be reached: said once, the first time a save fails, while the place rides in the session.
NOT_SAVED = "I can't save your place right now, but I'll keep track of it while we practise."
# The store could not take the place, and the session is ending, so nothing can carry it.
NOT_KEPT = "I couldn't save your place just now, so next time we may pick up a little earlier."
# The store could not be read at the start of a session, and the session carries no place of its own.
NO_RECORD = "I can't reach where you were just now. It should be back shortly."


# --- sides, and the body ------------------------------------------------------------------------------------
NO_SIDES = "This pose is the same on both sides, so there's no other side to switch to."


def second_side_already(side: str) -> Line:
    return sentences(f"We're already on the second side, the {SIDE_NAMES[side]}.",
                     voice_only("Say next when you're ready to move on."))


def switching_to(side: str) -> str:
    return f"Switching to the {SIDE_NAMES.get(side, side)} side."


HURT_SAFETY = "Stop there, and ease out of the pose gently. Pain is a sign to back off, so rest until it settles."


def easier_offer(easier: str) -> Line:
    return sentences(f"There's an easier way: {easier}",
                     voice_only("Say continue to take it that way, or next to skip this pose."))


NO_EASIER = voice_only("Say continue when you feel ready, or next to skip this pose.")
NO_EASIER_VERSION = voice_only("This pose has no easier version, but you can rest in it, or say next to skip it.")
EASIER_NOW = "Here's the easier way."
HURT_IDLE = "If something hurts, rest, and only practise when it feels right. I'm here whenever you're ready."


def spare_offer(part: str) -> Line:
    return voice_only(f"If your {part} need care today, say go easy on my {part}, and I'll change the poses that "
                      "load them.")


def body_words(part: str) -> str:
    return f"your {said_back(part)}"


def going_easy(part: str, swapped: Sequence[str], dropped: Sequence[str]) -> str:
    said = [f"Going easy on {body_words(part)}."]
    if swapped:
        said.append(f"I'll take {spoken_list(list(swapped))} an easier way.")
    if dropped:
        said.append(f"I'll leave out {spoken_list(list(dropped))}.")
    if not swapped and not dropped:
        said.append(f"Nothing left in this class puts weight on {body_words(part)}.")
    return " ".join(said)


def going_easy_next(part: str) -> str:
    return f"Okay, I'll go easy on {body_words(part)} in the class you choose. Which would you like?"


def cannot_spare(part: str | None) -> Line:
    what = f"your {said_back(part)}" if part else "that"
    return sentences(f"I can't change the poses for {what}, but I can go easy on your knees or your wrists.",
                     voice_only("And if anything hurts, say that hurts."))
