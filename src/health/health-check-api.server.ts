/**
 * The health check API, as Torrust has it, on its own listener (`[health_check_api]
 * bind_address`, default 127.0.0.1:1313, no token, no TLS): `GET /health_check` probes every
 * listener the tracker started — each HTTP tracker's `/health_check` (over https for TLS
 * listeners), the API's `/api/health_check`, each UDP tracker with a real BEP 15 connect — and
 * reports each result in Torrust's JSON shape; always HTTP 200. Started when the application
 * boots; probes read the listeners at request time, so listeners started later are included.
 */
import { createSocket } from 'node:dgram';
import { STATUS_CODES, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import type { HealthCheckApiConfig } from '../config/configuration.js';
import { HEALTH_CHECK_API_CONFIG } from '../config/config.tokens.js';
import { BoundListeners, hostForUrl, type BoundListener } from '../listeners/bound-listeners.js';
import { ACTION_CONNECT, decodeResponse, encodeConnectRequest } from '../protocol/bep15/index.js';

/** Each probe gives up after this (Torrust: 2 s for UDP). */
export const PROBE_TIMEOUT_MS = 2_000;
const UDP_PROBE_TRANSACTION_ID = 123;

export type ProbeResult = { Ok: string } | { Err: string };

export interface ServiceHealth {
  binding: string;
  info: string;
  result: ProbeResult;
}

export interface HealthReport {
  status: 'Ok' | 'Error' | 'None';
  message: string;
  details: ServiceHealth[];
}

/** Wildcard binds are probed on loopback. */
function probeHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function httpProbe(url: string, tls: boolean): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const request = tls ? httpsRequest : httpRequest;
    // Our own listener is probed: its certificate may be self-signed.
    const req = request(url, { method: 'GET', timeout: PROBE_TIMEOUT_MS, rejectUnauthorized: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const text = `${status} ${STATUS_CODES[status] ?? ''}`.trim();
      resolve(status >= 200 && status < 300 ? { Ok: text } : { Err: text });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ Err: `error sending request for url (${url}): ${err.message}` }));
    req.end();
  });
}

function udpProbe(host: string, port: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    let done = false;
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ Err: 'Timed Out' }), PROBE_TIMEOUT_MS);
    socket.on('error', () => finish({ Err: 'Did not Connect' }));
    socket.on('message', (msg) => {
      const decoded = decodeResponse(msg);
      const connected =
        decoded.ok &&
        decoded.response.action === ACTION_CONNECT &&
        decoded.response.transactionId === UDP_PROBE_TRANSACTION_ID;
      finish(connected ? { Ok: 'Connected' } : { Err: 'Did not Connect' });
    });
    socket.send(encodeConnectRequest(UDP_PROBE_TRANSACTION_ID), port, host);
  });
}

@Injectable()
export class HealthCheckApiServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('HEALTH CHECK API');
  private readonly fastify: FastifyInstance;
  private bound: BoundListener | null = null;

  constructor(
    @Inject(HEALTH_CHECK_API_CONFIG) private readonly config: HealthCheckApiConfig,
    private readonly listeners: BoundListeners,
  ) {
    this.fastify = Fastify({ logger: false, requestTimeout: 10_000 });
    // Buffers keep the content type exactly `application/json`, as Torrust sends it.
    this.fastify.get('/', (_req, reply) => reply.header('content-type', 'application/json').send(Buffer.from('{}')));
    this.fastify.get('/health_check', async (_req, reply) =>
      reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(await this.check()))),
    );
    this.fastify.setNotFoundHandler((_req, reply) => reply.code(404).send(''));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { host, port } = this.config.bindAddress;
    try {
      await this.fastify.listen({ host, port });
    } catch (err) {
      throw new Error(`Health check API could not bind ${this.config.bindAddress.text}: ${(err as Error).message}`);
    }
    const address = this.fastify.server.address();
    if (address === null || typeof address === 'string') throw new Error('Health check API has no TCP address');
    this.bound = this.listeners.add('health', this.config.bindAddress.text, address.address, address.port);
    this.log.log(`Started on: ${this.bound.url}`);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.bound) this.listeners.markStopped(this.bound);
    await this.fastify.close();
  }

  /** Probes every started listener (stopped ones fail), concurrently. */
  async check(): Promise<HealthReport> {
    const services = this.listeners.all().filter((l) => l.kind !== 'health');
    if (services.length === 0) return { status: 'None', message: '', details: [] };
    const details = await Promise.all(services.map((l) => this.probe(l)));
    const failed = details.some((d) => 'Err' in d.result);
    return { status: failed ? 'Error' : 'Ok', message: failed ? 'health check failed' : '', details };
  }

  private async probe(l: BoundListener): Promise<ServiceHealth> {
    const binding = `${hostForUrl(l.host)}:${l.port}`;
    const target = `${hostForUrl(probeHost(l.host))}:${l.port}`;
    const scheme = l.tls ? 'https' : 'http';
    switch (l.kind) {
      case 'udp':
        return {
          binding,
          info: `checking the udp tracker health check at: ${binding}`,
          result: await udpProbe(probeHost(l.host), l.port),
        };
      case 'api': {
        const url = `${scheme}://${target}/api/health_check`;
        return { binding, info: `checking api health check at: ${url}`, result: await httpProbe(url, l.tls) };
      }
      default: {
        const url = `${scheme}://${target}/health_check`;
        return { binding, info: `checking http tracker health check at: ${url}`, result: await httpProbe(url, l.tls) };
      }
    }
  }
}
