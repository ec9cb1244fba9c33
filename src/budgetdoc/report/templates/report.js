// Severity and category filters; open the table holding a linked cell. No network, no libraries.
(function () {
  "use strict";
  function apply() {
    var on = {};
    document.querySelectorAll("input[data-filter]").forEach(function (box) {
      var k = box.getAttribute("data-filter");
      on[k] = on[k] || {};
      on[k][box.value] = box.checked;
    });
    var shown = 0;
    document.querySelectorAll(".finding").forEach(function (el) {
      var ok = on.severity[el.getAttribute("data-severity")] !== false &&
               on.category[el.getAttribute("data-category")] !== false;
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var out = document.getElementById("shown-count");
    if (out) { out.textContent = String(shown); }
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    var d = el.closest("details");
    if (d && !d.open) { d.open = true; el.scrollIntoView({ block: "center" }); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter]").forEach(function (box) {
      box.addEventListener("change", apply);
    });
    document.querySelectorAll("button[data-all]").forEach(function (b) {
      b.addEventListener("click", function () {
        var k = b.getAttribute("data-all"), v = b.getAttribute("data-value") === "1";
        document.querySelectorAll('input[data-filter="' + k + '"]').forEach(function (box) { box.checked = v; });
        apply();
      });
    });
    // ?severity=error,warning&category=arithmetic presets the filters (links from the index, tests)
    var params = new URLSearchParams(location.search);
    ["severity", "category"].forEach(function (k) {
      if (!params.has(k)) { return; }
      var want = params.get(k).split(",");
      document.querySelectorAll('input[data-filter="' + k + '"]').forEach(function (box) {
        box.checked = want.indexOf(box.value) >= 0;
      });
    });
    window.addEventListener("hashchange", openTarget);
    apply();
    openTarget();
    document.body.setAttribute("data-ready", "1");
  });
})();
