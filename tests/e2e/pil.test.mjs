// Browser tests of the public-interest pages: a patrol recorded through the form (its
// members picked by name, the officials of a joint patrol), its finding turned into a
// matter with one button, the matter's stages advanced on its page, the reply deadline
// counted down, the lists filtered; the leadership sees no button it may not use.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, login, go, choose, noErrors, SHOT_DIR } from './helpers.mjs'
import { req, login as apiLogin, listAll, Trash } from '../api/lib.mjs'

let browser, admin, kzz, kzzBranch, members
const trash = new Trash()
// after the loading mask has faded
const shot = async (page, name) => {
  await page.waitForTimeout(400)
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: path.join(SHOT_DIR, name), fullPage: true })
}
// an Element Plus input by its data-test, wherever the attribute lands (the wrapper or the input)
const inputOf = (scope, name) => scope.locator(`[data-test=${name}] input, input[data-test=${name}]`).first()
const localDay = (offset) => new Date(Date.now() + 8 * 3600 * 1000 + offset * 86400000).toISOString().slice(0, 10)

before(async () => {
  browser = await launch()
  admin = await apiLogin('admin')
  const procs = await listAll(admin, '/procuratorates')
  kzz = procs.find((p) => p.name.includes('科尔沁左翼中旗')).id
  kzzBranch = (await listAll(admin, '/branches')).find((b) => b.procuratorate_id === kzz)
  members = (await req(admin, 'GET', `/members?branch_id=${kzzBranch.id}&per_page=5`)).json.items
})
after(async () => {
  await trash.empty(admin)
  if (browser) await browser.close()
})

test('a joint patrol recorded through the form: branch, members by name, officials', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/patrols')
  await page.locator('[data-test=patrols-table] .el-table__row').first().waitFor()
  await shot(page, 'pil-patrols.png')
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  await choose(page, dialog.locator('[data-test=input-branch_id]'), kzzBranch.name, '科尔沁左翼中旗')
  await dialog.locator('[data-test=field-patrolled_on] input').fill('2025-06-18')
  await dialog.locator('[data-test=field-patrolled_on] input').blur()
  await choose(page, dialog.locator('[data-test=input-kind]'), '党员+行政长官联合巡查')
  const place = '测试巡查地点' + String(Date.now()).slice(-6)
  await dialog.locator('[data-test=field-place] input').fill(place)
  await dialog.locator('[data-test=field-lat] input').fill('44.1273')
  await dialog.locator('[data-test=field-lng] input').fill('123.3251')
  // two members, found by name among the procuratorate's
  const picker = dialog.locator('[data-test=input-member_ids]')
  for (const [i, m] of members.slice(0, 2).entries()) {
    if (i === 0) await picker.click()
    // the options are those of the search for this name (not of an earlier one being replaced)
    const searched = page.waitForResponse((res) => res.url().includes('/api/v1/members?') && res.url().includes('q=' + encodeURIComponent(m.name)))
    await picker.locator('input').fill(m.name)
    await searched
    await page.waitForTimeout(100)
    await page.locator('.el-select-dropdown__item:visible', { hasText: m.name }).first().click()
    await picker.locator('.el-tag', { hasText: m.name }).waitFor() // chosen before the next
    assert.equal(await picker.locator('.el-select__selected-item .el-tag').count(), i + 1)
  }
  await dialog.locator('.el-dialog__title').click() // the member list closes (Escape would close the dialog)
  await inputOf(dialog, 'official-name-0').fill('王某')
  await dialog.locator('[data-test=input-officials] input').nth(2).fill('科左中旗林业和草原局')
  await dialog.locator('[data-test=input-problem_found]').click()
  await dialog.locator('[data-test=field-findings] textarea').fill('草场内发现新开垦地块约二十亩')
  await shot(page, 'pil-patrol-form.png')
  await dialog.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })
  const saved = (await req(admin, 'GET', `/patrols?q=${encodeURIComponent(place)}`)).json.items
  assert.equal(saved.length, 1)
  trash.add('patrols', saved[0].id)
  const p = saved[0]
  assert.equal(p.kind, '党员+行政长官联合巡查')
  assert.deepEqual(p.member_ids, members.slice(0, 2).map((m) => m.id))
  assert.deepEqual(p.officials, [{ name: '王某', organ: '科左中旗林业和草原局' }])
  assert.equal(p.lat, '44.1273')
  assert.equal(p.problem_found, true)
  noErrors(page)
  await page.close()
})

