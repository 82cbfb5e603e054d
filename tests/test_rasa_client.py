"""Joining Rasa's split text/custom items back into the contract's one item per message."""

from bot.rasa_client import join_text_and_custom

CRISIS = {"type": "crisis", "category": "suicide_self_harm", "contacts": []}


def test_text_followed_by_its_card_becomes_one_item():
    replies = [
        {"recipient_id": "c", "text": "Soita 112"},
        {"recipient_id": "c", "custom": CRISIS},
        {"recipient_id": "c", "text": "Miten haluat?", "buttons": [{"title": "x", "payload": "/x"}]},
    ]
    joined = join_text_and_custom(replies)
    assert joined[0] == {"recipient_id": "c", "text": "Soita 112", "custom": CRISIS}
    assert len(joined) == 2


def test_items_that_are_not_a_text_and_card_pair_stay_apart():
    replies = [
        {"recipient_id": "c", "text": "a", "buttons": [{"title": "x", "payload": "/x"}]},
        {"recipient_id": "c", "custom": CRISIS},
        {"recipient_id": "c", "custom": CRISIS},
    ]
    assert join_text_and_custom(replies) == replies
