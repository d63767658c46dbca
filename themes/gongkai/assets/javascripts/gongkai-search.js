// The search page (search/). Queries are normalised as the index was (NFKC, lower case,
// Traditional→Simplified, 文号 brackets folded), expanded with the site's synonyms and looked up in
// the static index gongkai/search wrote into search/data/ (plugins/gongkai/search/browser.py
// describes its tokens and files): per query token one postings file, then one small file per
// result shown (from the file system: their script twins). Nothing is fetched from another host; without JavaScript the page says that
// searching needs it.
(function () {
  "use strict";

  var form = document.getElementById("gk-search");
  if (!form) return;
  var input = form.elements.q;
  var selects = ["unit", "category", "kind"].map(function (name) { return form.elements[name]; });
  var status = document.getElementById("gk-search-status");
  var list = document.getElementById("gk-search-results");
  var more = document.getElementById("gk-search-more");
  var PAGE = 10;          // results shown at a time
  var DEBOUNCE = 60;      // ms after the last keystroke
  var EXCERPT = 90;       // characters of context shown
  var WEIGHT = [1, 2, 4, 8];  // a term in the text, often in the text, in the head, in the title

  var data = window.GONGKAI_SEARCH_DATA || { t: "", s: "", synonyms: [] };
  var T2S = new Map();
  (function () {
    var t = Array.from(data.t), s = Array.from(data.s);
    for (var i = 0; i < t.length; i++) T2S.set(t[i], s[i]);
  })();

  // --- the query, normalised as plugins/gongkai/model/text.py search_text() ------------------
  // HAN is browser.py's HAN: the characters indexed one by one and in pairs.
  var HAN = "\\u3005\\u3007\\u3021-\\u3029\\u3038-\\u303b\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var RUNS = new RegExp("([" + HAN + "]+)|((?:(?![" + HAN + "])[\\p{L}\\p{N}])+)", "gu");
  var DOC_NO = new RegExp("([" + HAN + "]+)\\s*〔\\s*(\\d{4})\\s*〕\\s*(\\d+)\\s*号", "gu");
  var OPEN = /[\[(（【［〔﹝]/g, CLOSE = /[\])）】］〕﹞]/g;

  function normaliseChar(ch) {
    var out = "";
    for (var c of ch.normalize("NFKC").toLowerCase()) out += T2S.get(c) || c;
    return out.replace(OPEN, "〔").replace(CLOSE, "〕");
  }

  function normalise(text) { return normaliseChar(text); }

  // Terms: a 文号 becomes its bracketless key (安府发〔2021〕3号 → 安府发20213号, also indexed);
  // the rest splits at spaces and punctuation. Every term must match.
  function terms(query) {
    var seen = new Set();
    return normalise(query).replace(DOC_NO, "$1$2$3号").split(/[^\p{L}\p{N}]+/u)
      .filter(function (t) { return t && !seen.has(t) && seen.add(t); });
  }

  // A term and its synonym variants (权力清单 → 权责清单 …): any of them may match.
  function variants(term) {
    var out = [term];
    data.synonyms.forEach(function (group) {
      group.forEach(function (word) {
        if (term.indexOf(word) === -1) return;
        group.forEach(function (other) {
          var v = term.split(word).join(other);
          if (out.indexOf(v) === -1) out.push(v);
        });
      });
    });
    return out.slice(0, 12);
  }

  // browser.py query_tokens(): pairs of Chinese characters (a lone one itself), other words whole.
  function tokens(term, prefixMax) {
    var out = [];
    RUNS.lastIndex = 0;
    for (var m; (m = RUNS.exec(term));) {
      if (m[1]) {
        var chars = Array.from(m[1]);
        if (chars.length === 1) out.push(chars[0]);
        for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else {
        out.push(Array.from(m[2]).slice(0, prefixMax).join(""));
      }
    }
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  // --- the index ------------------------------------------------------------------------------
  var dataURL = new URL(form.getAttribute("data-index") || "data/", document.baseURI);
  var siteURL = new URL(form.getAttribute("data-site") || "../", document.baseURI);
  var manifest = null;

  // An index file: fetched from a server; from the file system (the offline bundle), where
  // browsers refuse fetch(), its script twin (<path>.js, see browser.py) is loaded with a <script>
  // element and hands the content over through gongkaiSearchFile(). Bytes come as base64 there.
  var OFFLINE = location.protocol === "file:";
  var waiting = new Map();
  window.gongkaiSearchFile = function (path, value) {
    var resolve = waiting.get(path);
    if (resolve) { waiting.delete(path); resolve(value); }
  };

  function load(path, bytes) {
    if (!OFFLINE) {
      var url = path === "manifest.json" ? new URL(path, dataURL) : fileURL(path);
      return fetch(url, path === "manifest.json" ? { cache: "no-cache" } : {}).then(function (response) {
        if (!response.ok) throw new Error("search index: " + response.status);
        return bytes ? response.arrayBuffer() : response.json();
      });
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      waiting.set(path, resolve);
      script.src = new URL(path.replace(/\.(json|bin)$/, ".js"), dataURL).href;
      script.onload = function () {
        script.remove();
        if (waiting.delete(path)) reject(new Error("search index: " + path + " is not an index file"));
      };
      script.onerror = function () {
        script.remove();
        waiting.delete(path);
        reject(new Error("search index: cannot load " + path));
      };
      document.head.appendChild(script);
    }).then(function (value) {
      if (!bytes) return value;
      var raw = atob(value), out = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
      return out.buffer;
    });
  }

  var ready = load("manifest.json", false).then(function (m) {
    if (m.format !== 1) throw new Error("search index: unknown format " + m.format);
    manifest = m;
  });
  var encoder = new TextEncoder(), decoder = new TextDecoder();
  var buckets = new Map();

  function fnv1a(text) {
    var h = 0x811c9dc5, bytes = encoder.encode(text);
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h;
  }

  function fileURL(path) { return new URL(path + "?v=" + manifest.hash, dataURL); }

  // A bucket: token → [offset, count, byte length] of its postings in the file.
  function bucket(n) {
    if (!buckets.has(n)) {
      buckets.set(n, load("p/" + n + ".bin", true).then(function (buffer) {
        var bytes = new Uint8Array(buffer), pos = 0, entries = new Map();
        function varint() {
          var value = 0, shift = 0, b;
          do { b = bytes[pos++]; value += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
          return value;
        }
        while (pos < bytes.length) {
          var length = varint();
          var token = decoder.decode(bytes.subarray(pos, pos + length));
          pos += length;
          var count = varint(), size = varint();
          entries.set(token, [pos, count, size]);
          pos += size;
        }
        return { bytes: bytes, entries: entries };
      }));
    }
    return buckets.get(n);
  }

  // The postings of a token: record id × 4 + weight, ascending; empty when it is not indexed.
  function postings(token) {
    return bucket(fnv1a(token) % manifest.buckets).then(function (b) {
      var entry = b.entries.get(token);
      if (!entry) return new Uint32Array(0);
      var out = new Uint32Array(entry[1]), bytes = b.bytes, pos = entry[0], last = 0;
      for (var i = 0; i < out.length; i++) {
        var value = 0, shift = 0, byte;
        do { byte = bytes[pos++]; value += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
        last += value;
        out[i] = last;
      }
      return out;
    });
  }

  // Sorted lists of postings: all of them (the lowest weight kept), any of them (the highest).
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a[i] >>> 2, y = b[j] >>> 2;
      if (x < y) i++;
      else if (x > y) j++;
      else { out.push(x * 4 + Math.min(a[i] & 3, b[j] & 3)); i++; j++; }
    }
    return out;
  }

  function union(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length || j < b.length) {
      var x = i < a.length ? a[i] >>> 2 : Infinity, y = j < b.length ? b[j] >>> 2 : Infinity;
      if (x < y) out.push(a[i++]);
      else if (y < x) out.push(b[j++]);
      else { out.push(x * 4 + Math.max(a[i] & 3, b[j] & 3)); i++; j++; }
    }
    return out;
  }

  function allOf(tokenList) {
    return Promise.all(tokenList.map(postings)).then(function (lists) {
      lists.sort(function (a, b) { return a.length - b.length; });
      return lists.reduce(function (acc, l) { return acc === null ? Array.from(l) : intersect(acc, l); }, null) || [];
    });
  }

  // Every term's variants looked up; per term the union, over terms and filters the intersection.
  // Ranked by where the terms are (title, head, text), then by the order of the pages.
  function search(query, filters) {
    var ts = terms(query), prefixMax = manifest.prefix[1];
    var marks = [];
    var perTerm = ts.map(function (term) {
      var vs = variants(term);
      marks.push.apply(marks, vs);
      return Promise.all(vs.map(function (v) {
        var list = tokens(v, prefixMax);
        return list.length ? allOf(list) : Promise.resolve(null);
      })).then(function (lists) {
        lists = lists.filter(function (l) { return l !== null; });
        return lists.length ? lists.reduce(union) : null;
      });
    });
    var filterLists = Object.keys(filters).map(function (name) {
      return postings(manifest.filter + name + manifest.filter + filters[name]).then(function (l) { return Array.from(l); });
    });
    return Promise.all([Promise.all(perTerm), Promise.all(filterLists)]).then(function (found) {
      var lists = found[0].filter(function (l) { return l !== null; });
      if (!ts.length && found[1].length) lists = [found[1][0].map(function (p) { return p & ~3; })];  // filters only
      if (!lists.length) return { hits: [], marks: [] };
      var scores = new Map();
      lists.forEach(function (list, k) {
        list.forEach(function (p) {
          var id = p >>> 2, score = scores.get(id);
          if (k === 0) scores.set(id, WEIGHT[p & 3]);
          else if (score !== undefined) scores.set(id, score + WEIGHT[p & 3]);
        });
        if (k > 0) {
          var here = new Set(list.map(function (p) { return p >>> 2; }));
          scores.forEach(function (_, id) { if (!here.has(id)) scores.delete(id); });
        }
      });
      found[1].forEach(function (list) {
        var here = new Set(list.map(function (p) { return p >>> 2; }));
        scores.forEach(function (_, id) { if (!here.has(id)) scores.delete(id); });
      });
      var hits = Array.from(scores, function (entry) { return { id: entry[0], score: entry[1] }; });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return { hits: hits, marks: marks.filter(Boolean) };
    });
  }

  // When every term matching finds fewer than a page of results (colloquial queries: 开药店,
  // 领结婚证要带什么), records that hold at least half of the query's tokens follow, ranked by how
  // many they hold: recall for questions typed as people talk, after the exact matches.
  var ASKING = /怎么办理|怎么办|怎么|怎样|如何|要带什么|需要什么|带什么|要什么|什么|哪里|在哪|去哪|多久|多少钱|吗|呢|的|了/g;

  function relaxed(query, filters, exclude) {
    var base = [], all = [], prefixMax = manifest.prefix[1];
    terms(normalise(query).replace(ASKING, " ")).forEach(function (term) {
      tokens(term, prefixMax).forEach(function (t) { if (base.indexOf(t) === -1) base.push(t); });
      variants(term).forEach(function (v) {
        tokens(v, prefixMax).forEach(function (t) { if (all.indexOf(t) === -1) all.push(t); });
      });
    });
    if (base.length < 2) return Promise.resolve([]);
    var need = Math.ceil(base.length / 2);
    var filterLists = Object.keys(filters).map(function (name) {
      return postings(manifest.filter + name + manifest.filter + filters[name]);
    });
    return Promise.all([Promise.all(all.map(postings)), Promise.all(filterLists)]).then(function (found) {
      var counts = new Map(), weights = new Map();
      found[0].forEach(function (list) {
        list.forEach(function (p) {
          var id = p >>> 2;
          counts.set(id, (counts.get(id) || 0) + 1);
          weights.set(id, (weights.get(id) || 0) + WEIGHT[p & 3]);
        });
      });
      var allowed = found[1].map(function (list) { return new Set(Array.from(list, function (p) { return p >>> 2; })); });
      var hits = [];
      counts.forEach(function (count, id) {
        if (count < need || exclude.has(id)) return;
        if (allowed.some(function (set) { return !set.has(id); })) return;
        hits.push({ id: id, score: count * 100 + weights.get(id) });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return hits;
    });
  }

  function record(id) {
    return load("r/" + Math.floor(id / 1000) + "/" + id + ".json", false);
  }

  // --- results --------------------------------------------------------------------------------
  // An excerpt of the record's text (as written) around the first match, matches in <mark>: the
  // text is normalised character by character to find them, and the positions mapped back.
  function excerpt(text, marks) {
    var norm = "", back = [], at = 0;
    for (var ch of text) {
      var n = normaliseChar(ch);
      for (var k = 0; k < n.length; k++) back.push(at);
      norm += n;
      at += ch.length;
    }
    back.push(at);
    var first = -1;
    marks.forEach(function (m) {
      var i = norm.indexOf(m);
      if (i !== -1 && (first === -1 || i < first)) first = i;
    });
    var start = first === -1 ? 0 : Math.max(0, back[first] - Math.floor(EXCERPT / 3));
    var end = Math.min(text.length, start + EXCERPT);
    var spans = [];
    marks.forEach(function (m) {
      for (var i = norm.indexOf(m); i !== -1; i = norm.indexOf(m, i + 1)) {
        var s = back[i], e = back[i + m.length];
        if (e > start && s < end) spans.push([Math.max(s, start), Math.min(e, end)]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var p = document.createElement("p");
    p.className = "gk-result__excerpt";
    var pos = start;
    if (start > 0) p.appendChild(document.createTextNode("…"));
    spans.forEach(function (span) {
      if (span[1] <= pos) return;
      var from = Math.max(pos, span[0]);
      if (from > pos) p.appendChild(document.createTextNode(text.slice(pos, from)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(from, span[1]);
      p.appendChild(mark);
      pos = span[1];
    });
    p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "…" : "")));
    return p;
  }

  function resultItem(r, marks) {
    var li = document.createElement("li");
    li.className = "gk-result";
    var heading = document.createElement("h2");
    heading.className = "gk-result__title";
    var link = document.createElement("a");
    link.href = new URL(r.u, siteURL).href;
    link.textContent = r.t;
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "gk-result__meta";
    if (r.k) {
      var badge = document.createElement("span");
      badge.className = "gk-badge gk-badge--category";
      badge.textContent = r.k;
      meta.appendChild(badge);
    }
    [["单位", r.n], ["类别", r.c], ["文号", r.d], ["年份", r.y]].forEach(function (pair) {
      if (!pair[1]) return;
      var span = document.createElement("span");
      span.className = "gk-result__field";
      var label = document.createElement("span");
      label.className = "gk-visually-hidden";
      label.textContent = pair[0] + "：";
      span.appendChild(label);
      span.appendChild(document.createTextNode(String(pair[1])));
      meta.appendChild(span);
    });
    li.appendChild(meta);
    if (r.x) li.appendChild(excerpt(r.x, marks));
    return li;
  }

  // --- the page -------------------------------------------------------------------------------
  var current = { hits: [], marks: [], shown: 0 };
  var generation = 0;
  var timer = null;
  window.gongkaiSearch = { lastInput: 0, rendered: 0, query: "" };  // read by the tests and bench

  function say(text) { status.textContent = text; }

  function unavailable(error) {
    say("检索暂时不可用（索引未能加载）。可以从单位目录、权责清单、政策文件等列表浏览全部内容。");
    form.setAttribute("data-state", "error");
    if (window.console) console.error(error);
  }

  function showMore() {
    var batch = current.hits.slice(current.shown, current.shown + PAGE);
    var mine = generation;
    return Promise.all(batch.map(function (h) { return record(h.id); })).then(function (records) {
      if (mine !== generation) return;
      var fragment = document.createDocumentFragment();
      records.forEach(function (r) { fragment.appendChild(resultItem(r, current.marks)); });
      list.appendChild(fragment);
      current.shown += records.length;
      more.hidden = current.shown >= current.hits.length;
    });
  }

  function filterValues() {
    var filters = {};
    selects.forEach(function (select) { if (select && select.value) filters[select.name] = select.value; });
    return filters;
  }

  function syncURL(query) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    selects.forEach(function (s) { if (s && s.value) params.set(s.name, s.value); });
    var search = params.toString();
    try {
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    } catch (e) { /* a browser may refuse it for a page opened from the file system */ }
  }

  function run() {
    clearTimeout(timer);
    var query = input.value.trim();
    var filters = filterValues();
    var mine = ++generation;
    syncURL(query);
    if (!query && !Object.keys(filters).length) {
      list.textContent = "";
      more.hidden = true;
      say("");
      form.removeAttribute("data-state");
      return Promise.resolve();
    }
    form.setAttribute("data-state", "searching");
    return ready.then(function () { return search(query, filters); }).then(function (found) {
      DOC_NO.lastIndex = 0;
      if (found.hits.length >= PAGE || !query || DOC_NO.test(normalise(query))) return found;  // a 文号 is exact
      var have = new Set(found.hits.map(function (h) { return h.id; }));
      return relaxed(query, filters, have).then(function (more) {
        return { hits: found.hits.concat(more), marks: found.marks.concat(terms(query)) };
      });
    }).then(function (found) {
      if (mine !== generation) return;
      current = { hits: found.hits, marks: found.marks, shown: 0 };
      list.textContent = "";
      return showMore().then(function () {
        if (mine !== generation) return;
        var narrowed = Object.keys(filters).length ? "（已筛选）" : "";
        say(found.hits.length ? "找到 " + found.hits.length + " 条结果" + narrowed
                              : (query ? "没有找到与“" + query + "”相关的结果" : "没有找到结果") + narrowed
                                + "。可以换个说法、减少关键词或取消筛选。");
        window.gongkaiSearch.rendered = performance.now();
        window.gongkaiSearch.query = query;
        form.setAttribute("data-state", "done");
      });
    }).catch(function (error) {
      if (mine === generation) unavailable(error);
    });
  }

  function schedule() {
    window.gongkaiSearch.lastInput = performance.now();
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE);
  }

  input.addEventListener("input", function (e) { if (!e.isComposing) schedule(); });
  input.addEventListener("compositionend", schedule);
  selects.forEach(function (s) { if (s) s.addEventListener("change", run); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  more.addEventListener("click", function () {
    showMore().then(function () { say("已显示 " + current.shown + " / " + current.hits.length + " 条结果"); });
  });

  // ?q=…&unit=…: fill the form and search (the header box and shared links come this way).
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (s) {
    var value = s && params.get(s.name);
    if (value && Array.prototype.some.call(s.options, function (o) { return o.value === value; })) s.value = value;
  });
  ready.catch(unavailable);
  if (input.value || Object.keys(filterValues()).length) run();
  else say("输入关键词即可检索全站的单位、权责事项、办事指南、政策文件和公示公告。");
})();
