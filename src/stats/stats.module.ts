/**
 * StatsModule owns the one TrackerCounters object of the process. With
 * `tracker_usage_statistics = false` the request handlers are given a separate, never-read
 * counters object (HANDLER_COUNTERS), so every reported protocol counter stays 0 without a
 * branch on the hot path.
 */
import { Global, Module } from '@nestjs/common';
import type { CoreConfig } from '../config/configuration.js';
import { CORE_CONFIG } from '../config/config.tokens.js';
import { ListenerMetricsRegistry } from './listener-metrics.js';
import { TrackerCounters } from './tracker-counters.js';
import { UdpBanGauge } from './udp-ban-gauge.js';

/** The counters the UDP/HTTP handlers increment. */
export const HANDLER_COUNTERS = Symbol('HandlerCounters');

@Global()
@Module({
  providers: [
    TrackerCounters,
    UdpBanGauge,
    {
      provide: HANDLER_COUNTERS,
      inject: [TrackerCounters, CORE_CONFIG],
      useFactory: (reported: TrackerCounters, core: CoreConfig) =>
        core.trackerUsageStatistics ? reported : new TrackerCounters(),
    },
    {
      provide: ListenerMetricsRegistry,
      inject: [CORE_CONFIG],
      useFactory: (core: CoreConfig) => new ListenerMetricsRegistry(core.trackerUsageStatistics),
    },
  ],
  exports: [TrackerCounters, HANDLER_COUNTERS, ListenerMetricsRegistry, UdpBanGauge],
})
export class StatsModule {}
