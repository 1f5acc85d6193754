// Browser tests of the web interface against `ronghe serve` on the demo database.
// Run: RONGHE_URL=http://127.0.0.1:8090 RONGHE_PASSWORD=... node --test tests/e2e/
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import { launch, newPage, login, go, choose, rowNames, noErrors, BASE, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

const ARTICLE_BRANDS = ['通心聚力', '检心向党 刑动先锋', '民益先枫', '霍检青锋', '精心益检', '萨日朗']

test('admin signs in and, under 组织架构, sees the org tree with the city and its 8 county procuratorates', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/org')
  const tree = page.locator('[data-test=org-tree]')
  await tree.waitFor()
  const procs = tree.locator('[data-test=org-node-proc]')
  await procs.nth(8).waitFor()
  assert.equal(await procs.count(), 9)
  const names = await procs.allInnerTexts()
  for (const n of ['通辽市人民检察院', '科尔沁区人民检察院', '霍林郭勒市人民检察院', '扎鲁特旗人民检察院']) {
    assert.ok(names.some((t) => t.includes(n)), n + ' is in the tree: ' + names.join(' | '))
  }
  // the city's branches are shown with member counts
  const branch = tree.locator('[data-test=org-node-branch]').first()
  assert.match(await branch.innerText(), /\d+ 名党员/)
  const user = await page.locator('[data-test=current-user]').innerText()
  assert.match(user, /管理员/)
  assert.match(user, /退出/)
  noErrors(page)
  await page.context().close()
})

test('clicking a branch in the org tree opens its page with brands and methods', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/org')
  const tree = page.locator('[data-test=org-tree]')
  await tree.locator('[data-test=org-node-branch]', { hasText: '第一党支部' }).first().click()
  await page.waitForURL(/#\/branches\/\d+/)
  await page.locator('[data-test=branch-header]').waitFor()
  assert.match(await page.locator('[data-test=branch-header]').innerText(), /第一党支部/)
  await page.locator('[data-test=brand-tree]').waitFor()
  assert.match(await page.locator('[data-test=brand-tree]').innerText(), /通心聚力/)
  assert.ok((await page.locator('[data-test=method-card]').count()) > 0, 'the branch shows its work methods')
  await page.locator('[data-test=branch-members] .el-table__row').first().waitFor()
  // the record's audit history opens in a drawer
  await page.locator('[data-test=branch-history]').click()
  await page.locator('[data-test=history-entry]').first().waitFor()
  assert.match(await page.locator('[data-test=history-entry]').first().innerText(), /新增|修改/)
  noErrors(page)
  await page.context().close()
})

