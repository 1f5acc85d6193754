// Browser tests of what users found (issue 6): a home page per role, phones (390 x 844),
// the keyboard, text contrast (WCAG AA) and Mongolian names shown whole.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { launch, newPage, newPhonePage, login, go, noErrors, BASE, PASSWORD, SHOT_DIR } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  if (browser) await browser.close()
})

/** The API as "username" from node (a session of its own), for expected values. */
async function apiSession(username) {
  const r = await fetch(BASE + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  assert.equal(r.status, 200)
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('ronghe_session='))
  const { csrf_token } = await r.json()
  const call = async (method, p, body) => {
    const res = await fetch(BASE + '/api/v1' + p, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    return { status: res.status, json: text ? JSON.parse(text) : null }
  }
  return { get: async (p) => (await call('GET', p)).json, call }
}

// A picture once every transition has ended (a dialog fading in is seen half-transparent).
const shot = async (page, name, fullPage = true) => {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 5000 }).catch(() => {})
  return page.screenshot({ path: path.join(SHOT_DIR, name + '.png'), fullPage })
}
const waitIdle = async (page) => {
  await page.waitForLoadState('networkidle')
  await page.locator('.el-loading-mask').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {})
}

// ---- home pages -----------------------------------------------------------------------

describe('home page per role', () => {
  const CHARTS = { age: '年龄结构', ethnicity: '民族构成', quota: '员额检察官', 'party-years': '党龄分布', honours: '荣誉（按年份和级别）', procuratorates: '各院党员人数' }

  test('leadership (viewer) lands on 首页: counts per procuratorate and a titled chart with readable counts for each figure', async () => {
    const page = await newPage(browser)
    await login(page, 'viewer')
    assert.match(page.url(), /#\/home$/)
    const api = await apiSession('viewer')
    const stats = await api.get('/stats')
    const members = await api.get('/members?per_page=1')
    await page.locator('[data-test=home-counts]').waitFor()
    assert.equal(await page.locator('[data-test=kpi-members] .kpi-value').innerText(), String(members.total))
    assert.equal(await page.locator('[data-test=home-count-row]').count(), 9, 'one row per procuratorate')
    const zlt = page.locator('[data-test=home-count-row]', { hasText: '扎鲁特旗' })
    const z = stats.procuratorates.find((p) => p.name === '扎鲁特旗人民检察院')
    assert.deepEqual((await zlt.locator('td').allInnerTexts()).map(Number), [z.branches, z.members, z.quota_prosecutors, z.youth, z.honours])
    for (const [key, title] of Object.entries(CHARTS)) {
      const svg = page.locator(`[data-test=chart-${key}] svg`)
      await svg.locator('text', { hasText: title }).first().waitFor()
    }
    // The counts are written on the bars, not left to a tooltip.
    const ageTexts = await page.locator('[data-test=chart-age] svg text').allTextContents()
    for (const b of stats.age_bands) assert.ok(ageTexts.includes(String(b.count)), `age band ${b.label}: ${b.count} is on the chart`)
    const ethTexts = (await page.locator('[data-test=chart-ethnicity] svg text').allTextContents()).join(' ')
    for (const e of stats.ethnicity.filter((x) => x.count > 0)) assert.ok(ethTexts.includes(`${e.count} 名`), `民族 ${e.label}`)
    await shot(page, 'home-viewer')
    noErrors(page)
    await page.context().close()
  })

  test("a county administrator's home page counts their procuratorate only", async () => {
    const page = await newPage(browser)
    await login(page, 'zlt-admin')
    assert.match(page.url(), /#\/home$/)
    await page.locator('[data-test=home-counts]').waitFor()
    const rows = await page.locator('[data-test=home-count-row]').allInnerTexts()
    assert.equal(rows.length, 1)
    assert.match(rows[0], /扎鲁特旗/)
    assert.match(await page.locator('[data-test=home-scope]').innerText(), /扎鲁特旗人民检察院/)
    const api = await apiSession('zlt-admin')
    const own = await api.get('/members?per_page=1')
    assert.equal(await page.locator('[data-test=kpi-members] .kpi-value').innerText(), String(own.total))
    assert.equal(await page.locator('[data-test=chart-procuratorates]').count(), 0, 'no comparison of one procuratorate')
    await shot(page, 'home-zlt-admin')
    noErrors(page)
    await page.context().close()
  })

  test('a branch secretary lands on their branch, and 首页 takes them there too', async () => {
    const page = await newPage(browser)
    await login(page, 'hlgl-sec')
    const api = await apiSession('hlgl-sec')
    const me = await api.get('/me')
    assert.match(page.url(), new RegExp(`#/branches/${me.branch_id}$`))
    await page.locator('[data-test=branch-header]').waitFor()
    assert.match(await page.locator('[data-test=branch-header]').innerText(), new RegExp(me.branch_name))
    await go(page, '/org')
    await page.locator('[data-test=menu-home]').click()
    await page.waitForURL(new RegExp(`#/branches/${me.branch_id}$`))
    noErrors(page)
    await page.context().close()
  })
})

// ---- phones ---------------------------------------------------------------------------

// The menu drawer has finished opening (on screen, visible) or closing (hidden).
const drawer = (page, open) =>
  page.waitForFunction((open) => {
    const el = document.querySelector('#main-menu')
    const visible = getComputedStyle(el).visibility === 'visible'
    return open ? visible && el.getBoundingClientRect().left >= -0.5 : !visible
  }, open)

describe('phones (390 x 844)', () => {
  const menuVisible = (page) =>
    page.locator('#main-menu').evaluate((el) => {
      const r = el.getBoundingClientRect()
      return getComputedStyle(el).visibility === 'visible' && r.right > 0 && r.left >= -0.5
    })

  test('the menu is behind a button: closed, it takes no room and no focus; the button opens it; a choice or Esc closes it', async () => {
    const page = await newPhonePage(browser)
    await login(page, 'admin')
    assert.equal(await menuVisible(page), false, 'the menu does not stand beside the page')
    const main = await page.locator('.main').boundingBox()
    assert.ok(main.x < 1 && main.width >= 389, 'the page has the whole width: ' + JSON.stringify(main))
    const button = page.locator('[data-test=menu-button]')
    assert.equal(await button.getAttribute('aria-expanded'), 'false')
    await button.click()
    await drawer(page, true)
    assert.equal(await menuVisible(page), true)
    assert.equal(await button.getAttribute('aria-expanded'), 'true')
    assert.equal(await page.evaluate(() => document.activeElement.closest('#main-menu') !== null), true, 'focus moves into the menu')
    await page.screenshot({ path: path.join(SHOT_DIR, 'phone-menu-open.png') })
    await page.keyboard.press('Escape')
    await drawer(page, false)
    assert.equal(await page.evaluate(() => document.activeElement.dataset.test), 'menu-button', 'focus returns to the button')
    await button.click()
    await page.locator('#main-menu .el-menu-item', { hasText: '品牌墙' }).click()
    await page.waitForURL(/#\/brand-wall$/)
    await drawer(page, false)
    noErrors(page)
    await page.context().close()
  })

  test('no page of the menu is wider than the screen (each photographed)', async () => {
    const page = await newPhonePage(browser)
    await go(page, '/login')
    await page.locator('[data-test=login-username]').waitFor()
    const loginWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    await shot(page, 'phone-00-登录')
    await login(page, 'admin')
    const button = page.locator('[data-test=menu-button]')
    // Every entry of the menu, sub-menus opened.
    await button.click()
    const closed = page.locator('#main-menu .el-sub-menu:not(.is-opened) > .el-sub-menu__title')
    for (let n = await closed.count(); n > 0; n--) await closed.first().click() // each click opens one: the rest move up
    const labels = (await page.locator('#main-menu .el-menu-item').allInnerTexts()).map((s) => s.trim())
    await page.keyboard.press('Escape')
    assert.ok(labels.length >= 10, 'the menu lists the pages: ' + labels.join(' '))
    const widths = {}
    for (const [i, label] of labels.entries()) {
      if (label === '领导驾驶舱') continue // the big screen: outside the menu's layout, scaled to the window (eval.test.mjs)
      await button.click()
      await drawer(page, true)
      const item = page.locator('#main-menu .el-menu-item', { hasText: label }).first()
      if (!(await item.isVisible())) await page.locator('#main-menu .el-sub-menu', { has: item }).locator('.el-sub-menu__title').click()
      await item.click()
      await drawer(page, false)
      await waitIdle(page)
      widths[label] = await page.evaluate(() => document.documentElement.scrollWidth)
      await shot(page, `phone-${String(i + 1).padStart(2, '0')}-${label}`)
    }
    // and a branch's page, reached from the org tree
    await go(page, '/branches/1')
    await page.locator('[data-test=branch-header]').waitFor()
    await waitIdle(page)
    widths['支部详情'] = await page.evaluate(() => document.documentElement.scrollWidth)
    await shot(page, 'phone-branch')
    widths['登录'] = loginWidth
    const tooWide = Object.entries(widths).filter(([, w]) => w > 390)
    assert.deepEqual(tooWide, [], 'pages wider than 390 px: ' + JSON.stringify(widths))
    noErrors(page)
    await page.context().close()
  })

  test('the members list is one card per member, with the name, label/value pairs and the actions', async () => {
    const page = await newPhonePage(browser)
    await login(page, 'admin')
    await go(page, '/members')
    const cards = page.locator('[data-test=record-card]')
    await cards.first().waitFor()
    assert.equal(await page.locator('[data-test=members-table] .el-table').count(), 0, 'no table on a phone')
    assert.ok((await cards.count()) >= 10)
    const api = await apiSession('admin')
    const first = (await api.get('/members?per_page=20')).items
    const names = await page.locator('[data-test=record-card] [data-test=cell-name]').allInnerTexts()
    assert.deepEqual(names.map((s) => s.trim()), first.map((m) => m.name), 'the cards are the list, in its order')
    const card = cards.first()
    const text = await card.innerText()
    for (const label of ['性别', '年龄', '民族', '职务', '支部']) assert.match(text, new RegExp(label), label)
    assert.match(text, new RegExp(first[0].ethnicity))
    for (const action of ['edit-button', 'history-button', 'delete-button']) assert.equal(await card.locator(`[data-test=${action}]`).count(), 1, action)
    const box = await card.boundingBox()
    assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the card fits the screen')
    // editing from a card opens a dialog that fits the screen too
    await card.locator('[data-test=edit-button]').click()
    const dialog = page.locator('.el-dialog[data-test=record-dialog]')
    await dialog.waitFor()
    const d = await dialog.boundingBox()
    assert.ok(d.x >= 0 && d.x + d.width <= 390, 'the dialog fits: ' + JSON.stringify(d))
    await shot(page, 'phone-member-dialog', false)
    await dialog.locator('button', { hasText: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })
    // and the record's history, in a drawer as wide as the screen
    await card.locator('[data-test=history-button]').click()
    const hist = page.locator('.el-drawer[data-test=history-drawer]')
    await hist.locator('[data-test=history-entry]').first().waitFor()
    await page // once it has slid in
      .waitForFunction(() => document.querySelector('.el-drawer[data-test=history-drawer]').getBoundingClientRect().x < 0.01, null, { timeout: 3000 })
      .catch(() => {})
    const h = await hist.boundingBox()
    assert.ok(h.x >= 0 && h.x + h.width <= 390.5, 'the history fits: ' + JSON.stringify(h))
    await shot(page, 'phone-history', false)
    noErrors(page)
    await page.context().close()
  })
})

// ---- keyboard ---------------------------------------------------------------------------

describe('keyboard', () => {
  const activeInfo = (page) =>
    page.evaluate(() => {
      const a = document.activeElement
      return {
        menu: !!a.closest('#main-menu'),
        text: (a.innerText || '').trim(),
        sub: a.classList.contains('el-sub-menu__title'),
        card: a.dataset.test === 'brand-card' ? a.dataset.brandId : null,
      }
    })

  test('Tab reaches every entry of the menu, Enter opens a sub-menu and a page', async () => {
    const page = await newPage(browser)
    await login(page, 'admin')
    await page.locator('[data-test=home-counts]').waitFor()
    await page.evaluate(() => document.activeElement && document.activeElement.blur()) // from the top of the page
    const reached = new Set()
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab')
      const a = await activeInfo(page)
      if (!a.menu) {
        if (reached.size) break // past the menu
        continue
      }
      reached.add(a.text)
      if (a.sub) await page.keyboard.press('Enter') // opens it (every sub-menu starts closed on 首页)
    }
    const all = (await page.locator('#main-menu .el-menu-item, #main-menu .el-sub-menu__title').allInnerTexts()).map((s) => s.trim())
    assert.ok(all.length >= 11, all.join(' '))
    assert.deepEqual(all.filter((t) => !reached.has(t)), [], 'menu entries Tab did not reach')
    // Enter on a focused item opens its page.
    await page.locator('#main-menu .el-menu-item', { hasText: '品牌墙' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/#\/brand-wall$/)
    noErrors(page)
    await page.context().close()
  })

  test('Tab reaches every brand-wall card and Enter opens the branch', async () => {
    const page = await newPage(browser)
    await login(page, 'admin')
    await go(page, '/brand-wall')
    const cards = page.locator('[data-test=brand-card]')
    await cards.first().waitFor()
    const ids = await cards.evaluateAll((els) => els.map((e) => e.dataset.brandId))
    await page.locator('input[data-test=brand-wall-search]').focus()
    const reached = new Set()
    for (let i = 0; i < 400 && reached.size < ids.length; i++) {
      await page.keyboard.press('Tab')
      const a = await activeInfo(page)
      if (a.card) reached.add(a.card)
    }
    assert.deepEqual(ids.filter((id) => !reached.has(id)), [], 'cards Tab did not reach')
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)
    assert.notEqual(ring, 'none', 'the focused card shows it')
    await cards.first().focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/#\/branches\/\d+$/)
    noErrors(page)
    await page.context().close()
  })
})

// ---- contrast -------------------------------------------------------------------------

// WCAG 2 contrast, computed in the page from getComputedStyle: the text colour over the
// backgrounds beneath it (composited through transparency, white at the bottom).
async function contrastOf(locator, pseudo) {
  return locator.evaluate((el, pseudo) => {
    const parse = (s) => {
      const m = /rgba?\(([^)]+)\)/.exec(s)
      if (!m) return null
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number)
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]
    }
    const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat(1)
    const layers = []
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor)
      if (c && c[3] > 0) layers.push(c)
      if (c && c[3] === 1) break
    }
    let bg = [255, 255, 255, 1]
    for (const l of layers.reverse()) bg = over(l, bg)
    const fg = over(parse(getComputedStyle(el, pseudo || null).color), bg)
    const lum = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        v /= 255
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a)
    return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100
  }, pseudo)
}

