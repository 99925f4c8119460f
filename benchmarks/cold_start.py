"""Cold start: a fresh Python process that imports our app and answers one launch, beside `import flask, ask_sdk_core`.

Run with `python benchmarks/cold_start.py --runs 15`. Each run is a new `python -c` process, timed from the outside
(start to exit), so interpreter start-up counts for every row; `python -c pass` shows that floor. Ours builds the
production app from the environment (`create_app()`, SQLite in a new data folder) and answers one LaunchRequest
through Flask's test client, with verification off, and again with it on (a real signature, checked against the
tests' CA, its chain parsed and validated on that first request); each process says how its time split into
import, create_app and the answer. `--importtime` lists our heaviest imports, from `python -X importtime`.

Each row is set beside two baselines: the issue's, `import flask, ask_sdk_core`, which creates and answers nothing,
and, like for like, a bare ask-sdk-core skill behind Flask that imports, creates its app and answers the same
launch (the framework's own share of a cold start, before any skill of ours runs).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common
from alexa import SKILL_ID, envelope
from signed import SignedRequests

# The child measures its own phases with perf_counter and prints them as JSON on its last line.
OURS = """\
import time
began = time.perf_counter()
{imports}
imported = time.perf_counter()
app = {factory}
created = time.perf_counter()
reply = app.test_client().post("/alexa", data=open({body!r}, "rb").read(), headers={headers!r},
                               content_type="application/json")
answered = time.perf_counter()
assert reply.status_code == 200 and "<speak>" in reply.get_data(as_text=True), reply.get_data(as_text=True)[:300]
import json
print(json.dumps({{"import": imported - began, "create_app": created - imported, "answer": answered - created}}))
"""
# Verification off: the production factory as it reads the environment.
PLAIN = {"imports": "from skill.web.app import create_app", "factory": "create_app()"}
# Verification on: the same factory with a Verifier that trusts the test CA and gets its chain from a file
# (benchmarks/apps.py), so the first request parses and validates a real chain, as a server's first request does.
VERIFYING = {"imports": "import sys; sys.path.insert(0, 'benchmarks'); from apps import gentle_yoga; "
                        "import skill.web.app, skill.web.verify",
             "factory": "gentle_yoga()"}
# Like for like: a bare ask-sdk-core skill behind Flask (benchmarks/apps.py), made and answering the same launch. The
# issue's baseline only imports; this one does everything ours does, with a skill that says "hello".
BARE_SKILL = {"imports": "import sys; sys.path.insert(0, 'benchmarks'); from apps import bare_ask; "
                         "import ask_sdk_core.skill_builder, ask_sdk_model",
              "factory": "bare_ask()"}
BASELINE = "import flask, ask_sdk_core"
FLOOR = "pass"


def environment(folder: Path, verify: bool) -> dict[str, str]:
    """The environment of a production process, with nothing inherited from GENTLE_YOGA_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENTLE_YOGA_")}
    env.update(GENTLE_YOGA_VERIFY="on" if verify else "off", GENTLE_YOGA_DATA_DIR=str(folder / "data"),
               GENTLE_YOGA_STORE="sqlite", GENTLE_YOGA_ID_SECRET="cold start benchmark",
               GENTLE_YOGA_SKILL_ID=SKILL_ID, GENTLE_YOGA_LOG_LEVEL="error", PYTHONDONTWRITEBYTECODE="",
               # No voice: with one, a fresh data dir starts rendering the library, and the process cannot exit
               # before its render pool's threads finish (minutes); audio.py measures the voice.
               GENTLE_YOGA_VOICE="off")
    env.pop("PYTHONDONTWRITEBYTECODE")  # compiled modules are kept, as on any server after its first start
    return env


def run_once(code: str, env: dict[str, str]) -> tuple[float, str]:
    """Milliseconds from starting the process to its exit, and what it printed."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=common.ROOT, env=env, capture_output=True, text=True)
    taken = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"the cold start process failed:\n{done.stderr[-2000:]}")
    return taken, done.stdout


def import_times(env: dict[str, str], top: int) -> list[list[str]]:
    """Our modules with the most cumulative import time, and the third-party ones they pull in first."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import skill.web.app"], cwd=common.ROOT, env=env,
                          capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():  # "import time:  748 |  235766 |   skill.alexa.skill"
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(cumulative), int(own), name.rstrip()))
    rows.sort(reverse=True)
    return [[name, f"{own / 1000:.1f}", f"{cumulative / 1000:.1f}"] for cumulative, own, name in rows[:top]]


