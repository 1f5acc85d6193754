// Browser tests of the joint ledgers' pages: a 四同步 pair entered in the form shows its
// four stages side by side with 同步 / 滞后 N 天; the method completion grid shows checks
// with and without evidence, and linking a record on a check's page turns 无佐证 into
// 有佐证; a project's page lists its parties and the outcomes credited to all of them;
// a pairing's progress; the branch page's 融合与联建 panel; the guidance list; a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, newPhonePage, login, go, choose, noErrors, SHOT_DIR } from './helpers.mjs'
import { req, login as apiLogin, listAll, Trash } from '../api/lib.mjs'

let browser, admin
const trash = new Trash()
before(async () => {
  browser = await launch()
  admin = await apiLogin('admin')
})
after(async () => {
  await trash.empty(admin)
  if (browser) await browser.close()
})
// after the tags' and the page's transitions have run
const shot = async (page, name) => (await page.waitForTimeout(700), page.screenshot({ path: path.join(SHOT_DIR, `joint-${name}.png`), fullPage: true }))

async function typeDate(dialog, prop, value) {
  const input = dialog.locator(`[data-test=field-${prop}] input`)
  await input.fill(value)
  await input.press('Enter')
}

test('a 四同步 pair entered in the form: its stages side by side, 同步 within the tolerance and 滞后 N 天 past it', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  await go(page, '/manage/sync-pairs')
  await page.locator('[data-test=sync-pairs-table]').waitFor()
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  const title = '浏览器业务' + String(Date.now()).slice(-5)
  await dialog.locator('[data-test=field-business_title] input').fill(title)
  await dialog.locator('[data-test=field-party_title] input').fill('主题党日')
  await typeDate(dialog, 'business_plan_on', '2025-03-01')
  await typeDate(dialog, 'party_plan_on', '2025-03-06')
  await typeDate(dialog, 'business_deploy_on', '2025-03-10')
  await typeDate(dialog, 'party_deploy_on', '2025-03-22')
  await shot(page, 'sync-pair-form')
  await dialog.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })
  const [made] = (await listAll(admin, `/sync-pairs?q=${encodeURIComponent(title)}`)).filter((p) => p.business_title === title)
  assert.ok(made, 'saved')
  trash.add('sync-pairs', made.id)
  // the list links to the pair's page
  await page.locator('[data-test=cell-name]', { hasText: title }).click()
  await page.waitForURL((u) => u.hash === `#/sync-pairs/${made.id}`)
  const stages = page.locator('[data-test=sync-stage]')
  await stages.first().waitFor()
  assert.deepEqual(await page.locator('[data-test=stage-status]').allInnerTexts(), ['同步（相差 5 天）', '党建滞后 12 天', '未开始', '未开始'])
  assert.equal(await page.locator('[data-test=pair-in-step]').innerText(), '未同步')
  await shot(page, 'sync-pair-detail')
  noErrors(page)

  // a stage out of order is refused under its field, and nothing is saved
  await go(page, '/manage/sync-pairs')
  await page.locator('[data-test=add-button]').click()
  const d2 = page.locator('.el-dialog:visible')
  await d2.waitFor()
  await d2.locator('[data-test=field-business_title] input').fill(title + '乱序')
  await d2.locator('[data-test=field-party_title] input').fill('党课')
  await typeDate(d2, 'business_deploy_on', '2025-03-10')
  await d2.locator('[data-test=save-button]').click()
  await d2.locator('[data-test=field-business_deploy_on] .el-form-item__error', { hasText: '尚未完成' }).waitFor()
  assert.equal((await listAll(admin, `/sync-pairs?q=${encodeURIComponent(title + '乱序')}`)).length, 0)
})

