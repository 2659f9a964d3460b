/**
 * The decorators every admin API controller wears, so that auth, error answers, response
 * writing and their OpenAPI description are declared once:
 * `@AuthenticatedApiController('whitelist')` (token required) or `@PublicApiController(tag)`,
 * and per route `@ApiTorrustFailures({ reason, badRequest })` for the documented error bodies.
 */
import { applyDecorators, Controller, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { TEXT_CONTENT_TYPE } from './api-error.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { ApiTokenGuard } from './api-token.guard.js';
import { TorrustResponseInterceptor } from './torrust-response.interceptor.js';

/** Names of the security schemes in the OpenAPI document. */
export const TOKEN_QUERY_SCHEME = 'token';
export const BEARER_SCHEME = 'bearer';

const AUTH_FAILURES: Record<string, string> = {
  unauthorized: 'Unhandled rejection: Err { reason: "unauthorized" }',
  'token not valid': 'Unhandled rejection: Err { reason: "token not valid" }',
  'unknown token provided': 'Unhandled rejection: Err { reason: "unknown token provided" }',
};

function textExamples(bodies: Record<string, string>) {
  const examples: Record<string, { summary: string; value: string }> = {};
  for (const [summary, value] of Object.entries(bodies)) examples[summary] = { summary, value };
  return { [TEXT_CONTENT_TYPE]: { schema: { type: 'string' as const }, examples } };
}

/** A controller of the API that needs no token (`GET /api/health_check`). */
export function PublicApiController(tag: string): ClassDecorator {
  return applyDecorators(
    Controller(),
    ApiTags(tag),
    UseFilters(ApiExceptionFilter),
    UseInterceptors(TorrustResponseInterceptor),
  );
}

/** A controller of `/api/v1`: every route needs a valid token (`?token=` or Bearer). */
export function AuthenticatedApiController(tag: string): ClassDecorator {
  return applyDecorators(
    Controller('api/v1'),
    ApiTags(tag),
    ApiSecurity(TOKEN_QUERY_SCHEME),
    ApiBearerAuth(BEARER_SCHEME),
    UseFilters(ApiExceptionFilter),
    UseGuards(ApiTokenGuard),
    UseInterceptors(TorrustResponseInterceptor),
  );
}

export interface TorrustFailures {
  /** The route's database failure: `failed to whitelist torrent` → a 500 example. */
  readonly reason?: string;
  /** 400 bodies the route answers for bad input, by summary. */
  readonly badRequest?: Record<string, string>;
  /** 422 bodies (JSON of the wrong shape), by summary. */
  readonly unprocessable?: Record<string, string>;
  /** Documents 415 (no JSON content type) and 413 (body over the limit). */
  readonly jsonBody?: boolean;
  /** Extra 500 bodies, by summary. */
  readonly serverErrors?: Record<string, string>;
}

/**
 * Documents the Torrust-compatible error answers of an authenticated route: HTTP 500 for auth
 * failures (Torrust's choice, which the Torrust Index relies on) and for database failures, all
 * `text/plain; charset=utf-8`.
 */
export function ApiTorrustFailures(failures: TorrustFailures = {}): MethodDecorator {
  const serverErrors: Record<string, string> = { ...AUTH_FAILURES, ...failures.serverErrors };
  if (failures.reason) {
    serverErrors[failures.reason] = `Unhandled rejection: Err { reason: "${failures.reason}: <database error>" }`;
  }
  const decorators = [
    ApiResponse({
      status: 500,
      description:
        'Authentication failed (no token, a wrong or empty token, or an Authorization header that is not Bearer)' +
        (failures.reason ? `, or the database failed (${failures.reason})` : '') +
        '. Torrust answers these with HTTP 500 and a plain-text body.',
      content: textExamples(serverErrors),
    }),
  ];
  if (failures.badRequest) {
    decorators.push(
      ApiResponse({ status: 400, description: 'Invalid input.', content: textExamples(failures.badRequest) }),
    );
  }
  if (failures.unprocessable) {
    decorators.push(
      ApiResponse({
        status: 422,
        description: 'The JSON body has the wrong shape.',
        content: textExamples(failures.unprocessable),
      }),
    );
  }
  if (failures.jsonBody) {
    decorators.push(
      ApiResponse({
        status: 415,
        description: 'No `Content-Type: application/json`.',
        content: textExamples({ 'no JSON content type': 'Expected request with `Content-Type: application/json`' }),
      }),
      ApiResponse({
        status: 413,
        description: 'The body is larger than the API accepts.',
        content: textExamples({ 'body too large': 'Failed to buffer the request body: length limit exceeded' }),
      }),
    );
  }
  return applyDecorators(...decorators);
}
