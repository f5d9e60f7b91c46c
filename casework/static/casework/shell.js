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
