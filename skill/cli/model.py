"""`model`: write the Alexa interaction models and skill.json from the intents table and the class files."""
from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from skill.alexa.model import LOCALES, counts, example_problems, interaction_model, skill_manifest, validate
from skill.classes import load_library
from skill.config import PACKAGE, ROOT, WORKSPACE, Settings
from skill.errors import UsageError

OUT = WORKSPACE / "interaction_model"
ASK_RESOURCES: dict[str, Any] = {"askcliResourcesVersion": "2020-03-31",
                 "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}}}
# With --lambda: ASK CLI builds ./lambda (pip install -r requirements.txt into it), deploys it as a function with
# these settings, points the skill's endpoint and its SKILL_DISABLED events at it, and leaves its environment alone.
LAMBDA_HANDLER = "skill.lambda_function.lambda_handler"
LAMBDA_INFRASTRUCTURE = {
    "type": "@ask-cli/lambda-deployer",
    "userConfig": {"runtime": "python3.11", "handler": LAMBDA_HANDLER, "awsRegion": "us-east-1",
                   "lambda": {"description": "Gentle Yoga, an Alexa skill that leads a yoga class",
                              "memorySize": 512, "timeout": 8},
                   "skillEvents": {"subscriptions": ["SKILL_DISABLED"]}},
}
# What the Lambda imports, pinned (with their hashes) as in requirements-dev.txt, the one lock that also holds the
# redis and aws extras: each is pure Python or falls back to pure Python, so `ask deploy` can build the bundle on
# any computer. Flask, gunicorn and cryptography serve the web host only.
LOCK = "requirements-dev.txt"
LAMBDA_REQUIREMENTS = ("ask-sdk-core", "ask-sdk-model", "ask-sdk-runtime", "PyYAML", "python-dateutil", "six",
                       "requests", "certifi", "charset-normalizer", "idna", "urllib3", "boto3", "botocore",
                       "jmespath", "s3transfer", "redis")


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
    parser.add_argument("--lambda", dest="aws_lambda", action="store_true",
                        help="with --package: host the skill on AWS Lambda; also writes DIR/lambda/ (the skill's "
                             "code, classes and requirements.txt) and the lambda-deployer settings "
                             "(see docs/deploy-lambda.md)")
    parser.add_argument("--publish", type=Path, metavar="FILE",
                        help="with --package: a JSON file of what certification needs and the repository cannot "
                             "know (" + ", ".join(PUBLISHING) + "; https URLs); each must be filled in")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="where the models and skill.json go (default: interaction_model/, with the "
                             "placeholder endpoint; with --package, only the package is written)")
    parser.set_defaults(run=run)


# What a skill needs for certification that only its host can give: the store icons (108 and 512 px PNGs) and the
# privacy policy and terms of use pages, one each for every locale.
PUBLISHING = ("smallIconUri", "largeIconUri", "privacyPolicyUrl", "termsOfUseUrl")
DEVELOPMENT_NOTE = ("This package is for development. To submit it for certification, add --publish FILE with the "
                    "store icons and the privacy and terms URLs (see interaction_model/README.md).")


def publishing(path: Path, manifest: dict) -> dict:
    """manifest with the host's icons and privacy and terms URLs in every locale; UsageError names each one that
    is missing or not an https URL."""
    try:
        given = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"--publish {path}: cannot be read as JSON ({exc})") from None
    given = given if isinstance(given, dict) else {}
    wrong = [name for name in PUBLISHING
             if not isinstance(given.get(name), str) or urlsplit(given[name]).scheme != "https"
             or not urlsplit(given[name]).hostname or "example.com" in given[name]]
    if wrong:
        raise UsageError(f"--publish {path}: certification needs {', '.join(wrong)} filled in, each an https URL "
                         "of your own (see interaction_model/publishing.example.json)")
    published = copy.deepcopy(manifest)
    info = published["manifest"]
    for locale in info["publishingInformation"]["locales"].values():
        locale.update(smallIconUri=given["smallIconUri"], largeIconUri=given["largeIconUri"])
    for locale in info["privacyAndCompliance"]["locales"].values():
        locale.update(privacyPolicyUrl=given["privacyPolicyUrl"], termsOfUseUrl=given["termsOfUseUrl"])
    return published


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def lambda_requirements(pinned: str) -> str:
    """requirements.txt for the Lambda: the LAMBDA_REQUIREMENTS entries of a lock, each pin with its hashes."""
    pins = {}
    for line in re.sub(r"\\\n", " ", pinned).splitlines():  # a pin's hashes (and markers) continue its line
        requirement, *hashes = re.split(r"\s+--hash=", line.split("#")[0].strip())
        found = re.match(r"([A-Za-z0-9_.-]+)==\S+", requirement)
        if found:
            pins[re.sub(r"[-_.]+", "-", found.group(1)).lower()] = requirement.strip() + "".join(
                f" \\\n    --hash={digest}" for digest in hashes)
    wanted = [re.sub(r"[-_.]+", "-", name).lower() for name in LAMBDA_REQUIREMENTS]
    missing = [name for name in wanted if name not in pins]
    if missing:
        raise UsageError(f"{LOCK} pins no version of {', '.join(missing)}, which the Lambda needs")
    return (f"# What the Lambda imports, pinned with their hashes as in the project's {LOCK}; written by\n"
            "# `python -m skill model --package DIR --lambda`. ASK CLI pip-installs it into the bundle.\n"
            + "".join(f"{pins[name]}\n" for name in wanted))


