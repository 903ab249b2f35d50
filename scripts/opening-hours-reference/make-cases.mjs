// Writes the reference's answers for values.txt: node --import ./register.mjs make-cases.mjs REF > cases.json
// REF: a checkout of opening_hours.js (https://github.com/opening-hours/opening_hours.js) whose
// src/**/*.yaml have been turned into .yaml.json beside them (see README in this folder).
// Run with TZ=Asia/Tokyo. Only the answers are kept, never the reference's code.
import { readFileSync } from 'node:fs';
const ref = process.argv[2];
const { default: opening_hours } = await import(ref + '/src/index.js');
const at = [];
for (let h = 0; h < 24 * 14; h++) at.push(new Date(2026, 10, 30, 0, 30 + 60 * h));           // two weeks hourly from Mon 2026-11-30
for (let d = 0; d < 731; d++) for (const m of [3 * 60 + 30, 12 * 60 + 30, 20 * 60]) at.push(new Date(2026, 0, 1 + d, 0, m));  // 2026–2027
const iso = d => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:00`;
const walkFrom = new Date(2025, 11, 31), walkTo = new Date(2028, 0, 2);
const cases = [];
for (const value of readFileSync(new URL('./values.txt', import.meta.url), 'utf8').split('\n').filter(v => v.trim())) {
  try {
    const oh = new opening_hours(value, null, { mode: 0, tag_key: 'opening_hours' });
    // Walked with the iterator from change to change, as the reference's own tests read it (its
    // state at an instant alone can differ, e.g. inside `07:00+,12:00-16:00`).
    const changes = [];
    const it = oh.getIterator(walkFrom);
    do {
      changes.push([it.getDate().getTime(), it.getStateString(true)[0], it.getComment()]);
    } while (it.advance(walkTo) && it.getDate() < walkTo);
    let states = '';
    const comments = {};
    at.forEach((t, k) => {
      let lo = 0, hi = changes.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (changes[mid][0] <= t.getTime()) lo = mid; else hi = mid - 1; }
      states += changes[lo][1];
      if (changes[lo][2]) comments[k] = changes[lo][2];
    });
    cases.push({ value, states, comments });
  } catch (e) {
    cases.push({ value, error: String(e).slice(0, 200) });
  }
}
console.log(JSON.stringify({ reference: 'opening_hours.js, mode 0, no holidays or sun times, Asia/Tokyo', at: at.map(iso), cases }));
