/**
 * CoreTrackerModule: composes the pure tracker domain (core/domain) for the application —
 * one SwarmRegistry and one TrackerCore, wired to the whitelist and key services through the
 * domain's ports, the clock, and the periodic peer cleanup. Delivery layers (UDP, HTTP, API)
 * receive TrackerCore once at bootstrap and call it synchronously.
 */
import { randomBytes } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import type { CoreConfig } from '../config/configuration.js';
import { CORE_CONFIG } from '../config/config.tokens.js';
import { AuthKeysModule } from '../auth-keys/auth-keys.module.js';
import { AuthKeysService } from '../auth-keys/auth-keys.service.js';
import { parseIp } from '../shared/ip.js';
import { WhitelistModule } from '../whitelist/whitelist.module.js';
import { WhitelistService } from '../whitelist/whitelist.service.js';
import { systemClock, type Clock } from './domain/ports.js';
import { SwarmRegistry } from './domain/swarm-registry.js';
import { TrackerCore, type TrackerPolicy } from './domain/tracker.js';
import { CLOCK, HASH_SEED } from './core.tokens.js';
import { SwarmCleanupJob } from './swarm-cleanup.job.js';

export interface CoreModuleOptions {
  /** Defaults to the system clock; tests pass a StoppedClock. */
  readonly clock?: Clock;
}

export function trackerPolicyOf(core: CoreConfig): TrackerPolicy {
  const external = core.net.externalIp === null ? null : parseIp(core.net.externalIp);
  return {
    listed: core.listed,
    private: core.private,
    checkKeysExpiration: core.privateMode?.checkKeysExpiration ?? true,
    interval: core.announcePolicy.interval,
    intervalMin: core.announcePolicy.intervalMin,
    maxPeersPerAnnounce: core.announcePolicy.maxPeersPerAnnounce,
    externalIp: external,
  };
}

@Module({})
export class CoreTrackerModule {
  static forRoot(options: CoreModuleOptions = {}): DynamicModule {
    return {
      module: CoreTrackerModule,
      global: true,
      imports: [AuthKeysModule, WhitelistModule],
      providers: [
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: HASH_SEED, useFactory: () => randomBytes(4).readUInt32LE(0) },
        {
          provide: SwarmRegistry,
          inject: [CORE_CONFIG, HASH_SEED],
          useFactory: (core: CoreConfig, seed: number) =>
            new SwarmRegistry({
              maxPeerTimeoutMs: core.trackerPolicy.maxPeerTimeout * 1000,
              seed,
              trackDirtyCompleted: core.trackerPolicy.persistentTorrentCompletedStat,
            }),
        },
        {
          provide: TrackerCore,
          inject: [SwarmRegistry, CORE_CONFIG, CLOCK, WhitelistService, AuthKeysService],
          useFactory: (
            registry: SwarmRegistry,
            core: CoreConfig,
            clock: Clock,
            whitelist: WhitelistService,
            keys: AuthKeysService,
          ) => new TrackerCore(registry, trackerPolicyOf(core), clock, whitelist, keys),
        },
        SwarmCleanupJob,
      ],
      exports: [CLOCK, SwarmRegistry, TrackerCore, SwarmCleanupJob, AuthKeysModule, WhitelistModule],
    };
  }
}