OURS_ROW = "ours: import, create_app, answer a launch"
BASELINE_ROW = "baseline: import flask, ask_sdk_core"
BARE_ROW = "  like for like: bare ask-sdk-core skill behind Flask, the same"
GOAL = 1.3


def cold_rows(samples: dict[str, list[float]]) -> list[list[str]]:
    """Each row's median and p99 against both baselines; ours' rows say whether each meets the goal."""
    bases = [(common.median(samples[row]), common.percentile(samples[row], 0.99)) for row in (BASELINE_ROW, BARE_ROW)]
    rows = []
    for name, taken in samples.items():
        med, p99 = common.median(taken), common.percentile(taken, 0.99)
        row = [name, f"{med:.0f}", f"{p99:.0f}"]
        for base, base_p99 in bases:
            goal = ("met" if med <= GOAL * base else "not met") if name.startswith("ours") else ""
            row += [common.ratio(med, base), common.ratio(p99, base_p99), goal]
        rows.append(row)
    return rows


def processes(folder: Path, signer: SignedRequests, plain: dict[str, str],
              verifying: dict[str, str]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each row's code and environment, with a launch stamped now (and signed) for the rows that answer one."""
    body = folder / "launch.json"
    raw = json.dumps(envelope("launch", time.time(), new=True)).encode()
    body.write_bytes(raw)
    return {
        "python -c pass (the interpreter alone)": (FLOOR, plain),
        BASELINE_ROW: (BASELINE, plain),
        OURS_ROW: (OURS.format(body=str(body), headers={}, **PLAIN), plain),
        BARE_ROW: (OURS.format(body=str(body), headers={}, **BARE_SKILL), plain),
        "ours, verification on (test CA), the same": (
            OURS.format(body=str(body), headers=signer.headers(raw), **VERIFYING), verifying),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time a fresh process importing our app and answering one launch, against importing flask and "
                    "ask_sdk_core.")
    parser.add_argument("--runs", type=int, default=15, help="processes started per row (default 15)")
    parser.add_argument("--importtime", type=int, default=0, metavar="N",
                        help="also list the N imports with the most cumulative time (python -X importtime)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="gentle-yoga-cold-") as name:
        folder = Path(name)
        signer = SignedRequests(folder / "ca")
        plain, verifying = environment(folder, verify=False), {**environment(folder, verify=True), **signer.env()}
        # Compile every module once, as a deployed server has.
        run_once(processes(folder, signer, plain, verifying)[OURS_ROW][0], plain)
        samples: dict[str, list[float]] = {}
        phases: dict[str, list[dict[str, float]]] = {}
        shuffle = random.Random(1)
        for number in range(args.runs):  # interleaved in a new order each round, so no row always goes first
            common.progress(f"cold start: run {number + 1} of {args.runs}")
            rows_code = processes(folder, signer, plain, verifying)  # signed afresh: a round may take a while
            for name in shuffle.sample(list(rows_code), len(rows_code)):
                code, env = rows_code[name]
                taken, printed = run_once(code, env)
                samples.setdefault(name, []).append(taken)
                if " the same" in name or name.startswith("ours"):
                    phases.setdefault(name, []).append(json.loads(printed.strip().splitlines()[-1]))
        samples = {name: samples[name] for name in rows_code}  # in the table's order
        phases = {name: phases[name] for name in rows_code if name in phases}
        imports = import_times(plain, args.importtime) if args.importtime else []
    print(f"Cold start ({common.machine()}); {args.runs} fresh processes a row, interleaved; ms from start to exit")
    print("Goal: ours (import, create_app, answer) ≤ 1.3× the baseline. Two baselines: the issue's, which only "
          "imports,\nand like for like, the bare ask-sdk-core skill behind Flask doing what ours does (import, "
          "create the app,\nanswer the launch).")
    print(common.table(["process", "median", "p99", "×import median", "×import p99", "goal", "×bare skill median",
                        "×bare skill p99", "goal"], cold_rows(samples)))
    for name, measured in phases.items():
        split = {key: common.median([p[key] for p in measured]) * 1000 for key in ("import", "create_app", "answer")}
        print(f"Inside '{name}' (median ms): " + ", ".join(f"{key} {value:.0f}" for key, value in split.items()))
    if imports:
        print("\nHeaviest imports under skill.web.app (ms, python -X importtime, one run)")
        print(common.table(["module", "self", "cumulative"], imports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
