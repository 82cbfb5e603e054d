"""Conversation ids issued by the gateway, and the live-chat secret that goes with each.

An id is 128 random bits plus a MAC under the gateway's key (``c.<nonce>.<tag>``), so the gateway recognises
its own ids without storing them and refuses any other (a weak ``42``, a guessed or rotated id): a rate limit
on the id can no longer be escaped by making ids up. The live-chat secret is a second MAC of the id, handed
to the widget once; the live-chat endpoints require it, so knowing an id (it appears in a worker's case view
and in logs) is not enough to read or end a resident's chat.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

NONCE_BYTES = 16  # 128 bits
_TAG_CHARS = 22  # 128 bits of the MAC, base64url
_ISSUED = re.compile(r"^c\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})\Z")


@dataclass(frozen=True)
class IssuedConversation:
    conversation_id: str
    live_secret: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _mac(key: bytes, purpose: str, value: str) -> str:
    return _b64(hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).digest())


@lru_cache(maxsize=8)
def conversation_key(configured: str, jwt_secret: str) -> bytes:
    """The key: CONVERSATION_KEY (set-up generates one), else derived from the worker-token key, else a key
    for this process only (ids then end with a restart; the widget asks for a new one and resends)."""
    if configured:
        return configured.encode()
    if jwt_secret:
        return hmac.new(jwt_secret.encode(), b"conversation-ids", hashlib.sha256).digest()
    logger.warning("no CONVERSATION_KEY or JWT_SECRET: conversation ids are valid until this process ends")
    return secrets.token_bytes(32)


def issue(key: bytes, random_bytes: bytes | None = None) -> IssuedConversation:
    """A new id; ``random_bytes`` (16) only where a test needs a known id."""
    nonce = _b64(random_bytes if random_bytes is not None else secrets.token_bytes(NONCE_BYTES))
    conversation_id = f"c.{nonce}.{_mac(key, 'id', nonce)[:_TAG_CHARS]}"
    return IssuedConversation(conversation_id, live_secret(key, conversation_id))


def is_issued(key: bytes, conversation_id: str) -> bool:
    match = _ISSUED.match(conversation_id)
    if match is None:
        return False
    expected = _mac(key, "id", match.group(1))[:_TAG_CHARS]
    return hmac.compare_digest(expected, match.group(2))


def live_secret(key: bytes, conversation_id: str) -> str:
    return _mac(key, "live", conversation_id)


def live_secret_valid(key: bytes, conversation_id: str, secret: str | None) -> bool:
    return bool(secret) and hmac.compare_digest(live_secret(key, conversation_id), secret or "")
