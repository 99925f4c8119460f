"""The interaction models and skill.json: up to date, within Alexa's rules, and true to the intents and the classes."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from skill.alexa import model as m
from skill.alexa.intents import BY_NAME, INTENTS, Slot, event_for
from skill.cli import main
from skill.config import ROOT
from skill.practice.model import Library
from skill.practice.pick import pick

OUT = ROOT / "interaction_model"
SEQUENCES = ROOT / "sequences"
# DESIGN.md §5, "Built-in intents to support"; Alexa itself requires Cancel, Help, Stop, NavigateHome and Fallback.
DESIGN_BUILT_INS = ("Pause", "Resume", "Next", "Previous", "Repeat", "StartOver", "Help", "Stop", "Cancel",
                    "Fallback", "NavigateHome", "Yes", "No")
# The categories a skill manifest accepts that could hold this skill (from the manifest schema's category enum).
CATEGORIES = {"HEALTH_AND_FITNESS", "FITNESS", "SELF_IMPROVEMENT", "LIFESTYLE"}
LOCALES = pytest.mark.parametrize("locale", m.LOCALES)


def entries(requirements: str) -> list[str]:
    """A requirements file's requirements, one string each with its hashes: continuations joined, comments gone."""
    lines = (line.split("#")[0].split() for line in requirements.replace("\\\n", " ").splitlines())
    return [" ".join(words) for words in lines if words]


def language(model: dict) -> dict:
    return model["interactionModel"]["languageModel"]


def intent_of(model: dict, name: str) -> dict:
    return next(i for i in language(model)["intents"] if i["name"] == name)


def type_of(model: dict, name: str) -> dict:
    return next(t for t in language(model)["types"] if t["name"] == name)


def heard(entry: dict) -> list[str]:
    """A slot value's value and every synonym: all that entity resolution maps to its id."""
    return [entry["name"]["value"], *entry["name"].get("synonyms", [])]


def run(*args: str) -> int:
    """`python -m skill --sequences sequences/ ARGS`, in this process."""
    return main(["--sequences", str(SEQUENCES), *args])


