"""Requests signed the way Alexa signs them, by the tests' certificate authority, with its root and chain on disk.

The benchmark makes the keys (tests/testca.py) and signs the bodies; the server it starts reads the root and the
chain from the files written here (see apps.py), so both sides hold the same certificates.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import testca
from apps import CHAIN_FILE, CHAIN_URL


class SignedRequests:
    """A test CA whose trusted root and signing chain are written to folder, and Alexa's two headers for a body."""

    def __init__(self, folder: Path) -> None:
        self.ca = testca.TestCA()
        now = datetime.now(UTC)
        folder.mkdir(parents=True, exist_ok=True)
        self.roots = folder / "test-root.pem"
        self.chain = folder / "test-chain.pem"
        self.roots.write_bytes(testca.pem(self.ca.root))
        # A leaf valid around the real clock, whatever the date the test CA was written for.
        self.chain.write_bytes(self.ca.chain_pem(not_before=now - timedelta(days=1),
                                                 not_after=now + timedelta(days=30)))

    def env(self) -> dict[str, str]:
        """What a server needs to verify these requests (apps.gentle_yoga reads it)."""
        return {"GENTLE_YOGA_VERIFY": "on", "GENTLE_YOGA_CERT_ROOTS": str(self.roots), CHAIN_FILE: str(self.chain)}

    def headers(self, body: bytes) -> dict[str, str]:
        """SignatureCertChainUrl and Signature-256 for body."""
        return self.ca.headers(body, CHAIN_URL)
