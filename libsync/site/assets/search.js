/* libsync web catalogue: search with the union catalogue's semantics.
   Every query word must match (AND); a word matches a folded index word exactly or as its
   beginning (one-letter words only exactly); the title's first word weighs most (titles that
   start with the query come first), then other title words, then authors/series/
   school subject, then the rest, plus a small bonus for a copy on a shelf now; ties keep the
   catalogue's title order. Finding ignores diacritics, ranking does not: each word typed with
   diacritics that a title (or its authors) has exactly so — index key "~" + its identity word,
   as libsync.text.identity_key writes it — puts that title first ("mè": "Mè" before "Mẹ").
   At most MAX_TERMS distinct words are searched (the status says when words were left out).
   Index shards and display chunks load on demand as <script> files. */
(function () {
  "use strict";
  var LSD = window.LSD, LS = window.LS, store = LSD.store;
  var meta = store.meta;
  var PAGE = 20;
  /* by field: title, author/series/subject, other, first word of the title */
  var EXACT = [10, 6, 3, 14], PREFIX = [6, 4, 2, 9];
  var TONE = 40, TONE_PREFIX = "~", MAX_TERMS = 32;
  var TONES = { "\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "." };
  var keys = new Set(meta.shards);
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var statusEl = document.getElementById("status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var filters = { lib: form.elements.lib, type: form.elements.type, grade: form.elements.grade, subject: form.elements.subject, series: form.elements.series, avail: form.elements.avail };
  var state = { token: 0, hits: [], shown: 0, status: null };
  window.LS_LAST = null;

  function hex(text) {
    var bytes = new TextEncoder().encode(text), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function shardsFor(word, prefix) {
    var out = [];
    for (var k = Math.min(word.length, meta.maxkey || 6); k >= 1; k--) {
      var p = word.slice(0, k);
      if (keys.has(p)) { out.push(p); break; }
    }
    if (prefix) {
      for (var i = 0; i < meta.shards.length; i++) {
        var key = meta.shards[i];
        if (key.length > word.length && key.lastIndexOf(word, 0) === 0) out.push(key);
      }
    }
    return out;
  }

  function queryTerms(q) {
    /* {words: distinct folded words, at most MAX_TERMS; dropped: how many more were left out} */
    var compact = q.replace(/[\s-]/g, "");
    if (/^(\d{9}[\dXx]|\d{13}|\d{7}[\dXx])$/.test(compact)) return { words: [compact.toLowerCase()], dropped: 0 };
    var folded = LS.fold(q);
    if (!folded) return { words: [], dropped: 0 };
    var seen = {}, words = [], distinct = 0;
    folded.split(" ").forEach(function (w) {
      if (seen[w]) return;
      seen[w] = 1; distinct++;
      if (words.length < MAX_TERMS) words.push(w);
    });
    return { words: words, dropped: distinct - words.length };
  }

  function queryWords(q) { return queryTerms(q).words; }

  function identWords(text) {
    /* libsync.text.identity_words: NFD, lower case, đ look-alikes → đ, words of letters/digits
       with their marks; the tone moved after the word (VIQR), i/y unified, the rest NFC */
    var s = String(text || "").toLowerCase().replace(/ß/g, "ss").replace(/[ðɖ]/g, "đ").normalize("NFD");
    var out = [];
    (s.match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) || []).forEach(function (w) {
      var tones = "", base = "";
      for (var i = 0; i < w.length; i++) {
        if (TONES[w[i]]) tones += TONES[w[i]]; else base += w[i];
      }
      base = base.normalize("NFC").replace(/^([bcdđghklmnprstvx]+|qu)y$/, "$1i");
      out.push(base + tones);
    });
    return out;
  }

  function toneWords(q, words) {
    /* the searched words typed with a diacritic, as identity words, each once */
    var wanted = {}, seen = {}, out = [];
    words.forEach(function (w) { wanted[w] = 1; });
    var folded = LS.fold(q).split(" "), ident = identWords(q);
    if (folded.length !== ident.length) return out;
    ident.forEach(function (w, i) {
      if (!wanted[folded[i]] || seen[w] || out.length >= MAX_TERMS) return;
      if (/^[\x00-\x7f]*$/.test(w) && !/['`?~.]$/.test(w)) return;  /* typed without diacritics */
      seen[w] = 1;
      out.push(w);
    });
    return out;
  }

  function filterValues() {
    return {
      lib: filters.lib.value, type: filters.type.value, grade: filters.grade.value,
      subject: filters.subject.value, series: filters.series.value, avail: filters.avail.checked
    };
  }

  function anyFilter(f) { return !!(f.lib || f.type || f.grade || f.subject || f.series || f.avail); }

  function makeFilter(f) {
    var F = store.facets;
    var lib = f.lib ? meta.libraries.findIndex(function (l) { return l.code === f.lib; }) : -1;
    var type = f.type ? meta.type_order.indexOf(f.type) : -1;
    var grade = f.grade ? parseInt(f.grade, 10) : 0;
    var subject = f.subject ? meta.subjects.indexOf(f.subject) + 1 : 0;
    var series = f.series ? (meta.series || []).indexOf(f.series) + 1 : 0;   /* canonical names: KNTT = Kết nối tri thức … */
    return function (n) {
      if (type >= 0 && F.ty[n] !== type) return false;
      if (grade && F.gr[n] !== grade) return false;
      if (subject && F.su[n] !== subject) return false;
      if (series && F.se[n] !== series) return false;
      if (lib >= 0 && F.lm[n].indexOf(lib) < 0) return false;
      if (f.avail && (lib >= 0 ? F.am[n].indexOf(lib) < 0 : F.am[n].length === 0)) return false;
      return true;
    };
  }

  function scoreWord(word) {
    /* doc -> best score of this query word */
    var best = new Map();
    var prefix = word.length > 1;
    shardsFor(word, prefix).forEach(function (key) {
      var entries = store.w[key] || {};
      Object.keys(entries).forEach(function (w) {
        var exact = w === word;
        if (!exact && !(prefix && w.lastIndexOf(word, 0) === 0)) return;
        var weights = exact ? EXACT : PREFIX;
        var postings = entries[w], v = 0;
        for (var i = 0; i < postings.length; i++) {
          v += postings[i];
          var doc = v >> 3, s = weights[(v >> 1) & 3] + (v & 1) * 0.5;
          var old = best.get(doc);
          if (old === undefined || s > old) best.set(doc, s);
        }
      });
    });
    return best;
  }

  function toneDocs(word) {
    /* docs having ``word`` (an identity word) exactly as typed, diacritics included */
    var docs = new Set(), key = TONE_PREFIX + word;
    shardsFor(key, false).forEach(function (k) {
      var postings = (store.w[k] || {})[key];
      if (!postings) return;
      for (var i = 0, v = 0; i < postings.length; i++) { v += postings[i]; docs.add(v >> 3); }
    });
    return docs;
  }

  function rank(words, keep, tones) {
    if (!words.length) {
      var all = [];
      for (var n = 0; n < meta.count; n++) if (keep(n)) all.push(n);
      return all;
    }
    var maps = words.map(scoreWord).sort(function (a, b) { return a.size - b.size; });
    var toned = (tones || []).map(toneDocs);
    var hits = [];
    maps[0].forEach(function (s, doc) {
      var total = s;
      for (var i = 1; i < maps.length; i++) {
        var x = maps[i].get(doc);
        if (x === undefined) return;
        total += x;
      }
      for (var j = 0; j < toned.length; j++) if (toned[j].has(doc)) total += TONE;
      if (keep(doc)) hits.push([doc, total]);
    });
    hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return hits.map(function (h) { return h[0]; });
  }

  function setStatus(key, params) {
    state.status = [key, params || null];
    statusEl.textContent = key ? LS.tr(key, params) + (key === "site.ui.search.loading" ? "" : dropNote()) : "";
  }

  function writeHash(q, f) {
    var parts = [];
    if (q) parts.push("q=" + encodeURIComponent(q));
    ["lib", "type", "grade", "subject", "series"].forEach(function (k) { if (f[k]) parts.push(k + "=" + encodeURIComponent(f[k])); });
    if (f.avail) parts.push("avail=1");
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash !== location.hash) {
      try { history.replaceState(null, "", hash || location.pathname + location.search); } catch (e) { /* file:// quirks */ }
    }
  }

  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf("=");
      try { params[kv.slice(0, i < 0 ? kv.length : i)] = i < 0 ? "" : decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* bad hash */ }
    });
    if (params.q) input.value = params.q;
    ["lib", "type", "grade", "subject", "series"].forEach(function (k) {
      if (params[k] && Array.prototype.some.call(filters[k].options, function (o) { return o.value === params[k]; })) filters[k].value = params[k];
    });
    filters.avail.checked = params.avail === "1";
    return !!(params.q || params.lib || params.type || params.grade || params.subject || params.series || params.avail);
  }

  function search() {
    var token = ++state.token;
    var started = performance.now();
    var q = input.value;
    var f = filterValues();
    var terms = queryTerms(q);
    var words = terms.words;
    var tones = toneWords(q, words);
    state.dropped = terms.dropped;
    writeHash(q.trim(), f);
    if (!words.length && !anyFilter(f)) {
      state.hits = []; state.shown = 0;
      list.textContent = "";
      more.hidden = true;
      setStatus("site.ui.search.prompt");
      return Promise.resolve();
    }
    var needed = [];
    words.forEach(function (w) {
      shardsFor(w, w.length > 1).forEach(function (k) { if (!store.w[k]) needed.push("data/w/" + hex(k) + ".js"); });
    });
    tones.forEach(function (w) {
      shardsFor(TONE_PREFIX + w, false).forEach(function (k) { if (!store.w[k]) needed.push("data/w/" + hex(k) + ".js"); });
    });
    if (anyFilter(f) && !store.facets) needed.push("data/f.js");
    var slow = setTimeout(function () { if (token === state.token) setStatus("site.ui.search.loading"); }, 150);
    return Promise.all(needed.map(LSD.load)).then(function () {
      if (token !== state.token) return;
      var keep = anyFilter(f) ? makeFilter(f) : function () { return true; };
      var t0 = performance.now();
      state.hits = rank(words, keep, tones);
      state.timing = { shards: t0 - started, rank: performance.now() - t0 };
      state.shown = 0;
      state.filters = f;
      list.textContent = "";
      return showMore(token, q);
    }).catch(function (err) {
      if (token === state.token) setStatus("site.ui.search.error", { file: err && err.message });
    }).then(function () { clearTimeout(slow); });
  }

  function showMore(token, q) {
    /* Results appear in rank order as soon as the chunks they need have arrived: the first
       lines do not wait for the chunk of the twentieth. */
    var start = state.shown;
    var slice = state.hits.slice(start, start + PAGE);
    var rendered = 0;
    var chunks = {};
    slice.forEach(function (n) { chunks[Math.floor(n / meta.chunk)] = 1; });
    var needed = Object.keys(chunks).filter(function (c) { return !store.d[c]; }).map(function (c) { return "data/d/" + c + ".js"; });
    var t0 = performance.now();
    function flush() {
      if (token !== state.token) return;
      var frag = document.createDocumentFragment(), added = 0;
      while (rendered < slice.length && store.d[Math.floor(slice[rendered] / meta.chunk)]) {
        frag.appendChild(item(slice[rendered]));
        rendered++; added++;
      }
      if (!added) return;
      list.appendChild(frag);
      state.shown = start + rendered;
      if (rendered < slice.length) setStatus("site.ui.search.loading");
      if (!start && rendered === added) {
        window.LS_PAINT = { q: q, t: performance.now() };
        if (window.LS_FIRST_SHOWN == null) window.LS_FIRST_SHOWN = window.LS_PAINT.t;
      }
    }
    flush();
    return Promise.all(needed.map(function (rel) { return LSD.load(rel).then(flush); })).then(function () {
      if (token !== state.token) return;
      flush();
      more.hidden = state.shown >= state.hits.length;
      statusLine();
      var now = performance.now();
      window.LS_LAST = { q: q, n: state.hits.length, t: now, chunks: needed.length,
                         timing: Object.assign({}, state.timing, { chunks: now - t0 }) };
    });
  }

  function statusLine() {
    if (!state.hits.length) setStatus("site.ui.search.none");
    else if (state.shown < state.hits.length) setStatus("site.ui.search.shown", { shown: state.shown, n: state.hits.length });
    else setStatus("site.ui.search.count", { n: state.hits.length });
  }

  function dropNote() {
    return state.dropped ? " " + LS.tr("site.ui.search.dropped", { kept: MAX_TERMS, dropped: state.dropped }) : "";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function libName(code) {
    for (var i = 0; i < meta.libraries.length; i++) if (meta.libraries[i].code === code) return meta.libraries[i].name;
    return code;
  }

  function item(n) {
    /* [id, title, subtitle, authors, year, type, grade, subject, holdings, access] */
    var d = store.d[Math.floor(n / meta.chunk)][n % meta.chunk];
    var li = el("li", "hit");
    var h = el("h3", "hit-title");
    var a = el("a", null, d[1]);
    a.href = "title.html#" + encodeURIComponent(d[0]);
    h.appendChild(a);
    li.appendChild(h);
    if (d[2]) li.appendChild(el("p", "sub", d[2]));
    var bits = [];
    if (d[3]) bits.push(d[3]);
    if (d[4]) bits.push(String(d[4]));
    bits.push(LS.tr("site.type." + d[5]));
    if (d[6]) bits.push(LS.tr("site.ui.filter.grade_n", { n: d[6] }));
    if (d[7]) bits.push(d[7]);
    li.appendChild(el("p", "meta", bits.join(" · ")));
    var lib = state.filters && state.filters.lib;
    var holdings = d[8];
    if (holdings.length) {
      li.appendChild(el("p", "held", LS.tr("site.ui.result.held", {
        libs: holdings.map(function (x) { return libName(x[0]); }).join(", ")
      })));
      var avail = 0;
      holdings.forEach(function (x) { if (!lib || x[0] === lib) avail += x[2]; });
      li.appendChild(el("p", avail ? "avail yes" : "avail no",
        avail ? LS.tr("site.ui.result.available", { n: avail }) : LS.tr("site.ui.result.none_available")));
    } else {
      li.appendChild(el("p", "avail", LS.tr("site.access." + d[9])));
    }
    return li;
  }

  function prefetch() {
    /* load the shards of the words typed so far right away; the search itself waits a moment */
    queryWords(input.value).forEach(function (w) {
      shardsFor(w, w.length > 1).forEach(function (k) { if (!store.w[k]) LSD.load("data/w/" + hex(k) + ".js").catch(function () {}); });
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    prefetch();
    timer = setTimeout(search, 40);
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); search(); });
  form.addEventListener("change", function (ev) { if (ev.target !== input) search(); });
  more.addEventListener("click", function () {
    var first = state.shown;
    showMore(state.token, input.value).then(function () {
      var next = list.children[first];
      if (next) { var link = next.querySelector("a"); if (link) link.focus(); }
    });
  });
  document.addEventListener("ls-lang", function () {
    if (state.status && state.status[0]) setStatus(state.status[0], state.status[1]);
    if (state.shown) {
      var shown = state.shown;
      list.textContent = "";
      var frag = document.createDocumentFragment();
      state.hits.slice(0, shown).forEach(function (n) { frag.appendChild(item(n)); });
      list.appendChild(frag);
    }
  });
  window.LS_SEARCH = { search: search, words: queryWords, ident: identWords };
  if (readHash()) search();
})();
