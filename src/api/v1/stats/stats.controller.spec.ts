import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiTestApp, createApiTestApp, strictFake, TEST_TOKEN } from '../../testing/api-test-app.js';
import { assertTextError, itRequiresAValidToken } from '../../testing/auth-contract.js';
import { STATS_FIELDS, type StatsDto } from './dto/stats.dto.js';
import type { StatsQuery } from './stats.query.js';

function sampleStats(): StatsDto {
  const stats = Object.fromEntries(STATS_FIELDS.map((name, i) => [name, i + 1])) as unknown as StatsDto;
  stats.completed_persisted_enabled = true;
  return stats;
}

describe('StatsController', () => {
  let app: ApiTestApp;
  before(async () => {
    app = await createApiTestApp({ stats: strictFake<StatsQuery>('StatsQuery', { stats: sampleStats }) });
  });
  after(() => app.close());

  describe('authentication', () => {
    itRequiresAValidToken(() => app, [{ method: 'GET', url: '/api/v1/stats' }]);
  });

  describe('GET /api/v1/stats', () => {
    it('answers every field as JSON, in Torrust order, with the token in the query', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/stats?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.deepEqual(Object.keys(JSON.parse(res.body)), [...STATS_FIELDS]);
      assert.equal(res.body, JSON.stringify(sampleStats()));
    });

    it('accepts the token as Authorization: Bearer', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/stats',
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
      });
      assert.equal(res.statusCode, 200);
    });

    it('answers JSON for format=json', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/stats?format=json&token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
    });

    it('answers `name value` lines joined by \\n for format=prometheus', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/stats?token=${TEST_TOKEN}&format=prometheus` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      const lines = res.body.split('\n');
      assert.equal(lines.length, STATS_FIELDS.length);
      assert.equal(lines[0], 'torrents 1');
      assert.equal(lines[STATS_FIELDS.indexOf('completed_persisted_enabled')], 'completed_persisted_enabled 1');
      assert.equal(lines.at(-1), `udp6_errors_handled ${STATS_FIELDS.length}`);
      assert.ok(!res.body.endsWith('\n'));
    });

    it('refuses another format with 400', async () => {
      for (const format of ['xml', '', 'Prometheus']) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/stats?token=${TEST_TOKEN}&format=${format}` });
        assertTextError(
          res,
          400,
          `Failed to deserialize query string: unknown variant \`${format}\`, expected \`json\` or \`prometheus\``,
        );
      }
    });

    it('answers 405 with an empty body for another method', async () => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/stats?token=${TEST_TOKEN}` });
      assert.equal(res.statusCode, 405);
      assert.equal(res.body, '');
    });
  });
});
