// Browser tests of what users found (issue 6): the audit log and a record's history read
// as people read them, users disabled instead of deleted, one's own password, the 403
// page, method element counts shown once, and a new member starting from the filters.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { launch, newPage, login, go, choose, noErrors, BASE, PASSWORD, SHOT_DIR } from './helpers.mjs'

let browser, admin
const rand = () => randomBytes(3).toString('hex')

async function call(method, p, body, s) {
  const headers = { 'Content-Type': 'application/json' }
  if (s) Object.assign(headers, { Cookie: s.cookie, 'X-CSRF-Token': s.csrf })
  const r = await fetch(BASE + '/api/v1' + p, { method, headers, body: body && JSON.stringify(body) })
  return { status: r.status, json: await r.json().catch(() => null), headers: r.headers }
}
async function signIn(username, password = PASSWORD) {
  const l = await call('POST', '/session', { username, password })
  assert.equal(l.status, 200, JSON.stringify(l.json))
  return { cookie: /^(ronghe_session=[^;]*)/.exec(l.headers.getSetCookie()[0])[1], csrf: l.json.csrf_token }
}
async function newAccount(role = 'viewer') {
  const username = 'e2e-ux-' + rand()
  const password = 'E2e-' + rand() + '-pw7'
  const u = await call('POST', '/users', { username, display_name: '界面测试' + rand().slice(0, 2), password, role, procuratorate_id: 1 }, admin)
  assert.equal(u.status, 201, JSON.stringify(u.json))
  return { ...u.json, password }
}
const shot = (page, name) => page.screenshot({ path: path.join(SHOT_DIR, name), fullPage: true })

before(async () => {
  browser = await launch()
  admin = await signIn('admin')
})
after(async () => {
  if (browser) await browser.close()
})

test('the audit log: Chinese labels, names instead of ids, before → after, the demo as the demo, filters', async () => {
  // a member moved from one branch to another, through the API, by admin
  const branches = (await call('GET', '/branches?procuratorate_id=1&per_page=50', null, admin)).json.items
  const [from, to] = branches
  const m = (await call('POST', '/members', { branch_id: from.id, name: '审计界面' + rand().slice(0, 3) }, admin)).json
  const moved = await call('PATCH', '/members/' + m.id, { version: m.version, branch_id: to.id, position: '检察官' }, admin)
  assert.equal(moved.status, 200, JSON.stringify(moved.json))

  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/audit')
  const table = page.locator('[data-test=audit-table]')
  await table.locator('.el-table__row').first().waitFor()
  // the demo's entries read as the demo
  await choose(page, page.locator('[data-test=audit-actor]'), '示例数据（系统生成）')
  await table.locator('[data-test=audit-actor-name]', { hasText: '示例数据（系统生成）' }).first().waitFor()
  const actors = await table.locator('[data-test=audit-actor-name]').allInnerTexts()
  assert.ok(actors.length > 0 && actors.every((a) => a === '示例数据（系统生成）'), actors.join())
  await page.locator('[data-test=audit-actor] .el-select__clear, [data-test=audit-actor] .el-icon').first().hover()
  await page.locator('[data-test=audit-actor] .el-select__clear').click()

  // kind of record: 党员; person: admin; today as the date range
  await choose(page, page.locator('[data-test=audit-entity]'), '党员', '党员')
  await choose(page, page.locator('[data-test=audit-actor]'), '（admin）')
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  const range = page.locator('[data-test=audit-range]')
  await page.locator('.el-range-input').first().fill(today)
  await page.locator('.el-range-input').nth(1).fill(today)
  await page.locator('.el-range-input').nth(1).press('Enter')
  const row = table.locator('.el-table__row', { hasText: m.name }).filter({ hasText: '修改' }).first()
  await row.waitFor()
  const text = await row.innerText()
  assert.match(text, /支部/, 'the field reads by its Chinese label')
  assert.ok(text.includes(from.name) && text.includes(to.name), 'both branches by name: ' + text)
  assert.ok(!/branch_id|position|\b\d+\s*→/.test(text), 'no field names or bare ids: ' + text)
  assert.match(text, /职务/)
  assert.equal(await row.locator('[data-test=change-old]').count(), 2, 'only the two changed fields')
  assert.match(await row.locator('[data-test=change-old]').first().evaluate((e) => getComputedStyle(e).textDecorationLine), /line-through/)
  assert.ok(!(await row.innerText()).includes('示例数据'), 'a person’s entry names the person')
  assert.ok(range)
  await shot(page, 'audit-log.png')

  // a phone-sized look at the same page
  await page.setViewportSize({ width: 390, height: 844 })
  const card = page.locator('[data-test=audit-card]', { hasText: m.name }).filter({ hasText: '修改' }).first()
  await card.waitFor()
  assert.equal(await card.locator('[data-test=change-old]').count(), 2, 'the phone’s card shows the same two changes')
  assert.ok((await card.boundingBox()).width <= 390, 'a card fits the phone')
  await shot(page, 'audit-log-phone.png')
  noErrors(page)
  await page.context().close()
})

