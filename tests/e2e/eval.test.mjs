// Browser tests of the evaluation's pages (考评结果, 得分解释, 考评方案, 领导驾驶舱, the
// branch page's 考评 card) against `ronghe serve` on the demo database.
// Run: tests/run-node.sh e2e eval.test.mjs
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import { launch, newPage, login, go, choose, noErrors, shot, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

const rows = (page) => page.locator('[data-test=eval-ranking] [data-test=eval-row]')

// A request in the page's session (with its CSRF token): {status, json}.
const request = (page, method, url, body) =>
  page.evaluate(
    async ([method, url, body]) => {
      const me = await (await fetch('/api/v1/me')).json()
      const res = await fetch('/api/v1' + url, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: body ? JSON.stringify(body) : undefined })
      return { status: res.status, json: res.status === 204 ? null : await res.json() }
    },
    [method, url, body],
  )

test('an administrator recomputes 2025: the job runs to the end and the ranking shows the 15 branches of the new run; a row opens its explanation with the same total, and an input lists its ledger records', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await page.locator('[data-test=menu-eval] .el-sub-menu__title').click()
  await page.locator('[data-test=menu-eval-results]').click()
  await page.waitForURL(/#\/eval$/)
  await rows(page).first().waitFor()
  const before = await page.locator('[data-test=eval-run]').innerText()

  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/jobs$/.test(r.url()))
  const reloaded = page.waitForResponse((r) => /\/api\/v1\/eval\/results\?/.test(r.url()) && r.status() === 200, { timeout: 60000 })
  await page.locator('[data-test=eval-run-button]').click()
  const res = await posted
  assert.equal(res.status(), 202)
  const job = await res.json()
  assert.equal(job.kind, 'eval')
  assert.equal(job.params.period, '2025')
  const after = await (await reloaded).json()
  assert.equal(after.run.period, '2025')
  await page.locator('[data-test=eval-job]').waitFor({ state: 'detached', timeout: 60000 })
  assert.equal(await rows(page).count(), 15, 'the 15 branches of the demo')
  assert.equal(after.items.length, 15)
  await page.locator('[data-test=eval-run]', { hasText: '第 ' + after.run.scheme.edition + ' 版' }).waitFor()
  assert.ok((await page.locator('.as-of').innerText()).includes('运行编号 ' + after.run.id), 'the new run is shown (was: ' + before + ')')

  // ranks 1..15 in order, each row's total as the API gave it (2 places)
  const ranks = await page.locator('[data-test=eval-row] [data-test=eval-rank]').allInnerTexts()
  assert.deepEqual(ranks.map(Number), Array.from({ length: 15 }, (_, i) => i + 1))
  const first = after.items.find((r) => r.rank_city === 1)
  const firstRow = rows(page).first()
  assert.equal((await firstRow.locator('[data-test=eval-name]').innerText()).trim(), first.name)
  assert.equal((await firstRow.locator('[data-test=eval-total]').innerText()).trim(), first.total.toFixed(2))
  await shot(page, 'eval-results.png')

  // the 同级 and 本院 rankings re-order by their ranks
  await page.locator('[data-test=eval-rank-scope] label', { hasText: '本院排名' }).click()
  await page.waitForURL(/rank=rank_proc/)
  const procRanks = await page.locator('[data-test=eval-row] [data-test=eval-rank]').allInnerTexts()
  assert.equal(procRanks[0], '1')
  assert.ok(procRanks.filter((r) => r === '1').length >= 9, 'a first place in each procuratorate')
  await page.locator('[data-test=eval-rank-scope] label', { hasText: '全市排名' }).click()

  // a click on a branch opens its explanation; its total is the ranking's
  const third = rows(page).nth(2)
  const name = (await third.locator('[data-test=eval-name]').innerText()).trim()
  const total = (await third.locator('[data-test=eval-total]').innerText()).trim()
  await third.click()
  await page.waitForURL(/#\/eval\/explain\?/)
  await page.locator('[data-test=explain-total]').waitFor()
  assert.equal((await page.locator('[data-test=explain-subject]').innerText()).trim(), name)
  assert.equal((await page.locator('[data-test=explain-total]').innerText()).trim(), total)
  assert.equal(await page.locator('[data-test=explain-dimension]').count(), 4, '政治 业务 创新 协作')
  assert.ok((await page.locator('[data-test=explain-indicator]').count()) >= 10)
  // the third branch (霍林郭勒) has its 2025 述职评议 entered but not yet approved in the demo: 待审核, shown as 缺项, not 0
  const manual = page.locator('[data-test=explain-indicator][data-name=述职评议]')
  await manual.locator('[data-test=tag-pending]').waitFor()
  assert.ok((await manual.locator('[data-test=missing]').count()) >= 1)
  // the 同频共振 chart and its coefficient
  await page.locator('[data-test=resonance-chart] svg, [data-test=resonance-chart] canvas').first().waitFor()
  assert.match(await page.locator('[data-test=resonance-coef]').innerText(), /同频共振 ρ[\s\S]*(-?\d\.\d{4}[\s\S]*依据 \d+ 个月|缺项)/)
  // the two series' parts, month by month: the party series is the sum of its parts
  const parts = page.locator('[data-test=resonance-parts]')
  await parts.waitFor()
  assert.ok((await parts.locator('tr.part').count()) >= 2)
  assert.ok((await page.locator('[data-test=explain-honour]').count()) >= 1)
  assert.ok((await page.locator('[data-test=explain-honour-condition]').count()) >= 4, 'each condition of a rule judged')
  await shot(page, 'eval-explain.png')

  // an input's records: 三会一课完成率 lists the branch's meetings, each a link to its page
  const input = page.locator('[data-test=explain-indicator][data-name=三会一课完成率] [data-test=explain-input]').first()
  const got = page.waitForResponse((r) => /\/api\/v1\/eval\/records\?/.test(r.url()))
  await input.locator('[data-test=explain-records]').click()
  const records = await (await got).json()
  assert.equal(records.measure, '三会一课完成率')
  assert.ok(records.items.length > 0, 'the demo branch held meetings')
  const dialog = page.locator('[data-test=records-dialog]')
  await dialog.locator('.el-table__row').first().waitFor()
  assert.equal(await dialog.locator('.el-table__row').count(), records.items.length)
  const link = dialog.locator('[data-test=record-link]').first()
  assert.match(await link.getAttribute('href'), /#\/activities\/\d+$/)
  await shot(page, 'eval-records.png', false)
  await link.click()
  await page.waitForURL(/#\/activities\/\d+$/)
  noErrors(page)
})

test('the branch page shows its 考评 card with the ranking total and a link to the explanation', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const r = await page.evaluate(async () => (await fetch('/api/v1/eval/results?period=2025')).json())
  const b = r.items.find((x) => x.rank_city === 1)
  await go(page, '/branches/' + b.subject_id)
  const card = page.locator('[data-test=branch-eval]')
  await card.waitFor()
  assert.equal((await card.locator('[data-test=branch-eval-total]').innerText()).trim(), b.total.toFixed(2))
  assert.match(await card.locator('[data-test=branch-eval-rank]').innerText(), /^1\s*\/\s*15/)
  await card.locator('[data-test=branch-eval-explain]').click()
  await page.waitForURL(new RegExp('#/eval/explain\\?.*branch_id=' + b.subject_id))
  assert.equal((await page.locator('[data-test=explain-total]').innerText()).trim(), b.total.toFixed(2))
  noErrors(page)
})

test('the scheme editor shows a misspelt measure as a Chinese error at its line, puts the cursor there on a click, and clears it when fixed', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/eval/schemes')
  const text = page.locator('[data-test=scheme-text]')
  await page.locator('[data-test=scheme-ok]').waitFor()
  // the list opens its first scheme (党员和党小组考评方案 sorts first): open the branches' one
  await page.locator('[data-test=scheme-list] .el-table__row', { hasText: '通辽市检察机关党建与业务融合考评方案' }).click()
  await page.waitForFunction(() => /^公式\s*=\s*三会一课完成率\s*$/m.test(document.querySelector('[data-test=scheme-text]').value))
  await page.locator('[data-test=scheme-ok]').waitFor()
  const good = await text.inputValue()
  const lines = good.split('\n')
  const at = lines.findIndex((l) => /^公式\s*=\s*三会一课完成率\s*$/.test(l))
  assert.ok(at >= 0, 'the default scheme has the formula 三会一课完成率')
  lines[at] = lines[at].replace('三会一课完成率', '三会一课完成律')
  await text.fill(lines.join('\n'))
  const error = page.locator('[data-test=scheme-error]', { hasText: '三会一课完成律' })
  await error.waitFor()
  assert.equal(await error.getAttribute('data-line'), String(at + 1))
  const said = await error.innerText()
  assert.match(said, new RegExp('第 ' + (at + 1) + ' 行第 \\d+ 列'))
  assert.match(said, /未知指标.*三会一课完成律.*是否指.*三会一课完成率/)
  assert.equal(await page.locator('[data-test=scheme-save]').isDisabled(), true, 'a wrong scheme is not saved')
  await shot(page, 'eval-scheme-error.png')

  // a click on the error puts the cursor on its line
  await error.click()
  const caret = await text.evaluate((el) => el.value.slice(0, el.selectionStart).split('\n').length)
  assert.equal(caret, at + 1)

  lines[at] = lines[at].replace('三会一课完成律', '三会一课完成率')
  await text.fill(lines.join('\n'))
  await page.locator('[data-test=scheme-ok]').waitFor()
  assert.equal(await page.locator('[data-test=scheme-error]').count(), 0)
  // the demo's scheme has been used for a result: saving it makes the next edition
  assert.match(await page.locator('[data-test=scheme-save]').innerText(), /另存为新版本/)

  // download: the editor's text as a .scheme file
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=scheme-download]').click()])
  assert.match(download.suggestedFilename(), /-第1版\.scheme$/)
  const file = path.join(SHOT_DIR, 'downloaded.scheme')
  await download.saveAs(file)
  assert.equal(fs.readFileSync(file, 'utf8'), good)

  // upload: a file read into the editor and checked
  lines[at] = lines[at].replace('三会一课完成率', '三会一课完成律')
  await page.locator('[data-test=scheme-file]').setInputFiles({ name: '县院方案.scheme', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\r\n'), 'utf8') })
  await page.locator('[data-test=scheme-error]', { hasText: '三会一课完成律' }).waitFor()
  assert.equal(await text.inputValue(), lines.join('\n'), 'CRLF read as lines')
  lines[at] = lines[at].replace('三会一课完成律', '三会一课完成率')
  await text.fill(lines.join('\n'))
  await page.locator('[data-test=scheme-ok]').waitFor()

  // 另存为新版本: the same name, the next edition, not used yet
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/eval-schemes$/.test(r.url()))
  await page.locator('[data-test=scheme-save]').click()
  const created = await (await posted).json()
  assert.equal(created.edition, 2)
  await page.locator('[data-test=scheme-list] .el-table__row', { hasText: '第 2 版' }).waitFor()
  assert.match(await page.locator('[data-test=scheme-save]').innerText(), /保存修改/, 'the new edition is unused: saved in place')
  noErrors(page)
})

