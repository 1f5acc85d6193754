// Browser tests of the member form: dates typed that are not real days are refused where
// they were typed and never saved as another day; the birth date opens on the years; the
// same name and birth date asks before saving; identity numbers as the server sends them.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, login, go, choose, noErrors, SHOT_DIR } from './helpers.mjs'
import { req, login as apiLogin, Trash } from '../api/lib.mjs'

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

// a day counted in China (UTC+8), as the server and the form count today
const localDay = (offset) => new Date(Date.now() + 8 * 3600 * 1000 + offset * 86400000).toISOString().slice(0, 10)

async function openNewMember(page, name) {
  await go(page, '/members')
  await page.locator('[data-test=members-table] .el-table__row').first().waitFor()
  await page.locator('[data-test=add-button]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  await choose(page, dialog.locator('[data-test=input-branch_id]'), '第一党支部', '第一党支部')
  await dialog.locator('[data-test=field-name] input').fill(name)
  return dialog
}

const byName = async (name) => (await req(admin, 'GET', `/members?q=${encodeURIComponent(name)}&per_page=50`)).json.items.filter((m) => m.name === name)

test('a typed date that is not a real day is refused under the input, kept as typed, and nothing is saved', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const name = '日期' + String(Date.now()).slice(-6)
  const dialog = await openNewMember(page, name)
  const cases = [
    ['birth_date', '1990-13-45', /出生日期不是有效日期/],
    ['birth_date', '1990-02-30', /出生日期不是有效日期/],
    ['birth_date', '2023-02-29', /出生日期不是有效日期/],
    ['birth_date', localDay(1), /出生日期不能晚于今天/],
    ['birth_date', '1990/05/01', /出生日期不是有效日期（格式 YYYY-MM-DD）/],
    ['joined_party', '2010-04-31', /入党日期不是有效日期/],
  ]
  for (const [field, typed, message] of cases) {
    const input = dialog.locator(`[data-test=field-${field}] input`)
    await input.fill(typed)
    await input.press('Enter')
    const error = dialog.locator(`[data-test=field-${field}] .el-form-item__error`)
    await error.waitFor()
    assert.match(await error.innerText(), message, typed)
    // the whole message can be read: nothing of the next row lies over it
    const below = await dialog.locator('[data-test=field-party_status]').boundingBox()
    const box = await error.boundingBox()
    assert.ok(box.y + box.height <= below.y + 1, `the message of ${typed} ends above the next row`)
    assert.equal(await input.inputValue(), typed, 'what was typed is not changed into another day')
    // leaving the field keeps it as typed too
    await dialog.locator('[data-test=field-position] input').click()
    assert.equal(await input.inputValue(), typed)
    await page.locator('[data-test=save-button]').click()
    await page.waitForTimeout(300)
    assert.ok(await dialog.isVisible(), 'the dialog stays open')
    assert.equal((await byName(name)).length, 0, `nothing saved with ${field} ${typed}`)
    await page.screenshot({ path: path.join(SHOT_DIR, `member-date-${typed.replace(/\//g, '_')}.png`) })
    await input.fill('')
    await input.press('Enter')
    await error.waitFor({ state: 'detached' })
  }
  // a real leap day is taken as typed and saved as it is
  const birth = dialog.locator('[data-test=field-birth_date] input')
  await birth.fill('1992-02-29')
  await birth.press('Enter')
  await dialog.locator('[data-test=field-birth_date] .el-form-item__error').waitFor({ state: 'detached' })
  await page.locator('[data-test=save-button]').click()
  await dialog.waitFor({ state: 'hidden' })
  const saved = await byName(name)
  assert.equal(saved.length, 1)
  trash.add('members', saved[0].id)
  assert.equal(saved[0].birth_date, '1992-02-29')
  noErrors(page)
  await page.context().close()
})

