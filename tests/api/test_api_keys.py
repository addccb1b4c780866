"""Keys: open until the first key exists; then Bearer keys, widget scopes and origins, expiry,
revocation, per-key rate limits, CORS preflights, and the ``cehua keys`` commands."""

from __future__ import annotations

import datetime as dt
import json
import time

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import update

from assistant.cli import main
from assistant.store.db import session_scope
from assistant.store.keys import KeyRow, hash_secret
from core.settings import Settings
from tests.api.conftest import LiveServer, MakeKey
from tests.api.test_api_search_chat import parse_sse

SHOP = "https://shop.example.com"


def wait_for_fresh_minute() -> None:
    """Rate windows are calendar minutes: start a burst well inside one so it cannot straddle two."""
    if 60 - time.time() % 60 < 5:
        time.sleep(60 - time.time() % 60 + 0.1)


def bearer(key: str, origin: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {key}"}
    if origin:
        headers["Origin"] = origin
    return headers


def test_api_is_open_until_a_key_exists(client: TestClient, make_key: MakeKey) -> None:
    assert client.get("/v1/models").status_code == 200
    key = make_key("ops")
    refused = client.get("/v1/models")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "missing_key"
    assert refused.headers["www-authenticate"] == "Bearer"
    assert client.get("/v1/models", headers=bearer(key)).status_code == 200


def test_health_endpoints_need_no_key(client: TestClient, make_key: MakeKey) -> None:
    make_key("ops")
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(("header", "code"), [
    ("Bearer ch_not-a-real-key", "invalid_key"),
    ("Basic dXNlcjpwYXNz", "invalid_key"),
    ("Bearer ", "invalid_key"),
])
def test_bad_credentials_are_401(client: TestClient, make_key: MakeKey, header: str, code: str) -> None:
    make_key("ops")
    response = client.post("/v1/search", json={"query": "预算"}, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


def test_revoked_key_is_401(client: TestClient, make_key: MakeKey, api_settings: Settings) -> None:
    key = make_key("old")
    with session_scope(api_settings) as session:
        session.execute(update(KeyRow).where(KeyRow.secret_hash == hash_secret(key))
                        .values(revoked_at=dt.datetime.now(dt.UTC)))
    response = client.get("/v1/models", headers=bearer(key))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "revoked_key"


def test_expired_key_is_401(client: TestClient, make_key: MakeKey, api_settings: Settings) -> None:
    key = make_key("temp", expires_days=1)
    assert client.get("/v1/models", headers=bearer(key)).status_code == 200
    with session_scope(api_settings) as session:
        session.execute(update(KeyRow).where(KeyRow.secret_hash == hash_secret(key))
                        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    response = client.get("/v1/models", headers=bearer(key))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "expired_key"
    assert "expired on" in response.json()["error"]["message"]


def test_widget_key_works_only_from_its_origins(client: TestClient, make_key: MakeKey) -> None:
    key = make_key("shop", kind="widget", origins=[SHOP])
    ok = client.get("/v1/models", headers=bearer(key, SHOP))
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == SHOP
    for origin in ("https://evil.example.com", None):
        refused = client.get("/v1/models", headers=bearer(key, origin))
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden_origin"


def test_widget_key_cannot_use_admin_endpoints(client: TestClient, make_key: MakeKey) -> None:
    key = make_key("shop", kind="widget", origins=[SHOP])
    for method, path, kwargs in (
        ("POST", "/v1/search", {"json": {"query": "预算"}}),
        ("GET", "/v1/kb/documents", {}),
        ("DELETE", "/v1/kb/documents/000_c14e2c470cc52c4f", {}),
    ):
        response = client.request(method, path, headers=bearer(key, SHOP), **kwargs)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "forbidden_scope"


def test_cors_preflight_answers_allowed_origins_only(client: TestClient, make_key: MakeKey) -> None:
    make_key("shop", kind="widget", origins=[SHOP])
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = client.options("/v1/chat", headers={"Origin": SHOP, **preflight})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == SHOP
    assert "authorization" in allowed.headers["access-control-allow-headers"]
    assert "POST" in allowed.headers["access-control-allow-methods"]
    refused = client.options("/v1/chat", headers={"Origin": "https://evil.example.com", **preflight})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden_origin"
    assert "access-control-allow-origin" not in refused.headers


def test_rate_limit_is_429_with_retry_after(client: TestClient, make_key: MakeKey) -> None:
    key = make_key("bursty", rate_limit=3)
    wait_for_fresh_minute()
    other = make_key("calm", rate_limit=3)
    statuses = [client.get("/v1/models", headers=bearer(key)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get("/v1/models", headers=bearer(key))
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    assert "3 requests per minute" in error["message"]
    # Limits are per key.
    assert client.get("/v1/models", headers=bearer(other)).status_code == 200


def test_rate_limited_request_changes_nothing(client: TestClient, make_key: MakeKey) -> None:
    key = make_key("bursty", rate_limit=1)
    wait_for_fresh_minute()
    assert client.get("/v1/models", headers=bearer(key)).status_code == 200
    response = client.post("/v1/plans", headers=bearer(key), json={
        "brief": {"budget": 300000, "start": "2026-09-10", "end": "2026-09-25"}})
    assert response.status_code == 429
    assert client.get("/v1/plans/anything", headers=bearer(key)).status_code == 429


def test_keys_commands_create_list_revoke(api_settings: Settings, client: TestClient,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_HOME", str(api_settings.home))
    monkeypatch.setenv("CEHUA_DATABASE_URL", api_settings.state_url)
    from core.settings import get_settings

    get_settings.cache_clear()
    runner = CliRunner()
    created = runner.invoke(main, ["keys", "create", "--name", "shop", "--kind", "widget",
                                   "--origin", "https://Shop.Example.com/", "--expires-days", "30", "--json"])
    assert created.exit_code == 0, created.output
    info = json.loads(created.output)
    assert info["key"].startswith("ch_")
    assert info["origins"] == [SHOP]
    assert info["kind"] == "widget" and info["status"] == "active"
    assert info["key"].startswith(info["prefix"])

    listed = json.loads(runner.invoke(main, ["keys", "list", "--json"]).output)
    assert [(k["name"], k["kind"], k["status"]) for k in listed] == [("shop", "widget", "active")]
    assert "key" not in listed[0] and info["key"] not in json.dumps(listed)

    assert client.get("/v1/models", headers=bearer(info["key"], SHOP)).status_code == 200
    revoked = runner.invoke(main, ["keys", "revoke", "shop"])
    assert revoked.exit_code == 0
    assert revoked.output.strip() == f"revoked key 'shop' ({info['prefix']}…)"
    assert client.get("/v1/models", headers=bearer(info["key"], SHOP)).status_code == 401
    assert json.loads(runner.invoke(main, ["keys", "list", "--json"]).output)[0]["status"] == "revoked"


def test_keys_without_a_name_are_named_after_their_origin_or_kind() -> None:
    runner = CliRunner()
    widget = runner.invoke(main, ["keys", "create", "--kind", "widget", "--origin", "https://Shop.Example.com:8443",
                                  "--json"])
    server = runner.invoke(main, ["keys", "create", "--json"])
    assert widget.exit_code == 0 and server.exit_code == 0, widget.output + server.output
    assert json.loads(widget.output)["name"] == "shop.example.com:8443"
    assert json.loads(server.output)["name"] == "server"


@pytest.mark.parametrize(("args", "message"), [
    (["--name", "w", "--kind", "widget"], "a widget key needs at least one --origin"),
    (["--name", "w", "--kind", "widget", "--origin", "shop.example.com"], "write it as scheme://host[:port]"),
    (["--name", "s", "--origin", "https://a.example"], "--origin only applies to widget keys"),
    (["--name", "s", "--expires-days", "0"], "--expires-days 0.0"),
])
def test_keys_create_rejects_bad_options(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["keys", "create", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_revoking_an_unknown_key_exits_4() -> None:
    result = CliRunner().invoke(main, ["keys", "revoke", "nobody"])
    assert result.exit_code == 4
    assert "no key 'nobody'" in result.output


def test_a_widget_key_sees_only_its_own_plans(client: TestClient, make_key: MakeKey) -> None:
    server = make_key("backend")
    shop = make_key("shop", kind="widget", origins=[SHOP])
    other = make_key("other", kind="widget", origins=["https://other.example.com"])
    brief = {"brief": {"budget": 300000, "start": "2026-09-10", "end": "2026-09-25"}}
    plan_id = client.post("/v1/plans", json=brief, headers=bearer(shop, SHOP)).json()["id"]
    assert client.get(f"/v1/plans/{plan_id}", headers=bearer(shop, SHOP)).status_code == 200
    assert client.get(f"/v1/plans/{plan_id}", headers=bearer(server)).status_code == 200
    for method, path in (("GET", ""), ("GET", "/versions"), ("GET", "/events"), ("GET", "/export?format=md"),
                         ("PUT", "/sections/budget"), ("POST", "/sections/budget/regenerate")):
        response = client.request(method, f"/v1/plans/{plan_id}{path}", headers=bearer(other, "https://other.example.com"),
                                  json={"body": "x"} if method == "PUT" else None)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found", path


def same_origin(key: str) -> dict[str, str]:
    """What a browser sends on a same-origin GET: no Origin header, ``Sec-Fetch-Site: same-origin``."""
    return {"Authorization": f"Bearer {key}", "Sec-Fetch-Site": "same-origin"}


def test_a_widget_key_on_the_apis_own_page_reads_plans_with_same_origin_gets(live_server: LiveServer,
                                                                             make_key: MakeKey) -> None:
    # The demo page at / is served by the API itself, so its own origin is the widget key's origin.
    key = make_key("demo", kind="widget", origins=[live_server.url])
    brief = {"brief": {"budget": 300000, "start": "2026-09-10", "end": "2026-09-25"}}
    created = httpx.post(f"{live_server.url}/v1/plans", json=brief, timeout=30,
                         headers={**same_origin(key), "Origin": live_server.url})  # browsers send Origin on POST
    assert created.status_code == 202, created.text
    plan_id = created.json()["id"]
    with httpx.stream("GET", f"{live_server.url}/v1/plans/{plan_id}/events", headers=same_origin(key),
                      timeout=60) as response:
        assert response.status_code == 200
        names = [name for name, _ in parse_sse(response.iter_lines())]
    assert names[0] == "started" and names[-1] == "done"
    plan = httpx.get(f"{live_server.url}/v1/plans/{plan_id}", headers=same_origin(key), timeout=10)
    assert plan.status_code == 200 and plan.json()["status"] == "ready"
    export = httpx.get(f"{live_server.url}/v1/plans/{plan_id}/export", params={"format": "md"},
                       headers=same_origin(key), timeout=10)
    assert export.status_code == 200 and export.text.startswith("# ")

    # Without the browser's same-origin mark there is no origin to check: still refused.
    for site in (None, "cross-site", "same-site", "none"):
        headers = {"Authorization": f"Bearer {key}", **({"Sec-Fetch-Site": site} if site else {})}
        refused = httpx.get(f"{live_server.url}/v1/plans/{plan_id}", headers=headers, timeout=10)
        assert refused.status_code == 403, site
        assert refused.json()["error"]["code"] == "forbidden_origin", site


def test_a_same_origin_get_is_checked_against_the_requests_own_host_and_port(client: TestClient,
                                                                             make_key: MakeKey) -> None:
    key = make_key("intranet", kind="widget", origins=["http://cehua.internal:8080"])
    ok = client.get("/v1/models", headers={**same_origin(key), "Host": "cehua.internal:8080"})
    assert ok.status_code == 200
    for host in ("cehua.internal", "cehua.internal:9090", "evil.example.com:8080"):
        refused = client.get("/v1/models", headers={**same_origin(key), "Host": host})
        assert refused.status_code == 403, host
        assert refused.json()["error"] == {
            "code": "forbidden_origin",
            "message": f"origin http://{host} is not allowed for this widget key: add it with "
                       "`cehua keys create --kind widget --origin URL`",
        }


def test_an_origin_header_wins_over_sec_fetch_site(client: TestClient, make_key: MakeKey) -> None:
    key = make_key("shop", kind="widget", origins=["http://testserver"])
    assert client.get("/v1/models", headers=same_origin(key)).status_code == 200
    refused = client.get("/v1/models", headers={**same_origin(key), "Origin": "https://evil.example.com"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden_origin"


def test_a_same_origin_get_from_a_page_the_key_does_not_allow_is_refused(client: TestClient,
                                                                         make_key: MakeKey) -> None:
    key = make_key("shop", kind="widget", origins=[SHOP])  # the shop's key, used on the API's own host
    refused = client.get("/v1/models", headers=same_origin(key))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden_origin"