test('leadership (read-only) sees the ranking but no 重新计算 button', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  await go(page, '/eval?period=2025')
  await rows(page).first().waitFor()
  assert.equal(await rows(page).count(), 15)
  assert.equal(await page.locator('[data-test=eval-run-button]').count(), 0)
  assert.equal(await page.locator('[data-test=eval-print]').count(), 1)
  noErrors(page)
})

test('the dashboard renders its charts on a 1920 × 1080 screen', async () => {
  const page = await newPage(browser, { viewport: { width: 1920, height: 1080 } })
  await login(page, 'viewer')
  await go(page, '/eval/dashboard?period=2025')
  for (const part of ['dash-map', 'dash-radar', 'dash-resonance', 'dash-service']) {
    await page.locator(`[data-test=${part}] svg, [data-test=${part}] canvas`).first().waitFor()
  }
  assert.equal(await page.locator('[data-test=dash-rank-row]').count(), 15)
  assert.equal(await page.locator('.topbar').count(), 0, 'the big screen has no menu or top bar')
  // the stage fills the window
  const box = await page.locator('.stage').boundingBox()
  assert.ok(Math.abs(box.width - 1920) < 2 && Math.abs(box.height - 1080) < 2, JSON.stringify(box))
  await page.waitForTimeout(800)
  await shot(page, 'eval-dashboard.png', false)
  // a click on a branch of the ranking shows its radar and 同频共振
  const row = page.locator('[data-test=dash-rank-row]').nth(4)
  const name = (await row.locator('.nm').innerText()).trim()
  await row.click()
  await page.locator('[data-test=dash-rank-row].chosen .nm', { hasText: name }).waitFor()
  await page.locator('[data-test=dash-radar] h2', { hasText: name }).waitFor()
  noErrors(page)
})

