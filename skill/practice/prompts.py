"""Every word the skill says that is not a class's own cue, in one place (en), ready for more locales."""
from __future__ import annotations

from collections.abc import Sequence

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


def welcome_back(summaries: Sequence[str]) -> str:
    return f"Welcome back to Gentle Yoga. You can choose {spoken_list(summaries, 'or', '; ')}. Which would you like?"


def ago(seconds: float | None) -> str:
    """How long ago, said without needing the person's time zone; empty for under an hour."""
    if seconds is None or seconds < 3600:
        return ""
    if seconds < 20 * 3600:
        return "A few hours ago, "
    if seconds < 48 * 3600:
        return "About a day ago, "
    return f"{int(seconds // 86400)} days ago, "


def welcome_back_paused(title: str, pose: str, left_seconds: float, since: float | None = None) -> str:
    when = ago(since)
    you = "you" if when else "You"
    return (
        f"Welcome back. {when}{you} paused {title} in {pose}, with {minutes(left_seconds)} to go. "
        "Shall we carry on from there?"
    )


def welcome_back_ready(title: str) -> str:
    return f"Welcome back. {title} is ready for you."


CONTINUE_REPROMPT = "Say yes to carry on where you paused, or start over to begin again."
RESUME_REPROMPT = "Say resume when you're ready, or stop to finish for now."


def list_classes(summaries: Sequence[str]) -> str:
    return f"Here are the classes: {spoken_list(summaries, 'and', '; ')}. Say the name of the one you'd like."


CHOOSE_REPROMPT = "Which class would you like? For example, say start low back release."


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
    return f"I don't have a class for {focus} yet, so here is the closest I have. I have {spoken_list(titles, 'and')}."


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


READY_PROMPT = "Gather what you need, and say begin when you're ready."
READY_REPROMPT = "Whenever you're set up, say begin. Or say what do I need to hear the props again."
# On a screen that carries the class on by itself: no one needs to say begin.
READY_AUTO = "Gather what you need. We'll begin in a moment, or say pause if you'd like longer."


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


def up_next(name: str) -> str:
    return f"Next is {name}."


FLOW_PROMPT = "Say continue when you're ready."
FLOW_REPROMPT = "Say continue for the next part of the class, or pause to stop here for now."
STEP_PROMPT = "Say next when you're ready."
STEP_REPROMPT = "Say next for the next pose, repeat to hear this one again, or pause to stop for now."


RESUME_FROM = "Let's pick up where you left off."
BACK_ONE = "Going back one pose."
SKIP_ON = "Moving on."
AGAIN = "Once more."
FIRST_POSE_ALREADY = "This is the first pose, so let's take it again."


def start_over(title: str) -> str:
    return f"Starting {title} again from the beginning."


def finished(title: str) -> str:
    return f"That brings {title} to a close. Come back any time, and say start over to practise it again."


# --- pause, resume, stop ---------------------------------------------------------------------------
def paused(pose: str) -> str:
    return f"Paused in {pose}. Rest as long as you like. When you're ready, even tomorrow, say resume."


def already_paused(pose: str) -> str:
    return f"We're paused in {pose}. Say resume when you're ready."


def nothing_paused_idle() -> str:
    return "There's nothing paused right now. Say start, and the name of a class, to begin one."


def stop_saved(pose: str) -> str:
    return f"Okay. I've kept your place in {pose}. Say resume next time to carry on. Namaste."


STOP_PLAIN = "Okay. Take care, and come back to your mat soon. Namaste."
PAUSE_READY = "Take your time. Say begin when you're ready."


# --- questions ---------------------------------------------------------------------------------------
def time_left(left_seconds: float, step_number: int, step_total: int) -> str:
    return f"There's {minutes(left_seconds)} left. This is step {step_number} of {step_total}."


def time_left_ready(title: str, length_seconds: float) -> str:
    return f"We haven't begun yet. {title} takes {minutes(length_seconds)}."


