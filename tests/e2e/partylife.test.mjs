// Browser tests of organisation life: a secretary's branch page shows the 三会一课 grid and
// the calendar; a meeting is recorded from the branch page and its attendance marked on
// its own page (present, absent with a reason) and saved for the whole meeting; the list
// filters by month and kind; a study session asks for its dimension.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, login, go, choose, noErrors, SHOT_DIR } from './helpers.mjs'
import { req, login as apiLogin, Trash } from '../api/lib.mjs'

let browser, admin, sec
const trash = new Trash()
before(async () => {
  browser = await launch()
  admin = await apiLogin('admin')
  sec = await apiLogin('hlgl-sec')
})
after(async () => {
  // attendance the page saved for a test's meeting, whether or not the test got to list it
  for (const [coll, id] of trash.items) {
    if (coll !== 'activities') continue
    for (const a of (await req(admin, 'GET', `/attendance?activity_id=${id}&per_page=500`)).json.items)
      if (!trash.items.some(([c, i]) => c === 'attendance' && i === a.id)) trash.add('attendance', a.id)
  }
  await trash.empty(admin)
  if (browser) await browser.close()
})

const localDay = (offset = 0) => new Date(Date.now() + 8 * 3600 * 1000 + offset * 86400000).toISOString().slice(0, 10)

test('the branch page: the 三会一课 grid coloured by the rules, and the calendar of the year', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec') // lands on the branch page
  const grid = page.locator('[data-test=completeness-grid]')
  await grid.waitFor()
  // the demo's latest year is shown, with what the API says for it
  const year = Number((await page.locator('[data-test=life-year]').innerText()).trim().slice(0, 4))
  assert.ok(year >= 2024, `year shown: ${year}`)
  const c = (await req(sec, 'GET', `/life-completeness?branch_id=${sec.user.branch_id}&year=${year}`)).json
  assert.deepEqual(await grid.locator('thead th').allInnerTexts(), ['月份', ...c.kinds.map((k) => k.kind)])
  assert.equal(await grid.locator('tbody tr').count(), 12)
  for (const m of [0, 5, 11]) {
    for (const cell of c.months[m].cells) {
      const td = grid.locator(`[data-test="cell-${c.months[m].month}-${cell.kind}"]`)
      assert.equal(await td.getAttribute('data-status'), cell.status, `${c.months[m].month} ${cell.kind}`)
    }
  }
  for (const k of c.kinds) assert.equal(await page.locator(`[data-test="missing-${k.kind}"]`).innerText(), String(c.summary[k.kind].missing))
  const acts = (await req(sec, 'GET', `/activities?branch_id=${sec.user.branch_id}&year=${year}&per_page=1`)).json.total
  assert.equal(await page.locator('[data-test=calendar-activity]').count(), acts)
  // a viewport as tall as the page, so that the fixed header lies over nothing of the panel
  await page.setViewportSize({ width: 1440, height: 7000 })
  await page.waitForTimeout(300)
  await page.locator('.panel:has([data-test=party-life])').screenshot({ path: path.join(SHOT_DIR, 'partylife-branch.png') })
  await page.setViewportSize({ width: 1440, height: 900 })
  // a calendar entry opens the meeting
  await page.locator('[data-test=calendar-month-6] [data-test=calendar-activity]').first().click()
  await page.waitForURL(/#\/activities\/\d+$/)
  await page.locator('[data-test=activity-header]').waitFor()
  noErrors(page)
  await page.context().close()
})

