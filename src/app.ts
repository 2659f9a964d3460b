/**
 * Starting and stopping the tracker in-process: `startTracker(config)` builds the Nest
 * application (database opened and migrated, keys/whitelist/counts loaded, then listeners
 * bound) and returns a handle whose `close()` drains it: listeners stop, pending completed
 * counts are flushed, the database is closed. main.ts and the e2e tests both use it.
 */
import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppOptions } from './app.module.js';
import type { Configuration } from './config/configuration.js';
import { TrackerLogger } from './logging/tracker-logger.js';
import { HttpTrackerServers } from './http-tracker/http-tracker.module.js';
import { UdpTrackerServers } from './udp-tracker/udp-tracker.module.js';

export interface StartOptions extends AppOptions {
  readonly logger?: LoggerService;
}

export interface RunningTracker {
  readonly app: NestFastifyApplication;
  readonly config: Configuration;
  /** Stops listeners, flushes pending writes, closes the database. Idempotent. */
  close(): Promise<void>;
}

export async function startTracker(config: Configuration, options: StartOptions = {}): Promise<RunningTracker> {
  const logger = options.logger ?? new TrackerLogger(config.logging.threshold);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    new FastifyAdapter(),
    { logger, abortOnError: false, bufferLogs: false },
  );
  app.useLogger(options.logger ?? logger);
  if (!options.logger) app.flushLogs();
  try {
    await app.init();
    for (const server of app.get(UdpTrackerServers).servers) {
      app.connectMicroservice({ strategy: server }, { inheritAppConfig: false });
    }
    await app.startAllMicroservices();
    await app.get(HttpTrackerServers).listenAll();
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    app,
    config,
    close: () => (closing ??= app.close()),
  };
}
