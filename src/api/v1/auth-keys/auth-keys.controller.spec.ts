import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  assertKeyFormat,
  type AuthKey,
  AuthKeyDurationError,
  expiryFor,
  generateKey,
} from '../../../auth-keys/auth-key.js';
import type { AuthKeysService } from '../../../auth-keys/auth-keys.service.js';
import { type ApiTestApp, createApiTestApp, strictFake, TEST_TOKEN } from '../../testing/api-test-app.js';
import { assertTextError, itRequiresAValidToken } from '../../testing/auth-contract.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
const KEY = 'xqD6NWH9TcKrOCwDmqcdH5hF5RrbL0A6';
const DUPLICATE = Object.assign(
  new Error('The Sqlite3 query was malformed: SQLITE_CONSTRAINT: UNIQUE constraint failed: keys.key'),
  {
    name: 'DatabaseError',
  },
);
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('AuthKeysController', () => {
  let app: ApiTestApp;
  const adds: Array<[string | null, number | null]> = [];
  const removes: string[] = [];
  let reloads = 0;
  let failWith: Error | null = null;
  const stored = new Set<string>([KEY]);

  before(async () => {
    app = await createApiTestApp({
      keys: strictFake<AuthKeysService>('AuthKeysService', {
        // Behaves as the real service does before touching the database.
        add: async (key: string | null, seconds: number | null): Promise<AuthKey> => {
          adds.push([key, seconds]);
          const value = key ?? generateKey();
          assertKeyFormat(value);
          const validUntilMs = expiryFor(NOW, seconds);
          if (failWith) throw failWith;
          return { key: value, validUntilMs };
        },
        remove: async (key: string) => {
          removes.push(key);
          if (failWith) throw failWith;
          return stored.has(key);
        },
        reload: async () => {
          reloads++;
          if (failWith) throw failWith;
        },
      }),
    });
  });
  afterEach(() => {
    adds.length = 0;
    removes.length = 0;
    reloads = 0;
    failWith = null;
    app.assertNoUnexpectedCalls();
  });
  after(() => app.close());

  describe('authentication', () => {
    itRequiresAValidToken(
      () => app,
      [
        { method: 'POST', url: '/api/v1/key/120' },
        { method: 'POST', url: '/api/v1/keys' },
        { method: 'DELETE', url: `/api/v1/key/${KEY}` },
        { method: 'GET', url: '/api/v1/keys/reload' },
      ],
    );
  });

  describe('POST /api/v1/key/{seconds_valid}', () => {
    it('generates an expiring key: 200, integer valid_until in seconds, expiry_time text', async () => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/key/7257600?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      const body = JSON.parse(res.body) as { key: string; valid_until: number; expiry_time: string };
      assert.deepEqual(Object.keys(body), ['key', 'valid_until', 'expiry_time']);
      assert.match(body.key, /^[0-9A-Za-z]{32}$/);
      assert.equal(body.valid_until, Math.floor(NOW / 1000) + 7257600);
      assert.equal(body.expiry_time, '2026-03-26 12:00:00.250 UTC');
      assert.deepEqual(adds, [[null, 7257600]]);
    });

    it('needs no body (the Torrust Index sends none)', async () => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/key/60?token=${TEST_TOKEN}`, payload: '' });
      assert.equal(res.statusCode, 200);
    });

    it('ignores a body it does not read, even malformed JSON', async () => {
      for (const payload of ['', '{', 'null']) {
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/key/60?token=${TEST_TOKEN}`,
          headers: JSON_HEADERS,
          payload,
        });
        assert.equal(res.statusCode, 200, `${JSON.stringify(payload)}: ${res.body}`);
      }
    });

    for (const bad of ['abc', '-1', '1.5', '18446744073709551616']) {
      it(`answers 400 for the seconds "${bad}"`, async () => {
        const res = await app.inject({ method: 'POST', url: `/api/v1/key/${bad}?token=${TEST_TOKEN}` });
        assertTextError(res, 400, `Invalid URL: Cannot parse \`"${bad}"\` to a \`u64\``);
        assert.deepEqual(adds, []);
      });
    }

    it('answers 400 "invalid auth key duration" for a u64 too large for a date', async () => {
      for (const seconds of ['18446744073709551615', '9007199254740991']) {
        const res = await app.inject({ method: 'POST', url: `/api/v1/key/${seconds}?token=${TEST_TOKEN}` });
        assertTextError(res, 400, `Invalid URL: invalid auth key duration: "${seconds}"`);
      }
    });

    it('answers 500 "failed to generate key" when the database fails', async () => {
      failWith = DUPLICATE;
      const res = await app.inject({ method: 'POST', url: `/api/v1/key/60?token=${TEST_TOKEN}` });
      assertTextError(res, 500, `Unhandled rejection: Err { reason: "failed to generate key: ${DUPLICATE.message}" }`);
    });
  });

  describe('POST /api/v1/keys', () => {
    const post = (payload: string | undefined, headers: Record<string, string> = JSON_HEADERS) =>
      app.inject({ method: 'POST', url: `/api/v1/keys?token=${TEST_TOKEN}`, headers, payload });

    it('adds a given key with a lifetime', async () => {
      const res = await post(JSON.stringify({ key: KEY, seconds_valid: 60 }));
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(JSON.parse(res.body), {
        key: KEY,
        valid_until: Math.floor(NOW / 1000) + 60,
        expiry_time: '2026-01-01 12:01:00.250 UTC',
      });
      assert.deepEqual(adds, [[KEY, 60]]);
    });

    it('generates a permanent key when both fields are null or absent', async () => {
      for (const body of ['{}', '{"key":null,"seconds_valid":null}', '{"unknown":1}']) {
        const res = await post(body);
        assert.equal(res.statusCode, 200, res.body);
        const parsed = JSON.parse(res.body) as { key: string; valid_until: null; expiry_time: null };
        assert.match(parsed.key, /^[0-9A-Za-z]{32}$/);
        assert.equal(parsed.valid_until, null);
        assert.equal(parsed.expiry_time, null);
      }
      assert.deepEqual(adds, [
        [null, null],
        [null, null],
        [null, null],
      ]);
    });

    it('answers 400 for a key of the wrong length or characters', async () => {
      assertTextError(
        await post('{"key":"abc"}'),
        400,
        'Invalid URL: invalid auth key: string "abc", Invalid key length. Key must be have 32 chars',
      );
      const bad = `${KEY.slice(0, 31)}!`;
      assertTextError(
        await post(JSON.stringify({ key: bad })),
        400,
        `Invalid URL: invalid auth key: string "${bad}", Invalid chars for key. Key can only alphanumeric chars (0-9, a-z, A-Z)`,
      );
    });

    it('answers 400 "invalid auth key duration" when the expiry overflows', async () => {
      const res = await post(JSON.stringify({ key: KEY, seconds_valid: 1e15 }));
      assertTextError(
        res,
        400,
        `Invalid URL: invalid auth key duration: "${new AuthKeyDurationError(1e15).secondsValid}"`,
      );
    });

    it('answers 422 for JSON of the wrong types', async () => {
      const prefix = 'Failed to deserialize the JSON body into the target type: ';
      const cases: Array<[string, string]> = [
        ['{"seconds_valid":"-1"}', 'seconds_valid: invalid type: string "-1", expected u64'],
        ['{"seconds_valid":-1}', 'seconds_valid: invalid value: integer `-1`, expected u64'],
        ['{"seconds_valid":1.5}', 'seconds_valid: invalid type: floating point `1.5`, expected u64'],
        ['{"seconds_valid":true}', 'seconds_valid: invalid type: boolean `true`, expected u64'],
        ['{"key":1}', 'key: invalid type: integer `1`, expected a string'],
        ['{"key":["a"]}', 'key: invalid type: sequence, expected a string'],
        ['[]', 'invalid type: sequence, expected struct AddKeyForm'],
        ['"x"', 'invalid type: string "x", expected struct AddKeyForm'],
        ['null', 'invalid type: null, expected struct AddKeyForm'],
      ];
      for (const [body, message] of cases) assertTextError(await post(body), 422, prefix + message);
      assert.deepEqual(adds, []);
    });

    it('answers 400 for an empty JSON body', async () => {
      assertTextError(
        await post(''),
        400,
        'Failed to parse the request body as JSON: EOF while parsing a value at line 1 column 0',
      );
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await post('{"key":');
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /^Failed to parse the request body as JSON: /);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    });

    it('answers 415 without a JSON content type', async () => {
      const expected = 'Expected request with `Content-Type: application/json`';
      assertTextError(await post(undefined, {}), 415, expected);
      assertTextError(await post('{}', { 'content-type': 'text/plain' }), 415, expected);
      assertTextError(await post('{}', { 'content-type': 'application/xml' }), 415, expected);
      assertTextError(await post(Buffer.from('{}') as unknown as string, {}), 415, expected);
    });

    it('answers 413 for a body over the limit', async () => {
      const res = await post(JSON.stringify({ key: 'x'.repeat(70_000) }));
      assertTextError(res, 413, 'Failed to buffer the request body: length limit exceeded');
    });

    it('answers 500 "failed to generate key" for a duplicate key', async () => {
      failWith = DUPLICATE;
      const res = await post(JSON.stringify({ key: KEY }));
      assertTextError(res, 500, `Unhandled rejection: Err { reason: "failed to generate key: ${DUPLICATE.message}" }`);
    });
  });

  describe('DELETE /api/v1/key/{key}', () => {
    it('deletes a known key', async () => {
      const res = await app.inject({ method: 'DELETE', url: `/api/v1/key/${KEY}?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, '{"status":"ok"}');
      assert.deepEqual(removes, [KEY]);
    });

    it('answers 500 "failed to delete key" for an unknown key (as Torrust on SQLite)', async () => {
      const unknown = 'A'.repeat(32);
      const res = await app.inject({ method: 'DELETE', url: `/api/v1/key/${unknown}?token=${TEST_TOKEN}` });
      assertTextError(
        res,
        500,
        'Unhandled rejection: Err { reason: "failed to delete key: Failed to remove record from database: the key does not exist" }',
      );
    });

    for (const bad of ['abc', `${KEY}x`, `${KEY.slice(1)}-`]) {
      it(`answers 400 for the key "${bad}"`, async () => {
        const res = await app.inject({ method: 'DELETE', url: `/api/v1/key/${bad}?token=${TEST_TOKEN}` });
        assertTextError(res, 400, `Invalid auth key id param "${bad}"`);
        assert.deepEqual(removes, []);
      });
    }
  });

  describe('GET /api/v1/keys/reload', () => {
    it('reloads and answers ok', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/keys/reload?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, '{"status":"ok"}');
      assert.equal(reloads, 1);
    });

    it('answers 500 "failed to reload keys" when the database fails', async () => {
      failWith = DUPLICATE;
      const res = await app.inject({ method: 'GET', url: `/api/v1/keys/reload?token=${TEST_TOKEN}` });
      assertTextError(res, 500, `Unhandled rejection: Err { reason: "failed to reload keys: ${DUPLICATE.message}" }`);
    });
  });
});
