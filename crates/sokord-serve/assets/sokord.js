// sokord: small helps on top of a page that works without them.
// "/" puts the cursor in the query box; a changed option of a search form searches again.
"use strict";
document.addEventListener("keydown", function (e) {
  var t = e.target;
  var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
  if (e.key === "/" && !typing) {
    var q = document.getElementById("q") || document.getElementById("q1");
    if (q) {
      e.preventDefault();
      q.focus();
      q.select();
    }
  }
});
document.querySelectorAll("form.search select, form.search input[type=checkbox]").forEach(function (el) {
  el.addEventListener("change", function () {
    if (el.form) {
      el.form.submit();
    }
  });
});
// The hit's passage in a document: scrolled to when the address names none.
if (!location.hash) {
  var hit = document.querySelector(".passage.hit");
  if (hit) {
    hit.scrollIntoView({ block: "center" });
  }
}
