"""Is a request really from Alexa, fresh, and for this skill? Its signature, certificate chain and timestamp."""
from __future__ import annotations

import base64
import binascii
import functools
import math
import posixpath
import re
import ssl
import threading
import time
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification

from skill.errors import ConfigError, VerificationError

ALEXA_SAN = "echo-api.amazon.com"  # the name Alexa's signing certificate must carry
CERT_HOST = "s3.amazonaws.com"
CERT_PATH = "/echo.api/"
TOLERANCE = 150  # seconds a request's timestamp may differ from the clock
EVENT_TOLERANCE = 3600  # AlexaSkillEvent.* requests may be delivered up to an hour late
FETCH_TIMEOUT = 5.0
MAX_CHAIN_BYTES = 64 * 1024  # a real chain is a few KB
CACHE_SIZE = 32  # chains kept, by URL; Alexa uses one or two at a time
_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
# The path validator's messages, mapped to short reasons; the first match wins.
_CHAIN_REASONS = (("subjectAltName", f"certificate is not for {ALEXA_SAN}"),
                  ("not valid at validation time", "a certificate in the chain is outside its validity dates"),
                  ("candidates exhausted", "certificate chain does not lead to a trusted root"))


def load_roots(path: Path | None = None) -> list[x509.Certificate]:
    """Trusted roots: the PEM file at path, or certifi's bundle when None."""
    source = Path(certifi.where()) if path is None else path
    try:
        pem = source.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the trusted roots file {source}: {exc.strerror}") from None
    roots = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)  # certifi still holds roots with serial 0
        for block in _PEM_CERT.findall(pem):
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue  # a root that cannot be read is one root fewer to trust, not a reason to trust none
    if not roots:
        raise ConfigError(f"the trusted roots file {source} holds no certificate that can be read")
    return roots


def check_cert_url(url: str) -> str:
    """The URL in one canonical spelling; VerificationError unless it points where Alexa keeps its chains."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise VerificationError("certificate URL is not a valid URL") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL must use https")
    if "@" in parts.netloc:
        raise VerificationError("certificate URL must not carry a user name or password")
    if parts.hostname != CERT_HOST:  # hostname is already lower case
        raise VerificationError(f"certificate URL must be on {CERT_HOST}")
    if port not in (None, 443):
        raise VerificationError("certificate URL must use port 443")
    path = posixpath.normpath(unquote(parts.path))  # %2e%2e is a '..' too
    if not path.startswith(CERT_PATH):
        raise VerificationError(f"certificate URL path must be under {CERT_PATH}")
    if parts.query or parts.fragment:  # each spelling would be fetched and cached apart
        raise VerificationError("certificate URL must not have a query or fragment")
    return f"https://{CERT_HOST}{quote(path)}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: the chain must come from the URL that was checked."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@functools.cache
def _tls() -> ssl.SSLContext:
    """The TLS settings for fetching chains: certifi's roots, the standard checks."""
    return ssl.create_default_context(cafile=certifi.where())


def fetch_chain(url: str) -> bytes:
    """Default fetcher: urllib, https only, 5 s timeout, refuse bodies > 64 KiB."""
    url = check_cert_url(url)  # again, so that this fetcher cannot be pointed anywhere else
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=_tls()), _NoRedirect)
    with opener.open(url, timeout=FETCH_TIMEOUT) as response:
        data = response.read(MAX_CHAIN_BYTES + 1)
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationError(f"certificate chain is larger than {MAX_CHAIN_BYTES // 1024} KiB")
    return data


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header's value whatever the case of its name, or '' when it is absent."""
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    return (value or "").strip()


