// Browser tests of 导出 on the list pages (issue 8): an administrator exports the members
// list as it is filtered and sorted on screen and gets the file in the browser; the
// viewer, who reads members, is offered no export of them but is of the branches.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { launch, newPage, login, go, choose, noErrors, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

const listResponse = (page, coll) =>
  page.waitForResponse((r) => r.request().method() === 'GET' && new RegExp(`/api/v1/${coll}\\?`).test(r.url()) && r.status() === 200)

test('an administrator exports the filtered, sorted members list to Excel and CSV from the page', async () => {
  const page = await newPage(browser, { acceptDownloads: true })
  await login(page, 'admin')
  await go(page, '/members')
  const table = page.locator('[data-test=members-table]')
  await table.waitFor()
  // filter: 工作语言 = 蒙汉双语; sort: 姓名 descending (the column's sort caret, twice)
  let loaded = listResponse(page, 'members')
  await choose(page, page.locator('[data-test=filter-languages]'), '蒙汉双语')
  await loaded
  loaded = listResponse(page, 'members')
  const nameHead = table.locator('.el-table__header th', { hasText: '姓名' })
  await nameHead.locator('.sort-caret.descending').click()
  const list = await (await loaded).json()
  assert.ok(list.total > 0)

  await page.locator('[data-test=export-button]').click()
  const download = page.waitForEvent('download')
  await page.locator('[data-test=export-xlsx]').click()
  const dialog = page.locator('[data-test=export-dialog]')
  await dialog.locator('[data-test=export-status]', { hasText: '完成' }).waitFor()
  const file = await download
  assert.match(file.suggestedFilename(), /^党员-\d{4}-\d{2}-\d{2}\.xlsx$/)
  const saved = path.join(SHOT_DIR, 'export-members.xlsx')
  await file.saveAs(saved)
  assert.match(await dialog.innerText(), new RegExp(`完成：${list.total} 条`))
  await page.screenshot({ path: path.join(SHOT_DIR, 'export-dialog.png') })

  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(saved)
  const ws = wb.worksheets[0]
  const header = ws.getRow(1).values.slice(1)
  // the columns the page shows, with its headers
  const shown = (await table.locator('.el-table__header th .cell').allInnerTexts()).map((t) => t.trim()).filter((t) => t && t !== '操作')
  assert.deepEqual(header, shown)
  assert.equal(ws.rowCount - 1, list.total, 'every row, not one page')
  const names = []
  for (let r = 2; r <= ws.rowCount; r++) names.push(ws.getRow(r).getCell(1).value)
  assert.deepEqual(names.slice(0, list.items.length), list.items.map((m) => m.name), 'the order on screen')
  const lang = header.indexOf('工作语言')
  for (let r = 2; r <= ws.rowCount; r++) assert.equal(ws.getRow(r).getCell(lang + 1).value, '蒙汉双语')
  await dialog.getByRole('button', { name: '关闭', exact: true }).click()

  // the same as CSV
  await page.locator('[data-test=export-button]').click()
  const csvDownload = page.waitForEvent('download')
  await page.locator('[data-test=export-csv]').click()
  const csv = await csvDownload
  assert.match(csv.suggestedFilename(), /\.csv$/)
  const csvPath = path.join(SHOT_DIR, 'export-members.csv')
  await csv.saveAs(csvPath)
  const bytes = fs.readFileSync(csvPath)
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so Excel reads UTF-8')
  const lines = bytes.subarray(3).toString('utf8').split('\r\n')
  assert.equal(lines[0], shown.join(','))
  assert.equal(lines.length - 2, list.total)
  noErrors(page)
})

test('the viewer reads members but is offered no export of them; branches it may export', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  await go(page, '/members')
  await page.locator('[data-test=members-table] .el-table__row').first().waitFor()
  assert.equal(await page.locator('[data-test=export-button]').count(), 0)
  await go(page, '/manage/branches')
  await page.locator('[data-test=branches-table] .el-table__row').first().waitFor()
  assert.equal(await page.locator('[data-test=export-button]').count(), 1)
  await page.screenshot({ path: path.join(SHOT_DIR, 'export-branches-viewer.png') })
  noErrors(page)
})

// Every list page in the menu exports as it shows itself (the columns the page shows are
// all columns the server answers): each job ends 已完成 with a file of the page's header.
const LIST_PAGES = [
  '/members', '/cases', '/pil-matters', '/patrols', '/outreach', '/requests',
  '/manage/procuratorates', '/manage/branches', '/manage/departments', '/manage/party-groups', '/manage/brands',
  '/manage/methods', '/manage/honours', '/manage/life-rules', '/manage/holidays', '/manage/users',
  '/manage/activities', '/manage/sync-pairs', '/manage/element-checks', '/manage/projects', '/manage/pairings',
  '/manage/guidance',
]

test('every list page exports what it shows', async () => {
  const page = await newPage(browser, { acceptDownloads: true })
  await login(page, 'admin')
  for (const hash of LIST_PAGES) {
    await go(page, hash)
    const button = page.locator('[data-test=export-button]')
    await button.waitFor()
    await page.locator('.el-table__body-wrapper').first().waitFor()
    await button.click()
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/jobs$/.test(r.url()))
    const download = page.waitForEvent('download')
    await page.locator('.el-dropdown-menu:visible [data-test=export-xlsx]').click()
    const res = await posted
    assert.equal(res.status(), 202, `${hash}: ${await res.text()}`)
    const file = await download
    const saved = path.join(SHOT_DIR, 'export-page.xlsx')
    await file.saveAs(saved)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(saved)
    const header = wb.worksheets[0].getRow(1).values.slice(1)
    assert.ok(header.length > 0 && header.every((h) => /[\u4e00-\u9fff]/.test(h)), `${hash}: Chinese headers ${header}`)
    await page.locator('[data-test=export-dialog]').getByRole('button', { name: '关闭', exact: true }).click()
  }
  noErrors(page)
})