test('the dashboard reloads when a new run appears', async () => {
  const page = await newPage(browser, { viewport: { width: 1920, height: 1080 } })
  await login(page, 'admin')
  await go(page, '/eval/dashboard?period=2025&poll=1')
  const runOf = () => page.locator('[data-test=dash-run]').getAttribute('data-run')
  await page.locator('[data-test=dash-run][data-run]:not([data-run=""])').waitFor()
  const was = Number(await runOf())
  const job = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json()
    const r = await (await fetch('/api/v1/eval/results?period=2025')).json()
    const res = await fetch('/api/v1/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ kind: 'eval', scheme_id: r.run.scheme.id, period: '2025' }),
    })
    return res.status
  })
  assert.equal(job, 202)
  await page.waitForFunction((was) => Number(document.querySelector('[data-test=dash-run]').dataset.run) > was, was, { timeout: 60000 })
  assert.equal(await page.locator('[data-test=dash-rank-row]').count(), 15)
  noErrors(page)
})

test('the procuratorates are ranked too; a changed ledger record marks its branch 已过期 until recomputed', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/eval?period=2025')
  await rows(page).first().waitFor()
  await page.locator('[data-test=eval-kind] label', { hasText: '检察院' }).click()
  await page.waitForURL(/kind=procuratorate/)
  await page.locator('[data-test=eval-row] [data-test=eval-name]', { hasText: /^通辽市人民检察院$/ }).waitFor()
  assert.equal(await rows(page).count(), 9, 'the city procuratorate and its 8 county-level ones')
  assert.deepEqual((await page.locator('[data-test=eval-row] [data-test=eval-rank]').allInnerTexts()).map(Number), Array.from({ length: 9 }, (_, i) => i + 1))

  // one of the first branch's meetings is edited: its results are stale
  const changed = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json()
    const r = await (await fetch('/api/v1/eval/results?period=2025')).json()
    const b = r.items.find((x) => x.rank_city === 1)
    const a = (await (await fetch('/api/v1/activities?branch_id=' + b.subject_id + '&per_page=1')).json()).items[0]
    const res = await fetch('/api/v1/activities/' + a.id, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ topic: a.topic + '（修订）', version: a.version }),
    })
    return { status: res.status, branch: b.subject_id }
  })
  assert.equal(changed.status, 200)
  await page.locator('[data-test=eval-kind] label', { hasText: '党组织' }).click()
  const row = page.locator(`[data-test=eval-row][data-id="${changed.branch}"]`)
  await row.locator('[data-test=eval-stale]').waitFor()
  assert.match(await row.locator('[data-test=eval-stale]').innerText(), /已过期/)
  noErrors(page)
})