describe('contrast (WCAG AA, 4.5:1)', () => {
  test('示例, 删除, table headers, placeholders and secondary text on the members page', async (t) => {
    const page = await newPage(browser)
    await login(page, 'admin')
    await go(page, '/members')
    await page.locator('[data-test=members-table] .el-table__row').first().waitFor()
    const checks = {
      '示例': page.locator('[data-test=members-table] [data-test=sample-tag]').first(),
      '删除': page.locator('[data-test=members-table] [data-test=delete-button]').first(),
      '编辑': page.locator('[data-test=members-table] [data-test=edit-button]').first(),
      '表头': page.locator('[data-test=members-table] .el-table__header th .cell').first(),
      '筛选占位': page.locator('.toolbar .el-select__placeholder').first(),
      '蒙古文姓名': page.locator('[data-test=cell-name-mn]').first(),
      '说明文字': page.locator('.page-title .muted').first(),
    }
    const got = {}
    for (const [name, loc] of Object.entries(checks)) got[name] = await contrastOf(loc)
    got['搜索占位'] = await contrastOf(page.locator('input[data-test=member-search]'), '::placeholder')
    t.diagnostic('contrast ' + JSON.stringify(got))
    const low = Object.entries(got).filter(([, v]) => !(v >= 4.5))
    assert.deepEqual(low, [], 'below 4.5:1: ' + JSON.stringify(got))
    noErrors(page)
    await page.context().close()
  })

  test('a destructive action is red and asks first', async () => {
    const page = await newPage(browser)
    await login(page, 'admin')
    await go(page, '/members')
    const del = page.locator('[data-test=members-table] [data-test=delete-button]').first()
    await del.waitFor()
    assert.match(await del.getAttribute('class'), /el-button--danger/)
    const [r, g, b] = (await del.evaluate((e) => getComputedStyle(e).color)).match(/\d+/g).map(Number)
    assert.ok(r > 150 && g < 80 && b < 80, `删除 is red: rgb(${r}, ${g}, ${b})`)
    await del.click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    assert.match(await box.innerText(), /确定删除/)
    assert.match(await box.locator('.el-button--danger').innerText(), /删除/)
    await box.locator('button', { hasText: '取消' }).click()
    noErrors(page)
    await page.context().close()
  })
})

