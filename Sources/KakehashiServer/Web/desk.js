// 架け橋 — the provider desk. Plain script over /v1/desk/…: every change sends the session's CSRF
// token; nothing here ever holds a patient's data.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const SERVICE_NAMES = {
    home_visit_medical: '往診・訪問診療', home_visit_nursing: '訪問看護', home_care: '訪問介護', night_home_care: '夜間対応型訪問介護',
    regular_visit_24h: '定期巡回・随時対応型訪問介護看護', care_management: '居宅介護支援', home_pharmacy: '訪問薬剤管理',
    nursing_multifunctional: '看護小規模多機能型居宅介護', home_bathing: '訪問入浴介護', home_rehabilitation: '訪問リハビリテーション',
    home_visit_dental: '歯科訪問診療', backup_admission: '急変時の入院受入れ',
  };
  const CAPABILITY_NAMES = {
    home_support_clinic: '在宅療養支援診療所', home_support_hospital: '在宅療養支援病院', nursing_24h: '24時間対応体制加算',
    pharmacy_24h: '薬局の24時間対応', home_backup_hospital: '在宅療養後方支援病院', home_support_dental: '在宅療養支援歯科診療所',
    regular_home_visits: '在宅時医学総合管理料', after_hours_phone: '時間外対応加算', pharmacy_home_visits: '在宅患者訪問薬剤管理指導', care_contact_24h: '24時間連絡体制（居宅介護支援）',
  };
  const DAYS = [['Mo', '月'], ['Tu', '火'], ['We', '水'], ['Th', '木'], ['Fr', '金'], ['Sa', '土'], ['Su', '日'], ['PH', '祝']];
  let session = null;
  let desk = null;
  let map = null, drawn = [], drawLayer = null, outlines = null;

  function say(text, isError) {
    const m = $('message');
    m.textContent = text || '';
    m.className = isError ? 'error' : '';
  }

  async function api(method, url, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (session && session.csrf_token && method !== 'GET') headers['X-CSRF-Token'] = session.csrf_token;
    const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    if (r.status === 204) return null;
    const data = await r.json().catch(() => null);
    if (!r.ok) {
      const e = new Error((data && (data.title + '：' + data.detail)) || ('エラー ' + r.status));
      e.status = r.status;
      e.problem = data;
      throw e;
    }
    return data;
  }

  function show(view) {
    for (const id of ['invite-view', 'login-view', 'steward-view', 'provider-view']) $(id).hidden = id !== view;
    $('logout').hidden = !session;
    const roleName = !session ? '' : session.role !== 'steward' ? '事業所' : session.municipality ? '管理者・市区町村 ' + session.municipality : '管理者';
    $('who').textContent = session ? session.login + '（' + roleName + '）' : '';
  }

  function daysText(n) { return n === 0 ? '本日確認' : n + '日前に確認'; }

  // ---- Signing in ----

  async function start() {
    const m = location.hash.match(/invite=([^&]*)/);
    if (m) { $('invite-code').value = decodeURIComponent(m[1]); show('invite-view'); return; }
    try { session = await api('GET', '/v1/desk/session'); } catch (e) { session = null; }
    if (!session) { show('login-view'); return; }
    await route();
  }

  async function route() {
    const m = location.hash.match(/provider=(\d+)/);
    if (m) return openProvider(Number(m[1]));
    if (session.role === 'steward') return openSteward();
    if (session.providers && session.providers.length) return openProvider(session.providers[0].id);
    show('login-view');
  }

  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      session = await api('POST', '/v1/desk/login', { login: $('login-id').value, password: $('login-password').value });
      $('login-password').value = '';
      say('');
      await route();
    } catch (e) { say(e.message, true); }
  });

  $('invite-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      session = await api('POST', '/v1/desk/invitations/accept', { code: $('invite-code').value, login: $('invite-login').value, password: $('invite-password').value });
      $('invite-password').value = '';
      history.replaceState(null, '', '/desk/');
      say('登録しました。ようこそ。');
      await route();
    } catch (e) { say(e.message, true); }
  });

  $('logout').addEventListener('click', async () => {
    try { await api('POST', '/v1/desk/logout'); } catch (e) { /* the session is gone either way */ }
    session = null;
    show('login-view');
  });

  // ---- The steward ----

  const PROVIDER_STATUS = {
    not_invited: '未招待', invited: '招待済み（未登録）', never_confirmed: '登録済み・申告なし', confirmed: '確認済み',
    confirmation_due: '確認が必要', stale: '期限切れ（検索では不明）',
  };

  // Providers by name, or (without one) those the desk knows, with a button to invite or open each.
  async function listProviders(name) {
    const rows = await api('GET', '/v1/desk/steward/providers' + (name ? '?q=' + encodeURIComponent(name) : ''));
    const tbody = $('providers-table').querySelector('tbody');
    tbody.textContent = '';
    for (const r of rows) {
      const p = r.provider;
      const tr = row([p.name + '（' + p.id + '）', PROVIDER_STATUS[r.status] || r.status, '']);
      const invite = document.createElement('button');
      invite.textContent = '招待';
      invite.addEventListener('click', () => { $('invite-provider').value = p.id; $('invitation-form').requestSubmit(); });
      const open = document.createElement('button');
      open.textContent = '窓口を開く';
      open.addEventListener('click', () => { location.hash = 'provider=' + p.id; openProvider(p.id); });
      tr.lastChild.append(invite, open);
      tbody.appendChild(tr);
    }
  }

  $('search-form').addEventListener('submit', (ev) => { ev.preventDefault(); listProviders($('search-name').value.trim()).catch((e) => say(e.message, true)); });

  async function openSteward() {
    show('steward-view');
    // A steward of one municipality records its (ア)–(ク) progress and nothing else.
    $('steward-region').hidden = !!session.municipality;
    if (session.municipality) {
      $('steward-title').textContent = '進捗の記録（市区町村 ' + session.municipality + '）';
      $('progress-code').value = session.municipality;
      $('progress-code').readOnly = true;
      return renderProgress();
    }
    listProviders($('search-name').value.trim()).catch((e) => say(e.message, true));
    const [invitations, accounts, declarations] = await Promise.all([
      api('GET', '/v1/desk/steward/invitations'), api('GET', '/v1/desk/steward/accounts'), api('GET', '/v1/desk/steward/declarations')]);
    const statusNames = { open: '未使用', used: '使用済み', expired: '期限切れ', revoked: '取り消し' };
    const itbody = $('invitations-table').querySelector('tbody');
    itbody.textContent = '';
    for (const i of invitations) {
      const tr = row([i.provider_name ? i.provider_name + '（' + i.provider_id + '）' : '管理者', i.created_at.slice(0, 10), i.expires_at.slice(0, 10), statusNames[i.status] || i.status]);
      if (i.status === 'open') {
        const b = document.createElement('button');
        b.textContent = '取り消す';
        b.addEventListener('click', async () => { await api('POST', '/v1/desk/steward/invitations/' + i.id + '/revoke'); openSteward(); });
        tr.lastChild.appendChild(b);
      }
      itbody.appendChild(tr);
    }
    const tbody = $('accounts-table').querySelector('tbody');
    tbody.textContent = '';
    for (const a of accounts) {
      const tr = row([a.login, a.role, a.role === 'steward' ? 'すべて' : a.providers.join(', '), '']);
      if (!a.disabled_at) {
        const b = document.createElement('button');
        b.textContent = '停止';
        b.addEventListener('click', async () => { await api('POST', '/v1/desk/steward/accounts/' + encodeURIComponent(a.login) + '/disable'); openSteward(); });
        tr.lastChild.appendChild(b);
      } else tr.lastChild.textContent = '停止中';
      tbody.appendChild(tr);
    }
    fill('declarations-table', declarations.map((d) => [
      (d.provider_name || '') + '（' + d.provider_id + '）', factName(d.declaration.fact, d.declaration.service),
      d.declaration.confirmed_at.slice(0, 10) + '（' + d.declaration.confirmed_by + '）',
      d.declaration.stale ? '期限切れ（検索では不明）' : d.declaration.confirmation_due ? '確認が必要' : '有効']));
    await renderProgress();
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); }
    return tr;
  }

  function fill(tableId, rows) {
    const tbody = $(tableId).querySelector('tbody');
    tbody.textContent = '';
    for (const r of rows) tbody.appendChild(row(r));
  }

  function factName(fact, service) {
    const f = { hours: '時間', area: '地域', capabilities: '夜間の体制', contact: '連絡先' }[fact] || fact;
    return f + (service ? '（' + (SERVICE_NAMES[service] || service) + '）' : '');
  }

  $('invitation-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const i = await api('POST', '/v1/desk/steward/invitations', { provider_id: Number($('invite-provider').value), valid_days: Number($('invite-days').value) });
      const card = $('invitation-card');
      card.hidden = false;
      card.innerHTML = '';
      const lines = [['div', (i.provider_name || '') + ' 様（事業所 ID ' + i.provider_id + '）'], ['div', '架け橋 事業所の窓口への招待コード'],
        ['div', i.code, 'code'], ['div', '入口: ' + i.link], ['div', '有効期限: ' + i.expires_at.slice(0, 10) + '（一度だけ使えます）']];
      for (const [tag, text, cls] of lines) { const e = document.createElement(tag); e.textContent = text; if (cls) e.className = cls; card.appendChild(e); }
      const b = document.createElement('button');
      b.textContent = '印刷（FAX 用）';
      b.addEventListener('click', () => window.print());
      card.appendChild(b);
      openSteward();
    } catch (e) { say(e.message, true); }
  });

  // ---- The (ア)–(ク) progress of municipalities ----

  async function renderProgress() {
    const code = $('progress-code').value.trim();
    if (!$('progress-year').value) {
      const now = new Date(Date.now() + 9 * 3600 * 1000);  // the fiscal year in Japan begins in April
      $('progress-year').value = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    }
    const query = '?fiscal_year=' + encodeURIComponent($('progress-year').value) + (/^[0-9]{5}$/.test(code) ? '&prefecture=' + code.slice(0, 2) : '');
    const m = await api('GET', '/v1/progress' + query);
    if (!$('progress-item').options.length) {
      for (const i of m.items) $('progress-item').add(new Option('(' + i.letter + ') ' + i.label, i.id));
      for (const st of m.stages) $('progress-stage').add(new Option(st.label, st.id));
    }
    const head = $('progress-table').querySelector('thead tr');
    head.textContent = '';
    for (const h of ['市区町村'].concat(m.items.map((i) => i.letter))) { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); }
    fill('progress-table', m.municipalities.filter((r) => Object.keys(r.entries).length || r.code === code).map((r) =>
      [r.name + '（' + r.code + '）'].concat(m.items.map((i) => {
        const e = r.entries[i.id];
        if (!e) return '';
        return e.stage_label + (e.change > 0 ? ' ↑' : e.change < 0 ? ' ↓' : '');
      }))));
  }

  $('progress-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const url = '/v1/desk/steward/progress/' + encodeURIComponent($('progress-code').value.trim()) + '/' + $('progress-item').value + '/' + $('progress-year').value;
      await api('PUT', url, { stage: $('progress-stage').value, recorded_on: $('progress-date').value || null, note: $('progress-note').value || null });
      say('進捗を記録しました');
      await renderProgress();
    } catch (e) { say(e.message, true); }
  });

  $('open-form').addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = 'provider=' + $('open-provider').value; openProvider(Number($('open-provider').value)); });

  // ---- A provider's desk ----

  async function openProvider(id) {
    try { desk = await api('GET', '/v1/desk/providers/' + id); } catch (e) { say(e.message, true); return; }
    show('provider-view');
    $('provider-title').textContent = desk.name;
    $('provider-meta').textContent = (desk.address || '') + '　提供: ' + desk.services.map((s) => SERVICE_NAMES[s] || s).join('・');
    $('audit-link').hidden = session.role !== 'steward';
    $('audit-link').querySelector('a').href = '/v1/providers/' + desk.id + '/audit?format=csv';
    renderConfirm();
    renderOnCall();
    fillServices('hours-service', true);
    fillServices('area-service', true);
    loadHours();
    renderCapabilities();
    renderArea();
    renderContact();
  }

  function declaration(fact, service) { return desk.declarations.find((d) => d.fact === fact && (d.service || '') === (service || '')); }

  function renderConfirm() {
    const ds = desk.declarations.filter((d) => d.fact !== 'contact');
    const text = $('confirm-text');
    if (!ds.length) { text.textContent = 'まだ申告はありません。'; return; }
    const parts = ds.map((d) => factName(d.fact, d.service) + '：' + daysText(d.days_since_confirmed) + (d.stale ? '（期限切れ：検索では「不明」になっています）' : d.confirmation_due ? '（確認をお願いします）' : ''));
    text.textContent = parts.join('　');
    text.className = ds.some((d) => d.stale) ? 'stale' : ds.some((d) => d.confirmation_due) ? 'due' : 'ok';
  }

  $('confirm-all').addEventListener('click', async () => {
    try { await api('POST', '/v1/desk/providers/' + desk.id + '/confirm'); say('確認日を今日にしました。'); openProvider(desk.id); } catch (e) { say(e.message, true); }
  });

  function renderOnCall() {
    const r = desk.on_call;
    const st = { active: '当番中', upcoming: '当番予定', expired: '終了', none: 'なし' }[desk.on_call_status] || desk.on_call_status;
    $('oncall-status').textContent = '状態: ' + st + (r ? '（' + r.starts_at.slice(0, 16).replace('T', ' ') + ' 〜 ' + r.ends_at.slice(0, 16).replace('T', ' ') + (r.contact ? '、' + r.contact : '') + '）' : '');
    const c = declaration('contact');
    $('oncall-contact').value = (r && r.contact) || (c && c.value && c.value.phone) || desk.official.contact.phone || '';
  }

  $('oncall-tonight').addEventListener('click', async () => {
    try {
      await api('POST', '/v1/desk/providers/' + desk.id + '/on-call', { contact: $('oncall-contact').value || undefined });
      say('今夜の当番を登録しました。検索に反映されます。');
      openProvider(desk.id);
    } catch (e) { say(e.message, true); }
  });

  function fillServices(id, withAll) {
    const s = $(id);
    s.textContent = '';
    if (withAll) s.appendChild(new Option('すべてのサービス', ''));
    for (const v of desk.services) s.appendChild(new Option(SERVICE_NAMES[v] || v, v));
    if (desk.services.length === 1) s.value = desk.services[0];
  }

  // Hours: rows of days and times written as opening_hours; the raw value stays editable.
  function addHoursRow(days, from, to) {
    const div = document.createElement('div');
    div.className = 'hours-row';
    for (const [code, name] of DAYS) {
      const l = document.createElement('label');
      const c = document.createElement('input');
      c.type = 'checkbox'; c.value = code; c.checked = days.includes(code);
      c.setAttribute('aria-label', name);
      l.append(c, ' ' + name);
      div.appendChild(l);
    }
    const f = document.createElement('input'); f.type = 'time'; f.value = from; f.className = 'from'; f.setAttribute('aria-label', '開始');
    const t = document.createElement('input'); t.type = 'time'; t.value = to; t.className = 'to'; t.setAttribute('aria-label', '終了（翌朝も可）');
    const x = document.createElement('button'); x.type = 'button'; x.textContent = '削除';
    x.addEventListener('click', () => { div.remove(); writeHours(); });
    div.append(f, ' 〜 ', t, x);
    div.addEventListener('change', writeHours);
    $('hours-rows').appendChild(div);
  }

  function dayList(codes) {
    // Consecutive weekdays as a range (Mo-Fr); PH apart.
    const order = DAYS.slice(0, 7).map((d) => d[0]);
    const idx = codes.filter((c) => c !== 'PH').map((c) => order.indexOf(c)).sort((a, b) => a - b);
    const parts = [];
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1] === idx[j] + 1) j++;
      parts.push(j - i >= 2 ? order[idx[i]] + '-' + order[idx[j]] : idx.slice(i, j + 1).map((k) => order[k]).join(','));
      i = j + 1;
    }
    if (codes.includes('PH')) parts.push('PH');
    return parts.join(',');
  }

  function writeHours() {
    const rules = [];
    const lf = $('hours-lunch-from').value, lt = $('hours-lunch-to').value;
    for (const div of $('hours-rows').children) {
      const days = [...div.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
      const from = div.querySelector('.from').value, to = div.querySelector('.to').value;
      if (!days.length || !from || !to) continue;
      let times = from + '-' + to;
      if (lf && lt && from < lf && lt < to && from < to) times = from + '-' + lf + ',' + lt + '-' + to;
      rules.push(dayList(days) + ' ' + times);
    }
    if ($('hours-ph-off').checked) rules.push('PH off');
    if ($('hours-newyear-off').checked) rules.push('Dec 29-Jan 03 off');
    $('hours-raw').value = rules.join('; ');
    checkHours();
  }

  let checkTimer = null;
  function checkHours() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(async () => {
      const v = $('hours-raw').value.trim();
      const out = $('hours-check');
      out.textContent = '';
      if (!v) return;
      try {
        const r = await api('GET', '/v1/opening-hours?value=' + encodeURIComponent(v));
        out.className = r.warnings.length ? 'warning' : 'ok';
        out.textContent = r.warnings.length ? r.warnings.map((w) => w.message).join(' / ') : '読めます';
        if (r.canonical) out.textContent += '（opening_hours にすると: ' + r.canonical + '）';
        if (r.unread && r.unread.length) {
          out.className = 'error';
          out.textContent += ' 読めなかった部分: ' + r.unread.map((u) => '「' + u + '」').join('、');
        }
      } catch (e) { out.className = 'error'; out.textContent = e.message; }
    }, 300);
  }
  $('hours-raw').addEventListener('input', checkHours);
  for (const id of ['hours-ph-off', 'hours-newyear-off', 'hours-lunch-from', 'hours-lunch-to']) $(id).addEventListener('change', writeHours);
  $('hours-add').addEventListener('click', () => addHoursRow([], '18:00', '09:00'));
  $('hours-service').addEventListener('change', loadHours);

  function loadHours() {
    const service = $('hours-service').value;
    const d = declaration('hours', service);
    $('hours-rows').textContent = '';
    $('preview-table').hidden = true;
    const official = desk.official.hours.filter((h) => !service || !h.service || h.service === service).map((h) => h.opening_hours).filter(Boolean);
    $('hours-current').textContent = (d ? '申告: ' + d.value.opening_hours + '（' + daysText(d.days_since_confirmed) + '）' : 'まだ申告はありません。')
      + (official.length ? '　公式の届出・ファイル: ' + official.join(' / ') : '');
    $('hours-raw').value = d ? d.value.opening_hours : '';
    if (!d) { addHoursRow(['Mo', 'Tu', 'We', 'Th', 'Fr'], '18:00', '09:00'); writeHours(); } else checkHours();
  }

  $('hours-preview').addEventListener('click', async () => {
    const service = $('hours-service').value;
    try {
      const p = await api('GET', '/v1/desk/providers/' + desk.id + '/preview?opening_hours=' + encodeURIComponent($('hours-raw').value) + (service ? '&service=' + service : ''));
      const names = { covered: '対応できる（終夜）', partial: '一部の時間だけ', unknown: '不明', closed: '対応しない' };
      fill('preview-table', p.nights.map((n) => [n.name, (names[n.status] || n.status) + (n.covered.length && n.status === 'partial' ? '：' + n.covered.map((c) => c.from.slice(11, 16) + '〜' + c.to.slice(11, 16)).join('、') : '')]));
      $('preview-table').hidden = false;
    } catch (e) { say(e.message, true); }
  });

  $('hours-save').addEventListener('click', async () => {
    const service = $('hours-service').value || undefined;
    try {
      await api('PUT', '/v1/desk/providers/' + desk.id + '/hours', { service, opening_hours: $('hours-raw').value });
      say('時間を保存しました。数秒で検索に反映されます。');
      openProvider(desk.id);
    } catch (e) {
      say(e.message, true);
      if (e.problem && e.problem.position !== undefined) { const t = $('hours-raw'); t.focus(); t.setSelectionRange(e.problem.position, e.problem.position + 1); }
    }
  });

  $('hours-withdraw').addEventListener('click', async () => {
    try { await api('PUT', '/v1/desk/providers/' + desk.id + '/hours', { service: $('hours-service').value || undefined, opening_hours: null }); say('取り下げました。'); openProvider(desk.id); } catch (e) { say(e.message, true); }
  });

  // Capabilities: the official ones (annotated only) beside the ones the provider declares.
  function renderCapabilities() {
    const d = declaration('capabilities');
    const notes = (d && d.value.notes) || {};
    const ul = $('official-capabilities');
    ul.textContent = '';
    for (const c of desk.official.capabilities) {
      const li = document.createElement('li');
      li.textContent = '届出: ' + (CAPABILITY_NAMES[c.capability] || c.capability) + (c.since ? '（' + c.since + '〜）' : '') + ' ';
      const note = document.createElement('input');
      note.type = 'text'; note.dataset.capability = c.capability; note.value = notes[c.capability] || ''; note.placeholder = '注記（例：当面、夜間の新規は受けられません）';
      note.setAttribute('aria-label', (CAPABILITY_NAMES[c.capability] || c.capability) + 'の注記');
      li.appendChild(note);
      ul.appendChild(li);
    }
    const box = $('declarable-capabilities');
    box.textContent = '';
    const declared = (d && d.value.capabilities) || [];
    for (const c of desk.declarable) {
      if (desk.official.capabilities.some((o) => o.capability === c)) continue;
      const l = document.createElement('label');
      const i = document.createElement('input');
      i.type = 'checkbox'; i.value = c; i.checked = declared.includes(c);
      l.append(i, ' ' + (CAPABILITY_NAMES[c] || c) + '（事業所の申告）');
      box.appendChild(l);
    }
    if (d) { const p = document.createElement('p'); p.className = 'meta'; p.textContent = daysText(d.days_since_confirmed); box.appendChild(p); }
  }

  $('capabilities-save').addEventListener('click', async () => {
    const capabilities = [...$('declarable-capabilities').querySelectorAll('input:checked')].map((i) => i.value);
    const notes = {};
    for (const i of $('official-capabilities').querySelectorAll('input')) if (i.value.trim()) notes[i.dataset.capability] = i.value.trim();
    try { await api('PUT', '/v1/desk/providers/' + desk.id + '/capabilities', { capabilities, notes }); say('体制を保存しました。'); openProvider(desk.id); } catch (e) { say(e.message, true); }
  });

  // Area: municipalities near the provider, a radius, or a polygon drawn on the map.
  function areaRule() { return document.querySelector('input[name=area-rule]:checked').value; }

  function renderArea() {
    const d = declaration('area', $('area-service').value);
    const box = $('area-municipalities');
    box.textContent = '';
    for (const m of desk.nearby_municipalities || []) {
      const l = document.createElement('label');
      const i = document.createElement('input');
      i.type = 'checkbox'; i.value = m.code; i.checked = !!(d && d.value.municipalities && d.value.municipalities.includes(m.code));
      l.append(i, ' ' + m.name);
      box.appendChild(l);
    }
    const chosen = new Set(((d && d.value.towns) || []).map((t) => t.municipality_code + '/' + t.town));
    loadTowns(chosen);
    if (d) document.querySelector('input[name=area-rule][value=' + d.value.rule + ']').checked = true;
    if (d && d.value.radius_m) $('area-radius').value = d.value.radius_m;
    drawn = d && d.value.polygon ? outerRing(JSON.parse(d.value.polygon)).slice(0, -1).map(([x, y]) => [y, x]) : [];
    setupMap();
    areaMode();
  }

  // The first outline of a Polygon or MultiPolygon (the form edits one).
  function outerRing(g) { return g.type === 'MultiPolygon' ? g.coordinates[0][0] : g.coordinates[0]; }

  // Leaflet puts strings in as HTML: names go in as text nodes.
  function text(s) { const span = document.createElement('span'); span.textContent = s; return span; }

  // The 町字 around the provider (about 5 km), by municipality, for a list-made area.
  async function loadTowns(chosen) {
    const list = $('area-towns');
    list.textContent = '';
    if (!desk.lat) return;
    const dLat = 0.045, dLon = 0.055;
    const fc = await api('GET', `/collections/towns/items?bbox=${desk.lon - dLon},${desk.lat - dLat},${desk.lon + dLon},${desk.lat + dLat}&limit=2000`).catch(() => null);
    const names = Object.fromEntries((desk.nearby_municipalities || []).map((m) => [m.code, m.name]));
    const towns = ((fc && fc.features) || []).map((f) => ({ ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] })).sort((a, b) => (a.municipality_code + a.name).localeCompare(b.municipality_code + b.name, 'ja'));
    for (const t of towns) {
      const l = document.createElement('label');
      const i = document.createElement('input');
      i.type = 'checkbox'; i.value = t.municipality_code + '/' + t.name; i.checked = chosen.has(i.value);
      i.dataset.lat = t.lat; i.dataset.lon = t.lon;
      l.append(i, ' ' + (names[t.municipality_code] || t.municipality_code) + ' ' + t.name);
      list.appendChild(l);
    }
  }

  function areaMode() {
    const r = areaRule();
    box('area-municipalities', r === 'municipalities');
    box('area-towns', r === 'towns');
    for (const id of ['area-radius', 'area-radius-label']) box(id, r === 'radius');
    for (const id of ['area-draw-help', 'area-draw-done', 'area-draw-clear']) box(id, r === 'polygon');
    redraw();
  }
  function box(id, on) { $(id).hidden = !on; }
  for (const i of document.querySelectorAll('input[name=area-rule]')) i.addEventListener('change', areaMode);
  $('area-radius').addEventListener('input', redraw);
  $('area-municipalities').addEventListener('change', redraw);
  $('area-towns').addEventListener('change', redraw);
  $('area-service').addEventListener('change', renderArea);

  function setupMap() {
    if (!window.L) return;
    const center = desk.lat ? [desk.lat, desk.lon] : [35.8, 139.5];
    if (!map) {
      map = L.map('desk-map').setView(center, 12);
      map.on('click', (ev) => { if (areaRule() === 'polygon') { drawn.push([ev.latlng.lat, ev.latlng.lng]); redraw(); } });
      fetch('/web/config.json').then((r) => r.json()).then((c) => {
        if (c.basemap_url) L.tileLayer(c.basemap_url, { attribution: c.basemap_attribution || '' }).addTo(map);
      }).catch(() => {});
      // Without a base map, the municipal outlines and 町字 names from Kakehashi's own layers.
      api('GET', '/v1/layers/municipalities.geojson?indicator=population_total').then((fc) => {
        outlines = L.geoJSON(fc, { interactive: false, style: { color: '#555', weight: 1, fill: false } }).addTo(map);
        redraw();
      }).catch(() => {});
      const towns = L.layerGroup().addTo(map);
      map.on('moveend', async () => {
        towns.clearLayers();
        if (map.getZoom() < 14) return;
        const b = map.getBounds();
        const fc = await api('GET', `/collections/towns/items?bbox=${b.getWest()},${b.getSouth()},${b.getEast()},${b.getNorth()}&limit=500`).catch(() => null);
        for (const f of (fc && fc.features) || []) {
          const [lon, lat] = f.geometry.coordinates;
          L.tooltip({ permanent: true, direction: 'center', className: 'town-label' }).setLatLng([lat, lon]).setContent(text(f.properties.name || '')).addTo(towns);
        }
      });
    } else map.setView(center, 12);
    drawLayer = drawLayer || L.layerGroup().addTo(map);
  }

  function redraw() {
    if (!map) return;
    drawLayer.clearLayers();
    if (desk.lat) L.circleMarker([desk.lat, desk.lon], { radius: 6 }).addTo(drawLayer).bindTooltip(text(desk.name));
    const r = areaRule();
    // Chosen municipalities are filled on their outlines: the area as the lookup will apply it.
    if (outlines) {
      const chosen = new Set(r === 'municipalities' ? [...$('area-municipalities').querySelectorAll('input:checked')].map((i) => i.value) : []);
      outlines.setStyle((f) => chosen.has(f.properties.code) ? { color: '#17456b', weight: 2, fill: true, fillOpacity: 0.25 } : { color: '#555', weight: 1, fill: false });
    }
    if (r === 'towns') {
      for (const i of $('area-towns').querySelectorAll('input:checked')) {
        if (i.dataset.lat) L.circleMarker([Number(i.dataset.lat), Number(i.dataset.lon)], { radius: 4, color: '#17456b' }).addTo(drawLayer).bindTooltip(text(i.parentNode.textContent.trim()));
      }
    }
    if (r === 'radius' && desk.lat) L.circle([desk.lat, desk.lon], { radius: Number($('area-radius').value) || 0 }).addTo(drawLayer);
    if (r === 'polygon' && drawn.length) (drawn.length >= 3 ? L.polygon(drawn) : L.polyline(drawn)).addTo(drawLayer);
  }

  $('area-draw-clear').addEventListener('click', () => { drawn = []; redraw(); });
  $('area-draw-done').addEventListener('click', () => { say(drawn.length >= 3 ? '描けました。「地域を保存」を押してください。' : '頂点を 3 つ以上置いてください。', drawn.length < 3); });

  $('area-save').addEventListener('click', async () => {
    const r = areaRule();
    const area = { rule: r };
    if (r === 'municipalities') area.municipalities = [...$('area-municipalities').querySelectorAll('input:checked')].map((i) => i.value);
    if (r === 'radius') area.radius_m = Number($('area-radius').value);
    if (r === 'towns') {
      area.towns = [...$('area-towns').querySelectorAll('input:checked')].map((i) => {
        const [code, ...rest] = i.value.split('/');
        return { municipality_code: code, town: rest.join('/') };
      });
    }
    if (r === 'polygon') {
      const ring = drawn.map(([lat, lon]) => [lon, lat]);
      if (ring.length) ring.push(ring[0]);
      area.polygon = { type: 'Polygon', coordinates: [ring] };
    }
    try {
      await api('PUT', '/v1/desk/providers/' + desk.id + '/area', { service: $('area-service').value || undefined, area });
      say('地域を保存しました。数秒で検索に反映されます。');
      openProvider(desk.id);
    } catch (e) { say(e.message, true); }
  });

  function renderContact() {
    const d = declaration('contact');
    const c = (d && d.value) || desk.official.contact;
    $('contact-phone').value = c.phone || '';
    $('contact-fax').value = c.fax || '';
    $('contact-email').value = c.email || '';
    $('contact-preferred').value = c.preferred || '';
    $('contact-note').value = (d && d.value.note) || '';
  }

  $('contact-save').addEventListener('click', async () => {
    const body = { phone: $('contact-phone').value, fax: $('contact-fax').value, email: $('contact-email').value, preferred: $('contact-preferred').value || undefined, note: $('contact-note').value };
    try { await api('PUT', '/v1/desk/providers/' + desk.id + '/contact', body); say('連絡先を保存しました。'); openProvider(desk.id); } catch (e) { say(e.message, true); }
  });

  window.addEventListener('hashchange', () => { if (location.hash.includes('invite=')) start(); });
  start();
})();