test('手工录入分值: a secretary enters a 述职评议 value for their branch (待审核, no 通过 for them); an administrator approves it (已通过)', async () => {
  const sec = await newPage(browser)
  await login(sec, 'hlgl-sec')
  await sec.locator('[data-test=menu-eval] .el-sub-menu__title').click()
  await sec.locator('[data-test=menu-eval-manual]').click()
  await sec.waitForURL(/#\/manage\/eval-manual-values$/)
  const table = sec.locator('[data-test=eval-manual-values-table]')
  await table.waitFor()
  await sec.locator('[data-test=add-button]').click()
  const dialog = sec.locator('[data-test=record-dialog]')
  await dialog.waitFor()
  // the secretary's own branch is filled in; the scheme's 手工录入 indicators fill the select
  const scheme = sec.waitForResponse((r) => /\/api\/v1\/eval-schemes\/\d+$/.test(r.url()))
  await choose(sec, dialog.locator('[data-test=input-scheme_id]'), '通辽市检察机关党建与业务融合考评方案')
  assert.equal((await scheme).status(), 200)
  await choose(sec, dialog.locator('[data-test=input-indicator]'), '述职评议')
  await dialog.locator('input[data-test=input-period]').fill('2024-Q4')
  await dialog.locator('input[data-test=input-value]').fill('88.5')
  await dialog.locator('textarea[data-test=input-evidence_note]').fill('2024 年第四季度述职评议会议记录')
  const created = sec.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/eval-manual-values$/.test(r.url()))
  await dialog.locator('[data-test=save-button]').click()
  const res = await created
  assert.equal(res.status(), 201, await res.text())
  const rec = await res.json()
  assert.equal(rec.status, '待审核')
  const me = await sec.evaluate(async () => (await fetch('/api/v1/me')).json())
  assert.equal(rec.branch_id, me.branch_id, 'the secretary’s own branch, filled in')
  assert.equal(rec.entered_by, me.id)
  const secRow = table.locator('.el-table__body-wrapper .el-table__row', { hasText: '2024-Q4' })
  await secRow.locator('[data-test=tag-status]', { hasText: '待审核' }).waitFor()
  assert.equal(await secRow.locator('[data-test=row-approve-button]').count(), 0, 'no 通过 for the secretary')
  noErrors(sec)

  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/manage/eval-manual-values')
  const row = page.locator('[data-test=eval-manual-values-table] .el-table__body-wrapper .el-table__row', { hasText: '2024-Q4' })
  await row.locator('[data-test=tag-status]', { hasText: '待审核' }).waitFor()
  assert.match(await row.innerText(), /述职评议[\s\S]*88\.5/)
  const approved = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/eval-manual-values\/\d+\/approve$/.test(r.url()))
  await row.locator('[data-test=row-approve-button]').click()
  await page.locator('.el-message-box .el-button--primary').click()
  const a = await approved
  assert.equal(a.status(), 200)
  const body = await a.json()
  assert.equal(body.id, rec.id)
  assert.equal(body.status, '已通过')
  await row.locator('[data-test=tag-status]', { hasText: '已通过' }).waitFor()
  assert.equal(await row.locator('[data-test=row-approve-button]').count(), 0, 'decided: no more buttons')
  assert.equal(await row.locator('[data-test=row-reject-button]').count(), 0)
  await shot(page, 'eval-manual-values.png')
  noErrors(page)
})

test('按同频共振: the branch whose two ledgers move together (科尔沁区第三党支部, 民益先枫) heads the order with an interval above 0, the one whose two move apart (奈曼旗第一) ends it; 导出 Excel downloads the ranking', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  await go(page, '/eval?period=2025')
  await rows(page).first().waitFor()
  await page.locator('[data-test=eval-rank-scope] label', { hasText: '按同频共振' }).click()
  await page.waitForURL(/rank=resonance/)
  const names = (await page.locator('[data-test=eval-row] [data-test=eval-name]').allInnerTexts()).map((s) => s.trim())
  assert.equal(names[0], '科尔沁区人民检察院第三党支部')
  const rho = await rows(page).first().locator('[data-test=eval-resonance]').innerText()
  const [, r, lo] = rho.match(/(-?\d\.\d{4})\s*\[(-?\d\.\d{4}),/)
  assert.ok(Number(r) >= 0.5 && Number(lo) > 0, rho)
  assert.equal(names[names.length - 1], '奈曼旗人民检察院第一党支部')
  assert.equal((await rows(page).first().locator('[data-test=eval-rank]').innerText()).trim(), '1')

  const download = page.waitForEvent('download')
  await page.locator('[data-test=eval-export]').click()
  const d = await download
  assert.equal(d.suggestedFilename(), '考评结果-2025.xlsx')
  const file = path.join(SHOT_DIR, 'eval-export.xlsx')
  await d.saveAs(file)
  assert.equal(fs.readFileSync(file).subarray(0, 2).toString(), 'PK', 'an XLSX (a zip)')
  await shot(page, 'eval-resonance-order.png')
  // members' results: the leadership reads them, and is offered no export (members' export is administrators')
  await go(page, '/eval?period=2025&kind=member')
  await rows(page).first().waitFor()
  assert.equal(await page.locator('[data-test=eval-export]').count(), 0)
  noErrors(page)
})

