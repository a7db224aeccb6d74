// Bulk issue: poll the job's progress and move the bar until the work is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var url = box.getAttribute("data-progress-url");
  function show(data) {
    bar.max = data.total || 1;
    bar.value = data.total - data.pending;
    bar.textContent = data.percent + "%";
    ["percent", "issued", "waiting_for_course", "failed", "pending", "total"].forEach(function (name) {
      var el = box.querySelector('[data-field="' + name + '"]');
      if (el) { el.textContent = data[name]; }
    });
    var state = box.querySelector('[data-field="state"]');
    if (state) { state.textContent = box.getAttribute(data.done ? "data-label-done" : "data-label-running"); }
    box.setAttribute("data-done", data.done ? "true" : "false");
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { setTimeout(poll, 3000); return; }
        show(data);
        if (!data.done) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