test('转为公益诉讼线索: one button makes the matter; its page shows the stages and records the next one', async () => {
  const r = await req(admin, 'POST', '/patrols', { branch_id: kzzBranch.id, patrolled_on: '2025-05-20', kind: '党员突击队巡查', place: '测试古遗址' + String(Date.now()).slice(-6), lat: '44.2011', lng: '123.2207', member_ids: [members[0].id], problem_found: true, findings: '古遗址保护范围内有取土痕迹' })
  assert.equal(r.status, 201, r.text)
  trash.add('patrols', r.json.id)
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/patrols/' + r.json.id)
  await page.locator('[data-test=patrol-header]').waitFor()
  assert.match(await page.locator('[data-test=patrol-coordinates]').innerText(), /北纬 44\.2011°，东经 123\.2207°/)
  assert.match(await page.locator('[data-test=patrol-members]').innerText(), new RegExp(members[0].name))
  await shot(page, 'pil-patrol.png')
  await page.locator('[data-test=lead-button]').click()
  await page.locator('.el-dialog:visible').waitFor()
  await choose(page, page.locator('[data-test=lead-field]'), '文物和文化遗产')
  await page.locator('[data-test=lead-save]').click()
  await page.waitForURL((u) => /^#\/pil-matters\/\d+$/.test(u.hash))
  const id = Number(page.url().split('/').pop())
  trash.add('pil-matters', id)
  await page.locator('[data-test=matter-steps]').waitFor()
  assert.equal(await page.locator('[data-test=matter-stage]').innerText(), '线索')
  assert.match(await page.locator('[data-test=matter-patrol]').innerText(), /2025-05-20/)
  const m = (await req(admin, 'GET', `/pil-matters/${id}`)).json
  assert.equal(m.patrol_id, r.json.id)
  assert.equal(m.source, '巡查')
  assert.equal(m.clue_on, '2025-05-20')
  // the next stage: 立案, dated on the page
  await page.locator('[data-test=advance-date] input').fill('2025-05-28')
  await page.locator('[data-test=advance-date] input').blur()
  await page.locator('[data-test=advance-save]').click()
  await page.locator('[data-test=matter-stage]', { hasText: '立案' }).waitFor()
  assert.equal((await req(admin, 'GET', `/pil-matters/${id}`)).json.filed_on, '2025-05-28')
  // a date before the clue is refused with the server's message, and nothing changes
  await page.locator('[data-test=advance-date] input').fill('2025-05-01')
  await page.locator('[data-test=advance-date] input').blur()
  await inputOf(page, 'advance-organ').fill('科左中旗文化和旅游局')
  await page.locator('[data-test=advance-save]').click()
  await page.locator('.el-message--error', { hasText: '不能早于立案日期' }).waitFor()
  assert.equal((await req(admin, 'GET', `/pil-matters/${id}`)).json.recommended_on, null)
  // back on the patrol's page, the matter is listed; a second lead needs 另立线索
  await go(page, '/patrols/' + r.json.id)
  await page.locator('[data-test=patrol-matters] a').first().waitFor()
  await page.locator('[data-test=lead-button]').click()
  await page.locator('[data-test=lead-again]').waitFor()
  noErrors(page)
  await page.close()
})

test('the reply deadline counts down on the matter’s page; the list filters by it', async () => {
  const rec = localDay(-50)
  const r = await req(admin, 'POST', '/pil-matters', { procuratorate_id: kzz, branch_id: kzzBranch.id, title: '测试回复期限' + String(Date.now()).slice(-6), source: '举报', field: '草原', clue_on: localDay(-60), filed_on: localDay(-55), recommended_on: rec, organ: '科左中旗林业和草原局', collaboration: '检察+行政', partners: '科左中旗林业和草原局' })
  assert.equal(r.status, 201, r.text)
  trash.add('pil-matters', r.json.id)
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/pil-matters/' + r.json.id)
  await page.locator('[data-test=reply-deadline]').waitFor()
  assert.equal(Number(await page.locator('[data-test=days-left]').innerText()), r.json.days_left)
  assert.match(await page.locator('[data-test=reply-deadline]').innerText(), new RegExp('期限 ' + r.json.reply_due))
  await shot(page, 'pil-matter.png')
  // the list: overdue matters only
  await go(page, '/pil-matters')
  await page.locator('[data-test=pil-matters-table] .el-table__row').first().waitFor()
  const filtered = page.waitForResponse((res) => res.url().includes('due=overdue'))
  await choose(page, page.locator('[data-test=filter-due]'), '逾期未回复')
  await filtered
  await page.locator('[data-test=pil-matters-table] .el-table__row').first().waitFor()
  const states = await page.locator('[data-test=pil-matters-table] .el-table__body-wrapper tr td:nth-child(7)').allInnerTexts()
  assert.ok(states.length > 0 && states.every((s) => s.trim() === '逾期'), states.join(','))
  await shot(page, 'pil-matters.png')
  noErrors(page)
  await page.close()
})

test('outreach: the list by month, a record’s page; the leadership gets no lead button', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  await go(page, '/outreach')
  await page.locator('[data-test=outreach-table] .el-table__row').first().waitFor()
  const filtered = page.waitForResponse((res) => res.url().includes('/api/v1/outreach') && res.url().includes('month=2025-07'))
  await page.locator('[data-test=month-filter] input').fill('2025-07')
  await page.keyboard.press('Enter')
  await filtered
  await page.locator('[data-test=outreach-table] .el-table__row').first().waitFor()
  const dates = await page.locator('[data-test=outreach-table] .el-table__body-wrapper tr td:nth-child(1)').allInnerTexts()
  assert.ok(dates.length > 0 && dates.every((d) => d.startsWith('2025-07')), dates.join(','))
  assert.equal(await page.locator('[data-test=add-button]').count(), 0, 'the leadership adds nothing')
  await shot(page, 'pil-outreach.png')
  await page.locator('[data-test=outreach-table] .el-table__row').first().getByText('详情').click()
  await page.locator('[data-test=outreach-members]').waitFor()
  await shot(page, 'pil-outreach-one.png')
  // a patrol that found something: no lead button for the leadership
  const p = (await req(admin, 'GET', `/patrols?branch_id=${kzzBranch.id}&problem_found=true&per_page=1`)).json.items[0]
  await go(page, '/patrols/' + p.id)
  await page.locator('[data-test=patrol-header]').waitFor()
  assert.equal(await page.locator('[data-test=lead-button]').count(), 0)
  noErrors(page)
  await page.close()
})
