// Match the signed Content-Type field to the chosen file; the select works without this too.
document.getElementById("file").addEventListener("change", function (event) {
  var file = event.target.files[0];
  var select = document.getElementById("content-type");
  if (!file) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === file.type) { select.selectedIndex = i; return; }
  }
});
