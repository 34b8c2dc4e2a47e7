// The one-photo upload form (the flow without scripts, or a browser the uploader does not run in):
// with scripts the signed Content-Type is taken from the chosen file, and the "Image type" question
// is asked only when the file's type is not one the gallery knows.
(function () {
  "use strict";
  var select = document.getElementById("content-type");
  var label = document.querySelector('label[for="content-type"]');
  var file = document.getElementById("file");
  if (!select || !file) return;
  function ask(visible) {
    select.hidden = !visible;
    if (label) label.hidden = !visible;
  }
  ask(false);
  file.addEventListener("change", function (event) {
    var chosen = event.target.files[0];
    if (!chosen) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === chosen.type) {
        select.selectedIndex = i;
        ask(false);
        return;
      }
    }
    ask(true);
  });
})();
