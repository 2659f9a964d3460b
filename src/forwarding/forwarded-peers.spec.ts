import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anAnnounce, infoHashOf, ipv6 } from '../core/domain/testing/announce-builder.js';
import type { AnnounceOutcome, SwarmRegistry } from '../core/domain/swarm-registry.js';
import type { AnnounceInput } from '../core/domain/types.js';
import { ForwardedPeers, type PeerCacheOptions } from './forwarded-peers.js';

/** Local peers of an answer, as the registry would give them: slot i = peers[i]. */
function localAnswer(peers: Array<[string, number]>): { outcome: AnnounceOutcome; registry: SwarmRegistry } {
  const parsed = peers.map(([ip, port]) => ({
    bytes: ip.includes(':') ? ipv6(ip) : Uint8Array.from(ip.split('.').map(Number)),
    family: (ip.includes(':') ? 6 : 4) as 4 | 6,
    port,
  }));
  const registry = {
    copyPeerAddress: (slot: number, out: Uint8Array, offset: number) => {
      const p = parsed[slot];
      out.set(p?.bytes ?? [], offset);
      return p?.bytes.length ?? 0;
    },
    peerFamily: (slot: number) => parsed[slot]?.family ?? 4,
    peerPort: (slot: number) => parsed[slot]?.port ?? 0,
  } as unknown as SwarmRegistry;
  const outcome: AnnounceOutcome = {
    complete: 0,
    incomplete: 0,
    downloaded: 0,
    peers: Int32Array.from(parsed.map((_, i) => i)),
    peerCount: parsed.length,
    inserted: false,
    torrent: 0,
    slot: -1,
  };
  return { outcome, registry };
}

function compact(peers: Array<[string, number]>): Buffer {
  return Buffer.concat(
    peers.map(([ip, port]) => {
      const six = ip.includes(':');
      const b = Buffer.alloc(six ? 18 : 6);
      b.set(six ? ipv6(ip) : ip.split('.').map(Number), 0);
      b.writeUInt16BE(port, six ? 16 : 4);
      return b;
    }),
  );
}

function texts(buf: Buffer, count: number, size: 6 | 18): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const o = i * size;
    const port = buf.readUInt16BE(o + size - 2);
    out.push(
      size === 6
        ? `${buf[o]}.${buf[o + 1]}.${buf[o + 2]}.${buf[o + 3]}:${port}`
        : `[${buf.subarray(o, o + 16).toString('hex')}]:${port}`,
    );
  }
  return out;
}

class Clock {
  ms = 1_000_000;
  now = () => this.ms;
}

function cache(options: Partial<PeerCacheOptions> = {}, clock = new Clock()) {
  const queued: AnnounceInput[] = [];
  const fwd = new ForwardedPeers(
    { enqueue: (input) => queued.push(input) },
    { forwarders: 2, maxPeersPerAnnounce: 74, maxStoredPeers: 200, maxTorrents: 1000, seed: 42, ...options },
    clock.now,
  );
  return { fwd, clock, queued };
}

const HASH = Buffer.from(infoHashOf(1));
const REQUESTER = anAnnounce().forTorrent(1).at('10.0.0.1', 6881).build();
const NONE = localAnswer([]);

function select(fwd: ForwardedPeers, input: AnnounceInput, family: 0 | 4 | 6, local = NONE, localCount?: number) {
  const n = fwd.select(input, family, localCount ?? local.outcome.peerCount, local.outcome, local.registry);
  return { n, v4: texts(fwd.out4, fwd.out4Count, 6), v6: texts(fwd.out6, fwd.out6Count, 18) };
}

