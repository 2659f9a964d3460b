/**
 * For the API controller specs: the API controllers on their real Fastify adapter (limits,
 * 404/405, body parsing, docs), over strict fakes of the services they call, driven with
 * Fastify's `inject` (no socket). A strict fake fails the test on any call it was not given
 * an implementation for (immich's automock idea), and records every call.
 */
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { AuthKeysService } from '../../auth-keys/auth-keys.service.js';
import type { HttpApiConfig } from '../../config/configuration.js';
import { HTTP_API_CONFIG } from '../../config/config.tokens.js';
import { ForwardingService } from '../../forwarding/forwarding.service.js';
import { WhitelistService } from '../../whitelist/whitelist.service.js';
import { configureApiServer, createApiAdapter } from '../api-server.js';
import { ApiV1Module } from '../v1/api-v1.module.js';
import { StatsQuery } from '../v1/stats/stats.query.js';
import { TorrentsQuery } from '../v1/torrents/torrents.query.js';

export const TEST_TOKEN = 'MyAccessToken';

/** Properties Nest and promises probe on any provider: a fake answers them with undefined. */
const PROBED = new Set([
  'then',
  'constructor',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
  'toJSON',
  'inspect',
]);

export interface FakeCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

export interface StrictFake {
  readonly calls: FakeCall[];
  /** Calls nobody gave an implementation for. */
  readonly unexpected: FakeCall[];
}

/** A stand-in for `name` that only answers the given methods; see StrictFake. */
export function strictFake<T extends object>(
  name: string,
  methods: Partial<Record<keyof T, unknown>> = {},
): T & StrictFake {
  const calls: FakeCall[] = [];
  const unexpected: FakeCall[] = [];
  const target = { calls, unexpected } as Record<string | symbol, unknown>;
  return new Proxy(target, {
    get(t, prop) {
      if (prop in t) return t[prop];
      if (typeof prop === 'symbol' || PROBED.has(prop)) return undefined;
      const impl = (methods as Record<string, unknown>)[prop];
      return (...args: unknown[]) => {
        calls.push({ method: prop, args });
        if (typeof impl !== 'function') {
          unexpected.push({ method: prop, args });
          throw new Error(`unexpected call: ${name}.${prop}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
        }
        return (impl as (...a: unknown[]) => unknown)(...args);
      };
    },
  }) as T & StrictFake;
}

export interface ApiFakes {
  stats?: StatsQuery & StrictFake;
  torrents?: TorrentsQuery & StrictFake;
  whitelist?: WhitelistService & StrictFake;
  keys?: AuthKeysService & StrictFake;
  /** Replaces the API module's default ForwardingService (forwarding off) when given. */
  forwarding?: ForwardingService & StrictFake;
  /** `[http_api.access_tokens]`; default `{ admin: "MyAccessToken" }`. */
  accessTokens?: Record<string, string>;
}

export interface ApiTestApp {
  readonly app: NestFastifyApplication;
  readonly fakes: Required<Omit<ApiFakes, 'accessTokens' | 'forwarding'>>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Fails when a fake got a call it had no implementation for. */
  assertNoUnexpectedCalls(): void;
  close(): Promise<void>;
}

export async function createApiTestApp(given: ApiFakes = {}): Promise<ApiTestApp> {
  const fakes = {
    stats: given.stats ?? strictFake<StatsQuery>('StatsQuery'),
    torrents: given.torrents ?? strictFake<TorrentsQuery>('TorrentsQuery'),
    whitelist: given.whitelist ?? strictFake<WhitelistService>('WhitelistService'),
    keys: given.keys ?? strictFake<AuthKeysService>('AuthKeysService'),
  };
  const config: HttpApiConfig = {
    bindAddress: { host: '127.0.0.1', port: 0, family: 4, text: '127.0.0.1:0' },
    tls: null,
    accessTokens: given.accessTokens ?? { admin: TEST_TOKEN },
  } as HttpApiConfig;
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiV1Module.withProviders([
      { provide: HTTP_API_CONFIG, useValue: config },
      { provide: StatsQuery, useValue: fakes.stats },
      { provide: TorrentsQuery, useValue: fakes.torrents },
      { provide: WhitelistService, useValue: fakes.whitelist },
      { provide: AuthKeysService, useValue: fakes.keys },
      ...(given.forwarding ? [{ provide: ForwardingService, useValue: given.forwarding }] : []),
    ]),
    createApiAdapter(config),
    { logger: false, abortOnError: false },
  );
  configureApiServer(app);
  await app.init();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  return {
    app,
    fakes,
    inject: (options) => fastify.inject(options),
    assertNoUnexpectedCalls() {
      const all = given.forwarding ? { ...fakes, forwarding: given.forwarding } : fakes;
      const unexpected = Object.entries(all).flatMap(([name, f]) =>
        f.unexpected.map((c) => `${name}.${c.method}(${JSON.stringify(c.args)})`),
      );
      if (unexpected.length > 0) throw new Error(`unexpected service calls: ${unexpected.join('; ')}`);
    },
    close: () => app.close(),
  };
}

/** Every authenticated route of the API, for "auth is required everywhere" checks. */
export const AUTHENTICATED_ROUTES: ReadonlyArray<{ readonly method: InjectOptions['method']; readonly url: string }> = [
  { method: 'GET', url: '/api/v1/stats' },
  { method: 'GET', url: '/api/v1/torrent/9c38422213e30bff212b30c360d26f9a02136422' },
  { method: 'GET', url: '/api/v1/torrents' },
  { method: 'POST', url: '/api/v1/whitelist/9c38422213e30bff212b30c360d26f9a02136422' },
  { method: 'DELETE', url: '/api/v1/whitelist/9c38422213e30bff212b30c360d26f9a02136422' },
  { method: 'GET', url: '/api/v1/whitelist/reload' },
  { method: 'POST', url: '/api/v1/key/120' },
  { method: 'POST', url: '/api/v1/keys' },
  { method: 'DELETE', url: '/api/v1/key/xqD6NWH9TcKrOCwDmqcdH5hF5RrbL0A6' },
  { method: 'GET', url: '/api/v1/keys/reload' },
];
