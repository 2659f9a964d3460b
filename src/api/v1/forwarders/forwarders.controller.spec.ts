import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ForwardingService, type ForwardingStatus } from '../../../forwarding/forwarding.service.js';
import { type ApiTestApp, createApiTestApp, strictFake, TEST_TOKEN } from '../../testing/api-test-app.js';
import { itRequiresAValidToken } from '../../testing/auth-contract.js';

const STATUS: ForwardingStatus = {
  enabled: true,
  workers: 8,
  queue_size: 10000,
  queue_depth: 3,
  in_flight: 1,
  retries_waiting: 0,
  cached_torrents: 2,
  forwarders: [
    {
      name: 'tracker.example:6969',
      uri: 'udp://tracker.example:6969/announce',
      protocol: 'udp',
      state: 'suspended',
      suspended_until: '2026-01-01T00:00:30.000Z',
      consecutive_failures: 0,
      suspensions: 1,
      requests: 10,
      successes: 5,
      failures: {
        timeout: 5,
        network: 0,
        http_status: 0,
        rate_limited: 0,
        invalid_response: 0,
        tracker_failure: 0,
      },
      retries: 2,
      peers_received: 40,
      queue_depth: 3,
      in_flight: 1,
      dropped: { queue_full: 0, suspended: 7 },
      cached_torrents: 2,
      average_duration_ms: 12.5,
      last_error: 'timeout: no answer within 5 s',
      last_error_at: '2026-01-01T00:00:00.000Z',
      last_success_at: null,
    },
  ],
};

/** The API controllers with a ForwardingService fake answering `status`. */
function appWithForwarding(status: () => ForwardingStatus): Promise<ApiTestApp> {
  return createApiTestApp({ forwarding: strictFake<ForwardingService>('ForwardingService', { status }) });
}

describe('ForwardersController', () => {
  let app: ApiTestApp;
  before(async () => {
    app = await appWithForwarding(() => STATUS);
  });
  after(() => app.close());

  describe('authentication', () => {
    itRequiresAValidToken(() => app, [{ method: 'GET', url: '/api/v1/forwarders' }]);
  });

  describe('GET /api/v1/forwarders', () => {
    it('answers the forwarding status as JSON', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/forwarders?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(res.body), STATUS);
    });

    it('answers 405 to other methods', async () => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/forwarders?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 405);
    });
  });

  describe('without forwarding', () => {
    it('answers enabled false and no forwarders (the default of the API module alone)', async () => {
      const plain = await createApiTestApp();
      try {
        const res = await plain.inject({ method: 'GET', url: `/api/v1/forwarders?token=${TEST_TOKEN}` });
        assert.equal(res.statusCode, 200);
        const body = JSON.parse(res.body) as ForwardingStatus;
        assert.equal(body.enabled, false);
        assert.deepEqual(body.forwarders, []);
      } finally {
        await plain.close();
      }
    });
  });
});
