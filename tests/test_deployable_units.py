"""Each process is its own unit: the action server imports the shared package (``common``) and the service
catalogue, never the gateway package ``bot`` (checked by importing it in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.settings import PROJECT_ROOT

ACTION_MODULES = "actions.server, actions.answers, actions.handoff, actions.risk, actions.feedback"
CHECK = (
    f"import json, sys; import {ACTION_MODULES}; "
    "print(json.dumps(sorted(m for m in sys.modules if m == 'bot' or m.startswith('bot.'))))"
)


def test_the_action_server_does_not_import_the_gateway() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_the_gateway_and_the_action_server_use_the_same_placeholders_and_texts() -> None:
    import actions.handoff
    import bot.privacy
    from common import placeholders

    assert actions.handoff.PHONE_PLACEHOLDER is placeholders.PHONE_PLACEHOLDER
    assert bot.privacy.redact("soita 040 765 4321").text.endswith(placeholders.PHONE_PLACEHOLDER)


def test_copies_of_the_shared_vocabularies_agree_with_their_source() -> None:
    import re

    from common.languages import LANGUAGES
    from service_catalogue.models import RISK_CATEGORIES
    from triage.categories import load_categories

    # The catalogue validates on its own (without loading triage), so it keeps the ids: they must agree.
    assert set(RISK_CATEGORIES) == set(load_categories())
    widget = (PROJECT_ROOT / "bot" / "static" / "widget" / "widget.js").read_text(encoding="utf-8")
    langs = re.search(r"var LANGS = \[([^\]]*)\]", widget)
    assert langs and tuple(re.findall(r'"(\w+)"', langs.group(1))) == LANGUAGES
