/**
 * Worker thread entry: runs one UDP or HTTP runner, posts a stats snapshot every second
 * (`progress`) and at the end (`done`); stops issuing early on a `stop` message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runHttp } from './http-runner.js';
import type { LoadtestOptions } from './options.js';
import { Stats, type StatsSnapshot } from './stats.js';
import { runUdp } from './udp-runner.js';

export interface WorkerInput {
  options: LoadtestOptions;
  address: string;
  family: 4 | 6;
  worker: number;
}

export type WorkerMessage =
  | { type: 'progress'; stats: StatsSnapshot }
  | { type: 'done'; stats: StatsSnapshot }
  | { type: 'failed'; message: string };

const port = parentPort;
if (port) {
  const input = workerData as WorkerInput;
  const stats = new Stats();
  let stop = false;
  port.on('message', (m: unknown) => {
    if (m === 'stop') stop = true;
  });
  const ticker = setInterval(
    () => port.postMessage({ type: 'progress', stats: stats.snapshot() } satisfies WorkerMessage),
    1000,
  );
  const params = { ...input, stats, stopRequested: () => stop };
  const run = input.options.mode === 'udp' ? runUdp(params) : runHttp(params);
  run.then(
    () => {
      clearInterval(ticker);
      port.postMessage({ type: 'done', stats: stats.snapshot() } satisfies WorkerMessage);
      port.close();
    },
    (error: unknown) => {
      clearInterval(ticker);
      port.postMessage({
        type: 'failed',
        message: error instanceof Error ? error.message : String(error),
      } satisfies WorkerMessage);
      port.close();
    },
  );
}