def lambda_code(sequences: Path) -> dict[Path, str | bytes]:
    """The files of the Lambda's code folder, by path inside it: the skill package and the classes."""
    try:
        lock = (ROOT / LOCK).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--lambda builds the bundle from a checkout of the project, which has {LOCK}; this "
                         f"installed copy has none") from None
    code: dict[Path, str | bytes] = {Path("requirements.txt"): lambda_requirements(lock)}
    for source, into in ((PACKAGE, Path("skill")), (sequences, Path("sequences"))):
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
                code[into / path.relative_to(source)] = path.read_bytes()
    return code


def files(models: dict[str, dict], manifest: dict, out: Path | None, package: Path | None,
          code: dict[Path, str | bytes] | None = None) -> dict[Path, str | bytes]:
    """Every file the command writes, with its content: the models and skill.json (unless out is None), and the
    ASK project if asked (with the Lambda's code folder and deployer settings when code is given)."""
    texts: dict[Path, str | bytes] = {}
    if out is not None:
        texts.update({out / f"{locale}.json": dumps(model) for locale, model in models.items()})
        texts[out / "skill.json"] = dumps(manifest)
    if package is not None:
        resources = copy.deepcopy(ASK_RESOURCES)
        if code is not None:
            profile = resources["profiles"]["default"]
            profile["code"] = {"default": {"src": "./lambda"}}
            profile["skillInfrastructure"] = copy.deepcopy(LAMBDA_INFRASTRUCTURE)
            texts.update({package / "lambda" / path: content for path, content in code.items()})
        texts[package / "ask-resources.json"] = dumps(resources)
        texts[package / "skill-package" / "skill.json"] = dumps(manifest)
        for locale, model in models.items():
            texts[package / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"] = dumps(model)
    return texts


def _same(path: Path, content: str | bytes) -> bool:
    if not path.is_file():
        return False
    return path.read_bytes() == content if isinstance(content, bytes) else path.read_text(encoding="utf-8") == content


# Options that do not go together, each with why: (when it is wrong, the sentence that says so).
CLASHES: tuple[tuple[Callable[[argparse.Namespace], bool], str], ...] = (
    (lambda a: a.publish is not None and a.package is None,
     "--publish needs --package DIR: it fills in the package's skill.json for certification"),
    (lambda a: a.endpoint is not None and a.package is None and a.out is None and not a.check,
     "--endpoint needs --package DIR (an ASK CLI project) or --out DIR: interaction_model/ keeps the placeholder "
     "endpoint, so packaging never changes the committed files"),
    (lambda a: a.aws_lambda and a.package is None,
     "--lambda needs --package DIR: it adds the Lambda's code and settings to that ASK project"),
    (lambda a: a.aws_lambda and a.endpoint is not None,
     "--lambda and --endpoint do not go together: with --lambda, `ask deploy` points the skill at the function it "
     "deploys"),
)


def check_options(args: argparse.Namespace) -> None:
    """UsageError for options that do not go together, or an endpoint Alexa cannot call."""
    for wrong, sentence in CLASHES:
        if wrong(args):
            raise UsageError(sentence)
    if args.endpoint is not None:
        url = urlsplit(args.endpoint)
        if url.scheme != "https" or not url.hostname:
            raise UsageError(f"--endpoint {args.endpoint!r} is not an https:// URL; Alexa calls HTTPS endpoints "
                             "only, e.g. https://yoga.example.org/alexa")


def rule_breaks(models: dict[str, dict], manifest: dict) -> dict[str, list[str]]:
    """Each way the models break Alexa's rules, with the locales it is found in."""
    found: dict[str, list[str]] = {}
    for locale, model in models.items():
        for problem in validate(model) + example_problems(manifest, model):
            found.setdefault(problem, []).append(locale)
    return found


def report_stale(texts: dict[Path, str | bytes]) -> int:
    """--check: name each file that is stale or missing; 1 if any is, else 0."""
    stale = [path for path, text in texts.items() if not _same(path, text)]
    for path in stale:
        print(f"{'stale' if path.exists() else 'missing'}: {_shown(path)}")
    print(f"{len(stale)} of {len(texts)} files out of date; run python -m skill model" if stale
          else f"All {len(texts)} files are up to date.")
    return 1 if stale else 0


def write(texts: dict[Path, str | bytes], models: dict[str, dict]) -> int:
    """Write every file, saying what each model holds; how many files of code and classes were copied."""
    copied = 0
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
            copied += 1
            continue
        path.write_text(text, encoding="utf-8")
        written = models.get(path.stem)
        if written is not None:
            intents, samples, values, synonyms = counts(written)
            print(f"wrote {_shown(path)}: {intents} intents, {samples} samples, "
                  f"{values} slot values with {synonyms} synonyms")
        else:
            print(f"wrote {_shown(path)}")
    return copied


def run(args: argparse.Namespace, settings: Settings) -> int:
    check_options(args)
    sequences = args.sequences or settings.sequences
    library = load_library(sequences)
    models = {locale: interaction_model(library, locale) for locale in LOCALES}
    manifest = skill_manifest(args.endpoint)
    if args.publish is not None:
        manifest = publishing(args.publish, manifest)
    found = rule_breaks(models, manifest)
    if found:
        print(f"The interaction model breaks Alexa's rules in {len(found)} places, so nothing was written:",
              file=sys.stderr)
        for problem, locales in found.items():
            print(f"  {problem} ({', '.join(locales)})", file=sys.stderr)
        return 1
    out = args.out if args.out is not None else (None if args.package is not None else OUT)
    texts = files(models, manifest, out, args.package, lambda_code(Path(sequences)) if args.aws_lambda else None)
    if args.check:
        return report_stale(texts)
    copied = write(texts, models)
    if copied:
        print(f"copied {copied} files of code and classes into {_shown(args.package / 'lambda')}; handler "
              f"{LAMBDA_HANDLER} (see docs/deploy-lambda.md)")
    if args.package is not None and args.publish is None:
        print(DEVELOPMENT_NOTE)
    return 0
