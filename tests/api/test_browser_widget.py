"""The widget in a real browser: Debian's Chromium, driven by Playwright, against ``cehua serve`` on loopback.

One server and one browser per session. The tests open the demo page, ask a question and open a
citation, draft a plan and download its DOCX, and check that HTML in a guidebook passage and in
an answer is shown as text and never runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("CEHUA_SCREENSHOT_DIR", "/tmp/cehua-browser"))

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the "
                "browser tests", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from tests.processes import free_port  # noqa: E402


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback test server
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None


@pytest.fixture(scope="session")
def server_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-home")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CEHUA_"))}
    env["CEHUA_HOME"] = str(home)
    return env


def _cehua() -> str:
    return shutil.which("cehua", path=str(Path(sys.executable).parent)) or "cehua"


@pytest.fixture(scope="session")
def server(server_home: Path) -> Iterator[str]:
    """``cehua serve`` on a free loopback port with its own data directory; yields its base URL."""
    home = server_home
    port = free_port()
    env = _env(home)
    log = (home / "serve.log").open("wb")
    process = subprocess.Popen([_cehua(), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"cehua serve exited: {(home / 'serve.log').read_text()[-2000:]}")
            try:
                if _get(base + "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError("cehua serve did not become ready in 240 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    # Anything the payloads run would push here; the page starts with an empty list.
    page.add_init_script("window.__xss = [];")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    # Every page the tests open (demo page, widget, /docs) must work under the server's CSP:
    # Chromium reports each blocked script, style, connection or frame on the console.
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert violations == [], violations


def _shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def _open_widget(page: Page, base: str, lang: str = "zh-Hans") -> None:
    page.goto(f"{base}/?lang={lang}")
    launcher = page.locator("#cehua-widget button.launcher")
    expect(launcher).to_be_visible()
    launcher.click()
    expect(page.locator("#cehua-widget .panel")).to_be_visible()


def test_question_streams_an_answer_and_a_citation_opens(server: str, page: Page) -> None:
    _open_widget(page, server)
    box = page.locator("#cehua-widget textarea.input").first
    expect(box).to_be_focused()
    box.fill("中秋节促销活动怎么设计主题？")
    box.press("Enter")
    answer = page.locator("#cehua-widget .msg.assistant .answer").last
    expect(answer).to_have_attribute("aria-busy", "false", timeout=60_000)
    expect(answer).not_to_be_empty()
    cite = page.locator("#cehua-widget .msg.assistant button.cite").first
    expect(cite).to_be_visible()
    expect(cite).to_have_attribute("aria-expanded", "false")
    cite.click()
    expect(cite).to_have_attribute("aria-expanded", "true")
    detail = page.locator("#cehua-widget .cite-detail").first
    expect(detail).to_be_visible()
    expect(detail.locator(".cite-where")).to_contain_text(" › ")
    expect(detail.locator(".cite-text")).not_to_be_empty()
    expect(page.locator("#cehua-widget .sources .source").first).to_be_visible()
    _shot(page, "widget-answer")


def _sse(*events: tuple[str, dict]) -> str:
    return "".join(f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n" for name, data in events)


def test_the_markdown_subset_is_the_only_formatting(server: str, page: Page) -> None:
    """A scripted stream (the route answers for the server) exercises every rule of the renderer."""
    answer = "**重点**：先预热\n- 第一步\n- 第二步\n\n1、甲\n2、乙\n<b>不是粗体</b> <a href=\"javascript:alert(1)\">链接</a> [1]"
    citation = {"n": 1, "text": "<i>原文</i>", "doc": "d1", "title": "指南", "section": "第一章 > 1.1"}
    body = _sse(*[("token", {"text": answer[i:i + 7]}) for i in range(0, len(answer), 7)],
                ("citations", {"citations": [citation]}),
                ("done", {"conversation": "c-1", "grounded": True}))
    page.route("**/v1/chat", lambda route: route.fulfill(status=200, body=body,
                                                          headers={"Content-Type": "text/event-stream"}))
    _open_widget(page, server)
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("怎么预热？")
    box.press("Enter")
    answer_box = page.locator("#cehua-widget .msg.assistant .answer").last
    expect(answer_box).to_have_attribute("aria-busy", "false")
    expect(answer_box.locator("strong")).to_have_text("重点")
    expect(answer_box.locator("ul > li")).to_have_text(["第一步", "第二步"])
    expect(answer_box.locator("ol > li")).to_have_text(["甲", "乙"])
    expect(answer_box.locator("b, a, i")).to_have_count(0)
    expect(answer_box).to_contain_text('<b>不是粗体</b> <a href="javascript:alert(1)">链接</a>')
    answer_box.locator("button.cite").click()
    expect(page.locator("#cehua-widget .cite-text")).to_have_text("<i>原文</i>")
    expect(page.locator("#cehua-widget .cite-where")).to_have_text("[1] 指南 › 第一章 > 1.1")


def test_keyboard_opens_switches_tabs_and_closes(server: str, page: Page) -> None:
    page.goto(f"{server}/?lang=zh-Hant")
    page.locator("#cehua-widget button.launcher").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#cehua-widget .panel")).to_be_visible()
    expect(page.locator("#cehua-widget .title")).to_have_text("策劃助手")
    page.locator("#cehua-widget #cehua-tab-chat").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#cehua-widget #cehua-tab-plan")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#cehua-widget #cehua-plan")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#cehua-widget .panel")).to_be_hidden()
    expect(page.locator("#cehua-widget button.launcher")).to_be_focused()


def test_draft_a_plan_shows_section_progress_findings_and_the_docx(server: str, page: Page) -> None:
    _open_widget(page, server)
    page.locator("#cehua-widget #cehua-tab-plan").click()
    page.locator("#cehua-widget #cehua-request").fill("帮我做个中秋节月饼促销方案，预算50万，9月1日到9月17日")
    page.locator("#cehua-widget .plan-form button.primary").click()
    sections = page.locator("#cehua-widget .sections .section")
    expect(sections.first).to_be_visible(timeout=30_000)
    download_button = page.locator("#cehua-widget button.download")
    expect(download_button).to_be_visible(timeout=120_000)
    assert sections.count() >= 5
    states = sections.evaluate_all("items => items.map(li => li.className)")
    assert all("is-done" in s or "is-weak" in s for s in states), states
    expect(page.locator("#cehua-widget .status.is-done")).to_contain_text("方案已起草")
    expect(page.locator("#cehua-widget .findings h3")).to_have_text("校验结果")
    _shot(page, "widget-plan")
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as f:
        assert f.read(2) == b"PK"  # a DOCX is a zip archive

    show = page.locator("#cehua-widget .actions button", has_text="查看方案")
    show.click()
    expect(show).to_have_attribute("aria-expanded", "true")
    preview = page.locator("#cehua-widget .plan-preview")
    expect(preview.locator(".md-heading").first).to_have_text("中秋节月饼促销方案", timeout=30_000)
    expect(preview).to_contain_text("一、活动背景与目标")
    expect(preview.locator("table.md-table th").first).to_be_visible()
    assert preview.locator("table.md-table").count() >= 1
    expect(preview).not_to_contain_text("| ---")
    preview.locator("table.md-table").first.scroll_into_view_if_needed()
    _shot(page, "widget-plan-preview")


def test_a_plan_request_typed_in_the_chat_starts_drafting(server: str, page: Page) -> None:
    _open_widget(page, server)
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("帮我做个端午节粽子促销方案，预算20万，6月1日到6月20日")
    box.press("Enter")
    expect(page.locator("#cehua-widget #cehua-tab-plan")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#cehua-widget button.download")).to_be_visible(timeout=120_000)
    page.locator("#cehua-widget #cehua-tab-chat").click()
    expect(page.locator("#cehua-widget .msg.assistant").last).to_contain_text("已转到「起草方案」")


def test_chat_asks_for_the_budget_drafts_then_edits_and_the_new_version_downloads(server: str, page: Page) -> None:
    _open_widget(page, server)
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("帮我做个圣诞节促销方案")
    box.press("Enter")
    asked = page.locator("#cehua-widget .msg.assistant .answer").last
    expect(asked).to_contain_text("还需要：预算、开始日期、结束日期", timeout=60_000)
    expect(page.locator("#cehua-widget #cehua-tab-chat")).to_have_attribute("aria-selected", "true")

    box.fill("预算5万，下个月1号到15号")
    box.press("Enter")
    expect(page.locator("#cehua-widget #cehua-tab-plan")).to_have_attribute("aria-selected", "true", timeout=60_000)
    expect(page.locator("#cehua-widget .sections .section").first).to_be_visible(timeout=60_000)
    expect(page.locator("#cehua-widget .progress button.download")).to_be_visible(timeout=120_000)
    expect(page.locator("#cehua-widget .status.is-done")).to_contain_text("方案已起草")

    page.locator("#cehua-widget #cehua-tab-chat").click()
    box.fill("预算改成8千")
    box.press("Enter")
    card = page.locator("#cehua-widget .msg.assistant .plan-card").last
    expect(card).to_be_visible(timeout=60_000)
    expect(card.locator(".plan-version")).to_have_text("第2版")
    expect(page.locator("#cehua-widget .msg.assistant .answer").last).to_contain_text("总预算:5万元 → 8,000元")
    _shot(page, "widget-chat-edit")
    with page.expect_download() as info:
        card.locator("button.download").click()
    download = info.value
    assert download.suggested_filename.endswith("-v2.docx")
    with open(download.path(), "rb") as f:
        assert f.read(2) == b"PK"


@pytest.mark.parametrize(("lang", "text", "shown"), [
    ("zh-Hans", "帮我们做个圣诞节活动方案", ["预算", "开始日期", "结束日期", "卖什么产品（可选）", "优惠玩法（可选）"]),
    ("zh-Hant", "想幫自家的手工皂做個母親節買一送一", ["預算", "開始日期", "結束日期"]),  # product and offer given
    ("en", "hey can you help me put together a plan for chinese new year?",
     ["budget", "start date", "end date", "what you sell (optional)", "the offer (optional)"]),
])
def test_an_ask_back_lists_what_it_asked_for(server: str, page: Page, lang: str, text: str,
                                             shown: list[str]) -> None:
    """The reply's ``asked`` (conv26) was only in the JSON: the widget showed the prose alone. It lists each item now,
    the product and the offer marked optional (the draft does not wait for them)."""
    _open_widget(page, server, lang)
    box = page.locator("#cehua-widget textarea.input").first
    box.fill(text)
    box.press("Enter")
    items = page.locator("#cehua-widget .msg.assistant").last.locator(".asked .asked-item")
    expect(items.first).to_be_visible(timeout=60_000)
    expect(items).to_have_text(shown)
    for item in items.all():
        optional = item.get_attribute("data-field") in ("product", "mechanic")
        assert ("optional" in (item.get_attribute("class") or "")) == optional
    _shot(page, f"widget-asked-{lang}")
    box.fill("预算5万，12月18号到25号" if lang != "en" else "budget 50k RMB, Jan 20 to Feb 5")
    box.press("Enter")
    expect(page.locator("#cehua-widget .progress button.download")).to_be_visible(timeout=120_000)
    page.locator("#cehua-widget #cehua-tab-chat").click()
    expect(page.locator("#cehua-widget .msg.assistant").last.locator(".asked")).to_have_count(0)  # a plan asks nothing


@pytest.mark.parametrize(("lang", "request_text", "hint", "chat_hint", "placeholder"), [
    ("zh-Hans", "帮我做个国庆节促销方案，预算20万，9月25日到10月7日", "要修改方案，到「问答」里直接说",
     "要修改方案，直接在这里说", "预算改成8万"),
    ("zh-Hant", "幫我做個國慶節促銷方案，預算20萬，9月25日到10月7日", "要修改方案，到「問答」裡直接說",
     "要修改方案，直接在這裡說", "預算改成8萬"),
    ("en", "Draft a National Day promotion for a bakery, budget 200,000 RMB, Sep 25 to Oct 7",
     "To change the plan, tell me in the Ask tab", "To change the plan, just say it here", "change the budget"),
])
def test_a_drafted_plan_says_that_edits_are_made_by_talking_in_the_chat_tab(
        server: str, page: Page, lang: str, request_text: str, hint: str, chat_hint: str, placeholder: str) -> None:
    # A new user drafted a plan in the plan tab and found no way to change it: the plan tab must say where
    # (and take them there), the chat must say so too, and the chat box must show what to type.
    _open_widget(page, server, lang)
    page.locator("#cehua-widget #cehua-tab-plan").click()
    tab = page.locator("#cehua-widget #cehua-tab-chat").inner_text()
    expect(page.locator("#cehua-widget .plan-form .hint")).to_contain_text(tab)  # said before drafting, too
    page.locator("#cehua-widget #cehua-request").fill(request_text)
    page.locator("#cehua-widget .plan-form button.primary").click()
    expect(page.locator("#cehua-widget .progress button.download")).to_be_visible(timeout=120_000)
    note = page.locator("#cehua-widget .progress .edit-hint")
    expect(note).to_contain_text(hint)
    _shot(page, f"widget-edit-hint-{lang}")
    note.locator("button").click()
    expect(page.locator("#cehua-widget #cehua-tab-chat")).to_have_attribute("aria-selected", "true")
    box = page.locator("#cehua-widget textarea.input").first
    expect(box).to_be_focused()
    assert placeholder in (box.get_attribute("placeholder") or "")
    expect(page.locator("#cehua-widget .msg.assistant .answer").last).to_contain_text(chat_hint)


def test_fields_join_the_request_text_in_one_message(server: str, page: Page) -> None:
    _open_widget(page, server)
    page.locator("#cehua-widget #cehua-tab-plan").click()
    page.locator("#cehua-widget #cehua-request").fill("帮我做个元旦促销方案")
    page.locator("#cehua-widget details.fields summary").click()
    page.locator("#cehua-widget #cehua-f-budget").fill("60000")
    page.locator("#cehua-widget #cehua-f-start").fill("2027-01-01")
    page.locator("#cehua-widget #cehua-f-end").fill("2027-01-03")
    page.locator("#cehua-widget .plan-form button.primary").click()
    expect(page.locator("#cehua-widget .progress button.download")).to_be_visible(timeout=120_000)
    page.locator("#cehua-widget #cehua-tab-chat").click()
    expect(page.locator("#cehua-widget .msg.user").last).to_have_text(
        "你：帮我做个元旦促销方案，预算60000元，2027-01-01到2027-01-03")


def test_a_request_without_budget_or_dates_marks_the_missing_fields(server: str, page: Page) -> None:
    _open_widget(page, server)
    page.locator("#cehua-widget #cehua-tab-plan").click()
    page.locator("#cehua-widget #cehua-request").fill("帮我做个中秋节促销方案")
    page.locator("#cehua-widget .plan-form button.primary").click()
    error = page.locator("#cehua-widget .plan-form .error")
    expect(error).to_be_visible(timeout=30_000)
    expect(error).to_contain_text("预算")
    for name in ("budget", "start", "end"):
        expect(page.locator(f"#cehua-widget #cehua-f-{name}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#cehua-widget .progress")).to_be_hidden()


def test_the_conversation_continues_after_a_reload(server: str, page: Page) -> None:
    _open_widget(page, server)
    box = page.locator("#cehua-widget textarea.input").first
    with page.expect_request(lambda r: r.url.endswith("/v1/chat")) as first:
        box.fill("促销活动的预算应该怎么分配？")
        box.press("Enter")
    assert json.loads(first.value.post_data or "{}")["conversation_id"] is None
    expect(page.locator("#cehua-widget .msg.assistant .answer").last).to_have_attribute("aria-busy", "false",
                                                                                         timeout=60_000)
    page.reload()
    page.locator("#cehua-widget button.launcher").click()
    box = page.locator("#cehua-widget textarea.input").first
    with page.expect_request(lambda r: r.url.endswith("/v1/chat")) as second:
        box.fill("那宣传费用占多少？")
        box.press("Enter")
    conversation = json.loads(second.value.post_data or "{}")["conversation_id"]
    assert isinstance(conversation, str) and len(conversation) >= 8
    expect(page.locator("#cehua-widget .msg.assistant .answer").last).to_have_attribute("aria-busy", "false",
                                                                                         timeout=60_000)
    expect(page.locator("#cehua-widget .msg.assistant .error")).to_have_count(0)


def test_mobile_viewport_panel_fills_the_screen(server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 780}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _open_widget(page, server)
        box = page.locator("#cehua-widget .panel").bounding_box()
        assert box is not None and box["width"] == 390 and box["height"] == 780
        _shot(page, "widget-mobile")
    finally:
        context.close()


PAYLOAD_DOC = """# 彩虹糖果节活动指南

