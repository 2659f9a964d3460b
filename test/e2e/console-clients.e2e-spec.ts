/**
 * The console tools as operators run them: each program is a child process started through the
 * real launchers in bin/, against our tracker (in-process, createTestApp) and against Debian's
 * opentracker, with stdout, stderr and exit codes checked field by field.
 *
 * How the launchers find the compiled code: bin/*.js import ../dist/console/main.js. Building
 * dist/ here would mean a second full compile (slow) into a folder others build into at the same
 * time, and could run a stale dist/. Instead `before` copies bin/ into a temp dir whose `dist` is
 * a symlink to build/src/, which the test runner has just compiled (tsc rootDir "." puts src/ at
 * build/src/, the same layout as dist/). So the launchers are the shipped files, byte for byte,
 * and run the code under test. (Not a folder inside build/: the runner prunes build/.)
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BoundListener } from '../../src/listeners/bound-listeners.js';
import { findOpentracker, startOpentracker, type OpenTracker } from '../support/opentracker.js';
import { prepareLaunchers, runLauncher, type LauncherRun } from '../support/launchers.js';
import { selfSignedCertificate } from '../support/tls.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const SAMPLE = '9c38422213e30bff212b30c360d26f9a02136422';
const TX = -888840697;
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

type Program = 'tracker-client' | 'udp_tracker_client' | 'http_tracker_client' | 'tracker_checker';

type Run = LauncherRun;

let toolDir = '';

/** Runs one program through its launcher; resolves when it exits. */
function run(program: Program, args: string[], env: NodeJS.ProcessEnv = {}, dir = toolDir): Promise<Run> {
  return runLauncher(dir, program, args, env);
}

/** Info-hash `n` of this file (distinct from the sample and from other tests). */
function hash(n: number): string {
  return `c0ffee${n.toString(16).padStart(34, '0')}`;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`not JSON: ${JSON.stringify(text)}`);
  }
}

function assertKeys(value: unknown, keys: string[]): Record<string, unknown> {
  assert.equal(typeof value, 'object');
  assert.deepEqual(Object.keys(value as object), keys);
  return value as Record<string, unknown>;
}

