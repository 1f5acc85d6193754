// Browser tests of the cases ledger: the list and its filters, a case made through the form
// (a stage out of order refused on its field, nothing saved), the case page with its stages,
// team and derived composition, a team member added there, 三必评 with 缺项, and the
// viewer's read-only list. Screenshots of each page go to SHOT_DIR.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, newPhonePage, login, go, choose, noErrors, SHOT_DIR } from './helpers.mjs'
import { req, login as apiLogin, listAll, Trash, create } from '../api/lib.mjs'

let browser, admin, zlt
const trash = new Trash()
before(async () => {
  browser = await launch()
  admin = await apiLogin('admin')
  zlt = (await listAll(admin, '/procuratorates')).find((p) => p.name.includes('扎鲁特旗'))
})
after(async () => {
  await trash.empty(admin)
  if (browser) await browser.close()
})

test('the case list filters by stage and by team composition, and opens a case', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await page.locator('[data-test=menu-cases]').click()
  const table = page.locator('[data-test=cases-table]')
  await table.locator('.el-table__row').first().waitFor()
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(SHOT_DIR, 'cases-list.png') })
  await choose(page, page.locator('[data-test=filter-stage]'), '办结')
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=cases-table] .el-table__body-wrapper .el-table__row')]
    return rows.length > 0 && rows.every((r) => r.innerText.includes('办结'))
  })
  await choose(page, page.locator('[data-test=filter-led_by_party_member]'), '非党员主办')
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=cases-table] .el-table__body-wrapper .el-table__row')]
    return rows.length > 0 && rows.every((r) => r.innerText.includes('非党员'))
  })
  const want = (await req(admin, 'GET', `/cases?stage=${encodeURIComponent('办结')}&led_by_party_member=false&per_page=1`)).json.total
  assert.ok(want > 0, 'the demo has closed cases not led by a party member')
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(SHOT_DIR, 'cases-list-filtered.png') })
  await table.locator('[data-test=cell-name]').first().click().catch(async () => {
    await table.locator('.el-table__row').first().getByRole('button', { name: '详情' }).click()
  })
  await page.waitForURL((u) => /^#\/cases\/\d+$/.test(u.hash))
  await page.locator('[data-test=case-steps]').waitFor()
  noErrors(page)
})

test('a new case: a stage before the one before it is refused on its field, then saved in order', async () => {
  const page = await newPage(browser)
  await login(page, 'zlt-admin')
  await go(page, '/cases')
  await page.locator('[data-test=cases-table] .el-table__row').first().waitFor()
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  const no = '扎检e2e〔2025〕' + String(Date.now()).slice(-6) + '号'
  await dialog.locator('[data-test=field-case_no] input').fill(no)
  await choose(page, dialog.locator('[data-test=input-type]'), '审查起诉')
  await dialog.locator('[data-test=field-title] input').fill('测试某某盗窃案')
  for (const [f, v] of [['received_on', '2025-05-10'], ['decided_on', '2025-05-01']]) {
    const input = dialog.locator(`[data-test=field-${f}] input`)
    await input.fill(v)
    await input.press('Enter')
  }
  // leave the date inputs (a picker left open would take the click meant for 保存)
  await dialog.locator('[data-test=field-title] input').click()
  await page.locator('[data-test=save-button]').click()
  const error = dialog.locator('[data-test=field-decided_on] .el-form-item__error')
  await error.waitFor()
  assert.match(await error.innerText(), /审查终结.*不能早于.*受理/)
  assert.equal((await req(admin, 'GET', `/cases?q=${encodeURIComponent(no)}`)).json.total, 0, 'nothing saved')
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(SHOT_DIR, 'case-form-stage-order.png') })
  const decided = dialog.locator('[data-test=field-decided_on] input')
  await decided.fill('2025-05-20')
  await decided.press('Enter')
  await error.waitFor({ state: 'detached' })
  await dialog.locator('[data-test=field-title] input').click()
  await page.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })
  const made = (await req(admin, 'GET', `/cases?q=${encodeURIComponent(no)}`)).json.items
  assert.equal(made.length, 1)
  trash.add('cases', made[0].id)
  assert.deepEqual([made[0].procuratorate_id, made[0].received_on, made[0].decided_on, made[0].stage], [zlt.id, '2025-05-10', '2025-05-20', '审查决定'])
  noErrors(page)
})

