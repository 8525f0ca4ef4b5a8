// izde published site: offline search (docs/formats/publish-site.md, "Search index").
// Loads only the index shards a query needs, as <script> files (fetch() is refused on
// file://). No network beyond this site's own files, no inline code.
'use strict';
(function () {
  const box = document.getElementById('search-results');
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-input');
  if (!box || !form || !input) return;
  const root = box.dataset.root;
  const statusWords = JSON.parse(box.dataset.statusWords || '{}');
  const MAX_RESULTS = 50;
  const MAX_PREFIX_TERMS = 40;

  const shards = new Map();  // name -> Promise(data)
  const waiting = new Map();  // name -> resolve
  window.izdeIndex = function (name, data) {
    const resolve = waiting.get(name);
    if (resolve) {
      waiting.delete(name);
      resolve(data);
    }
  };
  function load(name) {
    if (shards.has(name)) return shards.get(name);
    const p = new Promise((resolve) => {
      waiting.set(name, resolve);
      const s = document.createElement('script');
      s.src = root + 'search/' + name + '.js';
      // A shard that does not exist means nothing is indexed under it.
      s.onerror = () => {
        waiting.delete(name);
        resolve({});
      };
      document.head.appendChild(s);
    });
    shards.set(name, p);
    return p;
  }

  // The same fold as FoldTerm in src/publish/search_index.cc.
  function fold(token) {
    return token.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  }
  function tokens(query) {
    return query
      .replace(/[\p{Cf}\u0640]/gu, '')
      .split(/[\s\p{P}\p{S}]+/u)
      .filter((t) => t.length > 0)
      .map(fold)
      .filter((t) => t.length > 0);
  }
  function hex(s, n) {
    const cps = Array.from(s).slice(0, n).map((c) => c.codePointAt(0).toString(16));
    return cps.length ? cps.join('-') : '0';
  }

  // A shard of terms or keys, or {} when the index has none of that name.
  async function loadShard(kind, shard) {
    const meta = await load('meta');
    if (!existing) existing = new Set([...(meta.t || []).map((x) => 't/' + x),
      ...(meta.k || []).map((x) => 'k/' + x)]);
    const name = kind + '/' + shard;
    return existing.has(name) ? load(name) : {};
  }
  let existing = null;

  // The entries one query token finds: exact terms score 2, prefixes of longer terms 1.
  async function entriesOf(token) {
    const terms = await loadShard('t', hex(token, 1));
    const keyScore = new Map();
    if (Object.prototype.hasOwnProperty.call(terms, token))
      for (const k of terms[token]) keyScore.set(k, 2);
    if (token.length >= 2) {
      let n = 0;
      for (const t of Object.keys(terms)) {
        if (t === token || !t.startsWith(token)) continue;
        for (const k of terms[t]) if (!keyScore.has(k)) keyScore.set(k, 1);
        if (++n >= MAX_PREFIX_TERMS) break;
      }
    }
    const found = new Map();
    await Promise.all(
      Array.from(keyScore.keys()).map(async (k) => {
        const keys = await loadShard('k', hex(k, 2));
        const list = keys[k] || [];
        const score = keyScore.get(k);
        for (const e of list) if ((found.get(e) || 0) < score) found.set(e, score);
      }),
    );
    return found;
  }

  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  async function search(query) {
    const started = performance.now();
    const toks = tokens(query);
    box.replaceChildren(el('p', box.dataset.loading));
    if (toks.length === 0) {
      box.replaceChildren();
      return;
    }
    const perToken = await Promise.all(toks.map(entriesOf));
    let scores = null;
    for (const found of perToken) {
      if (scores === null) {
        scores = new Map(found);
        continue;
      }
      const next = new Map();
      for (const [e, s] of scores) if (found.has(e)) next.set(e, s + found.get(e));
      scores = next;
    }
    const ranked = Array.from(scores.entries()).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const shown = ranked.slice(0, MAX_RESULTS);
    const meta = await load('meta');
    const per = meta.per_shard || 128;
    const rows = await Promise.all(
      shown.map(async ([e]) => (await load('e/' + Math.floor(e / per)))[e % per]),
    );
    const list = el('ol', undefined, { class: 'results' });
    for (const row of rows) {
      if (!row) continue;
      const [id, file, name, status, hometown, born] = row;
      const li = el('li');
      // Entry pages hold every language; the fragment picks this page's.
      const a = el('a', undefined,
        { href: root + 'p/' + file + '.html#' + document.documentElement.lang, 'data-id': id });
      a.appendChild(el('bdi', name));
      li.appendChild(a);
      const facts = [hometown, born, status ? statusWords[status] || status : box.dataset.noStatus]
        .filter((x) => x);
      for (const f of facts) {
        li.appendChild(document.createTextNode(' · '));
        li.appendChild(el('bdi', f));
      }
      list.appendChild(li);
    }
    const out = [];
    out.push(rows.length ? list : el('p', box.dataset.none));
    if (ranked.length > MAX_RESULTS) out.push(el('p', box.dataset.more));
    box.replaceChildren(...out);
    box.dataset.ms = String(performance.now() - started);
    box.dataset.query = query;
    box.dataset.count = String(ranked.length);
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = input.value;
    try {
      history.replaceState(null, '', '?q=' + encodeURIComponent(q));
    } catch (e) {
      // some browsers refuse this on file://; the search still runs
    }
    search(q);
  });
  // The index's list of shards is needed by every query: fetched while the reader types.
  load('meta');
  const q = new URLSearchParams(location.search).get('q');
  if (q) {
    input.value = q;
    search(q);
  }
})();
