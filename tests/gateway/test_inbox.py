"""The worker inbox pages: sign-in with CSRF, the queue, a case and the forms that act on it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.gateway.conftest import PASSWORD, audit_actions, create_case, set_created_at

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def sign_in(client: TestClient, username: str = "hoitaja1", password: str = PASSWORD) -> None:
    page = client.get("/inbox/login")
    response = client.post(
        "/inbox/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/inbox"


def test_pages_need_sign_in(client: TestClient) -> None:
    case = create_case(client)
    for path in ("/inbox", f"/inbox/cases/{case['id']}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/inbox/login")
    client.cookies.set("inbox_session", "garbage")
    response = client.get("/inbox", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/inbox/login")


def test_login_page_is_accessible_markup(client: TestClient) -> None:
    response = client.get("/inbox/login")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fi">' in html
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
    assert '<label for="username">' in html and 'id="username"' in html
    assert '<label for="password">' in html and 'autocomplete="current-password"' in html
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert '<link rel="stylesheet" href="/static/inbox/inbox.css">' in html
    css = client.get("/static/inbox/inbox.css")
    assert css.status_code == 200 and ":focus-visible" in css.text
    cookie = response.headers["set-cookie"]
    assert (
        "inbox_csrf=" in cookie
        and "HttpOnly" in cookie
        and "SameSite=strict" in cookie.replace("Strict", "strict")
    )


def test_login_rejects_missing_or_wrong_csrf(client: TestClient, worker: str) -> None:
    client.get("/inbox/login")
    for token in ("", "wrong-token-wrong-token-wrong"):
        response = client.post(
            "/inbox/login",
            data={"username": worker, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 403
        assert "inbox_session" not in response.headers.get("set-cookie", "")


def test_login_with_wrong_password_shows_an_error(client: TestClient, worker: str) -> None:
    page = client.get("/inbox/login")
    response = client.post(
        "/inbox/login",
        data={"username": worker, "password": "väärin-väärin-123", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert 'role="alert"' in response.text and "väärin" in response.text
    assert "inbox_session" not in response.headers.get("set-cookie", "")


def test_session_cookie_is_httponly_and_strict(client: TestClient, worker: str) -> None:
    page = client.get("/inbox/login")
    response = client.post(
        "/inbox/login",
        data={"username": worker, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("inbox_session="))
    assert "HttpOnly" in session_cookie and "samesite=strict" in session_cookie.lower()
    assert "Path=/" in session_cookie


def test_queue_lists_cases_by_urgency_with_text_labels(client: TestClient, worker: str) -> None:
    normal = create_case(client, urgency="normal", conversation_id="c-normal")
    acute = create_case(client, urgency="acute", conversation_id="c-acute")
    set_created_at(normal["id"], 125)
    set_created_at(acute["id"], 3)
    sign_in(client)
    response = client.get("/inbox")
    assert response.status_code == 200
    html = response.text
    assert html.index(acute["id"]) < html.index(normal["id"])
    assert "Akuutti" in html and "Tavallinen" in html
    assert "2 h 5 min" in html
    assert '<th scope="col">Kiireellisyys</th>' in html and "<caption>" in html
    assert "<script" not in html and "style=" not in html
    assert ("hoitaja1", "queue_viewed") in audit_actions()


def test_claim_note_segment_and_close_through_forms(client: TestClient, worker: str) -> None:
    from bot.db import new_session
    from bot.repositories.conversations import add_message, remember_phone

    with new_session() as session:
        add_message(session, "conv-1", "user", "Tarvitsen apua, soita [puhelinnumero]")
        remember_phone(session, "conv-1", "040 123 4567")
        session.commit()
    case = create_case(client)
    case_url = f"/inbox/cases/{case['id']}"
    sign_in(client)

    page = client.get(case_url)
    assert page.status_code == 200
    html = page.text
    for text in (
        "Otan kopin!",
        "saan häädön ensi viikolla",
        "yhteistyoasiakkuus",
        "arjessa jaksaminen vaikeaa",
        "Tarvitsen apua, soita [puhelinnumero]",
        "040 123 4567",
        "Soittopyyntö",
        "Kyllä",
    ):
        assert text in html, text
    assert '<label for="note-text">' in html and '<label for="outcome">' in html and "<legend>" in html
    assert "<script" not in html and "style=" not in html
    token = csrf_from(html)

    # Without the CSRF token nothing changes.
    refused = client.post(f"{case_url}/claim", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert (
        client.get(
            f"/api/internal/handoffs/{case['id']}", headers={"Authorization": "Bearer " + _service()}
        ).json()["status"]
        == "new"
    )

    claimed = client.post(f"{case_url}/claim", data={"csrf_token": token}, follow_redirects=False)
    assert claimed.status_code == 303 and claimed.headers["location"] == f"{case_url}?msg=claimed"
    page = client.get(claimed.headers["location"])
    assert "Otit tapauksen käsittelyyn." in page.text and "Otan kopin!" not in page.text

    noted = client.post(
        f"{case_url}/notes", data={"csrf_token": token, "text": "Soitin klo 10."}, follow_redirects=False
    )
    assert noted.status_code == 303
    empty = client.post(f"{case_url}/notes", data={"csrf_token": token, "text": "  "}, follow_redirects=False)
    assert empty.status_code == 422 and 'role="alert"' in empty.text

    segment = client.post(
        f"{case_url}/segment", data={"csrf_token": token, "segment": "2"}, follow_redirects=False
    )
    assert segment.status_code == 303
    bad_segment = client.post(
        f"{case_url}/segment", data={"csrf_token": token, "segment": "9"}, follow_redirects=False
    )
    assert bad_segment.status_code == 422

    closed = client.post(
        f"{case_url}/close",
        data={"csrf_token": token, "outcome": "Ohjattu palveluun."},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    page = client.get(closed.headers["location"])
    assert (
        "Tapaus suljettu." in page.text
        and "Ohjattu palveluun." in page.text
        and "Soitin klo 10." in page.text
    )
    assert "Vahvistettu: <strong>2 – tukiasiakkuus" in page.text
    twice = client.post(
        f"{case_url}/close", data={"csrf_token": token, "outcome": "taas"}, follow_redirects=False
    )
    assert twice.status_code == 409 and "jo suljettu" in twice.text

    actions = [action for actor, action in audit_actions(case["id"]) if actor == "hoitaja1"]
    for action in ("case_viewed", "case_claimed", "note_added", "segment_set", "case_closed"):
        assert action in actions


def test_unknown_case_page_is_404(client: TestClient, worker: str) -> None:
    sign_in(client)
    assert client.get("/inbox/cases/nope").status_code == 404


def test_logout_ends_the_session(client: TestClient, worker: str) -> None:
    sign_in(client)
    page = client.get("/inbox")
    assert client.post("/inbox/logout", data={}, follow_redirects=False).status_code == 403
    response = client.post("/inbox/logout", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/inbox/login?msg=logged_out"
    assert client.get("/inbox", follow_redirects=False).status_code == 303
    assert ("hoitaja1", "logout") in audit_actions()


def test_deactivated_worker_is_refused(client: TestClient, worker: str) -> None:
    from bot.db import new_session
    from bot.repositories.users import set_active

    sign_in(client)
    with new_session() as session:
        set_active(session, worker, False)
        session.commit()
    assert client.get("/inbox", follow_redirects=False).status_code == 403


def _service() -> str:
    from tests.gateway.conftest import SERVICE_TOKEN

    return SERVICE_TOKEN


def test_the_csrf_token_is_bound_to_the_session(client: TestClient, worker: str) -> None:
    before = csrf_from(client.get("/inbox/login").text)
    cookie = client.cookies.get("inbox_csrf")
    assert before != cookie  # the form token is not the cookie's value (no plain double submit)
    sign_in(client, worker)
    case = create_case(client)
    case_url = f"/inbox/cases/{case['id']}"
    # A token from before sign-in, or the bare cookie value an attacker could plant, does not pass.
    for stale in (before, client.cookies.get("inbox_csrf")):
        refused = client.post(f"{case_url}/claim", data={"csrf_token": stale}, follow_redirects=False)
        assert refused.status_code == 403
    token = csrf_from(client.get(case_url).text)
    claimed = client.post(f"{case_url}/claim", data={"csrf_token": token}, follow_redirects=False)
    assert claimed.status_code == 303


def test_an_https_site_gets_hsts_and_secure_cookies(tmp_path, database_url) -> None:
    from tests.gateway.conftest import build_app, make_settings

    settings = make_settings(tmp_path, database_url, public_base_url="https://asiointi.example.fi")
    with TestClient(build_app(settings)) as https_client:
        page = https_client.get("/inbox/login")  # uvicorn behind the proxy sees plain http
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert "secure" in page.headers["set-cookie"].lower()


def test_a_plain_http_development_site_sends_no_hsts(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/inbox/login").headers
