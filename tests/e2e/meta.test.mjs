// Browser tests of what the forms take from GET /api/v1/_meta: a field's limit is the
// server's (one character past it is refused with a message, on the field), required
// fields carry the red * from the moment the form opens (those required under a condition
// once it holds), write buttons and menu entries
// follow may.*, filters keep their label once a value is chosen, and a duplicate is said
// on the field that clashes. Screenshots go to RONGHE_SCREENSHOT_DIR.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, login, go, choose, noErrors, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

const metaOf = (page) => page.evaluate(() => fetch('/api/v1/_meta', { credentials: 'same-origin' }).then((r) => r.json()))
const field = (m, c, f) => m.collections.find((x) => x.name === c).fields.find((x) => x.name === f)

// Whether the form item's label shows Element Plus's red asterisk.
const starred = (item) =>
  item.evaluate((el) => {
    const label = el.querySelector('.el-form-item__label')
    const before = label && getComputedStyle(label, '::before')
    return !!before && before.content.includes('*') && before.color !== 'rgba(0, 0, 0, 0)'
  })

test('a branch form: required stars on open, the server’s limits with their message, a duplicate on its field', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const m = await metaOf(page)
  await go(page, '/manage/branches')
  await page.locator('[data-test=branches-table] .el-table__row').first().waitFor()
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()

  // every field the server requires is starred before anything is pressed; others not
  const fields = m.collections.find((c) => c.name === 'branches').fields.filter((f) => f.write)
  for (const f of fields) {
    const item = dialog.locator(`[data-test=field-${f.name}]`)
    if (!(await item.count())) continue
    assert.equal(await starred(item), f.required, `${f.name}: starred exactly when required`)
  }
  assert.ok(await starred(dialog.locator('[data-test=field-name]')))
  assert.equal(await dialog.locator('.el-form-item__error').count(), 0, 'no error before anything is typed')
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-required-stars.png') })

  // the name: max_len characters are fine, one more is refused with the server's number
  const max = field(m, 'branches', 'name').max_len
  assert.equal(max, 60)
  const name = dialog.locator('[data-test=field-name] input')
  await name.fill('测'.repeat(max))
  await name.blur()
  await page.waitForTimeout(200)
  assert.equal(await dialog.locator('[data-test=field-name] .el-form-item__error').count(), 0)
  await name.fill('测'.repeat(max + 1))
  await name.blur()
  const err = dialog.locator('[data-test=field-name] .el-form-item__error')
  await err.waitFor()
  assert.match(await err.innerText(), new RegExp('不能超过 ' + max + ' 个字'))
  assert.equal([...(await name.inputValue())].length, max + 1, 'nothing is cut off silently')

  // a long text shows its count against the server's limit
  const desc = field(m, 'branches', 'description').max_len
  await dialog.locator('[data-test=field-description] textarea').fill('简'.repeat(desc + 1))
  await dialog.locator('[data-test=field-description] textarea').blur()
  assert.equal(await dialog.locator('[data-test=count-description]').innerText(), `${desc + 1} / ${desc}`)
  await dialog.locator('[data-test=field-description] .el-form-item__error').waitFor()
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-limits.png') })
  await dialog.locator('[data-test=field-description] textarea').fill('')

  // a name that is taken in that procuratorate: the server's 409 is shown on the name
  const existing = await page.evaluate(() => fetch('/api/v1/branches?per_page=1&sort=id').then((r) => r.json()).then((j) => j.items[0]))
  await choose(page, dialog.locator('[data-test=input-procuratorate_id]'), existing.procuratorate_name, existing.procuratorate_name)
  await name.fill(existing.name)
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/branches$/.test(r.url()))
  await page.locator('[data-test=save-button]').click()
  const res = await answer
  assert.equal(res.status(), 409)
  assert.equal((await res.json()).error.field, 'name')
  await page.waitForFunction(() => {
    const e = document.querySelector('.el-dialog [data-test=field-name] .el-form-item__error')
    return e && /重复/.test(e.textContent)
  })
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-duplicate.png') })
  assert.ok(await dialog.isVisible(), 'the form stays open with what was typed')
  noErrors(page)
  await page.context().close()
})

