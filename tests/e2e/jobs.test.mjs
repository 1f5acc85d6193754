// Browser tests of the 后台任务 page (background jobs) against `ronghe serve` on the demo
// database. Run: RONGHE_URL=http://127.0.0.1:8090 RONGHE_PASSWORD=... node --test tests/e2e/
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import { spawnSync } from 'node:child_process'
import { launch, newPage, login, go, noErrors, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

const isJobsList = (r) => r.request().method() === 'GET' && /\/api\/v1\/jobs(\?|$)/.test(r.url())

test('an admin starts a database backup and watches it reach 已完成 with its file', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  await page.locator('.el-menu-item', { hasText: '后台任务' }).click()
  await page.waitForURL(/#\/jobs/)
  const table = page.locator('[data-test=jobs-table]')
  await table.waitFor()

  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/jobs$/.test(r.url()))
  await page.locator('[data-test=backup-button]').click()
  const res = await posted
  assert.equal(res.status(), 202)
  const job = await res.json()
  assert.equal(job.kind, 'backup')

  // the job's row: its number in the 编号 column
  const row = table
    .locator('.el-table__row')
    .filter({ has: page.locator('[data-test=job-id]', { hasText: new RegExp('^' + job.id + '$') }) })
  await row.waitFor()
  assert.match(await row.innerText(), /数据库备份/)
  await row.locator('[data-test=job-status]', { hasText: '已完成' }).waitFor()

  const bar = row.locator('[data-test=job-progress]')
  assert.equal(await bar.getAttribute('aria-valuenow'), '100')
  assert.match(await bar.innerText(), /100%/)
  const file = (await row.locator('[data-test=job-result-file]').innerText()).trim()
  assert.match(file, /\.db$/, 'the result names the backup file: ' + file)
  assert.match(await row.locator('[data-test=job-result]').innerText(), /\d+\.\d\d MB/)
  assert.match(await row.innerText(), /admin/)
  // a city administrator may download it: a 下载 link to the job's download route
  const dl = row.locator('[data-test=job-download]')
  assert.equal(await dl.count(), 1, 'a 下载 button on the finished backup')
  assert.match(await dl.innerText(), /下载/)
  assert.equal(await dl.getAttribute('href'), `/api/v1/jobs/${job.id}/download`)
  const got = await page.evaluate(async (href) => {
    const r = await fetch(href)
    return { status: r.status, disposition: r.headers.get('content-disposition'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 15)) }
  }, await dl.getAttribute('href'))
  assert.equal(got.status, 200)
  assert.match(got.disposition, /^attachment; filename="ronghe-.*\.db"$/)
  assert.equal(got.head, 'SQLite format 3')
  // the file is really there when the server runs on this machine (tests/run-node.sh)
  if (process.env.RONGHE_DB && file.startsWith(path.dirname(process.env.RONGHE_DB))) {
    assert.ok(fs.statSync(file).size > 0, 'the backup file exists: ' + file)
  }

  // nothing is queued or running any more, so the page stops polling
  let polls = 0
  page.on('response', (r) => {
    if (isJobsList(r)) polls++
  })
  await page.waitForTimeout(2500)
  assert.equal(polls, 0, 'no GET /jobs once every job on the page has finished')

  await page.mouse.move(0, 0)
  await page.evaluate(() => document.fonts && document.fonts.ready)
  fs.mkdirSync(SHOT_DIR, { recursive: true })
  const shot = path.join(SHOT_DIR, 'jobs.png')
  await page.screenshot({ path: shot, fullPage: true })
  assert.ok(fs.statSync(shot).size > 10000, 'screenshot written to ' + shot)
  noErrors(page)
  await page.context().close()
})

