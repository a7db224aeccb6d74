// The exam page: one question at a time, every answer saved as it is given.
//
// Answers go into a queue kept in localStorage (so closing the tab or losing the network loses
// nothing) and are sent in order, one at a time, each with a sequence number. The server is the
// judge: 200 = saved, 409 = a newer answer is already stored (drop ours), 410 = the exam has ended,
// 423 = paused or another device. Network errors are retried with a growing pause, and at once when
// the browser comes back online. The clock shown here is only a display: the server owns the time.
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) { return; }
  var data = root.dataset;
  var mode = data.mode;
  var storeKey = "lms-exam-" + data.attempt;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  function postJSON(url, body, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    });
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error("state " + r.status); }
      return r.json();
    });
  }

  // --- a device that must wait for a proctor ---------------------------------------------------
  if (mode === "blocked") {
    setInterval(function () {
      getJSON(data.stateUrl).then(function (state) {
        if (state.status !== "blocked") { window.location.href = data.takeUrl; }
      }).catch(function () { /* try again on the next tick */ });
    }, 10000);
    return;
  }

  // --- the queue of answers ---------------------------------------------------------------------
  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  var stored = load();
  var queue = Array.isArray(stored.queue) ? stored.queue : [];
  var seq = Math.max(parseInt(data.seq || "0", 10) || 0, stored.seq || 0);
  queue.forEach(function (entry) { seq = Math.max(seq, entry.seq); });
  var sending = false;
  var offline = false;
  var paused = data.status === "paused";
  var retryTimer = null;
  var backoff = 1000;
  var lastContact = Date.now();
  var onHeard = null;
  function heard(remaining) {
    lastContact = Date.now();
    if (onHeard && typeof remaining === "number") { onHeard(remaining); }
  }
  var connection = document.getElementById("exam-connection");
  var submitButton = document.getElementById("exam-submit");

  function persist() {
    try { window.localStorage.setItem(storeKey, JSON.stringify({ queue: queue, seq: seq })); } catch (e) { /* private mode: memory only */ }
  }
  function showStatus() {
    var text;
    if (!queue.length) { text = data.msgSaved; }
    else if (offline || navigator.onLine === false) { text = (data.msgOffline || "").replace("{count}", queue.length); }
    else { text = (data.msgWaiting || data.msgSaving || "").replace("{count}", queue.length); }
    if (connection && connection.textContent !== text) { connection.textContent = text; }
    root.classList.toggle("has-pending", queue.length > 0);
    root.classList.toggle("is-offline", queue.length > 0 && (offline || navigator.onLine === false));
    if (submitButton) { submitButton.disabled = queue.length > 0; }
  }
  function schedule(delay) {
    if (retryTimer) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; pump(); }, delay || backoff);
    backoff = Math.min(backoff * 2, 15000);
  }
  function removeEntry(entry) {
    var index = queue.indexOf(entry);
    if (index >= 0) { queue.splice(index, 1); }
    persist();
  }
  function pump() {
    showStatus();
    if (sending || !queue.length || paused) { return; }
    sending = true;
    var entry = queue[0];
    postJSON(data.saveUrl, entry).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        return { status: response.status, body: body, signedOut: response.redirected && /\/login/.test(response.url) };
      });
    }).then(function (r) {
      sending = false;
      offline = false;
      if (r.signedOut || r.body === null) {
        // Not an answer from the exam (signed out, a proxy page…): keep the answer, ask to sign in again.
        if (r.signedOut && connection) { connection.textContent = data.msgSignedOut || ""; }
        schedule(15000);
        return;
      }
      var domainError = r.body.error && typeof r.body.error.code === "string";
      if ((r.status === 200 && r.body.saved === true) || (r.status === 409 && domainError)) {
        backoff = 1000;
        heard(r.body.remaining_seconds);
        if (r.status === 409 && r.body.current && r.body.current.seq > seq) { seq = r.body.current.seq; }
        removeEntry(entry);
        pump();
      } else if (r.status === 410) {
        queue = [];
        persist();
        window.location.href = data.resultUrl;
      } else if (r.status === 423) {
        paused = true;
        pollState();
        schedule(5000);
      } else if (r.status === 400 && domainError) {
        removeEntry(entry);  // the server cannot take this answer; keeping it would block the rest
        pump();
      } else if (r.status === 400) {
        // The form's token was refused (not the answer): reload for a fresh one; the queue is kept.
        persist();
        if (!window.sessionStorage.getItem(storeKey + "-reloaded")) {
          window.sessionStorage.setItem(storeKey + "-reloaded", "1");
          window.location.reload();
        } else {
          schedule(15000);
        }
      } else {
        schedule();
      }
      showStatus();
    }).catch(function () {
      sending = false;
      offline = true;
      showStatus();
      schedule();
    });
  }
  window.addEventListener("online", function () {
    offline = false;
    backoff = 1000;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    pump();
  });
  window.addEventListener("offline", function () { offline = true; showStatus(); });

  // --- reading and showing answers ----------------------------------------------------------------
  function sectionOf(position) { return document.getElementById("q-" + position); }
  function responseOf(section) {
    var type = section.dataset.type;
    var name = "q" + section.dataset.position;
    var inputs = section.querySelectorAll('[name="' + name + '"]');
    var chosen = Array.prototype.filter.call(inputs, function (i) { return i.checked; }).map(function (i) { return i.value; });
    if (type === "single_choice") { return chosen.length ? chosen[0] : null; }
    if (type === "true_false") { return chosen.length ? chosen[0] === "true" : null; }
    if (type === "multiple_response") { return chosen.length ? chosen : null; }
    var selects = section.querySelectorAll("select");
    if (type === "matching") {
      var pairs = {};
      var any = false;
      selects.forEach(function (s) {
        if (s.value) { pairs[s.name.slice(name.length + 1)] = s.value; any = true; }
      });
      return any ? pairs : null;
    }
    if (type === "ordering") {
      var ranks = [];
      var filled = 0;
      selects.forEach(function (s) { if (s.value) { filled += 1; } ranks.push([parseInt(s.value, 10), s.name.slice(name.length + 1)]); });
      if (filled === 0) { return null; }
      var distinct = {};
      ranks.forEach(function (r) { distinct[r[0]] = true; });
      if (filled < selects.length || Object.keys(distinct).length < selects.length) { return undefined; }
      ranks.sort(function (a, b) { return a[0] - b[0]; });
      return ranks.map(function (r) { return r[1]; });
    }
    return null;
  }
  function applyToForm(entry) {
    var section = sectionOf(entry.position);
    if (!section) { return; }
    var name = "q" + entry.position;
    var type = section.dataset.type;
    var value = entry.response;
    section.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (type === "multiple_response") { input.checked = Array.isArray(value) && value.indexOf(input.value) >= 0; }
      else if (type === "true_false") { input.checked = value !== null && String(value) === input.value; }
      else { input.checked = value === input.value; }
    });
    section.querySelectorAll("select").forEach(function (select) {
      var part = select.name.slice(name.length + 1);
      if (type === "matching") { select.value = value && value[part] ? value[part] : ""; }
      if (type === "ordering") { select.value = Array.isArray(value) ? String(value.indexOf(part) + 1) : ""; }
    });
    var flag = section.querySelector(".exam-flag-input");
    if (flag) { flag.checked = !!entry.flagged; }
    updateMap(entry.position, value, entry.flagged);
  }
  function updateMap(position, response, flagged) {
    var link = document.getElementById("map-" + position);
    if (!link) { return; }
    link.classList.toggle("is-answered", response !== null && response !== undefined);
    link.classList.toggle("is-flagged", !!flagged);
  }
  function enqueue(position, response, flagged) {
    seq += 1;
    // Only the newest answer per question needs sending; the one in flight stays.
    queue = queue.filter(function (e, i) { return e.position !== position || (i === 0 && sending); });
    queue.push({ position: position, response: response, flagged: flagged, seq: seq });
    persist();
    updateMap(position, response, flagged);
    pump();
  }

  // --- the submit page only flushes what is still waiting ----------------------------------------
  if (mode === "submit") {
    showStatus();
    pump();
    return;
  }

  var form = document.getElementById("exam-form");
  queue.forEach(applyToForm);
  form.addEventListener("change", function (event) {
    var section = event.target.closest(".exam-question");
    if (!section) { return; }
    var response = responseOf(section);
    section.classList.toggle("is-incomplete", response === undefined);
    if (response === undefined) { return; }  // an ordering with places missing or given twice
    var flag = section.querySelector(".exam-flag-input");
    enqueue(parseInt(section.dataset.position, 10), response, !!(flag && flag.checked));
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();  // answers are already saved one by one
    pump();
  });

  // --- one question at a time ----------------------------------------------------------------------
  var sections = Array.prototype.slice.call(document.querySelectorAll(".exam-question"));
  root.classList.add("is-enhanced");
  function show(position) {
    var found = false;
    sections.forEach(function (section) {
      var current = parseInt(section.dataset.position, 10) === position;
      section.hidden = !current;
      found = found || current;
    });
    if (!found) { return show(1); }
    document.querySelectorAll(".exam-map-link").forEach(function (link) {
      if (parseInt(link.dataset.go, 10) === position) { link.setAttribute("aria-current", "step"); }
      else { link.removeAttribute("aria-current"); }
    });
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#q-" + position); }
    var title = document.getElementById("q-" + position + "-title");
    if (title) { title.setAttribute("tabindex", "-1"); title.focus({ preventScroll: false }); }
  }
  document.addEventListener("click", function (event) {
    var go = event.target.closest("[data-go]");
    if (!go) { return; }
    event.preventDefault();
    show(parseInt(go.dataset.go, 10));
  });
  var initial = parseInt((window.location.hash.match(/^#q-(\d+)$/) || [])[1] || "1", 10);
  show(initial);
  document.getElementById("exam-review").addEventListener("click", function () { persist(); });

  // --- the clock (a display; the server decides) ----------------------------------------------------
  var timer = document.getElementById("exam-timer");
  var announce = document.getElementById("exam-announce");
  var pausedBanner = document.getElementById("exam-paused");
  var remainingAtSync = parseInt(data.remaining || "0", 10);
  var syncedAt = Date.now();
  var announced = {};
  var timeUp = false;
  function left() {
    if (paused) { return remainingAtSync; }
    return Math.max(0, remainingAtSync - Math.floor((Date.now() - syncedAt) / 1000));
  }
  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m;
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var seconds = left();
    timer.textContent = format(seconds);
    timer.classList.toggle("is-low", seconds <= 300);
    if (seconds <= 300 && seconds > 60 && !announced.five) { announced.five = true; announce.textContent = data.msgFive; }
    if (seconds <= 60 && seconds > 0 && !announced.one) { announced.one = true; announce.textContent = data.msgOne; }
    if (seconds === 0 && !paused && !timeUp) { finishAtDeadline(); }
  }
  function finishAtDeadline() {
    timeUp = true;
    announce.textContent = data.msgTimeup;
    if (connection) { connection.textContent = data.msgTimeup; }
    pump();
    var waited = 0;
    var wait = setInterval(function () {
      waited += 1;
      if (!queue.length || waited > 15) {
        clearInterval(wait);
        document.getElementById("exam-autosubmit").submit();
      }
    }, 1000);
  }
  onHeard = function (remaining) {
    if (paused) { return; }
    remainingAtSync = remaining;
    syncedAt = Date.now();
  };
  function applyState(state) {
    remainingAtSync = state.remaining_seconds;
    syncedAt = Date.now();
    if (state.status === "completed") { window.location.href = state.result_url; return; }
    if (state.status === "blocked") { window.location.reload(); return; }
    var nowPaused = state.status === "paused";
    if (pausedBanner) { pausedBanner.hidden = !nowPaused; }
    if (paused && !nowPaused) { paused = false; pump(); }
    paused = nowPaused;
    if (state.seq > seq) { seq = state.seq; persist(); }
    tick();
  }
  function pollState() {
    getJSON(data.stateUrl).then(function (state) { lastContact = Date.now(); applyState(state); })
      .catch(function () { /* offline: the local clock keeps going */ });
  }
  setInterval(tick, 1000);
  // Ask for the state only when nothing was heard from the server for a minute: every saved answer
  // already brings the time left back, and a paused or moved exam refuses the next save at once.
  setInterval(function () { if (Date.now() - lastContact >= 60000) { pollState(); } }, 15000);
  tick();

  // --- integrity signals, for a human to read (they never decide anything) ---------------------------
  var signals = [];
  function note(kind) { signals.push({ kind: kind, at: Date.now() }); }
  window.addEventListener("blur", function () { note("focus_lost"); });
  window.addEventListener("focus", function () { note("focus_regained"); });
  document.addEventListener("visibilitychange", function () { note(document.hidden ? "page_hidden" : "page_visible"); });
  document.addEventListener("copy", function () { note("copy"); });
  document.addEventListener("cut", function () { note("copy"); });
  document.addEventListener("paste", function () { note("paste"); });
  var wasFullscreen = false;
  document.addEventListener("fullscreenchange", function () {
    if (wasFullscreen && !document.fullscreenElement) { note("fullscreen_exit"); }
    wasFullscreen = !!document.fullscreenElement;
  });
  function flushSignals(keepalive) {
    if (!signals.length) { return; }
    var batch = signals.splice(0, 50);
    postJSON(data.eventsUrl, { events: batch }, keepalive).then(function (r) {
      if (r.status >= 500) { signals = batch.concat(signals); }
    }).catch(function () { signals = batch.concat(signals); });
  }
  setInterval(flushSignals, 5000);
  window.addEventListener("pagehide", function () { persist(); flushSignals(true); });
  var fullscreen = document.getElementById("exam-fullscreen");
  if (fullscreen && document.fullscreenEnabled) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () { root.requestFullscreen().catch(function () {}); });
  }

  // --- webcam snapshots, only where the exam asks and the candidate agreed ---------------------------
  var snapshotSeconds = parseInt(data.snapshotSeconds || "0", 10);
  if (snapshotSeconds > 0) {
    var video = document.getElementById("exam-camera");
    var camera = navigator.mediaDevices && navigator.mediaDevices.getUserMedia
      ? navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false })
      : Promise.reject(new Error("no camera"));
    camera.then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      return video.play();
    }).then(function () {
      setInterval(function () {
        if (paused || !video.videoWidth) { return; }
        var canvas = document.createElement("canvas");
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext("2d").drawImage(video, 0, 0);
        canvas.toBlob(function (blob) {
          if (!blob) { return; }
          var body = new FormData();
          body.append("image", blob, "snapshot.jpg");
          fetch(data.snapshotUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }, body: body })
            .catch(function () { /* a missed snapshot is not an answer: no retry */ });
        }, "image/jpeg", 0.7);
      }, snapshotSeconds * 1000);
    }).catch(function () {
      if (announce) { announce.textContent = data.msgCamera; }
      var warning = document.createElement("p");
      warning.className = "flash flash-warning";
      warning.textContent = data.msgCamera;
      root.insertBefore(warning, root.firstChild.nextSibling);
    });
  }

  showStatus();
  pump();
})();
