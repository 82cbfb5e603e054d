"""The OpenAPI document says what the routes really answer (the fuzz job, scripts/fuzz_gateway.py, checks
every response against it over HTTP; these tests keep its findings fixed without schemathesis)."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.conversation_ids import live_secret
from tests.gateway.conftest import TEST_CONVERSATION_KEY, auth, create_case, get_token

REF = "#/components/schemas/"


def _responses(app: FastAPI, method: str, path: str) -> dict:
    return app.openapi()["paths"][path][method]["responses"]


def _schema_ref(response: dict) -> str:
    return response["content"]["application/json"]["schema"]["$ref"].removeprefix(REF)


def test_shared_errors_are_documented_where_they_can_happen(app: FastAPI) -> None:
    notes = _responses(app, "post", "/api/handoffs/{handoff_id}/notes")
    assert {"201", "400", "401", "403", "404", "409", "413", "422"} <= set(notes)
    assert _schema_ref(notes["422"]) == "ValidationErrorResponse"
    assert _schema_ref(notes["401"]) == "ErrorResponse"
    # No body and no credential: no 400, 413, 401 or 403.
    assert set(_responses(app, "get", "/health/live")) == {"200"}
    live = _responses(app, "get", "/api/chat/{conversation_id}/live")
    assert set(live) == {"200", "403", "422"}  # 403: without the conversation's live-chat secret
    # The resident's errors carry the crisis contacts.
    assert _schema_ref(live["422"]) == "ResidentValidationError"
    assert _schema_ref(live["403"]) == "ResidentError"
    assert _schema_ref(_responses(app, "post", "/webhooks/rest/webhook")["503"]) == "ResidentError"
    # FastAPI's own 422 shape is never sent, so it is not in the document.
    assert "HTTPValidationError" not in app.openapi()["components"]["schemas"]


def test_nullable_fields_are_nullable_in_the_document(app: FastAPI) -> None:
    schemas = app.openapi()["components"]["schemas"]
    assert {"type": "null"} in schemas["LiveState"]["properties"]["state"]["anyOf"]
    assert {"type": "null"} in schemas["Case"]["properties"]["claimed_by"]["anyOf"]
    assert "anyOf" not in schemas["Case"]["properties"]["id"]


def test_conversation_ids_are_documented_in_json_schema_terms(app: FastAPI) -> None:
    schemas = app.openapi()["components"]["schemas"]
    for model, field in (("ChatRequest", "sender"), ("HandoffCreate", "conversation_id")):
        assert schemas[model]["properties"][field]["pattern"] == "^[A-Za-z0-9_.:-]{1,128}$"


def test_validation_errors_have_the_documented_shape(client: TestClient) -> None:
    secret = {"X-Live-Secret": live_secret(TEST_CONVERSATION_KEY, "conv-1")}
    response = client.get("/api/chat/conv-1/live", params={"after": -1}, headers=secret)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == [{"field": "after", "error": "ensure this value is greater than or equal to 0"}]
    assert {"text", "contacts"} <= set(body["crisis"])


def _has_timezone(value: str) -> bool:
    return datetime.fromisoformat(value).tzinfo is not None


def test_note_and_audit_times_carry_their_timezone(
    client: TestClient, worker_headers: dict, admin: str
) -> None:
    """Found by the fuzz job: SQLite hands back naive datetimes, which are not RFC 3339 date-times."""
    case = create_case(client)
    note = client.post(f"/api/handoffs/{case['id']}/notes", json={"text": "soitettu"}, headers=worker_headers)
    assert note.status_code == 201 and _has_timezone(note.json()["created_at"])
    detail = client.get(f"/api/handoffs/{case['id']}", headers=worker_headers).json()
    assert all(_has_timezone(n["created_at"]) for n in detail["notes"])
    entries = client.get(f"/api/handoffs/{case['id']}/audit", headers=auth(get_token(client, admin))).json()
    assert entries and all(_has_timezone(e["at"]) for e in entries)
