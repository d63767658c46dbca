// Progressive enhancement only: every page reads fully without this script.
(function () {
  "use strict";

  // The all-items filter: unit, category and keyword narrow the table's rows.
  function setupFilter(form) {
    var table = document.getElementById(form.getAttribute("data-gk-filter"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var count = form.querySelector(".gk-filter__count");
    function apply() {
      var unit = form.elements.unit.value;
      var category = form.elements.category.value;
      var words = form.elements.q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!unit || row.getAttribute("data-unit") === unit) &&
          (!category || row.getAttribute("data-category") === category) &&
          words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  // Sortable tables (by date and 文号): header buttons toggle the order.
  function setupSort(table) {
    var heads = table.querySelectorAll("th[data-sort]");
    Array.prototype.forEach.call(heads, function (th) {
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[index];
          return cell.getAttribute("data-value") || cell.textContent;
        }
        rows.sort(function (a, b) {
          var r = key(a).localeCompare(key(b), "zh-CN", { numeric: true });
          return ascending ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // Material wraps Markdown tables in a frame that scrolls sideways on a phone; the keyboard must
  // reach it to scroll it (WCAG 2.1.1). Our templates' frames carry tabindex already.
  function focusableScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])"),
      function (frame) { frame.tabIndex = 0; });
  }

  function init() {
    focusableScrollers();
    window.addEventListener("load", focusableScrollers);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-gk-filter]"), setupFilter);
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setupSort);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
