"""seqops.yaml targets, credential references and their errors."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from seqops.config import (
    ConfigError,
    Safety,
    Secret,
    SecretRef,
    load_config,
    redact,
    resolve_target,
)
from seqops.lint.settings import LintSettings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seqops.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_named_targets_with_token_oauth_and_safety(tmp_path):
    path = write(
        tmp_path,
        """
        default: prod
        targets:
          prod:
            url: https://api.outreach.io/api/v2/
            token: env:OUTREACH_TOKEN
          staging:
            provider: outreach
            url: https://staging.example.test/api/v2
            oauth:
              clientId: env:CID
              clientSecret: file:secrets/client-secret
              refreshToken: file:secrets/refresh
            safety: {disruption: false, maxChangeFraction: 0.5, minOwned: 3}
        """,
    )
    config = load_config(path)
    prod, staging = config.targets["prod"], config.targets["staging"]
    assert config.default == "prod"
    assert prod.url == "https://api.outreach.io/api/v2"
    assert prod.token == SecretRef("env", "OUTREACH_TOKEN")
    assert prod.safety == Safety()
    assert staging.oauth is not None
    assert staging.oauth.token_url == "https://staging.example.test/oauth/token"
    assert staging.oauth.refresh_token == SecretRef("file", str(tmp_path / "secrets/refresh"))
    assert staging.safety == Safety(disruption=False, max_change_fraction=0.5, min_owned=3)
    assert "staging" in staging.description and "staging.example.test" in staging.description


def test_literal_token_is_refused_with_its_location_and_never_echoed(tmp_path):
    path = write(
        tmp_path,
        """
        targets:
          prod:
            url: https://api.outreach.io/api/v2
            token: abcd1234secretvalue
        """,
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}:5:12: targets.prod.token: ")
    assert "env:VAR or file:PATH" in message
    assert "abcd1234secretvalue" not in message
    assert "\n" not in message


def test_every_problem_is_one_located_line(tmp_path):
    path = write(
        tmp_path,
        """
        default: nope
        targets:
          prod:
            url: https://x.test/api/v2
            tokne: env:X
          other:
            provider: hubspot
            token: env:Y
        """,
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).splitlines() == [
        f"{path}:2:10: default: unknown target 'nope' (defined: other, prod)",
        f"{path}:6:5: targets.prod.tokne: unknown key 'tokne' (did you mean 'token'?)",
        f"{path}:8:15: targets.other.provider: 'hubspot' is not one of 'outreach', 'coefficy'",
    ]


def test_a_target_needs_exactly_one_credential(tmp_path):
    path = write(tmp_path, "targets:\n  prod:\n    url: https://x.test/api/v2\n")
    with pytest.raises(ConfigError, match=r":2:3: targets.prod: give exactly one of token"):
        load_config(path)


def test_default_must_name_a_target(tmp_path):
    path = write(tmp_path, "default: nope\ntargets: {}\n")
    with pytest.raises(ConfigError, match=r":1:10: default: unknown target 'nope' \(defined: none"):
        load_config(path)
    path = write(tmp_path, "default: stagin\ntargets:\n  staging: {token: env:X}\n")
    with pytest.raises(ConfigError, match=r"target 'stagin' \(did you mean 'staging'\?\)$"):
        load_config(path)


def test_yaml_syntax_error_is_located(tmp_path):
    path = write(tmp_path, "targets:\n  prod: [unclosed\n")
    with pytest.raises(ConfigError, match=rf"^{path}:\d+:\d+: "):
        load_config(path)


def test_no_config_and_no_target_is_the_embedded_sandbox(tmp_path):
    target = resolve_target(None, tmp_path / "seqops.yaml")
    assert target.embedded
    assert "embedded sandbox" in target.description
    assert "not a real" in target.description


def test_default_target_and_named_lookup(tmp_path):
    path = write(
        tmp_path,
        """
        default: prod
        targets:
          prod: {url: "https://a.test/api/v2", token: "env:A"}
          qa: {url: "https://b.test/api/v2", token: "env:B"}
        """,
    )
    assert resolve_target(None, path).name == "prod"
    assert resolve_target("qa", path).url == "https://b.test/api/v2"
    assert resolve_target("sandbox", path).embedded
    with pytest.raises(ConfigError, match=r"unknown target 'nope' \(defined: prod, qa\)"):
        resolve_target("nope", path)
    with pytest.raises(ConfigError, match=r"unknown target 'prdo' \(did you mean 'prod'\?\)"):
        resolve_target("prdo", path)


def test_config_without_default_means_the_sandbox(tmp_path):
    path = write(tmp_path, "targets:\n  prod: {url: 'https://a.test', token: 'env:A'}\n")
    assert resolve_target(None, path).embedded


def test_url_target_reads_seqops_token(monkeypatch, tmp_path):
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="SEQOPS_TOKEN is not set"):
        resolve_target("https://api.outreach.io/api/v2", tmp_path / "none.yaml")
    monkeypatch.setenv("SEQOPS_TOKEN", "tok-from-env-123")
    target = resolve_target("https://api.outreach.io/api/v2", tmp_path / "none.yaml")
    assert target.token is not None and target.token.read().reveal() == "tok-from-env-123"
    assert not target.embedded


def test_unknown_target_without_config_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match="pass an API URL or create"):
        resolve_target("prod", tmp_path / "seqops.yaml")


def test_secret_refs_read_and_write_files(tmp_path, monkeypatch):
    ref = SecretRef.parse("file:token.txt", tmp_path)
    (tmp_path / "token.txt").write_text("first-token\n")
    assert ref.read().reveal() == "first-token"
    ref.write(Secret("rotated-token"))
    assert (tmp_path / "token.txt").read_text() == "rotated-token\n"
    assert (tmp_path / "token.txt").stat().st_mode & 0o777 == 0o600
    monkeypatch.delenv("NOPE_VAR", raising=False)
    with pytest.raises(ConfigError, match="NOPE_VAR is not set"):
        SecretRef.parse("env:NOPE_VAR").read()
    with pytest.raises(ConfigError, match="cannot read file:"):
        SecretRef.parse("file:missing", tmp_path).read()


def test_secret_never_prints():
    secret = Secret("canary-secret-value")
    for text in (str(secret), repr(secret), f"{secret}", f"{secret!r}", "%s" % secret):  # noqa: UP031 - %-formatting is a leak path too
        assert "canary" not in text
    assert redact("Authorization: Bearer abc.def and canary-secret-value") == (
        "Authorization: Bearer *** and ***"
    )
    assert redact("/x?access_token=zzz&page=2") == "/x?access_token=***&page=2"


def test_stop_and_update_fractions_are_configured_apart(tmp_path):
    from seqops.plan.safety import SafetyThresholds

    path = write(
        tmp_path,
        """
        targets:
          prod:
            token: env:T
            safety: {maxStopFraction: 0.1, maxUpdateFraction: 0.6, minOwned: 4}
          legacy:
            token: env:T
            safety: {maxChangeFraction: 0.5}
        """,
    )
    targets = load_config(path).targets
    prod = SafetyThresholds.from_config(targets["prod"].safety)
    assert (prod.stop_fraction, prod.update_fraction, prod.min_owned) == (0.1, 0.6, 4)
    legacy = SafetyThresholds.from_config(targets["legacy"].safety)
    assert (legacy.stop_fraction, legacy.update_fraction) == (0.5, 0.5)


def test_a_fraction_above_one_is_refused_with_its_location(tmp_path):
    path = write(
        tmp_path, "targets:\n  prod:\n    token: env:T\n    safety: {maxStopFraction: 2}\n"
    )
    with pytest.raises(ConfigError, match=r"seqops.yaml:4:\d+: .*maxStopFraction"):
        load_config(path)


def test_every_error_at_once_in_file_order_with_1_based_positions(tmp_path):
    path = write(
        tmp_path,
        """
        targets:
          prod:
            tokn: env:PROD_TOKEN
            safety: {maxStopFraction: 2, minOwnd: 3}
            overrides:
              - {kind: Sequence, spec: {owner: a@x.test}}
              - {kind: Sequense, spec: {owner: b@x.test}}
          staging:
            provider: outreah
            token: env:STAGING_TOKEN
        lint: {blockAply: false}
        """,
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, {"lint": LintSettings})  # lint's section, as lint asks for it
    assert str(info.value).splitlines() == [
        f"{path}:4:5: targets.prod.tokn: unknown key 'tokn' (did you mean 'token'?)",
        f"{path}:5:31: targets.prod.safety.maxStopFraction: must be at most 1",
        f"{path}:5:34: targets.prod.safety.minOwnd: unknown key 'minOwnd' (did you mean 'minOwned'?)",
        f"{path}:8:16: targets.prod.overrides[2].kind: 'Sequense' is not one of 'Sequence', "
        "'Template', 'Ruleset', 'AutomationRule' (did you mean 'Sequence'?)",
        f"{path}:10:15: targets.staging.provider: 'outreah' is not one of 'outreach', 'coefficy' "
        "(did you mean 'outreach'?)",
        f"{path}:12:8: lint.blockAply: unknown key 'blockAply' (did you mean 'blockApply'?)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("targets: [a, b]\n", ":1:1: targets: must be a mapping"),
        ("targets:\n  a: {token: env:X}\n  a: {token: env:Y}\n", ":3:3: duplicate key 'a'"),
        ("- a\n", ":1:1: must be a mapping"),
        ("targets: {}\n---\ntargets: {}\n", ":3:1: seqops.yaml holds one YAML document"),
        ("targets:\n  prod: {token: env:X, safety: {disruption: maybe}}\n", "true or false"),
    ],
)
def test_malformed_seqops_yaml_is_one_located_line_each(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    [line] = str(info.value).splitlines()
    assert line.startswith(str(path)) and expected in line


def test_a_value_is_never_echoed_even_a_token_where_a_number_goes(tmp_path):
    canary = "tOkCanary0123456789abcdef"
    path = write(
        tmp_path, f"targets:\n  prod:\n    token: env:X\n    safety: {{minOwned: {canary}}}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert canary not in str(info.value)
    assert str(info.value) == f"{path}:4:24: targets.prod.safety.minOwned: must be a whole number"


def test_a_fifo_seqops_yaml_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "seqops.yaml")
    with pytest.raises(ConfigError, match="named pipe"):
        load_config(tmp_path / "seqops.yaml")
