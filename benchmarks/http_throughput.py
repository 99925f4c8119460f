"""HTTP throughput under gunicorn (2 gthread workers) on loopback, with wrk: ours beside a bare Flask JSON endpoint.

Run with `python benchmarks/http_throughput.py --seconds 10`. Each row starts its own server with the production
settings (`-c python:skill.web.gunicorn_conf`, WEB_CONCURRENCY=2) and warms it up; every server stays up while
Debian's wrk sends signed requests to each in turn, in rounds (a new order each round), so that load from elsewhere
on a shared machine falls on every row alike. Ours verifies every signature (a chain made by the tests' CA, fetched
once per worker and kept in its cache) and keeps state in SQLite, then in Redis (a redis-server started for the
run). The requests cycle through many people, each in a class: "continue" (a segment of about four minutes comes
back, and is saved) then "pause" thirty seconds in (saved again). The baseline is a Flask endpoint that reads the
body and answers a small JSON, under the same server and the same requests; a bare ask-sdk-core skill behind Flask
shows, for scale, what the Alexa framework alone costs before any skill runs, and the same skill verifying each
signature is ours like for like (the edge's work, without a class to lead or a record to keep). Every row runs under
the same gunicorn config file (gthread, the same workers, threads, keep-alive and no access log). (Not named
http.py: that would hide the standard library's http package from everything run from this folder.)
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import common
from alexa import SKILL_ID, intent
from servers import RedisServer, free_port
from signed import SignedRequests

GUNICORN = Path(sys.executable).parent / "gunicorn"
CLASS = "low_back_release"
LIKE_FOR_LIKE = "  like for like: bare ask-sdk-core skill, verifying signatures"
PAUSE_AFTER = 30  # seconds between a person's "continue" and their "pause"
MAX_SECONDS = 260  # the signed timestamps stay within Alexa's 150 s either side for a whole run this long
STARTUP_SECONDS = 5  # allowed per row for gunicorn to start and the answers to be checked
SERVER_FAILURE = re.compile(r"Traceback|error answering a request|Worker .* (?:timeout|was sent)|refused a request",
                            re.IGNORECASE)


class Server:
    """gunicorn with the skill's config file on a free loopback port, serving one of apps.py's factories."""

    def __init__(self, app: str, env: dict[str, str], folder: Path, workers: int) -> None:
        self.app, self.folder, self.workers = app, folder, workers
        self.env = {**env, "WEB_CONCURRENCY": str(workers), "GENTLE_YOGA_LOG_LEVEL": "warning"}
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "python:skill.web.gunicorn_conf", "--bind", f"127.0.0.1:{self.port}",
                 "--pythonpath", str(common.ROOT / "benchmarks"), self.app],
                cwd=common.ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_text()[-3000:]}")
            if self._healthy():
                return self
            time.sleep(0.05)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer within 60 s:\n{self.log_text()[-3000:]}")

    def _healthy(self) -> bool:
        try:
            status, _ = self.post("/healthz", None, {}, method="GET")
            return status == 200
        except OSError:
            return False

    def post(self, path: str, body: bytes | None, headers: dict[str, str], method: str = "POST") -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers={**headers, "Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def __exit__(self, *exc: object) -> None:
        """SIGTERM to the master we started, which stops its workers; SIGKILL to its process group if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the master's worker processes have used so far, from /proc."""
        if self.process is None:
            return 0.0
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # a worker: its parent is the master
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Requests:
    """The signed bodies: one to choose the class per person, then the cycle wrk sends."""

    choose: list[tuple[bytes, dict[str, str]]]
    cycle: list[tuple[bytes, dict[str, str]]]


def make_requests(signer: SignedRequests, people: int, seconds: float) -> Requests:
    """Every person's signed bodies, stamped so that they stay fresh for the whole run."""
    now = time.time()
    middle = now + seconds / 2 - PAUSE_AFTER / 2  # "continue" here, "pause" 30 s later: both fresh throughout
    choose, cycle = [], []
    for number in range(people):
        user = f"amzn1.ask.account.HTTPBENCH{number:06d}"
        options: dict[str, Any] = {"user": user, "session": f"bench-{number}", "attributes": {}}
        start = json.dumps(intent("StartClassIntent", now, {"practice": ("low back release", CLASS)},
                                  **options)).encode()
        choose.append((start, signer.headers(start)))
        for name, at in (("ContinueIntent", middle), ("AMAZON.PauseIntent", middle + PAUSE_AFTER)):
            body = json.dumps(intent(name, at, **options)).encode()
            cycle.append((body, signer.headers(body)))
    return Requests(choose, cycle)


