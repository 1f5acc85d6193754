// metaLabels: field and collection labels as the server describes them (GET /api/v1/_meta,
// docs/api.md), loaded once per sign-in. The audit pages read every label from here, so a
// field's name reads the same in its form, its error messages and its history.
import { reactive } from 'vue'
import { api } from './api.js'

export const META = reactive({ byName: {}, list: [], loaded: false })
let pending = null

export function loadMeta() {
  if (META.loaded) return Promise.resolve(META)
  if (!pending) {
    pending = api
      .get('/_meta')
      .then((m) => {
        const list = (m && m.collections) || []
        const byName = {}
        for (const c of list) byName[c.name] = { ...c, fields: Object.fromEntries((c.fields || []).map((f) => [f.name, f])) }
        META.byName = byName
        META.list = list
        META.loaded = true
        return META
      })
      .finally(() => {
        pending = null
      })
  }
  return pending
}

export const metaField = (collection, name) => (META.byName[collection] || {}).fields?.[name] || null
export const collectionLabel = (name) => (META.byName[name] || {}).label || ''
