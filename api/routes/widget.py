"""The web widget: ``/`` (a demo page embedding it), ``/widget.js`` and ``/widget.css``.

The demo page takes the language and title from its query string (``/?lang=zh-Hant&title=...``); a
widget key to try is typed into the page (``/demo.js`` keeps it in the tab's sessionStorage), never
put in the URL, where it would land in logs, history and Referer headers. Once keys exist, the page
says (in its language) how to create one. Nothing from the server's settings is rendered: no provider
key can reach the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import SettingsDep, keys_exist

_API_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = _API_DIR / "static"
templates = Jinja2Templates(directory=str(_API_DIR / "templates"))

router = APIRouter(tags=["widget"])

Lang = Literal["zh-Hans", "zh-Hant", "en"]
_PAGE_TEXT = {
    "zh-Hans": {"title": "策划助手", "heading": "策划助手 · 演示页",
                "lead": "点击右下角的按钮：根据营销策划指南回答问题并附出处，或一步步起草活动方案。",
                "embed": "在任何网页嵌入：", "key_label": "试用小部件密钥：", "key_button": "使用",
                "need_key": "本服务已启用访问密钥，演示页需要一个小部件密钥才能使用。在服务器上运行下面的命令创建"
                            "（密钥只显示一次），然后把密钥填进本页下方的输入框：",
                "open_with": "密钥只保存在本浏览器标签页中，不会出现在网址里。"},
    "zh-Hant": {"title": "策劃助手", "heading": "策劃助手 · 演示頁",
                "lead": "點擊右下角的按鈕：根據行銷策劃指南回答問題並附出處，或一步步起草活動方案。",
                "embed": "在任何網頁嵌入：", "key_label": "試用小工具金鑰：", "key_button": "使用",
                "need_key": "本服務已啟用存取金鑰，演示頁需要一個小工具金鑰才能使用。在伺服器上執行下面的指令建立"
                            "（金鑰只顯示一次），然後把金鑰填進本頁下方的輸入框：",
                "open_with": "金鑰只保存在本瀏覽器分頁中，不會出現在網址裡。"},
    "en": {"title": "Planning assistant", "heading": "Cehua planning assistant · demo",
           "lead": "Open the bubble at the bottom right: answers from the marketing guidebooks with "
                   "sources, and campaign plans drafted step by step.",
           "embed": "Embed it on any page:", "key_label": "Widget key to try:", "key_button": "Use",
           "need_key": "This server requires keys, so the demo needs a widget key. Create one on the server "
                       "with the command below (the key is shown once), then paste it into the field below:",
           "open_with": "The key stays in this browser tab only, never in the page's address."},
}
_NO_CACHE = {"Cache-Control": "no-cache"}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo_page(
    request: Request,
    settings: SettingsDep,
    lang: Annotated[Lang, Query(description="Widget language")] = "zh-Hans",
    title: Annotated[str, Query(max_length=60, description="Widget title")] = "",
) -> HTMLResponse:
    """The demo page: a short introduction and the widget, embedded exactly as a customer would."""
    text = _PAGE_TEXT[lang]
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return templates.TemplateResponse(request, "demo.html", {
        "lang": lang, "widget_title": title or text["title"], "text": text,
        "needs_key": keys_exist(settings), "origin": origin,
    })


@router.get("/widget.js", include_in_schema=False)
def widget_script() -> FileResponse:
    """The embeddable widget script."""
    return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8", headers=_NO_CACHE)


@router.get("/widget.css", include_in_schema=False)
def widget_stylesheet() -> FileResponse:
    """The widget's stylesheet (loaded into its shadow root)."""
    return FileResponse(STATIC_DIR / "widget.css", media_type="text/css; charset=utf-8", headers=_NO_CACHE)


@router.get("/demo.js", include_in_schema=False)
def demo_script() -> FileResponse:
    """The demo page's loader: embeds the widget with the key typed into the page."""
    return FileResponse(STATIC_DIR / "demo.js", media_type="text/javascript; charset=utf-8", headers=_NO_CACHE)


@router.get("/demo.css", include_in_schema=False)
def demo_stylesheet() -> FileResponse:
    """The demo page's stylesheet (a file, so the page's CSP needs no inline styles)."""
    return FileResponse(STATIC_DIR / "demo.css", media_type="text/css; charset=utf-8", headers=_NO_CACHE)
