// Browser tests of 形式化信号 (the formalism signals' page and the dashboard's panel)
// against `ronghe serve` on the demo database: an administrator opens the copied minutes,
// sees both texts with the passages in common highlighted and the records linked, and
// reviews the signal (已核实 refused without a note, then accepted with one); the
// dashboard lists the signals awaiting review.
// Run: tests/run-node.sh e2e eval-signals.test.mjs
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, login, go, choose, noErrors, shot } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

test('perfect attendance opens to the twelve months as bars, the streak shaded, the chance not shown as 0', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/eval/signals?period=2025&kind=全勤异常')
  const row = page.locator('[data-test=signals-table] .signal-row', { hasText: '库伦旗人民检察院党支部' })
  await row.first().waitFor()
  const loaded = page.waitForResponse((r) => /\/api\/v1\/eval\/signals\/\d+$/.test(r.url()) && r.status() === 200)
  await row.first().click()
  const sig = await (await loaded).json()
  const drawer = page.locator('[data-test=signal-drawer]')
  const chart = drawer.locator('[data-test=signal-streak-chart] svg')
  await chart.waitFor()
  // one 应到 and one 实到 bar for every month with attendance taken (echarts draws bars as paths)
  const taken = sig.detail.months.filter((m) => m.expected > 0).length
  assert.ok(taken >= 6, JSON.stringify(sig.detail.months))
  const text = await chart.textContent()
  assert.ok(text.includes('连续全勤 ' + sig.detail.streak + ' 个月'), text)
  const numbers = await drawer.locator('[data-test=signal-numbers]').innerText()
  assert.ok(Number(sig.detail.p) < 0.000001 ? numbers.includes('小于 0.000001') : numbers.includes(String(sig.detail.p)), numbers)
  assert.ok(!/概率\s*0\.000000/.test(numbers), numbers)
  await shot(page, 'eval-signal-perfect.png')
  noErrors(page)
  await page.context().close()
})

test('an administrator opens copied minutes side by side and reviews the signal', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await page.locator('[data-test=menu-eval] .el-sub-menu__title').click()
  await page.locator('[data-test=menu-eval-signals]').click()
  await page.waitForURL(/#\/eval\/signals/)
  await go(page, '/eval/signals?period=2025')
  const rows = page.locator('[data-test=signals-table] .signal-row')
  await rows.first().waitFor()
  assert.ok((await rows.count()) >= 4, 'the demo raised signals')
  await shot(page, 'eval-signals.png')

  // the filters: only copied minutes
  await choose(page, page.locator('[data-test=signals-kind]'), '纪要雷同')
  await page.waitForURL(/kind=/)
  await page.locator('[data-test=signals-table] [data-test=signal-kind]', { hasText: '纪要雷同' }).first().waitFor()
  const kinds = await page.locator('[data-test=signals-table] [data-test=signal-kind]').allInnerTexts()
  assert.ok(kinds.length >= 1 && kinds.every((k) => k.trim() === '纪要雷同'), kinds.join())
  await choose(page, page.locator('[data-test=signals-status]'), '待审核')
  const pending = page.locator('[data-test=signals-table] .signal-row', { hasText: '待审核' })
  await pending.first().waitFor()

  // open one: the two texts, the passages highlighted in both, the records linked
  const loaded = page.waitForResponse((r) => /\/api\/v1\/eval\/signals\/\d+$/.test(r.url()) && r.status() === 200)
  await pending.first().click()
  const sig = await (await loaded).json()
  const drawer = page.locator('[data-test=signal-drawer]')
  await drawer.locator('[data-test=signal-texts]').waitFor()
  for (const side of [0, 1]) {
    const hits = await drawer.locator(`[data-test=signal-text-${side}] [data-test=signal-hit]`).allInnerTexts()
    assert.ok(hits.join('').length >= sig.detail.passages.reduce((n, p) => n + p.len, 0), 'the passages are highlighted on side ' + side)
  }
  assert.ok((await drawer.locator('[data-test=signal-text-1] [data-test=signal-hit]').allInnerTexts()).join('').includes(sig.detail.passages[0].text))
  assert.equal(await drawer.locator('[data-test=signal-records] [data-test=signal-record-link]').count(), 2)
  const href = await drawer.locator('[data-test=signal-record-link]').first().getAttribute('href')
  assert.match(href, new RegExp('#/activities/' + sig.records[0].id + '$'))
  await page.waitForTimeout(300)
  await shot(page, 'eval-signal-minutes.png', false)

  // 已核实 without a note is refused in the form; with one it is saved and audited
  await drawer.locator('[data-test=signal-decision] .el-radio', { hasText: '已核实' }).click()
  await drawer.locator('[data-test=signal-submit]').click()
  await drawer.locator('[data-test=signal-note-error]', { hasText: '须填写核实情况说明' }).waitFor()
  await drawer.locator('.review textarea').fill('两次会议议题不同，纪要系套用模板，已要求支部如实记录')
  const reviewed = page.waitForResponse((r) => /\/review$/.test(r.url()))
  await drawer.locator('[data-test=signal-submit]').click()
  const res = await reviewed
  assert.equal(res.status(), 200, await res.text())
  await page.locator('.el-message--success', { hasText: '已复核为“已核实”' }).waitFor()
  await drawer.locator('[data-test=signal-numbers] .el-tag', { hasText: '已核实' }).waitFor()
  const stored = await page.evaluate(async (id) => (await fetch('/api/v1/eval/signals/' + id)).json(), sig.id)
  assert.equal(stored.status, '已核实')
  assert.equal(stored.note, '两次会议议题不同，纪要系套用模板，已要求支部如实记录')
  const audit = await page.evaluate(async (id) => (await fetch('/api/v1/audit?entity=eval-signals&entity_id=' + id)).json(), sig.id)
  assert.equal(audit.items[0].action, 'review')
  noErrors(page)
})

test('a secretary reads the own branch’s signals and has no review form', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  await go(page, '/eval/signals?period=2025')
  const rows = page.locator('[data-test=signals-table] .signal-row')
  await rows.first().waitFor()
  await rows.first().click()
  await page.locator('[data-test=signal-drawer] [data-test=signal-records]').waitFor()
  assert.equal(await page.locator('[data-test=signal-review]').count(), 0)
  noErrors(page)
})

test('the dashboard lists the signals awaiting review', async () => {
  const page = await newPage(browser, { viewport: { width: 1920, height: 1080 } })
  await login(page, 'viewer')
  const listed = page.waitForResponse((r) => /\/api\/v1\/eval\/signals\?/.test(r.url()) && r.status() === 200)
  await go(page, '/eval/dashboard?period=2025')
  const r = await (await listed).json()
  await page.locator('[data-test=dash-signal]').first().waitFor()
  assert.equal((await page.locator('[data-test=dash-signals-count]').innerText()).trim(), String(r.total))
  assert.equal(await page.locator('[data-test=dash-signal]').count(), Math.min(3, r.total))
  for (const part of ['dash-map', 'dash-radar', 'dash-resonance', 'dash-service'])
    await page.locator(`[data-test=${part}] svg, [data-test=${part}] canvas`).first().waitFor()
  await page.waitForTimeout(800)
  await shot(page, 'eval-dashboard-signals.png', false)
  noErrors(page)
})