test('the case page: stages, the team with party members and 员额检察官, the composition as the team changes, 三必评', async () => {
  const c = await create(admin, 'cases', { procuratorate_id: zlt.id, case_no: '扎检页面' + Date.now(), title: '页面测试某某故意伤害案', type: '审查起诉', received_on: '2025-03-01', decided_on: '2025-03-20', language: '双语', party_language: '蒙古语' })
  trash.add('cases', c.id)
  const members = await listAll(admin, `/members?procuratorate_id=${zlt.id}&quota_prosecutor=true`)
  const lead = await create(admin, 'case-members', { case_id: c.id, member_id: members[0].id, role: '主办检察官' })
  trash.add('case-members', lead.id)
  const rv = await create(admin, 'case-reviews', { case_id: c.id, aspect: '政治考量', score: 93, comment: '政治站位准确', reviewed_on: '2025-03-25' })
  trash.add('case-reviews', rv.id)

  const page = await newPage(browser)
  await login(page, 'zlt-admin')
  await go(page, '/cases/' + c.id)
  await page.locator('[data-test=case-steps]').waitFor()
  assert.equal(await page.locator('[data-test=case-steps] .el-step').count(), 5)
  assert.equal(await page.locator('[data-test=case-steps] .is-success').count() >= 2, true)
  assert.equal(await page.locator('[data-test=party-count]').innerText(), '1')
  assert.equal(await page.locator('[data-test=quota-count]').innerText(), '1')
  assert.equal(await page.locator('[data-test=led-by-party]').innerText(), '党员主办')
  const team = page.locator('[data-test=case-team]')
  await team.locator('.el-table__row').first().waitFor()
  assert.match(await team.innerText(), new RegExp(members[0].name))
  assert.equal(await team.locator('[data-test=tag-is_party_member]').count(), 1)
  // 三必评: one aspect scored, the two others 缺项 (never 0)
  assert.equal(await page.locator('[data-test=review-score]').count(), 1)
  assert.equal(await page.locator('[data-test=review-missing]').count(), 2)
  // the timeline carries the stages and the review
  const tl = page.locator('[data-test=case-timeline]')
  await tl.locator('[data-test=timeline-item]').first().waitFor()
  const said = await tl.innerText()
  for (const k of ['案件受理', '案件审查决定', '三必评']) assert.ok(said.includes(k), k)

  // a staff member who is not a party member but a 员额检察官 joins: 员额 2, 党员 still 1
  await page.locator('[data-test=case-team-panel] [data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  await dialog.locator('[data-test=input-kind]').getByText('非党员工作人员').click()
  await dialog.locator('[data-test=field-person_name] input').fill('页面非党员')
  await dialog.locator('[data-test=input-person_quota]').click()
  await choose(page, dialog.locator('[data-test=input-role]'), '检察官助理')
  await page.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelector('[data-test=quota-count]')?.innerText === '2')
  assert.equal(await page.locator('[data-test=party-count]').innerText(), '1')
  const added = (await req(admin, 'GET', `/case-members?case_id=${c.id}`)).json.items.find((x) => x.person_name === '页面非党员')
  assert.ok(added && added.person_quota === true)
  trash.add('case-members', added.id)
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(SHOT_DIR, 'case-detail.png'), fullPage: true })

  // 编辑 opens the case's form; saving comes back to the case page, changed
  await page.locator('[data-test=case-edit]').click()
  const form = page.locator('.el-dialog:visible')
  await form.waitFor()
  await form.locator('[data-test=field-title] input').fill('页面测试某某故意伤害案（改）')
  await page.locator('[data-test=save-button]').click()
  await page.waitForURL((u) => u.hash === '#/cases/' + c.id)
  await page.locator('[data-test=case-header]', { hasText: '（改）' }).waitFor()
  noErrors(page)

  const phone = await newPhonePage(browser)
  await login(phone, 'zlt-admin')
  await go(phone, '/cases/' + c.id)
  await phone.locator('[data-test=case-steps]').waitFor()
  await phone.locator('[data-test=case-team] [data-test=record-card]').first().waitFor()
  await phone.waitForTimeout(500)
  await phone.screenshot({ path: path.join(SHOT_DIR, 'case-detail-phone.png'), fullPage: true })
  noErrors(phone)
})

test('a bilingual 扎鲁特旗 demo case, and the viewer reads cases without writing', async () => {
  const bilingual = (await req(admin, 'GET', `/cases?procuratorate_id=${zlt.id}&language=${encodeURIComponent('双语')}&stage=${encodeURIComponent('办结')}&per_page=1`)).json.items[0]
  assert.ok(bilingual, 'the demo has closed bilingual cases in 扎鲁特旗')
  const page = await newPage(browser)
  await login(page, 'viewer')
  await go(page, '/cases/' + bilingual.id)
  await page.locator('[data-test=case-steps]').waitFor()
  await page.locator('[data-test=case-team] .el-table__row').first().waitFor()
  assert.equal(await page.locator('[data-test=case-edit]').count(), 0, 'the viewer has no 编辑')
  assert.equal(await page.locator('[data-test=case-team-panel] [data-test=add-button]').count(), 0)
  assert.equal(await page.locator('[data-test=review-score]').count(), 3, 'a closed demo case has its 三必评')
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(SHOT_DIR, 'case-detail-bilingual.png'), fullPage: true })
  await go(page, '/cases')
  await page.locator('[data-test=cases-table] .el-table__row').first().waitFor()
  assert.equal(await page.locator('[data-test=add-button]').count(), 0)
  noErrors(page)
})
