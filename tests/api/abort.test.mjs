// Clients that give up mid-request (a closed tab, a timeout) must cost the server
// nothing: it keeps answering everyone else, and (under `make test-asan`) leaks nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, req } from './lib.mjs';

test('80 requests abandoned while the server works on them; the server carries on', async () => {
  const admin = await login('admin');
  const heavy = ['/audit?per_page=500', '/members?per_page=500', '/org-tree'];
  const tries = [];
  for (let i = 0; i < 80; i++) {
    const ctl = new AbortController();
    // a distinct URL each time, so that no answer comes from the cache
    const url = `${process.env.RONGHE_URL}/api/v1${heavy[i % 3]}${heavy[i % 3].includes('?') ? '&' : '?'}page=${'0'.repeat(i)}1`;
    const p = fetch(url, { headers: { cookie: admin.cookie }, signal: ctl.signal }).then((r) => r.text()).catch(() => 'aborted');
    setTimeout(() => ctl.abort(), i % 5);
    tries.push(p);
  }
  await Promise.all(tries);
  const r = await req(admin, 'GET', '/branches?per_page=500');
  assert.equal(r.status, 200);
  assert.equal(r.json.total, 15);
});
