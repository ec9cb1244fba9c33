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
      if (ok) { shown += Number(el.getAttribute("data-count") || "1"); }
    });
    var out = document.getElementById("shown-count");
    if (out) { out.textContent = String(shown); }
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    // open every folded section around the target (a table, a group's places, the rounding notes)
    var opened = false;
    for (var d = el.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      if (!d.open) { d.open = true; opened = true; }
    }
    if (opened) { el.scrollIntoView({ block: "center" }); }
  }
  // anchors land below the sticky header: its height is the scroll margin of every target (CSS)
  function headerHeight() {
    var h = document.querySelector("header");
    if (h) { document.documentElement.style.setProperty("--header-h", h.offsetHeight + "px"); }
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
    window.addEventListener("resize", headerHeight);
    headerHeight();
    apply();
    openTarget();
    document.body.setAttribute("data-ready", "1");
  });
})();
