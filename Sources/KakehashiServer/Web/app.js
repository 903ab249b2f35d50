// 架け橋の地図ページ: coordinator and planner views over Kakehashi's own API. Runs offline: Leaflet,
// Leaflet.markercluster and Chart.js come from the server (Debian packages); no CDN, no base map
// unless the server is configured with one.
'use strict';

(() => {
  const SERVICES = [
    ['home_visit_medical', '往診・訪問診療'], ['home_visit_nursing', '訪問看護'], ['home_care', '訪問介護'],
    ['night_home_care', '夜間対応型訪問介護'], ['regular_visit_24h', '定期巡回・随時対応型訪問介護看護'],
    ['care_management', '居宅介護支援'], ['home_pharmacy', '訪問薬剤管理'], ['home_visit_dental', '歯科訪問診療'],
    ['backup_admission', '急変時の入院受入れ'],
  ];
  const SERVICE_NAME = Object.fromEntries(SERVICES);
  const KINDS = {
    clinic: ['診療所', '#c0392b'], hospital: ['病院', '#8e44ad'], dental_clinic: ['歯科診療所', '#d35400'],
    pharmacy: ['薬局', '#16a085'], maternity_home: ['助産所', '#c2185b'], visiting_nurse_station: ['訪問看護ステーション', '#2471a3'],
    home_care_office: ['訪問介護事業所', '#b7950b'], care_management_office: ['居宅介護支援事業所', '#5d6d7e'],
    multi_service_office: ['複合型事業所', '#6c3483'], other: ['その他', '#7f8c8d'],
  };
  const STATUS = { covered: '対応可', partial: '一部の時間のみ', unknown: '不明（情報なし）' };
  const BASIS = { capability: '届出（24時間対応の体制）', hours: '対応時間（公表・事業所の申告）', on_call: '当番・オンコールの報告' };
  const REASONS = {
    outside_area: '実施地域の外', beyond_legal_radius: '距離の上限を超える', location_unknown: '所在地が不明',
    closed_in_window: 'この時間帯は対応なし・不明', on_call_expired: '当番報告の期限切れ',
  };
  const NOTES = {
    on_call_expired: '当番報告の期限が切れています', declared_hours_stale: '事業所が申告した時間が長く確認されていないため「不明」としています',
    declared_area_stale: '事業所が申告した地域が長く確認されていないため「不明」としています',
    on_call_heard_by_phone: '当番はケアマネジャー等が電話で聞いた報告です（事業所の登録ではありません）',
  };
  const RULES = {
    radius: '半径', municipalities: '市区町村', towns: '町字', polygon: '登録された区域',
    legal_radius: '距離上限（登録なし）', home_municipality: '所在市区町村（登録なし）', legal_limit: '訪問診療の距離上限',
    search_radius: '検索範囲（受入れ地域の決まりなし）',
  };
  const PREFERRED = { phone: '電話', fax: 'FAX', email: 'メール' };
  // Indicators where a low value is the concern (the rest: high is the concern).
  const LOW_IS_CONCERN = new Set(['providers', 'providers_per_1000_75_plus', 'covered_75_plus_share', 'home_support_clinics',
    'home_support_clinics_per_1000_75_plus', 'home_support_hospitals', 'home_support_hospitals_per_1000_75_plus', 'home_backup_hospitals',
    'home_backup_hospitals_per_1000_75_plus', 'home_support_dental', 'home_support_dental_per_1000_75_plus']);
  const COVERAGE_INDICATORS = new Set(['covered_75_plus_share', 'uncovered_75_plus']);
  const PALETTE = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'];
  // (ア)–(ク) progress: a map per item of this fiscal year's stage (level 0 未着手 … 3 評価・改善).
  const STAGE_PALETTE = ['#fde0dd', '#fdae6b', '#74c476', '#2171b5'];
  const isProgress = (id) => id.startsWith('progress:');
  const fiscalYear = (() => { const now = new Date(Date.now() + 9 * 3600 * 1000); return now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1; })();
  let progressMeta = null;
  const MESH_MIN_ZOOM = 12, TOWN_LABEL_ZOOM = 14;

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  };
  const fmtTime = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso || '');
    return m ? `${Number(m[2])}/${Number(m[3])} ${m[4]}:${m[5]}` : (iso || '');
  };
  // Which night, when the window is one: a coordinator at 02:00 is answered for the rest of last night.
  const fmtWindow = (w) => {
    const n = /^(\d{4})-(\d{2})-(\d{2})$/.exec(w.night || '');
    return `${n ? `${Number(n[2])}月${Number(n[3])}日の夜 ` : ''}${fmtTime(w.from)}〜${fmtTime(w.to)}`;
  };
  const fmtKm = (m) => (m == null ? '距離不明' : m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);
  const fmtNumber = (v, unit) => (v == null ? 'データなし' : `${Number(v).toLocaleString('ja-JP', { maximumFractionDigits: 2 })}${unit ? ' ' + unit : ''}`);

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      const err = new Error(body && body.title ? `${body.title}：${body.detail || ''}` : `エラー（${r.status}）`);
      err.problem = body;
      throw err;
    }
    return body;
  }

  // ---- map ----
  const map = L.map('map', { zoomControl: true, minZoom: 5, maxZoom: 18 });
  map.attributionControl.setPrefix('');
  const boundaries = L.geoJSON(null, { style: { color: '#555', weight: 1, fill: false }, interactive: false }).addTo(map);
  const townLabels = L.layerGroup().addTo(map);
  const coordinatorLayer = L.layerGroup().addTo(map);
  const areaLayer = L.geoJSON(null, {
    style: (f) => f.properties.rule === 'legal_limit'
      ? { color: '#c0392b', weight: 2, dashArray: '6 6', fill: false, className: 'service-area legal-limit' }
      : { color: '#17456b', weight: 2, fillOpacity: 0.12, className: 'service-area' },
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, color: '#17456b' })
      .bindTooltip(f.properties.label || '', { permanent: false }),
  }).addTo(map);
  let choropleth = null;
  const meshLayer = L.geoJSON(null, { style: meshStyle, onEachFeature: meshPopup });
  const providerClusters = {};
  const overlays = L.control.layers(null, {}, { collapsed: false });
  let config = { credits: [] };
  let indicators = [];
  let view = 'coordinator';

  // ---- tabs (arrow keys move between them, as WAI-ARIA tabs do) ----
  const tabs = [$('tab-coordinator'), $('tab-planner')];
  function selectTab(name) {
    view = name;
    for (const t of tabs) {
      const on = t.id === `tab-${name}`;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (name === 'planner') {
      map.removeLayer(coordinatorLayer); map.removeLayer(areaLayer);
      if (choropleth) choropleth.addTo(map); else loadChoropleth();
      if ($('mesh-toggle').checked) meshLayer.addTo(map);
      overlays.addTo(map);
      refreshPlanner();
    } else {
      if (choropleth) map.removeLayer(choropleth);
      map.removeLayer(meshLayer);
      for (const c of Object.values(providerClusters)) map.removeLayer(c);
      overlays.remove();
      coordinatorLayer.addTo(map); areaLayer.addTo(map);
    }
  }
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => selectTab(t.id.replace('tab-', '')));
    t.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus(); next.click();
    });
  });

  // ---- coordinator view ----
  let lastAnswer = null, lastQuery = null, selectedId = null;

  function coverageURL(offset) {
    const p = new URLSearchParams();
    p.set('address', $('address').value.trim());
    p.set('service', $('service').value);
    const when = document.querySelector('input[name=when]:checked').value;
    if (when === 'tonight') p.set('window', 'tonight');
    if (when === 'date') { p.set('window', 'tonight'); if ($('date').value) p.set('date', $('date').value); }
    if (when === 'range') { p.set('from', $('from').value); p.set('to', $('to').value); }
    p.set('limit', '50');
    if (offset) p.set('offset', String(offset));
    if ($('explain').checked) p.set('explain', 'true');
    return `/v1/coverage?${p}`;
  }

  $('coverage-form').addEventListener('submit', (e) => { e.preventDefault(); search(0); });

  async function search(offset) {
    const status = $('coverage-status');
    if (!$('address').value.trim()) { status.className = 'error'; status.textContent = '住所を入力してください'; $('address').focus(); return; }
    const when = document.querySelector('input[name=when]:checked').value;
    if (when === 'range' && (!$('from').value || !$('to').value)) { status.className = 'error'; status.textContent = '開始と終了の日時を入力してください'; return; }
    status.className = ''; status.textContent = '検索しています…';
    try {
      const answer = await getJSON(coverageURL(offset));
      if (offset && lastAnswer) answer.results = lastAnswer.results.concat(answer.results);
      lastAnswer = answer; lastQuery = { address: $('address').value.trim(), service: $('service').value };
      renderAnswer(answer);
      status.textContent = `${SERVICE_NAME[lastQuery.service] || lastQuery.service}：該当 ${answer.total} 件（${fmtWindow(answer.window)}）`;
    } catch (err) {
      status.className = 'error'; status.textContent = err.message;
    }
  }

  function renderAnswer(a) {
    const g = a.query.geocode;
    const geo = $('geocode'); geo.replaceChildren();
    if (g) {
      const where = [g.prefecture, g.city, g.town].filter(Boolean).join('');
      const level = g.point_level === 'town' ? `町字（${g.town}）の代表点` : '市区町村の代表点';
      geo.append(el('p', { text: `位置：${where}　精度：${level}（番地の位置ではありません）` }));
      if (g.message) geo.append(el('p', { class: 'warning', text: g.message }));
    }
    coordinatorLayer.clearLayers(); areaLayer.clearLayers(); selectedId = null;
    const here = L.latLng(a.query.lat, a.query.lon);
    L.marker(here, { title: '患者さんの位置（目安）', alt: '患者さんの位置' }).bindTooltip('患者さんの位置（目安）').addTo(coordinatorLayer);
    const list = $('results'); list.replaceChildren(...a.results.map(resultItem));
    map.setView(here, 14);
    placeResultMarkers(a.results);
    $('paging').replaceChildren();
    if (a.results.length < a.total) {
      const more = el('button', { type: 'button', text: `さらに表示（残り ${a.total - a.results.length} 件）` });
      more.addEventListener('click', () => search(a.results.length));
      $('paging').append(more);
    }
    const ex = a.excluded || [];
    $('excluded-box').hidden = !$('explain').checked;
    $('excluded-count').textContent = `（${ex.length} 件）`;
    $('excluded').replaceChildren(...ex.map((x) => el('li', { 'data-provider-id': x.provider_id },
      el('strong', { text: x.name }), `　${REASONS[x.reason] || x.reason}：${x.detail}`)));
    $('coverage-sources').textContent = '根拠のデータ：' + a.datasets.map((d) => `${d.file}${d.reference_date ? `（${d.reference_date}）` : ''}`).join('、');
    $('print').hidden = false;
    if (!a.results.length) list.append(el('li', { text: 'この時間帯に訪問できる事業所は見つかりませんでした。' }));
  }

  function resultItem(r) {
    const li = el('li', { class: 'provider', 'data-provider-id': r.provider_id, tabindex: '-1' });
    li.append(el('div', { class: 'provider-name', text: r.name }));
    li.append(el('div', { class: 'meta' },
      el('span', { class: `badge status-${r.status}`, text: STATUS[r.status] || r.status }),
      r.basis ? el('span', { class: 'badge basis', text: BASIS[r.basis] || r.basis }) : null,
      `${(KINDS[r.kind] || [r.kind])[0]}・${fmtKm(r.distance_m)}`));
    if (r.covered.length) {
      li.append(el('div', { class: 'meta covered', text: '対応できる時間：' + r.covered.map((c) => `${fmtTime(c.from)}〜${fmtTime(c.to)}`).join('、') }));
    }
    if (r.next_change) li.append(el('div', { class: 'meta', text: `次の変化：${fmtTime(r.next_change)}` }));
    if (r.declared && r.declared.length) li.append(el('div', { class: 'meta declared', text: declaredText(r.declared) }));
    const c = r.contact || {};
    const contact = el('div', { class: 'contact meta' });
    if (c.phone) contact.append(el('a', { href: `tel:${c.phone.replace(/[^\d+]/g, '')}`, text: `電話 ${c.phone}` }));
    if (c.fax) contact.append(el('span', { text: `FAX ${c.fax}　` }));
    if (c.email) contact.append(el('a', { href: `mailto:${c.email}`, text: c.email }));
    if (c.on_call) contact.append(el('span', { text: `当番連絡先 ${c.on_call}　` }));
    if (c.preferred) contact.append(el('span', { text: `（希望する連絡手段：${PREFERRED[c.preferred] || c.preferred}）` }));
    if (c.note) contact.append(el('div', { text: `事業所から：${c.note}` }));
    if (!contact.childNodes.length) contact.append('連絡先の登録なし');
    li.append(contact);
    const button = el('button', { type: 'button', class: 'show-area', 'aria-expanded': 'false', text: '実施地域と理由を表示' });
    button.addEventListener('click', () => selectProvider(r, li, button));
    li.append(button);
    return li;
  }

  // The provider's own declarations an answer rests on, with when they were last confirmed.
  const FACTS = { hours: '時間', area: '地域', capabilities: '体制' };
  function declaredText(declared) {
    return '事業所の申告：' + declared.map((d) => `${FACTS[d.fact] || d.fact}（${d.days_since_confirmed === 0 ? '本日確認' : `${d.days_since_confirmed}日前に確認`}${d.stale ? '・期限切れ' : ''}）`).join('、');
  }

  function placeResultMarkers(results) {
    for (const r of results) {
      if (r.lat === undefined || r.lon === undefined) continue;
      L.circleMarker([r.lat, r.lon], { className: 'result-marker', radius: 7, color: '#fff', weight: 2, fillOpacity: 1, fillColor: r.status === 'covered' ? '#1a7f37' : r.status === 'partial' ? '#b35c00' : '#6e6e6e' })
        .bindTooltip(r.name).on('click', () => {
          const li = document.querySelector(`#results li[data-provider-id="${r.provider_id}"]`);
          if (li) { li.scrollIntoView({ block: 'nearest' }); li.querySelector('button.show-area').click(); }
        }).addTo(coordinatorLayer);
    }
  }

  async function selectProvider(r, li, button) {
    for (const other of document.querySelectorAll('#results li.selected')) {
      other.classList.remove('selected');
      const w = other.querySelector('.why'); if (w) w.remove();
      other.querySelector('button.show-area').setAttribute('aria-expanded', 'false');
    }
    if (selectedId === r.provider_id) { selectedId = null; areaLayer.clearLayers(); return; }
    selectedId = r.provider_id;
    li.classList.add('selected'); button.setAttribute('aria-expanded', 'true');
    const why = el('div', { class: 'why' });
    why.append(el('div', { text: `実施地域：${r.area.detail}` }));
    why.append(el('div', { text: `時間帯の根拠：${BASIS[r.basis] || '情報なし（不明）'}` }));
    for (const n of r.notes || []) why.append(el('div', { text: NOTES[n] || n }));
    why.append(el('div', { class: 'sources', text: '出典：' + r.sources.map((s) => `${s.file}${s.reference_date ? `（${s.reference_date}）` : ''}`).join('、') }));
    li.append(why);
    try {
      const fc = await getJSON(`/v1/providers/${r.provider_id}/service-area`);
      areaLayer.clearLayers();
      const relevant = fc.features.filter((f) => !f.properties.services.length || f.properties.services.includes(r.service));
      areaLayer.addData(relevant);
      for (const rule of new Set(relevant.map((f) => f.properties.rule))) {
        const f = relevant.find((x) => x.properties.rule === rule);
        why.append(el('div', { class: 'meta', text: `地図の区域：${RULES[rule] || rule}（${f.properties.detail}）` }));
      }
      const b = areaLayer.getBounds();
      if (b.isValid()) map.fitBounds(b.extend([lastAnswer.query.lat, lastAnswer.query.lon]), { padding: [20, 20] });
    } catch (err) {
      why.append(el('div', { class: 'error', text: err.message }));
    }
  }

  $('print').addEventListener('click', () => {
    const a = lastAnswer; if (!a) return;
    const s = $('print-summary'); s.replaceChildren();
    s.append(el('h1', { text: '訪問できる事業所（架け橋・印刷用まとめ）' }));
    s.append(el('p', { text: `作成：${new Date().toLocaleString('ja-JP')}　住所：${lastQuery.address}　サービス：${SERVICE_NAME[lastQuery.service]}` }));
    s.append(el('p', { text: `時間帯：${fmtWindow(a.window)}　位置の精度：${a.query.geocode && a.query.geocode.point_level === 'town' ? '町字の代表点' : '市区町村の代表点'}　該当 ${a.total} 件` }));
    const table = el('table', {}, el('tr', {}, ...['順位', '事業所', '状況', '根拠', '対応できる時間', '距離', '電話', 'FAX'].map((h) => el('th', { text: h }))));
    a.results.forEach((r, i) => table.append(el('tr', {}, ...[
      String(i + 1), r.name, STATUS[r.status], BASIS[r.basis] || '', r.covered.map((c) => `${fmtTime(c.from)}〜${fmtTime(c.to)}`).join('、'),
      fmtKm(r.distance_m), (r.contact || {}).phone || '', (r.contact || {}).fax || '',
    ].map((t) => el('td', { text: t })))));
    s.append(table);
    s.append(el('p', { text: '出典：' + a.datasets.map((d) => d.file).join('、') + '。公開情報に基づく目安です。訪問の可否は事業所に確認してください。' }));
    window.print();
  });

  // ---- planner view ----
  let choroplethData = null, breaks = [];

  function indicatorMeta(id) {
    if (isProgress(id) && progressMeta) {
      const item = progressMeta.items.find((i) => `progress:${i.id}` === id);
      return { id, name: `(${item.letter}) ${item.label}の進捗`, unit: '段階', definition: `${fiscalYear}年度の段階（市区町村が記録。政令市の区は市全体の記録）` };
    }
    return indicators.find((i) => i.id === id) || { id, name: id, unit: '' };
  }
  // The property a municipality's value is in: the indicator, or a progress item's stage level.
  function valueKey(id) { return isProgress(id) ? 'stage_level' : id; }

  function choroplethURL(format, bbox) {
    const id = $('indicator').value;
    if (isProgress(id)) {
      const q = new URLSearchParams({ item: id.slice('progress:'.length), fiscal_year: String(fiscalYear) });
      if (bbox) q.set('bbox', bbox);
      return `/v1/layers/progress.${format}?${q}`;
    }
    const p = new URLSearchParams({ indicator: id });
    if (COVERAGE_INDICATORS.has(id)) { p.set('service', $('planner-service').value); p.set('window', 'tonight'); }
    if ($('year').value) p.set('year', $('year').value);
    if (bbox) p.set('bbox', bbox);
    return `/v1/layers/municipalities.${format}?${p}`;
  }

  async function loadChoropleth() {
    const id = $('indicator').value;
    showServiceChoice();
    $('planner-status').className = ''; $('planner-status').textContent = '指標を計算しています…';
    try {
      $('year').disabled = isProgress(id);  // progress has fiscal years, not population years
      choroplethData = await getJSON(choroplethURL('geojson'));
      const key = valueKey(id);
      const values = choroplethData.features.map((f) => f.properties[key]).filter((v) => v != null).sort((x, y) => x - y);
      breaks = isProgress(id) ? [1, 2, 3] : [1, 2, 3, 4].map((k) => values[Math.floor((values.length * k) / 5)]).filter((v) => v != null);
      if (choropleth) map.removeLayer(choropleth);
      choropleth = L.geoJSON(choroplethData, {
        style: (f) => choroplethStyle(f.properties[key]),
        onEachFeature: (f, layer) => {
          const shown = isProgress(id)
            ? `${f.properties.stage_label || '未記録'}${f.properties.change > 0 ? '（前年度から↑）' : f.properties.change < 0 ? '（前年度から↓）' : ''}`
            : fmtNumber(f.properties[id], indicatorMeta(id).unit);
          layer.bindTooltip(`${f.properties.name}：${shown}`, { sticky: true });
          // A click offers the municipality's profile: trend, 2040, gaps and progress on one printable page.
          layer.bindPopup(() => el('div', {}, el('strong', { text: f.properties.name }), el('br'),
            el('a', { href: `/profile?code=${f.properties.code}&service=${$('planner-service').value}`, target: '_blank', class: 'profile-link',
              text: 'プロフィール（推移・2040年・進捗、印刷用）' })));
          layer.on('add', () => {
            const path = layer.getElement && layer.getElement();
            if (path) {
              path.classList.add('municipality');
              path.setAttribute('data-code', f.properties.code);
              if (isConcern(f.properties[key])) path.classList.add('highlighted');
            }
          });
        },
      });
      if (view === 'planner') choropleth.addTo(map);
      if (meshLayer && map.hasLayer(meshLayer)) meshLayer.bringToFront();
      $('planner-status').textContent = isProgress(id)
        ? `${indicatorMeta(id).name}：${values.length} 市区町村が記録（${fiscalYear}年度）`
        : `${indicatorMeta(id).name}：${values.length} 市区町村（${populationLabel()}）`;
      refreshPlanner();
    } catch (err) {
      $('planner-status').className = 'error'; $('planner-status').textContent = err.message;
    }
  }

  // The service matters for coverage indicators and for the mesh layer's gap cells.
  function showServiceChoice() {
    $('planner-service-box').hidden = !(COVERAGE_INDICATORS.has($('indicator').value) || $('mesh-toggle').checked);
  }

  function classOf(v) { let k = 0; while (k < breaks.length && v >= breaks[k]) k++; return k; }
  function isConcern(v) {
    if (isProgress($('indicator').value)) return v === 0;  // 未着手
    if (v == null || !breaks.length) return false;
    const k = classOf(v);
    return LOW_IS_CONCERN.has($('indicator').value) ? k === 0 : k === breaks.length;
  }
  function choroplethStyle(v) {
    const concern = isConcern(v);
    return { color: concern ? '#000' : '#666', weight: concern ? 3 : 1, fillOpacity: v == null ? 0.15 : 0.7,
      fillColor: v == null ? '#bbb' : (isProgress($('indicator').value) ? STAGE_PALETTE : PALETTE)[classOf(v)] };
  }

  const KIND_NAME = { census: '国勢調査', estimate: '推計人口', projection: '将来推計人口' };
  // The year and kind of the population figures the layer used, as its rows name them.
  function populationLabel() {
    const p = choroplethData && choroplethData.features.map((f) => f.properties).find((x) => x.population_year != null);
    if (!p) return '人口の年：データなし';
    const kinds = [...new Set(choroplethData.features.map((f) => f.properties.population_kind).filter(Boolean))];
    return `人口：${p.population_year}年・${kinds.map((k) => KIND_NAME[k] || k).join('／')}`;
  }

  function legendEntry(color, text, extra = {}) {
    return el('div', {}, el('span', { class: 'swatch', style: `background:${color};${extra.border || ''}` }), text);
  }

  function renderLegend() {
    const id = $('indicator').value, meta = indicatorMeta(id);
    const box = $('legend'); box.replaceChildren();
    if (isProgress(id)) {
      box.append(el('strong', { text: meta.name }), el('div', { class: 'meta', text: meta.definition }));
      for (const st of progressMeta.stages) box.append(legendEntry(STAGE_PALETTE[st.level], st.label));
      box.append(legendEntry('#bbb', '未記録'));
      box.append(legendEntry('transparent', '太枠：未着手', { border: 'border:3px solid #000' }));
      return;
    }
    box.append(el('strong', { text: meta.name }), el('div', { class: 'meta', text: `単位：${meta.unit}　${meta.definition || ''}` }),
      el('div', { class: 'meta', text: populationLabel() }));
    const edges = [null, ...breaks, null];
    for (let k = 0; k < edges.length - 1; k++) {
      const lo = edges[k], hi = edges[k + 1];
      const label = lo == null ? `${fmtNumber(hi)} 未満` : hi == null ? `${fmtNumber(lo)} 以上` : `${fmtNumber(lo)} 〜 ${fmtNumber(hi)} 未満`;
      box.append(legendEntry(PALETTE[k], `${label}（${meta.unit}）`));
    }
    box.append(legendEntry('#bbb', 'データなし'));
    box.append(legendEntry('transparent', LOW_IS_CONCERN.has(id) ? '太枠：値が低い 2 割（注意が必要）' : '太枠：値が高い 2 割（注意が必要）', { border: 'border:3px solid #000' }));
    if (map.hasLayer(meshLayer)) {
      box.append(el('div', { class: 'meta', text: 'メッシュ：濃いほど 75 歳以上人口が多い。破線は年齢別がなく市区町村の割合から推計（estimated）' }));
      box.append(legendEntry('rgba(106,27,154,.6)', `空白メッシュ：75 歳以上が一定以上で、今夜訪問できる事業所なし（${SERVICE_NAME[$('planner-service').value]}）`));
    }
    if (choroplethData) {
      box.append(el('div', { class: 'sources', text: '出典データ：' + choroplethData.datasets.map((d) => `${d.file}${d.reference_date ? `（${d.reference_date}）` : ''}`).join('、') }));
    }
  }

  let chart = null;
  function renderChart() {
    if (!choroplethData) return;
    const id = $('indicator').value, meta = indicatorMeta(id);
    const b = map.getBounds();
    $('chart-title').textContent = isProgress(id) ? '段階ごとの市区町村の数（表示範囲）' : '市区町村の比較（表示範囲の上位 15）';
    if (isProgress(id)) {
      // How many municipalities in view are at each stage.
      const counts = new Map([...progressMeta.stages.map((st) => [st.level, 0]), [null, 0]]);
      choropleth.eachLayer((layer) => {
        if (b.intersects(layer.getBounds())) { const v = layer.feature.properties.stage_level ?? null; counts.set(v, counts.get(v) + 1); }
      });
      const data = {
        labels: [...progressMeta.stages.map((st) => st.label), '未記録'],
        datasets: [{ label: `${meta.name}（市区町村の数）`, data: [...counts.values()], backgroundColor: [...STAGE_PALETTE, '#bbb'] }],
      };
      if (chart) { chart.data = data; chart.update('none'); return; }
      chart = new Chart($('chart'), { type: 'bar', data, options: { indexAxis: 'y', animation: false, maintainAspectRatio: false } });
      return;
    }
    const rows = [];
    choropleth.eachLayer((layer) => {
      const v = layer.feature.properties[id];
      if (v != null && b.intersects(layer.getBounds())) rows.push([layer.feature.properties.name, v, isConcern(v)]);
    });
    rows.sort((x, y) => (LOW_IS_CONCERN.has(id) ? x[1] - y[1] : y[1] - x[1]));
    const top = rows.slice(0, 15);
    const data = {
      labels: top.map((r) => r[0]),
      datasets: [{ label: `${meta.name}（${meta.unit}）`, data: top.map((r) => r[1]), backgroundColor: top.map((r) => PALETTE[classOf(r[1])]), borderColor: top.map((r) => (r[2] ? '#000' : '#666')), borderWidth: top.map((r) => (r[2] ? 2 : 1)) }],
    };
    if (chart) { chart.data = data; chart.update('none'); return; }
    chart = new Chart($('chart'), { type: 'bar', data, options: { indexAxis: 'y', animation: false, maintainAspectRatio: false, plugins: { legend: { display: true } }, scales: { y: { ticks: { autoSkip: false } } } } });
  }

  function viewBBox() {
    const b = map.getBounds();
    const w = Math.max(b.getWest(), 122), s = Math.max(b.getSouth(), 20), e = Math.min(b.getEast(), 154), n = Math.min(b.getNorth(), 46);
    return (e - w) * (n - s) <= 4 ? [w, s, e, n].map((v) => v.toFixed(5)).join(',') : null;
  }

  function updateDownloads() {
    const bbox = viewBBox();
    $('download-csv').href = choroplethURL('csv', bbox);
    $('download-geojson').href = choroplethURL('geojson', bbox);
    const mesh = $('download-mesh-csv');
    mesh.hidden = !map.hasLayer(meshLayer) || !bbox;
    if (bbox) mesh.href = `/v1/layers/meshes.csv?bbox=${bbox}&service=${$('planner-service').value}&window=tonight`;
  }

  function meshStyle(f) {
    const p = f.properties, v = p.population_75_plus || 0;
    const gap = p.gap === true;
    return { color: gap ? '#4a148c' : '#555', weight: gap ? 1.5 : 0.5, dashArray: p.estimated ? '3 3' : null,
      fillColor: gap ? '#6a1b9a' : '#2c7fb8', fillOpacity: gap ? 0.6 : Math.min(0.7, 0.05 + v / 200) };
  }
  function meshPopup(f, layer) {
    const p = f.properties;
    layer.bindTooltip(`メッシュ ${p.mesh_code}：人口 ${fmtNumber(p.population_total)}、75 歳以上 ${fmtNumber(p.population_75_plus)}${p.estimated ? '（推計）' : ''}${p.gap ? '・空白' : ''}`, { sticky: true });
    layer.on('add', () => { const e = layer.getElement && layer.getElement(); if (e) { e.classList.add('mesh'); if (p.gap) e.classList.add('gap'); } });
  }

  let meshRequest = 0;
  async function loadMeshes() {
    if (!$('mesh-toggle').checked || view !== 'planner') return;
    if (map.getZoom() < MESH_MIN_ZOOM) {
      meshLayer.clearLayers();
      $('planner-status').textContent = `メッシュは拡大すると表示します（ズーム ${MESH_MIN_ZOOM} 以上）`;
      return;
    }
    const bbox = viewBBox(); if (!bbox) return;
    const n = ++meshRequest;
    const fc = await getJSON(`/v1/layers/meshes.geojson?bbox=${bbox}&service=${$('planner-service').value}&window=tonight`);
    if (n !== meshRequest) return;
    meshLayer.clearLayers(); meshLayer.addData(fc);
    const gaps = fc.features.filter((f) => f.properties.gap === true).length;
    $('planner-status').textContent = `メッシュ ${fc.features.length} 区画（空白 ${gaps}）`;
  }

  let providerRequest = 0;
  async function loadProviders() {
    if (!$('providers-toggle').checked || view !== 'planner') return;
    const bbox = viewBBox();
    if (!bbox) { $('planner-status').textContent = '事業所は拡大すると表示します'; return; }
    const n = ++providerRequest;
    const fc = await getJSON(`/v1/providers?bbox=${bbox}&limit=10000`);
    if (n !== providerRequest) return;
    for (const c of Object.values(providerClusters)) c.clearLayers();
    for (const f of fc.features) {
      const kind = KINDS[f.properties.kind] ? f.properties.kind : 'other';
      if (!providerClusters[kind]) {
        const color = KINDS[kind][1];
        providerClusters[kind] = L.markerClusterGroup({
          maxClusterRadius: 50,
          iconCreateFunction: (cluster) => L.divIcon({ html: `<div style="background:${color}"><span>${cluster.getChildCount()}</span></div>`, className: `marker-cluster kind-${kind}`, iconSize: L.point(40, 40) }),
        });
        overlays.addOverlay(providerClusters[kind], `<span style="color:${color}">●</span> ${KINDS[kind][0]}`);
        providerClusters[kind].addTo(map);
      }
      const [lon, lat] = f.geometry.coordinates;
      const services = (f.properties.services || '').split(';').map((s) => SERVICE_NAME[s] || s).join('・');
      L.circleMarker([lat, lon], { radius: 6, color: '#fff', weight: 1.5, fillColor: KINDS[kind][1], fillOpacity: 1 })
        .bindTooltip(`${f.properties.name}（${KINDS[kind][0]}）${services ? '：' + services : ''}`)
        .addTo(providerClusters[kind]);
    }
    $('planner-status').textContent = `事業所 ${fc.number_returned} 件（範囲内 ${fc.number_matched} 件）`;
  }

  function refreshPlanner() {
    if (view !== 'planner' || !choroplethData) return;
    renderLegend(); renderChart(); updateDownloads();
  }

  $('indicator').addEventListener('change', loadChoropleth);
  $('year').addEventListener('change', loadChoropleth);
  $('planner-service').addEventListener('change', () => { loadChoropleth(); loadMeshes().catch(showPlannerError); });
  $('mesh-toggle').addEventListener('change', () => {
    showServiceChoice();
    if ($('mesh-toggle').checked) { meshLayer.addTo(map); loadMeshes().catch(showPlannerError); } else { map.removeLayer(meshLayer); }
    refreshPlanner();
  });
  $('providers-toggle').addEventListener('change', () => {
    if ($('providers-toggle').checked) loadProviders().catch(showPlannerError);
    else for (const c of Object.values(providerClusters)) { c.clearLayers(); }
  });
  function showPlannerError(err) {
    console.error(err);
    $('planner-status').className = 'error'; $('planner-status').textContent = (err && err.message) || String(err);
  }

  // ---- municipality names (middle zooms) and 町字 names (close up), from Kakehashi's own layers ----
  const municipalityLabels = L.layerGroup();
  function showMunicipalityLabels() {
    const z = map.getZoom();
    if (z >= 10 && z < TOWN_LABEL_ZOOM) {
      if (!municipalityLabels.getLayers().length) {
        boundaries.eachLayer((layer) => {
          L.tooltip({ permanent: true, direction: 'center', className: 'town-label municipality-label', interactive: false })
            .setLatLng(layer.getBounds().getCenter()).setContent(layer.feature.properties.name).addTo(municipalityLabels);
        });
      }
      municipalityLabels.addTo(map);
    } else {
      map.removeLayer(municipalityLabels);
    }
  }

  let townRequest = 0;
  async function loadTownLabels() {
    if (map.getZoom() < TOWN_LABEL_ZOOM) { townLabels.clearLayers(); return; }
    const bbox = viewBBox(); if (!bbox) return;
    const n = ++townRequest;
    const fc = await getJSON(`/collections/towns/items?bbox=${bbox}&limit=2000`).catch(() => null);
    if (!fc || n !== townRequest) return;
    townLabels.clearLayers();
    for (const f of fc.features) {
      const [lon, lat] = f.geometry.coordinates;
      L.tooltip({ permanent: true, direction: 'center', className: 'town-label', interactive: false })
        .setLatLng([lat, lon]).setContent(f.properties.name).addTo(townLabels);
    }
  }

  // The view lives in the address (#zoom/lat/lon), so a view can be bookmarked or shared.
  function viewFromHash() {
    const m = /^#(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(location.hash);
    if (!m) return false;
    map.setView([Number(m[2]), Number(m[3])], Number(m[1]));
    return true;
  }
  window.addEventListener('hashchange', viewFromHash);

  let moveTimer = null;
  map.on('moveend', () => {
    const c = map.getCenter();
    history.replaceState(null, '', `#${map.getZoom()}/${c.lat.toFixed(4)}/${c.lng.toFixed(4)}`);
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => {
      loadTownLabels(); showMunicipalityLabels();
      if (view === 'planner') { refreshPlanner(); loadMeshes().catch(showPlannerError); loadProviders().catch(showPlannerError); }
    }, 250);
  });

  // ---- start ----
  async function start() {
    for (const [id, name] of SERVICES) {
      $('service').append(el('option', { value: id, text: name }));
      $('planner-service').append(el('option', { value: id, text: name }));
    }
    $('date').value = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
    config = await getJSON('/web/config.json');
    if (config.basemap_url) L.tileLayer(config.basemap_url, { attribution: config.basemap_attribution || '', maxZoom: 18 }).addTo(map);
    const b = config.bounds;
    if (!viewFromHash()) { if (b) map.fitBounds([[b[1], b[0]], [b[3], b[2]]]); else map.setView([35.68, 139.77], 9); }
    $('credits').replaceChildren(...[el('strong', { text: 'データの出典' }), ...config.credits.map((c) => el('div', { text: c })),
      config.basemap_attribution ? el('div', { text: `背景地図：${config.basemap_attribution}` }) : null,
      el('div', { text: '境界・町字名は架け橋に取り込んだデータから描いています。' })].filter(Boolean));
    const dict = await getJSON('/v1/indicators');
    indicators = dict.indicators;
    for (const i of indicators.filter((x) => x.id !== 'gap')) $('indicator').append(el('option', { value: i.id, text: `${i.name}（${i.unit}）` }));
    // The (ア)–(ク) items, each a map of this fiscal year's stages.
    progressMeta = await getJSON(`/v1/progress?fiscal_year=${fiscalYear}`);
    const group = el('optgroup', { label: `在宅医療・介護連携推進事業の進捗（${fiscalYear}年度）` });
    for (const i of progressMeta.items) group.append(el('option', { value: `progress:${i.id}`, text: `(${i.letter}) ${i.label}` }));
    $('indicator').append(group);
    $('indicator').value = 'ratio_75_plus';
    const listed = await getJSON('/v1/layers');
    for (const y of listed.population_years || []) {
      const kinds = y.kinds.map((k) => KIND_NAME[k] || k).join('・');
      $('year').append(el('option', { value: String(y.year), text: `${y.year}年（${kinds}）` }));
    }
    const outline = await getJSON('/v1/layers/municipalities.geojson?indicator=population_total');
    boundaries.addData(outline);
    document.body.dataset.ready = 'true';
  }
  start().catch((err) => { $('coverage-status').className = 'error'; $('coverage-status').textContent = `初期化できません：${err.message}`; });
})();
