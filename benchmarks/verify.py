"""What verifying one Alexa request costs once its certificate chain is cached, beside what it is made of.

Run with `make bench` or `python benchmarks/verify.py --calls 2000`. The chain is a real one made by the tests'
certificate authority (tests/testca.py), and the request is really signed.
"""
from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import testca  # noqa: E402
from alexa import SKILL_ID, envelope  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402

from skill.alexa.translate import check_skill_id  # noqa: E402
from skill.web.verify import Verifier, check_cert_url  # noqa: E402


def measure(call: Callable[[], object], calls: int) -> tuple[float, float]:
    """Median and p99 in microseconds, after a short warm-up."""
    for _ in range(min(50, calls)):
        call()
    samples = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    return statistics.median(samples) / 1000, samples[min(len(samples) - 1, int(len(samples) * 0.99))] / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the cost of verifying one Alexa request, with baselines.")
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per row (default 2000)")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")

    ca = testca.TestCA()
    clock = testca.Clock()
    request = envelope("launch", clock())
    body = json.dumps(request).encode()
    headers = ca.headers(body)
    fetch = testca.Fetch({testca.DEFAULT_URL: ca.chain_pem()})
    cached = Verifier(ca.roots, fetch=fetch, clock=clock)
    key = ca.leaf_key.public_key()
    signature = base64.b64decode(headers["Signature-256"])

    rows = {
        "verify(), chain cached": lambda: cached.verify(headers, body, request),
        "  baseline: RSA-2048 signature check alone": lambda: key.verify(signature, body, padding.PKCS1v15(),
                                                                          hashes.SHA256()),
        "  baseline: json.loads(body)": lambda: json.loads(body),
        "  check_cert_url": lambda: check_cert_url(testca.DEFAULT_URL),
        "  check_skill_id": lambda: check_skill_id(request, SKILL_ID),
        "verify(), cold cache (parse and validate the chain)":
            lambda: Verifier(ca.roots, fetch=fetch, clock=clock).verify(headers, body, request),
    }
    measured = {name: measure(call, args.calls) for name, call in rows.items()}
    rsa = measured["  baseline: RSA-2048 signature check alone"][0]
    print(f"Python {sys.version.split()[0]}, a {len(body)}-byte launch request, {args.calls} calls a row; "
          "×RSA: the median beside the signature check alone, the floor of any verification")
    print(f"{'':55} {'median µs':>10} {'p99 µs':>10} {'×RSA':>7}")
    for name, (median, p99) in measured.items():
        print(f"{name:55} {median:10.1f} {p99:10.1f} {median / rsa:>6.2f}×", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