## 第一章 彩虹糖果节口号

彩虹糖果节的官方口号是 <img src=x onerror="window.__xss.push('img');alert('img')"> 甜蜜加倍，\
<script>window.__xss.push('script');alert('script')</script> 彩虹糖果节的口号应印在所有门店海报上。\
彩虹糖果节口号设计要朗朗上口，突出彩虹糖果的七种颜色。
"""


def test_html_in_a_passage_and_an_answer_is_shown_as_text_and_never_runs(server: str, page: Page) -> None:
    boundary = "cehua-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"rainbow.md\"\r\n"
            f"Content-Type: text/markdown\r\n\r\n{PAYLOAD_DOC}\r\n--{boundary}--\r\n").encode()
    request = urllib.request.Request(server + "/v1/kb/documents", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback test server
        assert response.status == 201

    _open_widget(page, server)
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("彩虹糖果节的官方口号是什么？")
    box.press("Enter")
    answer = page.locator("#cehua-widget .msg.assistant .answer").last
    expect(answer).to_have_attribute("aria-busy", "false", timeout=60_000)
    for cite in page.locator("#cehua-widget .msg.assistant").last.locator("button.cite").all():
        cite.click()
    page.wait_for_timeout(500)  # give an injected handler every chance to fire
    shown = page.locator("#cehua-widget .msg.assistant").last.inner_text()
    assert "onerror" in shown and "<script>" in shown, shown  # the payload reached the page, as text
    counts = page.evaluate("""() => {
        const root = document.querySelector('#cehua-widget').shadowRoot;
        return {img: root.querySelectorAll('.log img').length, script: root.querySelectorAll('.log script').length,
                fired: window.__xss.slice()};
    }""")
    assert counts == {"img": 0, "script": 0, "fired": []}
    assert page.dialogs == []  # type: ignore[attr-defined]
    _shot(page, "widget-xss")


HOST_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>某品牌商城</title>
<style>* { color: lime !important; font-size: 40px !important; } button { display: none !important; }</style>
</head><body><h1>某品牌商城</h1>
<script src="{api}/widget.js" data-key="{key}" data-title="商城策划助手" data-lang="zh-Hans"></script>
<script src="{api}/widget.js" data-key="{key}" data-title="pasted twice" data-lang="en"></script>
</body></html>"""


