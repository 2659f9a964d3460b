/**
 * The API reads its query parameters from the raw request URL, never from Fastify's parsed
 * `request.query`: a parsed query collapses repeated keys (`info_hash=…&info_hash=…`) or turns
 * them into objects, and the Torrust Index sends up to 50 repeated `info_hash`. Values are
 * form-decoded (`+` is a space), as serde_urlencoded does for Torrust.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BadRequest } from './api-error.js';

const U32_MAX = 4_294_967_295;

/** The query string of a request target, without the `?` ('' when there is none). */
export function rawQueryOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** The raw query string of the request (`@RawQuery() query: string`). */
export const RawQuery = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  rawQueryOf(context.switchToHttp().getRequest<FastifyRequest>().url),
);

/**
 * Rust's `u32::from_str` for a query value: digits with an optional `+`; null for an empty
 * value (= the default). Throws the 400 Torrust answers for anything else.
 */
export function parseU32QueryValue(value: string): number | null {
  if (value === '') return null;
  if (!/^\+?[0-9]+$/.test(value)) throw BadRequest.queryString('invalid digit found in string');
  const n = Number(value);
  if (n > U32_MAX) throw BadRequest.queryString('number too large to fit in target type');
  return n;
}
