/* kotaku_map: layers, legend, search, totals, names, fullscreen and print for the
 * offline integration maps (peta keterpaduan). No dependencies but Leaflet.
 *
 * Every piece of text that comes from data is put into the page with
 * textContent (or escaped with esc() where Leaflet only takes HTML strings),
 * never as markup. Every colour, size and word comes from the page's data
 * (style.py and labels.py): this file holds none.
 *
 * Layout: every control sits in a Leaflet corner; the city is fitted into the
 * largest rectangle that no open control covers (freePadding), popups pan clear
 * of the same controls, and print lays out a map sheet (title, map, legend,
 * totals, footer) on the chosen paper.
 */
(function (global) {
  'use strict';

  var SVGNS = 'http://www.w3.org/2000/svg';
  var instances = {};

  // ------------------------------------------------------------------ helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function fmtFactory(lang) {
    var loc = lang === 'id' ? 'id-ID' : 'en-GB';
    var f2 = new Intl.NumberFormat(loc, {minimumFractionDigits: 2, maximumFractionDigits: 2});
    var f0 = new Intl.NumberFormat(loc, {maximumFractionDigits: 0});
    return {
      ha: function (v, L) { return (v === null || v === undefined) ? L.none : f2.format(v) + ' ' + L.ha; },
      num: function (v, L) { return (v === null || v === undefined) ? L.none : f0.format(v); },
      dec: function (v, L) { return (v === null || v === undefined) ? L.none : f2.format(v); }
    };
  }

  // compact features {g: [[flat delta ints per ring]] per polygon, p: props} -> GeoJSON
  function decode(feats, nd) {
    var s = Math.pow(10, -nd);
    return {type: 'FeatureCollection', features: (feats || []).map(function (f) {
      return {type: 'Feature', properties: f.p, geometry: {type: 'MultiPolygon',
        coordinates: f.g.map(function (poly) {
          return poly.map(function (r) {
            var x = 0, y = 0, out = [];
            for (var i = 0; i < r.length; i += 2) {
              x += r[i]; y += r[i + 1];
              out.push([x * s, y * s]);
            }
            out.push(out[0]);
            return out;
          });
        })}};
    })};
  }

  function fill(tpl, p) { return String(tpl).replace('{p}', p); }

  function norm(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  // a colour with an opacity: '#RRGGBB' as it is when opaque, else rgba()
  function rgba(hex, a) {
    if (a === undefined || a === null || a >= 1) { return hex; }
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  // SVG patterns (hatching) from the style's hatches, shared by map paths and legend swatches
  function addPatterns(prefix, hatches) {
    var root = svg('svg', {width: 0, height: 0, 'aria-hidden': 'true', 'class': 'kt-defs'});
    var defs = svg('defs', {});
    Object.keys(hatches || {}).forEach(function (id) {
      var h = hatches[id];
      var size = h.spacing;
      var p = svg('pattern', {id: prefix + '-' + id, patternUnits: 'userSpaceOnUse',
        width: size, height: size, patternTransform: 'rotate(' + h.angle + ')'});
      if (h.background) {
        p.appendChild(svg('rect', {width: size, height: size, fill: rgba(h.background, h.background_opacity)}));
      }
      p.appendChild(svg('line', {x1: 0, y1: 0, x2: 0, y2: size, stroke: h.color, 'stroke-width': h.width}));
      if (h.cross) {
        p.appendChild(svg('line', {x1: 0, y1: 0, x2: size, y2: 0, stroke: h.color, 'stroke-width': h.width}));
      }
      defs.appendChild(p);
    });
    root.appendChild(defs);
    document.body.appendChild(root);
    return function (id) { return 'url(#' + prefix + '-' + id + ')'; };
  }

  // a symbol of the style source as Leaflet path options
  function pathStyle(sym, pat) {
    var filled = !!(sym.fill || sym.hatch);
    return {
      stroke: !!sym.stroke, color: sym.stroke, weight: sym.stroke_width, opacity: sym.stroke_opacity,
      dashArray: sym.dash && sym.dash.length ? sym.dash.join(' ') : null,
      fill: filled, fillColor: sym.hatch ? pat(sym.hatch) : sym.fill, fillOpacity: sym.fill_opacity
    };
  }

  function swatch(style) {
    var s = svg('svg', {width: 30, height: 20, 'class': 'kt-swatch', 'aria-hidden': 'true'});
    if (style.line) {
      s.appendChild(svg('line', {x1: 2, y1: 10, x2: 28, y2: 10, stroke: style.color,
        'stroke-width': Math.min(style.weight || 2, 5), 'stroke-dasharray': style.dashArray || ''}));
    } else if (style.circle) {
      s.appendChild(svg('circle', {cx: 15, cy: 10, r: 8, fill: style.fillColor,
        'fill-opacity': style.fillOpacity, stroke: style.color, 'stroke-width': 1.5}));
    } else {
      s.appendChild(svg('rect', {x: 2, y: 2, width: 26, height: 16,
        fill: style.fill === false ? 'none' : (style.fillColor || style.color),
        'fill-opacity': style.fillOpacity === undefined ? 1 : style.fillOpacity,
        stroke: style.stroke === false ? 'none' : (style.color || 'none'),
        'stroke-width': Math.min(style.weight || 1, 3),
        'stroke-dasharray': style.dashArray || ''}));
    }
    return s;
  }

  // rows [label, value, wrap]: values stay on one line (numbers) unless wrap is set (names)
  function rowsTable(rows, cls) {
    var t = el('table', cls || null);
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('th', null, r[0]));
      tr.appendChild(el('td', r[2] ? 'kt-wrap' : null, r[1]));
      t.appendChild(tr);
    });
    return t;
  }

  function infoTable(title, rows, cls) {
    var box = el('div', 'kt-info ' + (cls || ''));
    if (title !== null && title !== undefined) { box.appendChild(el('div', 'kt-info-title', title)); }
    box.appendChild(rowsTable(rows));
    return box;
  }

  function iconButton(title, pathD, onClick, cls) {
    var a = el('a', 'kt-btn ' + (cls || ''));
    a.href = '#';
    a.title = title;
    a.setAttribute('role', 'button');
    a.setAttribute('aria-label', title);
    var s = svg('svg', {width: 22, height: 22, viewBox: '0 0 24 24', 'aria-hidden': 'true'});
    s.appendChild(svg('path', {d: pathD, fill: 'none', stroke: 'currentColor', 'stroke-width': 2.4,
      'stroke-linecap': 'round', 'stroke-linejoin': 'round'}));
    a.appendChild(s);
    L.DomEvent.on(a, 'click', function (e) { L.DomEvent.preventDefault(e); onClick(); });
    return a;
  }

  // ------------------------------------------------------------------ search
  // A query is reduced with the rules of kotaku_map.names (prefixes, abbreviations: the
  // page's D.search) and compared with keys made by the same module in Python.
  function queryKey(s, R) {
    var t = String(s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    t = t.replace(/['`\u2018\u2019]/g, '').replace(/(\d)(?=[a-z])/g, '$1 ').replace(/([a-z])(?=\d)/g, '$1 ');
    var tokens = t.match(/[a-z0-9]+/g) || [];
    while (tokens.length > 1 && R.prefixes.indexOf(tokens[0]) >= 0) { tokens.shift(); }
    var out = '', prev = '';
    tokens.forEach(function (tok) {
      tok = R.abbreviations[tok] || tok;
      if (/^\d+$/.test(tok)) { tok = String(parseInt(tok, 10)); }
      if (/^\d+$/.test(prev) && /^\d+$/.test(tok)) { out += '-'; }
      out += tok;
      prev = tok;
    });
    return out;
  }

  // optimal string alignment distance (a swap of two letters counts once)
  function osa(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var c = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + c);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  // rank of an entry for a query (lower is better; Infinity: no match)
  function searchRank(q, digits, en) {
    if (digits.length >= 4 && en.d.indexOf(digits) === 0) { return 0; }
    if (!q) { return Infinity; }
    var best = Infinity;
    en.keys.forEach(function (k) {
      if (k === q) { best = Math.min(best, 1); }
      else if (k.indexOf(q) === 0) { best = Math.min(best, 2); }
      else if (k.indexOf(q) > 0) { best = Math.min(best, 3); }
      else if (q.length >= 4) {
        var allowed = q.length >= 8 ? 2 : 1, dist = osa(q, k);
        for (var n = Math.max(1, q.length - allowed); n <= Math.min(k.length, q.length + allowed); n++) {
          dist = Math.min(dist, osa(q, k.slice(0, n)));
        }
        if (dist <= allowed) { best = Math.min(best, 4 + dist); }
      }
    });
    if (best === Infinity && en.kec && en.kec.indexOf(q) >= 0) { best = 7; }
    return best;
  }

  function searchEntries(entries, text, R) {
    var digits = /^[\d.\s-]+$/.test(text) ? text.replace(/\D/g, '') : '';
    var q = queryKey(text, R);
    return entries.map(function (en) { return [searchRank(q, digits, en), en]; })
      .filter(function (r) { return r[0] < Infinity; })
      .sort(function (a, b) { return a[0] - b[0] || a[1].name.localeCompare(b[1].name); })
      .slice(0, 12).map(function (r) { return r[1]; });
  }

  function searchControl(map, L_, entries, R, onPick) {
    var Ctl = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var box = el('div', 'leaflet-bar kt-search kt-screen-only');
        var input = el('input', 'kt-search-input');
        input.type = 'search';
        input.placeholder = L_.search;
        input.setAttribute('aria-label', L_.search_label);
        input.setAttribute('autocomplete', 'off');
        var list = el('ul', 'kt-search-results');
        list.setAttribute('role', 'listbox');
        box.appendChild(input);
        box.appendChild(list);
        var current = [];
        var active = -1;
        function render() {
          list.textContent = '';
          active = -1;
          current = input.value.trim() ? searchEntries(entries, input.value.trim(), R) : [];
          if (!input.value.trim()) { return; }
          if (!current.length) { list.appendChild(el('li', 'kt-empty', L_.no_result)); return; }
          current.forEach(function (en, j) {
            var li = el('li', 'kt-hit');
            li.setAttribute('role', 'option');
            li.appendChild(el('span', 'kt-hit-name', en.name));
            li.appendChild(el('span', 'kt-hit-sub', en.sub));
            L.DomEvent.on(li, 'mousedown', function (e) { L.DomEvent.preventDefault(e); pick(j); });
            list.appendChild(li);
          });
        }
        function mark() {
          Array.prototype.forEach.call(list.children, function (li, j) {
            li.classList.toggle('kt-active', j === active);
          });
        }
        function pick(j) {
          var en = current[j];
          if (!en) { return; }
          input.value = en.name;
          list.textContent = '';
          current = [];
          input.blur();
          onPick(en);
        }
        L.DomEvent.on(input, 'input', render);
        L.DomEvent.on(input, 'keydown', function (e) {
          if (e.key === 'ArrowDown') { active = Math.min(active + 1, current.length - 1); mark(); L.DomEvent.preventDefault(e); }
          else if (e.key === 'ArrowUp') { active = Math.max(active - 1, 0); mark(); L.DomEvent.preventDefault(e); }
          else if (e.key === 'Enter') { pick(active >= 0 ? active : 0); L.DomEvent.preventDefault(e); }
          else if (e.key === 'Escape') { input.value = ''; render(); }
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    return new Ctl().addTo(map);
  }

  // ------------------------------------------------------------------ buttons
  var ICON_FULL = 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5';
  var ICON_PRINT = 'M6 9V3h12v6M6 18H4v-7h16v7h-2M7 14h10v7H7z';
  var PAPERS = [['A4', 'landscape'], ['A4', 'portrait'], ['A3', 'landscape'], ['A3', 'portrait']];

  function buttonsControl(map, L_, sheet, onPrint) {
    var Ctl = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var bar = el('div', 'leaflet-bar kt-buttons kt-screen-only');
        bar.appendChild(iconButton(L_.fullscreen, ICON_FULL, function () {
          var d = document;
          if (d.fullscreenElement || d.webkitFullscreenElement) {
            (d.exitFullscreen || d.webkitExitFullscreen).call(d);
          } else {
            var req = sheet.requestFullscreen || sheet.webkitRequestFullscreen;
            if (req) { req.call(sheet); }
          }
        }, 'kt-fullscreen'));
        var menu = el('div', 'kt-print-menu');
        menu.setAttribute('role', 'menu');
        var open = iconButton(L_.print_menu, ICON_PRINT, function () {
          var shown = menu.classList.toggle('kt-open');
          open.setAttribute('aria-expanded', shown ? 'true' : 'false');
        }, 'kt-print-open');
        open.setAttribute('aria-haspopup', 'menu');
        open.appendChild(el('span', 'kt-btn-text', L_.print));
        PAPERS.forEach(function (pp) {
          var b = el('button', 'kt-print-' + pp[0].toLowerCase() + '-' + pp[1], L_['print_' + pp[0] + '_' + pp[1]]);
          b.type = 'button';
          b.setAttribute('role', 'menuitem');
          L.DomEvent.on(b, 'click', function () { menu.classList.remove('kt-open'); onPrint(pp[0], pp[1]); });
          menu.appendChild(b);
        });
        bar.appendChild(open);
        bar.appendChild(menu);
        L.DomEvent.disableClickPropagation(bar);
        return bar;
      }
    });
    return new Ctl().addTo(map);
  }

  // a collapsible panel; map fires 'kt-layout' when it opens or closes
  function panelControl(map, position, cls, title, L_, buildBody, startOpen) {
    var Ctl = L.Control.extend({
      options: {position: position},
      onAdd: function () {
        var self = this;
        var box = el('div', 'kt-panel ' + cls);
        var head = el('div', 'kt-panel-head');
        head.appendChild(el('span', 'kt-panel-title', title)).title = title;
        var tog = el('button', 'kt-toggle kt-screen-only');
        tog.type = 'button';
        head.appendChild(tog);
        var body = el('div', 'kt-panel-body');
        box.appendChild(head);
        box.appendChild(body);
        self.setOpen = function (on, quiet) {
          box.classList.toggle('kt-closed', !on);
          tog.textContent = on ? '−' : '+';
          tog.title = on ? L_.hide : L_.show;
          tog.setAttribute('aria-expanded', on ? 'true' : 'false');
          if (!quiet) { map.fire('kt-layout', {panel: on ? self : null}); }
        };
        self.isOpen = function () { return !box.classList.contains('kt-closed'); };
        self.setOpen(self.wasOpen === undefined ? startOpen : self.wasOpen, true);
        L.DomEvent.on(tog, 'click', function () { self.setOpen(!self.isOpen()); });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        self.body = body;
        buildBody(body);
        return box;
      }
    });
    var c = new Ctl();
    c.addTo(map);
    // moved to another corner (a phone turned), the panel keeps its state
    c.moveTo = function (corner) {
      if (c.getPosition() === corner) { return false; }
      c.wasOpen = c.isOpen();
      c.setPosition(corner);
      return true;
    };
    return c;
  }

  // ------------------------------------------------------------------ layout
  // The visible controls of a map, each with the two edges it can be counted against.
  function controlBoxes(container) {
    var c = container.getBoundingClientRect();
    var out = [];
    Array.prototype.forEach.call(container.querySelectorAll('.leaflet-control'), function (e) {
      if (!e.offsetWidth || !e.offsetHeight) { return; }
      var r = e.getBoundingClientRect();
      var corner = e.parentNode.className;
      out.push({el: e, left: r.left - c.left, top: r.top - c.top, right: r.right - c.left,
        bottom: r.bottom - c.top, v: corner.indexOf('leaflet-top') >= 0 ? 'top' : 'bottom',
        h: corner.indexOf('leaflet-left') >= 0 ? 'left' : 'right'});
    });
    return out;
  }

  // The padding that leaves the largest rectangle for something of aspect w/h (the city,
  // a popup) that no control covers: every control counted against its vertical or its
  // horizontal edge, every combination tried (a handful of controls).
  function freePadding(boxes, W, H, aspect, margin) {
    var n = Math.min(boxes.length, 14), best = null;
    for (var m = 0; m < (1 << n); m++) {
      var p = {top: 0, left: 0, right: 0, bottom: 0};
      for (var i = 0; i < n; i++) {
        var b = boxes[i];
        if (m & (1 << i)) {
          if (b.v === 'top') { p.top = Math.max(p.top, b.bottom); } else { p.bottom = Math.max(p.bottom, H - b.top); }
        } else if (b.h === 'left') { p.left = Math.max(p.left, b.right); } else { p.right = Math.max(p.right, W - b.left); }
      }
      var w = W - p.left - p.right - 2 * margin, h = H - p.top - p.bottom - 2 * margin;
      if (w <= 0 || h <= 0) { continue; }
      var score = Math.min(w / aspect, h);
      if (!best || score > best.score + 0.5 || (Math.abs(score - best.score) <= 0.5 && w * h > best.w * best.h)) {
        best = {score: score, w: w, h: h, pad: p};
      }
    }
    return best || {score: 0, w: 0, h: 0, pad: {top: 0, left: 0, right: 0, bottom: 0}};
  }

  // ------------------------------------------------------------------ names on the map
  function textVars(container, T) {
    Object.keys(T).forEach(function (k) {
      var t = T[k], w = t.halo_width, c = t.halo, st = container.style;
      st.setProperty('--kt-' + k + '-size', t.size + 'px');
      st.setProperty('--kt-' + k + '-print-size', t.print_size + 'px');
      st.setProperty('--kt-' + k + '-color', t.color);
      st.setProperty('--kt-' + k + '-weight', String(t.weight));
      st.setProperty('--kt-' + k + '-transform', t.uppercase ? 'uppercase' : 'none');
      st.setProperty('--kt-' + k + '-spacing', t.letter_spacing + 'em');
      st.setProperty('--kt-' + k + '-halo', [[-w, -w], [w, -w], [-w, w], [w, w], [0, w], [0, -w], [w, 0], [-w, 0]]
        .map(function (o) { return o[0] + 'px ' + o[1] + 'px 0 ' + c; }).join(', ') + ', 0 0 ' + (w + 2) + 'px ' + c);
    });
  }

  function nameMarkers(rows, pane, cls) {
    return rows.map(function (r) {
      var span = el('span', null, r[2]);
      return L.marker([r[0], r[1]], {pane: pane, interactive: false, keyboard: false,
        icon: L.divIcon({className: cls, html: span, iconSize: null})});
    });
  }

  function overlaps(r, o, gap) {
    return !(r.right + gap < o.left || r.left - gap > o.right || r.bottom + gap < o.top || r.top - gap > o.bottom);
  }

  // Show the names of one level (kelurahan when they are large enough on screen, else
  // kecamatan), first come first placed: a name that would overlap one already placed, a
  // control, or the map's edge is hidden.
  function declutter(K) {
    var map = K.map, kelOn = map.hasLayer(K.layers.kellabels), kecOn = map.hasLayer(K.layers.labels);
    var px = K.kelSpanDeg * 256 * Math.pow(2, map.getZoom()) / 360;
    var showKel = kelOn && (px >= K.D.style.text.kel.min_px || !kecOn);
    var sets = [[K.kelMarkers, showKel], [K.kecMarkers, kecOn && !showKel]];
    var shown = [];
    sets.forEach(function (s) {
      s[0].forEach(function (mk) {
        var e = mk.getElement();
        if (e) { e.classList.toggle('kt-hidden', !s[1]); if (s[1]) { shown.push(e); } }
      });
    });
    var frame = K.container.getBoundingClientRect();
    var c0 = frame;
    var blocked = K.printing ? [] : controlBoxes(K.container).map(function (b) {
      return {left: b.left + c0.left, right: b.right + c0.left, top: b.top + c0.top, bottom: b.bottom + c0.top};
    });
    var rects = shown.map(function (e) { return e.firstChild.getBoundingClientRect(); });
    var placed = [];
    shown.forEach(function (e, i) {
      var r = rects[i];
      var out = r.left < frame.left || r.right > frame.right || r.top < frame.top || r.bottom > frame.bottom;
      var hit = out || blocked.some(function (o) { return overlaps(r, o, 0); }) ||
        placed.some(function (o) { return overlaps(r, o, 2); });
      if (hit) { e.classList.add('kt-hidden'); } else { placed.push(r); }
    });
  }

  // ------------------------------------------------------------------ print
  var PAPER_MM = {A4: [210, 297], A3: [297, 420]};
  var PRINT_MARGIN_MM = 8;

  function setPaper(K, size, orient) {
    K.paper = [size, orient];
    var st = document.getElementById('kt-page-size');
    if (!st) { st = el('style'); st.id = 'kt-page-size'; document.head.appendChild(st); }
    st.textContent = '@page { size: ' + size + ' ' + orient + '; margin: ' + PRINT_MARGIN_MM + 'mm; }';
  }

  // the map sheet: title, map, legend + totals + scale beside (landscape) or below
  // (portrait) the map, footer; the map refitted to the city in the space left
  function enterPrint(K) {
    if (K.printing) { return; }
    var map = K.map, root = document.documentElement;
    var mm = PAPER_MM[K.paper[0]], land = K.paper[1] === 'landscape';
    K.printing = {view: [map.getCenter(), map.getZoom()], home: K.atHome, moved: []};
    map.closePopup();
    root.classList.add('kt-printing', 'kt-print-' + K.paper[1]);
    K.sheet.style.width = ((land ? mm[1] : mm[0]) - 2 * PRINT_MARGIN_MM) + 'mm';
    K.sheet.style.height = ((land ? mm[0] : mm[1]) - 2 * PRINT_MARGIN_MM - 1) + 'mm';
    [K.legend, K.totals].forEach(function (ctl) {
      var c = ctl.getContainer();
      K.printing.moved.push([c, c.parentNode, c.nextSibling, ctl.isOpen()]);
      ctl.setOpen(true, true);
      K.side.appendChild(c);
    });
    var scale = K.scale.getContainer();
    K.printing.moved.push([scale, scale.parentNode, scale.nextSibling, null]);
    K.side.appendChild(scale);
    K.side.classList.toggle('kt-side-wide', K.side.scrollHeight > K.side.clientHeight + 1);
    map.invalidateSize({animate: false, pan: false});
    map.fitBounds(K.bounds, {padding: [6, 6], animate: false});
    declutter(K);
  }

  function leavePrint(K) {
    var P = K.printing;
    if (!P) { return; }
    var root = document.documentElement;
    root.classList.remove('kt-printing', 'kt-print-landscape', 'kt-print-portrait');
    K.side.classList.remove('kt-side-wide');
    K.sheet.style.width = '';
    K.sheet.style.height = '';
    P.moved.reverse().forEach(function (m) {
      m[1].insertBefore(m[0], m[2] && m[2].parentNode === m[1] ? m[2] : null);
    });
    K.legend.setOpen(P.moved.filter(function (m) { return m[0] === K.legend.getContainer(); })[0][3], true);
    K.totals.setOpen(P.moved.filter(function (m) { return m[0] === K.totals.getContainer(); })[0][3], true);
    K.printing = null;
    K.map.invalidateSize({animate: false, pan: false});
    if (P.home) { fitCity(K); } else { K.map.setView(P.view[0], P.view[1], {animate: false}); declutter(K); }
  }

  // ------------------------------------------------------------------ fitting the city
  var MARGIN = 10;

  // Each side's top and bottom corners never meet: a bottom corner that is too tall first
  // takes its panels in two columns, then folds its other panels (not `keep`, the one the
  // reader just opened), and only then lets `keep` scroll.
  function limitPanels(K, keep) {
    var H = K.container.clientHeight;
    K.panels.forEach(function (p) {
      p.body.style.maxHeight = '';
      p.getContainer().classList.remove('kt-two-columns');
    });
    ['left', 'right'].forEach(function (side) {
      var top = K.container.querySelector('.leaflet-top.leaflet-' + side);
      var bottom = K.container.querySelector('.leaflet-bottom.leaflet-' + side);
      var fits = function () { return top.offsetHeight + bottom.offsetHeight + 2 * MARGIN <= H; };
      var mine = K.panels.filter(function (p) { return p.isOpen() && bottom.contains(p.getContainer()); })
        .sort(function (a, b) { return b.getContainer().offsetHeight - a.getContainer().offsetHeight; });
      var fold = function () {
        mine.forEach(function (p) {
          if (!fits() && p !== keep) { p.getContainer().classList.remove('kt-two-columns'); p.setOpen(false, true); }
        });
      };
      if (keep) { fold(); }
      mine.forEach(function (p) { if (!fits() && p.isOpen()) { p.getContainer().classList.add('kt-two-columns'); } });
      fold();
      if (!fits() && keep && keep.isOpen() && bottom.contains(keep.getContainer())) {
        var over = top.offsetHeight + bottom.offsetHeight + 2 * MARGIN - H;
        keep.body.style.maxHeight = Math.max(80, keep.body.offsetHeight - over) + 'px';
      }
    });
  }

  // the legend: bottom right, or on a narrow screen above the totals (the two bottom corners
  // would meet across a phone)
  function legendCorner() { return global.innerWidth >= 700 ? 'bottomright' : 'bottomleft'; }

  function cityAspect(K) {
    var a = K.map.latLngToContainerPoint(K.bounds.getNorthWest());
    var b = K.map.latLngToContainerPoint(K.bounds.getSouthEast());
    return Math.max(b.x - a.x, 1) / Math.max(b.y - a.y, 1);
  }

  // fit the city into the largest free rectangle; when the screen changes (not when the
  // reader opens a panel or a layer) panels close (extra panels, totals, legend) while that
  // rectangle is less than half of the map
  function fitCity(K, keepPanels, opened) {
    var map = K.map, W = K.container.clientWidth, H = K.container.clientHeight;
    if (!W || !H) { return; }
    map.invalidateSize({animate: false, pan: false});
    limitPanels(K, opened);
    var closable = keepPanels ? [] : K.panels.filter(function (p) { return p.isOpen(); });
    var best = freePadding(controlBoxes(K.container), W, H, cityAspect(K), MARGIN);
    while (best.w * best.h < 0.5 * W * H && closable.length) {
      closable.shift().setOpen(false, true);
      limitPanels(K);
      best = freePadding(controlBoxes(K.container), W, H, cityAspect(K), MARGIN);
    }
    K.pad = best.pad;
    K.fitting = true;
    map.fitBounds(K.bounds, {paddingTopLeft: [best.pad.left + MARGIN, best.pad.top + MARGIN],
      paddingBottomRight: [best.pad.right + MARGIN, best.pad.bottom + MARGIN], animate: false});
    K.fitting = false;
    K.atHome = true;
    declutter(K);
  }

  // popups: never wider or taller than the free rectangle, panned clear of every control
  function placePopup(K, popup) {
    var el_ = popup.getElement();
    if (!el_ || K.printing) { return; }
    var W = K.container.clientWidth, H = K.container.clientHeight;
    var aspect = Math.max(el_.offsetWidth, 200) / Math.max(el_.offsetHeight, 120);
    var best = freePadding(controlBoxes(K.container), W, H, aspect, MARGIN);
    var o = popup.options;
    o.autoPanPaddingTopLeft = L.point(best.pad.left + MARGIN, best.pad.top + MARGIN);
    o.autoPanPaddingBottomRight = L.point(best.pad.right + MARGIN, best.pad.bottom + MARGIN);
    o.maxWidth = Math.max(200, Math.min(460, best.w - 40));
    o.minWidth = Math.min(o.minWidth || 0, o.maxWidth);
    o.maxHeight = Math.max(140, best.h - 50);
    popup.update();
  }

  // ================================================================ BEGIN issue 8
  // Optional extra layers (D.extra, only when given): source reconciliation, slum level per
  // year (layers sharing a group get a switch), funding mix; and panels holding a chart.
  // Text goes in with textContent (infoTable/el) only; images are data: URIs.
  function addExtras(map, D, L_, F, overlays, name, panelFn, sty) {
    var X = D.extra;
    var out = {layers: {}, groups: {}, panels: [], markSwitches: function () {}};
    if (!X) { return out; }
    var style = function (lyr, ci) {
      return sty(lyr.classes[ci] ? lyr.classes[ci].symbol : X.unknown);
    };
    function rows(lyr, p) {
      return lyr.popup.map(function (c, i) {
        var v = (p.r || [])[i];
        var t;
        if (v === null || v === undefined) { t = L_.none; }
        else if (c[1] === 'ha') { t = F.ha(v, L_); }
        else if (c[1] === 'pct') { t = F.dec(v, L_) + ' %'; }
        else if (c[1] === 'num') { t = F.num(v, L_); }
        else if (c[1] === 'rp') { t = 'Rp ' + F.num(v, L_); }
        else { t = String(v); }
        return [c[0], t, c[1] === 'text'];
      });
    }
    function build(lyr) {
      var feats = decode(lyr.features, D.nd).features;
      return L.geoJSON({type: 'FeatureCollection', features: feats}, {
        pane: 'kt-extra',
        style: function (f) { return style(lyr, f.properties.c); },
        onEachFeature: function (f, l) {
          var p = f.properties;
          var cls = lyr.classes[p.c];
          var title = (p.t === null || p.t === undefined) ? lyr.label : p.t;
            var all = function () { return [[lyr.group ? lyr.group_label : lyr.label, lyr.group ? lyr.label : (cls ? cls.label : L_.none), true]].concat(lyr.group ? [[L_.status, cls ? cls.label : L_.none, true]] : []).concat(rows(lyr, p)); };
          l.bindTooltip(function () { return infoTable(title, all()); }, {sticky: true, className: 'kt-tooltip'});
          l.bindPopup(function () { return infoTable(title, all(), 'kt-popup-info'); },
            {className: 'kt-popup', minWidth: 220, maxWidth: 460});
        }
      });
    }
    function legendOf(lyr) {
      return lyr.classes.filter(function (c) { return c.used; }).map(function (c) {
        return [sty(c.symbol), c.label];
      });
    }
    var order = [];
    X.layers.forEach(function (lyr) {
      var gl = build(lyr);
      out.layers[lyr.key] = gl;
      if (!lyr.group) {
        overlays.push(['x-' + lyr.key, lyr.label, gl, lyr.on, function () { return legendOf(lyr); },
          lyr.features.length]);
        return;
      }
      var g = out.groups[lyr.group];
      if (!g) {
        g = out.groups[lyr.group] = {container: L.layerGroup(), items: [], current: -1, label: lyr.group_label, on: false};
        order.push(lyr.group);
        overlays.push(['g-' + lyr.key, lyr.group_label, g.container, false, function () {
          return g.current >= 0 ? legendOf(g.items[g.current].lyr) : [];
        }, 0]);
        g.entry = overlays[overlays.length - 1];
      }
      g.on = g.on || lyr.on;
      g.entry[5] += lyr.features.length;
      g.items.push({lyr: lyr, layer: gl});
    });
    order.forEach(function (key) {
      var g = out.groups[key];
      g.entry[3] = g.on;
      var buttons = [];
      // a year is shown pressed only while its layer is on the map
      g.mark = function () {
        var on = map.hasLayer(g.container);
        buttons.forEach(function (b, j) {
          b.classList.toggle('kt-active', on && j === g.current);
          b.setAttribute('aria-pressed', on && j === g.current ? 'true' : 'false');
        });
      };
      g.show = function (i) {
        g.container.clearLayers();
        g.container.addLayer(g.items[i].layer);
        g.current = i;
        g.mark();
        if (map.hasLayer(g.container)) { map.fire('overlayadd', {layer: g.container, name: g.label}); }
      };
      var Ctl = L.Control.extend({
        options: {position: switchCorner()},
        onAdd: function () {
          buttons.length = 0;
          var box = el('div', 'leaflet-bar kt-switch kt-screen-only');
          box.setAttribute('role', 'group');
          box.setAttribute('aria-label', g.label);
          box.appendChild(el('div', 'kt-switch-title', g.label));
          g.items.forEach(function (it, i) {
            var b = el('button', 'kt-switch-btn', it.lyr.label);
            b.type = 'button';
            L.DomEvent.on(b, 'click', function () {
              if (!map.hasLayer(g.container)) { g.container.addTo(map); }
              g.show(i);
            });
            buttons.push(b);
            box.appendChild(b);
          });
          L.DomEvent.disableClickPropagation(box);
          return box;
        }
      });
      g.control = new Ctl().addTo(map);
      g.show(g.items.length - 1);
    });
    (X.panels || []).forEach(function (pn) {
      out.panels.push(panelFn(map, 'bottomleft', 'kt-extra-panel kt-panel-' + pn.key, pn.title, L_, function (body) {
        if (pn.image) {
          var img = el('img', 'kt-chart');
          img.alt = pn.alt;
          img.src = pn.image;
          img.title = L_.enlarge;
          img.tabIndex = 0;
          img.setAttribute('role', 'button');
          var show = function () { lightbox(map.getContainer().parentNode, pn, L_); };
          L.DomEvent.on(img, 'click', show);
          L.DomEvent.on(img, 'keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { L.DomEvent.preventDefault(e); show(); } });
          body.appendChild(img);
        }
        if (pn.rows.length) { body.appendChild(infoTable(null, pn.rows, 'kt-extra-rows')); }
      }, false));
    });
    out.markSwitches = function () {
      order.forEach(function (key) {
        var g = out.groups[key];
        if (g.control.getPosition() !== switchCorner()) { g.control.setPosition(switchCorner()); }
        g.mark();
      });
    };
    return out;
  }

  // year switches: under the layer list where there is room beside the search box, else under it
  function switchCorner() { return global.innerWidth >= 700 ? 'topright' : 'topleft'; }

  // a chart enlarged over the whole page (projector): click, Escape or the button closes it
  function lightbox(parent, pn, L_) {
    var back = el('div', 'kt-lightbox');
    back.setAttribute('role', 'dialog');
    back.setAttribute('aria-label', pn.title);
    var fig = el('figure', 'kt-lightbox-figure');
    var img = el('img', 'kt-lightbox-image');
    img.alt = pn.alt;
    img.src = pn.image;
    fig.appendChild(img);
    fig.appendChild(el('figcaption', null, pn.title));
    var close = el('button', 'kt-lightbox-close', '×');
    close.type = 'button';
    close.title = L_.close;
    close.setAttribute('aria-label', L_.close);
    back.appendChild(close);
    back.appendChild(fig);
    var done = function () { back.remove(); document.removeEventListener('keydown', onKey); };
    var onKey = function (e) { if (e.key === 'Escape') { done(); } };
    back.addEventListener('click', done);
    document.addEventListener('keydown', onKey);
    parent.appendChild(back);
    close.focus();
    return back;
  }
  // ================================================================== END issue 8

  // ------------------------------------------------------------------ city map
  function cityStyles(D, sty) {
    var SY = D.style.symbols;
    return {
      status: function (i) { return sty(D.statuses[i] ? D.statuses[i].symbol : SY.status_unknown); },
      wk: function (i) { return sty(D.programs[i] ? D.programs[i].symbol : SY.status_unknown); },
      kumuh: function (i) { return sty(D.levels[i] ? D.levels[i].symbol : SY.status_unknown); },
      overlap: sty(SY.overlap),
      gap: sty(SY.gap),
      sliver: sty(SY.sliver),
      kec: sty(SY.kec),
      outline: sty(SY.outline),
      hl: sty(SY.hl),
      hlLine: sty(SY.hl_line)
    };
  }

  // the kelurahan's popup: name, kecamatan and code, the key figures, the rest folded
  function kelPopup(K, p) {
    var L_ = K.L_, F = K.F, D = K.D;
    var box = el('div', 'kt-info kt-popup-info');
    box.appendChild(el('div', 'kt-info-title', p.n || L_.none));
    box.appendChild(el('div', 'kt-info-sub', [p.kc, p.k].filter(Boolean).join(' · ')));
    box.appendChild(rowsTable([
      [L_.status, D.statuses[p.s] ? D.statuses[p.s].label : L_.none, true],
      [L_.kumuh_ha, F.ha(p.kh, L_)],
      [L_.tercakup_ha, F.ha(p.th, L_)],
      [L_.tumpang_tindih_ha, F.ha(p.oh, L_)],
      [L_.celah_ha, F.ha(p.gh, L_)]
    ], 'kt-key-figures'));
    var more = el('details', 'kt-more');
    more.appendChild(el('summary', null, L_.details));
    var rows = [[L_.program, p.p || L_.none, true], [L_.kecamatan, p.kc || L_.none, true],
      [L_.kode, p.k || L_.none], [L_.luas_ha, F.ha(p.a, L_)], [L_.sliver_ha, F.ha(p.sh, L_)]];
    (p.w || []).forEach(function (v, i) {
      if (D.programs[i]) { rows.push([fill(L_.wk_ha, D.programs[i].name), F.ha(v, L_)]); }
    });
    rows.push([L_.metode_cocok, p.m || L_.none, true]);
    more.appendChild(rowsTable(rows));
    box.appendChild(more);
    return box;
  }

  function kelTooltip(K, p) {
    var L_ = K.L_, F = K.F, D = K.D;
    var box = infoTable(p.n || L_.none, [
      [L_.status, D.statuses[p.s] ? D.statuses[p.s].label : L_.none, true],
      [L_.kumuh_ha, F.ha(p.kh, L_)],
      [L_.celah_ha, F.ha(p.gh, L_)]
    ]);
    box.insertBefore(el('div', 'kt-info-sub', [p.kc, p.k].filter(Boolean).join(' · ')), box.children[1]);
    return box;
  }

  function kelLayer(K) {
    var D = K.D;
    return L.geoJSON(D.layers.kel, {
      pane: 'kt-kel',
      style: function (f) { return K.S.status(f.properties.s); },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        if (p.k) { K.kelByKode[p.k] = lyr; }
        lyr.bindTooltip(function () { return kelTooltip(K, p); },
          {sticky: true, className: 'kt-tooltip', direction: 'top', offset: [0, -12]});
        lyr.bindPopup(function () { return kelPopup(K, p); },
          {minWidth: 240, maxWidth: 460, className: 'kt-popup', autoPanPadding: [60, 60]});
        lyr.on('popupopen', function () { if (p.k) { setHash(p.k); } });
        lyr.on('popupclose', function () { setHash(''); });
        var q = p.q || [];
        K.entries.push({keys: q.slice(0, -1), kec: q[q.length - 1] || '', d: String(p.k || '').replace(/\D/g, ''),
          name: p.n || p.k || '?', sub: [p.kc, p.k].filter(Boolean).join(' · '), layer: lyr, feature: f, kode: p.k});
      }
    });
  }

  function setHash(kode) {
    try {
      var url = global.location.pathname + global.location.search + (kode ? '#' + encodeURIComponent(kode) : '');
      global.history.replaceState(null, '', url);
    } catch (e) { /* a page in a sandboxed frame cannot: the map works all the same */ }
  }

  function simpleLayer(K, feats, pane, styleFn, rowsFn) {
    return L.geoJSON(feats, {
      pane: pane,
      style: styleFn,
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        lyr.bindTooltip(function () { var r = rowsFn(p); return infoTable(r[0], r[1]); },
          {sticky: true, className: 'kt-tooltip', direction: 'top', offset: [0, -12]});
        lyr.on('click', function (e) { if (K.openKel(p.k, e.latlng)) { L.DomEvent.stop(e); } });
      }
    });
  }

  function cityLayers(K) {
    var D = K.D, L_ = K.L_, F = K.F, S = K.S;
    var layers = {status: kelLayer(K)};
    var where = function (p) { return [L_.kelurahan, p.n || L_.none, true]; };
    K.work = D.programs.map(function (pr, i) {
      var feats = D.layers.wk.filter(function (f) { return f.properties.p === i; });
      return simpleLayer(K, feats, 'kt-wk', function () { return S.wk(i); }, function (p) {
        return [fill(L_.layer_wk, pr.name), [where(p), [L_.luas, F.ha(p.a, L_)]]];
      });
    });
    layers.kumuh = simpleLayer(K, D.layers.kumuh, 'kt-kumuh', function (f) { return S.kumuh(f.properties.t); },
      function (p) {
        var lv = D.levels[p.t];
        var rows = [where(p), [L_.luas, F.ha(p.a, L_)]];
        if (p.li !== null && p.li !== undefined) {  // its whole lingkungan (delineation)
          rows.push([L_.lingkungan_popup, p.ln || p.li, true], [L_.status, p.ls || L_.none]);
          [['kumuh_ha', p.lk], ['tercakup_ha', p.lt], ['celah_ha', p.lc]].forEach(function (r) {
            if (r[1] !== null && r[1] !== undefined) { rows.push([L_[r[0]], F.ha(r[1], L_)]); }
          });
          rows.push([L_.program, p.lp || L_.none, true]);
        }
        return [lv ? lv.label : L_.layer_kumuh, rows];
      });
    layers.overlap = simpleLayer(K, D.layers.overlap, 'kt-overlap', function () { return S.overlap; },
      function (p) { return [L_.layer_overlap, [[L_.program, p.pn || L_.none, true], where(p), [L_.luas, F.ha(p.a, L_)]]]; });
    layers.gap = simpleLayer(K, D.layers.gap, 'kt-gap', function () { return S.gap; },
      function (p) { return [L_.layer_gap, [where(p), [L_.luas, F.ha(p.a, L_)]]]; });
    layers.sliver = simpleLayer(K, D.layers.sliver, 'kt-sliver', function () { return S.sliver; }, function (p) {
      return [L_.layer_sliver, [[L_.jenis, L_[p.j] || p.j || L_.none], [L_.program, p.pn || L_.none, true], where(p),
        [L_.lebar_m, p.lw === null || p.lw === undefined ? L_.none : F.dec(p.lw, L_) + ' ' + L_.m],
        [L_.luas, F.ha(p.a, L_)]]];
    });
    layers.kec = L.geoJSON(D.layers.kec, {pane: 'kt-kec', style: S.kec, interactive: false});
    layers.outline = L.geoJSON(D.layers.outline, {pane: 'kt-outline', style: S.outline, interactive: false});
    K.kecMarkers = nameMarkers(D.layers.kec_labels, 'kt-labels', 'kt-kec-label');
    K.kelMarkers = nameMarkers(D.layers.kel_labels || [], 'kt-kellabels', 'kt-kel-label');
    layers.labels = L.layerGroup(K.kecMarkers);
    layers.kellabels = L.layerGroup(K.kelMarkers);
    var spans = D.layers.kel.map(function (f) { return L.geoJSON(f).getBounds(); }).map(function (b) {
      return Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth());
    }).sort(function (a, b) { return a - b; });
    K.kelSpanDeg = spans.length ? spans[Math.floor(spans.length / 2)] : 0;
    return layers;
  }

  // overlays in drawing order: [key, label, layer, on, legendFn, count, single]
  function cityOverlays(K) {
    var D = K.D, L_ = K.L_, F = K.F, S = K.S, layers = K.layers;
    var line = function (s) { return {line: true, color: s.color, weight: s.weight}; };
    var out = [['status', L_.layer_status, layers.status, true, function () {
      return D.statuses.map(function (st, i) {
        var n = (D.per_status.filter(function (r) { return r[2] === i; })[0] || [])[1];
        return [S.status(i), st.label + (n === undefined || n === null ? '' : ' (' + F.num(n, L_) + ')')];
      });
    }, D.layers.kel.length]];
    D.programs.forEach(function (pr, i) {
      out.push(['wk' + i, fill(L_.layer_wk, pr.name), K.work[i], true, function () {
        return [[S.wk(i), fill(L_.layer_wk, pr.name)]];
      }, K.work[i].getLayers().length, true]);
    });
    out.push(['kumuh', L_.layer_kumuh, layers.kumuh, true, function () {
      return D.levels.map(function (lv, i) { return [S.kumuh(i), lv.label]; });
    }, D.layers.kumuh.length]);
    out.push(['overlap', L_.layer_overlap, layers.overlap, true, function () { return [[S.overlap, L_.overlap_item]]; },
      D.layers.overlap.length, true]);
    out.push(['gap', L_.layer_gap, layers.gap, true, function () { return [[S.gap, L_.gap_item]]; },
      D.layers.gap.length, true]);
    out.push(['sliver', L_.layer_sliver, layers.sliver, false, function () { return [[S.sliver, L_.sliver_item]]; },
      D.layers.sliver.length, true]);
    out.push(['kec', L_.layer_kec, layers.kec, true, function () { return [[line(S.kec), L_.kec_line]]; },
      D.layers.kec.length, true]);
    out.push(['kellabels', L_.layer_kel_labels, layers.kellabels, true, null, K.kelMarkers.length]);
    out.push(['labels', L_.layer_kec_labels, layers.labels, true, null, K.kecMarkers.length]);
    out.push(['outline', L_.layer_outline, layers.outline, true, function () { return [[line(S.outline), L_.outline_line]]; },
      D.layers.outline.length, true]);
    return out;
  }

  function updateLegend(K) {
    var body = K.legend.body, map = K.map;
    body.textContent = '';
    K.overlays.forEach(function (o) {
      if (!o[4] || !map.hasLayer(o[2]) || o[5] === 0) { return; }
      var items = o[4]();
      if (!items.length) { return; }
      var sec = el('div', 'kt-legend-section');
      sec.setAttribute('data-layer', o[0]);
      if (!(o[6] && items.length === 1)) { sec.appendChild(el('div', 'kt-legend-head', o[1])); }
      items.forEach(function (it) {
        var row = el('div', 'kt-legend-item');
        row.appendChild(swatch(it[0]));
        row.appendChild(el('span', null, it[1]));
        sec.appendChild(row);
      });
      body.appendChild(sec);
    });
  }

  function totalsBody(K, body) {
    var D = K.D, L_ = K.L_, F = K.F, T = D.totals;
    var rows = [];
    if (T.jumlah_kelurahan !== undefined) { rows.push([L_.jumlah_kelurahan, F.num(T.jumlah_kelurahan, L_)]); }
    ['kumuh_ha', 'tercakup_ha', 'tumpang_tindih_ha', 'celah_ha', 'sliver_ha', 'luar_batas_ha'].forEach(function (k) {
      if (T[k] !== undefined) { rows.push([L_[k], F.ha(T[k], L_)]); }
    });
    body.appendChild(rowsTable(rows, 'kt-totals-main'));
    if (D.per_status.length) {
      body.appendChild(el('div', 'kt-sub-head', L_.per_status));
      var t = el('table', 'kt-totals-status');
      D.per_status.forEach(function (r) {
        var tr = el('tr');
        var th = el('th');
        if (r[2] !== null && r[2] !== undefined) { th.appendChild(swatch(K.S.status(r[2]))); }
        th.appendChild(el('span', null, r[0]));
        tr.appendChild(th);
        tr.appendChild(el('td', null, F.num(r[1], L_)));
        t.appendChild(tr);
      });
      body.appendChild(t);
    }
    if (D.per_combo.length) {
      body.appendChild(el('div', 'kt-sub-head', L_.per_kombinasi));
      body.appendChild(rowsTable(D.per_combo.map(function (r) { return [r[0], F.ha(r[1], L_)]; }), 'kt-totals-combo'));
    }
    if (D.sources.length) {
      var src = el('details', 'kt-more kt-sources');
      src.appendChild(el('summary', null, L_.sources));
      D.sources.forEach(function (s) { src.appendChild(el('div', null, s)); });
      L.DomEvent.on(src, 'toggle', function () { K.map.fire('kt-layout', {panel: K.totals}); });
      body.appendChild(src);
    }
  }

  // the title bar above the map, and the sheet's side and footer (print)
  function sheetParts(K) {
    var D = K.D, L_ = K.L_;
    var sheet = K.container.parentNode;
    var head = el('header', 'kt-title');
    head.appendChild(el('span', 'kt-title-main', D.title));
    head.appendChild(el('span', 'kt-title-city', D.city));
    head.appendChild(el('span', 'kt-title-date', D.date));
    var mark = null;
    if (D.illustrative) {
      var sym = D.style.symbols.illustrative;
      mark = function (cls) {
        var m = el('span', 'kt-illustrative ' + cls, L_.illustrative);
        m.title = L_.illustrative_note;
        m.style.background = sym.fill;
        m.style.color = sym.stroke;
        m.style.borderColor = sym.stroke;
        return m;
      };
      head.appendChild(mark('kt-title-mark'));
    }
    sheet.insertBefore(head, K.container);
    var side = el('aside', 'kt-print-side');
    sheet.appendChild(side);
    var foot = el('footer', 'kt-print-footer');
    if (mark) { foot.appendChild(mark('kt-foot-mark')); foot.appendChild(el('span', 'kt-foot-item', L_.illustrative_note)); }
    foot.appendChild(el('span', 'kt-foot-item', L_.date + ': ' + D.date));
    if (D.sources.length) { foot.appendChild(el('span', 'kt-foot-item', L_.sources + ': ' + D.sources.join('; '))); }
    foot.appendChild(el('span', 'kt-foot-item', L_.made_with));
    sheet.appendChild(foot);
    K.sheet = sheet;
    K.side = side;
  }

  function layerControl(K) {
    var D = K.D, L_ = K.L_, map = K.map;
    var ovMap = {};
    K.overlays.forEach(function (o) {
      if (o[3] && o[5] !== 0) { o[2].addTo(map); }
      // Leaflet writes layer names as HTML: escape them; an empty layer is marked so, never drawn
      ovMap[esc(o[1]) + (o[5] === 0 ? ' <span class="kt-empty-layer">(' + esc(L_.empty) + ')</span>' : '')] = o[2];
    });
    var bases = {};
    bases[esc(L_.base_none)] = L.layerGroup().addTo(map);
    if (D.basemaps) {
      bases[esc(L_.base_osm)] = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        {maxZoom: 19, attribution: '&copy; OpenStreetMap contributors'});
      bases[esc(L_.base_esri)] = L.tileLayer(
        'https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}',
        {maxZoom: 19, attribution: 'Tiles &copy; Esri'});
    }
    var collapsed = global.innerHeight < 900 || global.innerWidth < 1100;
    var ctl = L.control.layers(bases, ovMap, {collapsed: collapsed, position: 'topright'}).addTo(map);
    var box = ctl.getContainer();
    box.classList.add('kt-screen-only', 'kt-layers');
    box.setAttribute('aria-label', L_.layers);
    var link = box.querySelector('.leaflet-control-layers-toggle');
    link.title = L_.layers;
    link.setAttribute('aria-label', L_.layers);
    return ctl;
  }

  function pickEntry(K, en) {
    var map = K.map, pad = K.pad || {top: 0, left: 0, right: 0, bottom: 0};
    K.highlight.clearLayers();
    if (!map.hasLayer(K.layers.status)) { K.layers.status.addTo(map); }
    L.geoJSON(en.feature, {pane: 'kt-hl', interactive: false, style: K.S.hl}).addTo(K.highlight);
    L.geoJSON(en.feature, {pane: 'kt-hl', interactive: false, style: K.S.hlLine}).addTo(K.highlight);
    var b = en.layer.getBounds();
    K.fitting = true;
    map.fitBounds(b, {maxZoom: 16, paddingTopLeft: [pad.left + 40, pad.top + 40],
      paddingBottomRight: [pad.right + 40, pad.bottom + 40], animate: false});
    K.fitting = false;
    K.atHome = false;
    var at = K.labelAt[en.kode];
    en.layer.openPopup(at ? L.latLng(at[0], at[1]) : b.getCenter());
    declutter(K);
  }

  function fromHash(K) {
    var h = '';
    try { h = decodeURIComponent(global.location.hash.slice(1)); } catch (e) { return; }
    var d = h.replace(/\D/g, '');
    if (!d) { return; }
    var en = K.entries.filter(function (e) { return e.d === d; })[0];
    if (en) { pickEntry(K, en); }
  }

  function cityEvents(K) {
    var map = K.map, timer = null;
    map.on('overlayadd overlayremove', function () { updateLegend(K); K.markSwitches(); map.fire('kt-layout'); });
    map.on('kt-layout', function (e) {
      if (K.printing) { return; }
      K.markSwitches();
      if (K.legend.moveTo(legendCorner())) { updateLegend(K); }
      if (K.atHome) { fitCity(K, !e.resized, e.panel); } else { limitPanels(K, e.panel); declutter(K); }
    });
    map.on('movestart', function () { if (!K.fitting) { K.atHome = false; } });
    map.on('zoomend moveend', function () { if (!K.fitting) { declutter(K); } });
    map.on('popupopen', function (e) {
      K.container.classList.add('kt-popup-open');
      map.eachLayer(function (l) { if (l.closeTooltip) { l.closeTooltip(); } });
      var close = e.popup.getElement().querySelector('.leaflet-popup-close-button');
      if (close) { close.title = K.L_.close; close.setAttribute('aria-label', K.L_.close); }
      placePopup(K, e.popup);
    });
    map.on('popupclose', function () { K.container.classList.remove('kt-popup-open'); });
    var resize = function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (K.printing) { return; }
        map.invalidateSize({animate: false, pan: false});
        map.fire('kt-layout', {resized: true});
      }, 120);
    };
    global.addEventListener('resize', resize);
    global.addEventListener('orientationchange', resize);
    ['fullscreenchange', 'webkitfullscreenchange'].forEach(function (ev) { document.addEventListener(ev, resize); });
    global.addEventListener('beforeprint', function () { enterPrint(K); });
    global.addEventListener('afterprint', function () { leavePrint(K); });
    global.addEventListener('hashchange', function () { fromHash(K); });
  }

  function city(name, D) {
    var L_ = D.labels;
    ['kel', 'kec', 'outline', 'wk', 'kumuh', 'overlap', 'gap'].forEach(function (k) {
      D.layers[k] = decode(D.layers[k], D.nd).features;
    });
    D.layers.sliver = decode(D.layers.sliver, D.nd_sliver).features;
    var b0 = D.bounds;
    var map = L.map(name + '_map', {center: [(b0[0][0] + b0[1][0]) / 2, (b0[0][1] + b0[1][1]) / 2],
      zoom: 12, zoomSnap: 0.25, zoomControl: false});
    var ST = D.style;
    var pat = addPatterns('kt-' + name, ST.hatches);
    var sty = function (sym) { return pathStyle(sym, pat); };
    var container = map.getContainer();
    container.classList.add('kt-map');
    textVars(container, ST.text);
    document.documentElement.lang = D.lang;
    map.attributionControl.setPrefix(esc('Leaflet | kotaku_map'));
    Object.keys(ST.panes).forEach(function (k) { map.createPane('kt-' + k).style.zIndex = ST.panes[k]; });

    var K = {name: name, D: D, L_: L_, F: fmtFactory(D.lang), map: map, container: container,
      S: cityStyles(D, sty), kelByKode: {}, entries: [], atHome: false, fitting: false, printing: null,
      bounds: L.latLngBounds(D.bounds), labelAt: {}};
    (D.layers.kel_labels || []).forEach(function (r) { if (r[3]) { K.labelAt[r[3]] = r; } });
    K.openKel = function (kode, latlng) {
      var lyr = K.kelByKode[kode];
      if (lyr && map.hasLayer(K.layers.status)) { lyr.openPopup(latlng); return true; }
      return false;
    };
    sheetParts(K);
    K.layers = cityLayers(K);
    K.highlight = L.featureGroup().addTo(map);
    K.overlays = cityOverlays(K);

    var narrow = global.innerWidth < 700 || global.innerHeight < 500;
    L.control.zoom({position: 'topleft', zoomInTitle: L_.zoom_in, zoomOutTitle: L_.zoom_out}).addTo(map);
    searchControl(map, L_, K.entries, D.search, function (en) { pickEntry(K, en); });
    setPaper(K, 'A4', 'landscape');
    buttonsControl(map, L_, K.sheet, function (size, orient) {
      setPaper(K, size, orient);
      global.print();
    });
    K.scale = L.control.scale({imperial: false, maxWidth: 200, position: 'bottomleft'}).addTo(map);
    var extras = addExtras(map, D, L_, K.F, K.overlays, name, panelControl, sty);  // issue 8
    K.markSwitches = extras.markSwitches;
    K.layerControl = layerControl(K);
    K.legend = panelControl(map, legendCorner(), 'kt-legend', L_.legend, L_, function () {}, !narrow);
    K.totals = panelControl(map, 'bottomleft', 'kt-totals', L_.totals, L_, function (body) {
      totalsBody(K, body);
    }, !narrow);
    extras.panels.forEach(function (p) { p.getContainer().classList.add('kt-screen-only'); });
    K.panels = extras.panels.concat([K.totals, K.legend]);
    K.entries.sort(function (a, b) { return a.name.localeCompare(b.name); });
    updateLegend(K);
    extras.markSwitches();
    cityEvents(K);
    fitCity(K);
    fromHash(K);

    return cityApi(K, extras);
  }

  // what tests and notebooks reach: KotakuMap.instances[name]
  function cityApi(K, extras) {
    var D = K.D;
    instances[K.name] = {map: K.map, data: D, layers: K.layers, work: K.work, overlays: K.overlays,
      legend: K.legend, totals: K.totals, highlight: K.highlight, entries: K.entries, layerControl: K.layerControl,
      extras: extras, state: K,
      search: function (en) { pickEntry(K, en); },
      find: function (text) { return searchEntries(K.entries, text, D.search); },
      fit: function () { fitCity(K); },
      freePadding: function () { return K.pad; },
      print: function (size, orient) { setPaper(K, size || 'A4', orient || 'landscape'); enterPrint(K); },
      endPrint: function () { leavePrint(K); }};
    return instances[K.name];
  }

  // ------------------------------------------------------------------ overview
  function overview(name, D) {
    var L_ = D.labels;
    D.cities = decode(D.cities, D.nd).features;
    var F = fmtFactory(D.lang);
    document.documentElement.lang = D.lang;
    var map = L.map(name + '_map', {zoomSnap: 0.25, attributionControl: true, zoomControl: false});
    L.control.zoom({zoomInTitle: L_.zoom_in, zoomOutTitle: L_.zoom_out}).addTo(map);
    map.attributionControl.setPrefix(esc('Leaflet | kotaku_map'));
    var ST = D.style;
    Object.keys(ST.overview_panes).forEach(function (k) {
      map.createPane('kt-' + k).style.zIndex = ST.overview_panes[k];
    });
    var pat = addPatterns('kt-' + name, ST.hatches);
    var mixStyle = function (i) {
      return pathStyle(D.mixes[i] ? D.mixes[i].symbol : ST.symbols.mix_unknown, pat);
    };
    var circle = pathStyle(ST.symbols.gap_circle, pat);
    var radius = ST.gap_circle_radius;
    function rows(p) {
      return [[L_.program_mix, D.mixes[p.x] ? D.mixes[p.x].label : L_.none],
        [L_.jumlah_kelurahan, F.num(p.nk, L_)], [L_.kumuh_ha, F.ha(p.kh, L_)],
        [L_.tumpang_tindih_ha, F.ha(p.oh, L_)], [L_.celah_ha, F.ha(p.gh, L_)]];
    }
    var cities = L.geoJSON({type: 'FeatureCollection', features: D.cities}, {
      pane: 'kt-cities',
      style: function (f) { return mixStyle(f.properties.x); },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        lyr.bindTooltip(function () { return infoTable(p.n, rows(p)); }, {sticky: true, className: 'kt-tooltip'});
        lyr.bindPopup(function () {
          var box = infoTable(p.n, rows(p), 'kt-popup-info');
          if (p.href) {
            var a = el('a', 'kt-city-link', L_.open_map);
            a.href = p.href;
            box.appendChild(a);
          }
          return box;
        }, {className: 'kt-popup', minWidth: 240, maxWidth: 400});
      }
    }).addTo(map);
    var maxGap = D.cities.reduce(function (m, f) { return Math.max(m, f.properties.gh || 0); }, 0);
    var gapCircles = L.layerGroup(D.cities.filter(function (f) { return f.properties.gh > 0; }).map(function (f) {
      var p = f.properties;
      var r = maxGap > 0 ? radius[0] + radius[1] * Math.sqrt(p.gh / maxGap) : radius[0];
      return L.circleMarker([p.lat, p.lon], L.extend({pane: 'kt-circles', radius: r}, circle))
        .bindTooltip(function () { return infoTable(p.n, [[L_.celah_ha, F.ha(p.gh, L_)]]); },
          {className: 'kt-tooltip'});
    })).addTo(map);
    var ov = {};
    ov[esc(L_.layer_mix)] = cities;
    ov[esc(L_.layer_gap_circles)] = gapCircles;
    var bases = {};
    bases[esc(L_.base_none)] = L.layerGroup().addTo(map);
    if (D.basemaps) {
      bases[esc(L_.base_osm)] = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        {maxZoom: 19, attribution: '&copy; OpenStreetMap contributors'});
    }
    var layerCtl = L.control.layers(bases, ov, {collapsed: global.innerWidth < 700}).addTo(map);
    var link = layerCtl.getContainer().querySelector('.leaflet-control-layers-toggle');
    link.title = L_.layers;
    link.setAttribute('aria-label', L_.layers);
    L.control.scale({imperial: false}).addTo(map);
    var legend = panelControl(map, 'bottomright', 'kt-legend', L_.legend, L_, function (body) {
      var sec = el('div', 'kt-legend-section');
      sec.appendChild(el('div', 'kt-legend-head', L_.layer_mix));
      D.mixes.forEach(function (m, i) {
        var row = el('div', 'kt-legend-item');
        row.appendChild(swatch(mixStyle(i)));
        row.appendChild(el('span', null, m.label));
        sec.appendChild(row);
      });
      body.appendChild(sec);
      var sec2 = el('div', 'kt-legend-section');
      sec2.appendChild(el('div', 'kt-legend-head', L_.layer_gap_circles));
      var row = el('div', 'kt-legend-item');
      row.appendChild(swatch(L.extend({circle: true}, circle)));
      row.appendChild(el('span', null, L_.gap_circle_item));
      sec2.appendChild(row);
      body.appendChild(sec2);
    }, global.innerWidth >= 700);
    map.on('popupopen', function (e) {
      var close = e.popup.getElement().querySelector('.leaflet-popup-close-button');
      if (close) { close.title = L_.close; close.setAttribute('aria-label', L_.close); }
    });
    if (D.bounds) { map.fitBounds(D.bounds, {padding: [20, 20], animate: false}); }
    else { map.setView([-2.5, 118], 5); }

    // sortable table
    var table = document.getElementById(name + '_table');
    var tbody = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    var state = {col: -1, dir: 1};
    function sortBy(ci) {
      var dir = state.col === ci ? -state.dir : (heads[ci].getAttribute('data-type') === 'num' ? -1 : 1);
      state = {col: ci, dir: dir};
      var num = heads[ci].getAttribute('data-type') === 'num';
      var trs = Array.prototype.slice.call(tbody.rows);
      trs.sort(function (a, b) {
        var x = a.cells[ci].getAttribute('data-v'), y = b.cells[ci].getAttribute('data-v');
        if (num) { return ((parseFloat(x) || 0) - (parseFloat(y) || 0)) * dir; }
        return String(x).localeCompare(String(y), D.lang) * dir;
      });
      trs.forEach(function (tr) { tbody.appendChild(tr); });
      Array.prototype.forEach.call(heads, function (h, j) {
        h.setAttribute('aria-sort', j === ci ? (dir > 0 ? 'ascending' : 'descending') : 'none');
      });
    }
    Array.prototype.forEach.call(heads, function (h, ci) {
      var b = h.querySelector('button');
      if (b) { b.addEventListener('click', function () { sortBy(ci); }); }
    });
    instances[name] = {map: map, data: D, cities: cities, gapCircles: gapCircles, legend: legend, sortBy: sortBy};
    return instances[name];
  }

  global.KotakuMap = {city: city, overview: overview, instances: instances, esc: esc};
}(window));
