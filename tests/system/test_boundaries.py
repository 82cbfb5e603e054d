"""Against the running system: Rasa and the action server accept only their one client, and a hung Rasa
neither loses a crisis nor stops the conversation for good."""

from __future__ import annotations

import os
import signal
import uuid

import httpx
import pytest

from tests.system.running_system import RunningSystem

pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def token(running_system: RunningSystem) -> str:
    running_system.create_worker("e2e-boundaries", "e2e-salasana-456")
    return running_system.worker_token("e2e-boundaries", "e2e-salasana-456")


def _rasa_url(system: RunningSystem) -> str:
    return f"http://127.0.0.1:{system.rasa_ports[0]}"


def _action_url(system: RunningSystem) -> str:
    return f"http://127.0.0.1:{system.env['ACTION_PORT']}"


def test_rasa_refuses_everyone_but_the_gateway(running_system: RunningSystem) -> None:
    rasa = _rasa_url(running_system)
    message = {"sender": "intruder", "message": "haluan tappaa itseni"}
    # No plain REST channel and no HTTP API: nothing reads a tracker or skips the gateway's redaction.
    assert httpx.post(f"{rasa}/webhooks/rest/webhook", json=message).status_code == 404
    assert httpx.get(f"{rasa}/conversations/intruder/tracker").status_code == 404
    assert httpx.get(f"{rasa}/status").status_code == 404
    # The gateway's channel wants its token.
    assert httpx.post(f"{rasa}/webhooks/gateway/webhook", json=message).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token-at-all"}
    assert httpx.post(f"{rasa}/webhooks/gateway/webhook", json=message, headers=wrong).status_code == 401
    right = {"Authorization": f"Bearer {running_system.env['RASA_TOKEN']}"}
    assert httpx.get(f"{rasa}/webhooks/gateway/ready", headers=right).json() == {"ready": True}


def test_the_action_server_refuses_everyone_but_rasa(running_system: RunningSystem) -> None:
    actions = _action_url(running_system)
    tracker = {"sender_id": "intruder", "slots": {}, "events": [], "latest_message": {}}
    call = {"next_action": "action_handle_risk", "sender_id": "intruder", "tracker": tracker, "domain": {}}
    assert httpx.post(f"{actions}/webhook", json=call).status_code == 401
    wrong = {"Authorization": "Bearer guessed"}
    assert httpx.post(f"{actions}/webhook", json=call, headers=wrong).status_code == 401
    assert httpx.get(f"{actions}/actions").status_code == 401
    assert httpx.get(f"{actions}/health").status_code == 200


def test_a_crisis_during_a_hung_rasa_gets_the_card_and_a_case_and_the_chat_goes_on(
    running_system: RunningSystem, token: str
) -> None:
    conversation = f"e2e-{uuid.uuid4().hex}"
    assert running_system.chat(conversation, "hei")
    pid = running_system.rasa_process(0)
    os.kill(pid, signal.SIGSTOP)  # hung, not gone: the worst case for a gateway that waits
    try:
        replies = running_system.chat(conversation, "en jaksa enää, aion ottaa kaikki pillerit tänään")
    finally:
        os.kill(pid, signal.SIGCONT)
    assert replies[0]["custom"]["type"] == "crisis", replies
    [case] = httpx.get(f"{running_system.base_url}/api/handoffs", params={"conversation_id": conversation},
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert case["urgency"] == "acute"

    # Rasa is back: the assistant answers again.
    after = running_system.chat(conversation, "mistä saan apua?")
    assert after and not any("teknisen vian" in (r.get("text") or "") for r in after), after


def test_personal_data_files_are_the_service_users_alone(running_system: RunningSystem) -> None:
    assert running_system.chat(f"e2e-{uuid.uuid4().hex}", "hei")
    data_dir = running_system.data_dir
    assert data_dir.stat().st_mode & 0o077 == 0
    private = {"endpoints.yml", "credentials.yml", "secrets.env"}
    files = [p for p in data_dir.rglob("*")
             if p.is_file() and (p.suffix in (".sqlite3", ".log") or p.name in private)]
    assert any(p.suffix == ".sqlite3" for p in files) and any(p.suffix == ".log" for p in files)
    readable_by_others = [str(p) for p in files if p.stat().st_mode & 0o077]
    assert readable_by_others == []
