// The web interface's files: precompressed at build time, sent in the encoding the client
// accepts (Accept-Encoding with q-values, brotli preferred, the file as it is otherwise),
// with Vary: Accept-Encoding, a year of immutable caching for hashed names under /assets/,
// no-cache for index.html, and ETag / If-None-Match → 304.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { BASE } from './lib.mjs';

// fetch() asks for and undoes compression itself: a raw request shows what was sent.
function raw(path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const r = http.request(BASE + path, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    r.end();
  });
}

async function scriptPath() {
  const index = await raw('/');
  const m = /src="\.?(\/assets\/[^"]+\.js)"/.exec(index.body.toString());
  assert.ok(m, 'index.html names its script');
  return m[1];
}

test('the script goes out as brotli or gzip when asked, and decodes to the same bytes', async () => {
  const js = await scriptPath();
  const plain = await raw(js);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined, 'not compressed when not asked');
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.ok(plain.body.length > 100000);
  const br = await raw(js, { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.ok(br.body.length < plain.body.length / 2, `brotli ${br.body.length} of ${plain.body.length} bytes`);
  assert.ok(zlib.brotliDecompressSync(br.body).equals(plain.body));
  const gz = await raw(js, { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(zlib.gunzipSync(gz.body).equals(plain.body));
  for (const h of [plain, br, gz]) {
    assert.equal(h.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(h.headers['cache-control'], 'public, max-age=31536000, immutable');
  }
  const head = await raw(js, { 'Accept-Encoding': 'br' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-encoding'], 'br');
  assert.equal(head.body.length, 0);
});

test('Accept-Encoding q-values decide, and the file as it is is the fallback', async () => {
  const js = await scriptPath();
  const cases = [
    ['br;q=0.5, gzip;q=1', 'gzip'],
    ['gzip;q=0.5, br;q=0.6', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['BR', 'br'], // codings are case-insensitive
    ['gzip;q=0, br;q=0', undefined],
    ['identity', undefined],
    ['deflate', undefined],
    ['', undefined],
    ['br;q=2', undefined], // not a qvalue: the entry says nothing
    ['gzip;q=0.0001', undefined], // more than three decimals: not a qvalue either
    [' gzip ; q=0.8 , br ; q=0.7 ', 'gzip'],
  ];
  for (const [accept, want] of cases) {
    const r = await raw(js, { 'Accept-Encoding': accept }, 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], want, `Accept-Encoding: ${accept}`);
  }
});

test('index.html is no-cache, also compressed, and each encoding has its own ETag; If-None-Match → 304', async () => {
  for (const path of ['/', '/members', '/index.html']) {
    const r = await raw(path, { 'Accept-Encoding': 'br' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['cache-control'], 'no-cache', path);
    assert.match(r.body.length ? zlib.brotliDecompressSync(r.body).toString() : '', /<div id="app">|<html/, path);
  }
  const js = await scriptPath();
  const plain = await raw(js);
  const br = await raw(js, { 'Accept-Encoding': 'br' });
  assert.match(plain.headers.etag, /^"[0-9a-f]{16}"$/);
  assert.notEqual(plain.headers.etag, br.headers.etag, 'a strong ETag differs between encodings');
  const again = await raw(js, { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, br.headers.etag);
  assert.equal(again.headers.vary, 'Accept-Encoding');
  const weak = await raw(js, { 'Accept-Encoding': 'br', 'If-None-Match': `"other", W/${br.headers.etag}` });
  assert.equal(weak.status, 304);
  // the ETag of another encoding does not match this one
  const other = await raw(js, { 'Accept-Encoding': 'br', 'If-None-Match': plain.headers.etag });
  assert.equal(other.status, 200);
  assert.equal(other.headers['content-encoding'], 'br');
  const page = await raw('/');
  const cond = await raw('/', { 'If-None-Match': page.headers.etag });
  assert.equal(cond.status, 304);
});

test('the API is not affected: JSON answers stay uncompressed and no-store', async () => {
  const r = await raw('/api/v1/health', { 'Accept-Encoding': 'br, gzip' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(r.headers['cache-control'], 'no-store');
  const nf = await raw('/assets/no-such-file.js', { 'Accept-Encoding': 'br' });
  assert.equal(nf.status, 404);
});