test('the brand wall shows the six brands of the showcase, one card each', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/brand-wall')
  const cards = page.locator('[data-test=brand-card]')
  await cards.nth(5).waitFor()
  const names = (await page.locator('[data-test=brand-card] [data-test=brand-name]').allInnerTexts()).map((t) => t.replace(/[“”"]/g, '').trim())
  for (const b of ARTICLE_BRANDS) assert.ok(names.includes(b), '"' + b + '" has a card; cards: ' + names.join(' | '))
  // a brand's card names its owner, and its Mongolian name (where it has one) is vertical
  const first = cards.filter({ hasText: '通心聚力' }).first()
  assert.match(await first.innerText(), /第一党支部/)
  const mn = page.locator('[data-test=brand-name-mn]')
  if ((await mn.count()) > 0) {
    assert.equal(await mn.first().evaluate((e) => getComputedStyle(e).writingMode), 'vertical-lr')
  }
  // the article's brands are facts, not marked 示例; generated brands are
  for (const b of ARTICLE_BRANDS) {
    const head = cards.filter({ hasText: b }).first().locator('[data-test=brand-card-head]')
    assert.equal(await head.locator('[data-test=sample-tag]').count(), 0, b + ' is not marked 示例')
  }
  const heads = page.locator('[data-test=brand-card-head]')
  const marked = await heads.filter({ has: page.locator('[data-test=sample-tag]') }).count()
  assert.ok(marked < (await heads.count()), 'not every brand is marked 示例')
  await page.evaluate(() => document.fonts && document.fonts.ready)
  fs.mkdirSync(SHOT_DIR, { recursive: true })
  const file = path.join(SHOT_DIR, 'brand-wall.png')
  await page.screenshot({ path: file, fullPage: true })
  assert.ok(fs.statSync(file).size > 10000, 'screenshot written to ' + file)
  noErrors(page)
  await page.context().close()
})

test('searching members by a two-character name finds them', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/members')
  const table = page.locator('[data-test=members-table]')
  await table.locator('.el-table__row').first().waitFor()
  const totalText = () => page.locator('.el-pagination__total').first().innerText()
  const totalBefore = Number((await totalText()).replace(/\D/g, ''))
  // take a two-character name from the list itself, so the test follows the demo data
  const names = await rowNames(table)
  const name = names.map((n) => n.trim()).find((n) => [...n].length === 2)
  assert.ok(name, 'a two-character name is on the first page: ' + names.join(' '))
  await page.locator('[data-test=member-search]').fill(name)
  await page.waitForFunction(
    ({ before }) => {
      const t = document.querySelector('.el-pagination__total')
      return t && Number(t.textContent.replace(/\D/g, '')) < before
    },
    { before: totalBefore },
  )
  const found = await rowNames(table)
  assert.ok(found.length >= 1, 'at least one member found')
  assert.ok(found.some((n) => n.trim() === name), name + ' is among the results: ' + found.join(' '))
  assert.ok(found.every((n) => n.includes(name)), 'every result has the name: ' + found.join(' '))
  noErrors(page)
  await page.context().close()
})

test('an admin adds a member through the form, sees it in the table, and edits it', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/members')
  const table = page.locator('[data-test=members-table]')
  await table.locator('.el-table__row').first().waitFor()

  const name = '测试' + String(Date.now()).slice(-6)
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()

  // validation as one types: the name is required
  await page.locator('[data-test=save-button]').click()
  await dialog.locator('[data-test=field-name] .el-form-item__error').waitFor()
  assert.match(await dialog.locator('[data-test=field-name] .el-form-item__error').innerText(), /请输入姓名/)

  await choose(page, dialog.locator('[data-test=input-branch_id]'), '第一党支部', '第一党支部')
  await dialog.locator('[data-test=field-name] input').fill(name)
  await dialog.locator('[data-test=input-gender] .el-radio', { hasText: '女' }).click()
  const birth = dialog.locator('[data-test=field-birth_date] input')
  await birth.fill('1990-05-01')
  await birth.press('Enter')
  // joining the party before eighteen is refused by the server, and said on that field
  const joined = dialog.locator('[data-test=field-joined_party] input')
  await joined.fill('2005-07-01')
  await joined.press('Enter')
  await dialog.locator('[data-test=field-position] input').fill('检察官')
  await page.locator('[data-test=save-button]').click()
  const joinedError = dialog.locator('[data-test=field-joined_party] .el-form-item__error')
  await joinedError.waitFor()
  assert.match(await joinedError.innerText(), /18/)
  await joined.fill('2015-07-01')
  await joined.press('Enter')
  await joinedError.waitFor({ state: 'detached' })
  await page.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })

  await page.locator('[data-test=member-search]').fill(name)
  const row = table.locator('.el-table__row', { hasText: name })
  await row.first().waitFor()
  assert.equal(await row.count(), 1)
  const text = await row.first().innerText()
  assert.match(text, /女/)
  assert.match(text, /检察官/)
  assert.match(text, /第一党支部/)

  // edit: the change is saved with the record's version and shows in the table
  await row.first().locator('[data-test=edit-button]').click()
  await dialog.waitFor()
  assert.equal(await dialog.locator('[data-test=field-name] input').inputValue(), name)
  await dialog.locator('[data-test=field-position] input').fill('检察官助理')
  await page.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })
  await table.locator('.el-table__row', { hasText: '检察官助理' }).filter({ hasText: name }).first().waitFor()

  // its history shows the creation and the change
  await row.first().locator('[data-test=history-button]').click()
  const entries = page.locator('[data-test=history-entry]')
  await entries.nth(1).waitFor()
  const all = (await entries.allInnerTexts()).join('\n')
  assert.match(all, /修改/)
  assert.match(all, /检察官助理/)
  noErrors(page)
  await page.context().close()
})

test('a viewer sees the members but no 新增, 编辑 or 删除 buttons', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  await go(page, '/members')
  const table = page.locator('[data-test=members-table]')
  await table.locator('.el-table__row').first().waitFor()
  assert.ok((await table.locator('.el-table__row').count()) > 0)
  assert.equal(await page.locator('[data-test=add-button]').count(), 0)
  assert.equal(await page.locator('[data-test=edit-button]').count(), 0)
  assert.equal(await page.locator('[data-test=delete-button]').count(), 0)
  assert.equal(await page.getByRole('button', { name: '新增' }).count(), 0)
  // leadership reads the audit log, with no way to change anything there either
  await page.locator('.el-menu-item', { hasText: '审计日志' }).click()
  await page.locator('.el-table__row').first().waitFor()
  assert.equal(await page.locator('[data-test=add-button]').count(), 0)
  // 退出 ends the session: the login page comes back and the API answers 401
  await page.locator('[data-test=logout]').click()
  await page.locator('[data-test=login-submit]').waitFor()
  const status = await page.evaluate(() => fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => r.status))
  assert.equal(status, 401)
  noErrors(page)
  await page.context().close()
})

