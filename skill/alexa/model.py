"""The Alexa interaction models and skill manifest, built from the intents table and the classes: data in, dicts out.

`python -m skill model` writes what these functions return; nothing here reads or writes a file.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from skill.alexa.intents import BODY_TYPE, CLASS_TYPE, FOCUS_TYPE, INTENTS, Intent
from skill.practice.model import Library

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
INVOCATION = "gentle yoga"
NAME = "Gentle Yoga"
PLACEHOLDER_ENDPOINT = "https://example.com/alexa"
CATEGORY = "HEALTH_AND_FITNESS"
COUNTRIES = {"en-US": "US", "en-GB": "GB", "en-CA": "CA", "en-AU": "AU", "en-IN": "IN"}
PRACTISE_LOCALES = ("en-GB", "en-CA", "en-AU", "en-IN")  # where the verb is spelled "practise"
VERB_BEFORE = ("i", "to", "we", "let's", "you")  # "practice" after one of these is the verb

# What people call a focus area beyond its own words (and its singular): a short table, kept true to the classes.
FOCUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "low back": ("lower back", "back"),
    "hips": ("hip flexors",),
    "hamstrings": ("back of the legs", "legs"),
    "spine": ("backbone",),
    "sleep": ("sleeping", "bedtime", "falling asleep"),
    "relaxation": ("relax", "relaxing", "rest", "wind down", "unwind", "calm down"),
    "stress": ("stress relief", "tension"),
    "morning": ("mornings", "the morning", "waking up"),
    "energy": ("energizing", "more energy"),
    "full body": ("whole body", "body"),
    "desk": ("office", "computer", "sitting all day"),
    "break": ("short break", "quick break"),
    "no floor": ("not on the floor", "without getting down"),
    "upper back": ("shoulder blades",),
}

# Parts of the body people name when something hurts or needs sparing; ids are what the engine matches against
# the steps' body tags (kneeling and wrists for now).
BODY_PARTS: dict[str, tuple[str, ...]] = {
    "knees": ("knee", "kneeling", "kneel", "my knees"),
    "wrists": ("wrist", "hands", "hand"),
    "back": ("lower back", "low back", "spine"),
    "neck": ("my neck",),
    "shoulders": ("shoulder",),
    "hips": ("hip",),
    "ankles": ("ankle", "feet", "foot"),
    "hamstrings": ("hamstring", "legs", "leg"),
}
NAME_STOP_WORDS = {"the", "a", "an", "and", "of", "for", "class", "yoga", "practice"}

SUMMARY = "A gentle yoga teacher that talks you through a whole class, pose by pose, hands-free."
DESCRIPTION = (
    "Gentle Yoga leads a complete, slow yoga class by voice, so you can keep your eyes closed and your hands on the "
    "mat. Choose a class by name, by how long you have, or by what needs attention: a morning wake-up, a bedtime "
    "wind-down, a hip release or a class for the low back. Say \"next pose\" or \"go back\" to move along, \"what "
    "pose is this\" to hear its name, \"make it shorter\" when time runs short, and \"pause\" whenever you need to. "
    "Your place is kept, so you can pick up where you left off. Move gently and within what feels right for you.")
EXAMPLES = ("Alexa, open gentle yoga", "Alexa, ask gentle yoga to start hip release",
            "Alexa, ask gentle yoga to start a class for my low back")
KEYWORDS = ("yoga", "gentle yoga", "stretching", "relaxation", "sleep", "back", "hips", "meditation", "fitness")
# Echo Show screens (APL): the Spot (round), the Show 5 (960 x 480), the Show 8 and 10 (1280 x 800), the Show 15.
APL_VIEWPORTS = (
    {"mode": "HUB", "shape": "ROUND", "minWidth": 100, "maxWidth": 599, "minHeight": 100, "maxHeight": 599},
    {"mode": "HUB", "shape": "RECTANGLE", "minWidth": 960, "maxWidth": 1279, "minHeight": 480, "maxHeight": 599},
    {"mode": "HUB", "shape": "RECTANGLE", "minWidth": 960, "maxWidth": 1279, "minHeight": 600, "maxHeight": 959},
    {"mode": "HUB", "shape": "RECTANGLE", "minWidth": 1280, "maxWidth": 1920, "minHeight": 600, "maxHeight": 1279},
)
TESTING = ("Say \"Alexa, open gentle yoga\", then \"start hip release\". Say \"next pose\", \"go back\", \"what pose "
           "is this\", \"make it shorter\", \"pause\" and \"continue\". Say \"stop\", reopen, and say \"continue\".")

LAUNCH_WORDS = {"ask", "open", "launch", "start", "begin", "tell", "load", "run", "play", "resume", "use", "enable"}
WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "ziggy", "skill", "app"}
SLOT_REF = re.compile(r"\{([^{}]*)\}")
_L = r"[^\W\d_]"  # one letter, in any alphabet
WORD = re.compile(rf"{_L}+(?:['-]{_L}+)*'?|(?:{_L}\.)+|(?:mr|mrs|ms|dr|st|jr|sr)\.")
RULE = ("samples hold only letters, spaces, apostrophes and hyphens within words, periods in abbreviations, "
        "and {slot} names")


def spoken(text: str) -> str:
    """Text as a slot value: lower case, words and apostrophes only (a hyphen or other mark becomes a space)."""
    return " ".join(re.sub(r"[^\w']|_", " ", text.lower()).split())


def _unique(items: Iterable[str], *, besides: str) -> list[str]:
    return [s for s in dict.fromkeys(items) if s and s != besides]


def _entry(value_id: str, value: str, synonyms: list[str]) -> dict:
    name: dict = {"value": value, **({"synonyms": synonyms} if synonyms else {})}
    return {"id": value_id, "name": name}


def _name_words(practice) -> list[str]:
    """Single words of the title, each with its plural or singular: the short names people use ("the hip class")."""
    words = []
    for word in spoken(practice.title).split():
        if word not in NAME_STOP_WORDS:
            words += [word, word[:-1] if word.endswith("s") else f"{word}s"]
    return words


def class_values(library: Library) -> list[dict]:
    """One ClassName value a class: id the class id, value its title, synonyms its aliases, the words of its title
    that name no other class ("morning", "hips", "back"), and each as "the … class"."""
    word_owners: dict[str, set[str]] = defaultdict(set)
    for practice in library:
        for word in _name_words(practice):
            word_owners[word].add(practice.id)
    values = []
    for practice in library:
        title = spoken(practice.title)
        bare = title.removeprefix("the ")
        short = [w for w in _name_words(practice) if word_owners[w] == {practice.id}]
        names = [bare, *map(spoken, practice.aliases), *short]
        variants = [f"{form.format(name)}" for name in names for form in ("{}", "{} class", "the {}", "the {} class")]
        values.append(_entry(practice.id, title, _unique(variants, besides=title)))
    return values


def body_values(library: Library) -> list[dict]:
    """The BodyPart values: the parts in BODY_PARTS, with their synonyms."""
    return [_entry(part, part, list(synonyms)) for part, synonyms in BODY_PARTS.items()]


def focus_values(library: Library) -> list[dict]:
    """One Focus value a distinct focus area: id a slug, value its words, synonyms its singular and the table's."""
    areas = dict.fromkeys(spoken(area) for practice in library for area in practice.focus)
    values = []
    for area in areas:
        singular = area[:-1] if area.endswith("s") and not area.endswith("ss") else area
        synonyms = _unique([singular, *FOCUS_SYNONYMS.get(area, ())], besides=area)
        values.append(_entry(area.replace(" ", "_").replace("'", ""), area, synonyms))
    return values


