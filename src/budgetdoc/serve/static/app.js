// budgetdoc web app: sortable tables, row filters, folding rounding notes, upload progress polling.
// Plain script, no build step, nothing fetched from other hosts.
"use strict";
(function () {
  function cellValue(row, i, num) {
    var t = (row.cells[i] && row.cells[i].textContent || "").trim();
    if (num) { var n = parseFloat(t.replace(/[,，]/g, "")); return isNaN(n) ? -Infinity : n; }
    return t;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, i) {
      th.classList.add("sort");
      th.title = "点击排序";
      th.addEventListener("click", function () {
        var num = th.dataset.type === "num";
        var asc = th.dataset.dir !== "asc";
        table.querySelectorAll("thead th").forEach(function (o) { delete o.dataset.dir; });
        th.dataset.dir = asc ? "asc" : "desc";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i, num), y = cellValue(b, i, num);
          var c = num ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  function applyFilters(id) {
    var table = document.getElementById(id);
    if (!table) return;
    var box = document.querySelector('input.filter[data-table="' + id + '"]');
    var fold = document.querySelector('input.hide-info[data-table="' + id + '"]');
    var q = box ? box.value.trim() : "";
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var hide = q && r.textContent.indexOf(q) < 0;
      if (fold && fold.checked && r.dataset.severity === "info" && !q) hide = true;
      r.hidden = !!hide;
    });
  }
  document.querySelectorAll("input.filter, input.hide-info").forEach(function (el) {
    el.addEventListener("input", function () { applyFilters(el.dataset.table); });
    applyFilters(el.dataset.table);
  });
  // uploads: the bytes sent shown as they go (XMLHttpRequest), then the queue's page
  var up = document.querySelector("form.upload");
  if (up && window.XMLHttpRequest && window.FormData) {
    up.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var bar = up.querySelector("progress.sending"), note = up.querySelector(".sending-text");
      var err = document.getElementById("upload-error");
      var button = up.querySelector("button[type=submit]");
      bar.hidden = false; note.textContent = "正在上传…"; err.textContent = ""; button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", up.action);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round(100 * e.loaded / e.total);
          note.textContent = "已上传 " + bar.value + "%";
        }
      };
      xhr.onload = function () {
        if (xhr.status === 200 && xhr.responseURL && xhr.responseURL.indexOf("/batches/") >= 0) {
          window.location.assign(xhr.responseURL);
          return;
        }
        var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
        var msg = doc.querySelector(".error");
        err.textContent = msg ? msg.textContent : (xhr.responseText || ("上传失败（" + xhr.status + "）")).slice(0, 300);
        bar.hidden = true; note.textContent = ""; button.disabled = false;
      };
      xhr.onerror = function () {
        err.textContent = "上传中断（网络错误或文件过大），请重试";
        bar.hidden = true; note.textContent = ""; button.disabled = false;
      };
      xhr.send(new FormData(up));
    });
  }

  var batch = document.getElementById("batch");
  if (batch) {
    var id = batch.dataset.batch;
    var esc = function (s) { var d = document.createElement("span"); d.textContent = s == null ? "" : String(s); return d.innerHTML; };
    var poll = function () {
      fetch("/api/batches/" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.jobs) return;
          document.getElementById("overall").value = data.progress;
          document.getElementById("overall-text").textContent = "已完成 " + data.done + " / " + data.total;
          data.jobs.forEach(function (j) {
            var row = document.getElementById("job-" + j.id);
            if (!row) return;
            row.className = "state-" + j.state;
            row.querySelector(".state").textContent = j.state_zh + (j.position ? "（第 " + j.position + " 位）" : "");
            row.querySelector("progress").value = j.progress;
            var res = row.querySelector(".result");
            var html = "";
            if (j.document_id) {
              var r = j.result || {};
              html = '<a href="/documents/' + Number(j.document_id) + '">查看结果：错误 ' + Number(r.errors || 0) + "，警告 " + Number(r.warnings || 0) + "</a>";
              if (j.kind === "rerun") html += "<br>新 " + Number(r.new || 0) + "，仍未解决 " + Number(r.open || 0) + "，已修正 " + Number(r.fixed || 0) + "，已排除 " + Number(r.dismissed || 0);
            }
            if (j.message) {
              html += (html ? "<br>" : "") + '<span class="' + (j.state === "done" ? "note" : "error") + '">' + esc(j.message) + "</span>";
            }
            if (html) res.innerHTML = html;
          });
          if (data.done < data.total) setTimeout(poll, 1000);
          else batch.classList.add("finished");
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    poll();
  }
})();
