// Browser test of files on the ledgers' own pages: a branch secretary opens a meeting of
// their branch and attaches its minutes' scan (the type from the content: a PNG named .png
// is shown as a PNG picture); a patrol's page offers the same panel.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, login, go, noErrors, BASE, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

// The smallest valid PNG: 1×1, one grey pixel.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a4944415478da63680000000201012a8a56e50000000049454e44ae426082',
  'hex',
)

test("a secretary attaches a scan to a meeting of their branch, on the meeting's page", async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  const me = await (await page.request.get(BASE + '/api/v1/me')).json()
  const list = await (await page.request.get(BASE + `/api/v1/activities?branch_id=${me.branch_id}&per_page=1`)).json()
  const a = list.items[0]
  assert.ok(a, 'the demo branch has meetings')
  await go(page, `/activities/${a.id}`)
  const panel = page.locator('[data-test=record-attachments]')
  await panel.waitFor()
  await panel.locator('[data-test=attachment-upload] input[type=file]').setInputFiles([{ name: '会议记录扫描件.png', mimeType: 'image/png', buffer: PNG }])
  await panel.locator('[data-test=attachment-name]', { hasText: '会议记录扫描件.png' }).waitFor()
  assert.match(await panel.innerText(), /PNG 图片/)
  const files = await (await page.request.get(BASE + `/api/v1/attachments?owner_coll=activities&owner_id=${a.id}`)).json()
  assert.ok(files.items.some((f) => f.name === '会议记录扫描件.png' && f.content_type === 'image/png'))
  await page.screenshot({ path: path.join(SHOT_DIR, 'activity-attachments.png'), fullPage: true })
  noErrors(page)
})

test("a patrol's page has its photos panel", async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const list = await (await page.request.get(BASE + '/api/v1/patrols?per_page=1')).json()
  await go(page, `/patrols/${list.items[0].id}`)
  await page.locator('[data-test=record-attachments]', { hasText: '巡查照片' }).waitFor()
  noErrors(page)
})
