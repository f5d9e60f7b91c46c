// The app shell's small behaviours (base.html). No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  function searchBox() { return document.getElementById("global-search-q"); }
  function results() { return document.getElementById("global-search-results"); }
  document.addEventListener("keydown", function (event) {
    var box = searchBox();
    if (!box) { return; }
    // "/" jumps to the search from anywhere but a text field, as in most work tools.
    if (event.key === "/" && !event.target.closest("input, textarea, select, [contenteditable]")) {
      event.preventDefault();
      box.focus();
      box.select();
    }
    if (event.key === "Escape" && event.target.closest(".global-search")) {
      results().replaceChildren();
      box.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var list = results();
    if (list && !event.target.closest(".global-search")) { list.replaceChildren(); }
  });
})();

// The session's expiry warning (issue 19). The server renders how many seconds the session has left; every
// signed-in answer says it again (X-Session-Expires-In), so in-place (htmx) work moves the end too. Tabs
// share the latest end through localStorage. Before the end the dialog offers "Stay signed in" (a POST
// to the keep-alive URL); at the end the server is asked once more, then the page goes to the sign-in.
(function () {
  "use strict";
  var box = document.getElementById("session-expiry");
  if (!box) { return; }
  var KEY = "tobira.session-expires-at";
  var warning = Number(box.dataset.warning) * 1000;
  var expiresAt = Date.now() + Number(box.dataset.expiresIn) * 1000;
  var timer = null;
  var returnFocus = null;
  var stay = box.querySelector("[data-session-stay]");
  var countdown = box.querySelector("[data-session-countdown]");

  function share() {
    try { window.localStorage.setItem(KEY, String(expiresAt)); } catch (error) { /* private mode */ }
  }
  // The end only moves later: every value comes from the same session, whose activity only grows.
  function extendTo(at, broadcast) {
    if (!(at > expiresAt)) { return; }
    expiresAt = at;
    if (broadcast) { share(); }
    schedule();
  }
  function fromSeconds(seconds) { return Date.now() + Number(seconds) * 1000; }

  function show() {
    if (box.hidden) {
      returnFocus = document.activeElement;
      box.hidden = false;
      stay.focus();
    }
    var left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
    countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }
  function hide() {
    if (box.hidden) { return; }
    box.hidden = true;
    if (returnFocus && typeof returnFocus.focus === "function") { returnFocus.focus(); }
    returnFocus = null;
  }
  function schedule() {
    window.clearTimeout(timer);
    var left = expiresAt - Date.now();
    if (left <= 0) { expire(); return; }
    if (left <= warning) {
      show();
      timer = window.setTimeout(schedule, Math.min(left, 1000));
      return;
    }
    hide();
    timer = window.setTimeout(schedule, left - warning);
  }
  function signedOut(response) {
    window.location.assign(response.headers.get("HX-Redirect") || box.dataset.loginUrl);
  }
  function ask(method) {
    var headers = { "Accept": "application/json", "X-CSRFToken": box.dataset.csrf };
    if (method === "GET") { headers["X-Tobira-Background"] = "1"; }
    return window.fetch(box.dataset.keepAliveUrl, { method: method, headers: headers, credentials: "same-origin" });
  }
  function expire() {
    // Another device or a tab without this script may have kept the session: the server decides.
    ask("GET").then(function (response) {
      if (!response.ok) { signedOut(response); return null; }
      return response.json();
    }).then(function (body) {
      if (!body) { return; }
      if (body.expires_in > 0) { expiresAt = fromSeconds(body.expires_in); share(); schedule(); }
      else { window.location.reload(); }
    }).catch(function () { window.location.reload(); });
  }
  function stayIn() {
    stay.disabled = true;
    ask("POST").then(function (response) {
      if (!response.ok) { signedOut(response); return null; }
      return response.json();
    }).then(function (body) {
      if (!body) { return; }
      expiresAt = fromSeconds(body.expires_in);
      share();
      hide();
      schedule();
    }).finally(function () { stay.disabled = false; });
  }

  stay.addEventListener("click", stayIn);
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); stayIn(); return; }
    if (event.key !== "Tab") { return; }
    // Focus stays in the dialog while it is open.
    var focusable = box.querySelectorAll("button:not([disabled])");
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY && event.newValue) { extendTo(Number(event.newValue), false); }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var seconds = xhr && xhr.getResponseHeader("X-Session-Expires-In");
    if (seconds !== null && seconds !== undefined && seconds !== "") { extendTo(fromSeconds(seconds), true); }
  });
  // A computer that slept: timers ran late, look again.
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { schedule(); } });
  share();
  schedule();
})();
