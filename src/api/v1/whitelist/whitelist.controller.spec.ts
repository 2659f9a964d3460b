import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { WhitelistService } from '../../../whitelist/whitelist.service.js';
import { type ApiTestApp, createApiTestApp, strictFake, TEST_TOKEN } from '../../testing/api-test-app.js';
import { assertTextError, itRequiresAValidToken } from '../../testing/auth-contract.js';

const HASH = '9c38422213e30bff212b30c360d26f9a02136422';
const DB_DOWN = Object.assign(new Error('Failed to connect to Sqlite3 database: SQLITE_MISUSE'), {
  name: 'DatabaseError',
});

describe('WhitelistController', () => {
  let app: ApiTestApp;
  const calls: string[] = [];
  let failing: Error | null = null;
  const maybeFail = async (what: string) => {
    calls.push(what);
    if (failing) throw failing;
  };
  before(async () => {
    app = await createApiTestApp({
      whitelist: strictFake<WhitelistService>('WhitelistService', {
        add: (hex: string) => maybeFail(`add ${hex}`),
        remove: (hex: string) => maybeFail(`remove ${hex}`),
        reload: () => maybeFail('reload'),
      }),
    });
  });
  afterEach(() => {
    calls.length = 0;
    failing = null;
    app.assertNoUnexpectedCalls();
  });
  after(() => app.close());

  describe('authentication', () => {
    itRequiresAValidToken(
      () => app,
      [
        { method: 'POST', url: `/api/v1/whitelist/${HASH}` },
        { method: 'DELETE', url: `/api/v1/whitelist/${HASH}` },
        { method: 'GET', url: '/api/v1/whitelist/reload' },
      ],
    );
  });

  for (const [method, verb] of [
    ['POST', 'add'],
    ['DELETE', 'remove'],
  ] as const) {
    describe(`${method} /api/v1/whitelist/{info_hash}`, () => {
      it(`answers 200 {"status":"ok"} (never 201) after the service's ${verb}`, async () => {
        const res = await app.inject({ method, url: `/api/v1/whitelist/${HASH}?token=${TEST_TOKEN}` });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'application/json');
        assert.equal(res.body, '{"status":"ok"}');
        assert.deepEqual(calls, [`${verb} ${HASH}`]);
      });

      it('needs no body and no content type (the Torrust Index sends neither)', async () => {
        const res = await app.inject({ method, url: `/api/v1/whitelist/${HASH}?token=${TEST_TOKEN}`, payload: '' });
        assert.equal(res.statusCode, 200);
      });

      it('answers 400 for a malformed info hash, without calling the service', async () => {
        const res = await app.inject({ method, url: `/api/v1/whitelist/abc?token=${TEST_TOKEN}` });
        assertTextError(
          res,
          400,
          'Invalid URL: invalid infohash param: string "abc", expected a 40 character long string',
        );
        assert.deepEqual(calls, []);
      });

      it('answers 500 with the database error when the service fails', async () => {
        failing = DB_DOWN;
        const res = await app.inject({ method, url: `/api/v1/whitelist/${HASH}?token=${TEST_TOKEN}` });
        const reason = verb === 'add' ? 'failed to whitelist torrent' : 'failed to remove torrent from whitelist';
        assertTextError(res, 500, `Unhandled rejection: Err { reason: "${reason}: ${DB_DOWN.message}" }`);
      });

      it('answers 500 "internal error" for a failure that is not a database one, without its message', async () => {
        failing = new TypeError('secret internals');
        const res = await app.inject({ method, url: `/api/v1/whitelist/${HASH}?token=${TEST_TOKEN}` });
        const reason = verb === 'add' ? 'failed to whitelist torrent' : 'failed to remove torrent from whitelist';
        assertTextError(res, 500, `Unhandled rejection: Err { reason: "${reason}: internal error" }`);
      });
    });
  }

  describe('GET /api/v1/whitelist/reload', () => {
    it('reloads and answers ok', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/whitelist/reload?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, '{"status":"ok"}');
      assert.deepEqual(calls, ['reload']);
    });

    it('answers 500 "failed to reload whitelist" when the database fails', async () => {
      failing = DB_DOWN;
      const res = await app.inject({ method: 'GET', url: `/api/v1/whitelist/reload?token=${TEST_TOKEN}` });
      assertTextError(
        res,
        500,
        `Unhandled rejection: Err { reason: "failed to reload whitelist: ${DB_DOWN.message}" }`,
      );
    });

    it('treats POST /api/v1/whitelist/reload as an info hash: 400', async () => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/whitelist/reload?token=${TEST_TOKEN}` });
      assertTextError(
        res,
        400,
        'Invalid URL: invalid infohash param: string "reload", expected a 40 character long string',
      );
      assert.deepEqual(calls, []);
    });
  });
});
