"""What every manifest kind shares: the Kubernetes-shaped envelope and common field types."""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from seqops.manifest.durations import ACCEPTED, PATTERN, parse_duration

API_VERSION = "seqops/v1"
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Name = Annotated[str, Field(pattern=NAME_PATTERN, max_length=200)]
"""A manifest key (metadata.name, and references to other manifests)."""

Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            # One node, no anyOf: yaml-language-server shows a node's own errorMessage, but
            # for an anyOf it shows "Incorrect type. Expected integer | null" (checked with
            # yaml-language-server 1.25). `minimum` applies to numbers, `pattern` to strings.
            "type": ["integer", "string"],
            "minimum": 0,
            "pattern": PATTERN,
            "description": "Seconds, or a number with a unit: 0, 90m, 2d, 1w.",
            "errorMessage": f"Not a duration: {ACCEPTED}.",
        }
    ),
]
"""A duration in seconds, written `0`, `90m`, `2d` or `1w` in manifests."""

ShareType = Literal["private", "read_only", "shared"]


class Model(BaseModel):
    """Manifest objects reject unknown keys: a typo must never silently unmanage a field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Metadata(Model):
    name: Name = Field(
        description="The stable key, unique per kind: lowercase letters, digits and '-'."
    )
    labels: dict[str, str] = Field(default_factory=dict, description="Free-form labels.")
    id: int | None = Field(
        default=None, ge=1, description="Pins the live object (written by export when ambiguous)."
    )


class Resource(Model):
    """The envelope. Subclasses narrow `kind` and give `spec` its type."""

    apiVersion: Literal["seqops/v1"] = Field(description="seqops/v1 for every seqops manifest.")
    kind: str
    metadata: Metadata = Field(description="The manifest's key (name), labels and pinned id.")
    state: Literal["present", "absent"] = Field(
        default="present", description="absent retires the live object (disables it)."
    )

    @property
    def key(self) -> tuple[str, str]:
        """Identity inside a manifest set: (kind, metadata.name)."""
        return (self.kind, self.metadata.name)

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def absent(self) -> bool:
        return self.state == "absent"
