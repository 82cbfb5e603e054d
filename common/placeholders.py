"""What the gateway's redaction leaves where personal data was typed (``bot.privacy``); the action server
recognises a typed phone number by its placeholder (the number itself goes only to the call-back store)."""

from __future__ import annotations

HETU_PLACEHOLDER = "[henkilötunnus]"
PHONE_PLACEHOLDER = "[puhelinnumero]"
EMAIL_PLACEHOLDER = "[sähköposti]"
NAME_PLACEHOLDER = "[nimi]"
