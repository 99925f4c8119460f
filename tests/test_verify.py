"""Only requests signed by Alexa, fresh and for this skill get through; every refusal says why in a few words."""
from __future__ import annotations

import base64
import contextlib
import io
import json
import socket
import threading
from datetime import timedelta
from typing import Any

import pytest
import testca
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import Headers

from skill.alexa.translate import check_skill_id
from skill.errors import ConfigError, VerificationError
from skill.web import verify
from skill.web.verify import Verifier, check_cert_url, fetch_chain, load_roots

URL = testca.DEFAULT_URL
SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-00000000abcd"
MARKER = "PRIVATE-BODY-TEXT-7f3a"  # appears in every body, and must never appear in a reason


def stamp(offset: float = 0) -> str:
    """An Alexa-style timestamp offset seconds from the test clock's start (negative is earlier)."""
    return (testca.NOW + timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%SZ")


NOW_STAMP = stamp()


def launch(*, timestamp: Any = NOW_STAMP, kind: str = "LaunchRequest", skill_id: str | None = SKILL_ID,
           in_context: bool = True, in_session: bool = True) -> dict[str, Any]:
    """A LaunchRequest envelope as Alexa sends it (trimmed of what verification does not read)."""
    application = {"applicationId": skill_id} if skill_id is not None else {}
    user = {"userId": f"amzn1.ask.account.{MARKER}"}
    envelope: dict[str, Any] = {
        "version": "1.0",
        "request": {"type": kind, "requestId": "amzn1.echo-api.request.5b1c", "locale": "en-US"},
    }
    if timestamp is not None:
        envelope["request"]["timestamp"] = timestamp
    if in_session:
        envelope["session"] = {"new": True, "sessionId": "amzn1.echo-api.session.9e2d", "attributes": {},
                               "application": application, "user": user}
    if in_context:
        envelope["context"] = {"System": {"application": application, "user": user,
                                          "device": {"deviceId": "amzn1.ask.device.AF3", "supportedInterfaces": {}},
                                          "apiEndpoint": "https://api.amazonalexa.com"}}
    return envelope


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, separators=(",", ":")).encode("utf-8")


@pytest.fixture(scope="module")
def ca() -> testca.TestCA:
    return testca.TestCA()


@pytest.fixture
def clock() -> testca.Clock:
    return testca.Clock()


@pytest.fixture
def fetch(ca) -> testca.Fetch:
    return testca.Fetch({URL: ca.chain_pem()})


@pytest.fixture
def verifier(ca, fetch, clock) -> Verifier:
    return Verifier(ca.roots, fetch=fetch, clock=clock)


@pytest.fixture
def request_parts(ca):
    """A genuine request: (headers, body, envelope), signed by the test leaf's key."""
    envelope = launch()
    body = encode(envelope)
    return ca.headers(body), body, envelope


def refusal(verifier: Verifier, headers: Any, body: bytes, envelope: dict[str, Any]) -> str:
    """The reason verify() gives for refusing the request; fails the test if it is accepted."""
    with pytest.raises(VerificationError) as caught:
        verifier.verify(headers, body, envelope)
    reason = str(caught.value)
    assert MARKER not in reason and body.decode() not in reason
    return reason