test('a star under a condition: 上级检察院 once 基层院 is chosen, 所属党组织 once 支部书记, a password on create only', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const m = await metaOf(page)
  assert.deepEqual(field(m, 'procuratorates', 'parent_id').required_if, { field: 'level', value: 2 })
  assert.deepEqual(field(m, 'users', 'branch_id').required_if, { field: 'role', value: 'secretary' })
  const dialog = page.locator('.el-dialog:visible')

  await go(page, '/manage/procuratorates')
  await page.locator('[data-test=procuratorates-table] .el-table__row').first().waitFor()
  await page.locator('[data-test=add-button]').click()
  await dialog.waitFor()
  const parent = dialog.locator('[data-test=field-parent_id]')
  await choose(page, dialog.locator('[data-test=input-level]'), '市院')
  assert.equal(await parent.count(), 0, 'a 市院 has no 上级检察院 to choose')
  await choose(page, dialog.locator('[data-test=input-level]'), '基层院')
  await parent.waitFor()
  assert.ok(await starred(parent), '基层院: 上级检察院 starred')
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-required-if-parent.png') })
  // saved without it: refused in the form, on the field, before the server is asked
  let posted = false
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/v1\/procuratorates$/.test(r.url())) posted = true
  })
  await dialog.locator('[data-test=field-name] input').fill('条件必填院')
  await dialog.locator('[data-test=field-short_name] input').fill('条件')
  await page.locator('[data-test=save-button]').click()
  await parent.locator('.el-form-item__error').waitFor()
  assert.match(await parent.locator('.el-form-item__error').innerText(), /上级检察院/)
  assert.equal(posted, false, 'nothing was sent')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })

  await go(page, '/manage/users')
  await page.locator('[data-test=users-table] .el-table__row').first().waitFor()
  await page.locator('[data-test=add-button]').click()
  await dialog.waitFor()
  const branch = dialog.locator('[data-test=field-branch_id]')
  assert.ok(await starred(dialog.locator('[data-test=field-password]')), 'a new user: password starred')
  await choose(page, dialog.locator('[data-test=input-role]'), '党组领导')
  assert.equal(await starred(branch), false, 'a viewer: 所属党组织 not starred')
  await choose(page, dialog.locator('[data-test=input-role]'), '支部书记')
  await page.waitForFunction(() => {
    const l = document.querySelector('.el-dialog [data-test=field-branch_id]')
    return l && l.classList.contains('is-required')
  })
  assert.ok(await starred(branch), '支部书记: 所属党组织 starred')
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-required-if-branch.png') })
  await dialog.locator('button', { hasText: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })
  // editing a user: the password may stay empty
  await page.locator('[data-test=edit-button]').first().click()
  await dialog.waitFor()
  assert.equal(await starred(dialog.locator('[data-test=field-password]')), false, 'editing: password not starred')
  noErrors(page)
  await page.context().close()
})

test('a filter keeps its label once a value is chosen', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/manage/branches')
  await page.locator('[data-test=branches-table] .el-table__row').first().waitFor()
  const item = page.locator('[data-test=filter-item-kind]')
  assert.match(await item.innerText(), /类别/)
  await choose(page, item.locator('[data-test=filter-kind]'), '党总支')
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-test=filter-kind]')
    return s && /党总支/.test(s.textContent)
  })
  const label = item.locator('.filter-label')
  assert.ok(await label.isVisible())
  assert.equal(await label.innerText(), '类别')
  // the procuratorate filter too
  const proc = page.locator('[data-test=filter-item-procuratorate_id]')
  const procs = await page.evaluate(() => fetch('/api/v1/procuratorates?per_page=1&sort=sort').then((r) => r.json()))
  await choose(page, proc.locator('[data-test=filter-procuratorate_id]'), procs.items[0].name, procs.items[0].name)
  assert.ok(await proc.locator('.filter-label', { hasText: '检察院' }).isVisible())
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-filter-labels.png') })
  // on a phone the labelled filters wrap, each label still beside its control
  await page.setViewportSize({ width: 390, height: 844 })
  await page.waitForTimeout(300)
  for (const f of [item, proc]) {
    const box = await f.boundingBox()
    const panel = await page.locator('.crud').boundingBox()
    assert.ok(box && box.x + box.width <= panel.x + panel.width + 1, 'a labelled filter stays inside its panel: ' + JSON.stringify({ box, panel }))
  }
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-filter-labels-phone.png'), fullPage: true })
  noErrors(page)
  await page.context().close()
})

test('a viewer is offered no 新增 anywhere; a secretary sees no menu entry it may not open', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  for (const c of ['branches', 'brands', 'honours', 'users']) {
    await go(page, '/manage/' + c)
    await page.locator(`[data-test=${c}-table] .el-table__row`).first().waitFor()
    assert.equal(await page.locator('[data-test=add-button]').count(), 0, c + ': no 新增')
    assert.equal(await page.locator('[data-test=edit-button]').count(), 0, c + ': no 编辑')
  }
  await page.screenshot({ path: path.join(SHOT_DIR, 'meta-viewer-no-add.png') })
  await page.context().close()

  const sec = await newPage(browser)
  await login(sec, 'hlgl-sec')
  const m = await metaOf(sec)
  const may = (c) => m.collections.find((x) => x.name === c).may
  assert.equal(may('users').read, false)
  const menu = await sec.locator('.aside .menu').first().innerText()
  assert.doesNotMatch(menu, /用户|审计日志/)
  assert.match(menu, /党员/)
  // its own exports and imports run as jobs it may watch (READ_OWN)
  assert.match(menu, /后台任务/)
  // where it may create (its branch's members) 新增 is there; where not (branches), not
  await go(sec, '/manage/branches')
  await sec.locator('[data-test=branches-table] .el-table__row').first().waitFor()
  assert.equal(await sec.locator('[data-test=add-button]').count(), 0)
  await go(sec, '/members')
  await sec.locator('[data-test=members-table] .el-table__row').first().waitFor()
  assert.equal(await sec.locator('[data-test=add-button]').count(), 1)
  await sec.screenshot({ path: path.join(SHOT_DIR, 'meta-secretary-menu.png') })
  noErrors(sec)
  await sec.context().close()
})