test('a meeting recorded from the branch page, then its attendance marked and saved at once', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  const table = page.locator('[data-test=branch-activities]')
  await table.waitFor()
  await page.locator('.crud:has([data-test=branch-activities]) [data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  await choose(page, dialog.locator('[data-test=input-kind]'), '支部党员大会')
  const held = dialog.locator('[data-test=field-held_on] input')
  await held.fill(localDay(0))
  await held.press('Enter')
  const topic = '浏览器测试党员大会' + String(Date.now()).slice(-6)
  await dialog.locator('[data-test=field-topic] input').fill(topic)
  await dialog.locator('[data-test=field-speaker] input').fill('支部书记')
  await page.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })
  const made = (await req(sec, 'GET', `/activities?q=${encodeURIComponent(topic)}`)).json.items
  assert.equal(made.length, 1)
  trash.add('activities', made[0].id)
  const expected = made[0].attendance.expected
  assert.ok(expected > 3, `expected ${expected}`)

  await go(page, '/activities/' + made[0].id)
  await page.locator('[data-test=expected-table] .el-table__row').first().waitFor()
  assert.equal(await page.locator('[data-test=expected-table] .el-table__row').count(), expected)
  const rows = (await req(sec, 'GET', `/activities/${made[0].id}/expected`)).json.items
  // one member absent on sick leave, everybody else present
  await page.locator(`[data-test=status-${rows[0].member_id}] label:has-text("缺席")`).click()
  await choose(page, page.locator(`[data-test=reason-${rows[0].member_id}]`), '病假')
  await page.locator('[data-test=all-present]').click()
  await page.locator('[data-test=save-attendance]').click()
  await page.locator('.el-message--success', { hasText: '考勤已保存' }).waitFor()
  const saved = (await req(sec, 'GET', `/attendance?activity_id=${made[0].id}&per_page=200`)).json.items
  for (const s of saved) trash.add('attendance', s.id)
  assert.equal(saved.length, expected)
  const absent = saved.find((s) => s.member_id === rows[0].member_id)
  assert.equal(absent.status, '缺席')
  assert.equal(absent.reason, '病假')
  assert.equal(saved.filter((s) => s.status === '出席').length, expected - 1)
  const rate = Math.round(((expected - 1) / expected) * 100) + '%'
  await page.waitForFunction((want) => document.querySelector('[data-test=attendance-rate]')?.textContent === want, rate)
  // each row has its audit entry, by the secretary
  const audit = (await req(admin, 'GET', `/audit?entity=attendance&entity_id=${absent.id}`)).json.items
  assert.equal(audit.length, 1)
  assert.equal(audit[0].username, 'hlgl-sec')
  await page.screenshot({ path: path.join(SHOT_DIR, 'partylife-activity.png'), fullPage: true })
  noErrors(page)
  await page.context().close()
})

test('the list filters by month and kind; a study session asks for its dimension', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/manage/activities')
  const table = page.locator('[data-test=activities-table]')
  await table.locator('.el-table__row').first().waitFor()
  const month = page.locator('[data-test=filter-item-month] input')
  await month.click()
  await month.fill('2025-06')
  await month.press('Enter')
  await choose(page, page.locator('[data-test=filter-kind]'), '支委会')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=activities-table] .el-table__row').length > 0)
  await page.waitForTimeout(400)
  const want = (await req(admin, 'GET', `/activities?month=2025-06&kind=${encodeURIComponent('支委会')}&per_page=1`)).json.total
  const shown = await page.locator('.pager .el-pagination__total').innerText()
  assert.match(shown, new RegExp(`\\b${want}\\b`), shown)
  const dates = await table.locator('.el-table__body-wrapper tr td:first-child').allInnerTexts()
  assert.ok(dates.length > 0 && dates.every((d) => d.startsWith('2025-06')), dates.join(','))
  await page.screenshot({ path: path.join(SHOT_DIR, 'partylife-list.png') })

  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  assert.equal(await dialog.locator('[data-test=field-study_dimension]').count(), 0, 'no dimension for other kinds')
  await choose(page, dialog.locator('[data-test=input-kind]'), '学习')
  await dialog.locator('[data-test=field-study_dimension]').waitFor()
  assert.ok(await dialog.locator('[data-test=field-study_dimension].is-required').count(), 'the dimension is required for 学习')
  await page.screenshot({ path: path.join(SHOT_DIR, 'partylife-form.png') })
  await page.locator('.el-dialog:visible .el-dialog__headerbtn').click()

  // the rules of 三会一课, as data
  await go(page, '/manage/life-rules')
  await page.locator('[data-test=life-rules-table] .el-table__row').first().waitFor()
  const kinds = await page.locator('[data-test=life-rules-table] .el-table__body-wrapper tr td:first-child').allInnerTexts()
  for (const k of ['支部党员大会', '支委会', '党小组会', '党课']) assert.ok(kinds.includes(k), k)
  await page.screenshot({ path: path.join(SHOT_DIR, 'partylife-rules.png') })

  // a transferred member's page lists both terms
  const moved = (await req(admin, 'GET', '/member-terms?per_page=1&sort=-to_date')).json.items[0]
  assert.ok(moved.to_date, 'the demo has a transfer')
  await go(page, '/members/' + moved.member_id)
  const terms = page.locator('[data-test=member-terms] .el-table__row')
  await terms.first().waitFor()
  assert.equal(await terms.count(), 2)
  await page.screenshot({ path: path.join(SHOT_DIR, 'partylife-member-terms.png') })
  noErrors(page)
  await page.context().close()
})
