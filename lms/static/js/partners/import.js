// Cohort import: poll the progress of the running import and move the progress bar.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) { return; }
  var url = box.getAttribute("data-import-progress");
  var bar = box.querySelector("progress");
  var line = box.querySelector(".status-line");
  var errors = box.querySelector(".run-errors");

  function show(data) {
    bar.value = data.percent;
    ["created", "skipped", "processed"].forEach(function (name) {
      var field = box.querySelector('[data-field="' + name + '"]');
      if (field) { field.textContent = data[name]; }
    });
    if (errors && data.run_errors) {
      errors.textContent = "";
      data.run_errors.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item.line + ": " + item.message;
        errors.appendChild(li);
      });
    }
    line.textContent = box.getAttribute(data.done ? "data-done-text" : "data-running-text");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        show(data);
        if (!data.done) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
