/* libsync web catalogue: language switch, message look-up, Vietnamese folding, data loading.
   Plain script, no framework, no network beyond the site's own files; works on file:// too. */
(function () {
  "use strict";
  var KEY = "libsync.lang";
  var current = "vi";
  try { if (window.localStorage.getItem(KEY) === "en") current = "en"; } catch (e) { /* storage blocked */ }

  function format(text, params) {
    return text.replace(/\{(\w+)\}/g, function (m, k) {
      return params && Object.prototype.hasOwnProperty.call(params, k) ? String(params[k]) : m;
    });
  }

  function tr(key, params, lang) {
    var table = (window.LS_I18N || {})[lang || current] || {};
    var text = table[key];
    return text == null ? key : format(text, params || {});
  }

  /* The same key as libsync.text.fold in Python: lower case, đ → d, NFD without combining
     marks, every run of non-letters/digits one space. */
  function fold(text) {
    if (!text) return "";
    var s = String(text).toLowerCase().replace(/ß/g, "ss").replace(/[đðɖ]/g, "d");
    s = s.normalize("NFD").replace(/\p{M}+/gu, "");
    return s.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function apply(lang) {
    current = lang;
    document.documentElement.lang = lang;
    var nodes = document.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var args = el.getAttribute("data-i18n-args");
      el.textContent = tr(el.getAttribute("data-i18n"), args ? JSON.parse(args) : null);
    }
    var attrs = document.querySelectorAll("[data-i18n-attr]");
    for (var j = 0; j < attrs.length; j++) {
      var pairs = attrs[j].getAttribute("data-i18n-attr").split(";");
      for (var p = 0; p < pairs.length; p++) {
        var kv = pairs[p].split(":");
        attrs[j].setAttribute(kv[0], tr(kv[1]));
      }
    }
    var button = document.getElementById("lang-switch");
    if (button) button.setAttribute("lang", lang === "vi" ? "en" : "vi");
    document.dispatchEvent(new CustomEvent("ls-lang", { detail: lang }));
  }

  /* Data files are scripts calling LSD.<kind>(...): they land in LSD.store. */
  var root = document.body.getAttribute("data-root") || "";
  var store = { meta: null, facets: null, w: {}, d: {} };
  var pending = {};
  window.LSD = {
    store: store,
    meta: function (m) { store.meta = m; },
    facets: function (f) { store.facets = f; },
    w: function (key, entries) { store.w[key] = entries; },
    d: function (n, docs) { store.d[n] = docs; },
    load: function (rel) {
      if (pending[rel]) return pending[rel];
      pending[rel] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + rel;
        s.async = true;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete pending[rel]; reject(new Error(rel)); };
        document.head.appendChild(s);
      });
      return pending[rel];
    }
  };

  window.LS = { tr: tr, fold: fold, lang: function () { return current; }, apply: apply };

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("lang-switch");
    if (button) {
      button.addEventListener("click", function () {
        var next = current === "vi" ? "en" : "vi";
        try { window.localStorage.setItem(KEY, next); } catch (e) { /* storage blocked */ }
        apply(next);
      });
    }
    if (current !== "vi") apply(current);
  });
})();
