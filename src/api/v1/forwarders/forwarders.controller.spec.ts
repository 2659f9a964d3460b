import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AuthKeysService } from '../../../auth-keys/auth-keys.service.js';
import type { HttpApiConfig } from '../../../config/configuration.js';
import { HTTP_API_CONFIG } from '../../../config/config.tokens.js';
import { ForwardingService, type ForwardingStatus } from '../../../forwarding/forwarding.service.js';
import { WhitelistService } from '../../../whitelist/whitelist.service.js';
import { configureApiServer, createApiAdapter } from '../../api-server.js';
import { type ApiTestApp, createApiTestApp, strictFake, TEST_TOKEN } from '../../testing/api-test-app.js';
import { itRequiresAValidToken } from '../../testing/auth-contract.js';
import { ApiV1Module } from '../api-v1.module.js';
import { StatsQuery } from '../stats/stats.query.js';
import { TorrentsQuery } from '../torrents/torrents.query.js';

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
async function appWithForwarding(status: () => ForwardingStatus): Promise<ApiTestApp> {
  const fake = strictFake<ForwardingService>('ForwardingService', { status });
  const config = {
    bindAddress: { host: '127.0.0.1', port: 0, family: 4, text: '127.0.0.1:0' },
    tls: null,
    accessTokens: { admin: TEST_TOKEN },
  } as unknown as HttpApiConfig;
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiV1Module.withProviders([
      { provide: HTTP_API_CONFIG, useValue: config },
      { provide: StatsQuery, useValue: strictFake('StatsQuery') },
      { provide: TorrentsQuery, useValue: strictFake('TorrentsQuery') },
      { provide: WhitelistService, useValue: strictFake('WhitelistService') },
      { provide: AuthKeysService, useValue: strictFake('AuthKeysService') },
      { provide: ForwardingService, useValue: fake },
    ]),
    createApiAdapter(config),
    { logger: false, abortOnError: false },
  );
  configureApiServer(app);
  await app.init();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  return {
    app,
    fakes: {} as ApiTestApp['fakes'],
    inject: (options) => fastify.inject(options),
    assertNoUnexpectedCalls() {
      if (fake.unexpected.length > 0) throw new Error(`unexpected calls: ${JSON.stringify(fake.unexpected)}`);
    },
    close: () => app.close(),
  };
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