def _signature(value: str) -> bytes:
    """The raw signature from the Signature-256 header."""
    if not value:
        raise VerificationError("Signature-256 header is missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError("Signature-256 header is not base64") from None


def _check_timestamp(envelope: Mapping[str, Any], now: float) -> None:
    """Refuse a request whose timestamp is too far from now: a replay, or a clock far out."""
    request = envelope.get("request")
    request = request if isinstance(request, Mapping) else {}
    raw = request.get("timestamp")
    if raw is None or raw == "":
        raise VerificationError("request timestamp is missing")
    unreadable = VerificationError("request timestamp is not an ISO-8601 time")
    if not isinstance(raw, str):
        raise unreadable
    try:
        stamp = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        age = now - stamp.timestamp()
    except (ValueError, OverflowError):
        raise unreadable from None
    kind = request.get("type")
    limit = EVENT_TOLERANCE if isinstance(kind, str) and kind.startswith("AlexaSkillEvent.") else TOLERANCE
    if abs(age) > limit:
        direction = "old" if age > 0 else "in the future"
        raise VerificationError(f"request timestamp is {math.ceil(abs(age))} s {direction} (limit {limit} s)")


def _check_dates(leaf: x509.Certificate, now: float) -> None:
    """Refuse a signing certificate outside its validity dates."""
    if now < leaf.not_valid_before_utc.timestamp():
        raise VerificationError(f"certificate is not valid before {leaf.not_valid_before_utc:%Y-%m-%d %H:%M} UTC")
    if now > leaf.not_valid_after_utc.timestamp():
        raise VerificationError(f"certificate expired at {leaf.not_valid_after_utc:%Y-%m-%d %H:%M} UTC")


@dataclass(frozen=True)
class _Chain:
    """A chain that validated: the leaf, its key, and when its first certificate lapses (clock seconds)."""

    leaf: x509.Certificate
    key: rsa.RSAPublicKey
    expires: float


class Verifier:
    """Checks Alexa's signature on each request; chains are fetched once per URL and kept until they lapse."""

    def __init__(self, roots: Sequence[x509.Certificate], *, fetch: Callable[[str], bytes] = fetch_chain,
                 clock: Callable[[], float] = time.time) -> None:
        self._store = verification.Store(list(roots))
        self._fetch = fetch
        self._clock = clock
        self._cache: OrderedDict[str, _Chain] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, headers: Mapping[str, str], body: bytes, envelope: Mapping[str, Any]) -> None:
        """Raise VerificationError(short reason) unless the request is signed by Alexa and fresh."""
        url = _header(headers, "SignatureCertChainUrl")
        if not url:
            raise VerificationError("SignatureCertChainUrl header is missing")
        url = check_cert_url(url)  # canonical, so every spelling of one URL shares a cache entry
        signature = _signature(_header(headers, "Signature-256"))
        now = self._clock()
        _check_timestamp(envelope, now)
        chain = self._chain(url, now)
        try:
            chain.key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationError("signature does not match the body") from None

    def _chain(self, url: str, now: float) -> _Chain:
        """The validated chain at url: from the cache while it lasts, else fetched and validated afresh."""
        with self._lock:
            chain = self._cache.get(url)
            if chain is not None and now > chain.expires:
                del self._cache[url]
                chain = None
            elif chain is not None:
                self._cache.move_to_end(url)
        if chain is not None:
            _check_dates(chain.leaf, now)
            return chain
        chain = self._load(url, now)  # outside the lock: one slow fetch must not hold up other requests
        with self._lock:
            self._cache[url] = chain
            self._cache.move_to_end(url)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return chain

    def _load(self, url: str, now: float) -> _Chain:
        """Fetch the chain at url and validate it to the trusted roots for echo-api.amazon.com at now."""
        try:
            pem = self._fetch(url)
        except VerificationError:
            raise
        except Exception as exc:  # any failure to fetch, whatever the fetcher, refuses the request
            raise VerificationError("could not fetch the certificate chain") from exc
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError:
            raise VerificationError("certificate chain is not readable PEM") from None
        leaf = certs[0]
        _check_dates(leaf, now)
        verifier = (verification.PolicyBuilder().store(self._store).time(datetime.fromtimestamp(now, UTC))
                    .build_server_verifier(verification.DNSName(ALEXA_SAN)))
        try:
            path = verifier.verify(leaf, certs[1:])
        except (verification.VerificationError, ValueError) as exc:
            message = str(exc)
            reason = next((r for marker, r in _CHAIN_REASONS if marker in message), "certificate chain is not valid")
            raise VerificationError(reason) from None
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationError("certificate key is not RSA")
        return _Chain(leaf, key, min(cert.not_valid_after_utc for cert in path).timestamp())
