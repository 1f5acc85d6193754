// Browser test of attachments: a secretary opens an honour of their branch (详情 in the
// list), uploads a certificate scan (a PNG, shown as a thumbnail) and a text file, finds
// a file over the limit refused before it is sent, downloads one, deletes one; a viewer
// sees the files but no upload or delete.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import zlib from 'node:zlib'
import { launch, newPage, login, go, noErrors, BASE, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

// A real 96×64 PNG (a red and gold band), so the thumbnail shows something.
function png(w = 96, h = 64) {
  const crc = (b) => zlib.crc32(b)
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type), data])
    const c = Buffer.alloc(4)
    c.writeUInt32BE(crc(td))
    return Buffer.concat([len, td, c])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const rows = []
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + 3 * w)
    for (let x = 0; x < w; x++) row.set(y < h / 2 ? [200, 16, 46] : [255, 196, 0], 1 + 3 * x)
    rows.push(row)
  }
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))])
}

async function api(page, method, p, data) {
  const me = await (await page.request.get(BASE + '/api/v1/me')).json()
  const r = await page.request.fetch(BASE + '/api/v1' + p, { method, data, headers: { 'X-CSRF-Token': me.csrf_token } })
  return { status: r.status(), json: await r.json().catch(() => null) }
}

test('a secretary attaches, downloads and deletes files on an honour of their branch; a viewer only reads', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  const me = await (await page.request.get(BASE + '/api/v1/me')).json()
  const h = await api(page, 'POST', '/honours', { branch_id: me.branch_id, title: '附件浏览器测试荣誉' + Date.now(), level: 'city', year: 2025 })
  assert.equal(h.status, 201, JSON.stringify(h.json))
  // from the list: 详情 opens the honour with its attachments
  await go(page, `/manage/honours?id=${h.json.id}`)
  await page.keyboard.press('Escape')
  await go(page, `/records/honours/${h.json.id}/attachments`)
  await page.locator('[data-test=record-header]', { hasText: '附件浏览器测试荣誉' }).waitFor()
  await page.locator('[data-test=attachments]').waitFor()
  const input = page.locator('[data-test=attachment-upload] input[type=file]')
  await input.setInputFiles([
    { name: '荣誉证书扫描件.png', mimeType: 'image/png', buffer: png() },
    { name: '获奖说明.txt', mimeType: 'text/plain', buffer: Buffer.from('霍林郭勒市人民检察院党支部 2025 年度先进基层党组织\n') },
  ])
  const rows = page.locator('[data-test=attachment-list] .el-table__body-wrapper tr')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=attachment-list] .el-table__body-wrapper tr').length === 2)
  const names = await page.locator('[data-test=attachment-name]').allInnerTexts()
  assert.deepEqual([...names].sort(), ['获奖说明.txt', '荣誉证书扫描件.png'].sort())
  await page.locator('[data-test=attachment-thumb]').first().waitFor()
  await page.waitForFunction(() => { const i = document.querySelector('[data-test=attachment-thumb]'); return i && i.complete && i.naturalWidth === 96 })
  const text = await page.locator('[data-test=attachment-list]').innerText()
  assert.match(text, /PNG 图片/)
  assert.match(text, /纯文本/)
  // over the limit: refused here, nothing sent
  const big = Buffer.alloc(21 * 1024 * 1024, 0x61)
  await input.setInputFiles([{ name: '太大.txt', mimeType: 'text/plain', buffer: big }])
  await page.locator('.el-message--error', { hasText: '超过附件上限' }).waitFor()
  assert.equal(await rows.count(), 2)
  // a renamed executable: refused by the server, its message shown
  await input.setInputFiles([{ name: '伪装.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('7f454c46', 'hex'), Buffer.alloc(64)]) }])
  await page.locator('.el-message--error', { hasText: '不支持的文件类型' }).waitFor()
  await page.screenshot({ path: path.join(SHOT_DIR, 'attachments.png'), fullPage: true })
  // download: the file with its Chinese name
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=attachment-download]').last().click()])
  assert.ok(['获奖说明.txt', '荣誉证书扫描件.png'].includes(dl.suggestedFilename()), dl.suggestedFilename())
  // delete one, confirmed
  await page.locator('[data-test=attachment-delete]').first().click()
  await page.locator('.el-message-box .el-button--danger', { hasText: '删除' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-test=attachment-list] .el-table__body-wrapper tr').length === 1)
  noErrors(page)

  // a viewer reads them, with no upload and no delete
  const v = await newPage(browser)
  await login(v, 'viewer')
  await go(v, `/records/honours/${h.json.id}/attachments`)
  await v.locator('[data-test=attachment-name]').first().waitFor()
  assert.equal(await v.locator('[data-test=attachment-upload]').count(), 0)
  assert.equal(await v.locator('[data-test=attachment-delete]').count(), 0)
  noErrors(v)

  // clean up: the remaining file, then the honour
  const left = await api(page, 'GET', `/attachments?owner_coll=honours&owner_id=${h.json.id}`)
  for (const a of left.json.items) await api(page, 'DELETE', `/attachments/${a.id}?version=${a.version}`)
  const cur = await api(page, 'GET', `/honours/${h.json.id}`)
  assert.equal((await api(page, 'DELETE', `/honours/${h.json.id}?version=${cur.json.version}`)).status, 204)
})

test("the honours list's 详情 opens the honour's attachments (the demo's certificate scan); on a phone as cards", async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/manage/honours')
  await page.locator('.el-table__body-wrapper tr').first().waitFor()
  await page.getByRole('button', { name: '详情' }).first().click()
  await page.waitForURL((u) => /^#\/records\/honours\/\d+\/attachments$/.test(u.hash))
  await page.locator('[data-test=attachments]').waitFor()
  await page.locator('[data-test=attachment-upload]').waitFor()
  await page.locator('[data-test=attachment-name]', { hasText: '荣誉证书扫描件（示例）.png' }).waitFor()
  await page.waitForFunction(() => { const i = document.querySelector('[data-test=attachment-thumb]'); return i && i.complete && i.naturalWidth === 240 })
  await page.screenshot({ path: path.join(SHOT_DIR, 'attachments-demo.png'), fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  const card = page.locator('[data-test=attachment-card]').first()
  await card.waitFor()
  const box = await card.boundingBox()
  assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the card fits the phone: ' + JSON.stringify(box))
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the page is no wider than the phone')
  await page.screenshot({ path: path.join(SHOT_DIR, 'attachments-phone.png'), fullPage: true })
  noErrors(page)
})