test('the birth-date calendar opens on the years and a pick fills the field', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const dialog = await openNewMember(page, '历' + String(Date.now()).slice(-6))
  await dialog.locator('[data-test=field-birth_date] [data-test=date-calendar]').click()
  const years = page.locator('.el-popover:visible .el-year-table')
  await years.waitFor()
  await page.screenshot({ path: path.join(SHOT_DIR, 'member-birth-years.png') })
  // a year, then a month, then a day
  await years.getByText('1990', { exact: true }).click()
  await page.locator('.el-popover:visible .el-month-table').getByText('三月', { exact: true }).click()
  await page.locator('.el-popover:visible .el-date-table td.available').getByText('7', { exact: true }).click()
  assert.equal(await dialog.locator('[data-test=field-birth_date] input').inputValue(), '1990-03-07')
  await page.locator('.el-popover:visible').waitFor({ state: 'detached' }) // the pick closed it
  // the joined date opens on its month, as usual
  await dialog.locator('[data-test=field-joined_party] [data-test=date-calendar]').click()
  await page.locator('.el-popover:visible .el-date-table').waitFor()
  noErrors(page)
  await page.context().close()
})

test('a second member with the same name and birth date is saved only after confirming', async () => {
  const page = await newPage(browser)
  await login(page, 'admin')
  const name = '同名' + String(Date.now()).slice(-6)
  const first = await req(admin, 'POST', '/members', { name, branch_id: (await req(admin, 'GET', '/branches?per_page=1')).json.items[0].id, birth_date: '1986-09-09' })
  assert.equal(first.status, 201, first.text)
  trash.add('members', first.json.id)
  const dialog = await openNewMember(page, name)
  const birth = dialog.locator('[data-test=field-birth_date] input')
  await birth.fill('1986-09-09')
  await birth.press('Enter')
  assert.equal(await birth.inputValue(), '1986-09-09')
  await page.locator('[data-test=save-button]').click()
  const box = page.locator('.el-message-box:visible')
  await box.waitFor().catch(async (e) => {
    await page.screenshot({ path: path.join(SHOT_DIR, 'member-possible-duplicate-missing.png') })
    const said = await page.locator('.el-message, .el-form-item__error').allInnerTexts()
    throw new Error(`no confirmation asked (${e.message}); the page said: ${JSON.stringify(said)}`)
  })
  const text = await box.innerText()
  assert.match(text, /可能重复/)
  assert.ok(text.includes(first.json.branch_name), text)
  await page.screenshot({ path: path.join(SHOT_DIR, 'member-possible-duplicate.png') })
  // 返回修改: nothing saved, the form is still open
  await box.locator('button', { hasText: '返回修改' }).click()
  assert.ok(await dialog.isVisible())
  assert.equal((await byName(name)).length, 1)
  // confirmed: saved
  await page.locator('[data-test=save-button]').click()
  await page.locator('.el-message-box:visible button', { hasText: '确认不是同一人' }).click()
  await dialog.waitFor({ state: 'hidden' })
  const both = await byName(name)
  assert.equal(both.length, 2)
  for (const m of both) trash.add('members', m.id)
  noErrors(page)
  await page.context().close()
})

test('identity numbers: masked for a viewer, whole and searchable by exact number for an administrator', async () => {
  const demo = (await req(admin, 'GET', '/members?per_page=1&sort=id')).json.items[0]
  assert.match(demo.id_number, /^\d{17}[\dX]$/)

  const page = await newPage(browser)
  await login(page, 'admin')
  await go(page, '/members')
  const filter = page.locator('input[data-test=filter-id_number]')
  await filter.fill(demo.id_number)
  await filter.press('Enter')
  const table = page.locator('[data-test=members-table]')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=members-table] .el-table__body-wrapper .el-table__row').length === 1)
  const row = await table.locator('.el-table__body-wrapper .el-table__row').first().innerText()
  assert.ok(row.includes(demo.name), row)
  assert.ok(row.includes(demo.id_number), row)
  await page.screenshot({ path: path.join(SHOT_DIR, 'member-id-search.png') })
  noErrors(page)
  await page.context().close()

  const vpage = await newPage(browser)
  await login(vpage, 'viewer')
  await go(vpage, '/members')
  await vpage.locator('[data-test=members-table] .el-table__row').first().waitFor()
  assert.equal(await vpage.locator('[data-test=filter-id_number]').count(), 0, 'no exact-number search for a viewer')
  const body = await vpage.locator('[data-test=members-table]').innerText()
  assert.match(body, /\d{4}\*{13}[\dX]/)
  assert.doesNotMatch(body, /\d{17}[\dX]/)
  noErrors(vpage)
  await vpage.context().close()
})
