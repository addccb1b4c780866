/*
 * The demo page's loader: embeds the widget the way a customer's page would, with the widget key
 * typed into the page's form. The key is kept in this tab's sessionStorage only, never in the URL,
 * so it does not end up in server logs, browser history or Referer headers.
 */
(() => {
  "use strict";
  const STORE = "cehua-demo-key";
  const loader = document.currentScript;
  const form = document.getElementById("demo-key-form");
  const input = document.getElementById("demo-key");
  let key = "";
  try { key = sessionStorage.getItem(STORE) || ""; } catch (_) { /* storage disabled: no key */ }
  input.value = key;
  // The "this server needs a key" notice is for visitors who have not given one yet.
  const notice = document.getElementById("needs-key");
  if (notice && key) notice.hidden = true;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      if (input.value.trim()) sessionStorage.setItem(STORE, input.value.trim());
      else sessionStorage.removeItem(STORE);
    } catch (_) { /* storage disabled: the key lasts until the page is left */ }
    location.reload();
  });

  const widget = document.createElement("script");
  widget.src = "/widget.js";
  widget.dataset.key = key;
  if (loader.dataset.title) widget.dataset.title = loader.dataset.title;
  if (loader.dataset.lang) widget.dataset.lang = loader.dataset.lang;
  document.body.appendChild(widget);
})();