// ---- Mongolian names ------------------------------------------------------------------

describe('Mongolian names', () => {
  // A long name (five words), which the table cut off before.
  const LONG_MN = 'ᠠᠯᠲᠠᠨᠴᠢᠯᠠᠭᠤ ᠪᠠᠲᠤᠮᠥᠩᠬᠡ ᠡᠷᠳᠡᠨᠢᠪᠠᠶᠠᠷ ᠰᠠᠷᠠᠨᠭᠡᠷᠡᠯ ᠬᠠᠰᠪᠠᠭᠠᠲᠤ'
  let admin, memberId
  before(async () => {
    admin = await apiSession('admin')
    const branch = (await admin.get('/branches?per_page=1')).items[0]
    const r = await admin.call('POST', '/members', { branch_id: branch.id, name: '长蒙文名测试', name_mn: LONG_MN })
    assert.equal(r.status, 201, JSON.stringify(r.json))
    memberId = r.json.id
  })
  after(async () => {
    const m = await admin.get('/members/' + memberId)
    await admin.call('DELETE', `/members/${memberId}?version=${m.version}`)
  })

  const whole = (loc) => loc.evaluate((e) => ({ text: e.innerText, sw: e.scrollWidth, cw: e.clientWidth, sh: e.scrollHeight, ch: e.clientHeight }))

  test('in the members table, in a phone card and in the edit form the name is shown whole', async () => {
    const page = await newPage(browser)
    await login(page, 'admin')
    await go(page, '/members')
    await page.locator('input[data-test=member-search]').fill('长蒙文名测试')
    const cell = page.locator('[data-test=members-table] .el-table__row', { hasText: '长蒙文名测试' }).locator('[data-test=cell-name-mn]')
    await cell.waitFor()
    const c = await whole(cell)
    assert.equal(c.text.trim(), LONG_MN)
    assert.ok(c.sw <= c.cw, `the cell shows all of it: ${c.sw} > ${c.cw}`)
    await page.locator('[data-test=members-table] .el-table__row', { hasText: '长蒙文名测试' }).locator('[data-test=edit-button]').click()
    const input = page.locator('textarea[data-test=input-name_mn]')
    await input.waitFor()
    assert.equal(await input.inputValue(), LONG_MN)
    const i = await whole(input)
    assert.ok(i.sw <= i.cw && i.sh <= i.ch + 1, 'the input shows all of it: ' + JSON.stringify(i))
    await shot(page, 'mongolian-input', false)
    await page.context().close()

    const phone = await newPhonePage(browser)
    await login(phone, 'admin')
    await go(phone, '/members')
    await phone.locator('input[data-test=member-search]').fill('长蒙文名测试')
    const cardMn = phone.locator('[data-test=record-card]', { hasText: '长蒙文名测试' }).locator('.card-mn')
    await cardMn.waitFor()
    const p = await whole(cardMn)
    assert.equal(p.text.trim(), LONG_MN)
    assert.ok(p.sw <= p.cw, 'the card shows all of it')
    noErrors(phone)
    await phone.context().close()
  })

  test("the branch page shows its brand's Mongolian name, written vertically", async () => {
    const brand = (await admin.get('/brands?branch_id=1')).items.find((b) => b.name_mn && !b.parent_id)
    assert.ok(brand, 'the demo gives 通心聚力 a Mongolian name')
    const page = await newPage(browser)
    await login(page, 'admin')
    await go(page, '/branches/' + brand.branch_id)
    const mn = page.locator('[data-test=brand-name-mn]')
    await mn.waitFor()
    assert.equal((await mn.innerText()).trim(), brand.name_mn)
    assert.equal(await mn.evaluate((e) => getComputedStyle(e).writingMode), 'vertical-lr')
    // Nothing clips it (a glyph may stand out of its box by a pixel or two, visibly).
    const m = await whole(mn)
    assert.equal(await mn.evaluate((e) => getComputedStyle(e).overflow), 'visible')
    assert.ok(m.sh <= m.ch + 4 && m.sw <= m.cw + 4, 'not cut: ' + JSON.stringify(m))
    noErrors(page)
    await page.context().close()
  })
})
