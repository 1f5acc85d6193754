// The evaluation's pages (views/eval/*): periods as the API names them, the movement of a
// rank, and the newest run. Numbers are shown as the server sends them (decimal strings in
// explanations, numbers rounded to 2 places in rankings): never reformatted.
import { api } from './api.js'

// A period: "2025", "2025-Q3" or "2025-07" (docs/evaluation.md).
export function periodOf(p) {
  if (p.kind === 'quarter') return p.year + '-Q' + p.quarter
  if (p.kind === 'month') return p.year + '-' + String(p.month).padStart(2, '0')
  return String(p.year)
}

export function parsePeriod(s) {
  const m = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/.exec(s || '')
  if (!m) return null
  if (m[2]) return { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]), month: 1 }
  if (m[3]) return { kind: 'month', year: Number(m[1]), quarter: 1, month: Number(m[3]) }
  return { kind: 'year', year: Number(m[1]), quarter: 1, month: 1 }
}

export function periodLabel(s) {
  const p = parsePeriod(s)
  if (!p) return s || ''
  if (p.kind === 'quarter') return p.year + ' 年第' + '一二三四'[p.quarter - 1] + '季度'
  if (p.kind === 'month') return p.year + ' 年 ' + p.month + ' 月'
  return p.year + ' 年度'
}

// The default period: last year (a year's evaluation is made after it ends).
export const defaultPeriod = () => String(new Date().getFullYear() - 1)

export const MOVEMENT = {
  上升: { arrow: '↑', cls: 'up' },
  下降: { arrow: '↓', cls: 'down' },
  持平: { arrow: '—', cls: 'flat' },
  新进: { arrow: '新进', cls: 'new' },
}

// The rank a ranking shows: 全市 (rank_city), 县级 (rank_level: county-level branches
// among themselves, the city's among its own), 本院 (rank_proc).
export const RANK_SCOPES = [
  { value: 'rank_city', label: '全市排名' },
  { value: 'rank_level', label: '同级排名' },
  { value: 'rank_proc', label: '本院排名' },
]

// A value of an explanation: the decimal string as given, null as 缺项.
export const shown = (v) => (v === null || v === undefined ? null : String(v))

// The subjects a run ranks (GET /eval/results?kind=): what one is called, and the query key
// that names one in GET /eval/explain.
export const KINDS = [
  { value: 'branch', label: '党组织', key: 'branch_id' },
  { value: 'procuratorate', label: '检察院', key: 'procuratorate_id' },
  { value: 'member', label: '党员', key: 'member_id' },
  { value: 'party_group', label: '党小组', key: 'party_group_id' },
]
export const kindOf = (v) => KINDS.find((k) => k.value === v) || KINDS[0]

// GET /eval/results for a period (and scheme, and kind; and branch: a branch's members or
// party groups): one page ({page, per_page, sort}: rank_city, rank_level or rank_proc; 50
// rows unless asked, at most RESULTS_MAX_PER_PAGE) — {run, items, total, page, per_page}.
export const RESULTS_MAX_PER_PAGE = 500
export function results(period, schemeId, kind, branchId, paging = {}) {
  return api.get('/eval/results', { period, scheme_id: schemeId || undefined, kind: kind || undefined, branch_id: branchId || undefined, ...paging })
}

// Every result of the query, page by page (branches and procuratorates: a ranking a page
// sorts and ranks by 同频共振 itself): {run, items, total}, the run the first page's.
export async function resultsAll(period, schemeId, kind, branchId) {
  const first = await results(period, schemeId, kind, branchId, { per_page: RESULTS_MAX_PER_PAGE })
  const items = [...(first.items || [])]
  for (let page = 2; items.length < first.total && page <= 1000; page++) {
    const r = await results(period, schemeId, kind, branchId, { page, per_page: RESULTS_MAX_PER_PAGE })
    if (!r.items || !r.items.length || (r.run && first.run && r.run.id !== first.run.id)) break
    items.push(...r.items)
  }
  return { run: first.run, items, total: first.total }
}

// The names of the ledgers' detail pages (router.js) by the collection's URL name.
const DETAIL = new Set(['cases', 'activities', 'requests', 'members', 'sync-pairs', 'element-checks', 'projects', 'pairings', 'pil-matters', 'patrols', 'outreach'])
const PARENT = { attendance: 'activities', 'request-replies': 'requests' }
export function recordLink(r) {
  if (DETAIL.has(r.coll)) return '/' + r.coll + '/' + r.id
  if (r.coll === 'honours') return '/manage/honours'
  if (r.coll === 'branches') return '/branches/' + r.id
  if (PARENT[r.coll] && r.parent_id) return '/' + PARENT[r.coll] + '/' + r.parent_id
  return null
}
