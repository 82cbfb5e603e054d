"""Conversation ids issued by the gateway, and the live-chat secret that goes with each.

An id is 128 random bits plus a MAC under the gateway's key (``c.<nonce>.<tag>``), so the gateway recognises
its own ids without storing them. The contract lets any Rasa REST client choose its own sender id, so a client
id is still accepted when it is strong (a UUID or longer random string); weak ids (``42``, ``user-1``) and
forged ids in the gateway's own format are refused. The live-chat secret is a second MAC of the id, handed
to the widget once; the live-chat endpoints require it, so knowing an id (it appears in a worker's case view
and in logs) is not enough to read or end a resident's chat.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import math
import re
import secrets
from collections import Counter
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


# A client-chosen id must look random: at least a UUID's length, and about 100 bits by the letter frequencies
# of the id itself (a UUID4 scores ~130; "conversation-000…001" ~75). A heuristic: it keeps out the guessable,
# it cannot prove randomness. The gateway's own ids need no such guess.
MIN_CLIENT_ID_CHARS = 32
MIN_CLIENT_ID_BITS = 100.0


def _estimated_bits(text: str) -> float:
    counts = Counter(text)
    return -sum(n * math.log2(n / len(text)) for n in counts.values())


def acceptable(key: bytes, conversation_id: str) -> bool:
    """An id this gateway issued, or a strong client-chosen one (never a forged one in the issued format)."""
    if conversation_id.startswith("c."):
        return is_issued(key, conversation_id)
    long_enough = len(conversation_id) >= MIN_CLIENT_ID_CHARS
    return long_enough and _estimated_bits(conversation_id) >= MIN_CLIENT_ID_BITS


def live_secret(key: bytes, conversation_id: str) -> str:
    return _mac(key, "live", conversation_id)


def live_secret_valid(key: bytes, conversation_id: str, secret: str | None) -> bool:
    return bool(secret) and hmac.compare_digest(live_secret(key, conversation_id), secret or "")
