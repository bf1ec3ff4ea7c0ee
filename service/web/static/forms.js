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
