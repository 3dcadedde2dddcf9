/* Index page search over names and aliases; results are built with textContent. */
(function () {
  "use strict";
  var items = JSON.parse(document.getElementById("search-data").textContent);
  var input = document.getElementById("search");
  var list = document.getElementById("results");
  function run() {
    var q = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!q) return;
    var hits = items.filter(function (it) { return it.text.indexOf(q) >= 0; }).slice(0, 50);
    hits.forEach(function (it) {
      var li = document.createElement("li");
      var tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = it.type;
      var a = document.createElement("a");
      a.href = "entities/" + encodeURIComponent(it.key) + ".html";
      a.textContent = it.label;
      li.appendChild(tag);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      if (it.aliases) li.appendChild(document.createTextNode("（" + it.aliases + "）"));
      list.appendChild(li);
    });
    if (!hits.length) list.appendChild(document.createTextNode("无结果"));
  }
  input.addEventListener("input", run);
  run();
})();