describe('ForwardedPeers', () => {
  it('hands announces to the forwarding queue', () => {
    const { fwd, queued } = cache();
    fwd.forward(REQUESTER);
    assert.deepEqual(queued, [REQUESTER]);
  });

  it('has nothing for a torrent no forwarder answered for', () => {
    const { fwd } = cache();
    assert.equal(select(fwd, REQUESTER, 4).n, 0);
    fwd.store(0, Buffer.from(infoHashOf(2)), compact([['1.1.1.1', 1]]), Buffer.alloc(0), 60_000);
    assert.equal(select(fwd, REQUESTER, 4).n, 0);
  });

  it('adds cached peers after the local ones, without the requester or a peer already in the answer', () => {
    const { fwd } = cache();
    fwd.store(
      0,
      HASH,
      compact([
        ['10.0.0.1', 6881], // the requester itself
        ['10.0.0.2', 6881], // also a local peer in the answer
        ['10.0.0.1', 7000], // same IP, other port: another peer
        ['203.0.113.5', 51413],
      ]),
      Buffer.alloc(0),
      60_000,
    );
    const local = localAnswer([['10.0.0.2', 6881]]);
    const got = select(fwd, REQUESTER, 4, local);
    assert.deepEqual(got.v4.sort(), ['10.0.0.1:7000', '203.0.113.5:51413']);
    assert.equal(got.n, 2);
  });

  it('respects numwant: only the slots the local answer left', () => {
    const { fwd } = cache();
    fwd.store(
      0,
      HASH,
      compact([
        ['1.1.1.1', 1],
        ['2.2.2.2', 2],
        ['3.3.3.3', 3],
      ]),
      Buffer.alloc(0),
      60_000,
    );
    const wanting3 = { ...REQUESTER, peersWanted: 3 };
    const local = localAnswer([['10.0.0.9', 1]]);
    assert.equal(select(fwd, wanting3, 4, local).n, 2);
    assert.equal(select(fwd, { ...REQUESTER, peersWanted: 1 }, 4, local).n, 0);
    const { fwd: small } = cache({ maxPeersPerAnnounce: 2 });
    small.store(
      0,
      HASH,
      compact([
        ['1.1.1.1', 1],
        ['2.2.2.2', 2],
        ['3.3.3.3', 3],
      ]),
      Buffer.alloc(0),
      60_000,
    );
    assert.equal(select(small, REQUESTER, 4).n, 2, 'never more than max_peers_per_announce');
  });

  it('gives UDP its own family only and HTTP both', () => {
    const { fwd } = cache();
    fwd.store(0, HASH, compact([['1.1.1.1', 1]]), compact([['2001:db8::1', 2]]), 60_000);
    assert.deepEqual(select(fwd, REQUESTER, 4), { n: 1, v4: ['1.1.1.1:1'], v6: [] });
    const six = anAnnounce().forTorrent(1).at('2001:db8::99', 6881).build();
    assert.equal(select(fwd, six, 6).n, 1);
    assert.equal(fwd.out4Count, 0);
    assert.equal(select(fwd, REQUESTER, 0).n, 2);
  });

  it('deduplicates peers several forwarders returned', () => {
    const { fwd } = cache();
    fwd.store(
      0,
      HASH,
      compact([
        ['1.1.1.1', 1],
        ['2.2.2.2', 2],
      ]),
      Buffer.alloc(0),
      60_000,
    );
    fwd.store(
      1,
      HASH,
      compact([
        ['2.2.2.2', 2],
        ['3.3.3.3', 3],
      ]),
      Buffer.alloc(0),
      60_000,
    );
    assert.deepEqual(select(fwd, REQUESTER, 4).v4.sort(), ['1.1.1.1:1', '2.2.2.2:2', '3.3.3.3:3']);
    assert.deepEqual(fwd.peersOf(HASH), { v4: 3, v6: 0 });
  });

  it('rotates through the cached peers when there are more than the slots', () => {
    const { fwd } = cache();
    fwd.store(
      0,
      HASH,
      compact([
        ['1.1.1.1', 1],
        ['2.2.2.2', 2],
        ['3.3.3.3', 3],
      ]),
      Buffer.alloc(0),
      60_000,
    );
    const one = { ...REQUESTER, peersWanted: 1 };
    const seen = [0, 1, 2].map(() => select(fwd, one, 4).v4[0]);
    assert.deepEqual(seen.sort(), ['1.1.1.1:1', '2.2.2.2:2', '3.3.3.3:3']);
  });

  it("keeps a forwarder's answer for its interval, replaces it with the next one, forgets it after", () => {
    const { fwd, clock } = cache();
    fwd.store(0, HASH, compact([['1.1.1.1', 1]]), Buffer.alloc(0), 60_000);
    fwd.store(1, HASH, compact([['2.2.2.2', 2]]), Buffer.alloc(0), 120_000);
    fwd.store(0, HASH, compact([['3.3.3.3', 3]]), Buffer.alloc(0), 60_000);
    assert.deepEqual(select(fwd, REQUESTER, 4).v4.sort(), ['2.2.2.2:2', '3.3.3.3:3']);
    clock.ms += 60_000;
    fwd.sweep();
    assert.deepEqual(select(fwd, REQUESTER, 4).v4, ['2.2.2.2:2']);
    assert.equal(fwd.cachedTorrentsOf(0), 0);
    clock.ms += 60_000;
    assert.equal(select(fwd, REQUESTER, 4).n, 0, 'nothing once every answer expired, even before a sweep');
    fwd.sweep();
    assert.equal(fwd.cachedTorrents, 0);
  });

  it('drops a forwarder part when its next answer has no peers', () => {
    const { fwd } = cache();
    fwd.store(0, HASH, compact([['1.1.1.1', 1]]), Buffer.alloc(0), 60_000);
    fwd.store(0, HASH, Buffer.alloc(0), Buffer.alloc(0), 60_000);
    assert.equal(fwd.cachedTorrents, 0);
  });

  it("keeps no port-0 peer, no unspecified address, no partial entry, not the forwarder's own ip", () => {
    const { fwd } = cache({ ownAddresses: [Uint8Array.from([198, 51, 100, 7]), null] });
    const peers = Buffer.concat([
      compact([
        ['1.1.1.1', 0],
        ['0.0.0.0', 5],
        ['198.51.100.7', 6881],
        ['4.4.4.4', 4],
      ]),
      Buffer.from([9, 9, 9]),
    ]);
    fwd.store(0, HASH, peers, Buffer.alloc(0), 60_000);
    assert.deepEqual(select(fwd, REQUESTER, 4).v4, ['4.4.4.4:4']);
    fwd.store(1, HASH, compact([['198.51.100.7', 6881]]), Buffer.alloc(0), 60_000);
    assert.equal(select(fwd, REQUESTER, 4).n, 2, 'the ip of forwarder 0 is not filtered from forwarder 1');
  });

  it('caps the peers kept per answer and the torrents cached', () => {
    const { fwd } = cache({ maxStoredPeers: 2, maxTorrents: 1 });
    fwd.store(
      0,
      HASH,
      compact([
        ['1.1.1.1', 1],
        ['2.2.2.2', 2],
        ['3.3.3.3', 3],
      ]),
      Buffer.alloc(0),
      60_000,
    );
    assert.deepEqual(fwd.peersOf(HASH), { v4: 2, v6: 0 });
    fwd.store(0, Buffer.from(infoHashOf(2)), compact([['1.1.1.1', 1]]), Buffer.alloc(0), 60_000);
    assert.equal(fwd.cachedTorrents, 1);
    assert.equal(fwd.notCachedCount, 1);
  });

  it('finds torrents whose hashes collide in the table', () => {
    const { fwd } = cache({ seed: 0 });
    for (let t = 1; t <= 300; t++) {
      fwd.store(t % 2, Buffer.from(infoHashOf(t)), compact([[`1.1.${t >> 8}.${t & 255}`, t]]), Buffer.alloc(0), 60_000);
    }
    assert.equal(fwd.cachedTorrents, 300);
    for (let t = 1; t <= 300; t += 37) {
      const input = anAnnounce().forTorrent(t).at('10.0.0.1', 6881).build();
      assert.deepEqual(select(fwd, input, 4).v4, [`1.1.${t >> 8}.${t & 255}:${t}`]);
    }
  });

  it('handles a local answer larger than its scratch set', () => {
    const { fwd } = cache({ maxPeersPerAnnounce: 1000 });
    const localPeers: Array<[string, number]> = Array.from({ length: 300 }, (_, i) => [`10.1.${i >> 8}.${i & 255}`, 1]);
    fwd.store(0, HASH, compact([localPeers[299] as [string, number], ['5.5.5.5', 5]]), Buffer.alloc(0), 60_000);
    assert.deepEqual(select(fwd, REQUESTER, 4, localAnswer(localPeers)).v4, ['5.5.5.5:5']);
  });
});
