import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DOCS_JSON_PATH, DOCS_PATH } from './api-docs.js';
import { type ApiTestApp, createApiTestApp, TEST_TOKEN } from './testing/api-test-app.js';

describe('the API server', () => {
  let app: ApiTestApp;
  before(async () => {
    app = await createApiTestApp();
  });
  after(() => app.close());

  it('answers an unknown route with 404 and an empty body, token or not', async () => {
    for (const url of ['/', '/api', '/api/v1', '/api/v1/nothing', `/api/v2/stats?token=${TEST_TOKEN}`, '/announce']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.body, '', url);
    }
  });

  it('answers a known path with another method with 405 and an empty body', async () => {
    const cases: Array<[string, string]> = [
      ['PUT', '/api/v1/stats'],
      ['DELETE', '/api/v1/stats'],
      ['GET', '/api/v1/keys'],
      ['PATCH', '/api/v1/whitelist/9c38422213e30bff212b30c360d26f9a02136422'],
      ['POST', '/api/health_check'],
      ['DELETE', '/api/v1/keys/reload'],
    ];
    for (const [method, url] of cases) {
      const res = await app.inject({ method: method as 'GET', url: `${url}?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 405, `${method} ${url}`);
      assert.equal(res.body, '');
    }
  });

  it('answers router errors as plain text without echoing the URL or its token', async () => {
    const bad = await app.inject({ method: 'GET', url: `/api/v1/torrent/%ZZ?token=${TEST_TOKEN}` });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(bad.body, 'Invalid URL: malformed percent-encoding in the path');
    const long = await app.inject({ method: 'GET', url: `/api/v1/torrent/${'a'.repeat(300)}?token=${TEST_TOKEN}` });
    assert.equal(long.statusCode, 414);
    assert.ok(!long.body.includes(TEST_TOKEN));
  });

  it('puts an x-request-id on every answer (the client one when given)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health_check' });
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const echoed = await app.inject({ method: 'GET', url: '/nothing', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(echoed.headers['x-request-id'], 'abc-123');
  });

  it('sends no CORS headers', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/health_check',
      headers: { origin: 'http://example.com' },
    });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  it('serves the OpenAPI document and Swagger UI without a token', async () => {
    const json = await app.inject({ method: 'GET', url: DOCS_JSON_PATH });
    assert.equal(json.statusCode, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    const document = JSON.parse(json.body) as { paths: Record<string, unknown> };
    assert.ok(document.paths['/api/v1/torrents']);
    const ui = await app.inject({ method: 'GET', url: DOCS_PATH });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger-ui-bundle\.js/);
    const bundle = await app.inject({ method: 'GET', url: `${DOCS_PATH}/swagger-ui-bundle.js` });
    assert.equal(bundle.statusCode, 200);
    assert.ok(bundle.body.length > 1000);
    const outside = await app.inject({ method: 'GET', url: `${DOCS_PATH}/package.json` });
    assert.equal(outside.statusCode, 404);
  });
});
