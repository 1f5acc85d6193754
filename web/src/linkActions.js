// Adding and removing a generic link record (a project's activities, a method element's
// evidence: a row of `coll` that names its parent by `parentKey`) from a detail page:
// the write, the message, a confirmation before removing, and the page's reload after.
import { ElMessage, ElMessageBox } from 'element-plus'
import { createRecord, deleteRecord, errorText } from './api.js'

export function linkActions({ coll, parentKey, parentId, reload, saving, added, confirmRemove }) {
  async function add(link) {
    saving.value = true
    try {
      await createRecord(coll, { [parentKey]: parentId(), ...link })
      ElMessage.success(added)
      await reload()
    } catch (e) {
      ElMessage.error(errorText(e))
    } finally {
      saving.value = false
    }
  }
  async function remove(link) {
    try {
      await ElMessageBox.confirm(confirmRemove, '确认', { type: 'warning', confirmButtonText: '移除', cancelButtonText: '取消', confirmButtonClass: 'el-button--danger' })
    } catch (e) {
      return
    }
    try {
      await deleteRecord(coll, link.id, link.version)
      await reload()
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }
  return { add, remove }
}
