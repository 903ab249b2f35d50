// 架け橋: a municipality's profile for its plan (/profile?code=11208): its map, its figures now and in
// 2040, tonight's gaps beside its prefecture, 二次医療圏 and peers, the (ア)–(ク) progress and the
// population trend — one A4 sheet when printed. Everything comes from Kakehashi's own API.
'use strict';

(() => {
  const SERVICES = [
    ['home_visit_medical', '往診・訪問診療'], ['home_visit_nursing', '訪問看護'], ['home_care', '訪問介護'],
    ['care_management', '居宅介護支援'], ['home_pharmacy', '訪問薬剤管理'], ['home_visit_dental', '歯科訪問診療'],
  ];
  const KIND = { census: '国勢調査', estimate: '推計人口', projection: '将来推計' };
  const LEVEL = { municipality: '市区町村', medical_area: '二次医療圏', prefecture: '都道府県' };
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) { if (k === 'text') e.textContent = v; else e.setAttribute(k, v); }
    for (const c of children) e.append(c);
    return e;
  };

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(`${body.title || r.status}：${body.detail || url}`);
    return body;
  }

  const fmt = (v, unit) => {
    if (v == null) return 'データなし';
    // Per-1,000 figures of large areas are small: two decimals below 10.
    const n = Number.isInteger(v) ? v.toLocaleString('ja-JP') : v.toLocaleString('ja-JP', { maximumFractionDigits: Math.abs(v) < 10 ? 2 : 1 });
    return unit ? `${n} ${unit}` : n;
  };

  const params = new URLSearchParams(location.search);
  const code = params.get('code') || '';
  const service = SERVICES.some(([id]) => id === params.get('service')) ? params.get('service') : 'home_visit_medical';
  for (const [id, name] of SERVICES) $('service').append(el('option', { value: id, text: name }));
  $('service').value = service;
  $('service').addEventListener('change', () => { params.set('service', $('service').value); location.search = params.toString(); });
  $('print').addEventListener('click', () => window.print());

  // The table of figures now (the latest actual year) and in 2040, for the municipality and its areas.
  function nowAnd2040(trend) {
    const years = [...new Set(trend.rows.map((r) => r.year))].sort((a, b) => a - b);
    const actual = trend.rows.filter((r) => r.level === 'municipality' && r.kind !== 'projection').map((r) => r.year);
    const now = actual.length ? Math.max(...actual) : years[0];
    const later = years.includes(2040) ? 2040 : years[years.length - 1];
    const row = (year, level) => trend.rows.find((r) => r.year === year && r.level === level);
    const meta = Object.fromEntries(trend.indicators.map((i) => [i.id, i]));
    const shown = ['population_total', 'population_65_plus', 'population_75_plus', 'ratio_65_plus', 'ratio_75_plus', 'providers',
      'providers_per_1000_65_plus', 'providers_more_to_keep_ratio', 'home_support_clinics', 'home_support_clinics_per_1000_65_plus'];
    const t = $('now');
    const kindOf = (y) => (row(y, 'municipality') || {}).kind;
    t.append(el('tr', {}, el('th', { text: '指標' }),
      el('th', { text: `${now}年（${KIND[kindOf(now)] || ''}）` }),
      el('th', { class: 'projection', text: `${later}年（${KIND[kindOf(later)] || ''}）` }),
      el('th', { text: `二次医療圏 ${later}年` }), el('th', { text: `都道府県 ${later}年` })));
    for (const id of shown) {
      const m = meta[id] || { name: id, unit: '' };
      const v = (y, level) => ((row(y, level) || {}).values || {})[id];
      t.append(el('tr', { 'data-indicator': id }, el('td', { text: m.name }), el('td', { text: fmt(v(now, 'municipality'), m.unit) }),
        el('td', { class: 'projection', text: fmt(v(later, 'municipality'), m.unit) }), el('td', { text: fmt(v(later, 'medical_area'), m.unit) }),
        el('td', { text: fmt(v(later, 'prefecture'), m.unit) })));
    }
    const area = trend.demand.filter((d) => d.fiscal_year === later || (!d.projected));
    if (area.length) {
      const last = trend.demand.find((d) => d.fiscal_year === later) || area[area.length - 1];
      const first = trend.demand.filter((d) => !d.projected).pop();
      t.append(el('tr', {}, el('td', { text: `在宅（訪問診療）の需要：${last.area_name}` }),
        el('td', { text: first ? `${fmt(first.receipts_per_month, '件/月')}（${first.fiscal_year}年度）` : 'データなし' }),
        el('td', { class: 'projection', text: `${fmt(last.receipts_per_month, '件/月')}（${last.fiscal_year}年度）` }),
        el('td', { colspan: '2', text: '構想区域の推計（厚生労働省）' })));
    }
    return { now, later };
  }

  let chart = null;
  function trendChart(trend) {
    const rows = trend.rows.filter((r) => r.level === 'municipality').sort((a, b) => a.year - b.year);
    const labels = rows.map((r) => `${r.year}${r.kind === 'projection' ? '（推計）' : ''}`);
    const series = (id) => rows.map((r) => r.values[id] ?? null);
    // The areas' 高齢化率 beside the municipality's, year by year.
    const areaRatio = (level) => rows.map((m) => ((trend.rows.find((r) => r.year === m.year && r.level === level) || {}).values || {}).ratio_65_plus ?? null);
    const areaName = (level) => (trend.areas.find((a) => a.level === level) || {}).name;
    chart = new Chart($('trend-chart'), {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: '65歳以上（人）', data: series('population_65_plus'), borderColor: '#17456b', backgroundColor: '#17456b', yAxisID: 'people' },
          { label: '75歳以上（人）', data: series('population_75_plus'), borderColor: '#c0392b', backgroundColor: '#c0392b', yAxisID: 'people', spanGaps: false },
          { label: '高齢化率（%）', data: series('ratio_65_plus'), borderColor: '#16a085', backgroundColor: '#16a085', borderDash: [4, 3], yAxisID: 'ratio' },
          ...['medical_area', 'prefecture'].filter(areaName).map((level, i) => ({
            label: `${areaName(level)}の高齢化率（%）`, data: areaRatio(level), borderColor: ['#7f8c8d', '#b7950b'][i],
            backgroundColor: ['#7f8c8d', '#b7950b'][i], borderDash: [2, 2], borderWidth: 1, pointRadius: 1, yAxisID: 'ratio',
          })),
        ],
      },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: { people: { position: 'left', beginAtZero: true }, ratio: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } },
        plugins: { legend: { labels: { boxWidth: 12, font: { size: 10 } } } },
      },
    });
  }

  async function gaps() {
    const t = $('gaps');
    t.append(el('tr', {}, ...['', '市区町村', '二次医療圏', '都道府県', '同規模の順位'].map((h) => el('th', { text: h }))));
    for (const [id, name, unit] of [['covered_75_plus_share', '今夜訪問できる75歳以上の割合', '%'], ['uncovered_75_plus', '今夜訪問できない75歳以上', '人'],
      ['providers_per_1000_75_plus', '75歳以上千人あたり事業所', 'か所']]) {
      try {
        const c = await getJSON(`/v1/compare/${code}?indicator=${id}&service=${service}`);
        const p = c.peers;
        t.append(el('tr', { 'data-indicator': id }, el('td', { text: name }), el('td', { text: fmt(c.municipality.value, unit) }),
          el('td', { text: c.medical_area ? fmt(c.medical_area.value, unit) : '—' }), el('td', { text: c.prefecture ? fmt(c.prefecture.value, unit) : '—' }),
          el('td', { text: p && p.rank ? `${p.rank}位／${p.count}` : '—' })));
      } catch (err) {
        t.append(el('tr', {}, el('td', { text: name }), el('td', { class: 'error', colspan: '4', text: err.message })));
      }
    }
  }

  async function progress(fiscalYear) {
    const t = $('progress');
    const m = await getJSON(`/v1/progress?prefecture=${code.slice(0, 2)}&fiscal_year=${fiscalYear}`);
    // A 政令市 records for the city as a whole (11100 for さいたま市's wards).
    const row = m.municipalities.find((r) => r.code === code) || m.municipalities.find((r) => r.code === `${code.slice(0, 3)}00`);
    t.append(el('tr', {}, el('th', { text: `${fiscalYear}年度` }), ...m.items.map((i) => el('th', { title: i.label, text: `(${i.letter})` }))));
    const cells = m.items.map((i) => {
      const e = row && row.entries[i.id];
      if (!e) return el('td', { class: 'stage-none', text: '未記録' });
      const change = e.change > 0 ? ' ↑' : e.change < 0 ? ' ↓' : '';
      const level = (m.stages.find((s) => s.id === e.stage) || {}).level;
      return el('td', { class: `stage-${level}`, title: e.note || '', text: e.stage_label + change });
    });
    t.append(el('tr', { 'data-code': row ? row.code : code }, el('td', { text: row ? row.name : '記録なし' }), ...cells));
    t.append(el('tr', {}, el('td', { colspan: String(m.items.length + 1), class: 'meta', text: m.items.map((i) => `(${i.letter}) ${i.label}`).join('　') })));
  }

  async function mapOf(trend) {
    const map = L.map('map', { zoomControl: false, attributionControl: false });
    const f = await getJSON(`/collections/municipalities/items/${code}?f=json`);
    const outline = L.geoJSON(f, { style: { color: '#17456b', weight: 2, fillOpacity: 0.08 } }).addTo(map);
    const b = outline.getBounds();
    map.fitBounds(b, { padding: [6, 6] });
    const box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(',');
    const providers = await getJSON(`/v1/providers?bbox=${box}&service=${service}&limit=2000`);
    L.geoJSON(providers, {
      filter: (p) => p.properties.municipality_code === code,
      pointToLayer: (_, ll) => L.circleMarker(ll, { radius: 3, color: '#c0392b', weight: 1, fillOpacity: 0.8 }),
    }).addTo(map);
    return providers.features.filter((p) => p.properties.municipality_code === code).length;
  }

  async function load() {
    if (!/^[0-9]{5}$/.test(code)) throw new Error('市区町村コード（5 桁）を ?code= で指定してください（例：/profile?code=11208）');
    $('download-csv').href = `/v1/trends/${code}.csv?service=${service}`;
    const trend = await getJSON(`/v1/trends/${code}.json?service=${service}`);
    const area = trend.areas.find((a) => a.level === 'medical_area');
    const prefecture = trend.areas.find((a) => a.level === 'prefecture');
    document.title = `${trend.name}のプロフィール — 架け橋`;
    $('title').textContent = `${prefecture ? prefecture.name : ''}${trend.name}　在宅医療・介護のプロフィール`;
    $('made').textContent = `作成：${new Date().toLocaleDateString('ja-JP')}　サービス：${SERVICES.find(([id]) => id === service)[1]}`
      + `　二次医療圏：${area ? area.name : '未取り込み'}　将来の年の事業所数は今日の数のまま（増減しないと仮定）`;
    const { later } = nowAnd2040(trend);
    trendChart(trend);
    // The fiscal year in Japan (April to March), whatever the browser's time zone.
    const japan = new Date(Date.now() + 9 * 3600 * 1000);
    const fiscalYear = japan.getUTCMonth() >= 3 ? japan.getUTCFullYear() : japan.getUTCFullYear() - 1;
    const [count] = await Promise.all([mapOf(trend), gaps(), progress(fiscalYear)]);
    $('sources').textContent = `地図：事業所 ${count} か所（${SERVICES.find(([id]) => id === service)[1]}）。${later}年は将来推計人口。出典データ：`
      + trend.datasets.map((d) => `${d.file}${d.reference_date ? `（${d.reference_date}）` : ''}`).join('、');
  }

  load().then(() => {
    $('status').textContent = '';
    $('profile').setAttribute('aria-busy', 'false');
  }).catch((err) => {
    $('status').className = 'error';
    $('status').textContent = err.message;
    $('profile').setAttribute('aria-busy', 'false');
  });
})();