class TestGenuineRequests:
    def test_a_signed_fresh_request_passes(self, verifier, request_parts, fetch):
        """A request signed by a valid chain to a trusted root, with a fresh timestamp, passes."""
        verifier.verify(*request_parts)
        assert fetch.calls == [URL]

    @pytest.mark.parametrize("name", ["SignatureCertChainUrl", "Signature-256"])
    def test_header_names_match_whatever_their_case(self, verifier, request_parts, name):
        """A plain dict with a header name in lower or upper case still finds it."""
        headers, body, envelope = request_parts
        for spelled in (name.lower(), name.upper()):
            renamed = {(spelled if key == name else key): value for key, value in headers.items()}
            verifier.verify(renamed, body, envelope)

    def test_werkzeug_headers_pass(self, verifier, request_parts):
        """Flask's request.headers (a Werkzeug Headers) works as the headers mapping."""
        headers, body, envelope = request_parts
        verifier.verify(Headers(list(headers.items())), body, envelope)

    @pytest.mark.parametrize("url", [
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert-12.pem",
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert-12.pem",
    ], ids=["upper-case host", "upper-case scheme", "explicit 443", "dot segments back in", "single dot"])
    def test_url_spellings_alexa_may_use_pass(self, ca, verifier, fetch, url):
        """Amazon's documented equivalent spellings of the chain URL are accepted, and fetched as one URL."""
        fetch.chains[URL] = ca.chain_pem()
        body = encode(launch())
        verifier.verify(ca.headers(body, url=url), body, launch())
        verifier.verify(ca.headers(body), body, launch())
        assert fetch.calls == [URL]


