/**
 * Entry point: load and validate the configuration (exit 1 with every problem on stderr before
 * any socket is opened), start the tracker, and drain gracefully on SIGINT/SIGTERM (exit 0, or
 * 1 if draining takes longer than the grace period).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startTracker, type RunningTracker } from './app.js';
import { checkEnvironment } from './config/environment-checks.js';
import { formatProblems, loadConfiguration } from './config/loader.js';
import { maskSecrets } from './config/mask.js';
import { TrackerLogger } from './logging/tracker-logger.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const loaded = loadConfiguration(process.env, process.cwd());
  if (!loaded.ok) fail(formatProblems(loaded.problems, loaded.source));
  const config = loaded.config;
  const environmentProblems = await checkEnvironment(config, process.cwd());
  if (environmentProblems.length > 0) fail(formatProblems(environmentProblems, loaded.source));

  const logger = new TrackerLogger(config.logging.threshold, undefined, config.logging.style);
  Logger.overrideLogger(logger);
  logger.log(`Loading configuration from: ${loaded.source}`, 'Configuration');
  logger.log(`Configuration: ${JSON.stringify(maskSecrets(config))}`, 'Configuration');

  let tracker: RunningTracker;
  try {
    tracker = await startTracker(config, { logger });
  } catch (err) {
    fail(`Failed to start the tracker: ${(err as Error).message}`);
  }

  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn(`Received ${signal} again, exiting now`, 'Shutdown');
      process.exit(1);
    }
    shuttingDown = true;
    logger.log(`Received ${signal}, shutting down gracefully`, 'Shutdown');
    const graceMs = config.shutdown.gracePeriodInSecs * 1000;
    const force = setTimeout(() => {
      logger.error(
        `Graceful shutdown took longer than ${graceMs} ms ([shutdown] grace_period_in_secs), exiting`,
        'Shutdown',
      );
      process.exit(1);
    }, graceMs);
    force.unref();
    tracker.close().then(
      () => {
        logger.log('Tracker stopped', 'Shutdown');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error(`Shutdown failed: ${(err as Error).message}`, 'Shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
