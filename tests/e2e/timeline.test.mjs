// Browser test of the timelines: from the member list a member's page opens, its timeline
// lists what the member's records hold (here their joining the party and full membership,
// and whatever the ledgers add), filtered by kind and year as a user clicks; a branch's
// page ends with its own timeline.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, login, go, noErrors, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

test("a member's page shows the member's timeline, filtered by kind and year", async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/members')
  const first = page.locator('[data-test=members-table] [data-test=cell-name]').first()
  const name = (await first.innerText()).trim()
  await first.click()
  await page.waitForURL((u) => /^#\/members\/\d+$/.test(u.hash))
  await page.locator('[data-test=member-header]', { hasText: name }).waitFor()
  const items = page.locator('[data-test=timeline-item]')
  await items.first().waitFor()
  const texts = await items.allInnerTexts()
  assert.ok(texts.some((t) => t.includes('入党')), texts.join(' | '))
  // newest first: the dates shown descend
  const dates = texts.map((t) => /\d{4}-\d{2}-\d{2}/.exec(t)[0])
  assert.deepEqual(dates, [...dates].sort().reverse())
  // a kind chip narrows the list to that kind
  const chip = page.locator('[data-test=timeline-kind]', { hasText: '入党' })
  await chip.click()
  await page.waitForTimeout(300)
  for (const t of await items.allInnerTexts()) assert.ok(t.includes('入党'), t)
  // a year with nothing in it says so
  await page.locator('[data-test=timeline-year]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: String(new Date().getFullYear()) }).first().click()
  await page.waitForTimeout(300)
  const left = await items.allInnerTexts()
  for (const t of left) assert.ok(t.includes(String(new Date().getFullYear())), t)
  await page.screenshot({ path: path.join(SHOT_DIR, 'member-timeline.png'), fullPage: true })
  noErrors(page)
})

test("a branch's page ends with its timeline", async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/org')
  await go(page, '/branches/2')
  await page.locator('[data-test=branch-header]').waitFor()
  await page.locator('[data-test=timeline]').waitFor()
  noErrors(page)
})