function assertRan(r: Run): void {
  assert.equal(r.code, 0, `exit ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stderr, '');
}

function assertNoStackTrace(r: Run): void {
  assert.doesNotMatch(r.stderr, STACK_TRACE);
  assert.doesNotMatch(r.stdout, STACK_TRACE);
}

/** A usage error: clap-style message on stderr, nothing on stdout, exit 2. */
function assertUsageError(r: Run, message: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: /);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /For more information, try '--help'/);
  assertNoStackTrace(r);
}

/** The checker's invalid-configuration envelope on stderr, exit 2. */
function assertInvalidConfiguration(r: Run, source: string, message: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.ok(r.stderr.endsWith('\n'));
  const envelope = json(r.stderr) as { error: Record<string, unknown> };
  assertKeys(envelope, ['error']);
  assertKeys(envelope.error, ['kind', 'source', 'message']);
  assert.equal(envelope.error.kind, 'invalid_configuration');
  assert.equal(envelope.error.source, source);
  assert.match(String(envelope.error.message), message);
  assertNoStackTrace(r);
}

/** `{"AnnounceIpv4": {...}}` with Torrust's inner keys; returns the inner object. */
function assertUdpAnnounce(value: unknown, kind: 'AnnounceIpv4' | 'AnnounceIpv6', transactionId = TX) {
  const inner = assertKeys(assertKeys(value, [kind])[kind], [
    'transaction_id',
    'announce_interval',
    'leechers',
    'seeders',
    'peers',
  ]) as { transaction_id: number; announce_interval: number; leechers: number; seeders: number; peers: string[] };
  assert.equal(inner.transaction_id, transactionId);
  assert.ok(Number.isInteger(inner.announce_interval) && inner.announce_interval > 0);
  assert.ok(Number.isInteger(inner.leechers) && Number.isInteger(inner.seeders));
  assert.ok(Array.isArray(inner.peers));
  for (const peer of inner.peers) assert.match(peer, /^[0-9a-f.:]+:\d+$/);
  return inner;
}

function assertUdpScrape(value: unknown, count: number) {
  const inner = assertKeys(assertKeys(value, ['Scrape']).Scrape, ['transaction_id', 'torrent_stats']) as {
    transaction_id: number;
    torrent_stats: { seeders: number; completed: number; leechers: number }[];
  };
  assert.equal(inner.transaction_id, TX);
  assert.equal(inner.torrent_stats.length, count);
  for (const s of inner.torrent_stats) assertKeys(s, ['seeders', 'completed', 'leechers']);
  return inner.torrent_stats;
}

interface HttpAnnounceJson {
  complete: number;
  incomplete: number;
  interval: number;
  'min interval': number;
  peers: { ip: string; 'peer id': number[]; port: number }[];
}

function assertHttpAnnounceDictionary(value: unknown): HttpAnnounceJson {
  const a = assertKeys(value, [
    'complete',
    'incomplete',
    'interval',
    'min interval',
    'peers',
  ]) as unknown as HttpAnnounceJson;
  for (const k of ['complete', 'incomplete', 'interval', 'min interval'] as const) assert.ok(Number.isInteger(a[k]));
  assert.ok(Array.isArray(a.peers));
  for (const p of a.peers) {
    assertKeys(p, ['ip', 'peer id', 'port']);
    assert.equal(typeof p.ip, 'string');
    assert.ok(p['peer id'].every((b) => Number.isInteger(b) && b >= 0 && b <= 255));
  }
  return a;
}

function assertHttpScrapeFile(value: unknown, infoHash: string) {
  const files = value as Record<string, unknown>;
  return assertKeys(files[infoHash], ['complete', 'downloaded', 'incomplete']) as {
    complete: number;
    downloaded: number;
    incomplete: number;
  };
}

type Outcome = { Ok: null } | { Err: string };

/** One checker entry: `{Kind: {Ok|Err: inner}}`; returns the verdict and inner object. */
function checkerEntry(value: unknown, kind: 'Udp' | 'Http' | 'Health') {
  const verdicts = assertKeys(value, [kind])[kind] as Record<string, unknown>;
  const [verdict] = Object.keys(verdicts);
  assert.ok(verdict === 'Ok' || verdict === 'Err', `verdict ${verdict}`);
  assert.deepEqual(Object.keys(verdicts), [verdict]);
  return { verdict, inner: verdicts[verdict] as Record<string, unknown> };
}

function assertCheckResults(results: unknown, names: string[]): [string, Outcome][] {
  const list = results as [string, Outcome][];
  assert.deepEqual(
    list.map(([name]) => name),
    names,
  );
  for (const [, outcome] of list) {
    assert.equal(Object.keys(outcome).length, 1);
    if ('Ok' in outcome) assert.equal(outcome.Ok, null);
    else assert.equal(typeof outcome.Err, 'string');
  }
  return list;
}

function assertAllOk(results: [string, Outcome][]): void {
  for (const [name, outcome] of results) assert.deepEqual(outcome, { Ok: null }, `${name}: ${JSON.stringify(outcome)}`);
}

/** A port nobody listens on (bound, read back, released). */
async function unusedUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function closedTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A UDP socket that reads every datagram and never answers. */
async function blackHole(): Promise<{ port: number; socket: Socket }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { port: socket.address().port, socket };
}

before(() => {
  toolDir = prepareLaunchers('console-tools-');
});

after(() => {
  if (toolDir) rmSync(toolDir, { recursive: true, force: true });
});

describe('console clients', () => {
  describe('packaging', () => {
    it('declares the four programs (and the tracker_client alias) as package binaries', () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
      assert.deepEqual(pkg.bin, {
        'tracker-client': 'bin/tracker-client.js',
        tracker_client: 'bin/tracker-client.js',
        udp_tracker_client: 'bin/udp_tracker_client.js',
        http_tracker_client: 'bin/http_tracker_client.js',
        tracker_checker: 'bin/tracker_checker.js',
        'tracker-loadtest': 'bin/tracker-loadtest.js',
      });
      for (const file of new Set(Object.values(pkg.bin))) {
        assert.ok(readFileSync(join(ROOT, file), 'utf8').startsWith('#!/usr/bin/env node\n'), file);
      }
    });

    it('prints help and version and exits 0', async () => {
      const help = await run('tracker-client', ['--help']);
      assertRan(help);
      assert.match(help.stdout, /Usage: tracker-client <COMMAND>/);
      for (const [program, args, usage] of [
        ['tracker-client', ['udp', '--help'], /Usage: tracker-client udp announce <TRACKER> <INFO_HASH>/],
        ['tracker-client', ['http', 'announce', '-h'], /Usage: tracker-client http announce <TRACKER_URL>/],
        ['tracker-client', ['check', '--help'], /monitor udp --url/],
        ['udp_tracker_client', ['--help'], /Usage: udp_tracker_client announce/],
        ['http_tracker_client', ['--help'], /Usage: http_tracker_client announce/],
        ['tracker_checker', ['--help'], /Usage: tracker_checker \[-c <FILE>\]/],
      ] as const) {
        const r = await run(program, [...args]);
        assertRan(r);
        assert.match(r.stdout, usage);
      }
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      const version = await run('udp_tracker_client', ['--version']);
      assertRan(version);
      assert.equal(version.stdout, `udp_tracker_client ${pkg.version}\n`);
    });

    it('says to build when dist/ is missing, without a stack trace', async () => {
      const bare = mkdtempSync(join(tmpdir(), 'console-tools-bare-'));
      try {
        cpSync(join(ROOT, 'bin'), join(bare, 'bin'), { recursive: true });
        writeFileSync(join(bare, 'package.json'), '{"type":"module"}\n');
        const r = await run('tracker-client', ['--help'], {}, bare);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /dist\/console\/main\.js is missing; run `npm run build` first/);
        assertNoStackTrace(r);
      } finally {
        rmSync(bare, { recursive: true, force: true });
      }
    });
  });

  describe('against our tracker (public mode)', () => {
    let app: TestApp;
    const udp4 = () => app.udp.find((l) => !l.host.includes(':')) as BoundListener;
    const udp6 = () => app.udp.find((l) => l.host.includes(':')) as BoundListener;
    const http4 = () => app.http.find((l) => !l.host.includes(':')) as BoundListener;
    const http6 = () => app.http.find((l) => l.host.includes(':')) as BoundListener;

    before(async () => {
      app = await createTestApp({ udp: ['127.0.0.1:0', '[::1]:0'], http: ['127.0.0.1:0', '[::1]:0'] });
    });
    after(() => app?.close());

    describe('udp_tracker_client', () => {
      it('announces and prints pretty AnnounceIpv4 JSON without a trailing newline', async () => {
        const r = await run('udp_tracker_client', ['announce', `${udp4().host}:${udp4().port}`, hash(1)]);
        assertRan(r);
        assert.ok(r.stdout.startsWith('{\n  "AnnounceIpv4": {\n    "transaction_id": -888840697,'), r.stdout);
        assert.ok(r.stdout.endsWith('}'));
        const a = assertUdpAnnounce(json(r.stdout), 'AnnounceIpv4');
        assert.equal(a.seeders, 1); // left 0
        assert.equal(a.leechers, 0);
        assert.deepEqual(a.peers, []);
      });

      it('scrapes several info-hashes (one argument, space-separated) and prints torrent_stats in order', async () => {
        assertRan(await run('udp_tracker_client', ['announce', udp4().url, hash(2)]));
        const r = await run('udp_tracker_client', ['scrape', `${udp4().url}/scrape`, `${hash(3)} ${hash(2)}`, hash(4)]);
        assertRan(r);
        assert.ok(!r.stdout.endsWith('\n'));
        const stats = assertUdpScrape(json(r.stdout), 3);
        assert.deepEqual(stats, [
          { seeders: 0, completed: 0, leechers: 0 },
          { seeders: 1, completed: 0, leechers: 0 },
          { seeders: 0, completed: 0, leechers: 0 },
        ]);
      });

      it('sends event started, num_want 1 and its own UDP port, as Torrust does', async () => {
        const first = await run('udp_tracker_client', ['announce', udp4().url, hash(5)]);
        assertRan(first);
        // A second peer (tracker-client: another peer id) sees the first one at the client's port.
        const second = await run('tracker-client', ['udp', 'announce', udp4().url, hash(5)]);
        assertRan(second);
        const a = assertUdpAnnounce(json(second.stdout), 'AnnounceIpv4');
        assert.equal(a.seeders, 2);
        assert.equal(a.peers.length, 1); // num_want 1
        assert.match(a.peers[0], /^127\.0\.0\.1:\d+$/);
        assert.notEqual(a.peers[0], '127.0.0.1:0');
      });

      it('announces to an IPv6 tracker and prints AnnounceIpv6 with IPv6 peers', async () => {
        assertRan(await run('tracker-client', ['udp', 'announce', udp6().url, hash(6), '--port', '6881']));
        const r = await run('udp_tracker_client', ['announce', `udp://[::1]:${udp6().port}`, hash(6)]);
        assertRan(r);
        const a = assertUdpAnnounce(json(r.stdout), 'AnnounceIpv6');
        assert.deepEqual(a.peers, ['::1:6881']);
      });

      it('resolves a host name and uses its first address', async () => {
        const [first] = await lookup('localhost', { all: true });
        const listener = first.family === 6 ? udp6() : udp4();
        const r = await run('udp_tracker_client', ['announce', `localhost:${listener.port}`, hash(7)]);
        assertRan(r);
        assertUdpAnnounce(json(r.stdout), first.family === 6 ? 'AnnounceIpv6' : 'AnnounceIpv4');
      });
    });

    describe('tracker-client udp', () => {
      it('prints one line of JSON by default and pretty JSON with --format text', async () => {
        const compact = await run('tracker-client', ['udp', 'scrape', udp4().url, hash(8)]);
        assertRan(compact);
        assert.equal(
          compact.stdout,
          `{"Scrape":{"transaction_id":${TX},"torrent_stats":[{"seeders":0,"completed":0,"leechers":0}]}}`,
        );
        const pretty = await run('tracker-client', ['udp', 'scrape', udp4().url, hash(8), '--format', 'text']);
        assertRan(pretty);
        assert.equal(pretty.stdout, JSON.stringify(JSON.parse(compact.stdout), null, 2));
      });

      it('sends the announce options it is given (event, left, port, peers wanted)', async () => {
        const leecher = await run('tracker-client', [
          'udp',
          'announce',
          udp4().url,
          hash(9),
          '--event',
          'started',
          '--left',
          '1000',
          '--uploaded',
          '5',
          '--downloaded',
          '7',
          '--port',
          '6882',
          '--key',
          '-5',
          '--peer-id',
          '-XX0000-000000000001',
        ]);
        assertRan(leecher);
        const seeder = await run('tracker-client', ['udp', 'announce', udp4().url, hash(9), '--peers-wanted', '10']);
        assertRan(seeder);
        const a = assertUdpAnnounce(json(seeder.stdout), 'AnnounceIpv4');
        assert.equal(a.leechers, 1);
        assert.equal(a.seeders, 1);
        assert.deepEqual(a.peers, ['127.0.0.1:6882']);
        const stopped = await run('tracker-client', [
          'udp',
          'announce',
          udp4().url,
          hash(9),
          '--event',
          'stopped',
          '--peer-id',
          '-XX0000-000000000001',
          '--port',
          '6882',
        ]);
        assertRan(stopped);
        const scrape = await run('tracker-client', ['udp', 'scrape', udp4().url, hash(9)]);
        assert.deepEqual(assertUdpScrape(json(scrape.stdout), 1), [{ seeders: 1, completed: 0, leechers: 0 }]);
      });
    });

    describe('http_tracker_client', () => {
      it('announces with Torrust defaults and prints the dictionary answer as one line of JSON', async () => {
        const r = await run('http_tracker_client', ['announce', http4().url, hash(20)]);
        assertRan(r);
        assert.ok(r.stdout.endsWith('}\n') && !r.stdout.slice(0, -1).includes('\n'));
        const a = assertHttpAnnounceDictionary(json(r.stdout));
        assert.equal(a.complete, 1); // left 0
        assert.equal(a.incomplete, 0);
        assert.deepEqual(a.peers, []);
      });

      it('lists an earlier peer with its peer id as a byte array', async () => {
        assertRan(await run('http_tracker_client', ['announce', http4().url, hash(21)]));
        const r = await run('tracker-client', [
          'http',
          'announce',
          `${http4().url}/announce`,
          hash(21),
          '--peer-id',
          '-XX0000-000000000002',
          '--left',
          '100',
          '--port', // Torrust leaves out peers at the requester's own address (same IP, port 17548)
          '6999',
        ]);
        assertRan(r);
        const a = assertHttpAnnounceDictionary(json(r.stdout));
        assert.equal(a.complete, 1);
        assert.equal(a.incomplete, 1);
        assert.deepEqual(a.peers, [
          { ip: '127.0.0.1', 'peer id': [...Buffer.from('-qB00000000000000001')], port: 17548 },
        ]);
      });

      it('prints a compact answer with --compact 1 and pretty JSON with --format text', async () => {
        const r = await run('tracker-client', [
          'http',
          'announce',
          http4().url,
          hash(22),
          '--compact',
          '1',
          '--format',
          'text',
        ]);
        assertRan(r);
        assert.ok(r.stdout.startsWith('{\n  "complete": 1,\n'), r.stdout);
        const a = assertKeys(json(r.stdout), ['complete', 'incomplete', 'interval', 'min interval', 'peers']);
        assert.deepEqual(a.peers, []);
      });

      it('scrapes and prints files keyed by lowercase hex', async () => {
        assertRan(await run('http_tracker_client', ['announce', http4().url, hash(23)])); // event=completed
        const r = await run('http_tracker_client', ['scrape', http4().url, hash(23), hash(24).toUpperCase()]);
        assertRan(r);
        const files = json(r.stdout) as Record<string, unknown>;
        assert.deepEqual(Object.keys(files).sort(), [hash(23), hash(24)].sort());
        const file = assertHttpScrapeFile(files, hash(23));
        assert.equal(file.complete, 1);
        assert.equal(file.incomplete, 0);
        assert.ok(Number.isInteger(file.downloaded));
        assert.deepEqual(assertHttpScrapeFile(files, hash(24)), { complete: 0, downloaded: 0, incomplete: 0 });
      });

      it('talks to an IPv6 tracker', async () => {
        const r = await run('http_tracker_client', ['announce', `http://[::1]:${http6().port}`, hash(25)]);
        assertRan(r);
        assert.equal(assertHttpAnnounceDictionary(json(r.stdout)).complete, 1);
        const s = await run('http_tracker_client', ['scrape', http6().url, hash(25)]);
        assertRan(s);
        assert.equal(assertHttpScrapeFile(json(s.stdout), hash(25)).complete, 1);
      });
    });

    describe('tracker_checker', () => {
      const config = () => ({
        udp_trackers: [`${udp4().host}:${udp4().port}`, udp6().url],
        http_trackers: [http4().url, `${http6().url}/announce`],
        health_checks: [`${http4().url}/health_check`],
      });

      function assertAllPassed(r: Run): unknown[] {
        assertRan(r);
        const entries = json(r.stdout) as unknown[];
        assert.equal(entries.length, 5);
        const [u4, u6, h4, h6, health] = entries;
        for (const [entry, addr] of [
          [u4, `127.0.0.1:${udp4().port}`],
          [u6, `[::1]:${udp6().port}`],
        ] as const) {
          const { verdict, inner } = checkerEntry(entry, 'Udp');
          assert.equal(verdict, 'Ok');
          assertKeys(inner, ['remote_addr', 'results']);
          assert.equal(inner.remote_addr, addr);
          assertAllOk(assertCheckResults(inner.results, ['Setup', 'Connect', 'Announce', 'Scrape']));
        }
        for (const [entry, url] of [
          [h4, `${http4().url}/`],
          [h6, `${http6().url}/announce`],
        ] as const) {
          const { verdict, inner } = checkerEntry(entry, 'Http');
          assert.equal(verdict, 'Ok', JSON.stringify(inner));
          assertKeys(inner, ['url', 'results']);
          assert.equal(inner.url, url);
          assertAllOk(assertCheckResults(inner.results, ['Announce', 'Scrape']));
        }
        const { verdict, inner } = checkerEntry(health, 'Health');
        assert.equal(verdict, 'Ok');
        assert.deepEqual(inner, { url: `${http4().url}/health_check`, result: { Ok: '200 OK' } });
        return entries;
      }

      it('checks every configured entry from a -c file and prints pretty JSON', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'checker-config-'));
        try {
          const file = join(dir, 'tracker_checker.json');
          writeFileSync(file, JSON.stringify(config()));
          const r = await run('tracker_checker', ['-c', file]);
          assertAllPassed(r);
          assert.ok(r.stdout.startsWith('[\n  {\n    "Udp": {\n      "Ok": {'), r.stdout);
          assert.ok(r.stdout.endsWith(']\n'));
          assertAllPassed(await run('tracker_checker', ['--config-path', file]));
          assertAllPassed(await run('tracker-client', ['check', '--config', file, '--format', 'pretty']));
          assertAllPassed(await run('tracker_checker', [], { TORRUST_CHECKER_CONFIG_PATH: file }));
          // the path wins over inline JSON, as in Torrust
          assertAllPassed(await run('tracker_checker', ['-c', file], { TORRUST_CHECKER_CONFIG: '{' }));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('reads the configuration from TORRUST_CHECKER_CONFIG or the argument', async () => {
        assertAllPassed(await run('tracker_checker', [], { TORRUST_CHECKER_CONFIG: JSON.stringify(config()) }));
        const r = await run('tracker-client', ['check', JSON.stringify(config())]);
        assertAllPassed(r);
        assert.equal(r.stdout.split('\n').length, 2, 'tracker-client check: one line of JSON by default');
      });

      it('prints a table with --format text', async () => {
        const r = await run('tracker-client', ['check', '--format', 'text', JSON.stringify(config())]);
        assertRan(r);
        const lines = r.stdout.trimEnd().split('\n');
        assert.match(lines[0], /^RESULT\s+TYPE\s+TARGET\s+CHECK\s+DETAIL$/);
        assert.match(lines[1], new RegExp(`^ok\\s+UDP\\s+127\\.0\\.0\\.1:${udp4().port}\\s+Setup$`));
        assert.equal(lines.filter((l) => l.startsWith('ok ')).length, 13);
        assert.match(lines[lines.length - 3], /^ok\s+Health\s+\S+\/health_check\s+GET\s+200 OK$/);
        assert.equal(lines[lines.length - 1], '5 of 5 checked entries passed, 0 failed.');
      });

      it('reports failed checks as Err entries and exits 1', async () => {
        const silentUdp = await unusedUdpPort();
        const closed = await closedTcpPort();
        const cfg = {
          udp_trackers: [`127.0.0.1:${silentUdp}`],
          http_trackers: [`http://127.0.0.1:${closed}`],
          health_checks: [`${http4().url}/no_such_page`, `http://127.0.0.1:${closed}/health_check`],
        };
        const r = await run('tracker_checker', ['--timeout', '1', JSON.stringify(cfg)]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stderr, '');
        const [u, h, notFound, refused] = json(r.stdout) as unknown[];
        const udp = checkerEntry(u, 'Udp');
        assert.equal(udp.verdict, 'Err');
        assert.equal(udp.inner.remote_addr, `127.0.0.1:${silentUdp}`);
        const udpResults = assertCheckResults(udp.inner.results, ['Setup', 'Connect']); // the rest is skipped
        assert.deepEqual(udpResults[0][1], { Ok: null });
        assert.match((udpResults[1][1] as { Err: string }).Err, /^Failed to receive a connect response, with error: /);
        const http = checkerEntry(h, 'Http');
        assert.equal(http.verdict, 'Err');
        for (const [, outcome] of assertCheckResults(http.inner.results, ['Announce', 'Scrape'])) {
          assert.match((outcome as { Err: string }).Err, /^Failed to get a response: connection refused/);
        }
        const nf = checkerEntry(notFound, 'Health');
        assert.equal(nf.verdict, 'Err');
        assert.match((nf.inner.result as { Err: string }).Err, /non-success code: "404 Not Found"/);
        assert.equal(checkerEntry(refused, 'Health').verdict, 'Err');
      });
    });

    describe('tracker-client check monitor udp', () => {
      it('probes, writes one JSON line per probe on stderr and the summary on stdout', async () => {
        const r = await run('tracker-client', [
          'check',
          'monitor',
          'udp',
          '--url',
          udp4().url,
          '--interval',
          '1',
          '--duration',
          '1',
        ]);
        assert.equal(r.code, 0, r.stderr);
        const probes = r.stderr.trimEnd().split('\n').map(json);
        assert.ok(probes.length >= 1);
        assert.deepEqual(assertKeys(probes[0], ['event', 'sequence', 'url', 'status', 'elapsed_ms']), {
          ...(probes[0] as object),
          event: 'probe',
          sequence: 1,
          url: udp4().url,
          status: 'ok',
        });
        const summary = json(r.stdout) as { udp_trackers: { url: string; status: Record<string, unknown> }[] };
        assertKeys(summary, ['udp_trackers']);
        const [tracker] = summary.udp_trackers;
        assert.equal(tracker.url, udp4().url);
        assertKeys(tracker.status, ['code', 'message', 'stats']);
        assert.equal(tracker.status.code, 'ok');
        assert.equal(tracker.status.message, 'monitor completed');
        const stats = assertKeys(tracker.status.stats, [
          'total',
          'timeouts',
          'timeout_percent',
          'min_ms',
          'max_ms',
          'average_ms',
          'last_ms',
        ]);
        assert.equal(stats.total, probes.length);
        assert.equal(stats.timeouts, 0);
      });
    });
  });

  describe('against our tracker in listed mode (the sample info-hash is not whitelisted)', () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp({ listed: true });
    });
    after(() => app?.close());

    it('prints the UDP error packet as {"Error": …} and exits 0', async () => {
      const r = await run('udp_tracker_client', ['announce', app.udp[0].url, SAMPLE]);
      assertRan(r);
      const inner = assertKeys(assertKeys(json(r.stdout), ['Error']).Error, ['transaction_id', 'message']);
      assert.equal(inner.transaction_id, TX);
      assert.match(String(inner.message), /not whitelisted/i);
    });

    it('prints the HTTP failure reason as JSON and exits 1', async () => {
      const r = await run('http_tracker_client', ['announce', app.http[0].url, SAMPLE]);
      assert.equal(r.code, 1);
      const body = json(r.stdout) as Record<string, unknown>;
      assert.match(String(body['failure reason']), /whitelist/);
      assert.match(r.stderr, /^Error: unrecognized announce response from tracker \(failure reason: /);
    });

    it('passes UDP Announce on an error packet but fails HTTP Announce on a failure reason (Torrust rules)', async () => {
      const cfg = { udp_trackers: [app.udp[0].url], http_trackers: [app.http[0].url], health_checks: [] };
      const r = await run('tracker_checker', [JSON.stringify(cfg)]);
      assert.equal(r.code, 1);
      const [u, h] = json(r.stdout) as unknown[];
      const udp = checkerEntry(u, 'Udp');
      assert.equal(udp.verdict, 'Ok');
      assertAllOk(assertCheckResults(udp.inner.results, ['Setup', 'Connect', 'Announce', 'Scrape']));
      const http = checkerEntry(h, 'Http');
      assert.equal(http.verdict, 'Err');
      const [announce, scrape] = assertCheckResults(http.inner.results, ['Announce', 'Scrape']);
      assert.match((announce[1] as { Err: string }).Err, /failure/);
      assert.deepEqual(scrape[1], { Ok: null }); // zeroed stats for an unlisted torrent
    });
  });

  describe('against an https tracker with a self-signed certificate', () => {
    let dir: string;
    let app: TestApp;
    before(async () => {
      dir = selfSignedCertificate('console-tls-').dir;
      app = await createTestApp({
        httpBlocks: [
          `[[http_trackers]]\nbind_address = "127.0.0.1:0"\n[http_trackers.tsl_config]\nssl_cert_path = ${JSON.stringify(join(dir, 'cert.pem'))}\nssl_key_path = ${JSON.stringify(join(dir, 'key.pem'))}`,
        ],
      });
    });
    after(async () => {
      try {
        await app?.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('verifies the certificate by default and says how to skip it', async () => {
      assert.match(app.http[0].url, /^https:/);
      const r = await run('http_tracker_client', ['announce', app.http[0].url, hash(40)]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^Error: Failed to get a response: TLS certificate of .* not accepted: .*--insecure/);
    });

    it('announces, scrapes and checks with --insecure', async () => {
      const a = await run('http_tracker_client', ['announce', app.http[0].url, hash(40), '--insecure']);
      assertRan(a);
      assert.equal(assertHttpAnnounceDictionary(json(a.stdout)).complete, 1);
      const s = await run('tracker-client', ['http', 'scrape', '-k', app.http[0].url, hash(40)]);
      assertRan(s);
      const cfg = {
        udp_trackers: [],
        http_trackers: [app.http[0].url],
        health_checks: [`${app.http[0].url}/health_check`],
      };
      const c = await run('tracker_checker', ['--insecure', JSON.stringify(cfg)]);
      assertRan(c);
      const [h, health] = json(c.stdout) as unknown[];
      assert.equal(checkerEntry(h, 'Http').verdict, 'Ok');
      assert.equal(checkerEntry(health, 'Health').verdict, 'Ok');
    });

    it('trusts a CA given in NODE_EXTRA_CA_CERTS', async () => {
      const url = `https://localhost:${app.http[0].port}`;
      const r = await run('http_tracker_client', ['scrape', url, hash(40)], {
        NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
      });
      assertRan(r);
      assert.equal(assertHttpScrapeFile(json(r.stdout), hash(40)).complete, 1);
    });
  });

  describe('error paths', () => {
    it('reports a UDP port nobody listens on (refused) with exit 1', async () => {
      const port = await unusedUdpPort();
      const r = await run('udp_tracker_client', ['announce', `127.0.0.1:${port}`, SAMPLE]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /^Error: Failed to receive a connect response, with error: Failed to receive data: connection refused/,
      );
      assertNoStackTrace(r);
    });

    it('gives up on a silent UDP tracker after the 5 s default timeout', async () => {
      const hole = await blackHole();
      try {
        const started = Date.now();
        const r = await run('udp_tracker_client', ['scrape', `udp://127.0.0.1:${hole.port}`, SAMPLE]);
        const elapsed = Date.now() - started;
        assert.equal(r.code, 1);
        assert.equal(r.stdout, '');
        assert.equal(
          r.stderr,
          'Error: Failed to receive a connect response, with error: Timeout while waiting for the socket to become readable.\n',
        );
        assert.ok(elapsed >= 4900 && elapsed < 15_000, `took ${elapsed} ms`);
      } finally {
        hole.socket.close();
      }
    });

    it('reports a closed TCP port with exit 1, for both HTTP commands', async () => {
      const port = await closedTcpPort();
      for (const args of [
        ['announce', `http://127.0.0.1:${port}`, SAMPLE],
        ['scrape', `http://127.0.0.1:${port}`, SAMPLE],
      ]) {
        const r = await run('http_tracker_client', args);
        assert.equal(r.code, 1);
        assert.equal(r.stdout, '');
        assert.match(
          r.stderr,
          /^Error: Failed to get a response: connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\n$/,
        );
      }
    });

    it('reports a silent HTTP tracker as a timeout', async () => {
      const server = createServer(() => undefined); // accepts, never answers
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      try {
        const { port } = server.address() as { port: number };
        const r = await run('tracker-client', [
          'http',
          'scrape',
          `http://127.0.0.1:${port}`,
          SAMPLE,
          '--timeout',
          '0.5',
        ]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^Error: Http request did not receive a response within the timeout: /);
      } finally {
        server.close();
      }
    });

    it('rejects malformed tracker addresses and URLs with exit 2', async () => {
      assertUsageError(await run('udp_tracker_client', ['announce', '127.0.0.1', SAMPLE]), /invalid address format/);
      assertUsageError(
        await run('udp_tracker_client', ['announce', 'udp://127.0.0.1', SAMPLE]),
        /port not found in URL/,
      );
      assertUsageError(await run('udp_tracker_client', ['scrape', '127.0.0.1:70000', SAMPLE]), /invalid port `70000`/);
      assertUsageError(
        await run('http_tracker_client', ['announce', 'not a url', SAMPLE]),
        /failed to parse HTTP tracker URL/,
      );
      assertUsageError(
        await run('http_tracker_client', ['scrape', 'ftp://127.0.0.1:7070', SAMPLE]),
        /unsupported scheme/,
      );
      assertUsageError(
        await run('tracker-client', ['http', 'announce', 'http://127.0.0.1:7070/announce?x=1', SAMPLE]),
        /without a query or fragment/,
      );
    });

    it('rejects bad info-hashes and bad options with exit 2', async () => {
      assertUsageError(
        await run('udp_tracker_client', ['announce', '127.0.0.1:6969', 'abc']),
        /failed to parse info-hash `abc`/,
      );
      assertUsageError(
        await run('http_tracker_client', ['scrape', 'http://127.0.0.1:7070', SAMPLE, `${SAMPLE}0`]),
        /failed to parse info-hash/,
      );
      const many = Array.from({ length: 75 }, (_, i) => hash(100 + i));
      assertUsageError(
        await run('udp_tracker_client', ['scrape', '127.0.0.1:6969', ...many]),
        /at most 74 info-hashes/,
      );
      assertUsageError(
        await run('tracker-client', ['udp', 'announce', '127.0.0.1:6969', SAMPLE, '--port', '0']),
        /port must be greater than zero/,
      );
      assertUsageError(
        await run('tracker-client', ['udp', 'announce', '127.0.0.1:6969', SAMPLE, '--event', 'done']),
        /possible values/,
      );
      assertUsageError(
        await run('tracker-client', ['udp', 'announce', '127.0.0.1:6969', SAMPLE, '--peer-id', 'short']),
        /exactly 20 bytes/,
      );
      assertUsageError(
        await run('tracker-client', ['udp', 'announce', '127.0.0.1:6969', SAMPLE, '--bogus']),
        /Unknown option '--bogus'/,
      );
      assertUsageError(
        await run('udp_tracker_client', ['announce', '127.0.0.1:6969']),
        /required arguments were not provided: <INFO_HASH>/,
      );
      assertUsageError(await run('udp_tracker_client', []), /a subcommand is required/);
      assertUsageError(await run('tracker-client', ['ftp']), /unrecognized subcommand 'ftp'/);
    });

    it('rejects a bad checker configuration with the JSON envelope and exit 2', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'checker-bad-'));
      try {
        const file = join(dir, 'bad.json');
        writeFileSync(file, '{"udp_trackers": [], "http_trackers": [],}');
        assertInvalidConfiguration(await run('tracker_checker', ['-c', file]), file, /^JSON parse error: /);
        const missing = join(dir, 'missing.json');
        assertInvalidConfiguration(
          await run('tracker_checker', ['-c', missing]),
          missing,
          /can't read config file .*ENOENT/,
        );
        assertInvalidConfiguration(
          await run('tracker_checker', []),
          'TORRUST_CHECKER_CONFIG',
          /no configuration provided/,
        );
        assertInvalidConfiguration(
          await run('tracker_checker', [], { TORRUST_CHECKER_CONFIG: '{"udp_trackers": [], "http_trackers": []}' }),
          'TORRUST_CHECKER_CONFIG',
          /missing field `health_checks`/,
        );
        assertInvalidConfiguration(
          await run('tracker-client', [
            'check',
            '{"udp_trackers": ["invalid URL"], "http_trackers": [], "health_checks": []}',
          ]),
          'TORRUST_CHECKER_CONFIG',
          /^Invalid URL: udp_trackers\[0\] "invalid URL"/,
        );
        assertInvalidConfiguration(
          await run('tracker_checker', ['{"udp_trackers": [], "http_trackers": ["udp://x:1"], "health_checks": []}']),
          'TORRUST_CHECKER_CONFIG',
          /http_trackers\[0\] "udp:\/\/x:1" must be an http:\/\/ or https:\/\/ URL/,
        );
        assertUsageError(
          await run('tracker_checker', ['--format', 'xml', '{}']),
          /possible values: json, pretty, text/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  const OPENTRACKER_SKIP =
    findOpentracker() === null ? 'opentracker is not installed (apt-get install opentracker)' : false;

  describe('against opentracker (a tracker nobody here wrote)', { skip: OPENTRACKER_SKIP }, () => {
    let ot: OpenTracker;
    before(async () => {
      const started = await startOpentracker({ whitelist: [SAMPLE, hash(60), hash(61)] });
      assert.ok(started, 'opentracker should start');
      ot = started;
    });
    after(() => ot?.close());

    it('UDP: announces and scrapes', async () => {
      const a = await run('udp_tracker_client', ['announce', `${ot.host}:${ot.port}`, hash(60)]);
      assertRan(a);
      const announce = assertUdpAnnounce(json(a.stdout), 'AnnounceIpv4');
      assert.equal(announce.seeders, 1);
      const b = await run('tracker-client', ['udp', 'announce', ot.udpUrl, hash(60), '--left', '1', '--port', '6883']);
      assertRan(b);
      assert.equal(assertUdpAnnounce(json(b.stdout), 'AnnounceIpv4').peers.length, 1);
      const s = await run('udp_tracker_client', ['scrape', ot.udpUrl, hash(60), hash(61)]);
      assertRan(s);
      const [first, second] = assertUdpScrape(json(s.stdout), 2);
      assert.deepEqual(first, { seeders: 1, completed: 0, leechers: 1 });
      assert.deepEqual(second, { seeders: 0, completed: 0, leechers: 0 });
    });

    it('HTTP: announces in compact form and scrapes', async () => {
      const a = await run('tracker-client', ['http', 'announce', ot.httpUrl, hash(61), '--compact', '1']);
      assertRan(a);
      const compact = assertKeys(json(a.stdout), ['complete', 'incomplete', 'interval', 'min interval', 'peers']);
      assert.equal(compact.incomplete, 0);
      assert.equal(compact.complete, 1);
      assert.ok(Array.isArray(compact.peers) && compact.peers.length % 6 === 0);
      const s = await run('http_tracker_client', ['scrape', `${ot.httpUrl}/announce`, hash(61)]);
      assertRan(s);
      assert.equal(assertHttpScrapeFile(json(s.stdout), hash(61)).complete, 1);
    });

    it("HTTP: reports that opentracker refuses compact=0 (Torrust's default announce)", async () => {
      const r = await run('http_tracker_client', ['announce', ot.httpUrl, hash(61)]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^Error: Returned a non-success code: "400 Bad Request"/);
    });

    it('checker: UDP passes; HTTP Announce fails (compact=0 refused) while Scrape passes', async () => {
      const cfg = { udp_trackers: [ot.udpUrl], http_trackers: [ot.httpUrl], health_checks: [] };
      const r = await run('tracker_checker', [], { TORRUST_CHECKER_CONFIG: JSON.stringify(cfg) });
      assert.equal(r.code, 1);
      const [u, h] = json(r.stdout) as unknown[];
      const udp = checkerEntry(u, 'Udp');
      assert.equal(udp.verdict, 'Ok');
      assertAllOk(assertCheckResults(udp.inner.results, ['Setup', 'Connect', 'Announce', 'Scrape']));
      const http = checkerEntry(h, 'Http');
      assert.equal(http.verdict, 'Err');
      const [announce, scrape] = assertCheckResults(http.inner.results, ['Announce', 'Scrape']);
      assert.match((announce[1] as { Err: string }).Err, /400 Bad Request/);
      assert.deepEqual(scrape[1], { Ok: null });
    });
  });
});
