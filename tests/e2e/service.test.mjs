// Browser tests of 12309: the requests list with its deadline colours and filters, a
// request's page (countdown in working days, explanation, replies, satisfaction, a new
// receipt), the holidays calendar for administrators, and the public progress page on a
// phone (375 × 812), which needs no login.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, login, go, noErrors, SHOT_DIR, BASE } from './helpers.mjs'
import { login as apiLogin, req, listAll, todayCN } from '../api/lib.mjs'

let browser, admin, overdue, branch
before(async () => {
  browser = await launch()
  admin = await apiLogin('admin')
  branch = (await listAll(admin, '/branches')).find((b) => b.name.includes('第三'))
  const r = await req(admin, 'POST', '/requests', { branch_id: branch.id, channel: '来访', kind: '申诉', received_on: todayCN(-30), requester_name: '测试来访人', summary: '浏览器测试：不应出现在公开页的摘要' })
  assert.equal(r.status, 201, r.text)
  overdue = r.json
})
after(async () => {
  if (overdue) {
    const cur = await req(admin, 'GET', `/requests/${overdue.id}`)
    await req(admin, 'DELETE', `/requests/${overdue.id}?version=${cur.json.version}`)
  }
  if (browser) await browser.close()
})

test('the 12309 list: rates, an overdue request in red, the 期限 filter', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await page.locator('[data-test=menu-requests]').click()
  await page.waitForURL(/#\/requests$/)
  await page.locator('[data-test=rate-procedural]').waitFor()
  assert.match(await page.locator('[data-test=rate-procedural]').innerText(), /按期 \d+ \/ 应答复 \d+/)
  const table = page.locator('[data-test=requests-table]')
  await table.locator('.el-table__row').first().waitFor()
  // only the overdue ones
  await page.locator('[data-test=filter-due]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '已超期' }).click()
  const row = table.locator('.el-table__row', { hasText: overdue.number })
  await row.waitFor()
  const due = row.locator('[data-test=cell-due]')
  assert.match(await due.innerText(), /超期/)
  assert.match(await due.getAttribute('class'), /due-overdue/)
  assert.equal(await due.evaluate((e) => getComputedStyle(e).color), 'rgb(192, 57, 43)')
  await page.screenshot({ path: path.join(SHOT_DIR, 'requests-list.png'), fullPage: true })
  noErrors(page)
})

test("a request's page: the countdown, how it was computed, satisfaction refused before a reply, then a reply and a review", async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/requests/' + overdue.id)
  const p = page.locator('[data-test=deadline-procedural]')
  await p.waitFor()
  assert.match(await p.locator('[data-test=countdown]').innerText(), /已超期 \d+ 个工作日/)
  assert.match(await p.locator('[data-test=deadline-note]').innerText(), /收到，.*第7个工作日为 \d{4}-\d\d-\d\d/)
  assert.match(await page.locator('[data-test=deadline-result]').innerText(), /还剩 \d+ 个工作日|今天到期/)
  // a review before any reply: the server's refusal is shown, nothing saved
  await page.locator('[data-test=satisfaction] label', { hasText: /^满意$/ }).click()
  await page.locator('[data-test=save-satisfaction]').click()
  await page.locator('.el-message--error', { hasText: '尚未答复' }).waitFor()
  // the reply, through the replies table's form
  await page.locator('[data-test=replies] [data-test=add-button]').click()
  const dlg = page.locator('.el-dialog:visible')
  await dlg.locator('[data-test=input-kind]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '程序性答复' }).click()
  await dlg.locator('input[data-test=input-date]').fill(todayCN(-2))
  await dlg.locator('input[data-test=input-date]').press('Tab')
  await dlg.locator('textarea[data-test=input-content]').fill('已电话告知受理情况')
  await dlg.locator('[data-test=save-button]').click()
  await page.locator('[data-test=replies]', { hasText: '已电话告知受理情况' }).waitFor()
  await page.locator('[data-test=deadline-procedural] [data-test=countdown]', { hasText: '超期完成' }).waitFor()
  await page.locator('[data-test=request-status]', { hasText: '办理中' }).waitFor()
  await page.locator('[data-test=satisfaction] label', { hasText: /^满意$/ }).click()
  await page.locator('[data-test=save-satisfaction]').click()
  await page.locator('.el-message--success', { hasText: '已保存评价' }).waitFor()
  await page.screenshot({ path: path.join(SHOT_DIR, 'request-detail.png'), fullPage: true })
  noErrors(page)
})

test('the holidays calendar: an administrator reads and may edit it', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/manage/holidays')
  const table = page.locator('[data-test=holidays-table]')
  await table.locator('.el-table__row', { hasText: '春节' }).first().waitFor()
  assert.ok(await page.locator('[data-test=add-button]').isVisible())
  await page.screenshot({ path: path.join(SHOT_DIR, 'holidays.png') })
  noErrors(page)
})

test('the public progress page on a phone: a printed receipt opens the stages, a wrong code does not', async () => {
  // the receipt, printed from the request's page
  const staff = await newPage(browser)
  await login(staff, 'admin')
  await go(staff, '/requests/' + overdue.id)
  await staff.locator('[data-test=receipt-button]').click()
  await staff.locator('.el-message-box button', { hasText: '生成并打印' }).click()
  const code = (await staff.locator('[data-test=receipt-code]').innerText()).trim()
  assert.match(code, /^[2-9A-Z]{8}$/)
  assert.equal((await staff.locator('[data-test=receipt-number]').innerText()).trim(), overdue.number)

  const page = await newPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  await page.goto(BASE + '/progress')
  await page.locator('[data-test=progress-number]').fill(overdue.number)
  await page.locator('[data-test=progress-code]').fill('ZZZZ2222')
  await page.locator('[data-test=progress-submit]').click()
  assert.match(await page.locator('[data-test=progress-error]').innerText(), /受理编号或查询码不正确/)
  await page.locator('[data-test=progress-code]').fill(code.toLowerCase())
  await page.locator('[data-test=progress-submit]').click()
  const result = page.locator('[data-test=progress-result]')
  await result.waitFor()
  const text = await result.innerText()
  assert.match(text, /受理/)
  assert.match(text, /程序性答复/)
  assert.match(text, /办理中/)
  for (const secret of ['测试来访人', '不应出现在公开页', branch.name]) assert.ok(!text.includes(secret), secret)
  assert.equal(await page.locator('[data-test=progress-stage]').count(), 4)
  // fits the phone: nothing wider than the screen
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375))
  await page.screenshot({ path: path.join(SHOT_DIR, 'progress-phone.png'), fullPage: true })
  noErrors(page)
  noErrors(staff)
})
