/**
 * Announce forwarding ("retracker", issue 11) end to end on loopback: our tracker forwards
 * announces to upstreams — Debian's opentracker over HTTP and UDP, and a second instance of
 * this tracker — and merges the peers they return into later answers; upstreams that hang,
 * fail, answer garbage or 429 never delay a local answer and are suspended and probed again as
 * documented. Plus X-Real-IP as the reverse-proxy header.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket as TcpSocket,
} from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ForwarderStatus, ForwardingStatus } from '../../src/forwarding/forwarding.service.js';
import { assertAnnounceCompact, announceUrl, get } from '../support/http-client.js';
import { findOpentracker, startOpentracker, type OpenTracker } from '../support/opentracker.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { UdpTestClient } from '../support/udp-client.js';

const TOKEN = 'MyAccessToken';

/** Info hash `n` of this file. */
function hashOf(n: number): Buffer {
  return Buffer.from(`f0f0a${n.toString(16).padStart(35, '0')}`, 'hex');
}

function peerIdOf(n: number): Buffer {
  return Buffer.from(`-FW0001-${String(n).padStart(12, '0')}`);
}

function forwardingToml(settings: string[], forwarders: Array<Record<string, string>>): string {
  const lines = ['[forwarding]', ...settings];
  for (const f of forwarders) {
    lines.push('[[forwarders]]');
    for (const [k, v] of Object.entries(f)) lines.push(`${k} = ${JSON.stringify(v)}`);
  }
  return lines.join('\n');
}

async function status(app: TestApp): Promise<ForwardingStatus> {
  assert.ok(app.api, 'the API listener is up');
  const res = await fetch(`${app.api.url}/api/v1/forwarders?token=${TOKEN}`);
  assert.equal(res.status, 200);
  return (await res.json()) as ForwardingStatus;
}

function forwarderOf(s: ForwardingStatus, name: string): ForwarderStatus {
  const f = s.forwarders.find((x) => x.name === name);
  assert.ok(f, `forwarder ${name} in ${JSON.stringify(s.forwarders.map((x) => x.name))}`);
  return f;
}

/** Polls `probe` until it returns true (no sleep-and-hope: a deadline and a short interval). */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `ip:port` texts of a UDP announce answer (throws on anything else). */
async function udpAnnounce(
  target: { host: string; port: number },
  infoHash: Buffer,
  peerId: Buffer,
  port: number,
  left = 100,
): Promise<{ peers: string[]; ms: number }> {
  const client = await UdpTestClient.open(target);
  try {
    const connectionId = await client.connect();
    const started = performance.now();
    const res = await client.announce({ infoHash, peerId, port, left, connectionId });
    const ms = performance.now() - started;
    if (res.action !== 1) assert.fail(`expected an announce answer, got ${JSON.stringify(res)}`);
    return { peers: res.peers.map((p) => `${p.ip}:${p.port}`), ms };
  } finally {
    await client.close();
  }
}

/** `ip:port` texts of a compact HTTP announce answer, and how long it took. */
async function httpAnnounce(
  base: string,
  infoHash: Buffer,
  peerId: Buffer,
  port: number,
  left = 100,
  headers: Record<string, string> = {},
): Promise<{ peers: string[]; ms: number }> {
  const started = performance.now();
  const res = await get(announceUrl(base, { infoHash, peerId, port, left, compact: 1 }), { headers });
  const ms = performance.now() - started;
  const answer = assertAnnounceCompact(res);
  return { peers: [...answer.peers, ...answer.peers6].map((p) => `${p.ip}:${p.port}`), ms };
}

const OPENTRACKER_SKIP =
  findOpentracker() === null ? 'opentracker is not installed (apt-get install opentracker)' : false;