test('荣誉评定: 模范支部 is met by 科尔沁区第三党支部 alone, each condition judged with its values; a branch that misses shows which; its proposal prints', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  await page.locator('[data-test=menu-eval] .el-sub-menu__title').click()
  await page.locator('[data-test=menu-eval-honours]').click()
  await page.waitForURL(/#\/eval\/honours/)
  const model = page.locator('[data-test=honour]', { has: page.locator('[data-test=honour-name]', { hasText: '模范支部' }) })
  await model.waitFor()
  assert.match(await model.locator('[data-test=honour-eligible]').innerText(), /符合条件 1 个/)
  const first = model.locator('[data-test=honour-candidate]').first()
  assert.equal((await first.locator('[data-test=candidate-name]').innerText()).trim(), '科尔沁区人民检察院第三党支部')
  assert.equal(await first.locator('[data-test=candidate-met]').count(), 1)
  const conds = await first.locator('[data-test=candidate-condition]').allInnerTexts()
  assert.equal(conds.length, 4)
  assert.ok(conds.every((c) => c.startsWith('✓')), conds.join(' | '))
  // the next one misses at least one condition, and says which
  const second = model.locator('[data-test=honour-candidate]').nth(1)
  const missed = await second.locator('[data-test=candidate-condition]').allInnerTexts()
  assert.ok(missed.some((c) => c.startsWith('✗')), missed.join(' | '))
  await first.click()
  const proposal = page.locator('[data-test=honour-proposal]')
  await proposal.waitFor()
  assert.equal((await proposal.locator('[data-test=proposal-verdict]').innerText()).trim(), '符合')
  await shot(page, 'eval-honours.png')
  await proposal.locator('[data-test=proposal-explain]').click()
  await page.waitForURL(/#\/eval\/explain\?/)
  noErrors(page)
})

// ---- members and party groups (docs/schemes/member.scheme, run for 2024 and 2025 in the demo)

const HLGL = '霍林郭勒市人民检察院党支部'

test('党员: the results page lists a branch’s members with their ranks; a row opens the member’s explanation with the same total; the URL keeps the kind and the branch; 党小组 open theirs', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/eval?period=2025')
  await rows(page).first().waitFor()
  await page.locator('[data-test=eval-kind] label', { hasText: '党员' }).click()
  // the city reads 382 members: 全部 is offered and chosen
  await page.waitForURL(/kind=member.*branch=all/)
  await page.locator('[data-test=eval-run]', { hasText: '党员和党小组考评方案' }).waitFor()
  assert.deepEqual(
    (await page.locator('[data-test=eval-rank-scope] label').allInnerTexts()).map((s) => s.trim()),
    ['全市排名', '本院排名'],
    'members are ranked in the city and their procuratorate (no 同级, no order by 同频共振)',
  )
  const branch = await page.evaluate(async (name) => (await (await fetch('/api/v1/branches?per_page=100')).json()).items.find((b) => b.name === name).id, HLGL)
  const want = await page.evaluate(async (b) => (await fetch('/api/v1/eval/results?period=2025&kind=member&branch_id=' + b)).json(), branch)
  assert.ok(want.items.length >= 10, 'the branch has members with results')
  const loaded = page.waitForResponse((r) => new RegExp('/api/v1/eval/results\\?.*kind=member.*branch_id=' + branch).test(r.url()))
  await choose(page, page.locator('[data-test=eval-branch]'), HLGL)
  await loaded
  await page.waitForURL(new RegExp('branch=' + branch))
  await page.locator('[data-test=eval-ranking] th.c-name', { hasText: '党员' }).first().waitFor()
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=eval-ranking] [data-test=eval-row]').length === n, want.items.length)
  // ranked by the city's ranks, each row the API's name, total and branch
  const ranks = (await page.locator('[data-test=eval-row] [data-test=eval-rank]').allInnerTexts()).map(Number)
  assert.deepEqual(ranks, want.items.map((i) => i.rank_city).sort((a, b) => a - b))
  const names = (await page.locator('[data-test=eval-row] [data-test=eval-name]').allInnerTexts()).map((s) => s.trim())
  const byRank = [...want.items].sort((a, b) => a.rank_city - b.rank_city)
  assert.deepEqual(names, byRank.map((i) => i.name))
  assert.deepEqual(new Set(await page.locator('[data-test=eval-row] [data-test=eval-branch-name]').allInnerTexts()), new Set([HLGL]))
  await shot(page, 'eval-members.png')

  // 本院排名: the procuratorate's ranks, in order
  await page.locator('[data-test=eval-rank-scope] label', { hasText: '本院排名' }).click()
  await page.waitForURL(/rank=rank_proc/)
  const proc = (await page.locator('[data-test=eval-row] [data-test=eval-rank]').allInnerTexts()).map(Number)
  assert.deepEqual(proc, want.items.map((i) => i.rank_proc).sort((a, b) => a - b))

  // a reload shows the same: kind, branch and rank are the URL's
  await page.reload()
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=eval-ranking] [data-test=eval-row]').length === n, want.items.length)
  assert.equal((await page.locator('[data-test=eval-kind] label.is-active').innerText()).trim(), '党员')
  assert.equal((await page.locator('[data-test=eval-rank-scope] label.is-active').innerText()).trim(), '本院排名')
  assert.match(await page.locator('[data-test=eval-branch]').innerText(), new RegExp(HLGL))
  assert.match(await page.locator('.print-head').textContent(), new RegExp('2025 年度' + HLGL + '党员考评排名（本院排名）'))

  // 导出 Excel: the same kind and branch
  const download = page.waitForEvent('download')
  await page.locator('[data-test=eval-export]').click()
  const d = await download
  const url = new URL(d.url())
  assert.match(url.pathname, /\/api\/v1\/eval\/results\/export$/)
  assert.equal(url.searchParams.get('kind'), 'member')
  assert.equal(url.searchParams.get('branch_id'), String(branch))
  assert.equal(d.suggestedFilename(), '考评结果-2025.xlsx')

  // a row opens the member's explanation: the same total, the city's and procuratorate's ranks
  const row = rows(page).nth(1)
  const id = await row.getAttribute('data-id')
  const name = (await row.locator('[data-test=eval-name]').innerText()).trim()
  const total = (await row.locator('[data-test=eval-total]').innerText()).trim()
  await row.click()
  await page.waitForURL(new RegExp('#/eval/explain\\?.*member_id=' + id))
  await page.locator('[data-test=explain-total]').waitFor()
  const subject = page.locator('[data-test=explain-subject]')
  assert.equal((await subject.innerText()).trim(), name)
  assert.equal((await page.locator('[data-test=explain-total]').innerText()).trim(), total)
  assert.match(await subject.getAttribute('href'), new RegExp('#/members/' + id + '$'))
  const item = want.items.find((i) => String(i.subject_id) === id)
  assert.match(await page.locator('[data-test=explain-ranks]').innerText(), new RegExp('全市 ' + item.rank_city + '[\\s\\S]*本院 ' + item.rank_proc))
  assert.equal(await page.locator('[data-test=explain-dimension]').count(), 4)
  assert.ok((await page.locator('[data-test=explain-input]').count()) >= 4, 'the inputs are listed')
  assert.equal(await page.locator('[data-test=explain-records]').count(), 0, '台账记录 are the branches’ only')
  await page.locator('[data-test=explain-no-records]').waitFor()
  await page.locator('[data-test=explain-branch]', { hasText: HLGL }).waitFor()
  await shot(page, 'eval-member-explain.png')
  // 考评结果 leads back to the members of the branch
  await page.locator('[data-test=explain-ranking-link]').click()
  await page.waitForURL(new RegExp('#/eval\\?.*kind=member.*branch=' + branch))
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=eval-ranking] [data-test=eval-row]').length === n, want.items.length)

  // 党小组: the branch's groups; one opens its explanation, whose subject leads to the branch
  const groups = await page.evaluate(async (b) => (await fetch('/api/v1/eval/results?period=2025&kind=party_group&branch_id=' + b)).json(), branch)
  assert.ok(groups.items.length >= 2)
  await page.locator('[data-test=eval-kind] label', { hasText: '党小组' }).click()
  await page.waitForURL(/kind=party_group/)
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=eval-ranking] [data-test=eval-row]').length === n, groups.items.length)
  const g = rows(page).first()
  const gid = await g.getAttribute('data-id')
  const gtotal = (await g.locator('[data-test=eval-total]').innerText()).trim()
  await g.click()
  await page.waitForURL(new RegExp('#/eval/explain\\?.*party_group_id=' + gid))
  await page.locator('[data-test=explain-total]').waitFor()
  assert.equal((await page.locator('[data-test=explain-total]').innerText()).trim(), gtotal)
  await page.locator(`[data-test=explain-subject][href$="#/branches/${branch}"]`).waitFor()
  noErrors(page)
})

