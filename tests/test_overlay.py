"""Per-target overrides: selection, JSON Merge Patch semantics, errors located in seqops.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqops.config import ConfigError, load_config
from seqops.manifest.models import manifest_adapter
from seqops.overlay import OverlayError, Override, apply_overrides, merge_patch


def res(kind: str, name: str, spec: dict, labels: dict | None = None):
    metadata = {"name": name, "labels": labels or {}}
    data = {"apiVersion": "seqops/v1", "kind": kind, "metadata": metadata, "spec": spec}
    return manifest_adapter.validate_python(data)


CALL = {"type": "call", "wait": "1d"}
MANIFESTS = [
    res("Sequence", "intro-inbound", {"steps": [CALL], "owner": "a@x.test"}, {"team": "sdr"}),
    res("Sequence", "intro-outbound", {"steps": [CALL]}, {"team": "ae"}),
    res("Sequence", "renewal", {"steps": [CALL], "throttleMaxAddsPerDay": 10}),
    res("Template", "intro-mail", {"subject": "Hi"}),
]


def test_merge_patch_merges_mappings_replaces_the_rest_and_null_removes():
    target = {"a": 1, "b": {"c": 2, "d": 3}, "steps": [1, 2]}
    patch = {"b": {"c": 9, "d": None}, "steps": [7], "e": "new", "a": None}
    assert merge_patch(target, patch) == {"b": {"c": 9}, "steps": [7], "e": "new"}
    assert target == {"a": 1, "b": {"c": 2, "d": 3}, "steps": [1, 2]}  # untouched


def test_overrides_select_by_kind_name_glob_and_labels_and_apply_in_order():
    overrides = [
        Override({"owner": "ae@x.test"}, kind="Sequence"),
        Override({"owner": "sdr@x.test"}, kind="Sequence", labels={"team": "sdr"}),
        Override({"throttleMaxAddsPerDay": 50}, name="intro-*", kind="Sequence"),
        Override({"subject": "Hello"}, name="intro-*", kind="Template"),
    ]
    out = {r.name: r for r in apply_overrides(MANIFESTS, overrides)}
    assert out["intro-inbound"].spec.owner == "sdr@x.test"  # the later override wins
    assert out["intro-outbound"].spec.owner == "ae@x.test"
    assert out["renewal"].spec.owner == "ae@x.test"
    assert out["renewal"].spec.throttleMaxAddsPerDay == 10
    assert out["intro-inbound"].spec.throttleMaxAddsPerDay == 50
    assert out["intro-mail"].spec.subject == "Hello"
    assert out["intro-inbound"].spec.steps == MANIFESTS[0].spec.steps  # the rest is kept


def test_untouched_resources_are_the_same_objects_and_no_overrides_is_a_no_op():
    out = apply_overrides(MANIFESTS, [Override({"subject": "x"}, kind="Template")])
    assert out[:3] == MANIFESTS[:3] and all(
        a is b for a, b in zip(out[:3], MANIFESTS[:3], strict=True)
    )
    assert apply_overrides(MANIFESTS, []) is MANIFESTS


def test_null_unmanages_a_field_and_state_absent_retires_on_this_target_only():
    out = apply_overrides(
        MANIFESTS,
        [Override({"owner": None}, name="intro-inbound"), Override(state="absent", name="renewal")],
    )
    assert out[0].spec.owner is None
    assert out[2].absent and not MANIFESTS[2].absent


def test_an_override_that_matches_nothing_is_an_error_naming_its_line():
    with pytest.raises(OverlayError) as error:
        apply_overrides(
            MANIFESTS, [Override({"owner": "x@x.test"}, name="inbnd-*", where="seqops.yaml:9:7")]
        )
    assert str(error.value) == (
        "seqops.yaml:9:7: override matches no manifest (any kind, name 'inbnd-*')"
    )


def test_an_override_that_makes_a_manifest_invalid_is_reported_at_the_override():
    bad = [
        Override({"throttleMaxAddsPerDay": -1}, name="renewal", where="seqops.yaml:12:9"),
        Override({"ruleset": "nope"}, name="intro-outbound", where="seqops.yaml:14:9"),
        Override(
            {"steps": [{"type": "call", "date": "2030-01-01"}]},
            name="intro-inbound",
            where="seqops.yaml:16:9",
        ),
    ]
    with pytest.raises(OverlayError) as error:
        apply_overrides(MANIFESTS, bad)
    lines = str(error.value).splitlines()
    assert any(
        line.startswith("seqops.yaml:12:9: Sequence/renewal: spec.throttleMaxAddsPerDay:")
        for line in lines
    )
    assert any(
        line.startswith("seqops.yaml:14:9: Sequence/intro-outbound:")
        and "no Ruleset named 'nope'" in line
        for line in lines
    )
    assert any(line.startswith("seqops.yaml:16:9: Sequence/intro-inbound:") for line in lines)
    assert all(line.endswith("(after overrides)") for line in lines)


CONFIG = """\
targets:
  production:
    url: https://api.outreach.io/api/v2
    token: env:OUTREACH_TOKEN
    overrides:
      - kind: Sequence
        spec:
          owner: ae@acme.test
          throttleMaxAddsPerDay: 50
      - kind: Template
        name: "intro-*"
        spec: {trackLinks: false}
