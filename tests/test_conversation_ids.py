"""Conversation ids: the gateway's own are recognised by their MAC, strong client ids (the contract lets any
Rasa REST client choose one) are accepted, weak and forged ones are not; the live-chat secret is per id."""

from __future__ import annotations

import uuid

from bot.conversation_ids import acceptable, is_issued, issue, live_secret_valid

KEY = b"k" * 32


def test_issued_ids_are_recognised_and_unguessable() -> None:
    first, second = issue(KEY), issue(KEY)
    assert first.conversation_id != second.conversation_id
    assert is_issued(KEY, first.conversation_id) and acceptable(KEY, first.conversation_id)
    assert not is_issued(b"other-key" * 4, first.conversation_id)
    forged = first.conversation_id[:-1] + ("A" if first.conversation_id[-1] != "A" else "B")
    assert not acceptable(KEY, forged)


def test_strong_client_ids_are_accepted_weak_ones_refused() -> None:
    assert acceptable(KEY, str(uuid.uuid4()))
    assert acceptable(KEY, "web-" + uuid.uuid4().hex)
    for weak in ("42", "user-1", "conversation-000000000000000000000001", "a" * 64):
        assert not acceptable(KEY, weak), weak


def test_the_live_secret_belongs_to_one_conversation() -> None:
    mine, other = issue(KEY), issue(KEY)
    assert live_secret_valid(KEY, mine.conversation_id, mine.live_secret)
    assert not live_secret_valid(KEY, mine.conversation_id, other.live_secret)
    assert not live_secret_valid(KEY, mine.conversation_id, None)
    assert not live_secret_valid(KEY, mine.conversation_id, "")
