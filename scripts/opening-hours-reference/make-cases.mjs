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
const cases = [];
for (const value of readFileSync(new URL('./values.txt', import.meta.url), 'utf8').split('\n').filter(v => v.trim())) {
  try {
    const oh = new opening_hours(value, null, { mode: 0, tag_key: 'opening_hours' });
    let states = '';
    const comments = {};
    at.forEach((t, k) => {
      const it = oh.getIterator(t);
      states += it.getStateString(true)[0];
      if (it.getComment()) comments[k] = it.getComment();
    });
    cases.push({ value, states, comments });
  } catch (e) {
    cases.push({ value, error: String(e).slice(0, 200) });
  }
}
console.log(JSON.stringify({ reference: 'opening_hours.js, mode 0, no holidays or sun times, Asia/Tokyo', at: at.map(iso), cases }));