test('saving over someone else’s change is refused with the version-conflict message', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  // a member of our own, made through the API with this session
  const name = '冲突' + String(Date.now()).slice(-6)
  const created = await page.evaluate(async (n) => {
    const me = await fetch('/api/v1/me').then((r) => r.json())
    const b = await fetch('/api/v1/branches?per_page=1').then((r) => r.json())
    const r = await fetch('/api/v1/members', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ branch_id: b.items[0].id, name: n, position: '书记员' }),
    })
    return { status: r.status, body: await r.json(), csrf: me.csrf_token }
  }, name)
  assert.equal(created.status, 201, JSON.stringify(created.body))

  await go(page, '/members')
  await page.locator('[data-test=member-search]').fill(name)
  const table = page.locator('[data-test=members-table]')
  const row = table.locator('.el-table__row', { hasText: name })
  await row.first().waitFor()
  await row.first().locator('[data-test=edit-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()

  // meanwhile someone else saves the record
  const other = await page.evaluate(async ({ id, version, csrf }) => {
    const r = await fetch('/api/v1/members/' + id, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ version, position: '检察官' }),
    })
    return r.status
  }, { id: created.body.id, version: created.body.version, csrf: created.csrf })
  assert.equal(other, 200)

  await dialog.locator('[data-test=field-position] input').fill('副主任')
  await page.locator('[data-test=save-button]').click()
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  assert.match(await box.innerText(), /该记录已被他人修改，请刷新后重试/)
  // 刷新 loads the current version into the form; nothing of ours was saved
  await box.getByRole('button', { name: '刷新' }).click()
  await page.waitForFunction(() => {
    const i = document.querySelector('.el-dialog [data-test=field-position] input')
    return i && i.value === '检察官'
  })
  const saved = await page.evaluate((id) => fetch('/api/v1/members/' + id).then((r) => r.json()), created.body.id)
  assert.equal(saved.position, '检察官')
  assert.equal(saved.version, created.body.version + 1)
  noErrors(page)
  await page.context().close()
})

test('a branch secretary is offered 新增 on its own branch’s page, not on another’s', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  const me = await page.evaluate(() => fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => r.json()))
  const others = await page.evaluate(() => fetch('/api/v1/branches?per_page=50', { credentials: 'same-origin' }).then((r) => r.json()))
  const other = others.items.find((b) => b.id !== me.branch_id)
  await go(page, `/branches/${me.branch_id}`)
  await page.locator('[data-test=branch-members] .el-table__row').first().waitFor()
  const addIn = (t) => page.locator(`.crud:has([data-test=${t}]) > .toolbar [data-test=add-button]`)
  assert.equal(await addIn('branch-honours').count(), 1, '新增 for the branch’s honours')
  assert.equal(await addIn('branch-members').count(), 1, '新增 for the branch’s members')
  assert.equal(await addIn('branch-sync-pairs').count(), 1, '新增 for the branch’s 四同步 (joint.c)')
  assert.equal(await addIn('branch-activities').count(), 1, '新增 for the branch’s meetings (组织生活)')
  await go(page, `/branches/${other.id}`)
  await page.getByText(other.name).first().waitFor()
  await page.locator('[data-test=branch-honours]').first().waitFor()
  if (other.procuratorate_id !== me.procuratorate_id)
    await page.locator('[data-test=members-out-of-scope]').waitFor() // says why no members are listed
  await page.waitForTimeout(500)
  assert.equal(await page.locator('[data-test=add-button]').count(), 0)
  noErrors(page)
  await page.context().close()
})

test('a wrong password shows the server’s Chinese error and stays on the login page', async () => {
  const page = await newPage(browser)
  await page.goto(BASE + '/')
  await page.locator('[data-test=login-username]').fill('viewer')
  await page.locator('[data-test=login-password]').fill('not-the-password-1')
  await page.locator('[data-test=login-submit]').click()
  const err = page.locator('[data-test=login-error]')
  await err.waitFor()
  const text = await err.innerText()
  assert.match(text, /[\u4e00-\u9fff]/, 'the message is Chinese: ' + text)
  assert.match(text, /密码|用户名|登录/)
  assert.match(page.url(), /#\/login/)
  assert.equal(await page.locator('[data-test=current-user]').count(), 0)
  noErrors(page)
  await page.context().close()
})
