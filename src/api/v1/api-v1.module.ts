/**
 * ApiV1Module: Torrust's REST API v1 on the Nest application's own Fastify instance —
 * `/api/v1/{stats,torrent,torrents,whitelist,key,keys}` behind the access-token guard, plus
 * `GET /api/health_check` and the extension `GET /api/v1/forwarders` (announce forwarding).
 * Controllers are thin: one service call each; auth, error bodies and response writing are
 * declared per controller (see common/). The server itself (listen, TLS, limits, 404/405) is
 * set up by api-server.ts.
 */
import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { ForwardingModule } from '../../forwarding/forwarding.module.js';
import { ForwardingService, type ForwardingStatus } from '../../forwarding/forwarding.service.js';
import { ApiListener } from '../api-listener.js';
import { AuthKeysController } from './auth-keys/auth-keys.controller.js';
import { ForwardersController } from './forwarders/forwarders.controller.js';
import { HealthCheckController } from './health/health-check.controller.js';
import { StatsController } from './stats/stats.controller.js';
import { StatsQuery } from './stats/stats.query.js';
import { TorrentsController } from './torrents/torrents.controller.js';
import { TorrentsQuery } from './torrents/torrents.query.js';
import { WhitelistController } from './whitelist/whitelist.controller.js';

export const API_CONTROLLERS: readonly Type[] = [
  HealthCheckController,
  StatsController,
  TorrentsController,
  WhitelistController,
  AuthKeysController,
  ForwardersController,
];

/** Forwarding switched off: the default ForwardingService of `withProviders`. */
const NO_FORWARDING: Pick<ForwardingService, 'status'> = {
  status: (): ForwardingStatus => ({
    enabled: false,
    workers: 0,
    queue_size: 0,
    queue_depth: 0,
    in_flight: 0,
    retries_waiting: 0,
    cached_torrents: 0,
    forwarders: [],
  }),
};

@Module({})
export class ApiV1Module {
  /** The API of the running tracker (services from the global core, stats and config modules). */
  static forRoot(): DynamicModule {
    return {
      module: ApiV1Module,
      imports: [ForwardingModule],
      controllers: [...API_CONTROLLERS],
      providers: [StatsQuery, TorrentsQuery, ApiListener],
    };
  }

  /**
   * The controllers alone over the given providers, which must cover what they and the token
   * guard inject (HTTP_API_CONFIG, StatsQuery, TorrentsQuery, WhitelistService,
   * AuthKeysService; ForwardingService defaults to "forwarding off" unless given): for the
   * OpenAPI document and the controller specs.
   */
  static withProviders(providers: Provider[]): DynamicModule {
    return {
      module: ApiV1Module,
      controllers: [...API_CONTROLLERS],
      // A later provider of the same token replaces this one.
      providers: [{ provide: ForwardingService, useValue: NO_FORWARDING }, ...providers],
    };
  }
}
