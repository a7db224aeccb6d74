// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Remember the browser's time zone so times are shown in it before the visitor sets a preference.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("lms_tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "lms_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* old browsers: the server falls back to UTC */ }

  // Close an open <details> menu when focus or a click goes elsewhere, or on Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) { summary.focus(); }
    });
  });

  // Buttons that ask before acting: <button data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = submitter && submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // A helper for scripts that POST JSON: the CSRF token rides in a header.
  window.lms = window.lms || {};
  window.lms.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
  window.lms.postJSON = function (url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.lms.csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(body || {})
    });
  };
})();
