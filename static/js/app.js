/* Samverkan — small enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  // Send the CSRF token with htmx requests.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
  // Move focus to an error summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); return; }
    var changed = document.querySelector("[data-changed]");
    if (changed) { changed.focus(); }
  });
  // After an in-place change (htmx): focus the first error, else the row that changed,
  // unless focus is already inside that row (a move button keeps it, to move on).
  document.addEventListener("htmx:afterSettle", function (event) {
    var scope = event.detail.target;
    if (scope && scope.id) { scope = document.getElementById(scope.id) || scope; }  // outerHTML
    if (!scope || !scope.querySelector) { return; }
    var summary = scope.querySelector(".error-summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); return; }
    var changed = scope.querySelector("[data-changed]");
    if (changed && !changed.contains(document.activeElement)) { changed.focus(); }
  });
  // A table frame that scrolls sideways can be reached and scrolled with the keyboard
  // (and is named by its table's caption); one that fits is no extra Tab stop.
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (caption) { wrap.setAttribute("aria-label", caption.textContent.trim()); }
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollingTables);
  document.addEventListener("htmx:afterSettle", markScrollingTables);
  window.addEventListener("resize", markScrollingTables);
  // Dropdowns whose options load on demand (core.widgets.OnDemandSelect): the first time
  // one gets focus, its options come as JSON for the form's current values; a change in
  // the form (another action plan chosen) makes the others load again when next used.
  document.addEventListener("focusin", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.dataset.choices) { return; }
    if (select.dataset.loaded) { return; }
    select.dataset.loaded = "1";
    var params = new URLSearchParams(new FormData(select.form));
    select.setAttribute("aria-busy", "true");
    fetch(select.dataset.choices + "?" + params.toString(), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      var chosen = select.value;
      while (select.options.length > 1) { select.remove(1); }
      data.options.forEach(function (option) {
        select.add(new Option(option.label, option.value, false, option.value === chosen));
      });
      if (select.value !== chosen) { select.value = chosen; }
    }).catch(function () {
      delete select.dataset.loaded;  // try again when next used
    }).finally(function () {
      select.removeAttribute("aria-busy");
    });
  });
  document.addEventListener("change", function (event) {
    var changed = event.target;
    if (!(changed instanceof HTMLSelectElement) || !changed.form) { return; }
    changed.form.querySelectorAll("select[data-choices][data-loaded]").forEach(function (other) {
      if (other !== changed) { delete other.dataset.loaded; }
    });
  });
  // Confirm destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
