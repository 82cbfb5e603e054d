"""The resident chat endpoint: Rasa's REST channel shapes, with redaction, limits and a transcript."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import Field, validator
from sqlalchemy.orm import Session

from bot.catalogue import gateway_catalogue_or_none
from bot.chat_services import ChatServices, get_chat_services
from bot.conversation_ids import acceptable, issue
from bot.crisis_notice import RefusedMessage
from bot.crisis_replies import crisis_replies_for_refused
from bot.db import get_session
from bot.live_chat import relay_resident_message
from bot.outage import answer_without_rasa
from bot.privacy import redact
from bot.rasa_client import RasaUnavailable
from bot.repositories.conversations import add_message, asked_for_callback_phone, remember_phone
from bot.repositories.live_chat import live_case
from bot.schemas import CONVERSATION_ID_PATTERN, NON_BLANK, ResidentError, conversation_id
from bot.text_input import CleanTextModel
from common.languages import LANGUAGES
from common.resident_texts import resident_text

logger = logging.getLogger(__name__)
router = APIRouter(tags=["chat"])



class ChatRequest(CleanTextModel):
    sender: str = Field(
        ...,
        description="a conversation id issued by POST /api/conversations, or a strong one (a UUID)",
        pattern=CONVERSATION_ID_PATTERN,
    )
    message: str = Field(..., pattern=NON_BLANK, description="at most MAX_MESSAGE_CHARS (2000), else a 413")
    metadata: dict[str, Any] | None = None

    _sender_is_an_id = validator("sender", allow_reuse=True)(conversation_id)

    @validator("message")
    def _message_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message is empty")
        return value


class ChatReply(CleanTextModel):
    """One reply, as Rasa's REST channel shapes it (the widget renders ``custom`` cards by their ``type``)."""

    recipient_id: str
    text: str | None = None
    custom: dict[str, Any] | None = Field(None, description="a card: crisis, service, contact question, ...")
    buttons: list[dict[str, Any]] | None = None
    image: str | None = None

    class Config:
        extra = "allow"  # whatever else Rasa's channel sends is passed on as it is


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class NewConversation(CleanTextModel):
    conversation_id: str = Field(..., description="the sender id of every message in this conversation")
    live_secret: str = Field(..., description="sent as X-Live-Secret to the live-chat endpoints")


@router.post("/api/conversations", response_model=NewConversation, status_code=201)
def new_conversation(services: ChatServices = Depends(get_chat_services)) -> NewConversation:
    """A new conversation: an unguessable id this gateway recognises, and the live-chat secret for it.
    Not rate-limited itself: it stores nothing, and the per-address message limit still bounds what many
    ids could be used for."""
    issued = issue(services.conversation_key)
    return NewConversation(conversation_id=issued.conversation_id, live_secret=issued.live_secret)