@pytest.fixture
def host_site() -> Iterator[tuple[str, list[str]]]:
    """A customer's site on another origin (http://localhost:PORT); set its page with ``pages[0]``."""
    pages = [""]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            data = pages[0].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}", pages
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_widget_on_another_origin_works_with_a_widget_key_and_ignores_the_pages_css(
    server: str, server_home: Path, host_site: tuple[str, list[str]], page: Page
) -> None:
    """Runs last: once a key exists the API is closed to keyless callers."""
    site, pages = host_site
    created = subprocess.run([_cehua(), "keys", "create", "--name", "shop", "--kind", "widget", "--origin", site,
                              "--json"], env=_env(server_home), capture_output=True, text=True, check=True)
    key = json.loads(created.stdout)["key"]
    pages[0] = HOST_PAGE.replace("{api}", server).replace("{key}", key)
    page.goto(site + "/")
    launcher = page.locator("#cehua-widget button.launcher")
    expect(launcher).to_be_visible()  # the page hides every button; not the widget's
    expect(page.locator("#cehua-widget")).to_have_count(1)  # the snippet pasted twice makes one widget
    assert launcher.evaluate("b => getComputedStyle(b).fontSize") != "40px"
    launcher.click()
    expect(page.locator("#cehua-widget .title")).to_have_text("商城策划助手")
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("促销活动的预算应该怎么分配？")
    box.press("Enter")
    answer = page.locator("#cehua-widget .msg.assistant .answer").last
    expect(answer).to_have_attribute("aria-busy", "false", timeout=60_000)
    expect(page.locator("#cehua-widget .msg.assistant .error")).to_have_count(0)
    page.locator("#cehua-widget #cehua-tab-plan").click()
    page.locator("#cehua-widget #cehua-request").fill("帮我做个国庆节家电促销方案，预算80万，9月25日到10月7日")
    page.locator("#cehua-widget .plan-form button.primary").click()
    download_button = page.locator("#cehua-widget button.download")
    expect(download_button).to_be_visible(timeout=120_000)
    with page.expect_download() as info:
        download_button.click()
    assert info.value.suggested_filename.endswith(".docx")
    _shot(page, "widget-cross-origin")

    # The same page on an origin the key does not allow gets a clear refusal, shown in the widget.
    page.goto(site.replace("localhost", "127.0.0.1") + "/")
    page.locator("#cehua-widget button.launcher").click()
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("预算怎么分配？")
    box.press("Enter")
    refusal = page.locator("#cehua-widget .msg.assistant .error").last
    expect(refusal).to_be_visible(timeout=30_000)
    expect(refusal).to_contain_text("未获授权")