test('党员详情: the 考评 card shows the member’s 2025 total, ranks, four dimensions and the two years, and opens the explanation', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const r = await page.evaluate(async () => (await fetch('/api/v1/eval/results?period=2025&kind=member')).json())
  const m = r.items.find((i) => i.rank_city === 3)
  const e = await page.evaluate(async (id) => (await fetch('/api/v1/eval/explain?period=2024&member_id=' + id)).json(), m.subject_id)
  await go(page, '/members/' + m.subject_id)
  const card = page.locator('[data-test=member-eval]')
  await card.locator('[data-test=member-eval-total]').waitFor()
  assert.equal((await card.locator('[data-test=member-eval-total]').innerText()).trim(), m.total.toFixed(2))
  assert.equal((await card.locator('[data-test=member-eval-rank-city]').innerText()).trim().split(/\s/)[0], String(m.rank_city))
  assert.equal((await card.locator('[data-test=member-eval-rank-proc]').innerText()).trim(), String(m.rank_proc))
  assert.equal(await card.locator('[data-test=member-eval-dimension]').count(), 4)
  await card.locator('[data-test=member-eval-radar] svg').waitFor()
  const years = await card.locator('[data-test=member-eval-year]').allInnerTexts()
  assert.equal(years.length, 2, '2024 and 2025')
  assert.match(years[0], new RegExp('^2024 年度：' + e.total.replace('.', '\\.')))
  assert.match(years[1], new RegExp('^2025 年度：' + m.total.toFixed(2).replace('.', '\\.')))
  await page.waitForTimeout(500)
  await card.screenshot({ path: path.join(SHOT_DIR, 'member-eval.png') })
  await card.locator('[data-test=member-eval-explain]').click()
  await page.waitForURL(new RegExp('#/eval/explain\\?.*member_id=' + m.subject_id))
  assert.equal((await page.locator('[data-test=explain-total]').innerText()).trim(), m.total.toFixed(2))

  // a member who joined after the runs: the card says so in Chinese (no numbers, no error)
  const call = (method, url, body) => request(page, method, url, body)
  const made = await call('POST', '/members', { branch_id: m.branch_id, name: '考评新党员' })
  assert.equal(made.status, 201, JSON.stringify(made.json))
  await go(page, '/members/' + made.json.id)
  const empty = page.locator('[data-test=member-eval] [data-test=member-eval-empty]')
  await empty.waitFor()
  assert.match(await empty.innerText(), /尚无该党员的考评结果/)
  assert.equal(await page.locator('[data-test=member-eval-total]').count(), 0)
  assert.equal((await call('DELETE', '/members/' + made.json.id + '?version=' + made.json.version)).status, 204)
  noErrors(page)
})

