/**
 * HttpTrackerServer: one Fastify instance of its own per `[[http_trackers]]` block (HTTPS when
 * `tsl_config` is set), so the admin API's pipes, guards and interceptors never run here.
 * Routes `/announce[/{key}]`, `/scrape[/{key}]` and `/health_check`; the query string is never
 * parsed by Fastify (info_hash and peer_id are raw bytes). Limits are set for abuse: see the
 * README's "HTTP tracker limits". On plain listeners, complete tracker GETs are answered before
 * Node's HTTP parser and Fastify by the fast path (http-fast-path.ts), with the same handler and
 * the same bytes on the wire; everything else reaches the routes below.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { HttpTrackerConfig } from '../config/configuration.js';
import type { BoundListener, BoundListeners } from '../listeners/bound-listeners.js';
import { encodeFailureResponse } from '../protocol/bencode/index.js';
import type { ListenerMetrics } from '../stats/listener-metrics.js';
import { HttpFastPath } from './http-fast-path.js';
import { HttpFailure, type HttpTrackerHandler, type TrackerReply } from './http-tracker.handler.js';

/** Limits of the HTTP tracker listeners (documented in the README). */
export const HTTP_TRACKER_LIMITS = {
  /** Request line plus headers (Node's `maxHeaderSize`); larger requests get 431. */
  maxHeaderBytes: 16 * 1024,
  /** Whole request, from the first byte to the reply (408 after it). */
  requestTimeoutMs: 5_000,
  /** Headers must arrive within this. */
  headersTimeoutMs: 5_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 30_000,
  /** Tracker requests are GETs: any body above this is refused with 413. */
  bodyLimitBytes: 1024,
  /**
   * Longest `{key}` path segment that is routed: as long as the request line may be, so every
   * malformed key (too long included) gets the "Invalid format" failure, as in Torrust.
   */
  maxParamLength: 16 * 1024,
  /** How often Node checks the two timeouts above (its default, 30 s, would let them run ~35 s). */
  timeoutCheckIntervalMs: 1_000,
} as const;

/** As Torrust (axum) sends them: bytes for answers, text for failure reasons. */
const SUCCESS_CONTENT_TYPE = 'application/octet-stream';
const FAILURE_CONTENT_TYPE = 'text/plain; charset=utf-8';
const OTHER_METHODS = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const HEALTH_CHECK_BODY = Buffer.from('{"status":"Ok"}');

export class HttpTrackerServer {
  private readonly log = new Logger('HTTP TRACKER');
  private readonly fastify: FastifyInstance;
  private bound: BoundListener | null = null;
  /** Plain listeners answer complete tracker GETs from the socket (http-fast-path.ts). */
  private readonly fastPath: HttpFastPath | null;