@router.post(
    "/webhooks/rest/webhook",
    # Documented, not enforced: replies are passed on as Rasa and the outage screening shape them.
    response_model=None,
    responses={
        200: {"model": list[ChatReply], "description": "the replies, a crisis card always first"},
        403: {"model": ResidentError, "description": "a weak or forged conversation id (crisis card too)"},
        413: {"model": ResidentError, "description": "the message is longer than MAX_MESSAGE_CHARS"},
        429: {"model": ResidentError, "description": "too many messages (conversation or address)"},
        503: {"model": ResidentError, "description": "the assistant is down and the message has no crisis"},
    },
)
def chat(
    body: ChatRequest,
    request: Request,
    session: Session = Depends(get_session),
    services: ChatServices = Depends(get_chat_services),
) -> list[dict[str, Any]]:
    settings = services.settings
    lang = (body.metadata or {}).get("lang")
    metadata = {"lang": lang if lang in LANGUAGES else "fi"}
    def refuse(status_code: int, detail: str) -> RefusedMessage:
        # Not stored, not sent on; but an acute signal in it still gets its crisis card.
        catalogue = gateway_catalogue_or_none(settings)
        limit = settings.max_message_chars
        cards = crisis_replies_for_refused(body.message, metadata["lang"], catalogue, limit)
        return RefusedMessage(status_code, detail, cards)

    if not acceptable(services.conversation_key, body.sender):
        # A weak or forged id could be guessed or rotated to escape the per-conversation limit: refused, but
        # an acute signal in the message still gets its crisis card, and the widget resends with a new id.
        raise refuse(403, resident_text("conversation_not_issued", metadata["lang"]))
    if len(body.message) > settings.max_message_chars:
        limit = settings.max_message_chars
        raise refuse(413, resident_text("message_too_long", metadata["lang"], limit=limit))
    if not services.conversation_limiter.allow(body.sender):
        raise refuse(429, resident_text("too_many_in_conversation", metadata["lang"]))
    if not services.client_limiter.allow(_client_address(request)):
        raise refuse(429, resident_text("too_many_from_address", metadata["lang"]))

    redaction = redact(body.message)

    # A typed number is kept (apart from the transcript) only as the answer to the call-back question;
    # anywhere else it is redacted and gone.
    if redaction.phones and asked_for_callback_phone(session, body.sender):
        for phone in redaction.phones:
            remember_phone(session, body.sender, phone)
    # The resident's words are stored before Rasa sees them, so nothing is lost if Rasa is down.
    stored = add_message(session, body.sender, "user", redaction.text)
    session.commit()

    handoff = live_case(session, body.sender)
    if handoff is not None:
        # A worker is (or is about to be) in this conversation: the message is theirs, not Rasa's.
        catalogue = gateway_catalogue_or_none(settings)
        live_replies = relay_resident_message(session, handoff, metadata["lang"], catalogue)
        session.commit()
        return _with_privacy_notice(
            [{"recipient_id": body.sender, **reply} for reply in live_replies], body.sender, redaction.kinds
        )

    try:
        # The stored message's id travels with it: if a Rasa process dies mid-message and another one takes
        # the message again, the case it creates carries the same key (actions.handoff.create_case).
        replies = services.rasa.send(body.sender, redaction.text, {**metadata, "message_id": stored.id})
    except RasaUnavailable as error:
        logger.error("Rasa unavailable for conversation %s: %s", body.sender, error)
        # A crisis never waits on Rasa: the gateway screens the conversation itself (bot.outage).
        outage_replies = answer_without_rasa(
            session, body.sender, metadata["lang"], gateway_catalogue_or_none(settings)
        )
        session.commit()
        if outage_replies is None:
            raise HTTPException(503, resident_text("assistant_unavailable", metadata["lang"])) from error
        return _with_privacy_notice(
            [{"recipient_id": body.sender, **reply} for reply in outage_replies], body.sender, redaction.kinds
        )

    for reply in replies:
        if reply.get("text"):
            add_message(session, body.sender, "bot", reply["text"], kind=_card_type(reply))
    session.commit()
    return _with_privacy_notice(replies, body.sender, redaction.kinds)


def _card_type(reply: dict[str, Any]) -> str | None:
    custom = reply.get("custom")
    kind = custom.get("type") if isinstance(custom, dict) else None
    return kind if isinstance(kind, str) else None


def _with_privacy_notice(replies: list[dict[str, Any]], sender: str, kinds: set[str]) -> list[dict[str, Any]]:
    if kinds:
        # Appended, not prepended: a crisis card must stay the first thing in the reply.
        replies.append({"recipient_id": sender, "text": _privacy_notice(kinds)})
    return replies


def _privacy_notice(kinds: set[str]) -> str:
    if kinds == {"phone"}:
        return "Puhelinnumero on piilotettu keskustelusta; sitä käytetään vain, jos pyydät soittoa."
    return (
        "Poistin viestistäsi henkilötietoja. "
        "Älä kirjoita tähän henkilötunnusta, nimeä tai muita henkilötietoja."
    )
