"""What people say for each intent: the sample utterances the intents table (intents.py) gives each intent.

Built-in intents match only their stock phrases unless they are given samples too (Alexa allows that), so the
built-ins here carry the everyday ways of saying pause, yes, stop and the rest. Slots: {practice} a class,
{focus} what needs attention, {minutes} a number of minutes, {length} a spoken length ("half an hour").
"""
from __future__ import annotations

from itertools import product


def _all(*parts: tuple[str, ...]) -> tuple[str, ...]:
    """Every combination of the parts, joined by spaces (empty parts left out): a compact way to write variants."""
    return tuple(" ".join(w for w in words if w) for words in product(*parts))


POLITE = ("{}", "{} please", "please {}", "can you {}", "could you {}", "okay {}", "ok {}", "{} now")
PARTING = ("{}", "okay {}", "ok {}", "{} now", "{} thanks", "{} thank you")


def polite(*samples: str, wraps: tuple[str, ...] = POLITE) -> tuple[str, ...]:
    """Each request as it is, and with the words people wrap requests in (Amazon's design guide suggests such
    prefixes and suffixes): please, can you, okay, now."""
    return tuple(wrap.format(sample) for sample in samples for wrap in wraps)


def asking(*samples: str) -> tuple[str, ...]:
    """Each question as it is, and as people soften it: can you tell me, do you know, please."""
    wraps = ("{}", "can you tell me {}", "tell me {}", "do you know {}", "{} please", "so {}")
    return tuple(wrap.format(sample) for sample in samples for wrap in wraps)


_START_VERBS = ("start", "begin", "do", "play", "put on", "let's do", "i want", "i'd like", "i want to do",
                "i'd like to do", "can we do", "give me", "let's practice", "practice", "open", "try")
