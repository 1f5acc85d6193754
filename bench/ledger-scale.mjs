// bench/ledger-scale.mjs DB FACTOR — make the ledgers of a demo database FACTOR times as
// large, for bench/ledgers. Every row of each ledger table is copied FACTOR-1 times: copy k
// of a row gets id + k·M (M the table's largest id), and a reference to another ledger
// table's row points at that row's copy k, so each copied case has its copied team and
// 三必评, each copied meeting its attendance. References to the organisation (branches,
// members) stay as they are, so a branch's timeline and a procuratorate's overdue list
// grow FACTOR times. A UNIQUE index that holds such a reference stays satisfied; one that
// does not gets "·k" appended to its text columns (case and request numbers); one with
// neither is left alone and its table not copied (the run says which). Generic links
// (item_coll, item_id) keep pointing at the original records. Done with the sqlite3 shell,
// in one transaction; the audit is not extended (these reads do not use it).
import { spawnSync } from 'node:child_process'

const [db, factorArg] = process.argv.slice(2)
const factor = Number(factorArg)
if (!db || !(factor >= 2 && factor <= 1000)) {
  console.error('usage: node bench/ledger-scale.mjs DB FACTOR (2..1000)')
  process.exit(2)
}
function sql(q, json = true) {
  const r = spawnSync('sqlite3', json ? ['-json', db, q] : [db], { encoding: 'utf8', input: json ? undefined : q, maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`)
  return json ? JSON.parse(r.stdout || '[]') : r.stdout
}
// The ledgers: every table the migrations after the foundation's (version 5) created,
// except the calendars and rules that are configuration, not records.
const CONFIG = new Set(['holidays', 'life_rules', 'schema_migrations'])
const before = new Set(['procuratorates', 'departments', 'branches', 'party_groups', 'members', 'brands', 'methods',
  'method_elements', 'honours', 'users', 'audit', 'meta', 'sessions', 'jobs', 'login_unlocks', 'sqlite_sequence'])
const tables = sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
  .map((r) => r.name).filter((t) => !before.has(t) && !CONFIG.has(t))
const id = (n) => `"${n.replaceAll('"', '""')}"`
// a table without ids (patrol_members: kept by a trigger on patrols) fills itself as its
// parent's copies are inserted
const hasId = (t) => sql(`SELECT count(*) AS n FROM pragma_table_info('${t}') WHERE name = 'id'`)[0].n > 0
const withoutId = tables.filter((t) => !hasId(t))
tables.splice(0, tables.length, ...tables.filter(hasId))
const copied = new Set(tables)
const maxId = Object.fromEntries(tables.map((t) => [t, sql(`SELECT coalesce(max(id), 0) AS m FROM ${id(t)}`)[0].m]))
let script = 'BEGIN;\n'
const done = [], skipped = []
for (const t of tables) {
  const cols = sql(`SELECT name, type FROM pragma_table_info('${t}')`)
  // columns referring to another copied ledger table: mapped to the same copy
  const fk = new Map(sql(`SELECT "from", "table" FROM pragma_foreign_key_list('${t}')`)
    .filter((r) => copied.has(r.table)).map((r) => [r.from, r.table]))
  const suffix = new Set()
  let stuck = false
  for (const ix of sql(`SELECT name FROM pragma_index_list('${t}') WHERE "unique" = 1 AND origin <> 'pk'`)) {
    const ic = sql(`SELECT name FROM pragma_index_info('${ix.name}')`).map((r) => r.name)
    if (ic.some((c) => fk.has(c))) continue
    const text = ic.filter((c) => /TEXT/i.test(cols.find((x) => x.name === c)?.type ?? ''))
    if (!text.length) stuck = true
    text.forEach((c) => suffix.add(c))
  }
  if (stuck) { skipped.push(`${t} (a unique index of integers)`); continue }
  const expr = (c) => c.name === 'id' ? `${id(t)}.id + k.v * ${maxId[t]}`
    : fk.has(c.name) ? `${id(c.name)} + k.v * ${maxId[fk.get(c.name)]}`
    : suffix.has(c.name) ? `${id(c.name)} || '·' || k.v` : id(c.name)
  script += `WITH RECURSIVE k(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM k WHERE v < ${factor - 1})\n` +
    `INSERT INTO ${id(t)} (${cols.map((c) => id(c.name)).join(', ')}) SELECT ${cols.map(expr).join(', ')} FROM ${id(t)}, k WHERE ${id(t)}.id <= ${maxId[t]};\n`
  done.push(t)
}
script += 'COMMIT;\n'
sql(script, false)
for (const t of done) console.log(`${t}: ${sql(`SELECT count(*) AS n FROM ${id(t)}`)[0].n} rows`)
for (const t of withoutId) console.log(`${t}: ${sql(`SELECT count(*) AS n FROM ${id(t)}`)[0].n} rows (kept by its parent's trigger)`)
if (skipped.length) console.log(`not multiplied: ${skipped.join(', ')}`)