TYPE_VALUES: dict[str, Callable[[Library], list[dict]]] = {
    CLASS_TYPE: class_values, FOCUS_TYPE: focus_values, BODY_TYPE: body_values}


def practise(sample: str) -> str:
    """The sample with the verb "practice" spelled "practise"; slot names and the noun stay as they are."""
    words = sample.split(" ")
    return " ".join("practise" if w == "practice" and (i == 0 or words[i - 1] in VERB_BEFORE) else w
                    for i, w in enumerate(words))


def samples(intent: Intent, locale: str) -> list[str]:
    """The intent's samples for one locale: each followed by its "practise" spelling where that locale uses it."""
    found = []
    for sample in intent.samples:
        found += [sample, practise(sample)] if locale in PRACTISE_LOCALES else [sample]
    return list(dict.fromkeys(found))


def interaction_model(library: Library, locale: str) -> dict:
    """The interaction model Alexa takes for one locale: every intent in the table's order and both slot types."""
    if locale not in LOCALES:
        raise ValueError(f"{locale} is not one of {', '.join(LOCALES)}")
    intents = []
    for intent in INTENTS:
        entry: dict = {"name": intent.name}
        if intent.slots:
            entry["slots"] = [{"name": name, "type": kind} for name, kind in intent.slots]
        entry["samples"] = samples(intent, locale)
        intents.append(entry)
    used = dict.fromkeys(kind for intent in INTENTS for _, kind in intent.slots if not kind.startswith("AMAZON."))
    types = [{"name": kind, "values": TYPE_VALUES[kind](library)} for kind in used]
    return {"interactionModel": {"languageModel": {"invocationName": INVOCATION, "intents": intents, "types": types}}}


