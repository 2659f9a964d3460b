/**
 * The authentication contract every `/api/v1` route keeps, as reusable spec cases: no token,
 * a wrong, empty or non-Bearer one → HTTP 500 with Torrust's exact plain-text bodies and no
 * service call; a valid token in the query or as `Authorization: Bearer` gets through.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type ApiTestApp, TEST_TOKEN } from './api-test-app.js';

export const UNAUTHORIZED = 'Unhandled rejection: Err { reason: "unauthorized" }';
export const TOKEN_NOT_VALID = 'Unhandled rejection: Err { reason: "token not valid" }';
export const UNKNOWN_TOKEN_PROVIDED = 'Unhandled rejection: Err { reason: "unknown token provided" }';

export function assertTextError(res: LightMyRequestResponse, status: number, body: string): void {
  assert.equal(res.statusCode, status, `status of ${res.body}`);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.body, body);
}

function withQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

export interface RouteUnderTest {
  readonly method: InjectOptions['method'];
  readonly url: string;
}

/** Registers the auth cases for each route; `app()` returns the running ApiTestApp. */
export function itRequiresAValidToken(app: () => ApiTestApp, routes: readonly RouteUnderTest[]): void {
  for (const route of routes) {
    const name = `${route.method} ${route.url}`;
    it(`${name} answers 500 "unauthorized" without a token`, async () => {
      assertTextError(await app().inject({ method: route.method, url: route.url }), 500, UNAUTHORIZED);
      app().assertNoUnexpectedCalls();
    });
    it(`${name} answers 500 "token not valid" for a wrong or empty token`, async () => {
      for (const query of ['token=nope', 'token=', `token=${TEST_TOKEN}x`, `token=${TEST_TOKEN.slice(1)}`]) {
        assertTextError(
          await app().inject({ method: route.method, url: withQuery(route.url, query) }),
          500,
          TOKEN_NOT_VALID,
        );
      }
      for (const authorization of ['Bearer nope', 'Bearer', 'Bearer ']) {
        assertTextError(
          await app().inject({ method: route.method, url: route.url, headers: { authorization } }),
          500,
          TOKEN_NOT_VALID,
        );
      }
      app().assertNoUnexpectedCalls();
    });
    it(`${name} answers 500 "unknown token provided" for a non-Bearer Authorization header`, async () => {
      for (const authorization of [`Basic ${TEST_TOKEN}`, TEST_TOKEN, `bearer ${TEST_TOKEN}`]) {
        assertTextError(
          await app().inject({
            method: route.method,
            url: withQuery(route.url, `token=${TEST_TOKEN}`),
            headers: { authorization },
          }),
          500,
          UNKNOWN_TOKEN_PROVIDED,
        );
      }
      app().assertNoUnexpectedCalls();
    });
    it(`${name} prefers the Authorization header to the token parameter`, async () => {
      const res = await app().inject({
        method: route.method,
        url: withQuery(route.url, `token=${TEST_TOKEN}`),
        headers: { authorization: 'Bearer nope' },
      });
      assertTextError(res, 500, TOKEN_NOT_VALID);
      app().assertNoUnexpectedCalls();
    });
  }
}
