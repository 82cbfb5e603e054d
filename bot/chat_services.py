"""Per-process collaborators of the chat endpoint, created once with the app."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from bot.conversation_ids import conversation_key
from bot.rasa_client import RasaClient
from bot.rate_limit import Limiter, make_limiter
from bot.settings import Settings


@dataclass
class ChatServices:
    settings: Settings
    rasa: RasaClient
    conversation_limiter: Limiter
    client_limiter: Limiter
    conversation_key: bytes  # MAC key of the conversation ids this gateway issues (bot.conversation_ids)

    @classmethod
    def from_settings(cls, settings: Settings) -> ChatServices:
        return cls(
            settings=settings,
            rasa=RasaClient(settings.rasa_url, timeout_s=settings.rasa_timeout_s, token=settings.rasa_token),
            conversation_limiter=make_limiter("conversation", settings.rate_limit_per_conversation,
                                              settings.redis_url, settings.redis_key_prefix),
            client_limiter=make_limiter("client", settings.rate_limit_per_client,
                                        settings.redis_url, settings.redis_key_prefix),
            conversation_key=conversation_key(settings.conversation_key, settings.jwt_secret),
        )


def get_chat_services(request: Request) -> ChatServices:
    return request.app.state.chat_services
