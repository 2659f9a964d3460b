/**
 * Entry point of `tracker-loadtest` (bin/tracker-loadtest.js): parses the options, resolves the
 * target's host once, runs the workers, shows a progress line on a TTY, prints the JSON summary on
 * stdout. Exit 0 ran, 1 the target never answered (or could not be resolved), 2 bad options.
 */
import { lookup } from 'node:dns/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { LatencyHistogram } from './histogram.js';
import { LoadtestUsageError, parseLoadtestArgs, USAGE, type LoadtestOptions } from './options.js';
import { mergeSnapshots, type StatsSnapshot } from './stats.js';
import { buildSummary, errorCount, progressLine, type LoadtestSummary } from './summary.js';
import type { WorkerInput, WorkerMessage } from './worker.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const PROGRAM = 'tracker-loadtest';

export interface LoadtestIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress line). */
  tty: boolean;
}

async function resolveTarget(host: string): Promise<{ address: string; family: 4 | 6 }> {
  const r = await lookup(host, { verbatim: true });
  return { address: r.address, family: r.family === 6 ? 6 : 4 };
}

/** Runs the workers and returns the merged stats. */
async function runWorkers(
  o: LoadtestOptions,
  address: string,
  family: 4 | 6,
  onProgress: (snapshots: StatsSnapshot[]) => void,
): Promise<{ snapshots: StatsSnapshot[]; failures: string[] }> {
  const snapshots: StatsSnapshot[] = [];
  const failures: string[] = [];
  const workers: Worker[] = [];
  const stop = (): void => workers.forEach((w) => w.postMessage('stop'));
  process.once('SIGINT', stop);
  const ticker = setInterval(() => onProgress(snapshots.filter(Boolean)), 1000);
  try {
    await Promise.all(
      Array.from({ length: o.workers }, (_, worker) => {
        const input: WorkerInput = { options: o, address, family, worker };
        const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
        workers.push(w);
        return new Promise<void>((resolve) => {
          w.on('message', (m: WorkerMessage) => {
            if (m.type === 'failed') failures.push(m.message);
            else snapshots[worker] = m.stats;
          });
          w.on('error', (e) => failures.push(e.message));
          w.on('exit', () => resolve());
        });
      }),
    );
  } finally {
    clearInterval(ticker);
    process.removeListener('SIGINT', stop);
  }
  return { snapshots: snapshots.filter(Boolean), failures };
}

export async function runLoadtest(
  argv: readonly string[],
  io: LoadtestIo,
  cpus = availableParallelism(),
): Promise<number> {
  let o: LoadtestOptions;
  try {
    const parsed = parseLoadtestArgs(argv, cpus);
    if (parsed.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    o = parsed.options;
  } catch (error) {
    if (error instanceof LoadtestUsageError) {
      io.stderr(`${PROGRAM}: error: ${error.message}\nTry '${PROGRAM} --help' for the options.\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  let target: { address: string; family: 4 | 6 };
  try {
    target = await resolveTarget(o.host);
  } catch (error) {
    io.stderr(`${PROGRAM}: cannot resolve '${o.host}': ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
  if (!o.json) {
    io.stderr(
      `${PROGRAM}: ${o.mode} ${o.target} (${target.address}) for ${o.duration} s, ${o.workers} worker(s) × ` +
        `${o.concurrency} in flight, ${o.torrents} torrents, ${o.peers} peers\n`,
    );
  }
  const started = performance.now();
  let lastResponses = 0;
  let lastAt = started;
  const showProgress = io.tty && !o.json;
  const { snapshots, failures } = await runWorkers(o, target.address, target.family, (list) => {
    if (!showProgress) return;
    const { totals, latency } = mergeSnapshots(list);
    const now = performance.now();
    const rps = ((totals.responses - lastResponses) * 1000) / Math.max(1, now - lastAt);
    lastResponses = totals.responses;
    lastAt = now;
    io.stderr(`\r${progressLine((now - started) / 1000, rps, totals, latency)}\x1b[K`);
  });
  if (showProgress) io.stderr('\n');
  for (const f of failures) io.stderr(`${PROGRAM}: worker failed: ${f}\n`);
  const { totals, latency } =
    snapshots.length > 0 ? mergeSnapshots(snapshots) : { totals: undefined, latency: new LatencyHistogram() };
  if (!totals) return EXIT_FAILURE;
  const summary: LoadtestSummary = buildSummary(o, totals, latency);
  io.stdout(`${JSON.stringify(summary, null, o.json ? undefined : 2)}\n`);
  if (!totals.answered) {
    io.stderr(`${PROGRAM}: the target ${o.target} never answered (${errorCount(totals)} errors)\n`);
    return EXIT_FAILURE;
  }
  if (!o.json) {
    io.stderr(
      `${PROGRAM}: ${summary.responses} responses in ${summary.duration} s = ${summary.rps} rps, ` +
        `${errorCount(totals)} errors, p50 ${summary.latency_us.p50} µs, p99 ${summary.latency_us.p99} µs\n`,
    );
  }
  return failures.length > 0 ? EXIT_FAILURE : EXIT_OK;
}

/** bin/tracker-loadtest.js calls this. */
export async function runFromCommandLine(): Promise<void> {
  const code = await runLoadtest(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    tty: process.stderr.isTTY === true,
  });
  process.exitCode = code;
}
