"""Template: an email template that email steps send."""

from typing import Literal

from pydantic import Field

from seqops.manifest.models.base import Model, Resource, ShareType


class TemplateSpec(Model):
    # The OpenAPI description caps template names at 225 characters (sequences: 255).
    displayName: str | None = Field(
        default=None,
        min_length=1,
        max_length=225,
        description="The template's name in Outreach; defaults to metadata.name.",
    )
    subject: str | None = Field(
        default=None, description="The email's subject line; merge fields like {{first_name}}."
    )
    bodyHtml: str | None = Field(
        default=None, max_length=16777215, description="The email's body, as HTML."
    )
    trackOpens: bool | None = Field(default=None, description="Track when the email is opened.")
    trackLinks: bool | None = Field(default=None, description="Track clicks on its links.")
    shareType: ShareType | None = Field(
        default=None, description="Who may use it: private, read_only or shared."
    )
    archived: bool | None = Field(default=None, description="Archived templates are hidden.")
    tags: list[str] | None = Field(
        default=None, description="Tags in Outreach (seqops adds its own ownership tag)."
    )
    toRecipients: list[str] | None = Field(
        default=None, description="Default extra To: addresses ('Name <email>')."
    )
    ccRecipients: list[str] | None = Field(
        default=None, description="Default Cc: addresses ('Name <email>')."
    )
    bccRecipients: list[str] | None = Field(
        default=None, description="Default Bcc: addresses ('Name <email>')."
    )


class Template(Resource):
    kind: Literal["Template"] = Field(description="Template: an email template.")
    spec: TemplateSpec = Field(description="The template as Outreach should have it.")

    @property
    def display_name(self) -> str:
        return self.spec.displayName or self.metadata.name
