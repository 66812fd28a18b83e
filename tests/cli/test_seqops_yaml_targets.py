"""seqops.yaml -> the target plan/apply talk to: credential references (parsed, read, rotated),
per-target URL, OAuth, safety and overrides, and how `--target` picks one."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from seqops.atomic import WriteError
from seqops.config import (
    DEFAULT_OUTREACH_URL,
    SANDBOX_DB,
    ConfigError,
    Safety,
    Secret,
    SecretRef,
    TargetConfig,
    config_errors,
    embedded_target,
    load_config,
    resolve_target,
    url_target,
)
from seqops.lint import settings as lint_config
from seqops.lint.settings import LintSettings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seqops.yaml"
    path.write_text(textwrap.dedent(text))
    return path


# --- references -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["TOKEN", "env", "vault:X", "env:", "env:   ", "file:", ":X"])
def test_a_reference_without_a_scheme_and_a_target_is_refused(text):
    with pytest.raises(ValueError, match=r"by reference \(env:VAR or file:PATH\), never the value"):
        SecretRef.parse(text)


def test_a_reference_target_is_stripped_and_a_file_is_relative_to_the_base(tmp_path):
    assert SecretRef.parse("env: MY_TOKEN ") == SecretRef("env", "MY_TOKEN")
    assert SecretRef.parse("file: sub/tok ", tmp_path) == SecretRef("file", f"{tmp_path}/sub/tok")
    assert SecretRef.parse("file:/abs/tok", tmp_path) == SecretRef("file", "/abs/tok")
    home = SecretRef.parse("file:~/tok", tmp_path)
    assert home.target == str(Path("~/tok").expanduser())
    assert SecretRef.parse("env:A:B") == SecretRef("env", "A:B")


def test_only_a_file_reference_is_writable():
    assert SecretRef("file", "/x/tok").writable
    assert not SecretRef("env", "TOKEN").writable


def test_a_reference_prints_as_itself_unless_it_could_be_the_token():
    assert str(SecretRef("env", "OUTREACH_TOKEN")) == "env:OUTREACH_TOKEN"
    assert repr(SecretRef("env", "OUTREACH_TOKEN")) == "SecretRef('env:OUTREACH_TOKEN')"
    pasted = SecretRef("env", "eyJhbGciOi.pasted-token-value")
    assert "pasted" not in str(pasted) and "pasted" not in repr(pasted)


def test_an_env_reference_reads_the_stripped_value(monkeypatch):
    monkeypatch.setenv("SEQOPS_T_READ", "  tok-123\n")
    assert SecretRef("env", "SEQOPS_T_READ").read() == Secret("tok-123")


def test_an_empty_env_variable_is_unset(monkeypatch):
    monkeypatch.setenv("SEQOPS_T_EMPTY", "")
    with pytest.raises(ConfigError) as info:
        SecretRef("env", "SEQOPS_T_EMPTY").read()
    assert str(info.value) == (
        "environment variable SEQOPS_T_EMPTY is not set (env:SEQOPS_T_EMPTY)"
    )


def test_a_token_pasted_as_the_variable_name_is_never_repeated(monkeypatch):
    pasted = "eyJhbGciOi.Pasted-Token-0123"
    monkeypatch.delenv(pasted, raising=False)
    with pytest.raises(ConfigError) as info:
        SecretRef.parse(f"env:{pasted}").read()
    message = str(info.value)
    assert pasted not in message
    assert message.startswith("token reference env:… (value hidden) does not name a set")
    assert "write env:VARIABLE_NAME (the variable's name, never the token itself)" in message


def test_a_token_that_cannot_be_sent_is_refused_without_echoing_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SEQOPS_T_SPACE", "tok en-Canary")
    with pytest.raises(ConfigError) as info:
        SecretRef("env", "SEQOPS_T_SPACE").read()
    assert str(info.value) == (
        "the token from env:SEQOPS_T_SPACE contains a space, a control or a non-ASCII "
        "character and cannot be sent: check what was copied"
    )
    (tmp_path / "tok").write_text("caf\u00e9-Canary\n")
    with pytest.raises(ConfigError, match="cannot be sent") as info:
        SecretRef.parse("file:tok", tmp_path).read()
    assert "Canary" not in str(info.value)


def test_an_unreadable_token_file_says_why(tmp_path):
    with pytest.raises(ConfigError) as info:
        SecretRef.parse("file:missing", tmp_path).read()
    assert str(info.value) == f"cannot read file:{tmp_path}/missing: No such file or directory"
    (tmp_path / "binary").write_bytes(b"\xff\xfe\x00token")
    with pytest.raises(ConfigError) as info:
        SecretRef.parse("file:binary", tmp_path).read()
    assert str(info.value) == f"cannot read file:{tmp_path}/binary: not a text file"


def test_writing_a_token_replaces_the_file_and_leaves_no_temporary(tmp_path):
    ref = SecretRef.parse("file:tok", tmp_path)
    (tmp_path / "tok").write_text("old\n")
    ref.write(Secret("new-token"))
    assert ref.read() == Secret("new-token")
    assert (tmp_path / "tok").stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["tok"]


def test_a_failed_token_write_leaves_no_temporary_behind(tmp_path):
    (tmp_path / "tok").mkdir()  # os.replace onto a directory fails
    with pytest.raises(WriteError) as info:
        SecretRef.parse("file:tok", tmp_path).write(Secret("new-token"))
    assert os.listdir(tmp_path) == ["tok"]
    assert str(info.value) == (
        f"{tmp_path / 'tok'}: the rotated token was not saved (is a directory); "
        "the previous file is kept"
    )


# --- targets --------------------------------------------------------------------------------


def test_a_token_file_is_read_next_to_seqops_yaml_not_the_working_directory(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "tok").write_text("project-token\n")
    path = write(project, "targets:\n  prod: {token: 'file:tok'}\n")
    monkeypatch.chdir(tmp_path)
    prod = load_config(path).targets["prod"]
    assert prod.token == SecretRef("file", str(project / "tok"))
    assert prod.token.read() == Secret("project-token")


def test_a_target_without_url_talks_to_outreach_and_loses_a_trailing_slash(tmp_path):
    path = write(
        tmp_path,
        """
        targets:
          prod: {token: env:A}
          eu: {token: env:A, url: "https://eu.test/api/v2///", provider: coefficy}
        """,
    )
    targets = load_config(path).targets
    assert targets["prod"] == TargetConfig(
        "prod", "outreach", DEFAULT_OUTREACH_URL, targets["prod"].token
    )
    assert targets["prod"].provider == "outreach" and targets["prod"].oauth is None
    assert targets["eu"].url == "https://eu.test/api/v2"
    assert targets["eu"].provider == "coefficy"
    assert not targets["eu"].embedded and targets["eu"].overrides == ()


def test_a_target_url_carrying_credentials_is_refused_without_echoing_them(tmp_path):
    path = write(tmp_path, "targets:\n  prod: {token: env:A, url: 'https://me:Tok3n@h.test/'}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith("seqops.yaml: target 'prod': url refused: it carries")
    assert "Tok3n" not in str(info.value)


def test_every_safety_setting_reaches_its_own_threshold(tmp_path):
    path = write(
        tmp_path,
        """
        targets:
          prod:
            token: env:A
            safety:
              disruption: false
              maxChangeFraction: 0.11
              maxStopFraction: 0.22
              maxUpdateFraction: 0.33
              minOwned: 44
        """,
    )
    assert load_config(path).targets["prod"].safety == Safety(
        disruption=False,
        max_change_fraction=0.11,
        min_owned=44,
        max_stop_fraction=0.22,
        max_update_fraction=0.33,
    )


def test_safety_defaults_when_not_configured(tmp_path):
    path = write(tmp_path, "targets:\n  prod: {token: env:A}\n")
    safety = load_config(path).targets["prod"].safety
    assert safety == Safety(True, 0.3, 10, None, None)


def test_oauth_references_and_token_url(tmp_path):
    path = write(
        tmp_path,
        """
        targets:
          implicit:
            url: https://api.h.test:8443/api/v2
            oauth: {clientId: 'env:CID', clientSecret: 'env:CSECRET', refreshToken: 'file:rt'}
          explicit:
            oauth:
              tokenUrl: https://login.h.test/token
              clientId: env:CID
              clientSecret: env:CSECRET
              refreshToken: env:RT
        """,
    )
    targets = load_config(path).targets
    implicit, explicit = targets["implicit"].oauth, targets["explicit"].oauth
    assert implicit is not None and explicit is not None
    assert implicit.token_url == "https://api.h.test:8443/oauth/token"
    assert implicit.client_id == SecretRef("env", "CID")
    assert implicit.client_secret == SecretRef("env", "CSECRET")
    assert implicit.refresh_token == SecretRef("file", str(tmp_path / "rt"))
    assert targets["implicit"].token is None
    assert explicit.token_url == "https://login.h.test/token"
    assert explicit.refresh_token == SecretRef("env", "RT")


def test_an_oauth_reference_holding_a_value_is_refused(tmp_path):
    path = write(
        tmp_path,
        """
        targets:
          prod:
            oauth: {clientId: 'env:CID', clientSecret: 'LiteralSecret99', refreshToken: 'env:R'}
        """,
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "targets.prod.oauth.clientSecret" in str(info.value)
    assert "LiteralSecret99" not in str(info.value)


def test_overrides_know_where_each_of_their_values_is_written(tmp_path):
    path = write(
        tmp_path,
        """
        targets:
          prod:
            token: env:A
            overrides:
              - kind: Sequence
                name: onboarding
                labels: {team: sales}
                spec:
                  owner: a@x.test
                  steps:
                    - {wait: 1d}
              - {state: absent, name: old-one}
        """,
    )
    first, second = load_config(path).targets["prod"].overrides
    assert (first.kind, first.name, dict(first.labels), first.state) == (
        "Sequence",
        "onboarding",
        {"team": "sales"},
        None,
    )
    assert first.spec == {"owner": "a@x.test", "steps": [{"wait": "1d"}]}
    assert first.where == f"{path}:6:9"
    assert first.values == {
        ("owner",): f"{path}:10:18",
        ("steps",): f"{path}:11:11",
        ("steps", 0): f"{path}:12:15",
        ("steps", 0, "wait"): f"{path}:12:22",
    }
    assert (second.kind, second.name, second.state, dict(second.spec)) == (
        None,
        "old-one",
        "absent",
        {},
    )
    assert second.where == f"{path}:13:9" and second.values == {}


def test_an_override_that_changes_nothing_is_refused(tmp_path):
    path = write(tmp_path, "targets:\n  prod:\n    token: env:A\n    overrides: [{name: x}]\n")
    with pytest.raises(ConfigError, match="an override needs a `spec` to merge"):
        load_config(path)


def test_lint_settings_come_from_seqops_yaml_or_default(tmp_path):
    assert lint_config.load(tmp_path / "seqops.yaml").blockApply is True
    path = write(tmp_path, "lint: {blockApply: false}\n")
    assert lint_config.load(path).blockApply is False
    section = load_config(path, {"lint": LintSettings}).sections["lint"]
    assert isinstance(section, LintSettings) and section.blockApply is False
    assert load_config(path).sections == {}  # config alone knows no lint
    assert load_config(path).targets == {} and load_config(path).default is None


def test_a_dangling_seqops_yaml_link_is_an_error_not_absent(tmp_path):
    assert config_errors(tmp_path / "seqops.yaml") == []
    (tmp_path / "seqops.yaml").symlink_to(tmp_path / "gone.yaml")
    assert len(config_errors(tmp_path / "seqops.yaml")) == 1
    with pytest.raises(ConfigError):
        lint_config.load(tmp_path / "seqops.yaml")


def test_config_errors_lists_every_problem_located(tmp_path):
    path = write(tmp_path, "default: qa\ntargets:\n  prod: {tokn: env:A}\n")
    errors = [str(e) for e in config_errors(path)]
    assert errors == [
        f"{path}:1:10: default: unknown target 'qa' (defined: prod)",
        f"{path}:3:10: targets.prod.tokn: unknown key 'tokn' (did you mean 'token'?)",
    ]


def test_the_lint_section_is_checked_with_the_rest_of_the_file(tmp_path):
    text = "targets:\n  prod: {tokn: env:A}\nlint:\n  rules: {content/subject-lenght: off}\n"
    path = write(tmp_path, text)
    errors = [str(e) for e in config_errors(path, {"lint": LintSettings})]
    assert len(errors) == 2
    assert errors[0].startswith(f"{path}:2:10: targets.prod.tokn: unknown key 'tokn'")
    assert errors[1].startswith(f"{path}:4:")
    assert "unknown rule 'content/subject-lenght'" in errors[1]
    assert "did you mean 'content/subject-length'" in errors[1]
    with pytest.raises(ConfigError) as raised:
        lint_config.load(path)
    assert str(raised.value).splitlines() == errors


# --- --target -------------------------------------------------------------------------------


def test_how_plans_name_each_kind_of_target():
    embedded = embedded_target(Path("x/db.sqlite"))
    assert embedded.description == (
        "embedded sandbox (x/db.sqlite): a local emulator, not a real Outreach account"
    )
    url = TargetConfig(name="https://h.test/api", url="https://h.test/api")
    assert url.description == "outreach https://h.test/api"
    named = TargetConfig(name="prod", provider="coefficy", url="https://h.test/api")
    assert named.description == "prod (coefficy https://h.test/api)"


def test_the_embedded_target_is_the_local_sandbox_database():
    target = embedded_target()
    assert (target.name, target.embedded, target.sandbox_db) == ("sandbox", True, SANDBOX_DB)
    assert target.url is None and target.token is None


def test_a_url_target_uses_seqops_token_and_drops_a_trailing_slash(monkeypatch):
    monkeypatch.setenv("SEQOPS_TOKEN", "tok-abc")
    target = url_target("https://h.test/api/v2/")
    assert (target.name, target.url) == ("https://h.test/api/v2/", "https://h.test/api/v2")
    assert target.token == SecretRef("env", "SEQOPS_TOKEN")
    assert target.provider == "outreach" and not target.embedded


def test_a_url_target_with_credentials_in_it_is_refused_first(monkeypatch):
    monkeypatch.delenv("SEQOPS_TOKEN", raising=False)
    with pytest.raises(ConfigError) as info:
        url_target("https://me:S3cr3tTok@h.test/api")
    assert str(info.value).startswith("--target URL refused: it carries credentials")
    assert "S3cr3tTok" not in str(info.value)


def test_an_http_target_is_a_url_even_when_seqops_yaml_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SEQOPS_TOKEN", "tok-abc")
    path = write(tmp_path, "default: prod\ntargets:\n  prod: {token: env:A}\n")
    assert resolve_target("http://localhost:9/api", path).url == "http://localhost:9/api"
    assert resolve_target(None, path).name == "prod"
    assert resolve_target("sandbox", path).embedded


def test_a_seqops_yaml_target_named_sandbox_wins_over_the_embedded_one(tmp_path):
    path = write(tmp_path, "targets:\n  sandbox: {token: env:A, url: 'https://s.test'}\n")
    target = resolve_target("sandbox", path)
    assert not target.embedded and target.url == "https://s.test"


def test_an_unknown_target_names_seqops_yaml_and_what_is_defined(tmp_path):
    path = write(tmp_path, "targets:\n  prod: {token: env:A}\n")
    with pytest.raises(ConfigError) as info:
        resolve_target("zzz", path)
    assert str(info.value) == f"{path}: unknown target 'zzz' (defined: prod)"
    missing = tmp_path / "none.yaml"
    with pytest.raises(ConfigError) as info:
        resolve_target("prod", missing)
    assert str(info.value) == (
        f"unknown target 'prod': there is no {missing}; pass an API URL or create {missing}"
    )


def test_a_broken_seqops_yaml_stops_even_a_default_run(tmp_path):
    path = write(tmp_path, "targets:\n  prod: {tokn: env:A}\n")
    with pytest.raises(ConfigError):
        resolve_target(None, path)


@pytest.mark.parametrize("text", ["", "# nothing configured yet\n"])
def test_an_empty_seqops_yaml_configures_nothing_and_is_no_error(tmp_path, text):
    path = write(tmp_path, text)
    assert config_errors(path) == []
    config = load_config(path)
    assert (config.targets, config.default, lint_config.load(path).blockApply) == ({}, None, True)
    assert resolve_target(None, path).embedded
