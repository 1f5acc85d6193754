// lookups: the small reference collections (procuratorates, branches, departments, party
// groups, brands, methods) loaded whole, shared by every select, filter and column that
// turns an id into a name. Reloaded after a write to that collection.
import { reactive } from 'vue'
import { listAll, clearCache } from './api.js'

export const L = reactive({
  procuratorates: [],
  branches: [],
  departments: [],
  'party-groups': [],
  brands: [],
  methods: [],
  loaded: {},
})

const pending = {}

export function ensure(...names) {
  return Promise.all(
    names.map((n) => {
      if (L.loaded[n]) return Promise.resolve(L[n])
      if (!pending[n]) {
        pending[n] = listAll(n)
          .then((items) => {
            L[n] = items
            L.loaded[n] = true
            return items
          })
          .finally(() => {
            delete pending[n]
          })
      }
      return pending[n]
    }),
  )
}

export function refresh(name) {
  if (!(name in L)) return Promise.resolve()
  clearCache(name)
  L.loaded[name] = false
  return ensure(name)
}

export function byId(name, id) {
  if (id === null || id === undefined || id === '') return null
  const arr = L[name] || []
  for (const r of arr) if (r.id === id) return r
  return null
}

export function procName(id, short) {
  const p = byId('procuratorates', id)
  if (!p) return ''
  return short ? p.short_name || p.name : p.name
}

// Procuratorates in display order: the city first, then the counties by sort.
export function procOrder(id) {
  const p = byId('procuratorates', id)
  if (!p) return 1e9
  return (p.level === 1 ? 0 : 1e6) + (p.sort || 0) * 1000 + (p.id || 0)
}
