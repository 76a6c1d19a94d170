/* kotaku_map: layers, legend, search, totals, fullscreen and print for the
 * offline integration maps (peta keterpaduan). No dependencies but Leaflet.
 *
 * Every piece of text that comes from data is put into the page with
 * textContent (or escaped with esc() where Leaflet only takes HTML strings),
 * never as markup.
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

  function infoTable(title, rows, cls) {
    var box = el('div', 'kt-info ' + (cls || ''));
    if (title !== null && title !== undefined) { box.appendChild(el('div', 'kt-info-title', title)); }
    var t = el('table');
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('th', null, r[0]));
      tr.appendChild(el('td', null, r[1]));
      t.appendChild(tr);
    });
    box.appendChild(t);
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

  var ICON_FULL = 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5';
  var ICON_PRINT = 'M6 9V3h12v6M6 18H4v-7h16v7h-2M7 14h10v7H7z';

  // ------------------------------------------------------------------ controls
  function searchControl(map, L_, entries, onPick) {
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
          var q = norm(input.value.trim());
          current = [];
          active = -1;
          if (!q) { return; }
          for (var i = 0; i < entries.length && current.length < 12; i++) {
            if (entries[i].key.indexOf(q) !== -1) { current.push(entries[i]); }
          }
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

  function buttonsControl(map, L_, extra) {
    var Ctl = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var bar = el('div', 'leaflet-bar kt-buttons kt-screen-only');
        var container = map.getContainer();
        bar.appendChild(iconButton(L_.fullscreen, ICON_FULL, function () {
          var d = document;
          if (d.fullscreenElement || d.webkitFullscreenElement) {
            (d.exitFullscreen || d.webkitExitFullscreen).call(d);
          } else {
            var req = container.requestFullscreen || container.webkitRequestFullscreen;
            if (req) { req.call(container); }
          }
        }, 'kt-fullscreen'));
        ['A4', 'A3'].forEach(function (size) {
          var b = iconButton(L_['print_' + size.toLowerCase()], ICON_PRINT, function () {
            printPage(map, size);
          }, 'kt-print-' + size.toLowerCase());
          b.appendChild(el('span', 'kt-btn-text', size));
          bar.appendChild(b);
        });
        if (extra) { extra(bar); }
        L.DomEvent.disableClickPropagation(bar);
        return bar;
      }
    });
    var onFs = function () { setTimeout(function () { map.invalidateSize(); }, 50); };
    document.addEventListener('fullscreenchange', onFs);
    document.addEventListener('webkitfullscreenchange', onFs);
    return new Ctl().addTo(map);
  }

  function printPage(map, size) {
    var st = document.getElementById('kt-page-size');
    if (!st) { st = el('style'); st.id = 'kt-page-size'; document.head.appendChild(st); }
    st.textContent = '@page { size: ' + size + ' landscape; margin: 8mm; }';
    document.documentElement.setAttribute('data-kt-paper', size);
    map.invalidateSize();
    setTimeout(function () { global.print(); }, 100);
  }

  function panelControl(map, position, cls, title, L_, buildBody, startOpen) {
    var Ctl = L.Control.extend({
      options: {position: position},
      onAdd: function () {
        var box = el('div', 'kt-panel ' + cls);
        var head = el('div', 'kt-panel-head');
        head.appendChild(el('span', 'kt-panel-title', title));
        var tog = el('button', 'kt-toggle kt-screen-only', startOpen ? '−' : '+');
        tog.type = 'button';
        tog.title = startOpen ? L_.hide : L_.show;
        head.appendChild(tog);
        var body = el('div', 'kt-panel-body');
        box.appendChild(head);
        box.appendChild(body);
        if (!startOpen) { box.classList.add('kt-closed'); }
        L.DomEvent.on(tog, 'click', function () {
          var closed = box.classList.toggle('kt-closed');
          tog.textContent = closed ? '+' : '−';
          tog.title = closed ? L_.show : L_.hide;
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        this.body = body;
        buildBody(body);
        return box;
      }
    });
    var c = new Ctl();
    c.addTo(map);
    return c;
  }

  function titleBlock(container, lines, cls) {
    var box = el('div', cls);
    lines.forEach(function (l) { if (l[1]) { box.appendChild(el('div', l[0], l[1])); } });
    container.appendChild(box);
    L.DomEvent.disableClickPropagation(box);
    return box;
  }

  // ================================================================ BEGIN issue 8
  // Optional extra layers (D.extra, only when given): source reconciliation, slum level per
  // year (layers sharing a group get a switch), funding mix; and panels holding a chart.
  // Text goes in with textContent (infoTable/el) only; images are data: URIs.
  function addExtras(map, D, L_, F, overlays, name, panelFn, sty) {
    var X = D.extra;
    var out = {layers: {}, groups: {}, panels: []};
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
        return [c[0], t];
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
          var all = function () { return [[lyr.group ? lyr.group_label : lyr.label, lyr.group ? lyr.label : (cls ? cls.label : L_.none)]].concat(lyr.group ? [[L_.status, cls ? cls.label : L_.none]] : []).concat(rows(lyr, p)); };
          l.bindTooltip(function () { return infoTable(title, all()); }, {sticky: true, className: 'kt-tooltip'});
          l.bindPopup(function () { return infoTable(title, all(), 'kt-popup-info'); },
            {className: 'kt-popup', minWidth: 220, maxWidth: 420});
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
        overlays.push(['x-' + lyr.key, lyr.label, gl, lyr.on, function () { return legendOf(lyr); }]);
        return;
      }
      var g = out.groups[lyr.group];
      if (!g) {
        g = out.groups[lyr.group] = {container: L.layerGroup(), items: [], current: -1, label: lyr.group_label, on: false};
        order.push(lyr.group);
        overlays.push(['g-' + lyr.key, lyr.group_label, g.container, false, function () {
          return g.current >= 0 ? legendOf(g.items[g.current].lyr) : [];
        }]);
        g.entry = overlays[overlays.length - 1];
      }
      g.on = g.on || lyr.on;
      g.items.push({lyr: lyr, layer: gl});
    });
    order.forEach(function (key) {
      var g = out.groups[key];
      g.entry[3] = g.on;
      var buttons = [];
      g.show = function (i) {
        g.container.clearLayers();
        g.container.addLayer(g.items[i].layer);
        g.current = i;
        buttons.forEach(function (b, j) {
          b.classList.toggle('kt-active', j === i);
          b.setAttribute('aria-pressed', j === i ? 'true' : 'false');
        });
        if (map.hasLayer(g.container)) { map.fire('overlayadd', {layer: g.container, name: g.label}); }
      };
      var Ctl = L.Control.extend({
        options: {position: 'topleft'},
        onAdd: function () {
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
          body.appendChild(img);
        }
        if (pn.rows.length) { body.appendChild(infoTable(null, pn.rows, 'kt-extra-rows')); }
      }, false));
    });
    return out;
  }
  // ================================================================== END issue 8

  // ------------------------------------------------------------------ city map
  function city(name, D) {
    var L_ = D.labels;
    var F = fmtFactory(D.lang);
    ['kel', 'kec', 'outline', 'wk', 'kumuh', 'overlap', 'gap'].forEach(function (k) {
      D.layers[k] = decode(D.layers[k], D.nd).features;
    });
    D.layers.sliver = decode(D.layers.sliver, D.nd_sliver).features;
    var b0 = D.bounds;
    var map = L.map(name + '_map', {center: [(b0[0][0] + b0[1][0]) / 2, (b0[0][1] + b0[1][1]) / 2],
      zoom: 12, zoomSnap: 0.25, preferCanvas: false});
    var ST = D.style;
    var pat = addPatterns('kt-' + name, ST.hatches);
    var sty = function (sym) { return pathStyle(sym, pat); };
    var container = map.getContainer();
    container.classList.add('kt-map');
    document.documentElement.lang = D.lang;
    map.attributionControl.setPrefix(esc('Leaflet | kotaku_map'));

    Object.keys(ST.panes).forEach(function (k) { map.createPane('kt-' + k).style.zIndex = ST.panes[k]; });

    // styles, all from the page's style source (also used for the legend)
    var SY = ST.symbols;
    var S = {
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

    var kelByKode = {};
    var entries = [];

    function kelRows(p, full) {
      var rows = [
        [L_.kecamatan, p.kc || L_.none],
        [L_.kode, p.k || L_.none],
        [L_.program, p.p || L_.none],
        [L_.status, D.statuses[p.s] ? D.statuses[p.s].label : L_.none],
        [L_.kumuh_ha, F.ha(p.kh, L_)],
        [L_.tumpang_tindih_ha, F.ha(p.oh, L_)],
        [L_.celah_ha, F.ha(p.gh, L_)],
        [L_.metode_cocok, p.m || L_.none]
      ];
      if (full) {
        rows.splice(4, 0, [L_.luas_ha, F.ha(p.a, L_)]);
        rows.push([L_.tercakup_ha, F.ha(p.th, L_)]);
        rows.push([L_.sliver_ha, F.ha(p.sh, L_)]);
        (p.w || []).forEach(function (v, i) {
          if (D.programs[i]) { rows.push([fill(L_.wk_ha, D.programs[i].name), F.ha(v, L_)]); }
        });
      }
      return rows;
    }

    function openKel(kode, latlng) {
      var lyr = kelByKode[kode];
      if (lyr && map.hasLayer(layers.status)) { lyr.openPopup(latlng); return true; }
      return false;
    }

    function kelLayer() {
      return L.geoJSON(D.layers.kel, {
        pane: 'kt-kel',
        style: function (f) { return S.status(f.properties.s); },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          if (p.k) { kelByKode[p.k] = lyr; }
          lyr.bindTooltip(function () { return infoTable(p.n || L_.none, kelRows(p, false)); },
            {sticky: true, className: 'kt-tooltip', direction: 'top', offset: [0, -12]});
          lyr.bindPopup(function () { return infoTable(p.n || L_.none, kelRows(p, true), 'kt-popup-info'); },
            {minWidth: 260, maxWidth: 440, className: 'kt-popup'});
          entries.push({key: norm([p.n, p.kc, p.k].join(' ')), name: p.n || p.k || '?',
            sub: [p.kc, p.k].filter(Boolean).join(' · '), layer: lyr, feature: f});
        }
      });
    }

    function simpleLayer(feats, pane, styleFn, rowsFn) {
      return L.geoJSON(feats, {
        pane: pane,
        style: styleFn,
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          lyr.bindTooltip(function () { return infoTable(rowsFn(p)[0], rowsFn(p)[1]); },
            {sticky: true, className: 'kt-tooltip', direction: 'top', offset: [0, -12]});
          lyr.on('click', function (e) { if (openKel(p.k, e.latlng)) { L.DomEvent.stop(e); } });
        }
      });
    }

    var layers = {};
    layers.status = kelLayer();
    var wkByProgram = D.programs.map(function (pr, i) {
      var feats = D.layers.wk.filter(function (f) { return f.properties.p === i; });
      return simpleLayer(feats, 'kt-wk', function () { return S.wk(i); }, function (p) {
        return [fill(L_.layer_wk, pr.name), [[L_.kelurahan, p.n || L_.none], [L_.luas, F.ha(p.a, L_)]]];
      });
    });
    layers.kumuh = simpleLayer(D.layers.kumuh, 'kt-kumuh',
      function (f) { return S.kumuh(f.properties.t); }, function (p) {
        var lv = D.levels[p.t];
        return [lv ? lv.label : L_.layer_kumuh, [[L_.kelurahan, p.n || L_.none], [L_.luas, F.ha(p.a, L_)]]];
      });
    layers.overlap = simpleLayer(D.layers.overlap, 'kt-overlap', function () { return S.overlap; },
      function (p) {
        return [L_.layer_overlap, [[L_.program, p.pn || L_.none], [L_.kelurahan, p.n || L_.none],
          [L_.luas, F.ha(p.a, L_)]]];
      });
    layers.gap = simpleLayer(D.layers.gap, 'kt-gap', function () { return S.gap; }, function (p) {
      return [L_.layer_gap, [[L_.kelurahan, p.n || L_.none], [L_.luas, F.ha(p.a, L_)]]];
    });
    layers.sliver = simpleLayer(D.layers.sliver, 'kt-sliver', function () { return S.sliver; },
      function (p) {
        return [L_.layer_sliver, [[L_.jenis, L_[p.j] || p.j || L_.none], [L_.program, p.pn || L_.none],
          [L_.kelurahan, p.n || L_.none], [L_.lebar_m, p.lw === null || p.lw === undefined ? L_.none : F.dec(p.lw, L_) + ' ' + L_.m],
          [L_.luas, F.ha(p.a, L_)]]];
      });
    layers.kec = L.geoJSON(D.layers.kec, {pane: 'kt-kec', style: S.kec, interactive: false});
    layers.outline = L.geoJSON(D.layers.outline, {pane: 'kt-outline', style: S.outline, interactive: false});
    var labelMarkers = D.layers.kec_labels.map(function (r) {
      var span = el('span', null, r[2]);
      return L.marker([r[0], r[1]], {pane: 'kt-labels', interactive: false, keyboard: false,
        icon: L.divIcon({className: 'kt-kec-label', html: span, iconSize: null})});
    });
    layers.labels = L.layerGroup(labelMarkers);
    // labels come largest kecamatan first: hide those that would overlap an earlier one
    function declutter() {
      if (!map.hasLayer(layers.labels)) { return; }
      var shown = [];
      labelMarkers.forEach(function (mk) {
        var e = mk.getElement();
        if (!e || !e.firstChild) { return; }
        e.classList.remove('kt-hidden');
        var r = e.firstChild.getBoundingClientRect();
        var hit = shown.some(function (o) {
          return !(r.right < o.left || r.left > o.right || r.bottom < o.top || r.top > o.bottom);
        });
        if (hit) { e.classList.add('kt-hidden'); } else { shown.push(r); }
      });
    }
    var hl = L.featureGroup().addTo(map);

    // overlays, in drawing order; [key, label, layer, onByDefault, legendFn]
    var overlays = [['status', L_.layer_status, layers.status, true, function () {
      return D.statuses.map(function (st, i) {
        var n = (D.per_status.filter(function (r) { return r[2] === i; })[0] || [])[1];
        return [S.status(i), st.label + (n === undefined || n === null ? '' : ' (' + F.num(n, L_) + ')')];
      });
    }]];
    D.programs.forEach(function (pr, i) {
      overlays.push(['wk' + i, fill(L_.layer_wk, pr.name), wkByProgram[i], true, function () {
        return [[S.wk(i), fill(L_.layer_wk, pr.name)]];
      }]);
    });
    overlays.push(['kumuh', L_.layer_kumuh, layers.kumuh, true, function () {
      return D.levels.map(function (lv, i) { return [S.kumuh(i), lv.label]; });
    }]);
    overlays.push(['overlap', L_.layer_overlap, layers.overlap, true, function () {
      return [[S.overlap, L_.overlap_item]];
    }]);
    overlays.push(['gap', L_.layer_gap, layers.gap, true, function () { return [[S.gap, L_.gap_item]]; }]);
    overlays.push(['sliver', L_.layer_sliver, layers.sliver, false, function () {
      return [[S.sliver, L_.sliver_item]];
    }]);
    overlays.push(['kec', L_.layer_kec, layers.kec, true, function () {
      return [[{line: true, color: S.kec.color, weight: S.kec.weight}, L_.kec_line]];
    }]);
    overlays.push(['labels', L_.layer_kec_labels, layers.labels, true, null]);
    overlays.push(['outline', L_.layer_outline, layers.outline, true, function () {
      return [[{line: true, color: S.outline.color, weight: S.outline.weight}, L_.outline_line]];
    }]);

    var extras = addExtras(map, D, L_, F, overlays, name, panelControl, sty);  // issue 8

    var ovMap = {};
    overlays.forEach(function (o) {
      if (o[3]) { o[2].addTo(map); }
      ovMap[esc(o[1])] = o[2];   // Leaflet writes layer names as HTML: escape them
    });

    var bases = {};
    var none = L.layerGroup();
    bases[esc(L_.base_none)] = none.addTo(map);
    if (D.basemaps) {
      bases[esc(L_.base_osm)] = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        {maxZoom: 19, attribution: '&copy; OpenStreetMap contributors'});
      bases[esc(L_.base_esri)] = L.tileLayer(
        'https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}',
        {maxZoom: 19, attribution: 'Tiles &copy; Esri'});
    }
    var collapsed = global.innerHeight < 900 || global.innerWidth < 1100;
    var layerCtl = L.control.layers(bases, ovMap, {collapsed: collapsed, position: 'topright'}).addTo(map);
    layerCtl.getContainer().classList.add('kt-screen-only', 'kt-layers');

    // title (screen and print), print footer
    titleBlock(container, [['kt-title-main', D.title], ['kt-title-city', D.city],
      ['kt-title-date', D.date]], 'kt-title');
    var foot = [[null, L_.date + ': ' + D.date]];
    if (D.sources.length) { foot.push([null, L_.sources + ': ' + D.sources.join('; ')]); }
    foot.push([null, L_.made_with]);
    titleBlock(container, foot.map(function (f) { return ['kt-foot-item', f[1]]; }), 'kt-print-footer');

    // legend
    var legend = panelControl(map, 'bottomright', 'kt-legend', L_.legend, L_, function () {}, true);
    function updateLegend() {
      var body = legend.body;
      body.textContent = '';
      overlays.forEach(function (o) {
        if (!o[4] || !map.hasLayer(o[2])) { return; }
        var items = o[4]();
        if (!items.length) { return; }
        var sec = el('div', 'kt-legend-section');
        sec.setAttribute('data-layer', o[0]);
        sec.appendChild(el('div', 'kt-legend-head', o[1]));
        items.forEach(function (it) {
          var row = el('div', 'kt-legend-item');
          row.appendChild(swatch(it[0]));
          row.appendChild(el('span', null, it[1]));
          sec.appendChild(row);
        });
        body.appendChild(sec);
      });
    }
    map.on('overlayadd overlayremove', updateLegend);
    updateLegend();

    // totals
    panelControl(map, 'bottomleft', 'kt-totals', L_.totals + ' · ' + D.city, L_, function (body) {
      var T = D.totals;
      var rows = [];
      if (T.jumlah_kelurahan !== undefined) { rows.push([L_.jumlah_kelurahan, F.num(T.jumlah_kelurahan, L_)]); }
      ['kumuh_ha', 'tercakup_ha', 'tumpang_tindih_ha', 'celah_ha', 'sliver_ha', 'luar_batas_ha'].forEach(function (k) {
        if (T[k] !== undefined) { rows.push([L_[k], F.ha(T[k], L_)]); }
      });
      body.appendChild(infoTable(null, rows, 'kt-totals-main'));
      if (D.per_status.length) {
        body.appendChild(el('div', 'kt-sub-head', L_.per_status));
        var t = el('table', 'kt-totals-status');
        D.per_status.forEach(function (r) {
          var tr = el('tr');
          var th = el('th');
          if (r[2] !== null && r[2] !== undefined) { th.appendChild(swatch(S.status(r[2]))); }
          th.appendChild(el('span', null, r[0]));
          tr.appendChild(th);
          tr.appendChild(el('td', null, F.num(r[1], L_)));
          t.appendChild(tr);
        });
        body.appendChild(t);
      }
      if (D.per_combo.length) {
        body.appendChild(el('div', 'kt-sub-head', L_.per_kombinasi));
        body.appendChild(infoTable(null, D.per_combo.map(function (r) { return [r[0], F.ha(r[1], L_)]; }), 'kt-totals-combo'));
      }
    }, global.innerHeight >= 900);

    // search
    entries.sort(function (a, b) { return a.name.localeCompare(b.name); });
    function pick(en) {
      hl.clearLayers();
      if (!map.hasLayer(layers.status)) { layers.status.addTo(map); }
      L.geoJSON(en.feature, {pane: 'kt-hl', interactive: false, style: S.hl}).addTo(hl);
      L.geoJSON(en.feature, {pane: 'kt-hl', interactive: false, style: S.hlLine}).addTo(hl);
      var b = en.layer.getBounds();
      map.fitBounds(b, {maxZoom: 16, padding: [60, 60], animate: false});
      en.layer.openPopup(b.getCenter());
    }
    searchControl(map, L_, entries, pick);
    buttonsControl(map, L_);
    L.control.scale({imperial: false, maxWidth: 220, position: 'bottomleft'}).addTo(map);

    var bounds = L.latLngBounds(D.bounds);
    var legendW = legend.getContainer().offsetWidth || 0;
    map.fitBounds(bounds, {paddingTopLeft: [20, 90], paddingBottomRight: [Math.min(legendW, 360), 20],
      animate: false});
    map.on('zoomend overlayadd', declutter);
    declutter();
    var refit = function () { map.invalidateSize({animate: false}); };
    global.addEventListener('beforeprint', refit);
    global.addEventListener('afterprint', refit);

    instances[name] = {map: map, data: D, layers: layers, work: wkByProgram, overlays: overlays,
      legend: legend, highlight: hl, search: pick, entries: entries, layerControl: layerCtl,
      extras: extras};  // extras: issue 8
    return instances[name];
  }

  // ------------------------------------------------------------------ overview
  function overview(name, D) {
    var L_ = D.labels;
    D.cities = decode(D.cities, D.nd).features;
    var F = fmtFactory(D.lang);
    document.documentElement.lang = D.lang;
    var map = L.map(name + '_map', {zoomSnap: 0.25, attributionControl: true});
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
    L.control.layers(bases, ov, {collapsed: false}).addTo(map);
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
    }, true);
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