def test_the_docs_page_renders_with_the_network_cut_off(server: str, page: Page) -> None:
    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(f"{server}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Cehua API", timeout=30_000)
    expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible()
    assert outside == []


def test_the_demo_page_says_how_to_get_a_key_once_keys_exist(server: str, page: Page) -> None:
    """Runs after a key was created above: the demo page and the widget explain it in their language."""
    page.goto(f"{server}/?lang=zh-Hant")
    notice = page.locator("#needs-key")
    expect(notice).to_contain_text("需要一個小工具金鑰")
    expect(notice).to_contain_text(f"cehua keys create --kind widget --origin {server}")
    page.locator("#cehua-widget button.launcher").click()
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("預算怎麼分配？")
    box.press("Enter")
    refusal = page.locator("#cehua-widget .msg.assistant .error").last
    expect(refusal).to_contain_text("該服務需要存取金鑰", timeout=30_000)
    expect(refusal).not_to_contain_text("this API needs a key")


def test_a_widget_key_typed_into_the_demo_page_is_used_and_never_put_in_the_url(
    server: str, server_home: Path, page: Page
) -> None:
    """Runs after keys exist: the demo page takes its key from its form, keeps it in the tab, not the URL."""
    created = subprocess.run([_cehua(), "keys", "create", "--name", "demo", "--kind", "widget", "--origin", server,
                              "--json"], env=_env(server_home), capture_output=True, text=True, check=True)
    key = json.loads(created.stdout)["key"]
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    page.goto(f"{server}/?lang=en")
    expect(page.locator("#needs-key")).to_be_visible()
    page.locator("#demo-key").fill(key)
    page.locator("#demo-key-form button").click()
    expect(page.locator("#needs-key")).to_be_hidden()
    page.locator("#cehua-widget button.launcher").click()
    box = page.locator("#cehua-widget textarea.input").first
    box.fill("How early should a Mid-Autumn promotion start warming up?")
    box.press("Enter")
    answer = page.locator("#cehua-widget .msg.assistant .answer").last
    expect(answer).to_have_attribute("aria-busy", "false", timeout=60_000)
    expect(page.locator("#cehua-widget .msg.assistant .error")).to_have_count(0)
    assert key not in page.url and not any(key in url for url in sent)
    _shot(page, "demo-page-with-key")



def test_the_demo_page_loads_without_a_failed_request(server: str, page: Page) -> None:
    """Every visit to the demo page put 「Failed to load resource: 404」 on the console: Chromium asks for
    /favicon.ico, which the server does not have, and an admin checking the console took it for a broken install."""
    failed: list[str] = []
    page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    page.goto(f"{server}/")
    expect(page.locator("#cehua-widget button.launcher")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    assert failed == []
