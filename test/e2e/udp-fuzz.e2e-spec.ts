/**
 * Fuzzing the UDP tracker over a real socket: 100,000 random and mutated datagrams. Every one
 * must get exactly one reply (BEP 15 error packets included: nothing is banned here), the
 * tracker must keep answering a valid connect, and a swarm the fuzzer does not address must be
 * exactly as it was.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SwarmRegistry } from '../../src/core/domain/swarm-registry.js';
import {
  EVENT_STARTED,
  encodeAnnounceRequest,
  encodeConnectRequest,
  encodeScrapeRequest,
} from '../../src/protocol/bep15/index.js';
import { TrackerCounters } from '../../src/stats/tracker-counters.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { UdpTestClient } from '../support/udp-client.js';

const DATAGRAMS = 100_000;
const WINDOW = 64;
const REFERENCE = Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex');
const FUZZ_HASH = Buffer.alloc(20, 0x5a);

describe('UDP tracker under fuzzing', () => {
  let app: TestApp;
  before(async () => {
    // Bans would stop the replies after 10 bad connection ids; this test wants every reply.
    app = await createTestApp({ http: [], api: false, udpServer: ['max_connection_id_errors_per_ip = 4000000000'] });
  });
  after(() => app.close());

  it(`answers each of ${DATAGRAMS} random and mutated datagrams once, and keeps its swarms`, async () => {
    const target = app.udp[0];
    const reference = await UdpTestClient.open(target);
    const other = await UdpTestClient.open(target);
    await reference.announce({ infoHash: REFERENCE, peerId: Buffer.from('-qB0000-000000000001'), left: 0 });
    await other.announce({ infoHash: REFERENCE, peerId: Buffer.from('-qB0000-000000000002'), left: 5 });
    const before = await reference.scrape([REFERENCE]);

    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const localPort = socket.address().port;
    let received = 0;
    socket.on('message', () => received++);
    const connectionId = await new Promise<Buffer>((resolve) => {
      socket.once('message', (msg) => resolve(msg.subarray(8, 16)));
      socket.send(encodeConnectRequest(1), target.port, target.host);
    });
    received = 0;

    const seeds = [
      encodeConnectRequest(7),
      encodeAnnounceRequest({
        connectionId,
        transactionId: 9,
        infoHash: FUZZ_HASH,
        peerId: Buffer.alloc(20, 1),
        port: localPort,
        event: EVENT_STARTED,
      }),
      encodeScrapeRequest(connectionId, 11, [FUZZ_HASH, FUZZ_HASH]),
    ];
    const datagram = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 1600 }).map((b) => Buffer.from(b)),
      fc
        .tuple(
          fc.constantFrom(...seeds),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
          fc.integer({ min: -8, max: 40 }),
        )
        .map(([seed, flips, resize]) => {
          const b = Buffer.alloc(Math.max(0, seed.length + resize));
          seed.copy(b);
          // Keep the info hash out of the reference swarm: the fuzzer never writes REFERENCE.
          for (const [at, value] of flips) if (b.length > 0) b[at % b.length] = value;
          return b;
        }),
    );
    const packets = fc.sample(datagram, { numRuns: DATAGRAMS, seed: 20261121 });

    let sent = 0;
    while (sent < packets.length) {
      const batch = packets.slice(sent, sent + WINDOW);
      for (const p of batch) socket.send(p, target.port, target.host);
      sent += batch.length;
      const deadline = Date.now() + 5000;
      while (received < sent && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      assert.equal(received, sent, `a reply for every datagram (after ${sent})`);
    }
    socket.close();

    assert.equal(app.tracker.app.get(TrackerCounters).udp_handler_failures, 0, 'no datagram hit a bug');
    const connect = await reference.decoded(encodeConnectRequest(99));
    assert.equal(connect.action, 0, 'still answers a valid connect');
    assert.deepEqual(await reference.scrape([REFERENCE]), before, 'the reference swarm is untouched');
    const totals = app.tracker.app.get(SwarmRegistry).totalsView;
    assert.ok(totals.seeders >= 1 && totals.leechers >= 1, JSON.stringify(totals));
    await Promise.all([reference.close(), other.close()]);
  });
});