test('a county administrator (扎鲁特旗) sees only its own procuratorate’s members; a secretary starts at their own branch', async () => {
  const page = await newPage(browser)
  await login(page, 'zlt-admin')
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json())
  // a link to another procuratorate's branch falls back to what the reader may read
  await go(page, '/eval?period=2025&kind=member&branch=7')
  await page.waitForURL(/branch=all/)
  const want = await page.evaluate(async () => (await fetch('/api/v1/eval/results?period=2025&kind=member')).json())
  assert.ok(want.items.length >= 5 && want.items.every((i) => i.procuratorate_id === me.procuratorate_id))
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=eval-ranking] [data-test=eval-row]').length === n, want.items.length)
  assert.deepEqual(new Set(await page.locator('[data-test=eval-row] [data-test=eval-branch-name]').allInnerTexts()), new Set(['扎鲁特旗人民检察院党支部']))
  await page.locator('[data-test=eval-branch]').click()
  await page.locator('.el-select-dropdown__item:visible').first().waitFor()
  const offered = (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((s) => s.trim())
  assert.deepEqual(offered, ['全部支部', '扎鲁特旗人民检察院党支部'])
  await page.keyboard.press('Escape')
  await shot(page, 'eval-members-county.png')
  noErrors(page)

  const sec = await newPage(browser)
  await login(sec, 'hlgl-sec')
  const mine = await sec.evaluate(async () => (await fetch('/api/v1/me')).json())
  await go(sec, '/eval?period=2025&kind=member')
  await sec.waitForURL(new RegExp('branch=' + mine.branch_id))
  await rows(sec).first().waitFor()
  assert.match(await sec.locator('[data-test=eval-branch]').innerText(), /（本支部）/)
  assert.deepEqual(new Set(await sec.locator('[data-test=eval-row] [data-test=eval-branch-name]').allInnerTexts()), new Set([mine.branch_name]))
  noErrors(sec)
})

