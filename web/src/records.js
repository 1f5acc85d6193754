// Where a record opens: its own detail page when the router has one (the route named as
// the collection: /#/cases/12), a branch's page for branches, else the collection's
// management list, which opens the record by ?id=.
import router from './router.js'

/** The route location of record "id" of collection "coll" (its URL name). */
export function recordRoute(coll, id) {
  if (coll === 'branches') return { name: 'branch', params: { id } }
  if (coll === 'members') return { name: 'member', params: { id } }
  if (router.hasRoute(coll)) return { name: coll, params: { id } }
  return { name: 'manage', params: { collection: coll }, query: { id } }
}

// The kinds of event a timeline shows, by which ledger they belong to: the colour of
// their dot and tag. Kinds not listed are shown as 其他.
const PARTY_KINDS = ['组织生活', '主题党日', '学习', '入党', '荣誉', '四同步', '联建共建', '结对', '指导', '工作法']
const BUSINESS_KINDS = ['案件', '案件受理', '案件办结', '12309', '公益诉讼', '巡查', '普法宣传', '法律服务']

/** "party" | "business" | "other" for a timeline kind (matched by its beginning). */
export function ledgerOf(kind) {
  if (PARTY_KINDS.some((k) => kind.startsWith(k))) return 'party'
  if (BUSINESS_KINDS.some((k) => kind.startsWith(k))) return 'business'
  return 'other'
}