test('the completion grid: elements × periods with 无佐证; linking a record on the check\'s page makes it 有佐证', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const methods = await listAll(admin, '/methods')
  const m = methods.find((x) => x.name === '“12309”党建工作法')
  assert.equal(m.period, 'month')
  await go(page, `/method-completion?branch_id=${m.branch_id}&method_id=${m.id}&year=2025`)
  const grid = page.locator('[data-test=mc-grid]')
  await grid.waitFor()
  assert.equal(await grid.locator('thead th').count(), 13, 'the element column and twelve months')
  assert.equal(await page.locator('[data-test=mc-row]').count(), m.elements.length)
  const bare = grid.locator('td[data-state=unevidenced] a').first()
  assert.ok((await grid.locator('td[data-state=evidenced]').count()) > 0, 'some checks have evidence')
  assert.ok((await grid.locator('td[data-state=unevidenced]').count()) > 0, 'some have none, and say so')
  await shot(page, 'method-completion')
  await bare.click()
  await page.waitForURL((u) => /#\/element-checks\/\d+$/.test(u.hash))
  await page.locator('[data-test=no-evidence]').waitFor()
  const checkId = Number(page.url().split('/').pop())
  const check = (await req(admin, 'GET', `/element-checks/${checkId}`)).json
  // link one of the branch's 四同步 pairs as evidence
  await choose(page, page.locator('[data-test=item-coll]'), '四同步')
  await choose(page, page.locator('[data-test=item-id]'), '⇄')
  await page.locator('input[data-test=item-note]').fill('浏览器测试佐证')
  await page.locator('[data-test=item-add]').click()
  await page.locator('.el-tag', { hasText: '有佐证' }).waitFor()
  const now = (await req(admin, 'GET', `/element-checks/${checkId}`)).json
  assert.equal(now.evidenced, true)
  const added = now.evidence.find((e) => e.note === '浏览器测试佐证')
  trash.add('element-evidence', added.id)
  assert.equal(now.branch_id, check.branch_id)
  await shot(page, 'element-check')
  noErrors(page)
})

test('a project: parties (branches and outside units), activities, outcomes credited to every party', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  const p = (await listAll(admin, '/projects?kind=检校联建')).find((x) => x.parties.some((y) => y.unit_kind === '学校'))
  assert.ok(p, 'a demo 检校联建 project with a school')
  await go(page, `/projects/${p.id}`)
  await page.locator('[data-test=project-header]').waitFor()
  const tags = await page.locator('[data-test=project-parties-tags] .el-tag').allInnerTexts()
  assert.deepEqual(tags.length, p.parties.length)
  assert.ok(tags.some((t) => t.includes('（学校）')) && tags[0].includes('（牵头）'))
  const outcomes = page.locator('[data-test=project-outcomes] .el-table__row')
  await outcomes.first().waitFor()
  const credited = await outcomes.first().innerText()
  for (const party of p.parties) assert.ok(credited.includes(party.name), `credited to ${party.name}`)
  assert.equal(await page.locator('[data-test=item-picker]').count(), 0, 'leadership reads, does not link')
  await shot(page, 'project')
  noErrors(page)
})

test('a pairing\'s progress over time; the branch page\'s 融合与联建; the guidance list', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const pairing = (await listAll(admin, '/pairings'))[0]
  await go(page, `/pairings/${pairing.id}`)
  await page.locator('[data-test=pairing-timeline]').waitFor()
  assert.ok((await page.locator('[data-test=pairing-timeline] .el-timeline-item').count()) >= 3)
  await shot(page, 'pairing')

  await go(page, '/manage/guidance')
  await page.locator('[data-test=guidance-table] .el-table__row').first().waitFor()
  await shot(page, 'guidance')
  noErrors(page)

  // a county secretary: its branch's joint work, guidance read-only
  const sec = await newPage(browser)
  await login(sec, 'hlgl-sec')
  const panel = sec.locator('[data-test=branch-joint]')
  await panel.waitFor()
  await panel.locator('[data-test=branch-sync-pairs] .el-table__row').first().waitFor()
  await panel.locator('.el-tabs__item', { hasText: '指导基层' }).click()
  await panel.locator('[data-test=branch-guidance] .el-table__row').first().waitFor()
  assert.equal(await panel.locator('[data-test=branch-guidance] [data-test=edit-button]').count(), 0)
  await panel.scrollIntoViewIfNeeded()
  await sec.waitForTimeout(700)
  await sec.screenshot({ path: path.join(SHOT_DIR, 'joint-branch-panel.png') })
  noErrors(sec)
})

test('on a phone: the pair page and the completion grid fit the screen', async () => {
  const page = await newPhonePage(browser)
  await login(page, 'admin')
  const pair = (await listAll(admin, '/sync-pairs?in_step=false'))[0]
  await go(page, `/sync-pairs/${pair.id}`)
  await page.locator('[data-test=sync-stage]').first().waitFor()
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= 390, `no sideways scrolling (${width}px)`)
  await shot(page, 'sync-pair-phone')
  noErrors(page)
})
