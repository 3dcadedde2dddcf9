/* Highlights the quote named in the URL (#q=start-end, character offsets) and scrolls to it. */
(function () {
  "use strict";
  var m = /^#q=(\d+)-(\d+)$/.exec(window.location.hash);
  var box = document.getElementById("article-text");
  if (!m || !box) return;
  var text = box.textContent, start = +m[1], end = +m[2];
  if (end <= start || end > text.length) return;
  var mark = document.createElement("mark");
  mark.id = "quote";
  mark.textContent = text.slice(start, end);
  box.textContent = "";
  box.appendChild(document.createTextNode(text.slice(0, start)));
  box.appendChild(mark);
  box.appendChild(document.createTextNode(text.slice(end)));
  mark.scrollIntoView({ block: "center" });
})();
