"""`seqops.yaml`: named targets, their credentials by reference (token or OAuth), per-target
safety settings and overrides; and the sections other rooms own (`lint:`), which the caller
hands in with the model that checks them (`Sections`), so config knows no room above it. Every
key is described for users in docs/environments.md ("seqops.yaml reference");
`seqops.config_check` locates its errors.

Without `--target` and without a `default`, the target is the embedded sandbox, as it is when
there is no seqops.yaml at all. A URL target reads its bearer token from `SEQOPS_TOKEN`.

seqops.yaml is looked up in the current directory and its parents up to the repository root
(the folder holding `.git`), as pre-commit and ruff find theirs (`Workspace`); the embedded
sandbox's `.seqops/` lives beside the seqops.yaml found, or at the repository root. So a run
from a subfolder plans against the same target as one from the root.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from seqops import config_check, credentials
from seqops.atomic import write_atomic
from seqops.manifest.errors import Finding, ManifestError
from seqops.manifest.yamlnodes import Document
from seqops.overlay import Override
from seqops.workspace import CONFIG_NAME, SANDBOX_DB, Workspace

CONFIG_FILE = Path(CONFIG_NAME)
DEFAULT_OUTREACH_URL = "https://api.outreach.io/api/v2"
TOKEN_ENV = "SEQOPS_TOKEN"
Sections = Mapping[str, type[BaseModel]]
"""Sections of seqops.yaml another room owns, by key, with the model that checks them (`lint`:
`seqops.lint.settings.LintSettings`); checked with the rest of the file, every problem at once."""
M = TypeVar("M", bound=BaseModel)
EMBEDDED = "sandbox"
"""The name of the embedded sandbox target; it need not be declared in seqops.yaml."""


class ConfigError(Exception):
    """seqops.yaml is wrong or a credential is missing; the message is one line per problem."""


# --- secrets --------------------------------------------------------------------------------

_KNOWN_SECRETS: set[str] = set()
_TOKENISH = re.compile(
    r"(?i)\b((?:access_|refresh_|id_)?token|client_secret|secret|password|code|apikey|api_key)"
    r"=[^&\s]+"
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s,;]+")


class Secret:
    """A credential. It prints as `***` everywhere; `reveal()` is the only way to its value.

    Not a str subclass on purpose: f-strings and `format` of a str subclass leak the value.
    Every secret's value is remembered so that `redact` can scrub it from any text.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        if len(value) >= 4:
            _KNOWN_SECRETS.add(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def redact(text: str) -> str:
    """`text` without any known secret, bearer credential or token-like query parameter."""
    for value in sorted(_KNOWN_SECRETS, key=len, reverse=True):
        if value in text:
            text = text.replace(value, "***")
    text = _BEARER.sub(r"\1 ***", text)
    return _TOKENISH.sub(r"\1=***", text)


class RedactingFilter(logging.Filter):
    """Scrubs secrets from every record of the logger it is attached to (httpx logs full URLs
    at INFO; a token in a query string must not reach a log file)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = redact(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True


def redact_loggers(*names: str) -> None:
    """Attach one `RedactingFilter` to each named logger (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())


@dataclass(frozen=True)
class SecretRef:
    """Where a credential lives: `env:VAR` or `file:PATH` (relative to seqops.yaml)."""

    scheme: Literal["env", "file"]
    target: str

    @classmethod
    def parse(cls, text: str, base_dir: Path = Path()) -> SecretRef:
        scheme, sep, target = text.partition(":")
        if not sep or scheme not in ("env", "file") or not target.strip():
            raise ValueError(
                "write credentials by reference (env:VAR or file:PATH), never the value itself"
            )
        if scheme == "file":
            return cls("file", str(base_dir / Path(target.strip()).expanduser()).strip())
        return cls("env", target.strip())

    def read(self) -> Secret:
        """The credential; a ConfigError that never repeats the reference when it could be the
        token itself, nor the value (see `seqops.credentials`)."""
        if self.scheme == "env":
            value = os.environ.get(self.target)
            if not value:
                raise ConfigError(self._unset())
            return self._checked(value.strip())
        try:
            return self._checked(Path(self.target).read_text().strip())
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or "not a text file"
            raise ConfigError(f"cannot read {self}: {why}") from None

    def _unset(self) -> str:
        if str(self).endswith(credentials.HIDDEN):
            return (
                f"token reference {self} does not name a set environment variable: write "
                "env:VARIABLE_NAME (the variable's name, never the token itself)"
            )
        return f"environment variable {self.target} is not set ({self})"

    def _checked(self, value: str) -> Secret:
        if credentials.unsendable_token(value):
            raise ConfigError(
                f"the token from {self} contains a space, a control or a non-ASCII character "
                "and cannot be sent: check what was copied"
            )
        return Secret(value)

    @property
    def writable(self) -> bool:
        return self.scheme == "file"

    def write(self, secret: Secret) -> None:
        """Replace the file's content atomically (`seqops.atomic`), readable by its owner only.
        Raises `WriteError` (which never holds the value) when it cannot be saved."""
        write_atomic(Path(self.target), secret.reveal() + "\n", "the rotated token", mode=0o600)

    def __str__(self) -> str:
        return credentials.shown_reference(self.scheme, self.target)

    def __repr__(self) -> str:
        return f"SecretRef({str(self)!r})"


# --- resolved targets -----------------------------------------------------------------------


@dataclass(frozen=True)
class Safety:
    """Thresholds of the plan's safety rules (DESIGN §4)."""

    disruption: bool = True
    """Changes to sequences with active or paused prospects need --allow-disruption."""
    max_change_fraction: float = 0.3
    """The default of the two fractions below."""
    min_owned: int = 10
    """The fraction rules apply only when at least this many resources are owned (stopping
    every enabled owned sequence always needs --force)."""
    max_stop_fraction: float | None = None
    """Disabling, retiring or deleting more than this share of the enabled owned sequences
    needs --force (None: max_change_fraction)."""
    max_update_fraction: float | None = None
    """Updating more than this share of the owned resources needs --force (None:
    max_change_fraction)."""


@dataclass(frozen=True)
class OAuth:
    token_url: str
    client_id: SecretRef
    client_secret: SecretRef
    refresh_token: SecretRef


@dataclass(frozen=True)
class TargetConfig:
    """Where plan/apply/export/status talk to, and how they authenticate."""

    name: str
    provider: Literal["outreach", "coefficy"] = "outreach"
    url: str | None = None
    token: SecretRef | None = None
    oauth: OAuth | None = None
    safety: Safety = field(default_factory=Safety)
    embedded: bool = False
    """The in-process sandbox stored in `sandbox_db`, not a real account."""
    sandbox_db: Path | None = None
    overrides: tuple[Override, ...] = ()
    """Per-target values merged into the manifests before planning (`seqops.overlay`)."""
    source: str = ""
    """Where the configuration came from, in words (`from ../seqops.yaml`)."""
    page_size: int = 1000
    """The `page[size]` listings start at (smaller when a page fails: see docs/environments.md)."""
    timeout: float = 10.0
    """Seconds one request may take in all (connect, headers and body)."""

    @property
    def description(self) -> str:
        """How plans name the target on their first line, and where its configuration came
        from: run from the wrong folder, the first line says so."""
        return f"{self._what} {self.source}" if self.source else self._what

    @property
    def _what(self) -> str:
        if self.embedded:
            return f"embedded sandbox ({self.sandbox_db}): a local emulator, not a real Outreach account"
        if self.name == self.url:
            return f"{self.provider} {self.url}"
        return f"{self.name} ({self.provider} {self.url})"


def embedded_target(db: Path = SANDBOX_DB) -> TargetConfig:
    return TargetConfig(name=EMBEDDED, embedded=True, sandbox_db=db)


def url_target(url: str) -> TargetConfig:
    if problem := credentials.url_problem(url):
        raise ConfigError(f"--target URL refused: {problem}")
    if not os.environ.get(TOKEN_ENV):
        raise ConfigError(f"{TOKEN_ENV} is not set: a URL target reads its bearer token from it")
    return TargetConfig(name=url, url=url.rstrip("/"), token=SecretRef("env", TOKEN_ENV))


def resolve_target(target: str | None, config_path: Path | None = None) -> TargetConfig:
    """The target `--target` names: a URL, a seqops.yaml name, or (None) the default.
    `config_path`: that seqops.yaml, instead of the one looked up (`Workspace.find`)."""
    if target and urlsplit(target).scheme in ("http", "https"):
        return url_target(target)
    workspace = Workspace.find() if config_path is None else Workspace.of(config_path)
    path = workspace.config_shown
    # exists, not is_file: a seqops.yaml that is a FIFO or a directory is an error, not absent
    config = load_config(path) if path is not None and path.exists() else None
    chosen = _chosen(target, config, workspace)
    source = workspace.source(target) if config_path is None else ""  # else the caller knows
    return dataclasses.replace(chosen, source=source) if source else chosen


def _chosen(target: str | None, config: Config | None, workspace: Workspace) -> TargetConfig:
    if target is None:
        if config is None or config.default is None:
            return embedded_target(workspace.sandbox_db)
        return config.targets[config.default]
    if config is not None and target in config.targets:
        return config.targets[target]
    if target == EMBEDDED:
        return embedded_target(workspace.sandbox_db)
    raise ConfigError(_unknown_target(target, config, workspace.config_shown or CONFIG_FILE))


def _unknown_target(target: str, config: Config | None, path: Path) -> str:
    if config is None:
        return f"unknown target {target!r}: there is no {path}; pass an API URL or create {path}"
    return f"{path}: {config_check.unknown_name('target', target, config.targets)}"


# --- seqops.yaml ----------------------------------------------------------------------------


def _reference(value: str) -> str:
    SecretRef.parse(value)
    return value


Reference = Annotated[str, AfterValidator(_reference)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _OAuthSpec(_Spec):
    tokenUrl: str | None = None
    clientId: Reference
    clientSecret: Reference
    refreshToken: Reference


class _SafetySpec(_Spec):
    disruption: bool = True
    maxChangeFraction: float = Field(default=0.3, ge=0, le=1)
    maxStopFraction: float | None = Field(default=None, ge=0, le=1)
    maxUpdateFraction: float | None = Field(default=None, ge=0, le=1)
    minOwned: int = Field(default=10, ge=0)


class _OverrideSpec(_Spec):
    kind: Literal["Sequence", "Template", "Ruleset", "AutomationRule"] | None = None
    name: str = Field(default="*", min_length=1)
    labels: dict[str, str] = Field(default_factory=dict)
    spec: dict[str, Any] = Field(default_factory=dict)
    state: Literal["present", "absent"] | None = None

    @model_validator(mode="after")
    def _does_something(self) -> _OverrideSpec:
        if not self.spec and self.state is None:
            raise ValueError("an override needs a `spec` to merge (or a `state`)")
        return self


class _TargetSpec(_Spec):
    provider: Literal["outreach", "coefficy"] = "outreach"
    url: str | None = None
    token: Reference | None = None
    oauth: _OAuthSpec | None = None
    safety: _SafetySpec = Field(default_factory=_SafetySpec)
    overrides: list[_OverrideSpec] = Field(default_factory=list)
    pageSize: int = Field(default=1000, ge=100, le=1000)
    timeout: float = Field(default=10.0, gt=0, le=300)

    @model_validator(mode="after")
    def _one_credential(self) -> _TargetSpec:
        if (self.token is None) == (self.oauth is None):
            raise ValueError("give exactly one of token (env:VAR or file:PATH) or oauth")
        return self


class _ConfigSpec(_Spec):
    default: str | None = None
    targets: dict[str, _TargetSpec] = Field(default_factory=dict)
    lint: dict[str, Any] | None = None
    """The lint room's section: its content is checked by the `Sections` model a caller gives."""

    # `default` naming one of the targets is `config_check.rules`: checked even when a target
    # has errors of its own, with a "did you mean".


@dataclass(frozen=True)
class Config:
    targets: dict[str, TargetConfig]
    default: str | None = None
    sections: dict[str, BaseModel] = field(default_factory=dict)
    """The sections asked for (`Sections`), checked by their models."""


def load_config(path: Path = CONFIG_FILE, sections: Sections | None = None) -> Config:
    """Parse and check seqops.yaml (and the `sections` given); every problem at once, one
    `FILE:LINE:COL: message` line each, as manifests are checked (`seqops.config_check`)."""
    document, spec, errors, found = _checked(path, sections or {})
    if errors or spec is None:
        raise ConfigError("\n".join(map(str, errors)))
    base = path.parent
    targets = {
        name: dataclasses.replace(
            _target(name, t, base), overrides=_overrides(path, document, name, t)
        )
        for name, t in spec.targets.items()
    }
    return Config(targets=targets, default=spec.default, sections=found)


def load_section(path: Path | None, name: str, model: type[M]) -> M:
    """seqops.yaml's section `name` checked by `model` with the rest of the file (the model's
    defaults without a seqops.yaml or without the section); raises ConfigError. `path`: that
    seqops.yaml, instead of the one looked up (`Workspace.find`)."""
    path = path or Workspace.find().config_shown
    # exists, not is_file: a seqops.yaml that is a directory is an error, not absent
    if path is None or not (path.exists() or path.is_symlink()):
        return model()
    section = load_config(path, {name: model}).sections[name]
    assert isinstance(section, model)  # validated by `model` in load_config
    return section


def config_errors(
    path: Path | None = None, sections: Sections | None = None
) -> list[ManifestError]:
    """Every problem of seqops.yaml (by default the one looked up) and of the `sections`
    given, located (`seqops validate` reports them with the manifests'); none when there is
    no seqops.yaml."""
    path = path or Workspace.find().config_shown
    if path is None or (not path.exists() and not path.is_symlink()):
        return []
    return _checked(path, sections or {})[2]


def _checked(
    path: Path, sections: Sections
) -> tuple[Document | None, _ConfigSpec | None, list[ManifestError], dict[str, BaseModel]]:
    """The document, its spec, every problem located, and the sections checked by their
    models (each validated once: the value when it holds, its findings when not)."""
    try:
        document = config_check.read(path)
    except config_check.Problems as exc:
        return None, None, exc.errors, {}
    data = document.data if document is not None else {}
    found = list(config_check.rules(data))
    try:
        spec = _ConfigSpec.model_validate(data)
    except ValidationError as exc:
        spec, found = None, config_check.findings(_ConfigSpec, data, exc) + found
    checked: dict[str, BaseModel] = {}
    for name, model in sections.items():
        value, problems = _section(data, name, model)
        found += problems
        if value is not None:
            checked[name] = value
    return document, spec, config_check.locate(path, document, found), checked


def _section(
    data: Any, name: str, model: type[BaseModel]
) -> tuple[BaseModel | None, list[Finding]]:
    """The section checked by `model` (its defaults when absent), or its problems at their
    paths in the whole file; a section that is no mapping is the file's own finding."""
    section = (data.get(name) if isinstance(data, dict) else None) or {}
    if not isinstance(section, dict):
        return None, []
    try:
        return model.model_validate(section), []
    except ValidationError as exc:
        found = config_check.findings(model, section, exc)
        return None, [dataclasses.replace(f, path=(name, *f.path)) for f in found]


def _overrides(
    path: Path, document: Document | None, name: str, spec: _TargetSpec
) -> tuple[Override, ...]:
    """The target's overrides, each knowing the `FILE:LINE:COL` of itself and of every value
    of its `spec`, so that a value that breaks a manifest is blamed where it is written."""
    out = []
    for i, o in enumerate(spec.overrides):
        at = ("targets", name, "overrides", i)

        def where(inside: tuple[str | int, ...], at: tuple[str | int, ...] = at) -> str:
            line, column = document.locate((*at, *inside)) if document else (1, 1)
            return f"{path}:{line}:{column}"

        values = {sub: where(("spec", *sub)) for sub in _paths(o.spec)}
        out.append(Override(o.spec, o.kind, o.name, dict(o.labels), o.state, where(()), values))
    return tuple(out)


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every path inside a plain value, parents before children."""
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _target(name: str, spec: _TargetSpec, base: Path) -> TargetConfig:
    url = (spec.url or DEFAULT_OUTREACH_URL).rstrip("/")
    if problem := credentials.url_problem(url):
        raise ConfigError(f"seqops.yaml: target {name!r}: url refused: {problem}")
    s = spec.safety
    safety = Safety(
        s.disruption, s.maxChangeFraction, s.minOwned, s.maxStopFraction, s.maxUpdateFraction
    )
    token = SecretRef.parse(spec.token, base) if spec.token else None
    oauth = _oauth(spec.oauth, url, base) if spec.oauth else None
    return TargetConfig(
        name,
        spec.provider,
        url,
        token,
        oauth,
        safety,
        page_size=spec.pageSize,
        timeout=spec.timeout,
    )


def _oauth(spec: _OAuthSpec, url: str, base: Path) -> OAuth:
    parts = urlsplit(url)
    token_url = spec.tokenUrl or f"{parts.scheme}://{parts.netloc}/oauth/token"
    refs = (spec.clientId, spec.clientSecret, spec.refreshToken)
    return OAuth(token_url, *(SecretRef.parse(r, base) for r in refs))