START = (
    *_all(_START_VERBS, ("{practice}", "the {practice}", "the {practice} class", "the {practice} one")),
    "the {practice} class", "start {practice} for {minutes} minutes", "do {practice} in {minutes} minutes",
    *_all(("start", "give me", "i want", "i'd like", "do", "let's do", "i need", "find me", ""),
          ("a {minutes} minute", "a {length}"), ("class", "practice", "session", "yoga class", "stretch")),
    *_all(("start", "give me", "i want", "i'd like", "i need", "find me", "do", ""),
          ("a class", "a practice", "something", "yoga", "a stretch", "a short class", "a quick class",
           "something gentle", "a gentle class", "a session"),
          ("for my {focus}", "for {focus}", "for the {focus}", "to help my {focus}", "to help me {focus}")),
    *_all(("start", "give me", "i want", "i'd like", "do", ""), ("a {minutes} minute", "a {length}"),
          ("class", "practice", "session"), ("for my {focus}", "for {focus}")),
    *_all(("give me", "start", "i want", "i'd like", "do", ""), ("a {minutes} minute", "a", "a quick", "a short",
                                                                 "a gentle", "a {length}"),
          ("{focus} practice", "{focus} class", "{focus} stretch", "{focus} session", "{focus} yoga")),
    "{minutes} minutes for my {focus}", "yoga for my {focus}", "i want to work on my {focus}", "help my {focus}",
    "something to help me {focus}", "something to help me get to {focus}", "help me {focus}",
    "i want to stretch my {focus}", "stretch my {focus}", "my {focus} needs a stretch", "a {focus} class before bed",
    "something {focus} before bed", "a class before bed", "something before bed", "something {focus}",
    "start a class", "start a practice", "start yoga", "begin a class",
    "let's begin", "let's start", "start a session", "i want to do yoga", "let's do some yoga",
)
SHORTER = polite(
    "make it shorter", "shorter", "shorten it", "shorten the class", "a shorter class", "i'm short on time",
    "i don't have much time", "cut it down", "make the class shorter", "cut it short", "cut the class short",
    "make it quicker", "make it quick", "quicker", "a bit shorter", "a little shorter", "less time", "less time please",
    "i need to finish sooner", "i need to finish early", "i need to be done sooner", "finish early", "trim it",
    "trim the class", "i'm in a hurry", "i'm running late", "hurry it up", "can we make it shorter",
    *_all(("make it", "make the class", "make this", "cut it to", "cut the class to", "shorten it to",
           "shorten the class to", "shorten this to", "trim it to", "i only have", "i've only got", "i only have got",
           "finish in", "can we finish in", "let's finish in", "i need to finish in", "i have to go in",
           "i need to go in", "i have to leave in", "fit it into", "fit it in", "change it to", "we have",
           "i have", "i've got", "i have got", "i just have", "i only have time for", "only"),
          ("{minutes} minutes", "{minutes} minutes left", "{minutes} more minutes", "{length}", "{length} left")),
    "make it {minutes} minutes long", "make the class {minutes} minutes long", "i only have {minutes} minutes to go",
)
LONGER = polite(
    "make it longer", "longer", "make the class longer", "hold it longer", "hold longer", "longer holds",
    "hold the poses longer", "hold each pose longer", "hold poses longer", "stay longer", "i want to stay longer",
    "let me stay longer", "more time in each pose", "more time in the poses", "give me more time in each pose",
    "longer poses", "slower holds", "i'd like longer holds", "i want longer holds", "stay in the poses longer",
    "can we hold longer", "can we stay longer", "let's hold longer", "more time please", "make the holds longer",
)
SLOWER = polite(
    "slow down", "slower", "slower please", "a bit slower", "a bit slower please", "a little slower",
    "speak slower", "speak more slowly", "talk slower", "talk more slowly", "say it slower", "too fast",
    "you're too fast", "you're talking too fast", "that's too fast", "slow it down", "please slow down",
    "can you slow down", "speak slowly", "not so fast",
)
FASTER = polite(
    "speed up", "faster", "faster please", "a bit faster", "a bit faster please", "a little faster",
    "speak faster", "talk faster", "talk quicker", "speak quicker", "too slow", "you're too slow",
    "you're talking too slow", "that's too slow", "talk a bit faster", "can you speed up", "please speed up",
    "speed it up",
)
NORMAL_PACE = polite(
    "normal pace", "normal speed", "back to normal", "back to normal speed", "back to normal pace",
    "regular speed", "regular pace", "normal", "reset the pace", "reset the speed", "usual speed", "usual pace",
    "the usual pace", "go back to normal speed", "normal holds", "speak normally", "talk normally",
)
CONTINUE = polite(
    "continue", "keep going", "carry on", "go on", "i'm ready", "ready", "i'm back", "i'm back now",
    "let's continue", "let's keep going", "let's carry on", "let's go on", "on we go", "unpause", "begin",
    "begin the class", "i'm set up", "let's go", "okay i'm ready", "i'm ready to go on", "ready when you are",
    "i'm ready now", "ready now", "we can go on", "we can continue", "you can continue", "please continue",
    *_all(("continue", "resume", "carry on with", "go on with", "keep going with", "back to", "pick up"),
          ("the class", "my class", "my practice", "the practice", "my yoga", "the session")),
    *_all(("continue", "pick up", "carry on", "start again", "resume", "go on"),
          ("where i left off", "where we left off", "where i stopped", "where we stopped", "where i paused",
           "where we paused", "from where i was", "from where we were")),
)
NEXT_POSE = polite(
    "next pose", "next one", "the next one", "next one please", "next please", "skip this", "skip this pose",
    "skip this one", "skip it", "skip that", "skip ahead", "move on", "let's move on", "move on please",
    "the next pose", "go to the next pose", "go to the next one", "on to the next one", "on to the next pose",
    "i'm done with this pose", "skip to the next pose", "forward", "go forward",
)
GO_BACK = polite(
    "back", "back one", "go back one", "go back a pose", "go back one pose", "go back a step", "back a step",
    "one back", "previous pose", "the previous pose", "the last pose", "last pose", "last pose please",
    "back to the last pose", "back to the previous pose", "go to the previous pose", "the pose before",
    "the pose before this", "the one before", "take me back", "take me back one", "go back to the last one",
    "go back to the previous pose",
)
WHATS_NEXT = asking(
    "what's next", "what is next", "what comes next", "what's coming next", "what's coming up", "what is coming up",
    "what's the next pose", "what is the next pose", "what pose is next", "which pose is next",
    "what are we doing next", "what do we do next", "what's after this", "what comes after this",
    "what's after this pose", "what is after this", "what next", "what's up next", "what pose comes next",
)
TIME_LEFT = asking(
    "how much time is left", "how much time do i have left", "how long is left", "how long is left in the class",
    "how many minutes are left", "how much longer", "how much longer is the class", "time left",
    "how much time left", "how long until we're done", "how long until we finish", "how long till we're done",
    "how long till the end", "how long to go", "how much longer to go", "how long have we got left",
    "are we almost done", "are we nearly done", "are we almost finished", "are we nearly finished",
    "is it nearly over", "is it almost over", "when will we finish", "when will we be done", "when does the class end",
    "when do we finish", "how much of the class is left", "how far along am i", "how far are we",
    "how many minutes to go", "how long does the class have left",
)
POSES_LEFT = asking(
    "how many poses are left", "how many poses left", "how many poses to go", "how many more poses",
    "how many poses are there left", "how many poses do we have left", "how many poses remain",
    "how many more poses are there", "how many steps are left", "how many more to go", "how many left",
)
WHAT_POSE = asking(
    "what pose is this", "which pose is this", "what pose am i in", "what pose am i doing", "what's this pose",
    "what's this pose called", "what is this pose", "what is this pose called", "what's this one called",
    "what is this one called", "what is this one", "name this pose", "where am i", "what are we doing",
    "what are we doing now", "which pose are we in", "what pose are we in", "what pose are we doing",
    "what's the name of this pose", "what is the name of this pose", "what's this called", "which pose",
    "what pose", "what pose is it",
)
WHAT_PROPS = asking(
    "what do i need", "what props do i need", "which props do i need", "what equipment do i need",
    "what should i have", "what should i get", "what should i get ready", "what should i have ready",
    "what props", "props", "equipment", "what equipment", "what do i need for this", "do i need anything",
    "do i need props", "do i need any props", "do i need any equipment",
    *_all(("do i need", "will i need", "should i get"), ("a strap", "blocks", "a block", "a blanket", "a mat",
                                                          "a pillow", "a cushion")),
)
LIST_CLASSES = asking(
    "what classes are there", "what classes do you have", "list the classes", "which classes can i do",
    "which classes are there", "what can i practice", "what are my choices", "what are my options", "my options",
    "tell me the classes", "tell me my choices", "tell me my options", "what classes", "what can i do",
    "what kinds of classes are there", "what kind of classes do you have", "what do you have", "what's available",
    "what's on offer", "which ones are there", "what are the classes", "yoga", "classes", "the classes",
    "list classes", "options", "choices", "read me the classes", "what classes can i choose from",
)
PRACTICE_COUNT = (
    *_all(("how many classes", "how many practices", "how many sessions", "how many times", "how often"),
          ("have i done", "did i do", "have i practiced", "did i practice", "have i practised", "did i practise",
           "have i finished", "have i done yoga", "have i practiced", "did i finish"),
          ("this week", "lately", "recently", "")),
    "how am i doing", "what's my progress", "my progress", "how many this week",
)
SWITCH_SIDES = polite(
    "switch sides", "switch side", "change sides", "change side", "other side", "the other side",
    "let's do the other side", "do the other side", "go to the other side", "switch to the other side",
    "now the other side", "now the left side", "now the right side", "the left side", "the right side",
    "left side", "right side", "swap sides", "switch legs", "other leg", "the other leg",
)
HURTS = (
    "that hurts", "this hurts", "it hurts", "ouch", "ow", "that's painful", "this is painful", "it's painful",
    "that's too much", "this is too much", "it's too much", "too much", "this is too hard", "that's too hard",
    "i'm in pain", "that doesn't feel good", "this doesn't feel good", "that doesn't feel right", "i can't do this",
    "i can't do this pose", "that pinches", "this pose hurts", "that pose hurts",
    *_all(("my {body}", "my {body} hurt", "my {body} hurts", "my {body} is hurting", "my {body} are hurting",
           "my {body} is sore", "my {body} are sore", "it hurts my {body}", "this hurts my {body}",
           "that hurts my {body}", "i feel it in my {body}", "i have pain in my {body}", "pain in my {body}",
           "i hurt my {body}"), ("",)),
)
EASIER = polite(
    "easier", "easier version", "easier option", "an easier option", "an easier version", "an easier way",
    "give me an easier version", "give me an easier option", "is there an easier way", "is there an easier version",
    "is there an easier option", "make it easier", "make this easier", "make the pose easier", "something easier",
    "can i do something easier", "a gentler version", "a gentler option", "gentler", "a modification",
    "modify it", "how can i modify this", "what's the easier version", "simpler version", "make it simpler",
)
GO_EASY = (
    *_all(("go easy on my", "be gentle with my", "be gentle on my", "take it easy on my", "look after my",
           "careful with my", "be careful with my", "protect my", "spare my", "nothing hard on my", "easy on my",
           "i have bad", "i have sore", "i've got bad", "i've got sore", "i have weak", "i have a bad",
           "i've hurt my", "i have an injured"), ("{body}",)),
    "my {body} are weak", "my {body} is weak", "my {body} are bad", "my {body} is bad", "my {body} are injured",
    "my {body} is injured", "no {body}", "no {body} please", "i can't {body}", "i can't {body} today",
    "nothing on my {body}", "nothing on my {body} please", "no weight on my {body}", "nothing with {body}",
)
PAUSE = polite(
    "hold on", "hold on a second", "hold on a minute", "hold on a moment", "hang on", "hang on a second",
    "hang on a minute", "wait", "wait a second", "wait a minute", "wait a moment", "wait please", "one moment",
    "one moment please", "one second", "just a moment", "just a second", "just a minute", "give me a minute",
    "give me a second", "give me a moment", "pause the class", "pause it", "pause for a bit", "pause for a moment",
    "pause please", "pause the yoga", "pause my practice", "stop for a moment", "stop for a minute",
    "stop for a bit", "let me take a break", "take a break", "i need a break", "i need a minute",
    "break please", "let me catch my breath", "i need to pause",
)
RESUME = ("resume please", "resume now", "let's resume", "please resume", "resume where we were")
NEXT: tuple[str, ...] = ()  # the stock phrases ("next", "skip") are enough; NextPoseIntent has the rest
PREVIOUS: tuple[str, ...] = ()
REPEAT = polite(
    "repeat that please", "say that again please", "one more time", "again", "again please", "once more",
    "can you repeat that", "could you repeat that", "repeat the pose", "repeat this pose", "repeat the last bit",
    "do that again", "do that one again", "let's do that again", "what did you say", "sorry what was that",
    "pardon", "come again", "i missed that", "i didn't catch that", "say it again",
)
START_OVER = polite(
    "start from the beginning", "from the beginning", "from the top", "start from the top", "restart the class",
    "restart the practice", "start the class again", "start the class over", "start it again", "begin again",
    "go back to the start", "go back to the beginning", "back to the beginning", "back to the start",
    "start over again", "let's start over", "start all over", "begin the class again",
)
HELP = (
    "what can i say", "what can you do", "how does this work", "i need help", "help please", "what do i say",
    "how do i use this", "what are the commands", "what can i ask", "what can i ask you", "how does it work",
    "what do i do", "i'm confused", "instructions",
)
STOP = polite(
    "i'm done", "i'm done now", "i'm done for today", "i'm finished", "i'm finished for today", "quit",
    "quit the class",
    "exit", "exit the class", "that's enough", "that's enough for today", "that's all", "that's all for today",
    "end the class", "end class", "end the session", "end my practice", "stop the class", "stop the practice",
    "stop the yoga", "stop yoga", "goodbye", "bye", "bye bye", "good night", "see you", "see you later",
    "i have to go", "i've got to go", "i need to go", "i'm leaving", "we're done", "all done", "finish",
    "finish the class", "finish for now", "done", "done for today", "enough", wraps=PARTING,
)
YES = (
    "okay", "ok", "go ahead", "yeah", "yep", "yup", "sure thing", "sounds good", "let's do it", "please",
    "yes let's", "yes i am", "yes i'm ready", "all right", "alright", "of course", "absolutely", "definitely",
    "why not", "that's right", "correct", "do it", "fine", "sure why not",
)
NO = (
    "not now", "nope", "no thank you", "nah", "no way", "not today", "not right now", "no i don't", "no i'm not",
    "i don't want to", "don't", "no not yet", "not yet",
)


# The audio player's loop and shuffle: a class keeps its order, and says so kindly.
LOOP_ON = ("loop", "loop this", "loop the class", "put it on loop", "turn on loop", "loop on")
LOOP_OFF = ("stop looping", "turn off loop", "loop off", "no more looping")
SHUFFLE_ON = ("shuffle", "shuffle the poses", "shuffle the class", "mix up the poses", "shuffle on",
              "turn on shuffle")
SHUFFLE_OFF = ("stop shuffling", "turn off shuffle", "shuffle off")