def skill_manifest(endpoint: str | None = None) -> dict:
    """The ASK CLI v2 skill.json: store listing for the five locales, the HTTPS endpoint, the APL interface (Echo
    Show screens), privacy answers."""
    target = {"uri": endpoint or PLACEHOLDER_ENDPOINT, "sslCertificateType": "Wildcard"}
    def listing() -> dict:  # a fresh one a locale: they share no list
        return {"name": NAME, "summary": SUMMARY, "description": DESCRIPTION, "examplePhrases": list(EXAMPLES),
                "keywords": list(KEYWORDS)}
    return {"manifest": {
        "publishingInformation": {
            "locales": {locale: listing() for locale in LOCALES},
            "isAvailableWorldwide": False,
            "distributionCountries": [COUNTRIES[locale] for locale in LOCALES],
            "distributionMode": "PUBLIC",
            "category": CATEGORY,
            "testingInstructions": TESTING,
        },
        "apis": {"custom": {"endpoint": target, "interfaces": [
            {"type": "AUDIO_PLAYER"},  # the class plays as rendered audio, paused and resumed to the second
            {"type": "ALEXA_PRESENTATION_APL", "supportedViewports": [dict(v) for v in APL_VIEWPORTS]}]}},
        # The skill forgets a person's saved place when they disable it; Alexa sends that only to subscribers.
        "events": {"endpoint": dict(target), "subscriptions": [{"eventName": "SKILL_DISABLED"}]},
        "privacyAndCompliance": {
            "allowsPurchases": False, "usesPersonalInfo": False, "isChildDirected": False,
            "isExportCompliant": True, "containsAds": False, "locales": {locale: {} for locale in LOCALES},
        },
        "manifestVersion": "1.0",
    }}


def _text_problems(where: str, text: str, slots: Iterable[str] = ()) -> list[str]:
    """What breaks Alexa's rules in one sample or slot value: emptiness, digits, marks it refuses, unknown slots."""
    if not text.strip():
        return [f"{where} is empty."]
    if re.search(r"\d", text):
        return [f"{where} has a digit; write numbers as words, or use an AMAZON.NUMBER slot."]
    problems = []
    for token in text.split():
        ref = re.fullmatch(r"\{(\w+)\}", token)
        if ref and ref.group(1) not in slots:
            problems.append(f"{where} refers to {{{ref.group(1)}}}, which is not a slot of its intent.")
        elif not ref and not WORD.fullmatch(token):
            problems.append(f"{where} has {token!r}; {RULE}.")
    return problems


def invocation_problems(name: str) -> list[str]:
    """Alexa's rules for an invocation name: lower case, two or more words, no launch or wake words."""
    problems = [] if name == name.lower() else [f"The invocation name {name!r} must be lower case."]
    words = name.lower().split()
    if not re.fullmatch(r"[a-z' .]+", name.lower()):
        problems.append(f"The invocation name {name!r} may hold only letters, spaces, apostrophes and periods.")
    if len(words) < 2:
        problems.append(f"The invocation name {name!r} needs at least two words.")
    for word in sorted(set(words) & (LAUNCH_WORDS | WAKE_WORDS)):
        problems.append(f"The invocation name {name!r} must not contain {word!r}, a launch or wake word.")
    return problems


