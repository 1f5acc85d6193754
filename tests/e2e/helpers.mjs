// Shared set-up for the browser tests: Debian's chromium driven by playwright-core,
// against a running `ronghe serve` on a demo database.
//   RONGHE_URL             base URL of the server (required), e.g. http://127.0.0.1:8090
//   RONGHE_PASSWORD        password of the demo accounts (default demo-pass-123)
//   RONGHE_SCREENSHOT_DIR  where screenshots go (default /tmp)
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'

export const BASE = (process.env.RONGHE_URL || '').replace(/\/+$/, '')
export const PASSWORD = process.env.RONGHE_PASSWORD || 'demo-pass-123'
export const SHOT_DIR = process.env.RONGHE_SCREENSHOT_DIR || '/tmp'

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export async function launch() {
  assert.ok(BASE, 'RONGHE_URL must name a running `ronghe serve` (e.g. http://127.0.0.1:8090)')
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS })
}

// A fresh page in its own context (own cookies), failing the test on any script error
// or on a request to anywhere but the server itself.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...options })
  context.setDefaultTimeout(15000)
  const page = await context.newPage()
  page.errors = []
  page.on('pageerror', (e) => page.errors.push('pageerror: ' + e.message))
  page.on('console', (m) => {
    // a 401 for GET /me before login, and API errors the page shows, are expected
    if (m.type() === 'error' && !/status of (401|403|404|409|413|415|422|429)/.test(m.text())) page.errors.push('console: ' + m.text())
  })
  await context.route('**/*', (route) => {
    const u = route.request().url()
    if (u.startsWith(BASE + '/') || u === BASE || u.startsWith('data:')) return route.continue()
    page.errors.push('external request: ' + u)
    return route.abort()
  })
  return page
}

export async function login(page, username, password = PASSWORD) {
  await page.goto(BASE + '/')
  await page.locator('[data-test=login-username]').fill(username)
  await page.locator('[data-test=login-password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  // the landing page depends on the role: the home page, or a secretary's branch
  await page.waitForURL((u) => /^#\/(home|branches\/\d+)$/.test(u.hash))
  await page.locator('[data-test=current-user]').waitFor()
}

// A context of a phone's size (390 x 844, touch), otherwise as newPage().
export async function newPhonePage(browser) {
  return newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
}

export async function go(page, hash) {
  await page.goto(BASE + '/#' + hash)
}

// Pick an option of an Element Plus select (filterable: type to narrow it first).
export async function choose(page, selectLocator, optionText, typed) {
  await selectLocator.click()
  if (typed) await selectLocator.locator('input').fill(typed)
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first()
  await option.click()
}

// Names in the visible rows of a CrudTable.
export async function rowNames(table) {
  return table.locator('.el-table__body-wrapper [data-test=cell-name]').allInnerTexts()
}

export function noErrors(page) {
  assert.deepEqual(page.errors, [], 'the page reported errors')
}

// A screenshot of "page" into SHOT_DIR/name, the pointer out of the way and the fonts loaded;
// fails unless a real image was written.
export async function shot(page, name, fullPage = true) {
  await page.mouse.move(0, 0)
  await page.evaluate(() => document.fonts && document.fonts.ready)
  fs.mkdirSync(SHOT_DIR, { recursive: true })
  const file = path.join(SHOT_DIR, name)
  await page.screenshot({ path: file, fullPage })
  assert.ok(fs.statSync(file).size > 10000, 'screenshot written to ' + file)
}
