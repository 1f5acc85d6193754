// Bilingual search: a Mongolian name (several words, traditional script) finds its
// record, for members (through their search key) and for organisations and brands
// (through the text as written).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, req } from './lib.mjs';

test('the city procuratorate is found by its whole Mongolian name, spaces and all', async () => {
  const admin = await login('admin');
  const city = (await req(admin, 'GET', '/procuratorates?level=1')).json.items[0];
  assert.ok(city.name_mn && /[\u1800-\u18af]/.test(city.name_mn) && city.name_mn.includes(' '));
  const r = await req(admin, 'GET', `/procuratorates?q=${encodeURIComponent(city.name_mn)}`);
  assert.deepEqual(r.json.items.map((p) => p.id), [city.id]);
  // and by one of its words
  const word = city.name_mn.split(' ')[1];
  const w = await req(admin, 'GET', `/procuratorates?q=${encodeURIComponent(word)}`);
  assert.ok(w.json.items.some((p) => p.id === city.id));
});

test('a member is found by the Mongolian form of the name', async () => {
  const admin = await login('admin');
  const all = (await req(admin, 'GET', '/members?per_page=500')).json.items;
  const m = all.find((x) => x.name_mn && /[\u1800-\u18af]/.test(x.name_mn));
  assert.ok(m, 'the demo has members with Mongolian names');
  const r = await req(admin, 'GET', `/members?q=${encodeURIComponent(m.name_mn)}`);
  assert.ok(r.json.items.some((x) => x.id === m.id), `${m.name_mn} finds ${m.name}`);
});

test('萨日朗 is found by its Mongolian name on the brand wall', async () => {
  const admin = await login('admin');
  const brands = (await req(admin, 'GET', '/brands?per_page=100')).json.items;
  const sarlang = brands.find((b) => b.name === '萨日朗');
  assert.ok(sarlang && sarlang.name_mn);
  const r = await req(admin, 'GET', `/brands?q=${encodeURIComponent(sarlang.name_mn)}`);
  assert.ok(r.json.items.some((b) => b.id === sarlang.id));
});
