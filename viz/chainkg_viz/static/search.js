/* Index page search over names and aliases; results are built with textContent.
   A static site searches the entities embedded in the page; a served site at scale (the
   input's data-source, e.g. "search.json") asks the server's name index instead. */
(function () {
  "use strict";
  var items = JSON.parse(document.getElementById("search-data").textContent);
  var input = document.getElementById("search");
  var list = document.getElementById("results");
  var source = input.getAttribute("data-source");
  var asked = 0; // the latest request; older answers are dropped
  var timer = null;
  function show(hits) {
    list.textContent = "";
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
  function ask(q) {
    var mine = ++asked;
    fetch(source + "?text=" + encodeURIComponent(q))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (hits) { if (mine === asked) show(hits); })
      .catch(function () {
        if (mine !== asked) return;
        list.textContent = "";
        list.appendChild(document.createTextNode("搜索暂不可用"));
      });
  }
  function run() {
    var q = input.value.trim();
    if (!q) { asked++; list.textContent = ""; return; }
    if (source) {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(q); }, 150);
      return;
    }
    q = q.toLowerCase();
    show(items.filter(function (it) { return it.text.indexOf(q) >= 0; }).slice(0, 50));
  }
  input.addEventListener("input", run);
  run();
})();
