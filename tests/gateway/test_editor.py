"""The catalogue editor through the real gateway app (SQLite and PostgreSQL) on a copy of the catalogue:
who may do what (worker 403, anonymous 401, editor kept out of cases), version tokens and 409, drafts,
history and undo, and the pages: the form with an error by its field, preview, the conflict view."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.settings import PROJECT_ROOT, Settings
from service_catalogue.loader import load_catalogue
from tests.gateway.conftest import PASSWORD, add_user, auth, build_app, create_case, get_token, make_settings
from tests.gateway.test_inbox import csrf_from

ENTRY = "kela_omakela"


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(
        PROJECT_ROOT / "service_catalogue", target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    return target


@pytest.fixture
def settings(tmp_path: Path, database_url: str, catalogue_dir: Path) -> Settings:
    return make_settings(tmp_path, database_url, catalogue_dir=catalogue_dir)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return build_app(settings)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def editor_headers(client: TestClient) -> dict[str, str]:
    add_user("toimittaja1", role="editor")
    return auth(get_token(client, "toimittaja1"))


def _phone_changed(data: dict, phone: str) -> dict:
    changed = copy.deepcopy(data)
    changed["channels"].append({"type": "phone", "phone": phone})
    return changed


def test_only_editors_and_admins_use_the_editor_api(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    add_user("hoitaja1", role="worker")
    worker = auth(get_token(client, "hoitaja1"))
    assert client.get("/api/editor/entries").status_code == 401
    assert client.get(f"/api/editor/entries/{ENTRY}").status_code == 401
    assert client.put(f"/api/editor/entries/{ENTRY}/draft", json={"data": {}}).status_code == 401
    assert client.get("/api/editor/entries", headers=worker).status_code == 403
    entry = client.get(f"/api/editor/entries/{ENTRY}", headers=editor_headers).json()
    refused = client.put(
        f"/api/editor/entries/{ENTRY}",
        headers=worker,
        json={"version": entry["version"], "data": entry["data"]},
    )
    assert refused.status_code == 403
    # An editor keeps the catalogue and never sees a resident's case.
    case = create_case(client)
    assert client.get("/api/handoffs", headers=editor_headers).status_code == 403
    assert client.get(f"/api/handoffs/{case['id']}", headers=editor_headers).status_code == 403


def test_save_with_the_version_token_and_get_a_conflict_when_stale(
    client: TestClient, editor_headers: dict[str, str], catalogue_dir: Path
) -> None:
    entry = client.get(f"/api/editor/entries/{ENTRY}", headers=editor_headers).json()
    first = client.put(
        f"/api/editor/entries/{ENTRY}",
        headers=editor_headers,
        json={
            "version": entry["version"],
            "data": _phone_changed(entry["data"], "029 634 1000"),
            "minor": True,
            "note": "numero lisätty",
        },
    )
    assert first.status_code == 200, first.text
    assert first.json()["version"] != entry["version"]
    assert any(c.phone == "029 634 1000" for c in load_catalogue(catalogue_dir).get(ENTRY).channels)
    stale = client.put(
        f"/api/editor/entries/{ENTRY}",
        headers=editor_headers,
        json={
            "version": entry["version"],
            "data": _phone_changed(entry["data"], "029 634 2000"),
        },
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == first.json()["version"]
    assert not any(c.phone == "029 634 2000" for c in load_catalogue(catalogue_dir).get(ENTRY).channels)
    history = client.get(f"/api/editor/entries/{ENTRY}/history", headers=editor_headers).json()
    assert [(c["action"], c["author"], c["note"]) for c in history] == [
        ("update", "toimittaja1", "numero lisätty")
    ]
    assert any(d["after"] == "029 634 1000" for d in history[0]["differences"])
    undone = client.post(
        f"/api/editor/changes/{history[0]['id']}/undo",
        headers=editor_headers,
        json={"version": first.json()["version"]},
    )
    assert undone.status_code == 200, undone.text
    assert (
        client.get(f"/api/editor/entries/{ENTRY}", headers=editor_headers).json()["version"]
        == entry["version"]
    )


def test_an_invalid_entry_gets_its_errors_by_field(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    entry = client.get(f"/api/editor/entries/{ENTRY}", headers=editor_headers).json()
    data = _phone_changed(entry["data"], "soita meille")
    data["topics"] = []
    response = client.put(
        f"/api/editor/entries/{ENTRY}",
        headers=editor_headers,
        json={"version": entry["version"], "data": data},
    )
    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["detail"]}
    assert "topics" in fields and any(f.startswith("channels.") and f.endswith(".phone") for f in fields)


def test_a_draft_leaves_the_live_entry_until_published(
    client: TestClient, editor_headers: dict[str, str], catalogue_dir: Path
) -> None:
    entry = client.get(f"/api/editor/entries/{ENTRY}", headers=editor_headers).json()
    saved = client.put(
        f"/api/editor/entries/{ENTRY}/draft",
        headers=editor_headers,
        json={
            "version": entry["version"],
            "data": _phone_changed(entry["data"], "029 634 1000"),
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["draft"]["base_version"] == entry["version"]
    assert saved.json()["version"] == entry["version"]  # the live entry is unchanged
    add_user("hoitaja2", role="worker")
    worker = auth(get_token(client, "hoitaja2"))
    assert client.get(f"/api/editor/entries/{ENTRY}", headers=worker).status_code == 403
    published = client.post(f"/api/editor/entries/{ENTRY}/draft/publish", headers=editor_headers)
    assert published.status_code == 200 and published.json()["draft"] is None
    assert any(c.phone == "029 634 1000" for c in load_catalogue(catalogue_dir).get(ENTRY).channels)


def test_preview_shows_cards_and_routing(client: TestClient, editor_headers: dict[str, str]) -> None:
    entry = client.get(f"/api/editor/entries/{ENTRY}", headers=editor_headers).json()
    response = client.post(
        "/api/editor/preview",
        headers=editor_headers,
        json={"data": entry["data"], "replacing": ENTRY, "questions": ["miten haen kelasta"]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["cards"]) == {"fi", "sv", "en"} and body["cards"]["sv"]["name"] == "MittFPA"
    assert body["questions"][0]["question"] == "miten haen kelasta"
    assert any(q["answers_with_this"] for q in body["questions"])


# --- pages -----------------------------------------------------------------------------------------


def _sign_in(client: TestClient, username: str) -> None:
    page = client.get("/editor/login")
    response = client.post(
        "/editor/login",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/editor"


def _form_of(html: str) -> dict[str, list[str]]:
    """The entry form's fields as a browser would submit them (text inputs, text areas, checked boxes)."""
    form: dict[str, list[str]] = {}
    body = html[html.index('class="entry-form"') :]
    body = body[: body.index("</form>")]
    for tag in re.finditer(r"<input ([^>]*)>", body):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(1)))
        if attrs.get("type") == "checkbox" and " checked" not in tag.group(1):
            continue
        if "name" in attrs:
            form.setdefault(attrs["name"], []).append(_unescape(attrs.get("value", "")))
    for area in re.finditer(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        form.setdefault(area.group(1), []).append(_unescape(area.group(2)))
    for select in re.finditer(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(2))
        form.setdefault(select.group(1), []).append(chosen.group(1) if chosen else "")
    return form


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_pages_sign_in_edit_with_errors_by_field_and_see_conflicts(client: TestClient) -> None:
    add_user("toimittaja2", role="editor", password=PASSWORD)
    add_user("hoitaja3", role="worker", password=PASSWORD)
    assert client.get("/editor", follow_redirects=False).headers["location"].startswith("/editor/login")
    _sign_in(client, "toimittaja2")
    listing = client.get("/editor?q=omakela")
    assert listing.status_code == 200 and f"/editor/entries/{ENTRY}" in listing.text
    page = client.get(f"/editor/entries/{ENTRY}")
    assert page.status_code == 200
    form = _form_of(page.text)
    assert form["name.fi"] == ["OmaKela-asiointi"]
    # A phone number with letters: the form comes back with the message next to that field.
    index = len([k for k in form if k.startswith("channels.") and k.endswith(".type")]) - 1  # the blank row
    wrong = {
        **form,
        f"channels.{index}.type": ["phone"],
        f"channels.{index}.phone": ["029 ABC"],
        "_action": ["publish"],
    }
    response = client.post(f"/editor/entries/{ENTRY}", data=wrong)
    assert response.status_code == 422
    assert f'id="error-channels.{index}.phone"' in response.text
    assert f'aria-describedby="hint-channels.{index}.phone error-channels.{index}.phone"' in response.text
    # Preview, then publish a correct number.
    right = {**wrong, f"channels.{index}.phone": ["029 634 1000"], "_action": ["preview"]}
    previewed = client.post(f"/editor/entries/{ENTRY}", data=right)
    assert previewed.status_code == 200 and "Esikatselu" in previewed.text and "MittFPA" in previewed.text
    published = client.post(
        f"/editor/entries/{ENTRY}", data={**right, "_action": ["publish"]}, follow_redirects=False
    )
    assert published.status_code == 303, published.text
    # The same old form sent again (another editor's tab): the conflict view, nothing overwritten.
    stale = client.post(
        f"/editor/entries/{ENTRY}", data={**right, "_action": ["publish"], "summary.fi": ["Toinen muutos"]}
    )
    assert (
        stale.status_code == 409
        and "Joku muu muutti palvelua" in stale.text
        and "Toinen muutos" in stale.text
    )
    gaps = client.get("/editor/gaps?days=7")
    assert gaps.status_code == 200 and "<svg" in gaps.text
    history = client.get(f"/editor/entries/{ENTRY}/history")
    assert "029 634 1000" in history.text and "toimittaja2" in history.text
    # A worker signed in elsewhere gets a 403 page, not the editor.
    other = TestClient(client.app)
    page = other.get("/editor/login")
    signed = other.post(
        "/editor/login",
        data={"username": "hoitaja3", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/inbox"
    assert other.get("/editor").status_code == 403


def test_import_from_ptv_shows_the_plan_and_applies_what_is_confirmed(
    client: TestClient, catalogue_dir: Path
) -> None:
    add_user("toimittaja3", role="editor", password=PASSWORD)
    _sign_in(client, "toimittaja3")
    fixtures = PROJECT_ROOT / "tests" / "fixtures" / "ptv"
    form = client.get("/editor/import")
    assert form.status_code == 200
    files = [
        ("files", (name, (fixtures / name).read_bytes(), "application/json"))
        for name in ("service_single.json", "channels_page.json")
    ]
    data = {
        "csrf_token": csrf_from(form.text),
        "provider_type": "hyvinvointialue",
        "topics": "contacts",
        "segments": "1",
    }
    plan = client.post("/editor/import", data=data, files=files)
    assert plan.status_code == 200, plan.text
    assert "Uusi palvelu" in plan.text
    before = set(load_catalogue(catalogue_dir).services)
    payload = re.search(r'name="payload" value="([^"]*)"', plan.text).group(1)
    applied = client.post(
        "/editor/import",
        data={**data, "csrf_token": csrf_from(plan.text), "payload": _unescape(payload), "_action": "apply"},
    )
    assert applied.status_code == 200, applied.text
    assert "Tallennettu" in applied.text
    assert len(set(load_catalogue(catalogue_dir).services) - before) >= 1
    broken = client.post(
        "/editor/import",
        data={"csrf_token": csrf_from(applied.text)},
        files=[("files", ("broken.json", (fixtures / "broken.json").read_bytes(), "application/json"))],
    )
    assert broken.status_code == 422 and "Tiedostoa ei voi tuoda" in broken.text