test('党员 全部: the ranking comes a page of 50 at a time from the server, in the ranking’s order; page 2 continues it; 本院排名 pages by the procuratorate’s ranks', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const api = (q) => page.evaluate(async (s) => (await fetch('/api/v1/eval/results?' + s)).json(), q)
  const one = await api('period=2025&kind=member&per_page=50')
  const two = await api('period=2025&kind=member&per_page=50&page=2')
  assert.ok(one.total > 50, 'more members than a page')
  const first = page.waitForResponse((r) => /\/api\/v1\/eval\/results\?.*kind=member.*per_page=50/.test(r.url()))
  await go(page, '/eval?period=2025&kind=member&branch=all')
  const res = await first
  assert.match(res.url(), /page=1/)
  assert.doesNotMatch(res.url(), /branch_id=/, '全部: no branch')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=eval-ranking] [data-test=eval-row]').length === 50)
  const pager = page.locator('[data-test=eval-pager]')
  await pager.waitFor()
  assert.match(await pager.innerText(), new RegExp('共 ' + one.total + ' 条'))
  const shown = async () => (await page.locator('[data-test=eval-row]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id))))
  assert.deepEqual(await shown(), one.items.map((i) => i.subject_id), 'page 1: the server’s first 50, in its order')
  const next = page.waitForResponse((r) => /\/api\/v1\/eval\/results\?.*kind=member.*page=2/.test(r.url()))
  await pager.locator('.btn-next').click()
  await next
  await page.waitForFunction((id) => document.querySelector('[data-test=eval-row]')?.dataset.id === String(id), two.items[0].subject_id)
  assert.deepEqual(await shown(), two.items.map((i) => i.subject_id), 'page 2: the next 50')
  const ranks = (await page.locator('[data-test=eval-row] [data-test=eval-rank]').allInnerTexts()).map(Number)
  assert.deepEqual(ranks, two.items.map((i) => i.rank_city), 'the ranks the run gave, not renumbered per page')
  await shot(page, 'eval-members-paged.png')
  // 本院排名: back to page 1, ordered by procuratorate and its ranks by the server
  const byProc = await api('period=2025&kind=member&per_page=50&sort=rank_proc')
  const sorted = page.waitForResponse((r) => /\/api\/v1\/eval\/results\?.*kind=member.*sort=rank_proc/.test(r.url()))
  await page.locator('[data-test=eval-rank-scope] label', { hasText: '本院排名' }).click()
  await sorted
  await page.waitForFunction((id) => document.querySelector('[data-test=eval-row]')?.dataset.id === String(id), byProc.items[0].subject_id)
  assert.deepEqual(await shown(), byProc.items.map((i) => i.subject_id))
  assert.equal((await pager.locator('.number.is-active').innerText()).trim(), '1')
  noErrors(page)
})

test('手工录入分值 for other subjects: the form offers the subject’s kind; a member for an indicator of branches and procuratorates is refused in Chinese; the county’s procuratorate is entered (检察院 · name, 待审核) and another administrator approves it', async () => {
  const page = await newPage(browser)
  await login(page, 'zlt-admin')
  const call = (method, url, body) => request(page, method, url, body)
  const member = (await call('GET', '/members?per_page=1')).json.items[0]
  await go(page, '/manage/eval-manual-values')
  const table = page.locator('[data-test=eval-manual-values-table]')
  await table.waitFor()
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('[data-test=record-dialog]')
  await dialog.waitFor()
  await choose(page, dialog.locator('[data-test=input-subject_kind]'), '党员')
  assert.equal(await dialog.locator('[data-test=field-branch_id]').count(), 0, 'a member’s value names no branch')
  // members are searched by name (the option appears once the search answers)
  await choose(page, dialog.locator('[data-test=input-subject_id]'), member.name, member.name)
  await choose(page, dialog.locator('[data-test=input-scheme_id]'), '通辽市检察机关党建与业务融合考评方案')
  await choose(page, dialog.locator('[data-test=input-indicator]'), '述职评议')
  await dialog.locator('input[data-test=input-period]').fill('2023')
  await dialog.locator('input[data-test=input-value]').fill('86')
  await dialog.locator('textarea[data-test=input-evidence_note]').fill('2023 年度党员评议表')
  // the default scheme's 述职评议 is the branches' and procuratorates': refused in Chinese
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/eval-manual-values$/.test(r.url()))
  await dialog.locator('[data-test=save-button]').click()
  const no = await refused
  assert.equal(no.status(), 422)
  assert.equal((await no.json()).error.code, 'not_applicable')
  await page.locator('.el-message, .el-form-item__error', { hasText: '不适用于党员' }).first().waitFor()
  // 检察院 instead: the county's own
  await choose(page, dialog.locator('[data-test=input-subject_kind]'), '检察院')
  await choose(page, dialog.locator('[data-test=input-subject_id]'), '扎鲁特旗')
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/eval-manual-values$/.test(r.url()))
  await dialog.locator('[data-test=save-button]').click()
  const res = await created
  assert.equal(res.status(), 201, await res.text())
  const rec = await res.json()
  assert.equal(rec.subject_kind, 'procuratorate')
  assert.equal(rec.branch_id, null)
  const row = table.locator('.el-table__body-wrapper .el-table__row', { hasText: '2023 年度党员评议表' })
  await row.locator('[data-test=tag-status]', { hasText: '待审核' }).waitFor()
  assert.match(await row.innerText(), /检察院 · 扎鲁特旗/)
  assert.equal(await row.locator('[data-test=row-approve-button]').count(), 0, 'not for the one who entered it')
  noErrors(page)

  const city = await newPage(browser)
  await login(city, 'admin')
  await go(city, '/manage/eval-manual-values')
  const crow = city.locator('[data-test=eval-manual-values-table] .el-table__body-wrapper .el-table__row', { hasText: '2023 年度党员评议表' })
  const approved = city.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/eval-manual-values\/\d+\/approve$/.test(r.url()))
  await crow.locator('[data-test=row-approve-button]').click()
  await city.locator('.el-message-box .el-button--primary').click()
  assert.equal((await approved).status(), 200)
  await crow.locator('[data-test=tag-status]', { hasText: '已通过' }).waitFor()
  await shot(city, 'eval-manual-values-subjects.png')
  noErrors(city)
})
