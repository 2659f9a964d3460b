/**
 * ApiTokenGuard: Torrust's API authentication. Every token of `[http_api.access_tokens]` has
 * full rights (labels are irrelevant). The token comes from `Authorization: Bearer <token>` or
 * from the `token` query parameter (form-decoded, anywhere in the query); the header wins when
 * both are given. Tokens are compared in constant time against every configured token, with
 * no early exit, and are never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { HttpApiConfig } from '../../../config/configuration.js';
import { HTTP_API_CONFIG } from '../../../config/config.tokens.js';
import { AuthFailure } from './api-error.js';
import { rawQueryOf } from './raw-query.js';

const BEARER = 'Bearer';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export type GivenToken =
  | { readonly kind: 'token'; readonly value: string }
  | { readonly kind: 'none' }
  /** An Authorization header that is not `Bearer`. */
  | { readonly kind: 'unknown-scheme' };

/** The token a request carries (`Authorization: Bearer` alone is an empty token). */
export function tokenOf(authorization: string | undefined, rawQuery: string): GivenToken {
  if (authorization !== undefined) {
    if (authorization === BEARER) return { kind: 'token', value: '' };
    if (!authorization.startsWith(`${BEARER} `)) return { kind: 'unknown-scheme' };
    return { kind: 'token', value: authorization.slice(BEARER.length + 1) };
  }
  const value = new URLSearchParams(rawQuery).get('token');
  return value === null ? { kind: 'none' } : { kind: 'token', value };
}

@Injectable()
export class ApiTokenGuard implements CanActivate {
  /** SHA-256 of each configured token: equal-length buffers for timingSafeEqual. */
  private readonly digests: readonly Buffer[];

  constructor(@Inject(HTTP_API_CONFIG) config: HttpApiConfig | null) {
    this.digests = Object.values(config?.accessTokens ?? {})
      .filter((token) => token !== '')
      .map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const token = tokenOf(typeof header === 'string' ? header : undefined, rawQueryOf(request.url));
    if (token.kind === 'unknown-scheme') throw AuthFailure.unknownTokenProvided();
    if (token.kind === 'none') throw AuthFailure.unauthorized();
    if (!this.isValid(token.value)) throw AuthFailure.tokenNotValid();
    return true;
  }

  /** True when `token` equals one of the configured tokens; an empty token never does. */
  isValid(token: string): boolean {
    const given = digest(token);
    let matches = 0;
    for (const expected of this.digests) matches |= timingSafeEqual(expected, given) ? 1 : 0;
    return matches === 1 && token !== '';
  }
}
