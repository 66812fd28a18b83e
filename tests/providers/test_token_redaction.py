"""Tokens never reach output or logs: `Secret` hides its value, `redact` scrubs known secrets,
bearer credentials and token-like query parameters, and `RedactingFilter` applies it to every
log record (httpx logs full URLs at INFO)."""

from __future__ import annotations

import logging

import pytest

from seqops import config
from seqops.config import RedactingFilter, Secret, redact, redact_loggers


@pytest.fixture(autouse=True)
def no_secrets_of_other_tests(monkeypatch):
    """Start from no known secrets: another test's `Secret("client")` would scrub that word."""
    monkeypatch.setattr(config, "_KNOWN_SECRETS", set())


def test_a_secret_is_equal_hashable_and_truthy_by_its_value():
    assert Secret("value-one") == Secret("value-one")
    assert Secret("value-one") != Secret("value-two")
    assert Secret("value-one") != "value-one"
    assert hash(Secret("value-one")) == hash(Secret("value-one"))
    assert len({Secret("value-one"), Secret("value-one"), Secret("value-two")}) == 2
    assert Secret("x") and not Secret("")
    assert repr(Secret("value-one")) == "Secret('***')"
    assert str(Secret("value-one")) == "***"
    assert Secret("value-one").reveal() == "value-one"


def test_every_secret_of_four_characters_or_more_is_scrubbed_from_any_text():
    Secret("k9Q2")
    Secret("zz7")
    assert redact("got k9Q2 here") == "got *** here"
    assert redact("zz7 is too short to be a secret") == "zz7 is too short to be a secret"


def test_the_longest_known_secret_is_scrubbed_first():
    Secret("Lp0wLp0w")
    Secret("Lp0wLp0wExtended-tail")
    assert redact("[Lp0wLp0wExtended-tail]") == "[***]"
    assert redact("[Lp0wLp0w]") == "[***]"


@pytest.mark.parametrize(
    "key",
    [
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "secret",
        "password",
        "code",
        "apikey",
        "api_key",
        "Access_Token",
    ],
)
def test_a_token_like_query_parameter_loses_its_value_only(key):
    text = f"GET https://h.test/x?page=2&{key}=v4lue-of-it&size=5 done"
    assert redact(text) == f"GET https://h.test/x?page=2&{key}=***&size=5 done"


def test_a_bearer_credential_is_scrubbed_up_to_the_next_separator():
    assert redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer ***"
    assert redact("bearer q1w2e3, next") == "bearer ***, next"
    assert redact("BEARER q1w2e3; next") == "BEARER ***; next"


def test_text_without_secrets_is_unchanged():
    text = "GET https://h.test/sequences?page[size]=50 200 OK; tokens: 3, codec=utf8"
    assert redact(text) == text


def test_a_word_merely_ending_like_a_parameter_keeps_its_value():
    assert redact("mytoken=visible barcode=visible") == "mytoken=visible barcode=visible"


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, message, args, None)


def test_the_filter_scrubs_a_token_given_as_a_log_argument_and_keeps_the_record():
    entry = record('HTTP Request: GET %s "%s"', "https://h.test/x?access_token=s3cr3t", "200 OK")
    assert RedactingFilter().filter(entry) is True
    assert entry.getMessage() == 'HTTP Request: GET https://h.test/x?access_token=*** "200 OK"'
    assert "s3cr3t" not in entry.msg and entry.args == ()


def test_the_filter_leaves_a_clean_record_and_its_arguments_alone():
    entry = record("page %d of %s", 2, "sequences")
    assert RedactingFilter().filter(entry) is True
    assert entry.msg == "page %d of %s" and entry.args == (2, "sequences")


def test_redacted_loggers_write_no_token_to_a_log(caplog):
    name = "seqops.test.redaction"
    redact_loggers(name)
    redact_loggers(name)
    logger = logging.getLogger(name)
    assert sum(isinstance(f, RedactingFilter) for f in logger.filters) == 1
    secret = Secret("tok-Canary-7731")
    with caplog.at_level(logging.INFO, logger=name):
        logger.info("sent %s with header Bearer %s", "/x?token=abc", secret.reveal())
    assert caplog.messages == ["sent /x?token=*** with header Bearer ***"]
    assert "tok-Canary-7731" not in caplog.text


def test_redact_loggers_covers_every_named_logger():
    names = ("seqops.test.one", "seqops.test.two")
    redact_loggers(*names)
    for name in names:
        assert any(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters)
