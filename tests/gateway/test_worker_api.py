"""Worker API and internal API: authentication, case life cycle, queue order, audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.db import new_session
from bot.models import ContactDetail, Feedback, Handoff
from bot.repositories.conversations import add_message, remember_phone
from tests.gateway.conftest import (
    JWT_SECRET,
    SERVICE,
    add_user,
    audit_actions,
    auth,
    build_app,
    case_payload,
    create_case,
    get_token,
    make_settings,
    set_created_at,
)

CONTRACT_FIELDS = {
    "id",
    "conversation_id",
    "created_at",
    "status",
    "urgency",
    "segment",
    "segment_name",
    "segment_reasons",
    "risk_signals",
    "summary",
    "consent",
    "contact",
    "transcript",
}


# --- authentication -------------------------------------------------------------------------------


def test_token_flow_gives_access_to_the_queue(client: TestClient, worker: str) -> None:
    response = client.post(
        "/api/auth/token", data={"username": worker, "password": "oikein-pitka-salasana-1"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    claims = jwt.decode(body["access_token"], JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == worker and claims["role"] == "worker" and "exp" in claims
    listed = client.get("/api/handoffs", headers=auth(body["access_token"]))
    assert listed.status_code == 200
    assert listed.json() == []


def test_bad_credentials_are_401(client: TestClient, worker: str) -> None:
    for username, password in ((worker, "väärä-salasana-123"), ("nobody", "oikein-pitka-salasana-1")):
        response = client.post("/api/auth/token", data={"username": username, "password": password})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert ("hoitaja1", "login_failed") in audit_actions()


def test_missing_and_invalid_tokens_are_401(client: TestClient, worker: str) -> None:
    response = client.get("/api/handoffs")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/api/handoffs", headers=auth("not-a-jwt")).status_code == 401
    forged = jwt.encode(
        {"sub": worker, "role": "worker", "exp": datetime.now(timezone.utc) + timedelta(hours=1)},
        "some-other-secret-that-is-long-enough-1234",
        algorithm="HS256",
    )
    assert client.get("/api/handoffs", headers=auth(forged)).status_code == 401
    expired = jwt.encode(
        {"sub": worker, "role": "worker", "exp": datetime.now(timezone.utc) - timedelta(minutes=1)},
        JWT_SECRET,
        algorithm="HS256",
    )
    response = client.get("/api/handoffs", headers=auth(expired))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    unsigned = jwt.encode(
        {"sub": worker, "role": "worker", "exp": datetime.now(timezone.utc) + timedelta(hours=1)},
        None,
        algorithm="none",
    )
    assert client.get("/api/handoffs", headers=auth(unsigned)).status_code == 401


def test_wrong_role_is_403(client: TestClient, worker: str, admin: str) -> None:
    resident = jwt.encode(
        {"sub": worker, "role": "resident", "exp": datetime.now(timezone.utc) + timedelta(hours=1)},
        JWT_SECRET,
        algorithm="HS256",
    )
    assert client.get("/api/handoffs", headers=auth(resident)).status_code == 403
    case = create_case(client)
    worker_token = get_token(client, worker)
    assert client.get(f"/api/handoffs/{case['id']}/audit", headers=auth(worker_token)).status_code == 403
    admin_response = client.get(f"/api/handoffs/{case['id']}/audit", headers=auth(get_token(client, admin)))
    assert admin_response.status_code == 200
    assert admin_response.json()[0]["action"] == "case_created"


def test_inactive_user_is_refused(client: TestClient, worker: str) -> None:
    token = get_token(client, worker)
    add_user("vanha", "worker", active=False)
    response = client.post(
        "/api/auth/token", data={"username": "vanha", "password": "oikein-pitka-salasana-1"}
    )
    assert response.status_code == 401
    from bot.repositories.users import set_active

    with new_session() as session:
        set_active(session, worker, False)
        session.commit()
    assert client.get("/api/handoffs", headers=auth(token)).status_code == 403


def test_internal_api_needs_the_service_token(client: TestClient, worker: str) -> None:
    payload = case_payload()
    assert client.post("/api/internal/handoffs", json=payload).status_code == 401
    assert client.post("/api/internal/handoffs", json=payload, headers=auth("wrong-token")).status_code == 403
    worker_token = get_token(client, worker)
    assert client.post("/api/internal/handoffs", json=payload, headers=auth(worker_token)).status_code == 403
    assert (
        client.post("/api/internal/feedback", json={"conversation_id": "c", "helpful": True}).status_code
        == 401
    )
    # The service token is not a worker token either.
    assert client.get("/api/handoffs", headers=SERVICE).status_code == 401
    with new_session() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 0


def test_internal_api_refuses_everything_without_a_configured_token(tmp_path, database_url: str) -> None:
    app = build_app(make_settings(tmp_path, database_url, action_service_token=""))
    with TestClient(app) as client:
        for headers in ({}, auth(""), auth("anything")):
            response = client.post("/api/internal/handoffs", json=case_payload(), headers=headers)
            assert response.status_code in (401, 403)


def test_no_tokens_without_a_jwt_secret(tmp_path, database_url: str) -> None:
    app = build_app(make_settings(tmp_path, database_url, jwt_secret=""))
    with TestClient(app) as client:
        add_user("hoitaja2")
        response = client.post(
            "/api/auth/token", data={"username": "hoitaja2", "password": "oikein-pitka-salasana-1"}
        )
        assert response.status_code == 503
        assert "JWT_SECRET" in response.json()["detail"]
        assert client.get("/api/handoffs", headers=auth("x.y.z")).status_code == 401


def test_cookie_authenticated_changes_need_the_csrf_header(client: TestClient, worker: str) -> None:
    import re

    case = create_case(client)
    page = client.get("/inbox/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    signed_in = client.post(
        "/inbox/login",
        data={"username": worker, "password": "oikein-pitka-salasana-1", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert client.get("/api/handoffs").status_code == 200  # the session cookie works for reading
    assert client.post(f"/api/handoffs/{case['id']}/claim").status_code == 403
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/inbox").text).group(1)
    wrong = client.post(f"/api/handoffs/{case['id']}/claim", headers={"X-CSRF-Token": "x" * 40})
    assert wrong.status_code == 403
    response = client.post(f"/api/handoffs/{case['id']}/claim", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200


# --- internal API ---------------------------------------------------------------------------------


def test_create_case_is_stored_and_idempotent(client: TestClient) -> None:
    payload = case_payload(urgency="acute", idempotency_key="conv-1:abc")
    first = client.post("/api/internal/handoffs", json=payload, headers=SERVICE)
    assert first.status_code == 201
    case = first.json()
    assert case.keys() >= CONTRACT_FIELDS
    assert case["status"] == "new"
    assert case["segment"] == 3 and case["segment_name"] == "yhteistyoasiakkuus"
    assert case["risk_signals"][0]["quote"] == "saan häädön ensi viikolla"
    assert case["next_step"] == "Ammattilainen on hälytetty ja katsoo keskustelun mahdollisimman pian."
    again = client.post("/api/internal/handoffs", json=payload, headers=SERVICE)
    assert again.status_code == 200
    assert again.json()["id"] == case["id"]
    with new_session() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
    actions = audit_actions(case["id"])
    assert actions[0] == ("action-server", "case_created")
    assert actions.count(("action-server", "case_created")) == 1
    # The same key for another conversation is a conflict, not someone else's case.
    clash = client.post(
        "/api/internal/handoffs", json={**payload, "conversation_id": "conv-2"}, headers=SERVICE
    )
    assert clash.status_code == 409


def test_create_case_validates_input(client: TestClient) -> None:
    bad = [
        case_payload(urgency="high"),
        case_payload(segment=5),
        case_payload(segment=0),
        case_payload(conversation_id="not valid / id"),
        case_payload(contact={}),
        case_payload(risk_signals=[{"quote": "ei kategoriaa"}]),
        {k: v for k, v in case_payload().items() if k != "consent"},
    ]
    for payload in bad:
        assert client.post("/api/internal/handoffs", json=payload, headers=SERVICE).status_code == 422, (
            payload
        )
    response = client.post(
        "/api/internal/handoffs",
        content=b"{not json",
        headers={**SERVICE, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)


def test_next_step_depends_on_urgency_and_service_hours(client: TestClient) -> None:
    urgent = create_case(client, urgency="urgent", contact={"method": "callback"})
    normal = create_case(client, urgency="normal", contact={"method": "self"})
    assert urgent["next_step"].startswith("Ammattilainen soittaa sinulle")
    assert "112" in urgent["next_step"]
    assert normal["next_step"].startswith("Ammattilainen käsittelee asiasi")
    # From the county profile's service hours.
    assert any(word in normal["next_step"] for word in ("tänään", "huomenna", "seuraavana arkipäivänä"))


def test_next_step_without_a_county_profile(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.models import Handoff as Row
    from bot.routers.internal import next_step

    settings = make_settings(tmp_path, "sqlite://", catalogue_dir=tmp_path / "missing")
    row = Row(urgency="normal", status="new", contact={"method": "callback"})
    assert next_step(row, settings) == "Ammattilainen soittaa sinulle virka-aikana."


def test_update_contact_and_consent(client: TestClient) -> None:
    case = create_case(client, consent=False, contact={"method": "self"})
    response = client.patch(
        f"/api/internal/handoffs/{case['id']}",
        json={"contact": {"method": "callback", "phone": "040 123 4567"}, "consent": True},
        headers=SERVICE,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["consent"] is True
    assert body["contact"] == {"method": "callback", "phone_on_file": True}
    assert "040 123 4567" not in response.text  # the action server never gets the number back
    with new_session() as session:
        assert session.scalars(select(ContactDetail.value)).all() == ["040 123 4567"]
    assert (
        client.patch("/api/internal/handoffs/nope", json={"consent": True}, headers=SERVICE).status_code
        == 404
    )
    fetched = client.get(f"/api/internal/handoffs/{case['id']}", headers=SERVICE)
    assert fetched.status_code == 200 and fetched.json()["id"] == case["id"]
    assert ("action-server", "case_updated") in audit_actions(case["id"])
    assert ("action-server", "case_viewed") in audit_actions(case["id"])


def test_feedback(client: TestClient) -> None:
    response = client.post(
        "/api/internal/feedback",
        json={"conversation_id": "conv-9", "helpful": False, "topic": "toimeentulotuki"},
        headers=SERVICE,
    )
    assert response.status_code == 201
    assert response.json()["helpful"] is False
    assert (
        client.post("/api/internal/feedback", json={"conversation_id": "conv-9"}, headers=SERVICE).status_code
        == 422
    )
    with new_session() as session:
        assert session.scalar(select(func.count()).select_from(Feedback)) == 1


# --- worker API -----------------------------------------------------------------------------------


def test_queue_is_ordered_by_urgency_then_waiting_time(client: TestClient, worker_headers: dict) -> None:
    normal_old = create_case(client, urgency="normal", conversation_id="c-normal")
    acute_new = create_case(client, urgency="acute", conversation_id="c-acute-new")
    urgent = create_case(client, urgency="urgent", conversation_id="c-urgent")
    acute_old = create_case(client, urgency="acute", conversation_id="c-acute-old")
    set_created_at(normal_old["id"], 300)
    set_created_at(acute_new["id"], 5)
    set_created_at(urgent["id"], 60)
    set_created_at(acute_old["id"], 30)
    response = client.get("/api/handoffs", headers=worker_headers)
    assert response.status_code == 200
    ids = [case["id"] for case in response.json()]
    assert ids == [acute_old["id"], acute_new["id"], urgent["id"], normal_old["id"]]
    assert response.json()[0]["waiting_seconds"] >= 30 * 60 - 5
    only = client.get("/api/handoffs", params={"conversation_id": "c-urgent"}, headers=worker_headers).json()
    assert [c["id"] for c in only] == [urgent["id"]]
    client.post(f"/api/handoffs/{urgent['id']}/claim", headers=worker_headers)
    new = client.get("/api/handoffs", params={"status": "new"}, headers=worker_headers).json()
    assert urgent["id"] not in [c["id"] for c in new] and len(new) == 3
    claimed = client.get("/api/handoffs", params={"status": "claimed"}, headers=worker_headers).json()
    assert [c["id"] for c in claimed] == [urgent["id"]]
    assert client.get("/api/handoffs", params={"status": "bogus"}, headers=worker_headers).status_code == 422


def test_case_life_cycle(client: TestClient, worker_headers: dict) -> None:
    case = create_case(client)
    case_id = case["id"]
    claimed = client.post(f"/api/handoffs/{case_id}/claim", headers=worker_headers)
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed" and claimed.json()["claimed_by"] == "hoitaja1"
    # Claiming again is harmless for the same worker, a conflict for another.
    assert client.post(f"/api/handoffs/{case_id}/claim", headers=worker_headers).status_code == 200
    add_user("hoitaja2")
    other = auth(get_token(client, "hoitaja2"))
    assert client.post(f"/api/handoffs/{case_id}/claim", headers=other).status_code == 409

    note = client.post(
        f"/api/handoffs/{case_id}/notes", json={"text": "Soitin, ei vastausta."}, headers=worker_headers
    )
    assert note.status_code == 201 and note.json()["author"] == "hoitaja1"
    assert (
        client.post(f"/api/handoffs/{case_id}/notes", json={"text": "  "}, headers=worker_headers).status_code
        == 422
    )
    assert client.post(f"/api/handoffs/{case_id}/notes", json={}, headers=worker_headers).status_code == 422

    segment = client.post(f"/api/handoffs/{case_id}/segment", json={"segment": 4}, headers=worker_headers)
    assert segment.status_code == 200
    body = segment.json()
    assert body["segment"] == 4 and body["segment_name"] == "huolenpitoasiakkuus"
    assert body["suggested_segment"] == 3 and body["segment_confirmed"] == 4
    for bad in ({"segment": 5}, {"segment": 0}, {"segment": "kolme"}, {}):
        assert (
            client.post(f"/api/handoffs/{case_id}/segment", json=bad, headers=worker_headers).status_code
            == 422
        )

    assert (
        client.post(
            f"/api/handoffs/{case_id}/close", json={"outcome": ""}, headers=worker_headers
        ).status_code
        == 422
    )
    closed = client.post(
        f"/api/handoffs/{case_id}/close",
        json={"outcome": "Ohjattu aikuissosiaalityöhön."},
        headers=worker_headers,
    )
    assert closed.status_code == 200
    detail = closed.json()
    assert (
        detail["status"] == "closed"
        and detail["closed_at"]
        and detail["outcome"] == "Ohjattu aikuissosiaalityöhön."
    )
    assert [n["text"] for n in detail["notes"]] == ["Soitin, ei vastausta."]

    again = client.post(
        f"/api/handoffs/{case_id}/close", json={"outcome": "uudestaan"}, headers=worker_headers
    )
    assert again.status_code == 409
    assert client.post(f"/api/handoffs/{case_id}/claim", headers=worker_headers).status_code == 409
    assert (
        client.post(f"/api/handoffs/{case_id}/notes", json={"text": "x"}, headers=worker_headers).status_code
        == 409
    )
    assert (
        client.post(
            f"/api/handoffs/{case_id}/segment", json={"segment": 1}, headers=worker_headers
        ).status_code
        == 409
    )


def test_unknown_case_is_404(client: TestClient, worker_headers: dict) -> None:
    assert (
        client.get("/api/handoffs/00000000-0000-0000-0000-000000000000", headers=worker_headers).status_code
        == 404
    )
    for path, body in (
        ("claim", None),
        ("notes", {"text": "x"}),
        ("segment", {"segment": 2}),
        ("close", {"outcome": "x"}),
    ):
        response = client.post(f"/api/handoffs/nope/{path}", json=body, headers=worker_headers)
        assert response.status_code == 404, path
    assert client.get("/api/internal/handoffs/nope", headers=SERVICE).status_code == 404


def test_every_view_and_change_is_audited(client: TestClient, worker_headers: dict) -> None:
    case = create_case(client)
    case_id = case["id"]
    client.get("/api/handoffs", headers=worker_headers)
    client.get(f"/api/handoffs/{case_id}", headers=worker_headers)
    client.post(f"/api/handoffs/{case_id}/claim", headers=worker_headers)
    client.post(f"/api/handoffs/{case_id}/notes", json={"text": "muistiinpano"}, headers=worker_headers)
    client.post(f"/api/handoffs/{case_id}/segment", json={"segment": 2}, headers=worker_headers)
    client.post(f"/api/handoffs/{case_id}/close", json={"outcome": "valmis"}, headers=worker_headers)
    assert audit_actions(case_id) == [
        ("action-server", "case_created"),
        ("hoitaja1", "case_viewed"),
        ("hoitaja1", "case_claimed"),
        ("hoitaja1", "note_added"),
        ("hoitaja1", "segment_set"),
        ("hoitaja1", "case_closed"),
    ]
    assert ("hoitaja1", "cases_listed") in audit_actions()
    assert ("hoitaja1", "login") in audit_actions()


def test_case_view_has_transcript_and_callback_phone(client: TestClient, worker_headers: dict) -> None:
    with new_session() as session:
        add_message(session, "conv-1", "user", "Saan häädön ensi viikolla. Soita [puhelinnumero]")
        remember_phone(session, "conv-1", "040 765 4321")
        add_message(session, "conv-1", "bot", "Kiitos, välitän tiedon ammattilaiselle.")
        add_message(session, "other-conv", "user", "ei kuulu tähän")
        session.commit()
    case = create_case(client, contact={"method": "callback"})
    assert "040 765 4321" not in str(case)  # not in the action server's copy
    assert [m["role"] for m in case["transcript"]] == ["user", "bot"]

    detail = client.get(f"/api/handoffs/{case['id']}", headers=worker_headers).json()
    assert detail["callback_phone"] == "040 765 4321"
    assert [m["text"] for m in detail["transcript"]] == [
        "Saan häädön ensi viikolla. Soita [puhelinnumero]",
        "Kiitos, välitän tiedon ammattilaiselle.",
    ]
    assert "040 765 4321" not in str(detail["transcript"])
    listed = client.get("/api/handoffs", headers=worker_headers).json()
    assert "callback_phone" not in listed[0]
    assert len(listed[0]["transcript"]) == 2


def test_phone_in_create_payload_is_kept_apart(client: TestClient, worker_headers: dict) -> None:
    case = create_case(client, contact={"method": "callback", "phone": "050 111 2222"})
    assert case["contact"] == {"method": "callback", "phone_on_file": True}
    with new_session() as session:
        handoff = session.get(Handoff, case["id"])
        assert "050 111 2222" not in str(handoff.contact)
    detail = client.get(f"/api/handoffs/{case['id']}", headers=worker_headers).json()
    assert detail["callback_phone"] == "050 111 2222"


def test_concurrent_creates_with_one_key_store_one_case(client: TestClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from bot.repositories import handoffs as handoffs_repo

    data = case_payload(idempotency_key="conv-1:race")
    data["risk_signals"] = [dict(s) for s in data["risk_signals"]]

    def create() -> str:
        with new_session() as session:
            handoff, _ = handoffs_repo.create(session, dict(data))
            session.commit()
            return handoff.id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(lambda _: create(), range(12)))
    assert len(set(ids)) == 1
    with new_session() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1


def test_reassessment_raises_urgency_but_never_lowers_it(client: TestClient) -> None:
    case = client.post(
        "/api/internal/handoffs",
        json=case_payload(urgency="urgent", idempotency_key="conv-r:1"),
        headers=SERVICE,
    ).json()
    signal = {"category": "suicide_self_harm", "severity": "acute", "quote": "haluan kuolla"}
    raised = client.patch(
        f"/api/internal/handoffs/{case['id']}",
        json={"urgency": "acute", "risk_signals": [signal], "summary": "TILANNE: uusi"},
        headers=SERVICE,
    )
    assert raised.status_code == 200
    assert raised.json()["urgency"] == "acute"
    assert raised.json()["risk_signals"][0]["category"] == "suicide_self_harm"
    lowered = client.patch(
        f"/api/internal/handoffs/{case['id']}", json={"urgency": "normal"}, headers=SERVICE
    )
    assert lowered.json()["urgency"] == "acute"
    bad = client.patch(f"/api/internal/handoffs/{case['id']}", json={"urgency": "whenever"}, headers=SERVICE)
    assert bad.status_code == 422
