// Browser tests of 导入 / 下载模板 on the list pages (ImportDialog.vue) against `ronghe
// serve` on the demo database: an administrator imports a small CSV of members, sees the
// rejected rows of a bad file (nothing written) with the report to download, and the
// imported members in the list; a viewer is offered neither button.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import os from 'node:os'
import { launch, newPage, login, go, noErrors, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

function tmpFile(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ronghe-import-'))
  const p = path.join(dir, name)
  fs.writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))
  return p
}

test('an administrator imports members from a CSV: a bad file is refused row by row, a good one written', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/members')
  const tools = page.locator('[data-test=import-tools]')
  await tools.waitFor()
  // the template is a download of the collection's own
  assert.equal(await tools.locator('[data-test=import-template]').getAttribute('href'), '/api/v1/templates/members')
  const tpl = await page.evaluate(async () => {
    const r = await fetch('/api/v1/templates/members')
    return { status: r.status, type: r.headers.get('content-type') }
  })
  assert.equal(tpl.status, 200)
  assert.match(tpl.type, /spreadsheetml/)

  const branch = await page.evaluate(async () => (await (await fetch('/api/v1/branches?per_page=1')).json()).items[0].name)
  const tag = 'E2E' + Date.now().toString(36).slice(-4)
  // first a file with a bad row: nothing written, the row explained
  await page.locator('[data-test=import-open]').click()
  const dialog = page.locator('[data-test=import-dialog]')
  await dialog.waitFor()
  const bad = tmpFile('bad.csv', `姓名,所属党组织,出生日期\r\n${tag}甲,${branch},1980-03-01\r\n${tag}乙,不存在的支部,1981-01-01\r\n`)
  await dialog.locator('[data-test=import-file]').setInputFiles(bad)
  await page.screenshot({ path: path.join(SHOT_DIR, 'import-dialog.png') })
  await dialog.locator('[data-test=import-start]').click()
  await dialog.locator('[data-test=import-rejected]').waitFor()
  const errors = dialog.locator('[data-test=import-errors]')
  await errors.waitFor()
  const text = await errors.innerText()
  assert.match(text, /3/)
  assert.match(text, /所属党组织/)
  assert.match(text, /不存在的支部/)
  assert.equal(await dialog.locator('[data-test=import-report]').count(), 1, 'the report of the rejected rows')
  await page.screenshot({ path: path.join(SHOT_DIR, 'import-rejected.png') })
  const none = await page.evaluate(async (q) => (await (await fetch('/api/v1/members?q=' + encodeURIComponent(q))).json()).total, tag)
  assert.equal(none, 0, 'nothing written')

  // then the corrected file
  await dialog.locator('[data-test=import-again]').click()
  const good = tmpFile('good.csv', `姓名,所属党组织,出生日期\r\n${tag}甲,${branch},1980-03-01\r\n${tag}乙,${branch},1981-01-01\r\n`)
  await dialog.locator('[data-test=import-file]').setInputFiles(good)
  await dialog.locator('[data-test=import-start]').click()
  await dialog.locator('[data-test=import-done]', { hasText: '已导入 2 行' }).waitFor()
  await page.screenshot({ path: path.join(SHOT_DIR, 'import-done.png') })
  // closing the dialog shows the list with them
  const reloaded = page.waitForEvent('load')
  await dialog.locator('[data-test=import-close]').click()
  await reloaded
  await page.locator('[data-test=import-tools]').waitFor()
  const search = page.locator('input[data-test=member-search]')
  await search.fill(tag)
  await search.press('Enter')
  await page.locator('.el-table__body-wrapper', { hasText: tag + '乙' }).first().waitFor()
  await page.screenshot({ path: path.join(SHOT_DIR, 'import-list.png') })
  const two = await page.evaluate(async (q) => (await (await fetch('/api/v1/members?q=' + encodeURIComponent(q))).json()).total, tag)
  assert.equal(two, 2)
  // leave the demo as it was (other suites count its members)
  const left = await page.evaluate(async (q) => {
    const me = await (await fetch('/api/v1/me')).json()
    const items = (await (await fetch('/api/v1/members?q=' + encodeURIComponent(q))).json()).items
    for (const m of items)
      await fetch(`/api/v1/members/${m.id}?version=${m.version}`, { method: 'DELETE', headers: { 'X-CSRF-Token': me.csrf_token } })
    return (await (await fetch('/api/v1/members?q=' + encodeURIComponent(q))).json()).total
  }, tag)
  assert.equal(left, 0)
  noErrors(page)
})

test('a viewer sees no 导入 (the page of a collection it may not write)', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  await go(page, '/members')
  await page.locator('.page-title').waitFor()
  await page.locator('.el-table').first().waitFor()
  assert.equal(await page.locator('[data-test=import-tools]').count(), 0)
  noErrors(page)
})
