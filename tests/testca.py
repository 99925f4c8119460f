"""A certificate authority the tests create: real chains for echo-api.amazon.com, good and deliberately bad.

Usage::

    import testca
    ca = testca.TestCA()
    verifier = Verifier(ca.roots, fetch=testca.Fetch({testca.DEFAULT_URL: ca.chain_pem()}), clock=testca.Clock())
    verifier.verify(ca.headers(body), body, envelope)

Certificates follow the web-PKI profile that `cryptography.x509.verification` applies: critical basic
constraints and key usage, subject and authority key ids, serverAuth on the leaf and the name in its SAN.
"""
from __future__ import annotations

import base64
import functools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_SAN = "echo-api.amazon.com"
DEFAULT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
NOW = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)  # the moment the test clock starts at
LEAF_NOT_BEFORE = NOW - timedelta(days=30)
LEAF_NOT_AFTER = NOW + timedelta(days=300)
_CA_NOT_BEFORE = NOW - timedelta(days=3650)
_CA_NOT_AFTER = NOW + timedelta(days=3650)


@functools.cache
def private_key(name: str) -> rsa.RSAPrivateKey:
    """An RSA 2048 key made once per name for the whole test run, since making one is slow."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def sign(body: bytes, key: rsa.RSAPrivateKey) -> str:
    """What Alexa puts in Signature-256: base64 of RSA PKCS#1 v1.5 over SHA-256 of the body."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def _ca_cert(common_name: str, key: rsa.RSAPrivateKey, issuer: x509.Certificate | None,
             issuer_key: rsa.RSAPrivateKey) -> x509.Certificate:
    """A CA certificate: self-signed when issuer is None."""
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Gentle Yoga Tests"),
                         x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_CA_NOT_BEFORE)
        .not_valid_after(_CA_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _leaf_cert(issuer: x509.Certificate, issuer_key: rsa.RSAPrivateKey, key: rsa.RSAPrivateKey,
               san: str | None, not_before: datetime, not_after: datetime) -> x509.Certificate:
    """A server certificate like Alexa's, for the name san (no SAN extension when None)."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, san or "no-san.example")]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if san is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certs: x509.Certificate) -> bytes:
    """Certificates as one PEM text, in the order given."""
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


class TestCA:
    """A trusted root and intermediate, an untrusted pair beside them, and leaves issued on demand."""

    __test__ = False  # a helper, not a test class, despite the name

    def __init__(self) -> None:
        self.root_key, self.intermediate_key = private_key("root"), private_key("intermediate")
        self.root = _ca_cert("Test Root CA", self.root_key, None, self.root_key)
        self.intermediate = _ca_cert("Test Intermediate CA", self.intermediate_key, self.root, self.root_key)
        rogue_root_key, self._rogue_key = private_key("rogue root"), private_key("rogue intermediate")
        rogue_root = _ca_cert("Test Root CA", rogue_root_key, None, rogue_root_key)  # same name, other key
        self._rogue = _ca_cert("Test Intermediate CA", self._rogue_key, rogue_root, rogue_root_key)
        self.leaf_key = private_key("leaf")
        self.other_key = private_key("other")  # signs bodies the leaf did not

    @property
    def roots(self) -> list[x509.Certificate]:
        """The roots a Verifier should trust."""
        return [self.root]

    def leaf(self, *, san: str | None = ALEXA_SAN, expired: bool = False, not_yet_valid: bool = False,
             not_before: datetime | None = None, not_after: datetime | None = None, untrusted: bool = False,
             key: rsa.RSAPrivateKey | None = None) -> x509.Certificate:
        """A leaf certificate; each keyword makes one thing about it wrong (or, for dates, exact)."""
        if expired:
            not_before, not_after = NOW - timedelta(days=400), NOW - timedelta(days=1)
        if not_yet_valid:
            not_before, not_after = NOW + timedelta(days=1), NOW + timedelta(days=400)
        issuer, issuer_key = (self._rogue, self._rogue_key) if untrusted else (self.intermediate,
                                                                                self.intermediate_key)
        return _leaf_cert(issuer, issuer_key, key or self.leaf_key, san, not_before or LEAF_NOT_BEFORE,
                          not_after or LEAF_NOT_AFTER)

    def chain_pem(self, *, san: str | None = ALEXA_SAN, expired: bool = False, not_yet_valid: bool = False,
                  not_before: datetime | None = None, not_after: datetime | None = None, untrusted: bool = False,
                  key: rsa.RSAPrivateKey | None = None, with_intermediate: bool = True) -> bytes:
        """The PEM a SignatureCertChainUrl serves: leaf first, then its intermediate; options as for leaf()."""
        leaf = self.leaf(san=san, expired=expired, not_yet_valid=not_yet_valid, not_before=not_before,
                         not_after=not_after, untrusted=untrusted, key=key)
        if not with_intermediate:
            return pem(leaf)
        return pem(leaf, self._rogue if untrusted else self.intermediate)

    def headers(self, body: bytes, url: str = DEFAULT_URL, key: rsa.RSAPrivateKey | None = None) -> dict[str, str]:
        """The two signature headers Alexa sends with body; key defaults to the leaf's."""
        return {"SignatureCertChainUrl": url, "Signature-256": sign(body, key or self.leaf_key)}


class Fetch:
    """A stand-in for fetch_chain: serves PEM from a dict by URL, counts calls, fails for unknown URLs."""

    def __init__(self, chains: Mapping[str, bytes] | None = None) -> None:
        self.chains = dict(chains or {})
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if url not in self.chains:
            raise OSError(f"no chain at {url}")
        return self.chains[url]


class Clock:
    """A clock that stands still at NOW until a test moves it."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