@pytest.fixture
def model(library: Library, locale: str) -> dict:
    """The interaction model the code builds for one locale from the real classes."""
    return m.interaction_model(library, locale)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A folder the command has just written a full set of files into."""
    out = tmp_path / "out"
    assert run("model", "--out", str(out)) == 0
    return out


@pytest.mark.slow
class TestCommittedFiles:
    def test_the_committed_files_are_up_to_date(self, capsys):
        """`model --check` finds every file in interaction_model/ as the code and sequences/ would write it."""
        assert run("model", "--check") == 0, capsys.readouterr().out
        assert "up to date" in capsys.readouterr().out

    @LOCALES
    def test_each_committed_model_is_what_the_code_builds(self, model, locale):
        """The committed JSON for a locale is exactly the model built from the table and the classes."""
        assert json.loads((OUT / f"{locale}.json").read_text(encoding="utf-8")) == model

    def test_a_stale_or_missing_file_is_named(self, built, capsys):
        """`--check` exits 1, names the stale file and the missing one, and says how to regenerate them."""
        stale = built / "en-GB.json"
        stale.write_text(stale.read_text(encoding="utf-8").replace("keep going", "keep on going"), encoding="utf-8")
        (built / "skill.json").unlink()
        capsys.readouterr()
        assert run("model", "--check", "--out", str(built)) == 1
        out = capsys.readouterr().out
        assert "stale: " in out and "en-GB.json" in out
        assert "missing: " in out and "skill.json" in out
        assert "en-US.json" not in out
        assert "run python -m skill model" in out

    def test_check_writes_nothing(self, tmp_path):
        """`--check` on an empty folder reports it and leaves it empty."""
        assert run("model", "--check", "--out", str(tmp_path)) == 1
        assert list(tmp_path.iterdir()) == []

    def test_writing_reports_what_it_wrote(self, tmp_path, capsys):
        """Each file written is named, and each model with its counts of intents, samples and slot values."""
        assert run("model", "--out", str(tmp_path)) == 0
        out = capsys.readouterr().out
        for locale in m.LOCALES:
            assert f"{locale}.json: {len(INTENTS)} intents, " in out
        assert "skill.json" in out and " samples, " in out and " slot values with " in out


def add_sample(intent: str, sample: str) -> Callable[[dict], None]:
    return lambda model: intent_of(model, intent)["samples"].append(sample)


def drop_samples_with(intent: str, text: str) -> Callable[[dict], None]:
    def change(model: dict) -> None:
        entry = intent_of(model, intent)
        entry["samples"] = [s for s in entry["samples"] if text not in s]
    return change


def set_invocation(name: str) -> Callable[[dict], None]:
    return lambda model: language(model).update(invocationName=name)


def add_focus_synonym(value_id: str, synonym: str) -> Callable[[dict], None]:
    def change(model: dict) -> None:
        entry = next(v for v in type_of(model, "Focus")["values"] if v["id"] == value_id)
        entry["name"].setdefault("synonyms", []).append(synonym)
    return change


BREAKS = [
    ("digit", add_sample("StartClassIntent", "start a 5 minute class"), "has a digit"),
    ("question mark", add_sample("WhatPoseIntent", "what pose is this?"), "has 'this?'"),
    ("comma", add_sample("ContinueIntent", "ok, continue"), "has 'ok,'"),
    ("unknown slot", add_sample("StartClassIntent", "start {pose}"), "{pose}, which is not a slot"),
    ("slot in a word", add_sample("StartClassIntent", "start {practice}'s class"), "has \"{practice}'s\""),
    ("unused slot", drop_samples_with("StartClassIntent", "{focus}"), "no sample uses the slot {focus}"),
    ("duplicate across intents", add_sample("GoBackIntent", "Next  pose"), "belongs to both NextPoseIntent and"),
    ("duplicate within an intent", add_sample("GoBackIntent", "back one"), "has the sample 'back one' twice"),
    ("empty sample", add_sample("ContinueIntent", " "), "is empty"),
    ("launch word in invocation", set_invocation("open gentle yoga"), "must not contain 'open'"),
    ("wake word in invocation", set_invocation("alexa yoga"), "must not contain 'alexa'"),
    ("one-word invocation", set_invocation("yoga"), "at least two words"),
    ("capitalised invocation", set_invocation("Gentle Yoga"), "must be lower case"),
    ("synonym used twice", add_focus_synonym("low_back", "hips"), "'hips' is a value or synonym 2 times"),
]


class TestValidate:
    @LOCALES
    def test_each_generated_model_keeps_alexas_rules(self, model):
        """The model built for every locale has no problem at all."""
        assert m.validate(model) == []

    @pytest.mark.parametrize(("change", "expected"), [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS])
    def test_each_rule_is_caught_when_broken(self, library, change, expected):
        """One broken rule in an otherwise good model gives a sentence naming that problem."""
        broken = copy.deepcopy(m.interaction_model(library, "en-US"))
        change(broken)
        problems = m.validate(broken)
        assert any(expected in p for p in problems), problems

    @pytest.mark.parametrize("sample", ["i'm ready at six a.m.", "let's do a warm-up", "is this the teacher's pose",
                                        "ask dr. jones"])
    def test_apostrophes_hyphens_and_abbreviations_are_allowed(self, library, sample):
        """Possessives, contractions, hyphenated words and abbreviations are within the rules."""
        model = copy.deepcopy(m.interaction_model(library, "en-US"))
        add_sample("ContinueIntent", sample)(model)
        assert m.validate(model) == []

    def test_a_slot_type_the_model_lacks_is_caught(self, library):
        """An intent whose slot names a custom type with no values in the model is reported."""
        model = copy.deepcopy(m.interaction_model(library, "en-US"))
        language(model)["types"] = [t for t in language(model)["types"] if t["name"] != "Focus"]
        assert any("type Focus, which the model does not define" in p for p in m.validate(model))


class TestIntents:
    @LOCALES
    def test_every_model_intent_is_in_the_table(self, model):
        """Each intent in the model has an entry, and so a handler, in skill.alexa.intents."""
        assert all(intent["name"] in BY_NAME for intent in language(model)["intents"])

    @LOCALES
    def test_every_table_entry_is_in_the_model_in_order(self, model):
        """The model lists the table's intents, all of them, in the table's order."""
        assert [i["name"] for i in language(model)["intents"]] == [i.name for i in INTENTS]

    @LOCALES
    @pytest.mark.parametrize("short", DESIGN_BUILT_INS)
    def test_the_design_built_ins_are_present(self, model, short):
        """Every built-in intent DESIGN.md §5 asks for is in the model, with only the table's own samples on top of
        its stock phrases (Alexa allows them; "hold on" is a pause, "i'm done" a stop)."""
        name = f"AMAZON.{short}Intent"
        assert intent_of(model, name)["samples"] == list(BY_NAME[name].samples)

    @LOCALES
    def test_every_custom_intent_has_at_least_five_samples(self, model):
        """Each custom intent gives Alexa enough ways to recognise it."""
        for intent in language(model)["intents"]:
            if not intent["name"].startswith("AMAZON."):
                assert len(intent["samples"]) >= 5, intent["name"]

    @LOCALES
    def test_slots_are_the_tables(self, model):
        """Each intent's slots are the table's (name, type) pairs, and an intent without slots has no key."""
        for intent in language(model)["intents"]:
            slots = tuple((s["name"], s["type"]) for s in intent.get("slots", []))
            assert slots == BY_NAME[intent["name"]].slots
            assert ("slots" in intent) == bool(slots)

    @pytest.mark.parametrize(("locale", "spelled"), [("en-US", False), ("en-GB", True), ("en-IN", True)])
    def test_practise_is_added_for_the_verb_where_it_is_spelled_so(self, library, locale, spelled):
        """Commonwealth locales add "practise" where "practice" is the verb; the noun and the slot name stay."""
        samples = [s for i in language(m.interaction_model(library, locale))["intents"] for s in i["samples"]]
        assert ("what can i practise" in samples) is spelled
        assert "what can i practice" in samples
        assert not any("{practise}" in s or "minute practise" in s or "my practise" in s for s in samples)


class TestSlotValues:
    @LOCALES
    def test_every_class_id_is_a_class_name_value(self, model, library):
        """Each class in sequences/ is a ClassName value with the class id as its id and its aliases as synonyms."""
        values = {v["id"]: v for v in type_of(model, "ClassName")["values"]}
        assert set(values) == {p.id for p in library}
        for practice in library:
            assert values[practice.id]["name"]["value"] == m.spoken(practice.title)
            assert {m.spoken(a) for a in practice.aliases} <= set(heard(values[practice.id]))

    @LOCALES
    def test_every_focus_resolves_to_a_focus_value(self, model, library):
        """Each focus area of each class is the value or a synonym of some Focus value."""
        spoken = {text for entry in type_of(model, "Focus")["values"] for text in heard(entry)}
        for practice in library:
            assert {m.spoken(area) for area in practice.focus} <= spoken, practice.id

    @LOCALES
    def test_no_synonym_repeats_its_value(self, model):
        """A synonym never equals its own value, and none is listed twice."""
        for kind in language(model)["types"]:
            for entry in kind["values"]:
                synonyms = entry["name"].get("synonyms", [])
                assert entry["name"]["value"] not in synonyms
                assert len(synonyms) == len(set(synonyms))

    def test_the_body_part_words_are_synonyms(self, library):
        """People can say "lower back", "back" or "hip" and reach the focus the classes name."""
        values = {v["id"]: heard(v) for v in type_of(m.interaction_model(library, "en-US"), "Focus")["values"]}
        assert {"low back", "lower back", "back"} <= set(values["low_back"])
        assert {"hips", "hip"} <= set(values["hips"])

    def test_a_new_class_becomes_a_slot_value(self, tiny):
        """A class written into sequences/ appears in the model with its title and focus, with no other edit."""
        model = m.interaction_model(tiny, "en-US")
        assert [heard(v)[0] for v in type_of(model, "ClassName")["values"]] == ["tiny flow"]
        assert {v["id"] for v in type_of(model, "Focus")["values"]} == {"testing", "hips"}

    def test_a_resolved_focus_id_picks_a_class_with_that_focus(self, library):
        """The id entity resolution sends for any Focus value starts a class that has that focus."""
        for entry in type_of(m.interaction_model(library, "en-US"), "Focus")["values"]:
            event = event_for("StartClassIntent", {"focus": Slot(value=heard(entry)[-1], id=entry["id"])})
            assert pick(library, None, event.focus)[1], entry["id"]


@pytest.mark.slow
class TestManifest:
    def test_the_committed_skill_json_is_the_default_manifest(self):
        """skill.json parses as JSON and is exactly the manifest built with the placeholder endpoint."""
        assert json.loads((OUT / "skill.json").read_text(encoding="utf-8")) == m.skill_manifest(None)

    def test_it_lists_five_locales_in_a_real_category(self):
        """The store listing covers the five English locales and their countries, in a health category."""
        info = m.skill_manifest(None)["manifest"]["publishingInformation"]
        assert set(info["locales"]) == set(m.LOCALES)
        assert set(info["distributionCountries"]) == {"US", "GB", "CA", "AU", "IN"}
        assert info["isAvailableWorldwide"] is False
        assert info["category"] in CATEGORIES
        assert all(listing["name"] == "Gentle Yoga" for listing in info["locales"].values())

    @LOCALES
    def test_example_phrases_use_the_invocation_and_match_samples(self, model, locale):
        """Three example phrases, the first opening the skill, each a launch phrase or a sample of the model."""
        phrases = m.skill_manifest(None)["manifest"]["publishingInformation"]["locales"][locale]["examplePhrases"]
        assert len(phrases) == 3
        assert phrases[0].startswith((f"Alexa, open {m.INVOCATION}", f"Alexa, ask {m.INVOCATION} to "))
        assert language(model)["invocationName"] == m.INVOCATION
        assert m.example_problems(m.skill_manifest(None), model) == []

    @pytest.mark.parametrize("phrase", ["Alexa, ask gentle yoga to juggle", "Alexa, ask gentle yoga to start yoga!",
                                        "Alexa, ask gentle yoga to start a class for my elbows"])
    def test_an_example_phrase_that_is_no_sample_is_caught(self, library, phrase):
        """An example phrase whose request is not a sample, or fills a slot with no value of its type, is reported."""
        manifest = m.skill_manifest(None)
        manifest["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"].append(phrase)
        problems = m.example_problems(manifest, m.interaction_model(library, "en-US"))
        assert [p for p in problems if phrase in p] and all(p.startswith("en-US") for p in problems)

    def test_the_endpoint_option_sets_the_uri(self, tmp_path):
        """`--endpoint` puts the HTTPS URL into the custom API and the event endpoint, certificate type Wildcard."""
        url = "https://yoga.example.org/alexa"
        assert run("model", "--out", str(tmp_path), "--endpoint", url) == 0
        manifest = json.loads((tmp_path / "skill.json").read_text(encoding="utf-8"))["manifest"]
        for endpoint in (manifest["apis"]["custom"]["endpoint"], manifest["events"]["endpoint"]):
            assert endpoint == {"uri": url, "sslCertificateType": "Wildcard"}

    @pytest.mark.parametrize("url", ["http://yoga.example.org/alexa", "yoga.example.org/alexa", "https://"])
    def test_the_endpoint_option_refuses_anything_but_https(self, tmp_path, capsys, url):
        """A URL that is not https:// is a usage error, explained in a sentence, and nothing is written."""
        assert run("model", "--out", str(tmp_path), "--endpoint", url) == 2
        assert "is not an https:// URL" in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