test('a viewer sees the 后台任务 page but no 立即备份数据库 button', async () => {
  const page = await newPage(browser)
  await login(page, 'viewer')
  const item = page.locator('.el-menu-item', { hasText: '后台任务' })
  assert.equal(await item.count(), 1, 'the menu offers 后台任务 to a viewer')
  await item.click()
  await page.waitForURL(/#\/jobs/)
  const table = page.locator('[data-test=jobs-table]')
  await table.waitFor()
  await page.locator('.el-pagination__total').first().waitFor()
  assert.equal(await page.locator('[data-test=backup-button]').count(), 0)
  assert.equal(await page.getByRole('button', { name: '立即备份数据库' }).count(), 0)
  // finished backups show their file name, but no server path and no 下载
  const results = page.locator('[data-test=job-result-file]')
  await results.first().waitFor()
  for (const t of await results.allInnerTexts()) assert.ok(!t.includes('/'), 'no server path for a viewer: ' + t)
  assert.equal(await page.locator('[data-test=job-download]').count(), 0)
  assert.equal(await page.getByText('立即备份数据库').count(), 0)
  // and the server refuses a viewer's backup in Chinese
  const refused = await page.evaluate(async () => {
    const me = await fetch('/api/v1/me').then((r) => r.json())
    const r = await fetch('/api/v1/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ kind: 'backup' }),
    })
    return { status: r.status, body: await r.json() }
  })
  assert.equal(refused.status, 403)
  assert.match(refused.body.error.message, /[\u4e00-\u9fff]/)
  noErrors(page)
  await page.context().close()
})

test('a county administrator sees its own procuratorate’s jobs, not the city’s, and may not start a backup', async () => {
  const page = await newPage(browser)
  await login(page, 'zlt-admin')
  const me = await page.evaluate(() => fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => r.json()))
  // Only city administrators start jobs: one of the county's and one of the city's are
  // written as rows, the way a kind a county may start would leave them.
  const ins = spawnSync('sqlite3', [process.env.RONGHE_DB], {
    encoding: 'utf8',
    input: `.timeout 5000
INSERT INTO jobs(procuratorate_id, kind, status, message, created_by_name, created_at, updated_at) VALUES
  (${me.procuratorate_id}, 'backup', 'failed', '县院的任务', 'e2e', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
  ((SELECT id FROM procuratorates WHERE level = 1), 'backup', 'failed', '市院的任务', 'e2e', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
SELECT max(id) - 1 FROM jobs;`,
  })
  assert.equal(ins.status, 0, ins.stderr)
  const countyJob = ins.stdout.trim()
  await page.waitForTimeout(100) // another process's write is seen within 50 ms
  await go(page, '/jobs')
  await page.locator('[data-test=jobs-table]').waitFor()
  await page.locator('[data-test=job-id]').first().waitFor()
  assert.match(page.url(), /#\/jobs/)
  assert.deepEqual(await page.locator('[data-test=job-id]').allInnerTexts(), [countyJob])
  assert.deepEqual(await page.locator('[data-test=job-message]').allInnerTexts(), ['县院的任务'])
  assert.equal(await page.locator('[data-test=backup-button]').count(), 0)
  noErrors(page)
  await page.context().close()
})

test('a branch secretary sees 后台任务 with only the jobs it started itself', async () => {
  const page = await newPage(browser)
  await login(page, 'hlgl-sec')
  const me = await page.evaluate(() => fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => r.json()))
  // One job of the secretary's (as an export it started would leave it) and one of the
  // city's: only the first is shown. (Cancelling in the browser needs a job that stays
  // queued or running long enough to click: tests/e2e/import*.test.mjs does it.)
  const ins = spawnSync('sqlite3', [process.env.RONGHE_DB], {
    encoding: 'utf8',
    input: `.timeout 5000
INSERT INTO jobs(procuratorate_id, kind, status, message, created_by, created_by_name, created_at, updated_at) VALUES
  ((SELECT id FROM procuratorates WHERE level = 1), 'backup', 'failed', '别人的任务', NULL, 'e2e', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
  (${me.procuratorate_id}, 'backup', 'done', '完成', ${me.id}, '${me.username}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
SELECT max(id) FROM jobs;`,
  })
  assert.equal(ins.status, 0, ins.stderr)
  const mine = ins.stdout.trim()
  await page.waitForTimeout(100)
  await page.locator('.el-menu-item', { hasText: '后台任务' }).click()
  await page.waitForURL(/#\/jobs/)
  await page.locator('[data-test=job-id]').first().waitFor()
  assert.deepEqual(await page.locator('[data-test=job-id]').allInnerTexts(), [mine])
  assert.equal(await page.locator('[data-test=backup-button]').count(), 0)
  assert.equal(await page.locator('[data-test=job-cancel]').count(), 0, 'no 取消 on a job that is over')
  noErrors(page)
  await page.context().close()
})