test('a record’s history: labels, names, only what changed', async () => {
  const branches = (await call('GET', '/branches?procuratorate_id=1&per_page=50', null, admin)).json.items
  const m = (await call('POST', '/members', { branch_id: branches[0].id, name: '历史界面' + rand().slice(0, 3), gender: '女' }, admin)).json
  await call('PATCH', '/members/' + m.id, { version: m.version, branch_id: branches[1].id }, admin)

  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/members')
  await page.locator('[data-test=member-search]').fill(m.name)
  const table = page.locator('[data-test=members-table]')
  await table.locator('.el-table__row', { hasText: m.name }).first().waitFor()
  await table.locator('.el-table__fixed-right [data-test=history-button], [data-test=history-button]').first().click()
  const drawer = page.locator('[data-test=history-drawer]')
  const entries = drawer.locator('[data-test=history-entry]')
  await entries.nth(1).waitFor()
  const update = await entries.first().innerText()
  assert.match(update, /修改/)
  assert.ok(update.includes(branches[0].name) && update.includes(branches[1].name), update)
  assert.equal(await entries.first().locator('[data-test=audit-change]').count(), 1, 'one field changed: ' + update)
  const created = await entries.nth(1).innerText()
  assert.match(created, /姓名/)
  assert.match(created, /性别/)
  assert.ok(!/gender|branch_id|procuratorate_id/.test(created), created)
  await shot(page, 'history-drawer.png')
  noErrors(page)
  await page.context().close()
})

test('users: 停用/启用 for those who have signed in, 删除 for those who never did; 党组领导（只读）', async () => {
  const used = await newAccount()
  await signIn(used.username, used.password)
  const fresh = await newAccount()
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/manage/users')
  const search = page.locator('[data-test=users-search]')
  await search.fill('e2e-ux-')
  const table = page.locator('[data-test=users-table]')
  const usedRow = table.locator('.el-table__fixed-right .el-table__row, .el-table__body-wrapper .el-table__row').filter({ hasText: used.username }).first()
  await usedRow.waitFor()
  assert.match(await usedRow.innerText(), /党组领导（只读）/)
  const rowOf = (u) => table.locator('.el-table__row', { hasText: u.username }).first()
  assert.equal(await rowOf(used).locator('[data-test=delete-button]').count(), 0, 'no 删除 for a user who signed in')
  assert.equal(await rowOf(used).locator('[data-test=disable-button]').innerText(), '停用')
  assert.equal(await rowOf(fresh).locator('[data-test=delete-button]').count(), 1, '删除 for one who never did')
  await shot(page, 'users-disable.png')
  await rowOf(used).locator('[data-test=disable-button]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click()
  await page.locator('.el-message', { hasText: '已停用' }).waitFor()
  await rowOf(used).locator('[data-test=disable-button]', { hasText: '启用' }).waitFor()
  assert.match(await rowOf(used).innerText(), /已停用/)
  assert.equal((await call('POST', '/session', { username: used.username, password: used.password })).status, 401)
  await rowOf(used).locator('[data-test=disable-button]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '启用' }).click()
  await page.locator('.el-message', { hasText: '已启用' }).waitFor()
  await rowOf(used).locator('[data-test=disable-button]', { hasText: '停用' }).waitFor()
  // the administrator's own row offers neither
  await search.fill('admin')
  const own = table.locator('.el-table__row').filter({ hasText: /^admin\b/ }).first()
  await table.locator('.el-table__row').first().waitFor()
  assert.equal(await own.locator('[data-test=disable-button], [data-test=delete-button]').count(), 0)
  noErrors(page)
  await page.context().close()
})

test('the viewer’s role reads 党组领导（只读） in the top bar', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  assert.match(await page.locator('[data-test=current-user]').innerText(), /党组领导（只读）/)
  noErrors(page)
  await page.context().close()
})

test('修改密码 from the user menu: the server’s rule on the field, a mismatch caught, then the new one signs in', async () => {
  const u = await newAccount()
  const page = await newPage(browser)
  await login(page, u.username, u.password)
  await page.locator('[data-test=user-menu]').click()
  await page.locator('[data-test=menu-password]').click()
  const dialog = page.locator('[data-test=password-dialog]')
  await dialog.locator('[data-test=input-current]').waitFor()
  // a wrong current password
  await dialog.locator('[data-test=input-current]').fill(u.password + 'x')
  await dialog.locator('[data-test=input-new]').fill('Fresh-' + rand() + '-9')
  await dialog.locator('[data-test=input-again]').fill(await dialog.locator('[data-test=input-new]').inputValue())
  await dialog.locator('[data-test=password-save]').click()
  await dialog.locator('[data-test=field-current] .el-form-item__error', { hasText: '当前密码不正确' }).waitFor()
  // the server's password rule, shown on the new password
  await dialog.locator('[data-test=input-current]').fill(u.password)
  await dialog.locator('[data-test=input-new]').fill('abcdefghij')
  await dialog.locator('[data-test=input-again]').fill('abcdefghij')
  await dialog.locator('[data-test=password-save]').click()
  const rule = dialog.locator('[data-test=field-new] .el-form-item__error')
  await rule.waitFor()
  assert.match(await rule.innerText(), /密码/)
  await shot(page, 'password-rule.png')
  // the two new ones differ
  await dialog.locator('[data-test=input-new]').fill('Fresh-' + rand() + '-9')
  await dialog.locator('[data-test=input-again]').fill('Other-' + rand() + '-9')
  await dialog.locator('[data-test=password-save]').click()
  await dialog.locator('[data-test=field-again] .el-form-item__error', { hasText: '两次输入的新密码不一致' }).waitFor()
  // and right
  const fresh = 'Fresh-' + rand() + '-9'
  await dialog.locator('[data-test=input-new]').fill(fresh)
  await dialog.locator('[data-test=input-again]').fill(fresh)
  await dialog.locator('[data-test=password-save]').click()
  await page.locator('.el-message', { hasText: '密码已修改' }).waitFor()
  await dialog.waitFor({ state: 'hidden' })
  // this page stays signed in; the new password signs in, the old does not
  assert.equal(await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status)), 200)
  assert.equal((await call('POST', '/session', { username: u.username, password: fresh })).status, 200)
  assert.equal((await call('POST', '/session', { username: u.username, password: u.password })).status, 401)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.locator('[data-test=user-menu]').click()
  await page.locator('[data-test=menu-password]').click()
  await dialog.locator('[data-test=input-current]').waitFor()
  await page.waitForTimeout(400) // the dialog's opening animation
  const box = await page.locator('.el-dialog', { has: page.locator('[data-test=input-current]') }).boundingBox()
  assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the dialog fits the phone: ' + JSON.stringify(box))
  await shot(page, 'password-dialog-phone.png')
  // the two refusals above were answered 400, as they should be
  page.errors = page.errors.filter((e) => !/status of 400/.test(e))
  noErrors(page)
  await page.context().close()
})

