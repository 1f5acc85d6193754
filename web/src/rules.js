// rules: a form field or filter of collections.js joined with what the server says of that
// column (GET /api/v1/_meta, see api.js): its label, whether it is required, its length
// limit, integer bounds, allowed values and whether a date may lie after today. The form
// checks what the server will check, with the server's numbers; the server checks again.
import { fieldMeta } from './api.js'
import { labelOf } from './labels.js'

// Today in China (UTC+8), as the server counts it.
export function todayCN() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

// YYYY-MM-DD naming a day that exists (no 1990-13-45, no 1990-02-30).
export function validDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const [y, m, d] = s.split('-').map(Number)
  const dt = new Date(Date.UTC(y, m - 1, d))
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
}

const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)

// Whether a form must have the field the server describes as "m", for CrudTable: true or
// false, or, for a field the server requires only in some cases, a function of the form
// and its mode ('create' or 'edit') saying whether it must now: "required": "create" (a new
// user's password), "required_if": {field, value} (a 基层检察院's 上级检察院: level 2).
export function requiredBy(m) {
  if (m.required === 'create') return (form, mode) => mode === 'create'
  if (m.required_if) {
    const { field, value } = m.required_if
    return (form) => form[field] === value
  }
  return !!m.required
}

// The spec "f" (of a form field or a filter of "collection") with the server's description
// of its column: "label" unless the spec shows its own, "required" (requiredBy) unless the
// form decides it (true where the form's own logic asks for the field), "maxlength", "min", "max",
// "options" (the allowed values, labelled by the spec's options from labels.js) and
// "future". A virtual field, or one the server does not describe, is returned as it is.
export function withMeta(collection, f) {
  const m = f.virtual ? null : fieldMeta(collection, f.prop)
  if (!m) return f
  const out = { ...f, meta: m, label: f.label || m.label, future: !!m.future }
  if (out.required === undefined) out.required = requiredBy(m)
  if (m.max_len) out.maxlength = m.max_len
  if ('min' in m) {
    out.min = m.min
    out.max = m.max
  }
  const labels = f.options || []
  if (m.values) out.options = m.values.map((v) => ({ value: v, label: labelOf(labels, v) }))
  else if (m.kind === 'int' && 'min' in m && f.options && m.max - m.min < 100) out.options = range(m.min, m.max).map((v) => ({ value: v, label: labelOf(labels, v) }))
  return out
}

const charLen = (s) => [...String(s)].length

// What is wrong with the non-empty value "v" of field "f" (as withMeta gave it), as the
// server would say it; '' when nothing is.
export function problem(f, v) {
  const m = f.meta
  if (!m) return ''
  if (m.kind === 'date') {
    if (!validDate(String(v))) return f.label + '不是有效日期（格式 YYYY-MM-DD）'
    if (!f.future && String(v) > todayCN()) return f.label + '不能晚于今天'
  }
  if (f.maxlength && typeof v === 'string' && charLen(v) > f.maxlength) return f.label + '不能超过 ' + f.maxlength + ' 个字'
  if (m.kind === 'int' && typeof v === 'number') {
    if (!Number.isInteger(v)) return f.label + '应为整数'
    if ('min' in m && (v < m.min || v > m.max)) return f.label + '应在 ' + m.min + ' 到 ' + m.max + ' 之间'
  }
  if (m.values && !m.values.includes(v)) return f.label + '的取值“' + v + '”无效'
  return ''
}
