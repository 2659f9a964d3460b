/**
 * tracker-loadtest as operators run it: a child process started through bin/tracker-loadtest.js
 * against our tracker (in-process, createTestApp), in UDP and HTTP modes, with the JSON summary,
 * the usage errors (exit 2) and an unanswered target (exit 1) checked. As in
 * console-clients.e2e-spec.ts, bin/ is copied into a temp dir whose `dist` links to build/src/.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { prepareLaunchers, runLauncher, type LauncherRun } from '../support/launchers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

type Run = LauncherRun;

let toolDir = '';

function run(args: string[]): Promise<Run> {
  return runLauncher(toolDir, 'tracker-loadtest', args);
}

const SUMMARY_KEYS = [
  'mode',
  'target',
  'duration',
  'requests',
  'responses',
  'rps',
  'announce_rps',
  'scrape_rps',
  'errors',
  'latency_us',
  'workers',
  'concurrency',
];

function assertGoodRun(r: Run, mode: string, target: string): Record<string, unknown> {
  assert.equal(r.code, 0, `exit ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.split('\n').length, 2, 'one JSON line');
  const s = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(s), SUMMARY_KEYS);
  assert.equal(s.mode, mode);
  assert.equal(s.target, target);
  assert.ok(Math.abs((s.duration as number) - 2) < 0.3, `duration ${String(s.duration)}`);
  assert.deepEqual(s.errors, { timeouts: 0, error_responses: 0, invalid: 0, network: 0 });
  assert.ok((s.rps as number) > 0);
  assert.ok((s.announce_rps as number) > 0);
  assert.ok((s.scrape_rps as number) > 0);
  assert.ok((s.responses as number) > 0 && (s.responses as number) <= (s.requests as number));
  const latency = s.latency_us as Record<string, number>;
  assert.deepEqual(Object.keys(latency), ['p50', 'p90', 'p99', 'max']);
  assert.ok(latency.p50 > 0 && latency.p50 <= latency.p90 && latency.p90 <= latency.p99 && latency.p99 <= latency.max);
  assert.equal(s.workers, 1);
  assert.equal(s.concurrency, 8);
  return s;
}

before(() => {
  toolDir = prepareLaunchers('loadtest-tool-');
});

after(() => {
  if (toolDir) rmSync(toolDir, { recursive: true, force: true });
});

describe('tracker-loadtest', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp();
  });
  after(() => app?.close());

  it('loads the UDP tracker for 2 s and prints the JSON summary', async () => {
    const target = `${app.udp[0].host}:${app.udp[0].port}`;
    const r = await run(['udp', target, '--duration', '2', '--concurrency', '8', '--torrents', '100', '--json']);
    assertGoodRun(r, 'udp', target);
  });

  it('loads the HTTP tracker for 2 s and prints the JSON summary', async () => {
    const target = `${app.http[0].url}/announce`;
    const r = await run(['http', target, '--duration', '2', '--concurrency', '8', '--torrents', '100', '--json']);
    assertGoodRun(r, 'http', target);
  });

  it('refuses absurd settings with exit 2 and a clear message', async () => {
    const target = `${app.udp[0].host}:${app.udp[0].port}`;
    for (const [args, message] of [
      [['udp', target, '--duration', '301'], /--duration must be between 0.1 and 300, got 301/],
      [['udp', target, '--concurrency', '5000'], /--concurrency must be between 1 and 4096/],
      [['udp', target, '--workers', '100000'], /--workers must be between 1 and \d+ \(the number of CPUs\)/],
      [['udp', '127.0.0.1'], /HOST:PORT/],
      [['http', 'ftp://127.0.0.1/announce'], /http:\/\/ or https:\/\//],
    ] as const) {
      const r = await run([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^tracker-loadtest: error: /);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
    }
  });

  it('exits 1 when nothing answers (closed UDP and HTTP ports)', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    for (const args of [
      ['udp', `127.0.0.1:${port}`],
      ['http', `http://127.0.0.1:${port}/announce`],
    ]) {
      const r = await run([...args, '--duration', '1', '--json']);
      assert.equal(r.code, 1, `${args[0]}: exit ${r.code}, stderr: ${r.stderr}`);
      assert.match(r.stderr, /never answered/);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
      const s = JSON.parse(r.stdout) as { responses: number };
      assert.equal(s.responses, 0);
    }
  });
});