def _lua_string(text: str) -> str:
    """text as a Lua long string that nothing inside it can end."""
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_script(requests: Requests, path: Path) -> Path:
    """A wrk script cycling through the signed bodies; each wrk thread starts at its own place in the cycle."""
    entries = []
    for body, headers in requests.cycle:
        entries.append("{" + _lua_string(body.decode()) + ", " + _lua_string(headers["Signature-256"]) + "}")
    url = requests.cycle[0][1]["SignatureCertChainUrl"]
    path.write_text(f"""\
local bodies = {{
{(","+chr(10)).join(entries)}
}}
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local counter = nil
function request()
  if counter == nil then counter = (offset or 0) * 7919 end
  counter = counter + 1
  local entry = bodies[(counter % #bodies) + 1]
  return wrk.format("POST", "/alexa", {{["Content-Type"] = "application/json",
    ["SignatureCertChainUrl"] = {_lua_string(url)}, ["Signature-256"] = entry[2]}}, entry[1])
end
""")
    return path


@dataclass
class Result:
    name: str
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    server_failures: int = 0
    cpu_us: float = 0.0  # the workers' CPU time per request: steadier than req/s on a machine others share


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(name: str, output: str) -> Result:
    """wrk --latency's figures; a line it did not print counts as zero errors only where wrk omits it for zero."""
    result = Result(name)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if rate is None or total is None:
        raise SystemExit(f"wrk printed no figures for {name}:\n{output}")
    result.requests_per_second, result.requests = float(rate.group(1)), int(total.group(1))
    for share, attribute in (("50", "p50_ms"), ("99", "p99_ms")):
        found = re.search(rf"^\s+{share}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if found:
            setattr(result, attribute, _ms(found.group(1), found.group(2)))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result.non_2xx = int(non_2xx.group(1)) if non_2xx else 0
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result.socket_errors = sum(int(n) for n in sockets.groups()) if sockets else 0
    return result


def wrk(port: int, script: Path, seconds: float, threads: int, connections: int) -> str:
    done = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s",
                           "--latency", "-s", str(script), f"http://127.0.0.1:{port}/alexa"],
                          capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def check_answers(server: Server, requests: Requests, ours: bool) -> None:
    """Before timing: every person chooses the class (ours), and one cycle is answered with speech, status 200."""
    if ours:
        for body, headers in requests.choose:
            status, answer = server.post("/alexa", body, headers)
            if status != 200 or b"<speak>" not in answer:
                raise SystemExit(f"choosing the class failed with {status}: {answer[:300]!r}")
    for body, headers in requests.cycle[:2]:
        status, answer = server.post("/alexa", body, headers)
        if status != 200 or b"<speak>" not in answer:
            raise SystemExit(f"the server answered {status}: {answer[:300]!r}\n{server.log_text()[-2000:]}")


@dataclass
class Row:
    """One server under test: its name, its factory in apps.py, its environment and folder."""

    name: str
    app: str
    env: dict[str, str]
    folder: Path
    server: Server | None = None
    rounds: list[Result] = field(default_factory=list)
    cpu_seconds: float = 0.0


def start_rows(rows: list[Row], requests: Requests, script: Path, stack: ExitStack, args: argparse.Namespace) -> None:
    """Every row's gunicorn started, its answers checked and warmed up; they stay up for the whole run."""
    for row in rows:
        common.progress(f"http: {row.name.strip()}: starting gunicorn ({args.workers} workers)")
        row.server = stack.enter_context(Server(row.app, row.env, row.folder, args.workers))
        check_answers(row.server, requests, ours=row.app.startswith("apps:gentle_yoga"))
        if args.warmup:
            common.progress(f"http: {row.name.strip()}: warming up for {args.warmup:g} s")
            wrk(row.server.port, script, args.warmup, args.threads, args.connections)