describe('announce forwarding (retracker)', () => {
  describe('to opentracker', { skip: OPENTRACKER_SKIP }, () => {
    const HTTP_HASH = hashOf(1);
    const UDP_HASH = hashOf(2);
    let ot: OpenTracker;
    let app: TestApp;
    before(async () => {
      const started = await startOpentracker({ whitelist: [HTTP_HASH.toString('hex'), UDP_HASH.toString('hex')] });
      assert.ok(started);
      ot = started;
      app = await createTestApp({
        extraToml: forwardingToml(
          ['timeout_in_secs = 3'],
          [
            { uri: `${ot.httpUrl}/announce`, name: 'ot-http' },
            { uri: `${ot.udpUrl}/announce`, name: 'ot-udp' },
          ],
        ),
      });
    });
    after(async () => {
      await app?.close();
      await ot?.close();
    });

    for (const [protocol, infoHash] of [
      ['http', HTTP_HASH],
      ['udp', UDP_HASH],
    ] as const) {
      it(`merges a peer known only upstream into a later ${protocol} answer`, async () => {
        // A seeder that announced to opentracker only.
        await udpAnnounce(ot, infoHash, peerIdOf(100), 40_001, 0);
        const localPort = protocol === 'http' ? 50_001 : 50_002;
        const ask = () =>
          protocol === 'http'
            ? httpAnnounce(app.http[0]!.url, infoHash, peerIdOf(1), localPort)
            : udpAnnounce(app.udp[0]!, infoHash, peerIdOf(1), localPort);

        const first = await ask();
        assert.ok(!first.peers.includes('127.0.0.1:40001'), 'the first answer is local only');
        // opentracker answers one of the two forwarders for this torrent (it serves both
        // protocols on one port, so both know the peer).
        await eventually('both forwarders answered for the torrent', async () => {
          const s = await status(app);
          return forwarderOf(s, 'ot-http').successes >= 1 && forwarderOf(s, 'ot-udp').successes >= 1;
        });
        const second = await ask();
        assert.ok(second.peers.includes('127.0.0.1:40001'), `upstream peer in ${JSON.stringify(second.peers)}`);
        assert.equal(second.peers.filter((p) => p === '127.0.0.1:40001').length, 1, 'once, though both returned it');
        assert.ok(!second.peers.includes(`127.0.0.1:${localPort}`), 'never the requester itself');
      });
    }

    it('reports the forwarders in the status API and in Prometheus', async () => {
      const s = await status(app);
      assert.equal(s.enabled, true);
      const http = forwarderOf(s, 'ot-http');
      assert.deepEqual([http.protocol, http.state, http.uri], ['http', 'active', `${ot.httpUrl}/announce`]);
      assert.ok(http.peers_received >= 1);
      assert.ok(forwarderOf(s, 'ot-udp').cached_torrents >= 1);
      const metrics = await (await fetch(`${app.api!.url}/metrics`)).text();
      assert.match(metrics, /^tracker_forwarder_requests_total\{forwarder="ot-udp"\} [1-9]/m);
      assert.match(metrics, /^tracker_forwarder_peers_received_total\{forwarder="ot-http"\} [1-9]/m);
      assert.match(metrics, /^tracker_forwarder_suspended\{forwarder="ot-http"\} 0$/m);
      assert.match(metrics, /^tracker_forwarder_request_duration_seconds_count\{forwarder="ot-udp"\} [1-9]/m);
      assert.match(metrics, /^tracker_forwarding_queue_depth 0$/m);
    });
  });

  describe('to a second instance of this tracker, over UDP and HTTP', () => {
    const HASH = hashOf(3);
    let upstream: TestApp;
    let app: TestApp;
    before(async () => {
      upstream = await createTestApp();
      app = await createTestApp({
        extraToml: forwardingToml(
          ['timeout_in_secs = 3'],
          [
            { uri: `udp://${upstream.udp[0]!.host}:${upstream.udp[0]!.port}/announce`, name: 'up-udp' },
            { uri: `${upstream.http[0]!.url}/announce`, name: 'up-http' },
          ],
        ),
      });
    });
    after(async () => {
      await app?.close();
      await upstream?.close();
    });

    it('announces local peers upstream and merges upstream peers, deduplicated, after the local ones', async () => {
      await udpAnnounce(upstream.udp[0]!, HASH, peerIdOf(200), 40_010, 0); // only upstream knows it

      const first = await udpAnnounce(app.udp[0]!, HASH, peerIdOf(1), 50_010);
      assert.deepEqual(first.peers, [], 'nothing cached yet');
      await eventually('the upstream answers are cached', async () => {
        const s = await status(app);
        return forwarderOf(s, 'up-udp').cached_torrents === 1 && forwarderOf(s, 'up-http').cached_torrents === 1;
      });
      // The forwarded announce made our local peer known upstream too.
      const upstreamView = await udpAnnounce(upstream.udp[0]!, HASH, peerIdOf(201), 40_011, 0);
      assert.ok(upstreamView.peers.includes('127.0.0.1:50010'), JSON.stringify(upstreamView.peers));

      // A second local peer: its answer has the first local peer once (the upstream returned it too)
      // and the upstream-only seeder.
      const second = await httpAnnounce(app.http[0]!.url, HASH, peerIdOf(2), 50_011);
      assert.equal(second.peers[0], '127.0.0.1:50010', 'local peers come first');
      assert.ok(second.peers.includes('127.0.0.1:40010'), JSON.stringify(second.peers));
      assert.equal(new Set(second.peers).size, second.peers.length, `no duplicates in ${JSON.stringify(second.peers)}`);
      assert.ok(!second.peers.includes('127.0.0.1:50011'), 'never the requester');

      // Once the answers to the second peer's forwarded announce are cached, they hold the first
      // local peer too: a third peer gets it once (local), plus both upstream-only seeders.
      await eventually('the answers for the second peer are cached', async () => {
        const s = await status(app);
        return forwarderOf(s, 'up-udp').successes >= 2 && forwarderOf(s, 'up-http').successes >= 2;
      });
      const third = await udpAnnounce(app.udp[0]!, HASH, peerIdOf(3), 50_012);
      assert.deepEqual(third.peers.slice(0, 2).sort(), ['127.0.0.1:50010', '127.0.0.1:50011']);
      assert.deepEqual(third.peers.slice(2).sort(), ['127.0.0.1:40010', '127.0.0.1:40011']);
    });

    it('respects numwant: upstream peers only fill the slots left', async () => {
      const res = await get(
        announceUrl(app.http[0]!.url, {
          infoHash: HASH,
          peerId: peerIdOf(4),
          port: 50_013,
          left: 100,
          compact: 1,
          numwant: 1,
        }),
      );
      assert.equal(assertAnnounceCompact(res).peers.length, 1);
    });
  });

  describe('when upstreams hang, fail, answer garbage or 429', () => {
    const HASH = hashOf(4);
    const TIMEOUT_SECS = 1;
    let upstream: TestApp;
    let app: TestApp;
    let hangingUdp: Socket;
    let garbageUdp: Socket;
    let hangingTcp: TcpServer;
    const held: TcpSocket[] = [];
    let http: HttpServer;
    const requests: Record<string, number> = { error: 0, garbage: 0, limited: 0 };

    before(async () => {
      upstream = await createTestApp();
      hangingUdp = createSocket('udp4'); // receives, never answers
      await new Promise<void>((resolve) => hangingUdp.bind(0, '127.0.0.1', resolve));
      garbageUdp = createSocket('udp4');
      // Echoes the transaction id (so the answer is taken) with an action no tracker sends.
      garbageUdp.on('message', (msg, from) =>
        garbageUdp.send(
          Buffer.concat([Buffer.from([0xde, 0xad, 0xbe, 0xef]), msg.subarray(12, 16), Buffer.from('garbage')]),
          from.port,
          from.address,
        ),
      );
      await new Promise<void>((resolve) => garbageUdp.bind(0, '127.0.0.1', resolve));
      hangingTcp = createTcpServer((socket) => held.push(socket)); // accepts, never answers
      await new Promise<void>((resolve) => hangingTcp.listen(0, '127.0.0.1', resolve));
      http = createHttpServer((req, res) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (path === '/error') {
          requests.error++;
          res.writeHead(500);
          res.end('Internal Server Error');
        } else if (path === '/garbage') {
          requests.garbage++;
          res.end('<html>this is not bencode</html>');
        } else {
          requests.limited++;
          res.writeHead(429, { 'retry-after': '1' });
          res.end();
        }
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

      app = await createTestApp({
        extraToml: forwardingToml(
          [
            `timeout_in_secs = ${TIMEOUT_SECS}`,
            'max_retries = 1',
            'retry_base_delay_in_secs = 0.05',
            'retry_max_delay_in_secs = 0.1',
            'suspend_after_failures = 2',
            // Seconds, not fractions: under a loaded CI machine a 1 s suspension can end before
            // the assertions that look at it run.
            'suspension_in_secs = 3',
            'max_suspension_in_secs = 6',
          ],
          [
            { uri: `udp://127.0.0.1:${hangingUdp.address().port}/announce`, name: 'hanging-udp' },
            { uri: `http://127.0.0.1:${(hangingTcp.address() as AddressInfo).port}/announce`, name: 'hanging-http' },
            { uri: `udp://127.0.0.1:${garbageUdp.address().port}`, name: 'garbage-udp' },
            { uri: `${httpBase}/error`, name: 'error-http' },
            { uri: `${httpBase}/garbage`, name: 'garbage-http' },
            { uri: `${httpBase}/limited`, name: 'limited-http' },
            { uri: `udp://${upstream.udp[0]!.host}:${upstream.udp[0]!.port}`, name: 'healthy' },
          ],
        ),
      });
    });
    after(async () => {
      await app?.close();
      await upstream?.close();
      hangingUdp?.close();
      garbageUdp?.close();
      for (const s of held) s.destroy();
      hangingTcp?.close();
      http?.closeAllConnections();
      http?.close();
    });

    /** Its suspension is over and no request (an earlier probe) is still on its way. */
    async function idleProbing(name: string): Promise<boolean> {
      const f = forwarderOf(await status(app), name);
      return f.state === 'probing' && f.in_flight === 0 && f.queue_depth === 0;
    }

    const FAILING = ['hanging-udp', 'hanging-http', 'garbage-udp', 'error-http', 'garbage-http', 'limited-http'];

    it('answers locally at once, far within the upstream timeout, over UDP and HTTP', async () => {
      await udpAnnounce(upstream.udp[0]!, HASH, peerIdOf(300), 40_020, 0);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        times.push((await udpAnnounce(app.udp[0]!, HASH, peerIdOf(10 + i), 50_020 + i)).ms);
        times.push((await httpAnnounce(app.http[0]!.url, HASH, peerIdOf(20 + i), 50_030 + i)).ms);
      }
      const slowest = Math.max(...times);
      assert.ok(slowest < (TIMEOUT_SECS * 1000) / 4, `slowest local answer ${slowest.toFixed(1)} ms`);
      const s = await status(app);
      assert.ok(s.in_flight + s.queue_depth + s.retries_waiting > 0, 'upstream requests are still pending meanwhile');
    });

    it('suspends each failing upstream, for the documented reason, and keeps the healthy one', async () => {
      const expected: Record<string, keyof ForwarderStatus['failures']> = {
        'hanging-udp': 'timeout',
        'hanging-http': 'timeout',
        'garbage-udp': 'invalid_response',
        'error-http': 'http_status',
        'garbage-http': 'invalid_response',
        'limited-http': 'rate_limited',
      };
      await eventually(
        'every failing forwarder suspended',
        async () => {
          const s = await status(app);
          return FAILING.every((name) => forwarderOf(s, name).suspensions >= 1);
        },
        (TIMEOUT_SECS * 2 + 3) * 1000,
      );
      const s = await status(app);
      for (const name of FAILING) {
        const f = forwarderOf(s, name);
        const reason = expected[name] as keyof ForwarderStatus['failures'];
        assert.notEqual(f.state, 'active', name);
        assert.ok(f.last_error?.startsWith(`${reason}:`), `${name}: ${f.last_error}`);
        assert.equal(f.suspensions, 1, name);
        if (reason === 'rate_limited') {
          assert.equal(f.failures.rate_limited, 1, 'a 429 suspends at once: no retry');
          assert.equal(f.retries, 0);
        } else {
          assert.equal(f.failures[reason], 2, `${name}: a failure, a retry, a second failure: suspended`);
          assert.equal(f.retries, 1, name);
        }
        assert.ok(f.dropped.suspended >= 1, `${name}: its queued announces were dropped`);
      }
      assert.equal(forwarderOf(s, 'hanging-udp').state, 'suspended');
      const healthy = forwarderOf(s, 'healthy');
      assert.equal(healthy.state, 'active');
      assert.equal(healthy.successes, 10);
      assert.ok(healthy.peers_received >= 1);

      const metrics = await (await fetch(`${app.api!.url}/metrics`)).text();
      assert.match(metrics, /^tracker_forwarder_suspended\{forwarder="hanging-udp"\} 1$/m);
      assert.match(metrics, /^tracker_forwarder_suspended\{forwarder="healthy"\} 0$/m);
      assert.match(metrics, /^tracker_forwarder_failures_total\{forwarder="hanging-http",reason="timeout"\} 2$/m);
      assert.match(metrics, /^tracker_forwarder_failures_total\{forwarder="limited-http",reason="rate_limited"\} 1$/m);
      assert.match(metrics, /^tracker_forwarder_retries_total\{forwarder="error-http"\} 1$/m);
      assert.match(metrics, /^tracker_forwarding_dropped_total\{forwarder="error-http",reason="suspended"\} [1-9]/m);

      // The healthy upstream's peer reaches local answers all the while.
      const local = await httpAnnounce(app.http[0]!.url, HASH, peerIdOf(40), 50_040);
      assert.ok(local.peers.includes('127.0.0.1:40020'), JSON.stringify(local.peers));
    });

    it('probes a forwarder with one request once its suspension ends, and suspends it again, longer', async () => {
      await eventually(
        'the suspension of error-http is over, nothing in flight',
        async () => idleProbing('error-http'),
        8_000,
      );
      const suspensions = forwarderOf(await status(app), 'error-http').suspensions;
      const sent = requests.error;
      for (let i = 0; i < 3; i++) await httpAnnounce(app.http[0]!.url, HASH, peerIdOf(50 + i), 50_050 + i);
      await eventually(
        'error-http suspended again',
        async () => forwarderOf(await status(app), 'error-http').suspensions === suspensions + 1,
        3_000,
      );
      assert.equal(requests.error - sent, 1, 'one probe, not one request per announce');
      const f = forwarderOf(await status(app), 'error-http');
      assert.equal(f.state, 'suspended');
      const left = Date.parse(f.suspended_until ?? '') - Date.now();
      assert.ok(left > 3_000 && left <= 6_000, `suspension_in_secs · 2^k capped at 6 s: ${left} ms left`);
    });

    it('honours Retry-After for a 429 again after the probe', async () => {
      await eventually('limited-http probing, nothing in flight', async () => idleProbing('limited-http'), 8_000);
      const suspensions = forwarderOf(await status(app), 'limited-http').suspensions;
      await httpAnnounce(app.http[0]!.url, HASH, peerIdOf(60), 50_060);
      await eventually(
        'limited-http suspended again',
        async () => forwarderOf(await status(app), 'limited-http').suspensions === suspensions + 1,
        3_000,
      );
      const f = forwarderOf(await status(app), 'limited-http');
      const left = Date.parse(f.suspended_until ?? '') - Date.now();
      assert.ok(left > 0 && left <= 1_000, `Retry-After: 1 → about 1 s, ${left} ms left`);
    });
  });

  describe('without forwarders', () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp();
    });
    after(() => app?.close());

    it('is off: nothing is forwarded and the status says so', async () => {
      await udpAnnounce(app.udp[0]!, hashOf(5), peerIdOf(1), 50_070);
      const s = await status(app);
      assert.deepEqual(s, {
        enabled: false,
        workers: 8,
        queue_size: 10_000,
        queue_depth: 0,
        in_flight: 0,
        retries_waiting: 0,
        cached_torrents: 0,
        forwarders: [],
      });
    });
  });

  describe('behind a reverse proxy that sends X-Real-IP', () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp({
        overrides: { CORE__NET__ON_REVERSE_PROXY: 'true', CORE__NET__REVERSE_PROXY_HEADER: 'x-real-ip' },
      });
    });
    after(() => app?.close());

    it('takes the client IP from X-Real-IP and refuses a request without it', async () => {
      const hash = hashOf(6);
      await httpAnnounce(app.http[0]!.url, hash, peerIdOf(1), 6881, 100, {
        'x-real-ip': '198.51.100.7',
        'x-forwarded-for': '203.0.113.1',
      });
      const second = await httpAnnounce(app.http[0]!.url, hash, peerIdOf(2), 6882, 100, { 'x-real-ip': '2001:db8::5' });
      assert.deepEqual(second.peers, ['198.51.100.7:6881']);
      const res = await get(announceUrl(app.http[0]!.url, { infoHash: hash, peerId: peerIdOf(3), port: 1 }), {
        headers: { 'x-forwarded-for': '203.0.113.1' },
      });
      const body = res.body.toString('latin1');
      assert.match(body, /missing or invalid X-Real-IP IP \(mandatory on reverse proxy tracker configuration\)/);
    });
  });
});