"""


def test_seqops_yaml_overrides_are_parsed_with_their_positions(tmp_path: Path):
    (tmp_path / "seqops.yaml").write_text(CONFIG)
    target = load_config(tmp_path / "seqops.yaml").targets["production"]
    first, second = target.overrides
    file = tmp_path / "seqops.yaml"
    assert first == Override(
        {"owner": "ae@acme.test", "throttleMaxAddsPerDay": 50},
        kind="Sequence",
        where=f"{file}:6:9",
        values={("owner",): f"{file}:8:18", ("throttleMaxAddsPerDay",): f"{file}:9:34"},
    )
    assert (second.kind, second.name, dict(second.spec)) == (
        "Template",
        "intro-*",
        {"trackLinks": False},
    )
    assert type(first.spec["owner"]) is str and type(first.spec) is dict
    out = apply_overrides(MANIFESTS, target.overrides)
    assert {r.spec.owner for r in out if r.kind == "Sequence"} == {"ae@acme.test"}


def test_a_malformed_override_is_a_located_config_error(tmp_path: Path):
    text = CONFIG.replace("      - kind: Template\n", "      - kind: Templat\n").replace(
        "spec: {trackLinks: false}", "spec: {trackLinks: false}\n      - name: x"
    )
    (tmp_path / "seqops.yaml").write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / "seqops.yaml")
    message = str(error.value)
    assert ":10:15: targets.production.overrides[2].kind: 'Templat' is not one of" in message
    assert "(did you mean 'Template'?)" in message
    assert ":13:9: targets.production.overrides[3]: an override needs a `spec`" in message


def test_an_override_that_breaks_a_manifest_is_blamed_at_the_value_it_sets(tmp_path: Path):
    """Not at the override's first line: at the bad value, of the override that sets it."""
    text = CONFIG.replace("throttleMaxAddsPerDay: 50", "throttleMaxAddsPerDay: -1").replace(
        "      - kind: Template\n",
        "      - kind: Sequence\n        spec: {description: x}\n      - kind: Template\n",
    )
    (tmp_path / "seqops.yaml").write_text(text)
    target = load_config(tmp_path / "seqops.yaml").targets["production"]
    with pytest.raises(OverlayError) as error:
        apply_overrides(MANIFESTS, target.overrides)
    lines = [line for line in str(error.value).splitlines() if "throttleMaxAddsPerDay" in line]
    assert lines and all(
        line.startswith(f"{tmp_path / 'seqops.yaml'}:9:34: Sequence/")
        and line.endswith("spec.throttleMaxAddsPerDay: must be at least 0 (after overrides)")
        for line in lines
    )
