// api: the one way the front end talks to `ronghe serve` (docs/api.md).
// Relative URLs, the session cookie, and X-CSRF-Token on every write. Errors come back
// as ApiError carrying the server's {code, message, field}; callers show error.message.
import { reactive } from 'vue'

export const session = reactive({
  me: null, // GET /api/v1/me
  csrf: '',
  loaded: false,
})

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || '请求失败')
    this.status = status
    this.code = code || 'error'
    this.field = field || null
  }
}

// Set by the router: called when a request answers 401 (session expired).
let onUnauthenticated = null
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

const FALLBACK = {
  400: '请求有误',
  401: '未登录或登录已过期，请重新登录',
  403: '没有权限执行此操作',
  404: '记录不存在',
  409: '该记录已被他人修改，请刷新后重试',
  413: '提交的内容过大',
  422: '引用的记录不存在或不一致',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误',
}

function toQuery(params) {
  if (!params) return ''
  const parts = []
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)))
  }
  return parts.length ? '?' + parts.join('&') : ''
}

export async function request(method, path, { body, params, quiet401 } = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin' }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf
  let res
  try {
    res = await fetch('/api/v1' + path + toQuery(params), init)
  } catch (e) {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络')
  }
  if (res.status === 204) return null
  let data = null
  const text = await res.text()
  if (text) {
    try {
      data = JSON.parse(text)
    } catch (e) {
      data = null
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {}
    const e = new ApiError(res.status, err.code, err.message || FALLBACK[res.status] || '请求失败（' + res.status + '）', err.field)
    if (res.status === 401 && !quiet401 && onUnauthenticated) onUnauthenticated()
    throw e
  }
  return data
}

export const api = {
  get: (path, params, opts) => request('GET', path, { params, ...opts }),
  post: (path, body) => request('POST', path, { body }),
  patch: (path, body) => request('PATCH', path, { body }),
  del: (path, params) => request('DELETE', path, { params }),
}

// ---- session ----------------------------------------------------------------------

export async function login(username, password) {
  const data = await request('POST', '/session', { body: { username, password }, quiet401: true })
  session.csrf = data.csrf_token || ''
  session.me = data.user || null
  if (!session.me || !session.me.display_name) await loadMe()
  session.loaded = true
  clearCache()
  if (session.me) await loadMeta()
  return session.me
}

export async function loadMe() {
  try {
    const me = await request('GET', '/me', { quiet401: true })
    session.me = me
    if (me && me.csrf_token) session.csrf = me.csrf_token
    if (me && !meta.loaded) await loadMeta()
  } catch (e) {
    if (e.status !== 401) throw e
    session.me = null
    session.csrf = ''
  }
  session.loaded = true
  return session.me
}

export async function logout() {
  try {
    await request('DELETE', '/session', { quiet401: true })
  } catch (e) {
    /* signed out either way */
  }
  session.me = null
  session.csrf = ''
  clearCache()
  clearMeta()
}


// ---- what the server says about its collections (GET /api/v1/_meta) ----------------
// Fields with their labels, kinds, limits, enumerations and required marks, and what the
// signed-in user may do with each collection: loaded once after login, the one source of
// every rule the forms check and every button they show (the server checks again).
export const meta = reactive({ loaded: false, collections: {} })

export async function loadMeta() {
  const m = await request('GET', '/_meta', { quiet401: true })
  const byName = {}
  for (const c of (m && m.collections) || []) {
    c.field = Object.fromEntries(c.fields.map((f) => [f.name, f]))
    byName[c.name] = c
  }
  meta.collections = byName
  meta.loaded = true
  return meta
}

function clearMeta() {
  meta.collections = {}
  meta.loaded = false
}

// The description of one collection, or of one of its fields; null when there is none.
export const collectionMeta = (collection) => meta.collections[collection] || null
export const fieldMeta = (collection, name) => {
  const c = meta.collections[collection]
  return (c && c.field[name]) || null
}

// Whether the signed-in user may "action" (read, create, update, delete, export) in
// "collection" at all.
export function may(collection, action) {
  const c = meta.collections[collection]
  return !!(c && c.may && c.may[action])
}

// Whether the signed-in user may "action" (update, delete, create) this record: the
// collection allows it (_meta) and the record lies in the user's scope (a county user its
// own procuratorate's records, a secretary its own branch's). Used to hide buttons that
// would only answer 403; every record carries its procuratorate_id and branch_id.
export function canWriteRecord(collection, row, action = 'update') {
  const me = session.me
  if (!me || !may(collection, action)) return false
  if (!row || me.scope === 'all' || !me.scope) return true
  if (me.scope === 'procuratorate') return row.procuratorate_id === undefined || row.procuratorate_id === me.procuratorate_id
  if (me.scope === 'branch') return row.branch_id === me.branch_id
  return true
}

// ---- collections --------------------------------------------------------------------

export function list(collection, params) {
  return api.get('/' + collection, params)
}

// Every item of a (small) collection, in pages of 500. Cached per query until a write
// to that collection (or any collection it is named with) clears it.
const cache = new Map()
export function listAll(collection, params = {}) {
  const key = collection + toQuery(params)
  if (!cache.has(key)) {
    const p = (async () => {
      const items = []
      for (let page = 1; page < 100; page++) {
        const r = await api.get('/' + collection, { ...params, page, per_page: 500 })
        const got = (r && r.items) || []
        items.push(...got)
        if (got.length < 500 || items.length >= (r.total || 0)) break
      }
      return items
    })()
    p.catch(() => cache.delete(key))
    cache.set(key, p)
  }
  return cache.get(key)
}

export function clearCache(collection) {
  if (!collection) return cache.clear()
  for (const k of [...cache.keys()]) {
    if (k === collection || k.startsWith(collection + '?')) cache.delete(k)
  }
}

export async function createRecord(collection, body) {
  const r = await api.post('/' + collection, body)
  clearCache(collection)
  return r
}

export async function updateRecord(collection, id, body) {
  const r = await api.patch('/' + collection + '/' + id, body)
  clearCache(collection)
  return r
}

export async function deleteRecord(collection, id, version) {
  await api.del('/' + collection + '/' + id, { version })
  clearCache(collection)
}

export function history(collection, id) {
  return api.get('/' + collection + '/' + id + '/history')
}

// The message to show a person for an error: the server's own Chinese message, with
// the version conflict worded the way users expect.
export function errorText(e) {
  if (!e) return '操作失败'
  if (e.code === 'version_conflict') return '该记录已被他人修改，请刷新后重试'
  return e.message || '操作失败'
}
