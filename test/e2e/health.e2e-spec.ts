import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DrainState } from '../../src/health/drain-state.js';
import { BoundListeners } from '../../src/listeners/bound-listeners.js';
import { DatabaseService } from '../../src/persistence/database/database.service.js';
import { UdpTrackerServers } from '../../src/udp-tracker/udp-tracker.module.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Report {
  status: string;
  message: string;
  details: Array<{ binding: string; info: string; result: { Ok?: string; Err?: string } }>;
}

async function healthCheck(app: TestApp): Promise<{ status: number; body: Report }> {
  const url = app.tracker.app.get(BoundListeners).all('health')[0].url;
  const res = await fetch(`${url}/health_check`);
  assert.equal(res.headers.get('content-type'), 'application/json');
  return { status: res.status, body: (await res.json()) as Report };
}

async function probe(
  app: TestApp,
  path: string,
): Promise<{ status: number; body: { status: string; error?: object } }> {
  const res = await app.tracker.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: path });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe('health', () => {
  describe('the health check API', () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp({ udp: ['127.0.0.1:0', '[::1]:0'], http: ['127.0.0.1:0'] });
    });
    after(() => app.close());

    it('listens on its own address and answers GET / with {}', async () => {
      const health = app.tracker.app.get(BoundListeners).all('health');
      assert.equal(health.length, 1);
      const res = await fetch(health[0].url);
      assert.equal(await res.text(), '{}');
    });

    it('probes every listener and reports Ok in Torrust’s shape', async () => {
      const { status, body } = await healthCheck(app);
      assert.equal(status, 200);
      assert.equal(body.status, 'Ok');
      assert.equal(body.message, '');
      const udp = body.details.filter((d) => d.info.startsWith('checking the udp tracker health check at: '));
      const http = body.details.filter((d) => d.info.startsWith('checking http tracker health check at: http://'));
      assert.equal(udp.length, 2);
      assert.equal(http.length, 1);
      for (const d of udp) assert.deepEqual(d.result, { Ok: 'Connected' });
      assert.deepEqual(http[0].result, { Ok: '200 OK' });
      assert.equal(http[0].binding, `127.0.0.1:${app.http[0].port}`);
      assert.ok(udp.some((d) => d.binding === `[::1]:${app.udp[1].port}`));
    });

    it('reports a stopped listener as failed, and the whole check as Error (still HTTP 200)', async () => {
      await app.tracker.app.get(UdpTrackerServers).servers[0].close();
      const { status, body } = await healthCheck(app);
      assert.equal(status, 200);
      assert.equal(body.status, 'Error');
      assert.equal(body.message, 'health check failed');
      const stopped = body.details.find((d) => d.binding === `127.0.0.1:${app.udp[0].port}`);
      assert.ok(stopped && stopped.result.Err !== undefined, JSON.stringify(body));
    });
  });

  describe('Kubernetes probes (Terminus)', () => {
    it('are live and ready on a healthy tracker', async () => {
      const app = await createTestApp();
      try {
        const live = await probe(app, '/health/live');
        assert.equal(live.status, 200);
        assert.equal(live.body.status, 'ok');
        const ready = await probe(app, '/health/ready');
        assert.equal(ready.status, 200, JSON.stringify(ready.body));
      } finally {
        await app.close();
      }
    });

    it('are not ready while draining', async () => {
      const app = await createTestApp();
      try {
        app.tracker.app.get(DrainState).start();
        const ready = await probe(app, '/health/ready');
        assert.equal(ready.status, 503);
        assert.ok(JSON.stringify(ready.body).includes('shutting down'));
        assert.equal((await probe(app, '/health/live')).status, 200);
      } finally {
        await app.close();
      }
    });

    it('are not ready when the database is gone', async () => {
      const app = await createTestApp();
      try {
        await app.tracker.app.get(DatabaseService).close();
        const ready = await probe(app, '/health/ready');
        assert.equal(ready.status, 503);
        assert.ok(JSON.stringify(ready.body).includes('database'));
      } finally {
        await app.close();
      }
    });

    it('are not ready when a configured listener is not running', async () => {
      const app = await createTestApp();
      try {
        await app.tracker.app.get(UdpTrackerServers).servers[0].close();
        const ready = await probe(app, '/health/ready');
        assert.equal(ready.status, 503);
        assert.ok(JSON.stringify(ready.body).includes('listeners'));
      } finally {
        await app.close();
      }
    });
  });
});
