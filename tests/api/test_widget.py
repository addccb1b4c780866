"""The widget's HTTP side: the demo page, the script and stylesheet, and what never reaches a browser."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from assistant.store.db import session_scope
from assistant.store.keys import create_key
from core.settings import Settings

PROVIDER_KEY = "sk-provider-secret-7f3a9c"


@pytest.fixture
def client() -> TestClient:
    settings = Settings(openai_api_key=PROVIDER_KEY, slack_bot_token="xoxb-bot-secret",
                        wecom_corp_secret="wecom-corp-secret")
    return TestClient(create_app(settings, warm=False))


def test_demo_page_embeds_the_widget_with_its_language_and_title(client: TestClient) -> None:
    response = client.get("/", params={"lang": "en", "title": "Ask ACME"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    # demo.js embeds /widget.js with the key typed into the page (never taken from the URL).
    tags = re.findall(r"<script [^>]*></script>", response.text)
    assert tags == ['<script src="/demo.js" data-title="Ask ACME" data-lang="en"></script>']
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize(("lang", "heading"), [("zh-Hans", "策划助手 · 演示页"), ("zh-Hant", "策劃助手 · 演示頁"),
                                               ("en", "Cehua planning assistant · demo")])
def test_demo_page_speaks_each_language(client: TestClient, lang: str, heading: str) -> None:
    assert f"<h1>{heading}</h1>" in client.get("/", params={"lang": lang}).text


def test_demo_page_escapes_what_it_is_given(client: TestClient) -> None:
    response = client.get("/", params={"title": '"><script>alert(1)</script><img src=x onerror=alert(1)>'})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert "<img src=x" not in response.text
    assert 'data-title="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img' in response.text


def test_unknown_language_is_a_clear_422(client: TestClient) -> None:
    response = client.get("/", params={"lang": "fr"})
    assert response.status_code == 422
    assert "lang" in response.text


def test_script_and_stylesheet_are_served_with_their_types(client: TestClient) -> None:
    script = client.get("/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "attachShadow" in script.text
    css = client.get("/widget.css")
    assert css.status_code == 200
    assert css.headers["content-type"] == "text/css; charset=utf-8"


def test_no_server_secret_reaches_the_browser(client: TestClient) -> None:
    served = client.get("/").text + client.get("/widget.js").text + client.get("/widget.css").text
    for secret in (PROVIDER_KEY, "xoxb-bot-secret", "wecom-corp-secret"):
        assert secret not in served


def test_widget_script_never_parses_html() -> None:
    """Model and guidebook text must go through textContent, never an HTML parser."""
    from api.routes.widget import STATIC_DIR

    source = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "createContextualFragment", "DOMParser"):
        assert sink not in code, sink


@pytest.mark.parametrize(("lang", "phrase"), [("zh-Hans", "需要一个小部件密钥"), ("zh-Hant", "需要一個小工具金鑰"),
                                              ("en", "the demo needs a widget key")])
def test_demo_page_says_how_to_make_a_key_once_keys_exist(client: TestClient, lang: str, phrase: str) -> None:
    assert 'id="needs-key"' not in client.get("/", params={"lang": lang}).text  # open while no key exists
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    with session_scope(settings) as session:
        create_key(session, "backend")
    page = client.get("/", params={"lang": lang}).text
    assert 'id="needs-key"' in page and phrase in page
    assert "cehua keys create --kind widget --origin http://testserver" in page
    # A key given in the URL is never rendered (demo.js hides the notice once a key is typed in).
    assert "ch_x" not in client.get("/", params={"lang": lang, "key": "ch_x"}).text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_every_asset_from_this_server(client: TestClient, page: str) -> None:
    html = client.get(page).text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 1000, asset