def validate(model: dict) -> list[str]:
    """Every way the model breaks Alexa's rules for samples, slots, slot values and the invocation name."""
    language = model["interactionModel"]["languageModel"]
    problems = invocation_problems(language.get("invocationName", ""))
    types = {kind["name"]: kind for kind in language.get("types", [])}
    owner: dict[str, str] = {}
    for intent in language["intents"]:
        name, slots = intent["name"], {s["name"]: s["type"] for s in intent.get("slots", [])}
        for slot, kind in slots.items():
            if not kind.startswith("AMAZON.") and kind not in types:
                problems.append(f"{name}: slot {{{slot}}} has type {kind}, which the model does not define.")
        used: set[str] = set()
        for sample in intent.get("samples", []):
            problems += _text_problems(f"{name}: sample {sample!r}", sample, slots)
            used.update(SLOT_REF.findall(sample))
            key = " ".join(sample.lower().split())
            if key in owner:
                problems.append(f"{name} has the sample {sample!r} twice." if owner[key] == name else
                                f"The sample {sample!r} belongs to both {owner[key]} and {name}; keep it in one.")
            owner.setdefault(key, name)
        problems += [f"{name}: no sample uses the slot {{{slot}}}." for slot in slots if slot not in used]
    for kind in types.values():
        problems += _value_problems(kind)
    return problems


def _value_problems(kind: dict) -> list[str]:
    """A slot type's values: each one valid text, every id and every value or synonym used once in the type."""
    problems: list[str] = []
    ids: defaultdict[str, int] = defaultdict(int)
    heard: defaultdict[str, list[str]] = defaultdict(list)
    for entry in kind.get("values", []):
        ids[entry.get("id", "")] += 1
        for text in (entry["name"]["value"], *entry["name"].get("synonyms", ())):
            problems += _text_problems(f"{kind['name']}: value {text!r}", text)
            heard[" ".join(text.lower().split())].append(entry.get("id") or entry["name"]["value"])
    problems += [f"{kind['name']}: the id {i!r} is given to {n} values." for i, n in ids.items() if i and n > 1]
    problems += [f"{kind['name']}: {text!r} is a value or synonym {len(owners)} times ({', '.join(owners)})."
                 for text, owners in heard.items() if len(owners) > 1]
    return problems


def _sample_pattern(sample: str, slots: dict[str, str], types: dict[str, dict]) -> str:
    """A regex for what a sample sounds like with its slots filled by their values (any words for built-in types)."""
    def fill(match: re.Match[str]) -> str:
        kind = types.get(slots.get(match.group(1), ""))
        if kind is None:
            return r"[a-z][a-z' -]*"
        texts = [t for e in kind["values"] for t in (e["name"]["value"], *e["name"].get("synonyms", ()))]
        return "(?:" + "|".join(map(re.escape, sorted(texts, key=len, reverse=True))) + ")"
    parts = re.split(r"(\{\w+\})", sample)
    return "".join(fill(ref) if (ref := SLOT_REF.fullmatch(p)) else re.escape(p) for p in parts)


def example_problems(manifest: dict, model: dict) -> list[str]:
    """Example phrases that do not open the skill, or whose request is not a sample of the model."""
    language = model["interactionModel"]["languageModel"]
    types = {kind["name"]: kind for kind in language.get("types", [])}
    patterns = [_sample_pattern(s, {x["name"]: x["type"] for x in i.get("slots", [])}, types)
                for i in language["intents"] for s in i.get("samples", [])]
    name = re.escape(language["invocationName"])
    problems = []
    for locale, listing in manifest["manifest"]["publishingInformation"]["locales"].items():
        for n, phrase in enumerate(listing.get("examplePhrases", [])):
            opens = re.fullmatch(rf"Alexa, (?:open|launch|start) {name}", phrase)
            asks = re.fullmatch(rf"Alexa, (?:ask|tell) {name} (?:to |for |that )?(.+)", phrase)
            if n == 0 and not (opens or (asks and phrase.startswith(f"Alexa, ask {language['invocationName']} to"))):
                problems.append(f"{locale}: the first example phrase {phrase!r} must open or ask the skill.")
            elif not opens and not (asks and any(re.fullmatch(p, asks.group(1)) for p in patterns)):
                problems.append(f"{locale}: the example phrase {phrase!r} is not a launch phrase or a sample.")
    return problems


def counts(model: dict) -> tuple[int, int, int, int]:
    """How big a model is: intents, samples, slot values and synonyms."""
    language = model["interactionModel"]["languageModel"]
    values = [e for kind in language.get("types", []) for e in kind["values"]]
    return (len(language["intents"]), sum(len(i.get("samples", [])) for i in language["intents"]), len(values),
            sum(len(e["name"].get("synonyms", [])) for e in values))