def what_pose(name: str, sanskrit: str | None, side: str | None, step_number: int, step_total: int) -> str:
    also = f", or {sanskrit}" if sanskrit and sanskrit.lower() != name.lower() else ""
    on = f", on the {SIDE_NAMES[side]} side" if side else ""
    return f"This is {name}{also}{on}. Step {step_number} of {step_total}."


def between_poses(done: str, name: str, side: str | None, step_number: int, step_total: int) -> str:
    on = f", on the {SIDE_NAMES[side]} side" if side else ""
    return f"That was {done}. Next is {name}{on}, step {step_number} of {step_total}."


def first_pose(name: str) -> str:
    return f"We haven't begun yet. The first pose is {name}."


def props(title: str, items: Sequence[str]) -> str:
    if not items:
        return f"For {title} you won't need any props."
    return f"For {title} you'll need {spoken_list(items)}."


def props_idle(examples: Sequence[str]) -> str:
    return f"That depends on the class. {' '.join(examples)}"


NOT_STARTED = "We haven't started a class yet. Say start low back release, or ask what classes there are."
FINISHED_ALREADY = "We've finished the class. Say start over to do it again, or name another class."
NO_TIME_LEFT = "We've finished, so there's no time left. Well done."
NO_POSE_FINISHED = "The class is complete, so there's no pose right now."


# --- shorter ---------------------------------------------------------------------------------------------
def shorter_done(left_seconds: float) -> str:
    return f"Okay, I've trimmed the rest of the class. There's {minutes(left_seconds)} to go."


def shorter_at_minimum(left_seconds: float) -> str:
    return (
        f"That's as short as it goes: {minutes(left_seconds)} to go, keeping both sides "
        "and the final relaxation."
    )


def shorter_not_longer(left_seconds: float) -> str:
    return f"There's already {minutes(left_seconds)} to go. I can make it shorter, but not longer."


SHORTER_FINISHED = "We've already finished, so there's nothing left to shorten."


# --- help, yes and no, and the unexpected -----------------------------------------------------------
HELP_IDLE = (
    "I lead yoga classes out loud, with the holds timed for you. Say start low back release, "
    "or ask for a twenty minute practice for your hips. You can also ask what classes there are."
)
HELP_CLASS = (
    "During class you can say pause, resume, next, go back, or repeat that. Say make it shorter, "
    "or make it twenty minutes, to trim the rest. You can ask how much time is left, what pose this is, "
    "or what you need. Say stop to finish for now; I'll remember your place."
)
HELP_READY = "Say begin to start the class, or make it shorter first. You can ask what you need, or say stop."
NO_THANKS = "No problem. You can say start over, or name another class. Or say stop to finish for now."
NO_READY = "That's fine. Say another class's name, or say stop."
NO_IDLE = "Okay. Whenever you'd like to practise, just ask. Namaste."
FALLBACK = "Sorry, I didn't catch that."
AT_END = "That was the last pose, so we'll close the class here."


def already_in(title: str, pose: str) -> str:
    return f"You're already in {title}, at {pose}. Say start over to begin it again, or resume to carry on."


# The Alexa edge's own words: a record it could not read, and any error it did not expect.
LOST_PLACE = "I couldn't read where you were, so we're starting fresh."
SORRY = "Sorry, something went wrong on my side. Your place is kept. Please try that again."
SORRY_REPROMPT = "Say continue to carry on, or stop to finish for now."
# The store could not be reached: said once, the first time a save fails, while the place rides in the session.
NOT_SAVED = "I can't save your place right now, but I'll keep track of it while we practise."
# The store could not take the place, and the session is ending, so nothing can carry it.
NOT_KEPT = "I couldn't save your place just now, so next time we may pick up a little earlier."
# The store could not be read at the start of a session, and the session carries no place of its own.
NO_RECORD = "I can't reach where you were just now. It should be back shortly."
