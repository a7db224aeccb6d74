// Lesson player: when a video or an episode plays to its end, record it and move the progress bar.
(function () {
  "use strict";
  var player = document.querySelector(".player[data-progress-url]");
  if (!player) { return; }
  var url = player.getAttribute("data-progress-url");
  if (!url) { return; }

  function update(data) {
    if (!data || typeof data.percent !== "number") { return; }
    document.querySelectorAll("progress.progress-bar").forEach(function (bar) { bar.value = data.percent; });
    document.querySelectorAll("[data-testid='progress-label']").forEach(function (label) {
      label.textContent = label.textContent.replace(/\d+/, String(data.percent));
    });
    var current = document.querySelector(".outline a[aria-current='page'] .status-dot");
    if (current && data.recorded) { current.className = "status-dot done"; current.setAttribute("data-status", "done"); }
  }

  document.querySelectorAll("[data-complete-on-end]").forEach(function (media) {
    media.addEventListener("ended", function () {
      window.lms.postJSON(url, {}).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(update).catch(function () { /* the button below still records it */ });
    });
  });
})();
