// metaLabels: field and collection labels as the server describes them (GET /api/v1/_meta,
// docs/api.md), loaded once per sign-in. The audit pages read every label from here, so a
// field's name reads the same in its form, its error messages and its history.
// The names mirror what web/src/api.js offers once helper "meta"'s work is in (meta,
// loadMeta, collectionMeta, fieldMeta): this file then becomes a re-export of those.
import { reactive } from 'vue'
import { api } from './api.js'

export const meta = reactive({ loaded: false, collections: {} })
let pending = null

export function loadMeta() {
  if (meta.loaded) return Promise.resolve(meta)
  if (!pending) {
    pending = api
      .get('/_meta')
      .then((m) => {
        const byName = {}
        for (const c of (m && m.collections) || []) {
          c.field = Object.fromEntries((c.fields || []).map((f) => [f.name, f]))
          byName[c.name] = c
        }
        meta.collections = byName
        meta.loaded = true
        return meta
      })
      .finally(() => {
        pending = null
      })
  }
  return pending
}

export const collectionMeta = (collection) => meta.collections[collection] || null
export const fieldMeta = (collection, name) => {
  const c = meta.collections[collection]
  return (c && c.field[name]) || null
}
