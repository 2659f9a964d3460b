/**
 * Starting and stopping the tracker in-process: `startTracker(config)` builds the Nest
 * application (database opened and migrated, keys/whitelist/counts loaded, then listeners
 * bound) and returns a handle whose `close()` drains it: listeners stop, pending completed
 * counts are flushed, the database is closed. main.ts and the e2e tests both use it.
 */
import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiListener } from './api/api-listener.js';
import { configureApiServer, createApiAdapter } from './api/api-server.js';
import { AppModule, type AppOptions } from './app.module.js';
import type { Configuration } from './config/configuration.js';
import { DrainState } from './health/drain-state.js';
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

/**
 * Readiness fails first (DrainState), then after `[shutdown] drain_delay_in_secs` the listeners
 * stop (onModuleDestroy), pending writes are flushed (beforeApplicationShutdown) and the database
 * closes (onApplicationShutdown).
 */
async function drainAndClose(app: NestFastifyApplication, config: Configuration): Promise<void> {
  app.get(DrainState).start();
  const delayMs = config.shutdown.drainDelayInSecs * 1000;
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  await app.close();
}

export async function startTracker(config: Configuration, options: StartOptions = {}): Promise<RunningTracker> {
  const logger = options.logger ?? new TrackerLogger(config.logging.threshold, undefined, config.logging.style);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    // The Nest application's Fastify instance is the admin API's server (HTTPS with tsl_config).
    createApiAdapter(config.httpApi),
    { logger, abortOnError: false, bufferLogs: false },
  );
  app.useLogger(options.logger ?? logger);
  if (!options.logger) app.flushLogs();
  try {
    configureApiServer(app);
    await app.init();
    for (const server of app.get(UdpTrackerServers).servers) {
      app.connectMicroservice({ strategy: server }, { inheritAppConfig: false });
    }
    await app.startAllMicroservices();
    await app.get(HttpTrackerServers).listenAll();
    await app.get(ApiListener).listen(app);
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    app,
    config,
    close: () => (closing ??= drainAndClose(app, config)),
  };
}
