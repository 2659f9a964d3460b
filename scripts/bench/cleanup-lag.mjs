#!/usr/bin/env node
// Measures how long the inactive-peer cleanup blocks the event loop when a million peers
// expire at once (the performance issue's "cost must not grow with size" check).
//
//   npm run build && node scripts/bench/cleanup-lag.mjs [--peers 1000000] [--torrents 100000]
//
// Starts the built tracker (dist/main.js, as the launchers run it) pinned to CPU 0 with
// max_peer_timeout = 30 s and inactive_peer_cleanup_interval = 60 s, fills it over UDP with the
// benchmark harness's generator (../shared/bench/bin/udpload -F), waits until every peer is
// older than the timeout, and then, while the cleanup pass runs, sends a UDP connect every
// millisecond from CPU 1 and records each round trip. Reported: the longest round trip and the
// longest gap between two answers during the pass (what a client would see), and the
// tracker's own event-loop delay maximum over the pass (prom-client's
// nodejs_eventloop_lag_max_seconds, read from /metrics just before and right after). One JSON
// line at the end. Loopback only; stops by itself.
import { spawn, execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: '1000000' },
    torrents: { type: 'string', default: '100000' },
    harness: { type: 'string', default: process.env.BENCH_HARNESS ?? join(ROOT, '../shared/bench') },
  },
});
const PEERS = Number(values.peers);
const TORRENTS = Number(values.torrents);
if (!Number.isInteger(PEERS) || PEERS < 1 || PEERS > 5_000_000 || !Number.isInteger(TORRENTS) || TORRENTS < 1) {
  console.error('--peers must be 1..5000000 and --torrents a positive integer');
  process.exit(2);
}
const UDPLOAD = join(values.harness, 'bin/udpload');
if (!existsSync(UDPLOAD)) {
  console.error(`no ${UDPLOAD}: build the harness first (make -C ${values.harness}), or run npm run bench once`);
  process.exit(2);
}

const UDP_PORT = 26979;
const API_PORT = 26212;
const TOKEN = 'CleanupLagToken';
const TIMEOUT_S = 30;
const INTERVAL_S = 60;
const run = mkdtempSync(join(tmpdir(), 'cleanup-lag-'));
const config = `
[metadata]
schema_version = "2.0.0"
[logging]
threshold = "error"
[core]
listed = false
private = false
inactive_peer_cleanup_interval = ${INTERVAL_S}
[core.tracker_policy]
max_peer_timeout = ${TIMEOUT_S}
remove_peerless_torrents = true
[core.database]
driver = "sqlite3"
path = "${run}/tracker.db"
[[udp_trackers]]
bind_address = "127.0.0.1:${UDP_PORT}"
[http_api]
bind_address = "127.0.0.1:${API_PORT}"
[http_api.access_tokens]
admin = "${TOKEN}"
[health_check_api]
bind_address = "127.0.0.1:0"
`;

const started = Date.now();
const tracker = spawn('taskset', ['-c', '0', process.execPath, '--max-semi-space-size=4', 'dist/main.js'], {
  cwd: ROOT,
  env: { ...process.env, TORRUST_TRACKER_CONFIG_TOML: config },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const cleanup = () => {
  tracker.kill('SIGTERM');
  rmSync(run, { recursive: true, force: true });
};
process.on('exit', cleanup);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function api(path) {
  const res = await fetch(`http://127.0.0.1:${API_PORT}${path}${path.includes('?') ? '&' : '?'}token=${TOKEN}`);
  return res.text();
}
async function lagMaxSeconds() {
  const text = await api('/metrics');
  const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_max_seconds '));
  return line ? Number(line.split(' ')[1]) : NaN;
}
async function peers() {
  const stats = JSON.parse(await api('/api/v1/stats'));
  return stats.seeders + stats.leechers;
}

// 1. Ready, then fill.
execFileSync(UDPLOAD, ['-X', '-q', '-p', String(UDP_PORT), '-d', '20'], { stdio: 'ignore' });
const fillOut = execFileSync(
  'taskset',
  ['-c', '1', UDPLOAD, '-q', '-p', String(UDP_PORT), '-F', String(PEERS), '-n', String(TORRENTS), '-d', '55'],
  { encoding: 'utf8' },
);
const fill = JSON.parse(fillOut.trim().split('\n').pop());
const filledAt = Date.now();
const stored = await peers();

// 2. Wait until the peers are expired and the next cleanup pass is close.
const passAt = started + Math.ceil((filledAt + TIMEOUT_S * 1000 - started) / (INTERVAL_S * 1000)) * INTERVAL_S * 1000;
await sleep(Math.max(0, passAt - Date.now() - 3000));
await lagMaxSeconds(); // resets prom-client's event-loop-delay histogram

// 3. Probe every millisecond until the peers are gone (plus a second), recording round trips.
const probe = createSocket('udp4');
const connect = Buffer.alloc(16);
connect.writeBigUInt64BE(0x41727101980n, 0);
let txid = 0;
const sentAt = new Map();
let maxRtt = 0;
let maxGap = 0;
let lastAnswer = performance.now();
let answers = 0;
probe.on('message', (msg) => {
  const now = performance.now();
  const t = sentAt.get(msg.readUInt32BE(4));
  if (t === undefined) return;
  sentAt.delete(msg.readUInt32BE(4));
  maxRtt = Math.max(maxRtt, now - t);
  maxGap = Math.max(maxGap, now - lastAnswer);
  lastAnswer = now;
  answers++;
});
await new Promise((r) => probe.bind(0, '127.0.0.1', r));
execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
const timer = setInterval(() => {
  txid = (txid + 1) >>> 0;
  connect.writeUInt32BE(txid, 12);
  sentAt.set(txid, performance.now());
  probe.send(connect, UDP_PORT, '127.0.0.1');
}, 1);
let gone = null;
const deadline = Date.now() + 3000 + 30_000;
while (Date.now() < deadline) {
  await sleep(200);
  if ((await peers()) === 0) {
    gone = Date.now();
    break;
  }
}
await sleep(1000);
clearInterval(timer);
const lagMax = await lagMaxSeconds();
probe.close();
const lost = sentAt.size;

const result = {
  peers_filled: fill.acked,
  peers_stored: stored,
  cleanup_done: gone !== null,
  probes_answered: answers,
  probes_unanswered: lost,
  max_probe_rtt_ms: Number(maxRtt.toFixed(2)),
  max_gap_between_answers_ms: Number(maxGap.toFixed(2)),
  eventloop_lag_max_ms: Number((lagMax * 1000).toFixed(2)),
};
console.log(JSON.stringify(result));
process.exit(gone === null ? 1 : 0);