class TestPackage:
    def test_package_writes_the_ask_cli_layout(self, tmp_path, built):
        """`--package DIR` writes ask-resources.json and a skill-package with the manifest and every model."""
        package = tmp_path / "ask"
        assert run("model", "--out", str(built), "--package", str(package)) == 0
        resources = json.loads((package / "ask-resources.json").read_text(encoding="utf-8"))
        assert resources["askcliResourcesVersion"] == "2020-03-31"
        assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"
        assert (package / "skill-package" / "skill.json").read_text() == (built / "skill.json").read_text()
        for locale in m.LOCALES:
            copied = package / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"
            assert copied.read_text() == (built / f"{locale}.json").read_text()

    def test_lambda_adds_the_code_folder_and_the_lambda_deployer(self, tmp_path, built):
        """`--package DIR --lambda` adds DIR/lambda (the skill package, the classes and a requirements.txt of the
        project's own pins) and tells ASK CLI to deploy it with the lambda-deployer and the handler's name."""
        package = tmp_path / "ask"
        assert run("model", "--out", str(built), "--package", str(package), "--lambda") == 0
        profile = json.loads((package / "ask-resources.json").read_text(encoding="utf-8"))["profiles"]["default"]
        assert profile["skillMetadata"]["src"] == "./skill-package" and profile["code"]["default"]["src"] == "./lambda"
        config = profile["skillInfrastructure"]["userConfig"]
        assert profile["skillInfrastructure"]["type"] == "@ask-cli/lambda-deployer"
        assert config["handler"] == "skill.lambda_function.lambda_handler" and config["runtime"] == "python3.11"
        assert config["skillEvents"] == {"subscriptions": ["SKILL_DISABLED"]}
        code = package / "lambda"
        handler = Path("skill") / "lambda_function.py"
        assert (code / handler).read_bytes() == (ROOT / handler).read_bytes()
        for path in SEQUENCES.rglob("*.yaml"):
            assert (code / "sequences" / path.relative_to(SEQUENCES)).read_bytes() == path.read_bytes()
        assert not list(code.rglob("__pycache__")) and not list(code.rglob("*.pyc"))
        pinned = entries((ROOT / "requirements-dev.txt").read_text(encoding="utf-8"))  # the lock with every extra
        wanted = entries((code / "requirements.txt").read_text(encoding="utf-8"))
        assert wanted and set(wanted) <= set(pinned)  # each pin as the lock has it, hashes and all
        assert all(" --hash=sha256:" in entry for entry in wanted)
        names = {entry.split("==")[0] for entry in wanted}
        assert {"ask-sdk-core", "pyyaml", "boto3", "redis"} <= names
        assert not names & {"flask", "gunicorn", "cryptography"}

    def test_check_covers_the_lambda_folder(self, tmp_path, built, capsys):
        """With --lambda, --check passes right after writing and names a code file that has changed since."""
        package = tmp_path / "ask"
        assert run("model", "--out", str(built), "--package", str(package), "--lambda") == 0
        assert run("model", "--out", str(built), "--package", str(package), "--lambda", "--check") == 0
        (package / "lambda" / "skill" / "config.py").write_text("# edited by hand\n", encoding="utf-8")
        capsys.readouterr()
        assert run("model", "--out", str(built), "--package", str(package), "--lambda", "--check") == 1
        assert "stale:" in capsys.readouterr().out

    @pytest.mark.parametrize("options, reason", [
        (["--lambda"], "--lambda needs --package DIR"),
        (["--lambda", "--package", "PKG", "--endpoint", "https://yoga.example.org/alexa"], "do not go together"),
    ])
    def test_lambda_with_the_wrong_options_is_a_usage_error(self, tmp_path, capsys, options, reason):
        """--lambda alone, or beside an HTTPS endpoint, is explained in a sentence, and nothing is written."""
        options = [str(tmp_path / "pkg") if o == "PKG" else o for o in options]
        assert run("model", "--out", str(tmp_path / "out"), *options) == 2
        assert reason in capsys.readouterr().err and list(tmp_path.iterdir()) == []

    def test_packaging_never_changes_the_committed_files(self, tmp_path, capsys):
        """The README's deploy step (`--endpoint URL --package DIR`) writes only the package; interaction_model/
        keeps its placeholder, so `make check` stays green. --endpoint with nowhere to write is a usage error."""
        committed = {path: path.read_bytes() for path in (ROOT / "interaction_model").iterdir()}
        url = "https://yoga.example.org/alexa"
        assert run("model", "--endpoint", url, "--package", str(tmp_path / "ask")) == 0
        packaged = json.loads((tmp_path / "ask" / "skill-package" / "skill.json").read_text(encoding="utf-8"))
        assert packaged["manifest"]["apis"]["custom"]["endpoint"]["uri"] == url
        assert "This package is for development" in capsys.readouterr().out
        assert run("model", "--endpoint", url) == 2
        assert "--endpoint needs --package DIR" in capsys.readouterr().err
        assert {path: path.read_bytes() for path in (ROOT / "interaction_model").iterdir()} == committed

    def test_publishing_fills_in_what_certification_needs(self, tmp_path, capsys):
        """--publish FILE puts the icons and the privacy and terms URLs into every locale of the package."""
        details = {"smallIconUri": "https://yoga.example.org/icon-108.png",
                   "largeIconUri": "https://yoga.example.org/icon-512.png",
                   "privacyPolicyUrl": "https://yoga.example.org/privacy",
                   "termsOfUseUrl": "https://yoga.example.org/terms"}
        (tmp_path / "publishing.json").write_text(json.dumps(details), encoding="utf-8")
        assert run("model", "--package", str(tmp_path / "ask"), "--publish", str(tmp_path / "publishing.json")) == 0
        manifest = json.loads((tmp_path / "ask" / "skill-package" / "skill.json").read_text())["manifest"]
        for locale in m.LOCALES:
            listing = manifest["publishingInformation"]["locales"][locale]
            privacy = manifest["privacyAndCompliance"]["locales"][locale]
            assert listing["smallIconUri"] == details["smallIconUri"]
            assert listing["largeIconUri"] == details["largeIconUri"]
            assert privacy == {"privacyPolicyUrl": details["privacyPolicyUrl"],
                               "termsOfUseUrl": details["termsOfUseUrl"]}
        assert "for development" not in capsys.readouterr().out

    def test_publishing_refuses_the_example_and_names_what_is_missing(self, tmp_path, capsys):
        """The example file's placeholders, or a missing field, are refused by name, and nothing is written."""
        example = ROOT / "interaction_model" / "publishing.example.json"
        assert run("model", "--package", str(tmp_path / "ask"), "--publish", str(example)) == 2
        err = capsys.readouterr().err
        assert "smallIconUri, largeIconUri, privacyPolicyUrl, termsOfUseUrl filled in" in err
        (tmp_path / "partial.json").write_text('{"smallIconUri": "http://yoga.example.org/a.png"}')
        assert run("model", "--package", str(tmp_path / "ask"), "--publish", str(tmp_path / "partial.json")) == 2
        assert "smallIconUri, largeIconUri" in capsys.readouterr().err
        assert run("model", "--out", str(tmp_path / "out"), "--publish", str(example)) == 2
        assert "--publish needs --package DIR" in capsys.readouterr().err
        assert not (tmp_path / "ask").exists() and not (tmp_path / "out").exists()

    def test_a_lambda_requirement_without_a_pin_is_named(self):
        """The Lambda's requirements come from requirements.txt; one it does not pin is a clear error."""
        from skill.cli.model import lambda_requirements
        from skill.errors import UsageError

        with pytest.raises(UsageError, match="pins no version of ask-sdk-model, ask-sdk-runtime, pyyaml, .*, redis, "
                                             "which the Lambda needs"):
            lambda_requirements("ask-sdk-core==1.19.0\n")

    def test_a_broken_model_writes_nothing(self, tmp_path, monkeypatch, capsys):
        """When validate finds a problem the command lists it, exits 1 and writes no file."""
        monkeypatch.setattr("skill.cli.model.validate", lambda model: ["StartClassIntent: sample 'x' is bad."])
        assert run("model", "--out", str(tmp_path / "out"), "--package", str(tmp_path / "ask")) == 1
        assert "StartClassIntent: sample 'x' is bad." in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []


class TestHelp:
    def test_help_says_what_the_command_does(self, capsys):
        """`model --help` exits 0 and says in a sentence that it writes the models and skill.json."""
        with pytest.raises(SystemExit) as exit_:
            main(["model", "--help"])
        assert exit_.value.code == 0
        out = " ".join(capsys.readouterr().out.split())
        assert "Write the Alexa interaction models" in out and "skill.json" in out
        for option in ("--check", "--endpoint", "--package", "--lambda", "--out"):
            assert option in out
