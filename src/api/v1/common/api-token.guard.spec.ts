import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpApiConfig } from '../../../config/configuration.js';
import { ApiTokenGuard, tokenOf } from './api-token.guard.js';

const guard = (tokens: Record<string, string>) => new ApiTokenGuard({ accessTokens: tokens } as HttpApiConfig);

describe('ApiTokenGuard', () => {
  describe('tokenOf', () => {
    it('reads the token query parameter anywhere in the query, form-decoded', () => {
      assert.deepEqual(tokenOf(undefined, 'a=1&token=My%20Token&b=2'), { kind: 'token', value: 'My Token' });
      assert.deepEqual(tokenOf(undefined, 'token=a+b%2Bc%26d'), { kind: 'token', value: 'a b+c&d' });
      assert.deepEqual(tokenOf(undefined, 'token='), { kind: 'token', value: '' });
      assert.deepEqual(tokenOf(undefined, 'tokens=x'), { kind: 'none' });
      assert.deepEqual(tokenOf(undefined, ''), { kind: 'none' });
    });

    it('prefers a Bearer header, and reports other schemes', () => {
      assert.deepEqual(tokenOf('Bearer abc', 'token=xyz'), { kind: 'token', value: 'abc' });
      assert.deepEqual(tokenOf('Bearer', ''), { kind: 'token', value: '' });
      assert.deepEqual(tokenOf('Bearer ', ''), { kind: 'token', value: '' });
      assert.deepEqual(tokenOf('Basic abc', 'token=abc'), { kind: 'unknown-scheme' });
      assert.deepEqual(tokenOf('bearer abc', ''), { kind: 'unknown-scheme' });
    });
  });

  describe('isValid', () => {
    it('accepts every configured token and nothing else', () => {
      const g = guard({ admin: 'api-token-12345', other: 'other-token-678' });
      assert.equal(g.isValid('api-token-12345'), true);
      assert.equal(g.isValid('other-token-678'), true);
      for (const t of ['xpi-token-12345', 'api-token-1234x', 'api-token-1234', 'api-token-123456', '', 'admin']) {
        assert.equal(g.isValid(t), false, t);
      }
    });

    it('never accepts an empty token, even if one is configured', () => {
      assert.equal(guard({ empty: '' }).isValid(''), false);
    });

    it('accepts nothing without tokens or without [http_api]', () => {
      assert.equal(guard({}).isValid('x'), false);
      assert.equal(new ApiTokenGuard(null).isValid('x'), false);
    });
  });
});
