// The proctor console refreshes its list of live attempts every few seconds (no item content here).
(function () {
  "use strict";
  var table = document.getElementById("proctor-live");
  if (!table) { return; }
  var body = table.querySelector("tbody");
  var data = table.dataset;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }
  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function badge(label, extra) { return text("span", label, "badge" + (extra ? " " + extra : "")); }
  function row(r) {
    var tr = document.createElement("tr");
    tr.dataset.attempt = r.id;
    tr.dataset.status = r.status;
    if (r.status === "completed") { tr.className = "is-stale"; }
    var who = document.createElement("td");
    var link = text("a", r.candidate);
    link.href = r.url;
    who.appendChild(link);
    who.appendChild(document.createElement("br"));
    who.appendChild(text("span", r.email, "small muted"));
    tr.appendChild(who);
    tr.appendChild(text("td", r.exam));
    var status = document.createElement("td");
    status.appendChild(badge(r.status_label, r.status === "paused" ? "badge-warn" : r.status === "in_progress" ? "badge-brand" : ""));
    if (r.flagged) { status.appendChild(document.createTextNode(" ")); status.appendChild(badge(data.msgFlagged, "badge-warn")); }
    if (r.move_requested) { status.appendChild(document.createTextNode(" ")); status.appendChild(badge(data.msgMove, "badge-danger")); }
    tr.appendChild(status);
    var left = text("td", clock(r.remaining_seconds), "num");
    left.dataset.remaining = r.remaining_seconds;
    tr.appendChild(left);
    tr.appendChild(text("td", String(r.integrity_count), "num"));
    var events = document.createElement("td");
    var list = document.createElement("ul");
    list.className = "event-list";
    r.events.forEach(function (e) {
      var item = document.createElement("li");
      if (e["class"]) { item.className = e["class"]; }
      item.appendChild(text("time", e.at));
      item.appendChild(document.createTextNode(" " + e.label));
      list.appendChild(item);
    });
    events.appendChild(list);
    tr.appendChild(events);
    return tr;
  }
  function refresh() {
    fetch(data.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (payload) {
        var fragment = document.createDocumentFragment();
        payload.attempts.forEach(function (r) { fragment.appendChild(row(r)); });
        if (!payload.attempts.length) {
          var empty = document.createElement("tr");
          var cell = text("td", data.msgEmpty, "empty");
          cell.colSpan = 6;
          empty.appendChild(cell);
          fragment.appendChild(empty);
        }
        body.replaceChildren(fragment);
      })
      .catch(function () { /* keep the last list until the next refresh */ });
  }
  // Count down between refreshes so the clocks move every second.
  setInterval(function () {
    body.querySelectorAll("[data-remaining]").forEach(function (cell) {
      var tr = cell.parentNode;
      if (tr.dataset.status !== "in_progress") { return; }
      var seconds = Math.max(0, parseInt(cell.dataset.remaining, 10) - 1);
      cell.dataset.remaining = seconds;
      cell.textContent = clock(seconds);
    });
  }, 1000);
  setInterval(refresh, 5000);
})();
