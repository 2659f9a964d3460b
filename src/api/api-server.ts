/**
 * The admin API's HTTP server: the Nest application's own Fastify instance (the UDP and HTTP
 * trackers have their own sockets and Fastify instances, so nothing here touches them).
 *
 * - createApiAdapter(): Fastify with the API's limits, HTTPS when `[http_api.tsl_config]` is
 *   set, and Torrust's framework-level answers: unknown route 404 and wrong method 405 with
 *   empty bodies, bad or oversized bodies as plain text, never Nest's JSON error objects.
 * - configureApiServer(): JSON body parser, `x-request-id`, the documentation routes.
 * Listening is ApiListener's (api-listener.ts).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { HttpApiConfig } from '../config/configuration.js';
import { registerApiDocs } from './api-docs.js';
import { ApiError, BadRequest, methodNotAllowed, notFound } from './v1/common/api-error.js';
import { UnparsableJsonBody } from './v1/common/validation.js';
import { sendApiError } from './v1/common/api-exception.filter.js';

/** Limits of the API listener (documented in the README). */
export const API_LIMITS = {
  /** Request bodies above this are refused with 413 (only `POST /api/v1/keys` reads one). */
  bodyLimitBytes: 64 * 1024,
  /** Whole request, first byte to reply (408 after it), as Torrust's 5 s. */
  requestTimeoutMs: 5_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 30_000,
  /** Longest routed path parameter (longer ones are not routed: 404). */
  maxParamLength: 256,
} as const;

const METHODS: readonly HTTPMethods[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** The Nest Fastify adapter of the API, with Torrust's answers for unrouted requests. */
export class ApiFastifyAdapter extends FastifyAdapter {
  /** Replaces Nest's JSON 404: 404 (or 405 when another method has the path), empty body. */
  override setNotFoundHandler(): ReturnType<FastifyAdapter['setNotFoundHandler']> {
    const fastify = this.getInstance() as unknown as FastifyInstance;
    return fastify.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?', 1)[0];
      const otherMethod = METHODS.some(
        (method) => method !== request.method && fastify.findRoute({ method, url: path }) !== null,
      );
      sendApiError(reply, otherMethod ? methodNotAllowed() : notFound());
    }) as unknown as ReturnType<FastifyAdapter['setNotFoundHandler']>;
  }

  /**
   * Errors raised by Fastify before a route runs (body parsing, limits) get Torrust's texts;
   * everything else goes to Nest's handler (`handler`).
   */
  override setErrorHandler(
    handler: Parameters<FastifyAdapter['setErrorHandler']>[0],
  ): ReturnType<FastifyAdapter['setErrorHandler']> {
    const fastify = this.getInstance() as unknown as FastifyInstance;
    return fastify.setErrorHandler((error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof ApiError) return sendApiError(reply, error);
      const mapped = frameworkError(error);
      if (mapped) return sendApiError(reply, mapped);
      return (handler as (e: unknown, req: FastifyRequest, rep: FastifyReply) => unknown)(error, request, reply);
    }) as unknown as ReturnType<FastifyAdapter['setErrorHandler']>;
  }
}

function frameworkError(error: FastifyError): ApiError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return BadRequest.jsonContentType();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return BadRequest.bodyTooLarge();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return BadRequest.jsonSyntax('EOF while parsing a value');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return BadRequest.jsonSyntax(error.message);
  }
  const status = error.statusCode;
  if (error.name === 'FastifyError' && status !== undefined && status >= 400 && status < 500) {
    return new ApiError(status, error.message);
  }
  return null;
}

function routerError(error: FastifyError): ApiError {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return new ApiError(414, 'Invalid URL: path parameter too long');
  if (error.code === 'FST_ERR_BAD_URL') return new ApiError(400, 'Invalid URL: malformed percent-encoding in the path');
  return new ApiError(error.statusCode ?? 400, 'Invalid URL');
}

export function createApiAdapter(config: HttpApiConfig | null): ApiFastifyAdapter {
  const tls = config?.tls ?? null;
  return new ApiFastifyAdapter({
    ...(tls ? { https: { cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } } : {}),
    bodyLimit: API_LIMITS.bodyLimitBytes,
    requestTimeout: API_LIMITS.requestTimeoutMs,
    keepAliveTimeout: API_LIMITS.keepAliveTimeoutMs,
    forceCloseConnections: 'idle',
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: API_LIMITS.maxParamLength },
    // Errors of the router itself; Fastify's messages would echo the URL (and its token).
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
      sendApiError(reply, routerError(error)),
  });
}

/** JSON bodies: parsed here so that bad JSON gets Torrust's 400 text. */
/**
 * JSON bodies are parsed here, and a malformed one is kept as an UnparsableJsonBody instead of
 * failing the request: only a route that reads the body (@JsonBody) refuses it, with Torrust's
 * 400, as axum does; the other routes ignore bodies.
 */
function parseJsonBody(_request: unknown, body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return new UnparsableJsonBody('EOF while parsing a value at line 1 column 0');
  try {
    return JSON.parse(text);
  } catch (err) {
    return new UnparsableJsonBody((err as Error).message);
  }
}

/**
 * Body parsers, `x-request-id` on every answer, and the documentation routes; before
 * `app.init()`. Bodies of any other type are read (within the limit) and dropped: no route but
 * `POST /api/v1/keys` reads a body, and that one answers 415 itself for a non-JSON type.
 */
export function configureApiServer(app: NestFastifyApplication): void {
  const limit = { bodyLimit: API_LIMITS.bodyLimitBytes };
  app.useBodyParser('application/json', limit, async (request: unknown, body: Buffer) => parseJsonBody(request, body));
  app.useBodyParser('*', limit, async () => undefined);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  registerApiDocs(app);
}
