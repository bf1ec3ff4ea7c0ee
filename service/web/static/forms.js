// Forms of the workspace: a file larger than the limit is refused before the form is sent (so the
// rest of what was typed is not lost to a too-large request), with the message next to the file box.
(function () {
  "use strict";
  function mb(bytes) { return (bytes / 1048576).toFixed(1).replace(".", ","); }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var note = input.parentNode.querySelector(".file-too-large");
    if (note) { note.remove(); }
    for (var i = 0; i < input.files.length; i++) {
      var file = input.files[i];
      if (file.size > limit) {
        var span = document.createElement("span");
        span.className = "field-error file-too-large";
        span.setAttribute("role", "alert");
        span.textContent = "Tệp " + file.name + " lớn " + mb(file.size) + " MB, quá " + mb(limit) +
          " MB cho mỗi tệp: hãy chọn tệp nhỏ hơn (quét với độ phân giải thấp hơn hoặc tách tệp).";
        input.insertAdjacentElement("afterend", span);
        input.value = "";
      }
    }
  });
})();

// The self-assessment's running total while typing: self score / maximum (a criterion marked "không
// áp dụng" leaves the maximum), and how many criteria are scored; shown in the bar that keeps "Lưu
// nháp" and "Nộp báo cáo" in view at the bottom of the screen.
(function () {
  "use strict";
  function number(text) {
    var value = parseFloat(String(text).trim().replace(/\s/g, "").replace(",", "."));
    return isNaN(value) ? null : value;
  }
  function vn(value) { return value.toFixed(2).replace(".", ","); }
  function update() {
    var out = document.getElementById("tong-tu-cham");
    if (!out) { return; }
    var total = 0, maximum = 0, scored = 0, count = 0;
    document.querySelectorAll("input[name^='diem-'][data-max]").forEach(function (input) {
      var box = input.form.querySelector("input[name='ktd-" + input.name.slice(5) + "']");
      if (box && box.checked) { return; }
      count += 1;
      maximum += number(input.getAttribute("data-max")) || 0;
      var value = number(input.value);
      if (value !== null) { total += value; scored += 1; }
    });
    out.textContent = "Tự chấm: " + vn(total) + "/" + vn(maximum) + " điểm · đã chấm " + scored + "/" + count + " tiêu chí";
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[name^='diem-'], input[name^='ktd-']")) { update(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[name^='ktd-']")) { update(); }
  });
  document.addEventListener("DOMContentLoaded", update);
})();

// File boxes in Vietnamese whatever the browser's language ("Choose File / No file chosen" otherwise):
// the real input stays (labels, keyboard, screen readers reach it), visually replaced by a button and
// the chosen file's name.
(function () {
  "use strict";
  function enhance(input) {
    if (input.dataset.enhanced) { return; }
    input.dataset.enhanced = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "file-button";
    button.textContent = input.multiple ? "Chọn các tệp…" : "Chọn tệp…";
    button.setAttribute("aria-hidden", "true");
    button.tabIndex = -1;
    var name = document.createElement("span");
    name.className = "file-name";
    name.textContent = "Chưa chọn tệp";
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var names = [];
      for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
      name.textContent = names.length ? names.join(", ") : "Chưa chọn tệp";
    });
    input.classList.add("file-input");
    input.insertAdjacentElement("afterend", name);
    input.insertAdjacentElement("afterend", button);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=file]").forEach(enhance);
  });
})();

// "Chọn tất cả" on a list of documents taken in one step: checks every row shown (after the filters).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.id !== "chon-tat-ca") { return; }
    event.target.form.querySelectorAll("input[name='don-vi']").forEach(function (box) { box.checked = event.target.checked; });
  });
})();

// The browser's own "Please fill out this field" in Vietnamese (walk U11), and a confirmation before
// the buttons that cannot be undone: sending a report, creating next year's campaign (walk U31;
// the button names what happens in its data-xac-nhan).
(function () {
  "use strict";
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field.setCustomValidity || !field.validity) { return; }
    if (field.validity.valueMissing) {
      field.setCustomValidity(field.type === "checkbox" ? "Hãy đánh dấu ô này để tiếp tục." :
        field.tagName === "SELECT" ? "Hãy chọn một mục trong danh sách." : "Hãy điền ô này.");
    } else if (field.validity.typeMismatch || field.validity.patternMismatch) {
      field.setCustomValidity("Nội dung ô này chưa đúng định dạng.");
    }
  }, true);
  function clear(event) {
    if (event.target.setCustomValidity) { event.target.setCustomValidity(""); }
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-xac-nhan");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();

// On a phone a table of class "cards" shows one card per row: each cell is labelled with its column's
// header (the CSS prints data-label before the cell), so a score is never read without its column.
(function () {
  "use strict";
  function label() {
    var tables = document.querySelectorAll("table.cards");
    for (var t = 0; t < tables.length; t++) {
      var rows = tables[t].rows;
      if (!rows.length) { continue; }
      var names = [];
      for (var h = 0; h < rows[0].cells.length; h++) { names.push(rows[0].cells[h].textContent.trim()); }
      for (var r = 1; r < rows.length; r++) {
        var cells = rows[r].cells, column = 0;
        if (cells.length === 1 && cells[0].colSpan > 1) { continue; }   // a group heading across the row
        for (var c = 0; c < cells.length; c++) {
          var name = cells[c].colSpan === 1 ? names[column] : "";
          if (name && !cells[c].hasAttribute("data-label")) { cells[c].setAttribute("data-label", name); }
          column += cells[c].colSpan;
        }
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", label); } else { label(); }
})();
