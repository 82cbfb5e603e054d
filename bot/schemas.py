"""Request and response bodies of the worker API and the internal API (pydantic v1)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, constr, validator

from bot.models import SEGMENT_NAMES, as_utc
from bot.text_input import CleanTextModel

# \Z, not $: "$" also matches before a trailing newline, which would make "abc\n" a second id for "abc".
CONVERSATION_ID_REGEX = r"^[A-Za-z0-9_.:-]{1,128}\Z"
_CONVERSATION_ID = re.compile(CONVERSATION_ID_REGEX)
# The same rule for the OpenAPI document, in JSON Schema's regex dialect (there "$" is the end of the text and
# "\Z" is not an anchor). Documented only: the validator ``conversation_id`` enforces the rule.
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"

# "Not only spaces", in the document too: with min_length alone it promised that "   " is accepted (stripped
# values are what is checked, so this refuses nothing min_length did not).
NON_BLANK = r"\S"

# Row ids are 64-bit signed integers in SQLite and PostgreSQL: a larger ``after=`` is a 422, not an overflow.
MAX_ROW_ID = 2**63 - 1

Urgency = Literal["acute", "urgent", "normal"]
Status = Literal["new", "claimed", "closed"]


def conversation_id(value: str) -> str:
    if not _CONVERSATION_ID.match(value):
        raise ValueError("conversation_id must be 1-128 characters: letters, digits, _ . : -")
    return value


# The name the models' validators use: inside a model body, "conversation_id" is the field.
_conversation_id_rule = conversation_id


# --- error bodies (bot.crisis_notice, bot.main._validation_error, bot.body_limit) ---------------------


class ErrorResponse(CleanTextModel):
    detail: str


class FieldError(CleanTextModel):
    field: str = Field(..., description="dotted path of the field in the request; '' for the whole body")
    error: str


class ValidationErrorResponse(CleanTextModel):
    detail: list[FieldError]


class CrisisContact(CleanTextModel):
    name: str
    phone: str | None
    hours: str | None


class CrisisNotice(CleanTextModel):
    text: str = Field(..., description="112 and the 24/7 crisis line as one text, in the resident's language")
    contacts: list[CrisisContact]


class ResidentError(ErrorResponse):
    """Every error a resident's endpoint gives carries the crisis contacts."""

    crisis: CrisisNotice
    crisis_cards: list[dict[str, Any]] | None = Field(
        None, description="a refused message (413, 429) with an acute signal: its category's crisis cards"
    )


class ResidentValidationError(ValidationErrorResponse):
    crisis: CrisisNotice


