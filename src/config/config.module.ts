/**
 * TrackerConfigModule: makes an already loaded and validated Configuration available to the
 * application as typed slices (see config.tokens.ts). Loading and validation happen before
 * Nest starts (main.ts), so a bad file never gets as far as opening a socket.
 */
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Configuration } from './configuration.js';
import {
  CONFIGURATION,
  CORE_CONFIG,
  DATABASE_CONFIG,
  HEALTH_CHECK_API_CONFIG,
  HTTP_API_CONFIG,
  HTTP_TRACKERS_CONFIG,
  LOGGING_CONFIG,
  UDP_TRACKERS_CONFIG,
  UDP_TRACKER_SERVER_CONFIG,
} from './config.tokens.js';

@Global()
@Module({})
export class TrackerConfigModule {
  static forRoot(config: Configuration): DynamicModule {
    const providers = [
      { provide: CONFIGURATION, useValue: config },
      { provide: CORE_CONFIG, useValue: config.core },
      { provide: DATABASE_CONFIG, useValue: config.core.database },
      { provide: LOGGING_CONFIG, useValue: config.logging },
      { provide: UDP_TRACKERS_CONFIG, useValue: config.udpTrackers },
      { provide: UDP_TRACKER_SERVER_CONFIG, useValue: config.udpTrackerServer },
      { provide: HTTP_TRACKERS_CONFIG, useValue: config.httpTrackers },
      { provide: HTTP_API_CONFIG, useValue: config.httpApi },
      { provide: HEALTH_CHECK_API_CONFIG, useValue: config.healthCheckApi },
    ];
    return { module: TrackerConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
