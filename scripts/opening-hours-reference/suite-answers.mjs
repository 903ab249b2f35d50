// The reference's answers for the values of its own test suite, as JSON lines for
// KAKEHASHI_OH_REFERENCE: node --import ./register.mjs suite-answers.mjs REF [VALUES.json] > suite.jsonl
// REF: a checkout of opening_hours.js prepared as README says; its values are read from
// REF/test/test.en.log (the suite's own report), never from its code. Run with TZ=Asia/Tokyo.
import { readFileSync } from 'node:fs';
const ref = process.argv[2];
const { default: opening_hours } = await import(ref + '/src/index.js');
const values = [];
// A second argument: a JSON array of values to answer instead (e.g. from variants.py).
if (process.argv[3]) values.push(...JSON.parse(readFileSync(process.argv[3], 'utf8')));
for (const line of process.argv[3] ? [] : readFileSync(ref + '/test/test.en.log', 'utf8').split('\n')) {
  const m = /^"[^"]*" for (".*"): /.exec(line);
  if (!m) continue;
  try { const v = JSON.parse(m[1]); if (!values.includes(v)) values.push(v); } catch { /* a name with quotes: skipped */ }
}
const at = [];
for (let h = 0; h < 24 * 14; h++) at.push(new Date(2012, 9, 1, 0, 30 + 60 * h));            // two weeks hourly from Mon 2012-10-01
for (let d = 0; d < 5 * 365; d += 5) for (const m of [3 * 60 + 30, 12 * 60 + 30, 20 * 60]) at.push(new Date(2012, 0, 1 + d, 0, m));
const iso = d => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:00`;
const from = new Date(2011, 11, 31), to = new Date(2017, 0, 2);
for (const value of values) {
  let out;
  try {
    const oh = new opening_hours(value, null, { mode: 0, tag_key: 'opening_hours', warnings_severity: 4 });
    // Walked with the iterator from change to change, as the suite reads it.
    const changes = [];
    const it = oh.getIterator(from);
    do { changes.push([it.getDate().getTime(), it.getStateString(true), it.getComment() ?? null]); }
    while (it.advance(to) && it.getDate() < to && changes.length < 500000);
    const states = at.map(t => {
      let lo = 0, hi = changes.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (changes[mid][0] <= t.getTime()) lo = mid; else hi = mid - 1; }
      return [changes[lo][1], changes[lo][2]];
    });
    out = { value, at: at.map(iso), states, warnings: oh.getWarnings() };
  } catch (e) {
    out = { value, error: String(e).slice(0, 200) };
  }
  console.log(JSON.stringify(out));
}