class TokenResponse(CleanTextModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


# --- internal API (action server) -----------------------------------------------------------------


class RiskSignal(CleanTextModel):
    category: constr(strip_whitespace=True, min_length=1, regex=NON_BLANK, max_length=64)
    severity: constr(max_length=16) | None = None
    quote: constr(max_length=2000) = ""


class Contact(CleanTextModel):
    method: constr(strip_whitespace=True, min_length=1, regex=NON_BLANK, max_length=32)

    class Config:
        extra = "allow"

    @validator("*", pre=True)
    def _small_values(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) > 200:
            raise ValueError("contact values are at most 200 characters")
        return value


class HandoffCreate(CleanTextModel):
    conversation_id: str = Field(..., pattern=CONVERSATION_ID_PATTERN)
    urgency: Urgency
    segment: int = Field(..., ge=1, le=4)
    segment_reasons: list[constr(max_length=500)] = Field(default_factory=list, max_items=20)
    risk_signals: list[RiskSignal] = Field(default_factory=list, max_items=50)
    summary: constr(max_length=20000) = ""
    consent: bool
    contact: Contact
    idempotency_key: constr(strip_whitespace=True, min_length=1, max_length=200, regex=NON_BLANK) | None = (
        None
    )

    _check_conversation_id = validator("conversation_id", allow_reuse=True)(_conversation_id_rule)


class HandoffUpdate(CleanTextModel):
    contact: Contact | None = None
    consent: bool | None = None
    # A new, more serious signal later in the conversation: the case is re-assessed (urgency only rises).
    urgency: Urgency | None = None
    segment: int | None = Field(None, ge=1, le=4)
    segment_reasons: list[constr(max_length=500)] | None = Field(None, max_items=20)
    risk_signals: list[RiskSignal] | None = Field(None, max_items=50)
    summary: constr(max_length=20000) | None = None


class FeedbackCreate(CleanTextModel):
    conversation_id: str = Field(..., pattern=CONVERSATION_ID_PATTERN)
    helpful: bool
    topic: constr(strip_whitespace=True, max_length=64) | None = None

    _check_conversation_id = validator("conversation_id", allow_reuse=True)(_conversation_id_rule)


class FeedbackOut(CleanTextModel):
    id: int
    conversation_id: str
    helpful: bool
    topic: str | None
    created_at: datetime


SERVICE_ID_REGEX = r"^[A-Za-z0-9_.-]{1,64}\Z"


class RoutingEventCreate(CleanTextModel):
    """What routing did with one question. The question is redacted again and capped by the gateway; the
    conversation id is only hashed (to link the resident's "Sainko apua?" answer), never stored."""

    conversation_id: str | None = None
    outcome: Literal["answered", "clarified", "nothing"]
    source: Literal["search", "choice", "topic"] = "search"
    question: constr(max_length=2000) = ""
    best_score: float | None = Field(None, ge=-1.0, le=2.0)
    margin: float | None = Field(None, ge=-2.0, le=2.0)
    services: list[constr(regex=SERVICE_ID_REGEX)] = Field(default_factory=list, max_items=10)
    topic: constr(strip_whitespace=True, max_length=64) | None = None
    language: Literal["fi", "sv", "en"] = "fi"

    @validator("conversation_id")
    def _check_conversation_id(cls, value: str | None) -> str | None:
        return None if value is None else conversation_id(value)


class RoutingEventOut(CleanTextModel):
    id: int
    at: datetime
    outcome: str
    question: str


# --- worker API -----------------------------------------------------------------------------------


class NoteCreate(CleanTextModel):
    text: constr(strip_whitespace=True, min_length=1, regex=NON_BLANK, max_length=5000)


class SegmentUpdate(CleanTextModel):
    segment: int = Field(..., ge=1, le=4)


class CloseRequest(CleanTextModel):
    outcome: constr(strip_whitespace=True, min_length=1, regex=NON_BLANK, max_length=2000)


class TranscriptMessage(CleanTextModel):
    id: int | None = None
    role: str
    text: str
    created_at: datetime
    author: str | None = Field(None, description="the worker, for role 'worker'")


class ChatMessageCreate(CleanTextModel):
    text: constr(strip_whitespace=True, min_length=1, regex=NON_BLANK, max_length=2000)


class ChatMessages(CleanTextModel):
    chat_state: Literal["waiting", "active", "ended"] | None
    messages: list[TranscriptMessage]
    last_id: int


class NoteOut(CleanTextModel):
    id: int
    author: str
    text: str
    created_at: datetime


class Case(CleanTextModel):
    id: str
    conversation_id: str
    created_at: datetime
    updated_at: datetime
    status: Status
    urgency: Urgency
    segment: int = Field(..., description="the confirmed segment, else the suggested one")
    segment_name: str
    suggested_segment: int
    segment_confirmed: int | None
    segment_reasons: list[str]
    risk_signals: list[dict[str, Any]]
    summary: str
    consent: bool
    contact: dict[str, Any]
    claimed_by: str | None
    closed_at: datetime | None
    outcome: str | None
    waiting_seconds: int
    chat_state: Literal["waiting", "active", "ended"] | None = Field(
        None, description="live chat with a worker: None when the resident chose another contact method"
    )
    transcript: list[TranscriptMessage]


class CaseDetail(Case):
    notes: list[NoteOut]
    callback_phone: str | None = Field(None, description="only in a worker's case view")


class CreatedCase(Case):
    next_step: str


class AuditEntry(CleanTextModel):
    id: int
    at: datetime
    actor: str
    action: str
    handoff_id: str | None
    detail: dict[str, Any] | None


def case_fields(handoff: Any, transcript: list[Any], now: datetime) -> dict[str, Any]:
    """The contract's case shape from a Handoff row and its transcript rows."""
    segment = handoff.effective_segment
    created = as_utc(handoff.created_at)
    end = as_utc(handoff.closed_at) or now
    return {
        "id": handoff.id,
        "conversation_id": handoff.conversation_id,
        "created_at": created,
        "updated_at": as_utc(handoff.updated_at),
        "status": handoff.status,
        "urgency": handoff.urgency,
        "segment": segment,
        "segment_name": SEGMENT_NAMES[segment],
        "suggested_segment": handoff.segment,
        "segment_confirmed": handoff.segment_confirmed,
        "segment_reasons": list(handoff.segment_reasons or []),
        "risk_signals": list(handoff.risk_signals or []),
        "summary": handoff.summary or "",
        "consent": bool(handoff.consent),
        "contact": dict(handoff.contact or {}),
        "claimed_by": handoff.claimed_by,
        "closed_at": as_utc(handoff.closed_at),
        "outcome": handoff.outcome,
        "waiting_seconds": max(0, int((end - created).total_seconds())),
        "chat_state": handoff.chat_state,
        "transcript": [transcript_message(m) for m in transcript],
    }


def transcript_message(message: Any) -> dict[str, Any]:
    return {
        "id": message.id,
        "role": message.role,
        "text": message.text,
        "created_at": as_utc(message.created_at),
        "author": message.author,
    }
