// bench/ledger-latency.mjs BASE COOKIE SAMPLES BRANCH_ID PROCURATORATE_ID — latency of two
// reads that must stay fast as the ledgers grow (bench/ledgers), each request a different
// URL with the same answer so that none is served from ronghe's response cache:
//   timeline  GET /api/v1/timeline?branch_id=B&from=D&to=2025-12-31  (D a day before the
//             demo's first record, so every variant is the branch's whole two years; the
//             first page of 200, newest first, as the branch page asks)
//   overdue   GET /api/v1/requests?due=overdue&procuratorate_id=P&page=0…1&per_page=0…20
// One client, one request at a time, keep-alive. Prints one JSON line: per read the
// sample count, p50, p95, p99 and max in ms, the bytes and "total" of the answer.
const [base, cookie, samplesArg, branch, proc] = process.argv.slice(2)
const samples = Number(samplesArg)
const headers = { Cookie: cookie }

function day(n) { // 2000-01-01 plus n days (n < 8000: before 2024)
  return new Date(Date.UTC(2000, 0, 1 + n)).toISOString().slice(0, 10)
}
const reads = {
  timeline: (i) => `/api/v1/timeline?branch_id=${branch}&from=${day(i)}&to=2025-12-31&order=desc&per_page=200`,
  overdue: (i) => `/api/v1/requests?due=overdue&procuratorate_id=${proc}&page=${'0'.repeat(i % 100)}1&per_page=${'0'.repeat(Math.floor(i / 100))}20`,
}
const pct = (a, p) => a[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)]
const out = {}
for (const [name, url] of Object.entries(reads)) {
  let first = null
  const ms = []
  for (let i = 0; i < samples + 5; i++) {
    const t0 = process.hrtime.bigint()
    const r = await fetch(base + url(i), { headers })
    const text = await r.text()
    const dt = Number(process.hrtime.bigint() - t0) / 1e6
    if (r.status !== 200) throw new Error(`${name} ${url(i)}: ${r.status} ${text.slice(0, 200)}`)
    if (first === null) first = text
    else if (text !== first) throw new Error(`${name}: variant ${i} answered differently`)
    if (i >= 5) ms.push(dt) // the first five warm the connection and the statement cache
  }
  ms.sort((a, b) => a - b)
  const f = (x) => Math.round(x * 100) / 100
  out[name] = { n: ms.length, p50: f(pct(ms, 50)), p95: f(pct(ms, 95)), p99: f(pct(ms, 99)), max: f(ms.at(-1)),
    bytes: Buffer.byteLength(first), total: JSON.parse(first).total }
}
console.log(JSON.stringify(out))
