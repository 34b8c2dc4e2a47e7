// A photo page: ← and → go to the newer and older photo (the links marked rel="prev" and
// rel="next"), and so does a swipe on a touch screen. The links work without this.
(function () {
  "use strict";
  function go(rel) {
    var link = document.querySelector('.neighbours a[rel="' + rel + '"]');
    if (link) window.location.href = link.href;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "ArrowLeft") go("prev");
    else if (event.key === "ArrowRight") go("next");
  });

  // A swipe: mostly sideways, at least 60 CSS pixels, within a second. Leftwards shows the older
  // photo (the next one, as turning a page), rightwards the newer. Pinch-zoom (two fingers) is left alone.
  var start = null;
  document.addEventListener("touchstart", function (event) {
    start = event.touches.length === 1
      ? { x: event.touches[0].clientX, y: event.touches[0].clientY, time: Date.now() } : null;
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (!start || event.changedTouches.length !== 1) return;
    var dx = event.changedTouches[0].clientX - start.x;
    var dy = event.changedTouches[0].clientY - start.y;
    var quick = Date.now() - start.time < 1000;
    start = null;
    if (!quick || Math.abs(dx) < 60 || Math.abs(dx) < 2 * Math.abs(dy)) return;
    if (window.visualViewport && window.visualViewport.scale > 1.01) return;  // zoomed in: the swipe pans
    go(dx < 0 ? "next" : "prev");
  }, { passive: true });
})();
