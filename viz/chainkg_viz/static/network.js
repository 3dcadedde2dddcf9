/* chainkg network view: draws the view data embedded in the page with vis-network.
   All text from the data is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view-data").textContent);
  var root = data.root || "";
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var view = {
    network: network,
    nodes: nodes,
    edges: edges,
    expected: data.nodes.length,
    ready: false,
    readyMs: null,
    hiddenTypes: [],
    visibleCount: function () {
      return nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    },
  };
  window.chainkgView = view;
  network.once("afterDrawing", function () {
    view.ready = true;
    view.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function entityHref(key) { return root + "entities/" + encodeURIComponent(key) + ".html"; }
  function egoHref(key) { return root + "ego/" + encodeURIComponent(key) + ".html"; }

  // Legend: one button per type with its count; a click hides or shows that type.
  var legend = document.getElementById("legend");
  data.legend.forEach(function (item) {
    var b = el("button", null, "legend-item");
    b.type = "button";
    b.setAttribute("data-type", item.type);
    var sw = el("span", null, "swatch");
    sw.style.background = item.color;
    b.appendChild(sw);
    b.appendChild(el("span", item.label + " (" + item.count + ")"));
    b.addEventListener("click", function () {
      var hide = !b.classList.contains("off");
      b.classList.toggle("off", hide);
      var ids = nodes.getIds({ filter: function (n) { return n.group === item.type; } });
      nodes.update(ids.map(function (id) { return { id: id, hidden: hide }; }));
      view.hiddenTypes = Array.prototype.map.call(
        legend.querySelectorAll(".legend-item.off"),
        function (x) { return x.getAttribute("data-type"); });
    });
    legend.appendChild(b);
  });

  // Details panel for the clicked node, with links to its page and its ego network.
  var info = document.getElementById("info");
  function show(id) {
    var n = nodes.get(id);
    if (!n) return;
    info.textContent = "";
    info.appendChild(el("h3", n.label || String(n.title).split("\n")[0]));
    info.appendChild(el("pre", n.title, "tip"));
    var p = el("p", null, "links");
    var a1 = el("a", "实体页面");
    a1.href = entityHref(n.id);
    var a2 = el("a", "关系网络 (1–2 跳)");
    a2.href = egoHref(n.id);
    p.appendChild(a1);
    p.appendChild(document.createTextNode(" · "));
    p.appendChild(a2);
    info.appendChild(p);
  }
  network.on("click", function (params) { if (params.nodes.length) show(params.nodes[0]); });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) window.location.href = entityHref(params.nodes[0]);
  });

  // Chain maps: stage bands (upstream / midstream / downstream) behind the segments.
  if (data.bands && data.bands.length) {
    network.on("beforeDrawing", function (ctx) {
      data.bands.forEach(function (band, i) {
        ctx.fillStyle = i % 2 ? "rgba(148,103,189,0.06)" : "rgba(148,103,189,0.12)";
        ctx.fillRect(band.x0, -60, band.x1 - band.x0, band.y1 + 60);
        ctx.fillStyle = "#6a4c93";
        ctx.font = "bold 20px " + data.options.nodes.font.face;
        ctx.textAlign = "center";
        ctx.fillText(band.label, (band.x0 + band.x1) / 2, -40);
      });
    });
  }
})();