  constructor(
    private readonly config: HttpTrackerConfig,
    handler: HttpTrackerHandler,
    private readonly listeners: BoundListeners,
    private readonly metrics: ListenerMetrics,
  ) {
    const tls = config.tls;
    // Node server options; Fastify gives `http` to plain listeners only, so TLS ones get them too.
    const serverOptions = {
      maxHeaderSize: HTTP_TRACKER_LIMITS.maxHeaderBytes,
      headersTimeout: HTTP_TRACKER_LIMITS.headersTimeoutMs,
      connectionsCheckingInterval: HTTP_TRACKER_LIMITS.timeoutCheckIntervalMs,
    };
    this.fastify = Fastify({
      logger: false,
      ...(tls ? { https: { ...serverOptions, cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } } : {}),
      http: serverOptions,
      requestTimeout: HTTP_TRACKER_LIMITS.requestTimeoutMs,
      keepAliveTimeout: HTTP_TRACKER_LIMITS.keepAliveTimeoutMs,
      bodyLimit: HTTP_TRACKER_LIMITS.bodyLimitBytes,
      routerOptions: { maxParamLength: HTTP_TRACKER_LIMITS.maxParamLength, querystringParser: () => ({}) },
      return503OnClosing: true,
      forceCloseConnections: 'idle',
      // A path Fastify cannot decode (`/announce/%zz`): a key segment is a malformed key, as in
      // Torrust; anything else is a plain 400 with an empty body.
      frameworkErrors: (_err: unknown, req: FastifyRequest, reply: FastifyReply) => {
        const url = req.raw.url ?? '';
        if (url.startsWith('/announce/') || url.startsWith('/scrape/')) {
          void reply
            .code(200)
            .header('content-type', FAILURE_CONTENT_TYPE)
            .send(encodeFailureResponse(HttpFailure.invalidKeyFormat));
        } else void reply.code(400).send('');
      },
      // Requests Node's parser refuses (garbage, oversized headers, too slow) get an empty-bodied status.
      clientErrorHandler: (err: { code?: string }, socket: Socket) => {
        if (!socket.writable) return;
        const status =
          err.code === 'HPE_HEADER_OVERFLOW'
            ? '431 Request Header Fields Too Large'
            : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
              ? '408 Request Timeout'
              : '400 Bad Request';
        socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      },
    } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

    const send = (reply: FastifyReply, result: TrackerReply) =>
      reply
        .code(200)
        .header('content-type', result.failure ? FAILURE_CONTENT_TYPE : SUCCESS_CONTENT_TYPE)
        .send(result.body);
    // `/announce/` (an empty key segment) is not a route, as in Torrust.
    const notFound = (reply: FastifyReply) => reply.code(404).send('');
    const meta = (req: FastifyRequest) => ({
      remoteAddress: req.raw.socket.remoteAddress,
      forwardedFor: req.headers['x-forwarded-for'],
      realIp: req.headers['x-real-ip'],
    });
    const key = (req: FastifyRequest) => (req.params as { key: string }).key;

    const f = this.fastify;
    f.get('/announce', (req, reply) => send(reply, handler.announce(req.url, null, meta(req))));
    f.get('/announce/:key', (req, reply) =>
      key(req) === '' ? notFound(reply) : send(reply, handler.announce(req.url, key(req), meta(req))),
    );
    f.get('/scrape', (req, reply) => send(reply, handler.scrape(req.url, null, meta(req))));
    f.get('/scrape/:key', (req, reply) =>
      key(req) === '' ? notFound(reply) : send(reply, handler.scrape(req.url, key(req), meta(req))),
    );
    // A Buffer, so Fastify sends `application/json` as is (a string would get `; charset=utf-8`).
    f.get('/health_check', (_req, reply) =>
      reply.code(200).header('content-type', 'application/json').send(HEALTH_CHECK_BODY),
    );
    for (const path of ['/announce', '/announce/:key', '/scrape', '/scrape/:key', '/health_check']) {
      f.route({ method: [...OTHER_METHODS], url: path, handler: (_req, reply) => reply.code(405).send('') });
    }
    f.setNotFoundHandler((_req, reply) => notFound(reply));
    this.fastPath = tls
      ? null
      : new HttpFastPath(this.fastify.server, handler, HTTP_TRACKER_LIMITS, {
          success: SUCCESS_CONTENT_TYPE,
          failure: FAILURE_CONTENT_TYPE,
        });
    f.setErrorHandler((err: { statusCode?: number }, _req, reply) => {
      // Framework-level refusals (oversized body, bad content type…): their status, no stack.
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      void reply.code(status).send('');
    });
  }

  /** Connections the fast path holds now (0 on TLS listeners). */
  get fastConnections(): number {
    return this.fastPath?.size ?? 0;
  }

  async listen(): Promise<BoundListener> {
    const { host, port } = this.config.bindAddress;
    try {
      await this.fastify.listen({ host, port });
    } catch (err) {
      throw new Error(`HTTP tracker could not bind ${this.config.bindAddress.text}: ${(err as Error).message}`);
    }
    const address = this.fastify.server.address();
    if (address === null || typeof address === 'string') throw new Error('HTTP tracker has no TCP address');
    this.bound = this.listeners.add(
      'http',
      this.config.bindAddress.text,
      address.address,
      address.port,
      this.config.tls !== null,
    );
    this.metrics.listener = this.bound.url;
    this.log.log(`Started on: ${this.bound.url}`);
    return this.bound;
  }

  async close(): Promise<void> {
    if (this.bound) this.listeners.markStopped(this.bound);
    this.bound = null;
    this.fastPath?.close();
    await this.fastify.close();
  }
}
