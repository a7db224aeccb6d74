// Partner-network pages: selects that submit their form, and the checkout's hold countdown.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) { select.form.submit(); } });
  });

  document.querySelectorAll("[data-countdown]").forEach(function (element) {
    var deadline = Date.now() + parseInt(element.getAttribute("data-countdown"), 10) * 1000;
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      if (left === 0) {
        element.textContent = element.getAttribute("data-expired-text") || "0:00";
        return;
      }
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      element.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();
