"""The `lint:` section of `seqops.yaml`: which rules run, how severe they are, their
parameters, per-path overrides, and whether lint errors block `apply`.

```yaml
lint:
  blockApply: true                # lint errors in a plan make apply refuse (default)
  customFields: [webinar_topic]   # prospect custom fields templates may use: {{webinar_topic}}
  rules:
    hygiene/no-ruleset: off       # off | error | warning | info
    content/subject-length: {severity: error, maxLength: 50}
    compliance/required-text: {text: "Acme Inc., 1 Main St, Springfield"}
  overrides:                      # by file path (glob, as lint prints it): on/off and severity
    - paths: ["legacy/*"]
      rules: {content/insecure-link: off}
```
"""

from __future__ import annotations

import difflib
from fnmatch import fnmatch
from pathlib import Path, PurePath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from seqops.lint.finding import Severity

Level = Literal["off", "error", "warning", "info"]
UNCONFIGURABLE = ("manifest/invalid",)


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f": did you mean {close[0]!r}?" if close else f" (known: {', '.join(choices)})"


def _registry() -> dict[str, Any]:
    from seqops.lint.registry import RULES  # the rules import the models; settings stay light

    return RULES


class RuleSetting(BaseModel):
    """A rule's configuration: `enabled`, `severity` and the rule's own parameters."""

    model_config = ConfigDict(extra="allow")
    enabled: bool | None = None
    severity: Literal["error", "warning", "info"] | None = None

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


Setting = Level | bool | RuleSetting
"""`off`/`false` turns a rule off, `true` on, a level sets its severity, a mapping says more."""


def _check_rules(rules: dict[str, Setting], allow_params: bool) -> dict[str, Setting]:
    registry = _registry()
    for rule_id, setting in rules.items():
        if rule_id not in registry or rule_id in UNCONFIGURABLE:
            choices = [r for r in registry if r not in UNCONFIGURABLE]
            raise ValueError(f"unknown rule {rule_id!r}{_did_you_mean(rule_id, choices)}")
        if not isinstance(setting, RuleSetting):
            continue
        known = registry[rule_id].params
        for name, value in setting.parameters.items():
            if name not in known:
                choices = ["enabled", "severity", *known]
                raise ValueError(
                    f"{rule_id}: unknown parameter {name!r}{_did_you_mean(name, choices)}"
                )
            if not allow_params:
                raise ValueError(f"{rule_id}: overrides set only enabled/severity, not {name!r}")
            _check_type(rule_id, name, value, known[name])
    return rules


def _check_type(rule_id: str, name: str, value: Any, default: Any) -> None:
    if isinstance(default, list):
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    else:
        ok = isinstance(value, type(default))
    if not ok:
        expected = "text or a list of texts" if isinstance(default, list) else "a positive number"
        raise ValueError(f"{rule_id}: {name} must be {expected}, not {value!r}")


class LintOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(min_length=1)
    rules: dict[str, Setting]

    @field_validator("rules")
    @classmethod
    def _rules(cls, rules: dict[str, Setting]) -> dict[str, Setting]:
        return _check_rules(rules, allow_params=False)


class LintSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    blockApply: bool = True
    customFields: list[str] = Field(default_factory=list)
    rules: dict[str, Setting] = Field(default_factory=dict)
    overrides: list[LintOverride] = Field(default_factory=list)

    @field_validator("rules")
    @classmethod
    def _rules(cls, rules: dict[str, Setting]) -> dict[str, Setting]:
        return _check_rules(rules, allow_params=True)

    @model_validator(mode="after")
    def _fields(self) -> LintSettings:
        for name in self.customFields:
            if not name or "{" in name or " " in name:
                raise ValueError(
                    f"customFields: {name!r} is not a merge-field name (e.g. webinar_topic)"
                )
        return self

    def params(self, rule_id: str) -> dict[str, Any]:
        defaults = dict(_registry()[rule_id].params)
        setting = self.rules.get(rule_id)
        if isinstance(setting, RuleSetting):
            defaults.update(setting.parameters)
        return defaults

    def severity(self, rule_id: str, file: str) -> Severity | None:
        """The rule's severity in `file`, or None where it is off."""
        rule = _registry()[rule_id]
        level: Severity | None = rule.severity if rule.default_enabled else None
        level = _apply(level, self.rules.get(rule_id), rule.severity)
        for override in self.overrides:
            if rule_id in override.rules and _matches(file, override.paths):
                level = _apply(level, override.rules[rule_id], rule.severity)
        return level

    def may_run(self, rule_id: str) -> bool:
        """Whether the rule is on anywhere (so it must be checked at all)."""
        rule = _registry()[rule_id]
        default = rule.severity if rule.default_enabled else None
        if _apply(default, self.rules.get(rule_id), rule.severity) is not None:
            return True
        return any(
            _apply(None, o.rules[rule_id], rule.severity) is not None
            for o in self.overrides
            if rule_id in o.rules
        )


def _matches(file: str, globs: list[str]) -> bool:
    """`legacy/*` matches the path as lint prints it (`*` crosses `/`); `old-*.yaml` also
    matches a file name wherever it is (PurePath.match compares from the right)."""
    return any(fnmatch(file, glob) or PurePath(file).match(glob) for glob in globs)


def _apply(level: Severity | None, setting: Setting | None, default: Severity) -> Severity | None:
    if setting is None:
        return level
    if isinstance(setting, bool):
        return (level or default) if setting else None
    if isinstance(setting, str):
        return None if setting == "off" else Severity(setting)
    if setting.enabled is False:
        return None
    if setting.severity is not None:
        return Severity(setting.severity)
    if setting.enabled or setting.parameters:
        return level or default
    return level


def load(path: Path | None = None) -> LintSettings:
    """seqops.yaml's `lint:` section, checked with the rest of the file (defaults without a
    seqops.yaml); raises `seqops.config.ConfigError`. `path`: that seqops.yaml instead of the
    one looked up."""
    # imported here: lint runs on every commit and starts without targets and credentials
    from seqops.config import load_section

    return load_section(path, SECTION, LintSettings)


SECTION = "lint"
"""Its key in seqops.yaml."""
