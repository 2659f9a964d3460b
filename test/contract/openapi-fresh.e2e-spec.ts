/**
 * docs/openapi.json must be what the code generates today: the API's documentation is
 * committed, and a change to a route, DTO or error description has to regenerate it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateOpenApiJson } from '../../src/api/openapi.js';

// build/test/contract/ → the repository root.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const committed = join(root, 'docs', 'openapi.json');

describe('docs/openapi.json', () => {
  it('is up to date with the API code', async () => {
    assert.ok(existsSync(committed), 'docs/openapi.json is missing: run npm run openapi');
    const fresh = await generateOpenApiJson();
    const current = readFileSync(committed, 'utf8');
    if (fresh !== current) {
      const a = current.split('\n');
      const b = fresh.split('\n');
      let line = 0;
      while (line < a.length && a[line] === b[line]) line++;
      assert.fail(
        `docs/openapi.json is out of date: run npm run openapi (first difference at line ${line + 1}:\n` +
          `  committed: ${a[line] ?? '<end>'}\n  generated: ${b[line] ?? '<end>'})`,
      );
    }
  });

  it('documents every Torrust route, the token schemes and the text error bodies', async () => {
    const doc = JSON.parse(await generateOpenApiJson()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(routes.sort(), [
      'DELETE /api/v1/key/{key}',
      'DELETE /api/v1/whitelist/{info_hash}',
      'GET /api/health_check',
      'GET /api/v1/forwarders',
      'GET /api/v1/keys/reload',
      'GET /api/v1/stats',
      'GET /api/v1/torrent/{info_hash}',
      'GET /api/v1/torrents',
      'GET /api/v1/whitelist/reload',
      'POST /api/v1/key/{seconds_valid}',
      'POST /api/v1/keys',
      'POST /api/v1/whitelist/{info_hash}',
    ]);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearer', 'token']);
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (path === '/api/health_check') continue;
      for (const op of Object.values(ops)) {
        assert.deepEqual(op.security, [{ token: [] }, { bearer: [] }], path);
        assert.ok(JSON.stringify(op.responses['500']).includes('token not valid'), path);
        assert.ok(!op.responses['201'], `${path} must not document 201`);
      }
    }
  });
});
