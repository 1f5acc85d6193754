// bench/ledger-writes.mjs BASE PASSWORD RATE SECONDS — the write load of bench/ledgers:
// RATE writes a second for SECONDS seconds, as an administrator, alternating the two
// writes the ledgers see most: a meeting recorded (POST /activities, a 主题党日 of a branch
// today) and a 12309 reply (POST /request-replies, 办理进展 on an open request today).
// Each write goes through the API's whole write path (validation, scope, audit, commit).
// Paced on a fixed schedule (a late write does not make the next ones early). Prints one
// JSON line: writes that succeeded, failed, and the first failure.
const [base, password, rateArg, secondsArg] = process.argv.slice(2)
const rate = Number(rateArg), seconds = Number(secondsArg)

async function call(s, method, path, body) {
  const headers = { 'Content-Type': 'application/json' }
  if (s) Object.assign(headers, { Cookie: s.cookie, 'X-CSRF-Token': s.csrf })
  const r = await fetch(base + '/api/v1' + path, { method, headers, body: body && JSON.stringify(body) })
  return { status: r.status, json: await r.json().catch(() => null), headers: r.headers }
}
const l = await call(null, 'POST', '/session', { username: 'admin', password })
if (l.status !== 200) throw new Error('login: ' + l.status)
const s = { cookie: /^(ronghe_session=[^;]*)/.exec(l.headers.getSetCookie()[0])[1], csrf: l.json.csrf_token }
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) // Beijing
const branches = (await call(s, 'GET', '/branches?per_page=100')).json.items
const open = (await call(s, 'GET', '/requests?status=办理中&per_page=100')).json?.items ?? []
const replied = open.filter((r) => r.replied_on)
const writes = [
  (i) => ['/activities', { branch_id: branches[i % branches.length].id, kind: '主题党日', held_on: today, topic: `基准测试主题党日 ${i}` }],
  (i) => ['/request-replies', { request_id: replied[i % Math.max(1, replied.length)]?.id, kind: '办理进展', date: today, content: `基准测试进展 ${i}` }],
]
let ok = 0, failed = 0, first = null
const start = Date.now(), total = Math.round(rate * seconds)
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / rate
  const wait = due - Date.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  const [path, body] = writes[i % writes.length](i)
  const r = await call(s, 'POST', path, body)
  if (r.status === 201) ok++
  else {
    failed++
    first ??= `${path} ${r.status} ${JSON.stringify(r.json)}`
  }
}
console.log(JSON.stringify({ ok, failed, first, seconds: (Date.now() - start) / 1000 }))