def round_seconds(args: argparse.Namespace) -> int:
    """Each round's wrk run: whole seconds (wrk takes no fractions), the rounds together as near --seconds as that
    allows."""
    return max(1, round(args.seconds / args.rounds))


def measure(rows: list[Row], script: Path, args: argparse.Namespace) -> None:
    """wrk on each row in turn, round after round in a new order each time, so that a burst of load from elsewhere
    on the machine falls on every row alike rather than on whichever ran then."""
    shuffle = random.Random(1)
    seconds = round_seconds(args)
    for number in range(args.rounds):
        for row in shuffle.sample(rows, len(rows)):
            assert row.server is not None
            common.progress(f"http: round {number + 1} of {args.rounds}: {row.name.strip()}: wrk for "
                            f"{seconds} s, {args.connections} connections")
            cpu = row.server.cpu_seconds()
            output = wrk(row.server.port, script, seconds, args.threads, args.connections)
            row.cpu_seconds += row.server.cpu_seconds() - cpu
            row.rounds.append(parse_wrk(row.name, output))


def summary(row: Row, seconds: float) -> Result:
    """The row over all its rounds: requests and errors summed, req/s over the whole time, the median of the
    rounds' p50 and p99, CPU per request over all of them."""
    result = Result(row.name)
    result.requests = sum(r.requests for r in row.rounds)
    result.requests_per_second = result.requests / seconds
    result.p50_ms = common.median([r.p50_ms for r in row.rounds])
    result.p99_ms = common.median([r.p99_ms for r in row.rounds])
    result.non_2xx = sum(r.non_2xx for r in row.rounds)
    result.socket_errors = sum(r.socket_errors for r in row.rounds)
    result.cpu_us = row.cpu_seconds / max(result.requests, 1) * 1e6
    if row.server is not None:
        result.server_failures = sum(1 for line in row.server.log_text().splitlines() if SERVER_FAILURE.search(line))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Measure HTTP throughput under gunicorn with wrk: our skill (verifying, SQLite then Redis) "
                    "against a bare Flask JSON endpoint.")
    parser.add_argument("--seconds", type=float, default=10.0, help="timed wrk seconds per row, over all its "
                                                                     "rounds (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="untimed wrk run on each row once it has started "
                                                                  "(default 2 s)")
    parser.add_argument("--people", type=int, default=200, help="different people the requests cycle through "
                                                                "(default 200)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8: 2 workers × 4 "
                                                                   "threads)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1, leaving the cores to the "
                                                               "server)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, WEB_CONCURRENCY (default 2)")
    parser.add_argument("--store", choices=("sqlite", "redis", "both"), default="both",
                        help="which stores to run ours on (default both)")
    parser.add_argument("--rounds", type=int, default=5, help="each row's seconds are split into this many wrk "
                                                              "runs of whole seconds, the rows taking turns "
                                                              "(default 5)")
    args = parser.parse_args(argv)
    servers = 4 + (2 if args.store == "both" else 1)
    if args.seconds <= 0 or args.warmup < 0 or servers * (args.warmup + args.seconds + STARTUP_SECONDS) > MAX_SECONDS:
        parser.error(f"the whole run ({servers} rows × (--warmup + --seconds + {STARTUP_SECONDS} s to start)) must "
                     f"take at most {MAX_SECONDS} s, for the signed timestamps to stay fresh throughout")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.people < 1 or args.connections < 1 or args.threads < 1 or args.workers < 1:
        parser.error("--people, --connections, --threads and --workers must be at least 1")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (wrk needs a connection per thread)")
    for program in ("wrk", "redis-server") if args.store != "sqlite" else ("wrk",):
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is not installed; run .ci/system-deps redis-server wrk")
    with tempfile.TemporaryDirectory(prefix="gentle-yoga-http-") as name, ExitStack() as stack:
        folder = Path(name)
        signer = SignedRequests(folder / "ca")
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("GENTLE_YOGA_")}
        # No voice: with one, each worker would render the whole library in the background during the run (a
        # fresh data dir has no clips), and the answers here are speech either way (no public URL for audio).
        base_env.update(GENTLE_YOGA_SKILL_ID=SKILL_ID, GENTLE_YOGA_ID_SECRET="http benchmark secret",
                        GENTLE_YOGA_VOICE="off", **signer.env())
        rows = [Row("baseline: bare Flask JSON endpoint", "apps:bare()", base_env, folder / "bare"),
                Row("  like for like: the same, verifying signatures", "apps:bare_verifying()", base_env,
                    folder / "bare_verifying"),
                Row("  for scale: bare ask-sdk-core skill behind Flask", "apps:bare_ask()", base_env,
                    folder / "bare_ask"),
                Row(LIKE_FOR_LIKE, "apps:bare_ask(verify=True)", base_env, folder / "bare_ask_verifying")]
        for store in ("sqlite", "redis") if args.store == "both" else (args.store,):
            env = dict(base_env, GENTLE_YOGA_DATA_DIR=str(folder / store / "data"))
            if store == "redis":
                redis = RedisServer(folder / "redis").start()
                stack.callback(redis.stop)
                env["GENTLE_YOGA_STORE"] = redis.url
            else:
                env["GENTLE_YOGA_STORE"] = "sqlite"
            rows.append(Row(f"ours, verifying, {'SQLite' if store == 'sqlite' else 'Redis'}", "apps:gentle_yoga()",
                            env, folder / store))
        # One set of signed requests for every row (each keeps its own store), fresh from the first start to the
        # last round: the run takes each row's warm-up and timed seconds, and a few seconds a start.
        span = len(rows) * (args.warmup + args.seconds + STARTUP_SECONDS)
        common.progress(f"http: signing {args.people * 3} requests for {args.people} people")
        requests = make_requests(signer, args.people, span)
        script = lua_script(requests, folder / "cycle.lua")
        start_rows(rows, requests, script, stack, args)
        measure(rows, script, args)
        results = [summary(row, round_seconds(args) * args.rounds) for row in rows]
    base, verifying = results[0].requests_per_second, results[1].requests_per_second
    like = next(r.requests_per_second for r in results if r.name == LIKE_FOR_LIKE)
    lines = []
    for result in results:
        errors = result.non_2xx + result.socket_errors
        goal = "" if not result.name.startswith("ours") else (
            "  ok" if result.requests_per_second >= 0.6 * base and not errors else "  below 0.6× or errors")
        lines.append([result.name, f"{result.requests_per_second:.0f}", f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}",
                     f"{result.cpu_us:.0f}", str(result.requests), str(result.non_2xx), str(result.socket_errors),
                     str(result.server_failures), common.ratio(result.requests_per_second, base) + goal,
                     common.ratio(result.requests_per_second, verifying),
                     common.ratio(result.requests_per_second, like)])
    print(f"HTTP throughput ({common.machine()}); gunicorn gthread, {args.workers} workers × "
          f"{os.environ.get('GENTLE_YOGA_THREADS', '4')} threads, loopback; wrk -t{args.threads} "
          f"-c{args.connections} for {round_seconds(args) * args.rounds} s a row, in {args.rounds} rounds of "
          f"{round_seconds(args)} s taking turns (every server up throughout); {args.people} people")
    print("Requests: signed \"continue\" (a 4-minute segment) and \"pause\", alternately; GENTLE_YOGA_VOICE=off. Goal: "
          "ours ≥ 0.6× the baseline, 0 errors.")
    print(common.table(["server", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "requests", "non-2xx", "socket err",
                        "server err", "×baseline", "×verifying", "×bare skill verifying"], lines))
    print("CPU µs/req: the gunicorn workers' CPU time over the timed run, per request (a 10 ms clock tick: rough "
          "for short runs).")
    print("×verifying: beside the bare endpoint that checks each signature as ours does (ours verifies every "
          "request; the issue's baseline verifies none).")
    print("×bare skill verifying: beside a bare ask-sdk-core skill that verifies as ours does, then reads, "
          "dispatches and writes\nthrough ask-sdk: everything ours does at the edge, with a skill that says hello "
          "and keeps nothing (like for like).")
    failed = any(r.non_2xx or r.socket_errors or r.server_failures for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