test('a page the user may not open says so, with a way home', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  await go(page, '/audit')
  const f = page.locator('[data-test=forbidden]')
  await f.waitFor()
  assert.match(await f.innerText(), /无权访问此页面/)
  assert.match(await f.innerText(), /审计日志/)
  assert.equal(await page.locator('[data-test=audit-table]').count(), 0)
  await shot(page, 'forbidden.png')
  await go(page, '/manage/users')
  await page.locator('[data-test=forbidden]', { hasText: '用户管理' }).waitFor()
  // home: a secretary's is their branch's page
  const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()))
  await page.locator('[data-test=forbidden-home]').click()
  await page.waitForURL(new RegExp('#/branches/' + me.branch_id + '$'))
  noErrors(page)
  await page.context().close()
})

test('a method element shows its count once: 一个中心, 0差评 — no ×1, ×0', async () => {
  const els = (await call('GET', '/method-elements?per_page=500', null, admin)).json.items
  const centre = els.find((e) => e.label === '一个中心')
  assert.ok(centre, 'the demo has 一个中心')
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/branches/' + centre.branch_id)
  const elements = page.locator('[data-test=method-element]')
  await elements.first().waitFor()
  const texts = (await elements.allInnerTexts()).map((t) => t.replace(/\s+/g, ''))
  assert.ok(texts.includes('一个中心'), texts.join('|'))
  assert.ok(texts.includes('0差评'), texts.join('|'))
  assert.ok(texts.every((t) => !/×/.test(t)), 'every label there says its own count: ' + texts.join('|'))
  await shot(page, 'method-elements.png')
  // the methods page: the same
  await go(page, '/manage/methods')
  const tags = page.locator('[data-test=methods-table] .elements .el-tag')
  await tags.first().waitFor()
  const all = (await tags.allInnerTexts()).map((t) => t.replace(/\s+/g, ''))
  assert.ok(all.includes('一个中心') && all.includes('0差评'), all.join('|'))
  // where the label does not say it, the count is shown, once
  assert.ok(all.includes('党小组品牌×2'), all.join('|'))
  for (const t of all) assert.ok((t.match(/×/g) || []).length <= 1 && !/^[0-9一二两三四五六七八九十].*×/.test(t), t)
  noErrors(page)
  await page.context().close()
})

test('新增 on the members page starts from the page’s filters', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/members')
  await page.locator('[data-test=members-table] .el-table__row').first().waitFor()
  await choose(page, page.locator('[data-test=filter-branch_id]'), '霍林郭勒市人民检察院', '霍林郭勒')
  await page.waitForTimeout(300)
  const chosen = await page.locator('[data-test=filter-branch_id]').innerText()
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('[data-test=record-dialog]')
  const branch = dialog.locator('[data-test=input-branch_id]')
  await branch.waitFor()
  const shown = await branch.innerText()
  assert.ok(shown.includes('霍林郭勒'), 'the dialog starts with the filtered branch: ' + shown)
  assert.equal(shown.trim(), chosen.trim())
  await shot(page, 'add-member-from-filter.png')
  noErrors(page)
  await page.context().close()
})
