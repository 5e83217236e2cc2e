"""What a provider event must contain before we store it, and the id that makes it idempotent."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Limits far above anything the providers send (1,600 characters is Twilio's body maximum).
SID_PATTERN = r"^[A-Za-z0-9]+$"


class TwilioInbound(BaseModel):
    model_config = ConfigDict(extra="allow")

    MessageSid: str = Field(min_length=2, max_length=64, pattern=SID_PATTERN)
    From: str = Field(min_length=1, max_length=64)
    To: str = Field(min_length=1, max_length=64)
    Body: str = Field(default="", max_length=1600)


class TwilioStatus(BaseModel):
    model_config = ConfigDict(extra="allow")

    MessageSid: str = Field(min_length=2, max_length=64, pattern=SID_PATTERN)
    MessageStatus: str = Field(min_length=1, max_length=32, pattern=r"^[a-z_]+$")


class MailerSendEvent(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_.]+$")
    data: dict[str, Any]

    @property
    def event_id(self) -> str:
        return str(self.data.get("id") or "")


class InvalidPayload(Exception):
    """A signed request whose content is not an event we understand."""


Model = TypeVar("Model", bound=BaseModel)


def parse(model: type[Model], data: Any) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidPayload(str(error.errors(include_url=False, include_input=False))) from error
