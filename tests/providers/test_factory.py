"""`build_provider`: the embedded sandbox (persisted in .seqops/sandbox.db) and URL targets."""

from __future__ import annotations

import pytest

from seqops.config import ConfigError, embedded_target, resolve_target
from seqops.manifest.models import Template
from seqops.providers.outreach import OAuthRefresh, OutreachProvider, StaticToken
from seqops.targets import build_provider

pytestmark = pytest.mark.anyio


async def test_embedded_sandbox_persists_between_runs(tmp_path):
    target = embedded_target(tmp_path / ".seqops" / "sandbox.db")
    first = build_provider(target)
    assert "embedded sandbox" in first.description
    template = Template.model_validate(
        {"apiVersion": "seqops/v1", "kind": "Template", "metadata": {"name": "kept"}, "spec": {}}
    )
    await first.create_template(template)
    await first.aclose()
    assert (tmp_path / ".seqops" / "sandbox.db").is_file()

    second = build_provider(target)
    state = await second.read()
    await second.aclose()
    assert state.owned("Template", "kept") is not None
    assert state.users, "a new sandbox starts with its reference data"


def test_named_targets_build_their_auth(tmp_path, monkeypatch):
    (tmp_path / "refresh").write_text("r-token\n")
    monkeypatch.setenv("TOKEN_A", "static-a-token")
    monkeypatch.setenv("CID", "client")
    monkeypatch.setenv("CSECRET", "secret-value")
    (tmp_path / "seqops.yaml").write_text(
        "targets:\n"
        "  a: {url: 'https://a.test/api/v2', token: 'env:TOKEN_A'}\n"
        "  b:\n"
        "    url: https://b.test/api/v2\n"
        "    oauth: {clientId: env:CID, clientSecret: env:CSECRET, refreshToken: file:refresh}\n"
    )
    a = build_provider(resolve_target("a", tmp_path / "seqops.yaml"))
    b = build_provider(resolve_target("b", tmp_path / "seqops.yaml"))
    assert isinstance(a, OutreachProvider) and isinstance(a.client.auth, StaticToken)
    assert isinstance(b, OutreachProvider) and isinstance(b.client.auth, OAuthRefresh)
    assert str(a.client.base_url) == "https://a.test/api/v2/"
    assert a.description == "a (outreach https://a.test/api/v2)"


def test_missing_credential_is_reported_when_building(tmp_path, monkeypatch):
    monkeypatch.delenv("TOKEN_GONE", raising=False)
    (tmp_path / "seqops.yaml").write_text(
        "targets:\n  a: {url: 'https://a.test/api/v2', token: 'env:TOKEN_GONE'}\n"
    )
    with pytest.raises(ConfigError, match="environment variable TOKEN_GONE is not set"):
        build_provider(resolve_target("a", tmp_path / "seqops.yaml"))


def test_a_target_sets_its_page_size_and_request_deadline(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKEN_A", "static-a-token")
    (tmp_path / "seqops.yaml").write_text(
        "targets:\n"
        "  slow: {url: 'https://a.test/api/v2', token: 'env:TOKEN_A', pageSize: 250, timeout: 4}\n"
        "  plain: {url: 'https://a.test/api/v2', token: 'env:TOKEN_A'}\n"
    )
    slow = build_provider(resolve_target("slow", tmp_path / "seqops.yaml"))
    plain = build_provider(resolve_target("plain", tmp_path / "seqops.yaml"))
    assert isinstance(slow, OutreachProvider) and isinstance(plain, OutreachProvider)
    assert (slow.client.page_size, slow.client.deadline) == (250, 4)
    assert (plain.client.page_size, plain.client.deadline) == (1000, 10)


def test_a_page_size_outside_the_apis_range_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKEN_A", "static-a-token")
    (tmp_path / "seqops.yaml").write_text(
        "targets:\n  a: {url: 'https://a.test/api/v2', token: 'env:TOKEN_A', pageSize: 5000}\n"
    )
    with pytest.raises(ConfigError, match=r"seqops.yaml:2:\d+: targets.a.pageSize"):
        resolve_target("a", tmp_path / "seqops.yaml")
