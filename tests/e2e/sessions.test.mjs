// Browser test of 我的登录会话 (the user menu → one's own sessions, 退出其他会话) against
// `ronghe serve` on the demo database. Run: RONGHE_URL=... RONGHE_PASSWORD=... node --test tests/e2e/
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { launch, newPage, login, noErrors, BASE, PASSWORD, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

// An account of this test's own, made through the API as admin, so that ending "other
// sessions" ends nobody else's.
async function newAccount() {
  const call = async (method, p, body, s) => {
    const headers = { 'Content-Type': 'application/json' }
    if (s) Object.assign(headers, { Cookie: s.cookie, 'X-CSRF-Token': s.csrf })
    const r = await fetch(BASE + '/api/v1' + p, { method, headers, body: body && JSON.stringify(body) })
    return { status: r.status, json: await r.json().catch(() => null), headers: r.headers }
  }
  const l = await call('POST', '/session', { username: 'admin', password: PASSWORD })
  assert.equal(l.status, 200)
  const admin = { cookie: /^(ronghe_session=[^;]*)/.exec(l.headers.getSetCookie()[0])[1], csrf: l.json.csrf_token }
  const username = 'e2e-sess-' + randomBytes(3).toString('hex')
  const password = 'E2e-' + randomBytes(4).toString('hex') + '-pw7'
  const u = await call('POST', '/users', { username, display_name: '会话页测试', password, role: 'viewer', procuratorate_id: 1 }, admin)
  assert.equal(u.status, 201, JSON.stringify(u.json))
  return { username, password }
}

test('the user menu opens 我的登录会话: a table of one’s sessions, and 退出其他会话 ends the others', async () => {
  const { username, password } = await newAccount()
  const elsewhere = await newPage(browser) // another browser of the same person
  await login(elsewhere, username, password)
  const page = await newPage(browser)
  await login(page, username, password)

  await page.locator('[data-test=user-menu]').click()
  await page.locator('[data-test=menu-my-sessions]').click()
  await page.waitForURL(/#\/sessions/)
  const table = page.locator('[data-test=sessions-table]')
  const rows = table.locator('.el-table__body-wrapper .el-table__row')
  await rows.nth(1).waitFor()
  assert.equal(await rows.count(), 2)
  assert.equal(await table.locator('[data-test=session-current]').count(), 1, 'one row is this session')
  assert.equal(await table.locator('[data-test=session-end]').count(), 1, 'the other can be ended')
  assert.match(await rows.first().innerText(), /127\.0\.0\.1/)
  assert.match(await rows.first().innerText(), /Chrome/)
  assert.match(await page.locator('.page-title').innerText(), /我的登录会话/)
  await page.screenshot({ path: path.join(SHOT_DIR, 'my-sessions.png'), fullPage: true })

  await page.locator('[data-test=end-others]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '退出其他会话' }).click()
  await page.locator('.el-message', { hasText: '已退出其他 1 个会话' }).waitFor()
  await table.locator('[data-test=session-end]').waitFor({ state: 'detached' })
  assert.equal(await rows.count(), 1)
  assert.equal(await page.locator('[data-test=end-others]').isDisabled(), true)

  // the other browser is signed out: its next request is refused and it goes to 登录
  const status = await elsewhere.evaluate(() => fetch('/api/v1/me').then((r) => r.status))
  assert.equal(status, 401)
  await elsewhere.reload()
  await elsewhere.waitForURL(/#\/login/)
  // and this one goes on
  assert.equal(await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status)), 200)
  noErrors(page)
  await page.context().close()
  await elsewhere.context().close()
})
