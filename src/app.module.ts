/**
 * The root module: configuration slices, the database, the core tracker (swarms, whitelist,
 * keys, cleanup) and completed-count persistence. The UDP/HTTP trackers, the admin API and the
 * health check API plug in here as their modules arrive.
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { ApiV1Module } from './api/v1/api-v1.module.js';
import { TrackerConfigModule } from './config/config.module.js';
import type { Configuration } from './config/configuration.js';
import { CoreTrackerModule } from './core/core.module.js';
import type { Clock } from './core/domain/ports.js';
import { DownloadsModule } from './downloads/downloads.module.js';
import { ForwardingModule } from './forwarding/forwarding.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpTrackerModule } from './http-tracker/http-tracker.module.js';
import { BoundListenersModule } from './listeners/bound-listeners.js';
import { DatabaseModule } from './persistence/database/database.module.js';
import { MetricsModule } from './stats/metrics.module.js';
import { StatsModule } from './stats/stats.module.js';
import { UdpTrackerModule } from './udp-tracker/udp-tracker.module.js';

export interface AppOptions {
  /** Replaces the system clock (tests). */
  readonly clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: Configuration, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TrackerConfigModule.forRoot(config),
        DatabaseModule.forRoot(config.core.database),
        CoreTrackerModule.forRoot({ clock: options.clock }),
        DownloadsModule,
        StatsModule,
        BoundListenersModule,
        ForwardingModule,
        UdpTrackerModule,
        HttpTrackerModule,
        HealthModule,
        MetricsModule.forRoot(),
        ApiV1Module.forRoot(),
      ],
    };
  }
}
