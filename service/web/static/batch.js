// The letters' list page (letters.html): a step for the chosen letters is sent a few letters at a time,
// so a bar shows how far it has come and each letter's result appears as soon as it is known. The
// certificate and its password (or the PIN) are sent with each part and kept nowhere; remote signing
// goes in one part, so the service is asked to authorise once. Without this script the form is sent
// whole and the page comes back with the same table of results.
(function () {
  "use strict";
  var PART = 5;
  var form = document.getElementById("hang-loat");
  if (!form || !window.fetch || !window.FormData) { return; }

  function resultTable() {
    var section = document.getElementById("ket-qua-thuc-hien");
    if (section) { section.remove(); }
    section = document.createElement("section");
    section.id = "ket-qua-thuc-hien";
    section.setAttribute("role", "status");
    section.innerHTML = "<h2>Kết quả thực hiện</h2><table><tr><th>Đơn vị</th><th>Kết quả</th></tr></table>";
    form.parentNode.insertBefore(section, form);
    return section;
  }

  function addRow(table, name, done, what) {
    var row = table.insertRow(-1);
    row.insertCell(0).textContent = name;
    var cell = row.insertCell(1);
    cell.textContent = what;
    if (!done) { cell.className = "field-error"; }
  }

  function showError(message) {
    var old = document.getElementById("loi-hang-loat");
    if (old) { old.remove(); }
    var p = document.createElement("p");
    p.id = "loi-hang-loat";
    p.className = "field-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    form.parentNode.insertBefore(p, form);
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.name !== "thao-tac") { return; }
    var chosen = Array.prototype.map.call(form.querySelectorAll("input[name='don-vi']:checked"),
                                          function (box) { return box.value; });
    if (!chosen.length) { return; }          // the server says what is missing
    event.preventDefault();
    var remote = (form.querySelector("input[name='cach']:checked") || {}).value === "tu-xa";
    var part = (remote && (button.value === "ky-so" || button.value === "dong-dau")) ? chosen.length : PART;
    var progress = document.getElementById("tien-trinh");
    var bar = progress.querySelector("progress"), text = progress.querySelector("span");
    var buttons = form.querySelectorAll("button[name='thao-tac']");
    var section = resultTable(), table = section.querySelector("table"), heading = section.querySelector("h2");
    var done = 0, succeeded = 0;
    progress.hidden = false;
    bar.max = chosen.length;
    bar.value = 0;
    text.textContent = "Đang thực hiện: 0/" + chosen.length + " văn bản…";
    buttons.forEach(function (b) { b.disabled = true; });

    function finish(message) {
      buttons.forEach(function (b) { b.disabled = false; });
      heading.textContent = "Kết quả thực hiện (" + succeeded + "/" + chosen.length + " văn bản)";
      text.textContent = message;
      var again = document.createElement("p");
      again.innerHTML = '<a href="">Tải lại trang để xem bước mới của các văn bản</a>';
      section.appendChild(again);
    }

    function send(start) {
      if (start >= chosen.length) { finish("Đã xong " + chosen.length + " văn bản."); return; }
      var data = new FormData(form);
      data.delete("don-vi");
      data.set("thao-tac", button.value);
      chosen.slice(start, start + part).forEach(function (unit) { data.append("don-vi", unit); });
      fetch(form.action || window.location.href, {method: "POST", body: data, credentials: "same-origin",
                                                  headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json().then(function (body) { return [response, body]; }); })
        .then(function (pair) {
          var body = pair[1];
          if (body.loi) {
            showError(body.loi);
            finish("Dừng ở " + done + "/" + chosen.length + " văn bản: " + body.loi);
            return;
          }
          body.ket_qua.forEach(function (row) {
            addRow(table, row.don_vi, row.xong, row.ghi_chu);
            var line = form.querySelector("tr[data-don-vi='" + row.ma + "']");
            if (line && row.xong) {                 // the row shows the letter's new step at once
              line.querySelector(".status").textContent = row.buoc;
              var box = line.querySelector("input[name='don-vi']");
              if (box) { box.checked = false; }
            }
            done += 1;
            if (row.xong) { succeeded += 1; }
          });
          bar.value = done;
          text.textContent = "Đang thực hiện: " + done + "/" + chosen.length + " văn bản…";
          send(start + part);
        })
        .catch(function () {
          finish("Mất kết nối sau " + done + "/" + chosen.length + " văn bản; tải lại trang để xem văn bản nào đã xong.");
        });
    }
    send(0);
  });
})();
