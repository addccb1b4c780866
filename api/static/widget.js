/*
 * Cehua (策劃) chat widget: one script tag adds a chat bubble to any page.
 *
 *   <script src="https://cehua.example.com/widget.js" data-key="ch_..." data-title="策划助手"
 *           data-lang="zh-Hans|zh-Hant|en"></script>
 *
 * Plain modern JS, no build step. The UI lives in a shadow root so the host page's CSS cannot
 * reach it. The API origin is the origin of this script's src. Only the widget key (data-key) is
 * ever sent, as a Bearer token.
 *
 * Safety: model output and guidebook text are never parsed as HTML. Everything is built with
 * createElement + textContent; the tiny markdown subset (bold, lists, line breaks, [n] citation
 * markers) is interpreted here, character by character, into DOM nodes.
 */
(() => {
  "use strict";

  const script = document.currentScript ||
    Array.from(document.querySelectorAll("script[src]")).reverse().find((s) => /widget\.js(\?|$)/.test(s.src));
  // One widget per page, even if the snippet is pasted twice.
  if (!script || window.Cehua) return;
  const API = new URL(script.src, location.href).origin;
  const KEY = script.dataset.key || "";

  const TEXT = {
    "zh-Hans": {
      title: "策划助手", open: "打开策划助手", close: "关闭", chatTab: "问答", planTab: "起草方案",
      placeholder: "输入问题，例如：中秋促销应该提前多久预热？", send: "发送", thinking: "正在查阅指南…",
      welcome: "你好！我可以根据策划指南回答问题，并附上出处；也可以帮你起草活动方案。",
      sources: "出处", noSources: "指南中没有找到依据，以下回答仅供参考。", error: "出错了：",
      network: "无法连接服务器，或本网站未获授权使用该助手。", planIntro: "描述你的活动（品牌、节日、预算、日期），或填写下面的字段。起草后，到「问答」里直接说就能修改方案。",
      request: "方案需求", requestPlaceholder: "例如：帮我做个中秋节月饼促销方案，预算50万，9月1日到9月17日",
      brand: "品牌", occasion: "节日/主题", budget: "预算（元）", start: "开始日期", end: "结束日期",
      fields: "或填写字段", draft: "开始起草", drafting: "起草中…", waiting: "等待中", working: "起草中",
      done: "已完成", weak: "资料不足", repaired: "已修正", outline: "方案大纲", checks: "校验结果",
      clean: "校验通过，没有发现错误。", errors: "个错误", warnings: "个提醒", download: "下载 Word 文档",
      downloading: "正在生成…", ready: "方案已起草：", newPlan: "再起草一份", cite: "查看出处",
      missing: "还缺少：", section: "章节", you: "你", assistant: "助手",
      asked: { title: "还需要你告诉我：", budget: "预算", start: "开始日期", end: "结束日期", product: "卖什么产品",
        mechanic: "优惠玩法", optional: "（可选）" },
      toPlan: "好的，已转到「起草方案」开始起草。", preview: "查看方案", version: "第{n}版", budgetWord: "预算",
      editHint: "要修改方案，到「问答」里直接说，例如「预算改成8万」「加上小红书渠道」「活动整体延后一周」；说「撤销」退回上一版。",
      editHere: "要修改方案，直接在这里说，例如「预算改成8万」「加上小红书渠道」「活动整体延后一周」；说「撤销」退回上一版。",
      editInChat: "到「问答」里修改", editPlaceholder: "说说要怎么改，例如：预算改成8万、加上小红书渠道、撤销",
      chart: { timeline: "活动时间轴(甘特图)", budget: "预算分配图" },
      needKey: "该服务需要访问密钥：请网站管理员运行 cehua keys create --kind widget --origin 本站地址，"
        + "并把密钥写进嵌入代码的 data-key。",
    },
    "zh-Hant": {
      title: "策劃助手", open: "打開策劃助手", close: "關閉", chatTab: "問答", planTab: "起草方案",
      placeholder: "輸入問題，例如：中秋促銷應該提前多久預熱？", send: "發送", thinking: "正在查閱指南…",
      welcome: "你好！我可以根據策劃指南回答問題，並附上出處；也可以幫你起草活動方案。",
      sources: "出處", noSources: "指南中沒有找到依據，以下回答僅供參考。", error: "出錯了：",
      network: "無法連接伺服器，或本網站未獲授權使用該助手。", planIntro: "描述你的活動（品牌、節日、預算、日期），或填寫下面的欄位。起草後，到「問答」裡直接說就能修改方案。",
      request: "方案需求", requestPlaceholder: "例如：幫我做個中秋節月餅促銷方案，預算50萬，9月1日到9月17日",
      brand: "品牌", occasion: "節日/主題", budget: "預算（元）", start: "開始日期", end: "結束日期",
      fields: "或填寫欄位", draft: "開始起草", drafting: "起草中…", waiting: "等待中", working: "起草中",
      done: "已完成", weak: "資料不足", repaired: "已修正", outline: "方案大綱", checks: "校驗結果",
      clean: "校驗通過，沒有發現錯誤。", errors: "個錯誤", warnings: "個提醒", download: "下載 Word 文件",
      downloading: "正在生成…", ready: "方案已起草：", newPlan: "再起草一份", cite: "查看出處",
      missing: "還缺少：", section: "章節", you: "你", assistant: "助手",
      asked: { title: "還需要你告訴我：", budget: "預算", start: "開始日期", end: "結束日期", product: "賣什麼產品",
        mechanic: "優惠玩法", optional: "（可選）" },
      toPlan: "好的，已轉到「起草方案」開始起草。", preview: "查看方案", version: "第{n}版", budgetWord: "預算",
      editHint: "要修改方案，到「問答」裡直接說，例如「預算改成8萬」「加上小紅書渠道」「活動整體延後一週」；說「撤銷」退回上一版。",
      editHere: "要修改方案，直接在這裡說，例如「預算改成8萬」「加上小紅書渠道」「活動整體延後一週」；說「撤銷」退回上一版。",
      editInChat: "到「問答」裡修改", editPlaceholder: "說說要怎麼改，例如：預算改成8萬、加上小紅書渠道、撤銷",
      chart: { timeline: "活動時間軸(甘特圖)", budget: "預算分配圖" },
      needKey: "該服務需要存取金鑰：請網站管理員執行 cehua keys create --kind widget --origin 本站網址，"
        + "並把金鑰寫進嵌入程式碼的 data-key。",
    },
    en: {
      title: "Planning assistant", open: "Open the planning assistant", close: "Close", chatTab: "Ask",
      planTab: "Draft a plan", placeholder: "Ask a question, e.g. how early should a Mid-Autumn promotion start?",
      send: "Send", thinking: "Reading the guidebooks…",
      welcome: "Hello! I answer from the planning guidebooks with sources, and I can draft a campaign plan.",
      sources: "Sources", noSources: "Nothing in the guidebooks supports this; treat the answer with care.",
      error: "Error: ", network: "Cannot reach the server, or this site is not allowed to use the assistant.",
      planIntro: "Describe the campaign (brand, occasion, budget, dates), or fill in the fields below. Once it is "
        + "drafted, change it by telling me in the Ask tab.",
      request: "Plan request", requestPlaceholder: "e.g. Draft a Mid-Autumn mooncake promotion, budget 500,000 RMB, Sep 1 to Sep 17",
      brand: "Brand", occasion: "Occasion / theme", budget: "Budget (RMB)", start: "Start date", end: "End date",
      fields: "Or fill in fields", draft: "Draft the plan", drafting: "Drafting…", waiting: "waiting",
      working: "drafting", done: "done", weak: "thin sources", repaired: "repaired", outline: "Outline",
      checks: "Checks", clean: "Checks passed: no errors.", errors: " error(s)", warnings: " warning(s)",
      download: "Download Word document", downloading: "Preparing…", ready: "Plan drafted: ",
      newPlan: "Draft another", cite: "Show source", missing: "Missing: ", section: "Section",
      you: "You", assistant: "Assistant",
      asked: { title: "Still to tell me:", budget: "budget", start: "start date", end: "end date", product: "what you sell",
        mechanic: "the offer", optional: " (optional)" },
      toPlan: "Sure: drafting it in the \"Draft a plan\" tab.",
      preview: "View the plan", version: "Version {n}", budgetWord: "budget ",
      editHint: "To change the plan, tell me in the Ask tab, e.g. \"change the budget to 80,000\", \"add Xiaohongshu\", "
        + "\"push everything back a week\"; say \"undo\" to go back a version.",
      editHere: "To change the plan, just say it here, e.g. \"change the budget to 80,000\", \"add Xiaohongshu\", "
        + "\"push everything back a week\"; say \"undo\" to go back a version.",
      editInChat: "Change it in the Ask tab", editPlaceholder: "Say what to change, e.g. change the budget to 80,000, add Xiaohongshu, undo",
      chart: { timeline: "Timeline (Gantt chart)", budget: "Budget split" },
      needKey: "This service needs a key: the site's administrator runs cehua keys create --kind widget "
        + "--origin <this site> and puts the key in the snippet's data-key.",
    },
  };

  function pickLang(value) {
    const v = String(value || "").toLowerCase();
    if (v === "en" || v.startsWith("en-")) return "en";
    if (v === "zh-hant" || v === "zh-tw" || v === "zh-hk" || v === "zh-mo") return "zh-Hant";
    return "zh-Hans";
  }
  const LANG = pickLang(script.dataset.lang || document.documentElement.lang || navigator.language);
  const T = TEXT[LANG];
  const TITLE = script.dataset.title || T.title;

  // --- small DOM helpers (text only, never HTML) ---------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // --- safe markdown subset: **bold**, "- " / "1. " lists, headings as bold lines, [n] markers -----
  function inline(text, onCite) {
    const out = document.createDocumentFragment();
    const pattern = /\*\*([^*\n]+)\*\*|\[(\d{1,3})\]/g;
    let last = 0;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) out.append(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) {
        out.append(el("strong", { text: match[1] }));
      } else {
        const n = Number(match[2]);
        out.append(onCite ? onCite(n) : document.createTextNode(match[0]));
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) out.append(document.createTextNode(text.slice(last)));
    return out;
  }

  function tableCells(line) {
    return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
  }

  function renderMarkdown(text, onCite) {
    const out = document.createDocumentFragment();
    let list = null;
    let para = null;
    let table = null;
    const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    for (const raw of lines) {
      const line = raw.replace(/\s+$/, "");
      if (/^\s*\|.*\|$/.test(line)) {
        const cells = tableCells(line);
        list = null;
        para = null;
        if (cells.every((c) => /^:?-{2,}:?$/.test(c))) continue;
        if (!table) {
          table = el("table", { class: "md-table" });
          const head = el("tr");
          for (const c of cells) head.append(el("th", { scope: "col" }, inline(c, onCite)));
          table.append(el("thead", null, head), el("tbody"));
          out.append(el("div", { class: "md-table-wrap" }, table));
        } else {
          const row = el("tr");
          for (const c of cells) row.append(el("td", null, inline(c, onCite)));
          table.tBodies[0].append(row);
        }
        continue;
      }
      table = null;
      const bullet = /^\s*(?:[-*•·]\s+|\d{1,2}[.)]\s+|\d{1,2}、\s*)(.*)$/.exec(line);
      const heading = /^\s*#{1,6}\s+(.*)$/.exec(line);
      if (!line.trim()) {
        list = null;
        para = null;
        continue;
      }
      if (bullet) {
        const ordered = /^\s*\d/.test(line);
        if (!list || list.tagName !== (ordered ? "OL" : "UL")) {
          list = el(ordered ? "ol" : "ul");
          out.append(list);
        }
        list.append(el("li", null, inline(bullet[1], onCite)));
        para = null;
        continue;
      }
      list = null;
      if (heading) {
        out.append(el("p", { class: "md-heading" }, el("strong", null, inline(heading[1], onCite))));
        para = null;
        continue;
      }
      if (para) para.append(el("br"));
      else {
        para = el("p");
        out.append(para);
      }
      para.append(inline(line, onCite));
    }
    return out;
  }

  // --- server-sent events over fetch (POST bodies and Authorization headers, unlike EventSource) ---
  async function* readEvents(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
        let event = "message";
        const data = [];
        for (const line of frame.split(/\r?\n/)) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const val = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event = val;
          else if (field === "data") data.push(val);
        }
        if (!data.length) continue;
        let parsed;
        try {
          parsed = JSON.parse(data.join("\n"));
        } catch (_) {
          parsed = { text: data.join("\n") };
        }
        yield { event, data: parsed };
      }
    }
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    if (KEY) h.Authorization = "Bearer " + KEY;
    return h;
  }

  // Key problems are the site owner's to fix: say so in the widget's language, not the API's English.
  const KEY_ERRORS = ["missing_key", "invalid_key", "revoked_key", "expired_key", "forbidden_origin"];

  async function errorText(response) {
    if (response.status === 401) return T.needKey;
    try {
      const body = await response.json();
      if (body && body.error && KEY_ERRORS.includes(body.error.code)) return T.needKey;
      if (body && body.error && body.error.message) return body.error.message;
    } catch (_) { /* not JSON */ }
    return "HTTP " + response.status;
  }

  // --- the shadow root and its chrome ------------------------------------------------------------
  const host = el("div", { id: "cehua-widget", "data-cehua": "widget" });
  const root = host.attachShadow({ mode: "open" });
  const sheet = el("link", { rel: "stylesheet", href: API + "/widget.css" });
  const shell = el("div", { class: "cehua", lang: LANG, hidden: true });
  sheet.addEventListener("load", () => { shell.hidden = false; });
  sheet.addEventListener("error", () => { shell.hidden = false; });
  root.append(sheet, shell);

  const launcher = el("button", {
    class: "launcher", type: "button", "aria-label": T.open, "aria-expanded": "false",
    "aria-controls": "cehua-panel", title: TITLE,
  }, el("span", { class: "launcher-mark", "aria-hidden": "true", text: LANG === "en" ? "C" : "策" }));

  const closeButton = el("button", { class: "close", type: "button", "aria-label": T.close, text: "×" });
  const chatTab = el("button", { class: "tab", type: "button", role: "tab", id: "cehua-tab-chat",
    "aria-selected": "true", "aria-controls": "cehua-chat", text: T.chatTab });
  const planTab = el("button", { class: "tab", type: "button", role: "tab", id: "cehua-tab-plan",
    "aria-selected": "false", "aria-controls": "cehua-plan", tabindex: "-1", text: T.planTab });

  const log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.chatTab });
  const question = el("textarea", { class: "input", rows: "2", placeholder: T.placeholder,
    "aria-label": T.placeholder, maxlength: "4000" });
  const sendButton = el("button", { class: "primary", type: "submit", text: T.send });
  const chatForm = el("form", { class: "composer" }, question, sendButton);
  const chatView = el("div", { class: "view", id: "cehua-chat", role: "tabpanel",
    "aria-labelledby": "cehua-tab-chat" }, log, chatForm);

  const planView = el("div", { class: "view plan", id: "cehua-plan", role: "tabpanel",
    "aria-labelledby": "cehua-tab-plan", hidden: true });

  const panel = el("section", { class: "panel", id: "cehua-panel", role: "dialog", "aria-label": TITLE,
    hidden: true },
    el("header", { class: "bar" }, el("h2", { class: "title", text: TITLE }), closeButton),
    el("div", { class: "tabs", role: "tablist" }, chatTab, planTab),
    chatView, planView);
  shell.append(panel, launcher);

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    shell.classList.toggle("open", open);
    if (open) (planView.hidden ? question : planView.querySelector("textarea, input, button")).focus();
    else launcher.focus();
  }
  launcher.addEventListener("click", () => setOpen(panel.hidden));
  closeButton.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      setOpen(false);
    }
  });

  function selectTab(which) {
    const chat = which === "chat";
    chatTab.setAttribute("aria-selected", String(chat));
    planTab.setAttribute("aria-selected", String(!chat));
    chatTab.tabIndex = chat ? 0 : -1;
    planTab.tabIndex = chat ? -1 : 0;
    chatView.hidden = !chat;
    planView.hidden = chat;
  }
  chatTab.addEventListener("click", () => selectTab("chat"));
  planTab.addEventListener("click", () => selectTab("plan"));
  for (const tab of [chatTab, planTab]) {
    tab.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const next = tab === chatTab ? planTab : chatTab;
        selectTab(next === chatTab ? "chat" : "plan");
        next.focus();
        e.preventDefault();
      }
    });
  }

  // --- chat ---------------------------------------------------------------------------------------
  // The conversation survives a page reload within the tab (never the key: that stays in data-key).
  const STORE = "cehua:conversation:" + API;
  let conversationId = null;
  try { conversationId = sessionStorage.getItem(STORE); } catch (_) { /* storage blocked */ }
  function remember(id) {
    conversationId = id || conversationId;
    try { if (conversationId) sessionStorage.setItem(STORE, conversationId); } catch (_) { /* storage blocked */ }
  }
  let busy = false;

  function bubble(role, label) {
    const body = el("div", { class: "bubble-body" });
    const item = el("div", { class: "msg " + role }, el("span", { class: "sr-only", text: label + "：" }), body);
    log.append(item);
    log.scrollTop = log.scrollHeight;
    return { item, body };
  }

  log.append(el("div", { class: "msg assistant welcome" }, el("div", { class: "bubble-body", text: T.welcome })));

  function citationView(citation) {
    const where = [citation.title || citation.doc, citation.section].filter(Boolean).join(" › ");
    return el("div", { class: "cite-detail", role: "note" },
      el("div", { class: "cite-where", text: "[" + citation.n + "] " + where }),
      el("blockquote", { class: "cite-text", text: citation.text || "" }));
  }

  function answerView() {
    const { item, body } = bubble("assistant", T.assistant);
    const textBox = el("div", { class: "answer", "aria-busy": "true" }, el("span", { class: "typing", text: T.thinking }));
    const sources = el("div", { class: "sources", hidden: true });
    body.append(textBox, sources);
    let text = "";
    let citations = [];
    let scheduled = false;
    let failed = false;
    const open = new Map();

    function toggle(n, button) {
      const citation = citations.find((c) => Number(c.n) === n);
      if (!citation) return;
      const shown = open.get(n);
      if (shown) {
        shown.remove();
        open.delete(n);
      } else {
        const detail = citationView(citation);
        open.set(n, detail);
        button.closest(".msg").querySelector(".sources").before(detail);
      }
      for (const b of item.querySelectorAll('button.cite[data-n="' + n + '"]')) {
        b.setAttribute("aria-expanded", String(!shown));
      }
    }

    function citeButton(n) {
      const known = citations.some((c) => Number(c.n) === n);
      if (!known) return document.createTextNode("[" + n + "]");
      const button = el("button", { class: "cite", type: "button", "data-n": n, "aria-expanded": String(open.has(n)),
        "aria-label": T.cite + " " + n, text: String(n) });
      button.addEventListener("click", () => toggle(n, button));
      return button;
    }

    function paint() {
      scheduled = false;
      textBox.replaceChildren(renderMarkdown(text, citeButton));
      log.scrollTop = log.scrollHeight;
    }
    function schedule() {
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(paint);
      }
    }
    return {
      append(chunk) { text += chunk; schedule(); },
      replace(full) { text = full; schedule(); },
      setCitations(list) {
        citations = Array.isArray(list) ? list : [];
        sources.replaceChildren();
        if (citations.length) {
          sources.append(el("div", { class: "sources-title", text: T.sources }));
          const ol = el("ol", { class: "source-list" });
          for (const c of citations) {
            const button = el("button", { class: "source", type: "button", "data-n": c.n },
              el("span", { class: "source-n", text: "[" + c.n + "]" }),
              " " + [c.title || c.doc, c.section].filter(Boolean).join(" › "));
            button.addEventListener("click", () => toggle(Number(c.n), button));
            ol.append(el("li", null, button));
          }
          sources.append(ol);
          sources.hidden = false;
        }
        schedule();
      },
      ungrounded() { body.prepend(el("div", { class: "notice", text: T.noSources })); },
      // What an ask-back asked for (the reply's ``asked``): the essentials, then the product and the offer, which
      // the draft does not wait for (optional). Unknown names are shown as sent.
      asked(names) {
        const list = el("ul", { class: "asked-list" });
        for (const name of names) {
          const optional = name === "product" || name === "mechanic";
          list.append(el("li", { class: "asked-item" + (optional ? " optional" : ""), "data-field": name,
            text: (T.asked[name] || name) + (optional ? T.asked.optional : "") }));
        }
        textBox.after(el("div", { class: "asked", role: "note" }, el("div", { class: "asked-title", text: T.asked.title }),
          list));
      },
      plan(plan) { body.append(planCard(plan)); },
      fail(message) {
        failed = true;
        if (!text) textBox.replaceChildren();
        body.append(el("div", { class: "error", role: "alert", text: T.error + message }));
      },
      finish() {
        textBox.setAttribute("aria-busy", "false");
        if (!text && !failed) paint();
      },
    };
  }

  function chunkOf(data) {
    if (typeof data === "string") return data;
    for (const name of ["text", "token", "delta", "content"]) {
      if (typeof data[name] === "string") return data[name];
    }
    return "";
  }

  // Every message, typed in the chat or sent from the plan form, goes to /v1/chat in one conversation:
  // the server decides whether it is a question, a plan request, an answer to what it asked back,
  // an edit of the plan or an undo. Drafting progress is shown in the plan tab; edits in the chat.
  async function ask(text, fromForm) {
    busy = true;
    sendButton.disabled = true;
    draftButton.disabled = true;
    const mine = bubble("user", T.you);
    mine.body.append(document.createTextNode(text));
    const view = answerView();
    let drafting = null;
    try {
      const response = await fetch(API + "/v1/chat", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify({ question: text, conversation_id: conversationId, stream: true }),
      });
      if (response.status === 404 && conversationId) {
        conversationId = null;
        try { sessionStorage.removeItem(STORE); } catch (_) { /* storage blocked */ }
      }
      if (!response.ok) {
        const message = await errorText(response);
        view.fail(message);
        if (fromForm) showFormError(message, []);
        return;
      }
      const finish = (final, data) => {
        remember(data.conversation || final.conversation);
        if (Array.isArray(final.citations) && final.citations.length) view.setCitations(final.citations);
        const plan = data.plan || final.plan;
        const missing = data.missing || final.missing;
        const asked = data.asked || final.asked;
        if (plan) question.placeholder = T.editPlaceholder;  // a plan is open: the box is where it changes
        if (drafting && plan) {
          view.replace(T.toPlan + "\n\n" + T.editHere);
          drafting.done(plan);
        } else if (typeof final.answer === "string" && final.answer) {
          view.replace(final.answer);
        }
        if (plan && !drafting) view.plan(plan);
        if (Array.isArray(asked) && asked.length && !plan) view.asked(asked);
        if (Array.isArray(missing) && missing.length) markMissing(missing, fromForm ? final.answer : "");
        if (!plan && !missing && (data.grounded === false || final.grounded === false)) view.ungrounded();
      };
      if (!(response.headers.get("content-type") || "").includes("text/event-stream")) {
        const answer = await response.json();
        finish(answer, answer);
        return;
      }
      for await (const { event, data } of readEvents(response)) {
        if (event === "token" || event === "delta") view.append(chunkOf(data));
        else if (event === "answer" && typeof data.answer === "string") view.replace(data.answer);
        else if (event === "citations") view.setCitations(data.citations || data);
        else if (PROGRESS.has(event)) {
          if (!drafting) {
            drafting = draftView();
            view.replace(T.toPlan);
          }
          drafting.event(event, data);
        } else if (event === "done") {
          finish(data.answer && typeof data.answer === "object" ? data.answer : data, data);
        } else if (event === "error") {
          const message = (data.error && data.error.message) || data.message || "";
          view.fail(message);
          if (drafting) drafting.fail(message);
        }
      }
    } catch (_) {
      view.fail(T.network);
      if (drafting) drafting.fail(T.network);
    } finally {
      view.finish();
      busy = false;
      sendButton.disabled = false;
      draftButton.disabled = false;
    }
  }

  chatForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = question.value.trim();
    if (!text || busy) return;
    question.value = "";
    ask(text, false);
  });
  question.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      chatForm.requestSubmit();
    }
  });

  // --- plan drafting ------------------------------------------------------------------------------
  function field(name, label, type, extra) {
    const id = "cehua-f-" + name;
    const input = el("input", Object.assign({ id, name, type, class: "input" }, extra || {}));
    return { input, row: el("label", { class: "field", for: id }, el("span", { text: label }), input) };
  }

  const requestBox = el("textarea", { id: "cehua-request", class: "input", rows: "3", name: "request",
    placeholder: T.requestPlaceholder, maxlength: "4000" });
  const brand = field("brand", T.brand, "text");
  const occasion = field("occasion", T.occasion, "text");
  const budget = field("budget", T.budget, "number", { min: "0", step: "1000", inputmode: "numeric" });
  const start = field("start", T.start, "date");
  const end = field("end", T.end, "date");
  const draftButton = el("button", { class: "primary", type: "submit", text: T.draft });
  const formError = el("div", { class: "error", role: "alert", hidden: true });
  const planForm = el("form", { class: "plan-form" },
    el("p", { class: "hint", text: T.planIntro }),
    el("label", { class: "field", for: "cehua-request" }, el("span", { text: T.request }), requestBox),
    el("details", { class: "fields" }, el("summary", { text: T.fields }),
      el("div", { class: "grid" }, brand.row, occasion.row, budget.row, start.row, end.row)),
    formError, draftButton);
  const progress = el("div", { class: "progress", "aria-live": "polite", hidden: true });
  planView.append(planForm, progress);

  function findingsView(summary) {
    const findings = (summary && summary.findings) || [];
    const box = el("div", { class: "findings" });
    box.append(el("h3", { text: T.checks }));
    if (!findings.length) {
      box.append(el("p", { class: "ok", text: T.clean }));
      return box;
    }
    box.append(el("p", { class: summary.errors ? "bad" : "warn",
      text: (summary.errors || 0) + T.errors + " · " + (summary.warnings || 0) + T.warnings }));
    const ul = el("ul", { class: "finding-list" });
    for (const f of findings) {
      ul.append(el("li", { class: "finding " + (f.severity === "error" ? "is-error" : "is-warning") },
        el("span", { class: "code", text: f.code }), " ",
        el("span", { class: "message", text: f.message }),
        f.location ? el("span", { class: "location", text: " · " + f.location }) : null));
    }
    box.append(ul);
    return box;
  }

  async function downloadDocx(planId, button, version) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = T.downloading;
    try {
      const response = await fetch(API + "/v1/plans/" + encodeURIComponent(planId) + "/export?format=docx" +
        (version ? "&version=" + encodeURIComponent(version) : ""), { headers: headers() });
      if (!response.ok) throw new Error(await errorText(response));
      const blob = await response.blob();
      const disposition = response.headers.get("content-disposition") || "";
      const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || "plan.docx";
      const link = el("a", { href: URL.createObjectURL(blob), download: name, class: "sr-only" });
      root.append(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
    } catch (err) {
      button.after(el("div", { class: "error", role: "alert", text: T.error + (err.message || T.network) }));
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  // The timeline (Gantt) and budget charts are drawn by the server in the plan's script; fetched with the
  // key like every other call, shown from blob URLs. A chart the server cannot draw is simply left out.
  async function chartsView(planId, version) {
    const box = el("div", { class: "plan-charts" });
    for (const name of ["timeline", "budget"]) {
      try {
        const response = await fetch(API + "/v1/plans/" + encodeURIComponent(planId) + "/charts/" + name + ".png"
          + (version ? "?version=" + encodeURIComponent(version) : ""), { headers: headers() });
        if (!response.ok) continue;
        const img = el("img", { src: URL.createObjectURL(await response.blob()), alt: T.chart[name], class: "plan-chart" });
        box.append(img);
      } catch (err) {
        // no chart is better than a broken one: the table below carries the same numbers
      }
    }
    return box;
  }

  async function togglePreview(plan, button, box) {
    const opening = box.hidden;
    box.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    if (!opening || box.childElementCount) return;
    box.append(el("p", { class: "typing", text: T.downloading }));
    try {
      const response = await fetch(API + "/v1/plans/" + encodeURIComponent(plan.id) + "/versions/" +
        encodeURIComponent(plan.version), { headers: headers() });
      if (!response.ok) throw new Error(await errorText(response));
      const version = await response.json();
      box.replaceChildren(await chartsView(plan.id, plan.version), renderMarkdown(version.markdown || "", null));
    } catch (err) {
      box.replaceChildren(el("div", { class: "error", role: "alert", text: T.error + (err.message || T.network) }));
    }
  }

  function sectionList(sections) {
    const ol = el("ol", { class: "sections" });
    const rows = new Map();
    for (const s of sections) {
      const state = el("span", { class: "state", text: T.waiting });
      const li = el("li", { class: "section is-waiting", "data-key": s.key },
        el("span", { class: "section-title", text: s.heading || s.title || s.key }), state);
      rows.set(s.key, { li, state });
      ol.append(li);
    }
    return {
      node: ol,
      mark(key, status, label) {
        const row = rows.get(key);
        if (!row) return;
        row.li.className = "section is-" + status;
        row.state.textContent = label;
      },
    };
  }

  const PROGRESS = new Set(["outline", "section_started", "section_drafted", "section_repaired", "validated"]);

  function summaryOf(findings) {
    const list = findings || [];
    return { findings: list, errors: list.filter((f) => f.severity === "error").length,
      warnings: list.filter((f) => f.severity !== "error").length };
  }

  function planActions(plan) {
    const download = el("button", { class: "primary download", type: "button", text: T.download });
    download.addEventListener("click", () => downloadDocx(plan.id, download, plan.version));
    const preview = el("div", { class: "plan-preview", hidden: true, tabindex: "-1" });
    const show = el("button", { class: "secondary", type: "button", "aria-expanded": "false", text: T.preview });
    show.addEventListener("click", () => togglePreview(plan, show, preview));
    return { node: el("div", { class: "actions" }, download, show), download, preview };
  }

  // A plan version in the chat (after an edit or an undo): its number, its checks, its DOCX.
  function planCard(plan) {
    const actions = planActions(plan);
    return el("div", { class: "plan-card", "data-version": plan.version },
      el("p", { class: "plan-version", text: T.version.replace("{n}", plan.version) }),
      findingsView(summaryOf(plan.findings)), actions.node, actions.preview);
  }

  // Drafting progress in the plan tab, fed by the chat stream's progress events.
  function draftView() {
    selectTab("plan");
    planForm.hidden = true;
    progress.replaceChildren();
    progress.hidden = false;
    const status = el("p", { class: "status", text: T.drafting });
    progress.append(status);
    let list = null;
    let checks = null;
    let title = "";
    return {
      event(event, data) {
        if (event === "outline") {
          title = data.title || "";
          status.textContent = T.drafting + " " + title;
          list = sectionList(data.sections || []);
          progress.append(el("h3", { text: T.outline }), list.node);
        } else if (event === "section_started" && list) {
          list.mark(data.key, "working", T.working);
        } else if (event === "section_drafted" && list) {
          list.mark(data.key, data.supported === false ? "weak" : "done", data.supported === false ? T.weak : T.done);
        } else if (event === "section_repaired" && list) {
          list.mark(data.key, "done", T.repaired);
        } else if (event === "validated") {
          const view = findingsView(data);
          if (checks) checks.replaceWith(view); else progress.append(view);
          checks = view;
        }
      },
      done(plan) {
        status.textContent = T.ready + title;
        status.className = "status is-done";
        const view = findingsView(summaryOf(plan.findings));
        if (checks) checks.replaceWith(view); else progress.append(view);
        checks = view;
        const actions = planActions(plan);
        const again = el("button", { class: "secondary", type: "button", text: T.newPlan });
        again.addEventListener("click", () => {
          progress.hidden = true;
          planForm.hidden = false;
          requestBox.focus();
        });
        actions.node.append(again);
        // Edits are made by talking in the chat tab: say so here, where the plan is, and take the planner there.
        const toChat = el("button", { class: "secondary", type: "button", text: T.editInChat });
        toChat.addEventListener("click", () => {
          selectTab("chat");
          question.placeholder = T.editPlaceholder;
          question.focus();
        });
        const hint = el("div", { class: "edit-hint", role: "note" }, el("p", { class: "hint", text: T.editHint }), toChat);
        status.after(hint);  // at the top, under 「方案已起草」, where a planner looks next
        progress.append(actions.node, actions.preview);
        actions.download.focus();
      },
      fail(message) {
        progress.append(el("div", { class: "error", role: "alert", text: T.error + (message || T.network) }));
        planForm.hidden = false;
      },
    };
  }

  // The form's fields join the request text in one message, so a request typed above and a budget
  // or dates filled in below are read together (and answer what Cehua asked for earlier).
  function messageFromForm() {
    const parts = [];
    const text = requestBox.value.trim();
    if (text) parts.push(text);
    const sep = LANG === "en" ? ", " : "，";
    const said = [];
    if (brand.input.value.trim()) said.push(T.brand + (LANG === "en" ? ": " : "：") + brand.input.value.trim());
    if (occasion.input.value.trim()) said.push(T.occasion + (LANG === "en" ? ": " : "：") + occasion.input.value.trim());
    if (budget.input.value) said.push((LANG === "en" ? "budget " : T.budgetWord) + budget.input.value + (LANG === "en" ? " RMB" : "元"));
    if (start.input.value && end.input.value) said.push(start.input.value + (LANG === "en" ? " to " : "到") + end.input.value);
    else if (start.input.value) said.push((LANG === "en" ? "starting " : "") + start.input.value + (LANG === "en" ? "" : "开始"));
    else if (end.input.value) said.push((LANG === "en" ? "ending " : "") + end.input.value + (LANG === "en" ? "" : "结束"));
    if (said.length) parts.push(said.join(sep));
    return parts.join(sep);
  }

  function showFormError(message, missing) {
    formError.textContent = T.error + message;
    formError.hidden = false;
    for (const [name, f] of Object.entries({ budget, start, end })) {
      f.input.setAttribute("aria-invalid", String(missing.includes(name)));
    }
    if (missing.length) planForm.querySelector("details.fields").open = true;
  }

  function markMissing(missing, message) {
    if (message) showFormError(message, missing);
    else {
      for (const [name, f] of Object.entries({ budget, start, end })) {
        f.input.setAttribute("aria-invalid", String(missing.includes(name)));
      }
    }
  }

  planForm.addEventListener("submit", (e) => {
    e.preventDefault();
    formError.hidden = true;
    const text = messageFromForm();
    if (!text || busy) {
      requestBox.focus();
      return;
    }
    ask(text, true);
  });

  function mount() {
    document.body.append(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  // A small handle for the host page (open/close programmatically); exposes no key.
  window.Cehua = Object.freeze({ open: () => setOpen(true), close: () => setOpen(false) });
})();