class TestCertificateURL:
    @pytest.mark.parametrize(("url", "reason"), [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "must use https"),
        ("https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem?v=2", "must not have a query or fragment"),
        ("https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem#x", "must not have a query or fragment"),
        ("ftp://s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "must use https"),
        ("//s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "must use https"),
        ("https://notamazon.com/echo.api/echo-api-cert-12.pem", "must be on s3.amazonaws.com"),
        ("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-12.pem", "must be on s3.amazonaws.com"),
        ("https://evil.example/s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "must be on s3.amazonaws.com"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert-12.pem", "must use port 443"),
        ("https://s3.amazonaws.com:8443/echo.api/echo-api-cert-12.pem", "must use port 443"),
        ("https://s3.amazonaws.com:https/echo.api/echo-api-cert-12.pem", "not a valid URL"),
        ("https://attacker@s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "user name or password"),
        ("https://a:b@s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "user name or password"),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-12.pem", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert-12.pem", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com/echo.api.evil/cert.pem", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com/echo.api", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com/echo.api/../evil/cert.pem", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com/echo.api/%2e%2e/evil/cert.pem", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com/echo.api/%2E%2E/evil/cert.pem", "path must be under /echo.api/"),
        ("https://s3.amazonaws.com/echo.api%2f..%2fevil/cert.pem", "path must be under /echo.api/"),
    ], ids=["http", "query", "fragment", "ftp", "no scheme", "other host", "suffixed host", "host in path",
            "port 563", "port 8443",
            "port not a number", "user", "user and password", "path case", "other path", "prefix lookalike",
            "no slash after", "no path", "dot-dot", "%2e%2e", "%2E%2E", "encoded slashes"])
    def test_a_url_not_at_alexas_place_is_refused_before_any_fetch(self, ca, verifier, fetch, url, reason):
        """The URL is refused with its reason, and nothing is fetched, even where a valid chain is served."""
        fetch.chains[url] = ca.chain_pem()
        body = encode(launch())
        assert reason in refusal(verifier, ca.headers(body, url=url), body, launch())
        assert fetch.calls == []

    @pytest.mark.parametrize("value", [None, "", "   "], ids=["absent", "empty", "blank"])
    def test_a_missing_url_is_refused(self, verifier, request_parts, fetch, value):
        """Without SignatureCertChainUrl nothing can be checked, so nothing passes."""
        headers, body, envelope = request_parts
        headers = {k: v for k, v in headers.items() if k != "SignatureCertChainUrl"}
        if value is not None:
            headers["SignatureCertChainUrl"] = value
        assert refusal(verifier, headers, body, envelope) == "SignatureCertChainUrl header is missing"
        assert fetch.calls == []

    @given(st.text(max_size=80) | st.text(max_size=40).map(lambda tail: f"https://s3.amazonaws.com/echo.api/{tail}"))
    def test_any_text_is_accepted_or_refused_but_never_crashes(self, url):
        """Whatever the header holds, the URL check either passes or raises VerificationError."""
        with contextlib.suppress(VerificationError):
            check_cert_url(url)


class TestCertificateChain:
    @pytest.mark.parametrize(("variant", "reason"), [
        ({"expired": True}, "certificate expired at"),
        ({"not_yet_valid": True}, "certificate is not valid before"),
        ({"san": "evil.example"}, "certificate is not for echo-api.amazon.com"),
        ({"san": "echo-api.amazon.com.evil.example"}, "certificate is not for echo-api.amazon.com"),
        ({"san": None}, "certificate is not for echo-api.amazon.com"),
        ({"untrusted": True}, "does not lead to a trusted root"),
        ({"with_intermediate": False}, "does not lead to a trusted root"),
    ], ids=["expired", "not yet valid", "other SAN", "lookalike SAN", "no SAN", "untrusted root",
            "missing intermediate"])
    def test_a_bad_chain_is_refused(self, ca, verifier, fetch, request_parts, variant, reason):
        """A chain that is out of date, for another name, or not anchored in a trusted root is refused."""
        fetch.chains[URL] = ca.chain_pem(**variant)
        assert reason in refusal(verifier, *request_parts)

    def test_a_root_trusted_elsewhere_is_not_trusted_here(self, ca, fetch, clock, request_parts):
        """With certifi's roots, the test CA's otherwise perfect chain is refused."""
        production = Verifier(load_roots(), fetch=fetch, clock=clock)
        assert "trusted root" in refusal(production, *request_parts)

    def test_a_failed_fetch_is_refused(self, verifier, fetch, request_parts):
        """When the chain cannot be fetched, the request is refused, not let through."""
        del fetch.chains[URL]
        assert refusal(verifier, *request_parts) == "could not fetch the certificate chain"

    def test_a_fetchers_own_reason_is_kept(self, ca, clock, request_parts):
        """A VerificationError from the fetcher (e.g. an oversized body) keeps its reason."""
        def oversized(url: str) -> bytes:
            raise VerificationError("certificate chain is larger than 64 KiB")
        verifier = Verifier(ca.roots, fetch=oversized, clock=clock)
        assert refusal(verifier, *request_parts) == "certificate chain is larger than 64 KiB"

    @pytest.mark.parametrize("pem", [
        b"",
        b"<html>Access Denied</html>",
        b"-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ], ids=["empty", "html", "bad base64", "not DER"])
    def test_garbage_instead_of_pem_is_refused(self, verifier, fetch, request_parts, pem):
        """A body that is not a PEM certificate chain is refused."""
        fetch.chains[URL] = pem
        assert refusal(verifier, *request_parts) == "certificate chain is not readable PEM"


class TestSignature:
    def without(self, headers: dict[str, str], name: str) -> dict[str, str]:
        return {k: v for k, v in headers.items() if k != name}

    def test_a_missing_signature_is_refused(self, verifier, request_parts):
        """A request without Signature-256 is refused."""
        headers, body, envelope = request_parts
        reason = refusal(verifier, self.without(headers, "Signature-256"), body, envelope)
        assert reason == "Signature-256 header is missing"

    def test_only_the_old_sha1_signature_is_refused(self, ca, verifier, request_parts):
        """A valid SHA-1 signature in the old Signature header alone is not enough."""
        headers, body, envelope = request_parts
        sha1 = base64.b64encode(ca.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA1())).decode()
        headers = self.without(headers, "Signature-256") | {"Signature": sha1}
        assert refusal(verifier, headers, body, envelope) == "Signature-256 header is missing"

    def test_a_sha1_signature_under_the_new_name_is_refused(self, ca, verifier, request_parts):
        """A SHA-1 signature sent as Signature-256 does not match."""
        headers, body, envelope = request_parts
        headers["Signature-256"] = base64.b64encode(ca.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA1())).decode()
        assert refusal(verifier, headers, body, envelope) == "signature does not match the body"

    @pytest.mark.parametrize("value", ["not base64!", "QUJD\nRA==", "QUJDRA=", "é"],
                             ids=["punctuation", "newline inside", "bad padding", "non-ascii"])
    def test_a_signature_that_is_not_base64_is_refused(self, verifier, request_parts, value):
        """A Signature-256 value that does not decode is refused."""
        headers, body, envelope = request_parts
        headers["Signature-256"] = value
        assert refusal(verifier, headers, body, envelope) == "Signature-256 header is not base64"

    def test_a_signature_over_another_body_is_refused(self, ca, verifier):
        """A signature taken from one request does not cover a different body."""
        signed, sent = launch(), launch(kind="SessionEndedRequest")
        headers = ca.headers(encode(signed))
        assert refusal(verifier, headers, encode(sent), sent) == "signature does not match the body"

    def test_a_body_changed_by_one_byte_is_refused(self, verifier, request_parts):
        """Whitespace added to the body after signing breaks the signature."""
        headers, body, envelope = request_parts
        assert refusal(verifier, headers, body + b" ", envelope) == "signature does not match the body"

    def test_a_signature_by_another_key_is_refused(self, ca, verifier, request_parts):
        """A body signed by a key other than the leaf's is refused."""
        _, body, envelope = request_parts
        headers = ca.headers(body, key=ca.other_key)
        assert refusal(verifier, headers, body, envelope) == "signature does not match the body"

    def test_a_truncated_signature_is_refused(self, verifier, request_parts):
        """A signature cut short is refused rather than crashing."""
        headers, body, envelope = request_parts
        headers["Signature-256"] = headers["Signature-256"][:64]
        assert refusal(verifier, headers, body, envelope) == "signature does not match the body"


class TestTimestamp:
    @pytest.mark.parametrize(("age", "kind"), [
        (0, "LaunchRequest"), (150, "IntentRequest"), (-150, "LaunchRequest"),
        (3000, "AlexaSkillEvent.SkillEnabled"), (-3000, "AlexaSkillEvent.SkillPermissionAccepted"),
        (3600, "AlexaSkillEvent.SkillDisabled"),
    ])
    def test_a_timestamp_within_tolerance_passes(self, ca, verifier, age, kind):
        """Within 150 s either way (3,600 s for AlexaSkillEvent.*) the request passes."""
        envelope = launch(timestamp=stamp(-age), kind=kind)
        body = encode(envelope)
        verifier.verify(ca.headers(body), body, envelope)

    @pytest.mark.parametrize(("age", "kind", "reason"), [
        (151, "LaunchRequest", "request timestamp is 151 s old (limit 150 s)"),
        (-151, "LaunchRequest", "request timestamp is 151 s in the future (limit 150 s)"),
        (212, "IntentRequest", "request timestamp is 212 s old (limit 150 s)"),
        (3000, "IntentRequest", "request timestamp is 3000 s old (limit 150 s)"),
        (3000, "Alexa.Presentation.APL.UserEvent", "request timestamp is 3000 s old (limit 150 s)"),
        (3700, "AlexaSkillEvent.SkillEnabled", "request timestamp is 3700 s old (limit 3600 s)"),
        (-3700, "AlexaSkillEvent.SkillEnabled", "request timestamp is 3700 s in the future (limit 3600 s)"),
    ])
    def test_a_stale_or_future_timestamp_is_refused(self, ca, verifier, age, kind, reason):
        """A genuinely signed request outside the tolerance is refused: it may be a replay."""
        envelope = launch(timestamp=stamp(-age), kind=kind)
        body = encode(envelope)
        assert refusal(verifier, ca.headers(body), body, envelope) == reason

    @pytest.mark.parametrize(("timestamp", "reason"), [
        (None, "request timestamp is missing"),
        ("", "request timestamp is missing"),
        ("yesterday", "request timestamp is not an ISO-8601 time"),
        ("2026-13-45T10:00:00Z", "request timestamp is not an ISO-8601 time"),
        (1795428000, "request timestamp is not an ISO-8601 time"),
        ("2026-11-23T10:00:00+25:00", "request timestamp is not an ISO-8601 time"),
    ], ids=["absent", "empty", "words", "impossible date", "a number", "impossible offset"])
    def test_a_missing_or_unreadable_timestamp_is_refused(self, ca, verifier, timestamp, reason):
        """Without a readable timestamp freshness cannot be shown, so the request is refused."""
        envelope = launch(timestamp=timestamp)
        body = encode(envelope)
        assert refusal(verifier, ca.headers(body), body, envelope) == reason

    @pytest.mark.parametrize("timestamp", ["2026-11-23T11:00:30+01:00", "2026-11-23T10:00:00.123Z",
                                           "2026-11-23T10:00:00"], ids=["offset", "fraction", "no zone (UTC)"])
    def test_other_iso_spellings_of_now_pass(self, ca, verifier, timestamp):
        """An offset, fractions of a second, or no zone at all (read as UTC) are understood."""
        envelope = launch(timestamp=timestamp)
        body = encode(envelope)
        verifier.verify(ca.headers(body), body, envelope)

    @given(st.text(max_size=40))
    def test_any_timestamp_text_is_accepted_or_refused_but_never_crashes(self, text):
        """Whatever the timestamp holds, the check either passes or raises VerificationError."""
        with contextlib.suppress(VerificationError):
            verify._check_timestamp({"request": {"timestamp": text}}, testca.NOW.timestamp())


class TestSkillId:
    @pytest.mark.parametrize(("envelope", "configured"), [
        (launch(), SKILL_ID),
        (launch(in_context=False), SKILL_ID),
        (launch(in_session=False), SKILL_ID),
        (launch(skill_id="amzn1.ask.skill.other"), ""),
        (launch(skill_id=None), ""),
    ], ids=["both places", "session only", "context only", "any id when unset", "no id when unset"])
    def test_a_matching_or_unchecked_id_passes(self, envelope, configured):
        """The configured skill id is found in context or session; an empty setting accepts any request."""
        check_skill_id(envelope, configured)

    @pytest.mark.parametrize(("envelope", "reason"), [
        (launch(skill_id="amzn1.ask.skill.other"), "the request is for another skill id"),
        (launch(skill_id=None), "the request carries no skill id"),
        (launch(in_context=False, in_session=False), "the request carries no skill id"),
        ({"request": {}, "context": {"System": {"application": "amzn1.ask.skill"}}}, "the request carries no skill id"),
    ], ids=["other skill", "no id", "no context or session", "malformed context"])
    def test_another_or_missing_id_is_refused(self, envelope, reason):
        """When a skill id is configured, a request for another skill, or for none, is refused."""
        with pytest.raises(VerificationError, match=f"^{reason}$"):
            check_skill_id(envelope, SKILL_ID)

    def test_the_context_id_wins_over_the_session_id(self):
        """The id in context.System is the one checked, as Alexa documents it."""
        envelope = launch()
        envelope["session"]["application"] = {"applicationId": "amzn1.ask.skill.other"}
        check_skill_id(envelope, SKILL_ID)
        envelope["context"]["System"]["application"] = {"applicationId": "amzn1.ask.skill.other"}
        with pytest.raises(VerificationError):
            check_skill_id(envelope, SKILL_ID)


class TestChainCache:
    def test_two_requests_fetch_the_chain_once(self, verifier, fetch, request_parts):
        """The validated chain is kept: the second request for the same URL fetches nothing."""
        verifier.verify(*request_parts)
        verifier.verify(*request_parts)
        assert fetch.calls == [URL]

    def test_an_expired_cached_chain_is_fetched_again(self, ca, verifier, fetch, clock):
        """Once the cached leaf lapses by the clock, the URL is fetched again and the new chain used."""
        fetch.chains[URL] = ca.chain_pem(not_after=testca.NOW + timedelta(hours=1))
        for hours in (0, 2):
            clock.now = (testca.NOW + timedelta(hours=hours)).timestamp()
            envelope = launch(timestamp=stamp(hours * 3600))
            body = encode(envelope)
            verifier.verify(ca.headers(body), body, envelope)
            fetch.chains[URL] = ca.chain_pem()  # the renewed certificate Amazon would now serve
        assert fetch.calls == [URL, URL]

    def test_an_expired_cached_chain_that_is_not_renewed_is_refused(self, ca, verifier, fetch, clock):
        """If the URL still serves the lapsed chain after expiry, the request is refused."""
        fetch.chains[URL] = ca.chain_pem(not_after=testca.NOW + timedelta(hours=1))
        envelope = launch()
        body = encode(envelope)
        verifier.verify(ca.headers(body), body, envelope)
        clock.advance(2 * 3600)
        envelope = launch(timestamp=stamp(2 * 3600))
        body = encode(envelope)
        assert "certificate expired at" in refusal(verifier, ca.headers(body), body, envelope)
        assert fetch.calls == [URL, URL]

    def test_a_cached_leaf_is_checked_against_the_clock_on_every_request(self, ca, verifier, fetch, clock):
        """A cached leaf is still refused when the clock is before its start (a clock set back)."""
        envelope = launch()
        body = encode(envelope)
        verifier.verify(ca.headers(body), body, envelope)
        clock.now = (testca.LEAF_NOT_BEFORE - timedelta(hours=1)).timestamp()
        envelope = launch(timestamp=stamp(clock.now - testca.NOW.timestamp()))
        body = encode(envelope)
        assert "certificate is not valid before" in refusal(verifier, ca.headers(body), body, envelope)
        assert fetch.calls == [URL]

    def test_a_failed_fetch_is_not_cached(self, verifier, fetch, request_parts):
        """After a fetch fails, the next request fetches again and can pass."""
        chain = fetch.chains.pop(URL)
        refusal(verifier, *request_parts)
        fetch.chains[URL] = chain
        verifier.verify(*request_parts)
        assert fetch.calls == [URL, URL]

    def test_an_invalid_chain_is_not_cached(self, ca, verifier, fetch, request_parts):
        """A chain that failed validation is not kept; a good one served later is used."""
        fetch.chains[URL] = ca.chain_pem(untrusted=True)
        refusal(verifier, *request_parts)
        fetch.chains[URL] = ca.chain_pem()
        verifier.verify(*request_parts)
        assert fetch.calls == [URL, URL]

    def test_the_cache_is_bounded(self, ca, verifier, fetch):
        """Past CACHE_SIZE URLs the least recently used chain is dropped and fetched again when needed."""
        urls = [f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in range(verify.CACHE_SIZE + 1)]
        pem = ca.chain_pem()
        body = encode(launch())
        for url in urls:
            fetch.chains[url] = pem
            verifier.verify(ca.headers(body, url=url), body, launch())
        verifier.verify(ca.headers(body, url=urls[-1]), body, launch())
        assert fetch.calls == urls
        verifier.verify(ca.headers(body, url=urls[0]), body, launch())
        assert fetch.calls == [*urls, urls[0]]
        assert len(verifier._cache) == verify.CACHE_SIZE

    def test_concurrent_requests_all_pass(self, verifier, fetch, request_parts):
        """Requests verified from many threads at once all pass and share the cache."""
        errors: list[BaseException] = []

        def work() -> None:
            try:
                for _ in range(20):
                    verifier.verify(*request_parts)
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert 1 <= len(fetch.calls) <= len(threads)


class FakeOpener:
    """Stands in for urllib's opener: records what was asked and answers with a fixed body."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.opened: list[tuple[str, float]] = []

    def open(self, url: str, timeout: float) -> io.BytesIO:
        self.opened.append((url, timeout))
        return io.BytesIO(self.body)


class TestFetchChain:
    @pytest.mark.parametrize(("url", "reason"), [
        ("http://s3.amazonaws.com/echo.api/cert.pem", "must use https"),
        ("file:///etc/passwd", "must use https"),
        ("ftp://s3.amazonaws.com/echo.api/cert.pem", "must use https"),
        ("https://169.254.169.254/latest/meta-data/", "must be on s3.amazonaws.com"),
        ("https://s3.amazonaws.com/other-bucket/cert.pem", "path must be under /echo.api/"),
    ], ids=["http", "file", "ftp", "other host", "other path"])
    def test_only_alexas_https_url_is_fetched(self, monkeypatch, url, reason):
        """The default fetcher refuses any URL the verifier would refuse, before touching the network."""
        def no_network(*args: object, **kwargs: object) -> None:
            raise AssertionError("the network was used")
        monkeypatch.setattr(socket, "create_connection", no_network)
        monkeypatch.setattr(verify.urllib.request, "build_opener", no_network)
        with pytest.raises(VerificationError, match=reason):
            fetch_chain(url)

    @pytest.mark.parametrize(("size", "ok"), [(verify.MAX_CHAIN_BYTES, True), (verify.MAX_CHAIN_BYTES + 1, False)],
                             ids=["64 KiB", "one byte more"])
    def test_a_body_over_64_kib_is_refused(self, monkeypatch, size, ok):
        """Up to 64 KiB is returned as fetched, with a 5 s timeout; one byte more is refused."""
        opener = FakeOpener(b"x" * size)
        monkeypatch.setattr(verify.urllib.request, "build_opener", lambda *handlers: opener)
        if ok:
            assert fetch_chain(URL) == b"x" * size
        else:
            with pytest.raises(VerificationError, match="^certificate chain is larger than 64 KiB$"):
                fetch_chain(URL)
        assert opener.opened == [(URL, 5.0)]


class TestLoadRoots:
    def test_certifi_roots_load_by_default(self):
        """With no file, certifi's bundle is read (its serial-0 roots raise no warning)."""
        assert len(load_roots()) > 50

    def test_a_pem_file_of_roots_loads(self, ca, tmp_path):
        """A PEM file holding the test root gives exactly that root."""
        path = tmp_path / "roots.pem"
        path.write_bytes(testca.pem(ca.root))
        assert load_roots(path) == [ca.root]

    @pytest.mark.parametrize("content", [None, b"", b"not a certificate\n"], ids=["no file", "empty", "no PEM"])
    def test_a_roots_file_with_no_certificate_is_a_config_error(self, tmp_path, content):
        """A roots setting that gives no certificate is a ConfigError, not an empty trust store."""
        path = tmp_path / "roots.pem"
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(ConfigError, match="roots.pem"):
            load_roots(path)


class TestReasons:
    @pytest.mark.parametrize("breakage", ["url", "signature", "body", "timestamp", "chain"])
    def test_a_reason_never_quotes_the_body(self, ca, verifier, fetch, breakage):
        """Whatever fails, the reason is a short sentence that carries nothing from the request body."""
        envelope = launch(timestamp=stamp(-999) if breakage == "timestamp" else stamp())
        envelope["request"]["note"] = MARKER
        body = encode(envelope)
        headers = ca.headers(body, url=f"https://s3.amazonaws.com/{MARKER}" if breakage == "url" else URL)
        if breakage == "signature":
            headers["Signature-256"] = MARKER
        if breakage == "chain":
            fetch.chains[URL] = MARKER.encode()
        sent = body.replace(b"en-US", b"en-GB") if breakage == "body" else body
        reason = refusal(verifier, headers, sent, envelope)
        assert len(reason) < 80 and "\n" not in reason
