"""Template: an email template that email steps send."""

from typing import Literal

from pydantic import Field

from seqops.manifest.models.base import Model, Resource, ShareType


class TemplateSpec(Model):
    # The OpenAPI description caps template names at 225 characters (sequences: 255).
    displayName: str | None = Field(default=None, min_length=1, max_length=225)
    subject: str | None = None
    bodyHtml: str | None = Field(default=None, max_length=16777215)
    trackOpens: bool | None = None
    trackLinks: bool | None = None
    shareType: ShareType | None = None
    archived: bool | None = None
    tags: list[str] | None = None
    toRecipients: list[str] | None = None
    ccRecipients: list[str] | None = None
    bccRecipients: list[str] | None = None


class Template(Resource):
    kind: Literal["Template"]
    spec: TemplateSpec

    @property
    def display_name(self) -> str:
        return self.spec.displayName or self.metadata.name
