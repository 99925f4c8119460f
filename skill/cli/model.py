"""`model`: write the Alexa interaction models and skill.json from the intents table and the class files."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from skill.alexa.model import LOCALES, counts, example_problems, interaction_model, skill_manifest, validate
from skill.classes import load_library
from skill.config import ROOT, Settings
from skill.errors import UsageError

OUT = ROOT / "interaction_model"
ASK_RESOURCES = {"askcliResourcesVersion": "2020-03-31",
                 "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}}}


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "model", help="write the interaction models and skill.json from the intents table and sequences/",
        description="Write the Alexa interaction models (one per English locale) and skill.json from the intents "
                    "table and the classes in sequences/.")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a file is stale or missing, 0 when all are up to date")
    parser.add_argument("--endpoint", metavar="URL",
                        help="the skill's HTTPS endpoint, e.g. https://yoga.example.org/alexa "
                             "(default: the placeholder https://example.com/alexa)")
    parser.add_argument("--package", type=Path, metavar="DIR",
                        help="also write an ASK CLI v2 project into DIR, so `ask deploy` works from there")
    parser.add_argument("--out", type=Path, metavar="DIR", default=OUT,
                        help="where the models and skill.json go (default: interaction_model/)")
    parser.set_defaults(run=run)


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def files(models: dict[str, dict], manifest: dict, out: Path, package: Path | None) -> dict[Path, str]:
    """Every file the command writes, with its text: the models and skill.json, and the ASK project if asked."""
    texts = {out / f"{locale}.json": dumps(model) for locale, model in models.items()}
    texts[out / "skill.json"] = dumps(manifest)
    if package is not None:
        texts[package / "ask-resources.json"] = dumps(ASK_RESOURCES)
        texts[package / "skill-package" / "skill.json"] = dumps(manifest)
        for locale, model in models.items():
            texts[package / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"] = dumps(model)
    return texts


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.endpoint is not None:
        url = urlsplit(args.endpoint)
        if url.scheme != "https" or not url.hostname:
            raise UsageError(f"--endpoint {args.endpoint!r} is not an https:// URL; Alexa calls HTTPS endpoints "
                             "only, e.g. https://yoga.example.org/alexa")
    library = load_library(args.sequences or settings.sequences)
    models = {locale: interaction_model(library, locale) for locale in LOCALES}
    manifest = skill_manifest(args.endpoint)
    found: dict[str, list[str]] = {}
    for locale, model in models.items():
        for problem in validate(model) + example_problems(manifest, model):
            found.setdefault(problem, []).append(locale)
    if found:
        print(f"The interaction model breaks Alexa's rules in {len(found)} places, so nothing was written:",
              file=sys.stderr)
        for problem, locales in found.items():
            print(f"  {problem} ({', '.join(locales)})", file=sys.stderr)
        return 1
    texts = files(models, manifest, args.out, args.package)
    if args.check:
        stale = [path for path, text in texts.items()
                 if not path.is_file() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{'stale' if path.exists() else 'missing'}: {_shown(path)}")
        print(f"{len(stale)} of {len(texts)} files out of date; run python -m skill model" if stale
              else f"All {len(texts)} files are up to date.")
        return 1 if stale else 0
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        model = models.get(path.stem)
        if model is not None:
            intents, samples, values, synonyms = counts(model)
            print(f"wrote {_shown(path)}: {intents} intents, {samples} samples, "
                  f"{values} slot values with {synonyms} synonyms")
        else:
            print(f"wrote {_shown(path)}")
    return 0
