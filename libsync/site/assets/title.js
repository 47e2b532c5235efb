/* libsync web catalogue: the page of one title (title.html#<cluster-id>), drawn from
   data/t/<bucket>.js. Every value is set with textContent, so record text never becomes HTML. */
(function () {
  "use strict";
  var LSD = window.LSD, LS = window.LS, store = LSD.store, meta = store.meta;
  var box = document.getElementById("title");
  store.t = store.t || {};
  LSD.t = function (n, entries) { store.t[n] = entries; };
  var TYPES = meta.type_order;   /* the record types, as schema/ lists them (site build writes them) */

  function bucketOf(id) {
    var bytes = new TextEncoder().encode(id), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h % meta.buckets;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  function libName(code) {
    for (var i = 0; i < meta.libraries.length; i++) if (meta.libraries[i].code === code) return meta.libraries[i].name;
    return code;
  }

  function currentId() {
    try { return decodeURIComponent(location.hash.replace(/^#/, "")); } catch (e) { return ""; }
  }

  var entry = null, loaded = false;

  function render() {
    if (!loaded) return;
    box.textContent = "";
    if (!entry) { box.appendChild(el("p", { "class": "status" }, LS.tr("site.ui.title.not_found"))); return; }
    var c = entry, tr = LS.tr;
    document.title = c.title + " — " + meta.title;
    box.appendChild(el("h1", null, c.title));
    if (c.subtitle) box.appendChild(el("p", { "class": "subtitle" }, c.subtitle));
    if (c.summary) box.appendChild(el("p", { "class": "summary" }, c.summary));
    var dl = el("dl", { "class": "facts" });
    function row(key, value) {
      if (value == null || value === "" || (Array.isArray(value) && !value.length)) return;
      dl.appendChild(el("dt", null, tr(key)));
      dl.appendChild(el("dd", null, Array.isArray(value) ? value.join("; ") : String(value)));
    }
    row("site.ui.title.authors", c.authors);
    row("site.ui.title.type", tr("site.type." + (TYPES.indexOf(c.type) >= 0 ? c.type : "other")));
    row("site.ui.title.publisher", [c.place, c.publisher].filter(Boolean).join(", "));
    row("site.ui.title.year", c.year);
    row("site.ui.title.edition", c.edition);
    row("site.ui.title.series", [c.series, c.volume].filter(Boolean).join(" — "));
    row("site.ui.title.isbn", c.isbn);
    row("site.ui.title.issn", c.issn);
    if (c.language) {
      var langName = tr("site.ui.langname." + c.language);
      row("site.ui.title.language", langName.indexOf("site.ui.") === 0 ? c.language : langName);
    }
    row("site.ui.title.pages", c.pages);
    if (c.classification) row("site.ui.title.classification", Object.keys(c.classification).map(function (k) { return k.toUpperCase() + " " + c.classification[k]; }));
    if (c.curriculum) {
      var cur = c.curriculum, parts = [];
      if (cur.grade) parts.push(tr("site.ui.filter.grade_n", { n: cur.grade }));
      ["subject", "series", "program"].forEach(function (k) { if (cur[k]) parts.push(cur[k]); });
      row("site.ui.title.curriculum", parts.join(" · "));
    }
    row("site.ui.title.subjects", c.subjects);
    row("site.ui.title.keywords", c.keywords);
    box.appendChild(dl);

    box.appendChild(el("h2", null, tr("site.ui.title.access")));
    box.appendChild(el("p", { "class": "access access-" + c.access }, tr("site.access." + c.access)));
    var d = c.digital || {};
    if (c.access === "download" && d.url && /^(https?:\/\/|files\/)/.test(d.url)) {
      var p = el("p");
      var a = el("a", { "class": "button", href: d.url, rel: "noopener" }, tr("site.ui.title.download"));
      p.appendChild(a);
      if (d.format) p.appendChild(document.createTextNode(" (" + d.format + ")"));
      box.appendChild(p);
    }
    if (d.licence) box.appendChild(el("p", null, tr("site.ui.title.licence") + ": " + d.licence));

    box.appendChild(el("h2", null, tr("site.ui.title.holdings")));
    if (!c.holdings || !c.holdings.length) { box.appendChild(el("p", null, tr("site.ui.hold.none"))); return; }
    var wrap = el("div", { "class": "table" }), table = el("table", { "class": "hold" });
    var head = el("tr");
    ["library", "call_number", "copies", "available", "away"].forEach(function (k) {
      head.appendChild(el("th", { scope: "col" }, tr("site.ui.hold." + k)));
    });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    c.holdings.forEach(function (h) {
      var tr_ = el("tr"), th = el("th", { scope: "row" });
      th.appendChild(el("a", { href: "lib/" + encodeURIComponent(h.library) + ".html" }, libName(h.library)));
      tr_.appendChild(th);
      [["call_number", h.call_number || "—"], ["copies", h.copies || 0], ["available", h.available || 0], ["away", h.away || 0]].forEach(function (kv) {
        tr_.appendChild(el("td", { "data-label": tr("site.ui.hold." + kv[0]) + ": " }, String(kv[1])));
      });
      tbody.appendChild(tr_);
    });
    table.appendChild(tbody); wrap.appendChild(table); box.appendChild(wrap);
  }

  function load() {
    var id = currentId();
    if (!id) { entry = null; loaded = true; render(); return; }
    var n = bucketOf(id);
    LSD.load("data/t/" + n + ".js").then(function () {
      entry = (store.t[n] || {})[id] || null;
      loaded = true;
      render();
      window.LS_TITLE = id;
    }, function () { entry = null; loaded = true; render(); });
  }

  window.addEventListener("hashchange", load);
  document.addEventListener("ls-lang", render);
  load();
})();
