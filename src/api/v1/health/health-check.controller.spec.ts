import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiTestApp, createApiTestApp } from '../../testing/api-test-app.js';

describe('HealthCheckController', () => {
  let app: ApiTestApp;
  before(async () => {
    app = await createApiTestApp();
  });
  after(() => app.close());

  it('answers GET /api/health_check with {"status":"Ok"} and needs no token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health_check' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.body, '{"status":"Ok"}');
  });

  it('ignores a wrong token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health_check?token=wrong' });
    assert.equal(res.statusCode, 200);
  });
});
