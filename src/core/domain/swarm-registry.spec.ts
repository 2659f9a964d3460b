import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SwarmRegistry, type SwarmEvent } from './swarm-registry.js';
import { anAnnounce, infoHashOf, peerIdOf } from './testing/announce-builder.js';
import { AnnounceEvent, newSwarmMetadata, type AnnounceInput } from './types.js';

const T0 = Date.UTC(2026, 0, 1);
const TIMEOUT_S = 900;

function registry(extra: Partial<ConstructorParameters<typeof SwarmRegistry>[0]> = {}): SwarmRegistry {
  return new SwarmRegistry({
    maxPeerTimeoutMs: TIMEOUT_S * 1000,
    seed: 12345,
    initialPeerCapacity: 16,
    initialTorrentCapacity: 16,
    ...extra,
  });
}

function announce(r: SwarmRegistry, input: AnnounceInput, now = T0, max = 74) {
  const o = r.announce(input, now, max, input.sameFamilyOnly);
  return {
    complete: o.complete,
    incomplete: o.incomplete,
    downloaded: o.downloaded,
    peers: Array.from(o.peers.subarray(0, o.peerCount)),
  };
}

function scrape(r: SwarmRegistry, torrent: number, now = T0) {
  const m = newSwarmMetadata();
  r.scrape(infoHashOf(torrent), 0, now, m);
  return m;
}

function peerNumber(r: SwarmRegistry, slot: number): number {
  const id = r.peerIdView(slot);
  return (id[16] << 24) | (id[17] << 16) | (id[18] << 8) | id[19];
}

function peersOf(r: SwarmRegistry, result: { peers: number[] }): number[] {
  return result.peers.map((s) => peerNumber(r, s)).sort((a, b) => a - b);
}

describe('SwarmRegistry', () => {
  describe('when a peer announces', () => {
    it('adds a leecher and counts it in the answer', () => {
      const r = registry();
      const res = announce(r, anAnnounce().fromPeer(1).started().build());
      assert.deepEqual([res.complete, res.incomplete, res.downloaded], [0, 1, 0]);
      assert.deepEqual(scrape(r, 1), { complete: 0, incomplete: 1, downloaded: 0 });
    });

    it('counts a peer with left = 0 as a seeder', () => {
      const r = registry();
      const res = announce(r, anAnnounce().seeding().build());
      assert.deepEqual([res.complete, res.incomplete], [1, 0]);
    });

    it('counts a peer with a negative left as a seeder', () => {
      const r = registry();
      const res = announce(r, anAnnounce().leeching(-5).build());
      assert.deepEqual([res.complete, res.incomplete], [1, 0]);
    });

    it('replaces the stored peer when the same peer id announces again', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).leeching().build());
      const res = announce(r, anAnnounce().fromPeer(1).seeding().at('10.9.9.9', 7000).build());
      assert.deepEqual([res.complete, res.incomplete], [1, 0]);
      const t = r.findTorrent(infoHashOf(1), 0);
      const [slot] = r.peerSlotsOf(t, T0);
      assert.deepEqual(Array.from(r.peerAddressView(slot)), [10, 9, 9, 9]);
      assert.equal(r.peerPort(slot), 7000);
    });

    it('tells whether the announce added the peer', () => {
      const r = registry();
      assert.equal(r.announce(anAnnounce().fromPeer(1).build(), T0, 74, false).inserted, true);
      assert.equal(r.announce(anAnnounce().fromPeer(1).build(), T0, 74, false).inserted, false);
      assert.equal(r.announce(anAnnounce().fromPeer(1).stopped().build(), T0, 74, false).inserted, false);
    });

    it('changes the answer version when a peer leaves or moves, not when it only announces again', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).at('10.0.0.1', 6881).build());
      const t = r.findTorrent(infoHashOf(1), 0);
      const versions = [r.answerVersionOf(t)];
      announce(r, anAnnounce().fromPeer(2).build());
      announce(r, anAnnounce().fromPeer(1).at('10.0.0.1', 6881).seeding().build());
      versions.push(r.answerVersionOf(t)); // joined, changed role: same version
      announce(r, anAnnounce().fromPeer(1).at('10.0.0.1', 6882).seeding().build());
      versions.push(r.answerVersionOf(t)); // another port
      announce(r, anAnnounce().fromPeer(1).at('10.0.0.7', 6882).seeding().build());
      versions.push(r.answerVersionOf(t)); // another address
      announce(r, anAnnounce().fromPeer(1).at('2001:db8::7', 6882).seeding().build());
      versions.push(r.answerVersionOf(t)); // another family
      announce(r, anAnnounce().fromPeer(2).stopped().build());
      versions.push(r.answerVersionOf(t)); // left
      assert.deepEqual(
        versions.map((v) => v - versions[0]),
        [0, 0, 1, 2, 3, 4],
      );
    });

    it('keeps swarms of different torrents apart', () => {
      const r = registry();
      announce(r, anAnnounce().forTorrent(1).fromPeer(1).build());
      announce(r, anAnnounce().forTorrent(2).fromPeer(1).seeding().build());
      assert.deepEqual(scrape(r, 1), { complete: 0, incomplete: 1, downloaded: 0 });
      assert.deepEqual(scrape(r, 2), { complete: 1, incomplete: 0, downloaded: 0 });
      assert.equal(r.totalsView.torrents, 2);
    });
  });

  describe('when a peer stops', () => {
    it('removes the peer', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).build());
      announce(r, anAnnounce().fromPeer(2).build());
      const res = announce(r, anAnnounce().fromPeer(1).stopped().build());
      assert.deepEqual([res.complete, res.incomplete], [0, 1]);
      assert.deepEqual(peersOf(r, res), [2]);
    });

    it('creates the torrent entry even for an unknown torrent, as Torrust does', () => {
      const r = registry();
      announce(r, anAnnounce().forTorrent(9).stopped().build());
      assert.equal(r.totalsView.torrents, 1);
      assert.deepEqual(scrape(r, 9), { complete: 0, incomplete: 0, downloaded: 0 });
    });
  });

  describe('counting completed downloads', () => {
    it('counts a known peer that announces completed', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).started().build());
      const res = announce(r, anAnnounce().fromPeer(1).seeding().completed().build());
      assert.equal(res.downloaded, 1);
      assert.equal(res.complete, 1);
    });

    it('does not count a peer whose first announce is completed', () => {
      const r = registry();
      const res = announce(r, anAnnounce().fromPeer(1).seeding().completed().build());
      assert.equal(res.downloaded, 0);
    });

    it('counts each peer at most once per torrent', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).started().build());
      announce(r, anAnnounce().fromPeer(1).seeding().completed().build());
      announce(r, anAnnounce().fromPeer(1).seeding().build());
      const res = announce(r, anAnnounce().fromPeer(1).seeding().completed().build());
      assert.equal(res.downloaded, 1);
      assert.equal(r.totalsView.downloaded, 1);
    });

    it('remembers which torrents changed for write-behind, once each', () => {
      const r = registry({ trackDirtyCompleted: true });
      for (const peer of [1, 2]) {
        announce(r, anAnnounce().fromPeer(peer).started().build());
        announce(r, anAnnounce().fromPeer(peer).seeding().completed().build());
      }
      const drained = r.drainDirtyDownloads();
      assert.equal(drained.length, 1);
      assert.deepEqual(Array.from(drained[0].infoHash), Array.from(infoHashOf(1)));
      assert.equal(drained[0].downloaded, 2);
      assert.deepEqual(r.drainDirtyDownloads(), []);
    });

    it('does not remember changes when write-behind is off', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).started().build());
      announce(r, anAnnounce().fromPeer(1).completed().build());
      assert.deepEqual(r.drainDirtyDownloads(), []);
    });

    it('takes completed counts loaded from the database as the starting value', () => {
      const r = registry();
      r.loadDownloads(infoHashOf(5), 0, 41);
      assert.deepEqual(scrape(r, 5), { complete: 0, incomplete: 0, downloaded: 41 });
      announce(r, anAnnounce().forTorrent(5).fromPeer(1).build());
      const res = announce(r, anAnnounce().forTorrent(5).fromPeer(1).completed().build());
      assert.equal(res.downloaded, 42);
      assert.equal(r.totalsView.downloaded, 42);
      assert.equal(r.totalsView.downloadedInSession, 1, 'loaded counts are not this session’s');
    });
  });

  describe('per-peer transfer counters', () => {
    it('keeps uploaded, downloaded and left exact, small or beyond 32 bits', () => {
      const r = registry();
      const cases = [
        [0, 0, 0],
        [1, 2, 3],
        [4_294_967_294, 4_294_967_295, 4_294_967_296],
        [2 ** 53 - 1, 12_345, 0],
        [5, 6, -1],
      ];
      cases.forEach(([uploaded, downloaded, left], p) => {
        announce(r, { ...anAnnounce().fromPeer(p).build(), uploaded, downloaded, left });
      });
      const slots = r.peerSlotsOf(r.findTorrent(infoHashOf(1), 0), T0);
      const byPeer = new Map(slots.map((s) => [peerNumber(r, s), s]));
      cases.forEach(([uploaded, downloaded, left], p) => {
        const s = byPeer.get(p) as number;
        assert.deepEqual(
          [r.peerUploaded(s), r.peerDownloaded(s), r.peerLeft(s)],
          [uploaded, downloaded, left],
          `peer ${p}`,
        );
      });
    });

    it('forgets a peer’s large counters when it announces small ones or leaves', () => {
      const r = registry();
      announce(r, { ...anAnnounce().fromPeer(1).build(), uploaded: 2 ** 40, downloaded: 7, left: 9 });
      announce(r, { ...anAnnounce().fromPeer(1).build(), uploaded: 10, downloaded: 7, left: 9 });
      const [slot] = r.peerSlotsOf(r.findTorrent(infoHashOf(1), 0), T0);
      assert.deepEqual([r.peerUploaded(slot), r.peerDownloaded(slot), r.peerLeft(slot)], [10, 7, 9]);
      announce(r, { ...anAnnounce().fromPeer(1).build(), uploaded: 2 ** 40, downloaded: 7, left: 9 });
      announce(r, anAnnounce().fromPeer(1).stopped().build());
      // The slot is reused by the next peer, whose counters are its own.
      announce(r, { ...anAnnounce().fromPeer(2).build(), uploaded: 1, downloaded: 2, left: 3 });
      const [reused] = r.peerSlotsOf(r.findTorrent(infoHashOf(1), 0), T0);
      assert.deepEqual([r.peerUploaded(reused), r.peerDownloaded(reused), r.peerLeft(reused)], [1, 2, 3]);
    });
  });

  describe('peer expiry', () => {
    it('never returns or counts a peer older than max_peer_timeout, even before cleanup', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).build(), T0);
      announce(r, anAnnounce().fromPeer(2).build(), T0 + 100_000);
      const later = T0 + TIMEOUT_S * 1000; // peer 1 is exactly max_peer_timeout old: gone
      const res = announce(r, anAnnounce().fromPeer(3).build(), later);
      assert.deepEqual(peersOf(r, res), [2]);
      assert.equal(res.incomplete, 2);
      assert.deepEqual(scrape(r, 1, later), { complete: 0, incomplete: 2, downloaded: 0 });
    });

    it('keeps a peer that is one millisecond younger than the timeout', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).build(), T0);
      const res = announce(r, anAnnounce().fromPeer(2).build(), T0 + TIMEOUT_S * 1000 - 1);
      assert.deepEqual(peersOf(r, res), [1]);
    });

    it('renews a peer on every announce', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).build(), T0);
      announce(r, anAnnounce().fromPeer(2).build(), T0);
      announce(r, anAnnounce().fromPeer(1).build(), T0 + 800_000);
      const res = announce(r, anAnnounce().fromPeer(3).build(), T0 + 950_000);
      assert.deepEqual(peersOf(r, res), [1]);
    });

    it('cleanup removes expired peers and then peerless torrents', () => {
      const r = registry();
      announce(r, anAnnounce().forTorrent(1).fromPeer(1).build(), T0);
      announce(r, anAnnounce().forTorrent(2).fromPeer(1).build(), T0 + 500_000);
      assert.equal(r.cleanupStep(T0 + 1_000_000, 0, 100, true, false), -1);
      assert.equal(r.totalsView.torrents, 1);
      assert.equal(r.totalsView.leechers, 1);
      assert.equal(r.findTorrent(infoHashOf(1), 0), -1);
    });

    it('cleanup keeps peerless torrents when remove_peerless_torrents is off', () => {
      const r = registry();
      announce(r, anAnnounce().forTorrent(1).fromPeer(1).build(), T0);
      r.cleanupStep(T0 + 1_000_000, 0, 100, false, false);
      assert.equal(r.totalsView.torrents, 1);
      assert.equal(r.totalsView.leechers, 0);
    });

    it('cleanup keeps peerless torrents with downloads when counts are persisted', () => {
      const r = registry();
      announce(r, anAnnounce().forTorrent(1).fromPeer(1).build(), T0);
      announce(r, anAnnounce().forTorrent(1).fromPeer(1).completed().build(), T0);
      announce(r, anAnnounce().forTorrent(2).fromPeer(1).build(), T0);
      r.cleanupStep(T0 + 1_000_000, 0, 100, true, true);
      assert.equal(r.totalsView.torrents, 1);
      assert.deepEqual(scrape(r, 1, T0 + 1_000_000), { complete: 0, incomplete: 0, downloaded: 1 });
    });

    it('cleanup works in bounded steps', () => {
      const r = registry();
      for (let t = 1; t <= 10; t++) announce(r, anAnnounce().forTorrent(t).fromPeer(1).build(), T0);
      let next = 0;
      let steps = 0;
      while (next >= 0) {
        next = r.cleanupStep(T0 + 1_000_000, next, 3, true, false);
        steps++;
      }
      assert.equal(steps, 5, 'a torrent visited and a peer removed are two units of work');
      assert.equal(r.totalsView.torrents, 0);
    });

    it('cleanup stops inside a huge swarm and resumes there', () => {
      const r = registry();
      for (let p = 1; p <= 100; p++) announce(r, anAnnounce().forTorrent(1).fromPeer(p).build(), T0);
      announce(r, anAnnounce().forTorrent(2).fromPeer(1).build(), T0);
      const later = T0 + 1_000_000;
      const left: number[] = [];
      let next = 0;
      while (next >= 0) {
        next = r.cleanupStep(later, next, 10, true, false);
        left.push(r.totalsView.leechers);
      }
      assert.ok(left.length >= 10, `${left.length} steps`);
      for (let i = 1; i < left.length; i++) assert.ok(left[i - 1] - left[i] <= 10, `step ${i} removed at most 10`);
      assert.equal(r.totalsView.leechers, 0);
      assert.equal(r.totalsView.torrents, 0);
    });
  });

  describe('choosing peers for the answer', () => {
    it('never returns the announcing peer', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).build());
      const res = announce(r, anAnnounce().fromPeer(1).build());
      assert.deepEqual(res.peers, []);
    });

    it('never returns another peer id at the announcer’s own address and port', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).at('10.0.0.1', 6881).build());
      announce(r, anAnnounce().fromPeer(2).at('10.0.0.1', 6882).build());
      announce(r, anAnnounce().fromPeer(4).at('10.0.0.2', 6881).build());
      const res = announce(r, anAnnounce().fromPeer(3).at('10.0.0.1', 6881).build());
      assert.deepEqual(peersOf(r, res), [2, 4]);
    });

    it('returns at most the given maximum', () => {
      const r = registry();
      for (let p = 1; p <= 100; p++) announce(r, anAnnounce().fromPeer(p).build());
      assert.equal(announce(r, anAnnounce().fromPeer(101).build(), T0, 74).peers.length, 74);
      assert.equal(announce(r, anAnnounce().fromPeer(101).build(), T0, 5).peers.length, 5);
    });

    it('returns no duplicates', () => {
      const r = registry();
      for (let p = 1; p <= 10; p++) announce(r, anAnnounce().fromPeer(p).seeding().build());
      for (let p = 11; p <= 13; p++) announce(r, anAnnounce().fromPeer(p).build());
      const res = announce(r, anAnnounce().fromPeer(50).build(), T0, 74);
      const ids = peersOf(r, res);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(ids.length, 13);
    });

    it('rotates through a large swarm instead of always answering the same peers', () => {
      const r = registry();
      for (let p = 1; p <= 40; p++) announce(r, anAnnounce().fromPeer(p).build());
      const seen = new Set<number>();
      for (let i = 0; i < 4; i++) {
        for (const p of peersOf(r, announce(r, anAnnounce().fromPeer(1000).build(), T0, 10))) seen.add(p);
      }
      assert.equal(seen.size, 40);
    });

    it('offers seeders the leechers first', () => {
      const r = registry();
      for (let p = 1; p <= 10; p++) announce(r, anAnnounce().fromPeer(p).seeding().build());
      for (let p = 11; p <= 13; p++) announce(r, anAnnounce().fromPeer(p).leeching().build());
      const res = announce(r, anAnnounce().fromPeer(99).seeding().build(), T0, 3);
      assert.deepEqual(peersOf(r, res), [11, 12, 13]);
    });

    it('offers leechers seeders and leechers', () => {
      const r = registry();
      for (let p = 1; p <= 10; p++) announce(r, anAnnounce().fromPeer(p).seeding().build());
      for (let p = 11; p <= 20; p++) announce(r, anAnnounce().fromPeer(p).leeching().build());
      const ids = peersOf(r, announce(r, anAnnounce().fromPeer(99).build(), T0, 4));
      assert.equal(ids.filter((p) => p <= 10).length, 2);
      assert.equal(ids.filter((p) => p > 10).length, 2);
    });

    it('fills a leecher’s answer with leechers when there are few seeders', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).seeding().build());
      for (let p = 11; p <= 20; p++) announce(r, anAnnounce().fromPeer(p).leeching().build());
      const ids = peersOf(r, announce(r, anAnnounce().fromPeer(99).build(), T0, 6));
      assert.equal(ids.length, 6);
      assert.ok(ids.includes(1));
    });

    it('answers only peers of the announcer’s family when asked (UDP)', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).at('10.0.0.1').build());
      announce(r, anAnnounce().fromPeer(2).at('2001:db8::2').build());
      const v4 = announce(r, anAnnounce().fromPeer(3).at('10.0.0.3').sameFamilyOnly().build());
      assert.deepEqual(peersOf(r, v4), [1]);
      const v6 = announce(r, anAnnounce().fromPeer(4).at('2001:db8::4').sameFamilyOnly().build());
      assert.deepEqual(
        peersOf(r, v6),
        [2, 3].filter((p) => p === 2),
      );
    });

    it('answers peers of both families otherwise (HTTP)', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).at('10.0.0.1').build());
      announce(r, anAnnounce().fromPeer(2).at('2001:db8::2').build());
      const res = announce(r, anAnnounce().fromPeer(3).at('10.0.0.3').build());
      assert.deepEqual(peersOf(r, res), [1, 2]);
      const slot6 = res.peers.find((s) => peerNumber(r, s) === 2) as number;
      assert.equal(r.peerFamily(slot6), 6);
      const out = new Uint8Array(16);
      assert.equal(r.copyPeerAddress(slot6, out, 0), 16);
      assert.equal(out[0], 0x20);
    });
  });

  describe('listing', () => {
    it('lists torrents in info-hash byte order and peers in peer-id order', () => {
      const r = registry();
      for (const t of [5, 3, 9, 1]) announce(r, anAnnounce().forTorrent(t).fromPeer(t).build());
      const order = Array.from(r.torrentIdsByInfoHash()).map((id) => r.infoHashOf(id)[19]);
      assert.deepEqual(order, [1, 3, 5, 9]);
      for (const p of [7, 2, 4]) announce(r, anAnnounce().forTorrent(1).fromPeer(p).build());
      const t = r.findTorrent(infoHashOf(1), 0);
      assert.deepEqual(
        r.peerSlotsOf(t, T0).map((s) => peerNumber(r, s)),
        [1, 2, 4, 7],
      );
    });
  });

  describe('publishing changes for replicas', () => {
    it('produces events that rebuild the same swarms in another registry', () => {
      const source = registry();
      const events: SwarmEvent[] = [];
      source.setListener({ onSwarmEvent: (e) => events.push(e) });
      announce(source, anAnnounce().forTorrent(1).fromPeer(1).started().build());
      announce(source, anAnnounce().forTorrent(1).fromPeer(2).build());
      announce(source, anAnnounce().forTorrent(1).fromPeer(1).seeding().completed().build());
      announce(source, anAnnounce().forTorrent(2).fromPeer(3).at('2001:db8::3').build());
      announce(source, anAnnounce().forTorrent(1).fromPeer(2).stopped().build());
      assert.deepEqual(
        events.map((e) => e.kind),
        ['peer-upserted', 'peer-upserted', 'peer-upserted', 'completed', 'peer-upserted', 'peer-removed'],
      );

      const replica = registry();
      for (const e of events) replica.applyEvent(e);
      for (const t of [1, 2]) assert.deepEqual(scrape(replica, t), scrape(source, t));
      assert.deepEqual({ ...replica.totalsView, downloadedInSession: 1 }, source.totalsView);
    });
    it('expires a replayed peer by the time it was announced at the source, not when replayed', () => {
      const source = registry();
      const events: SwarmEvent[] = [];
      source.setListener({ onSwarmEvent: (e) => events.push(e) });
      announce(source, anAnnounce().forTorrent(1).fromPeer(1).build(), T0);
      announce(source, anAnnounce().forTorrent(1).fromPeer(2).build(), T0 + 600_000);

      const replica = registry();
      announce(replica, anAnnounce().forTorrent(1).fromPeer(3).build(), T0 + 700_000);
      for (const e of events) replica.applyEvent(e);
      const later = T0 + TIMEOUT_S * 1000; // peer 1 (announced at T0) is due now
      const res = announce(replica, anAnnounce().forTorrent(1).fromPeer(4).build(), later);
      assert.deepEqual(peersOf(replica, res), [2, 3]);
    });
  });

  describe('list order under frequent announces', () => {
    it('expires exactly by the last announce, also for peers that announced again within a second', () => {
      const r = registry();
      announce(r, anAnnounce().fromPeer(1).build(), T0);
      announce(r, anAnnounce().fromPeer(2).build(), T0 + 100);
      announce(r, anAnnounce().fromPeer(1).build(), T0 + 900); // same second: stays first in line
      announce(r, anAnnounce().fromPeer(3).build(), T0 + 950);
      const timeout = TIMEOUT_S * 1000;
      // Peer 2 (last heard at T0 + 100) expires first, although peer 1 is ahead of it in line.
      let res = announce(r, anAnnounce().fromPeer(4).build(), T0 + 100 + timeout);
      assert.deepEqual(peersOf(r, res), [1, 3]);
      res = announce(r, anAnnounce().fromPeer(4).build(), T0 + 900 + timeout - 1);
      assert.deepEqual(peersOf(r, res), [1, 3]);
      res = announce(r, anAnnounce().fromPeer(4).build(), T0 + 900 + timeout);
      assert.deepEqual(peersOf(r, res), [3]);
      assert.equal(res.incomplete, 2);
    });
  });

  describe('against a simple model', () => {
    it('keeps counts, totals and peer sets equal to a Map-based model under random operations', () => {
      type Op = { torrent: number; peer: number; seeder: boolean; event: number; advance: number; v6: boolean };
      const op = fc.record({
        torrent: fc.integer({ min: 1, max: 6 }),
        peer: fc.integer({ min: 1, max: 40 }),
        seeder: fc.boolean(),
        event: fc.constantFrom(0, 1, 2, 3, 3),
        advance: fc.integer({ min: 0, max: 200 }),
        v6: fc.boolean(),
      });
      fc.assert(
        fc.property(fc.array(op, { minLength: 1, maxLength: 400 }), (ops: Op[]) => {
          const r = registry({ maxPeerTimeoutMs: 1_000 * 1000 });
          const model = new Map<number, Map<number, { seeder: boolean; updated: number; counted: boolean }>>();
          const completed = new Map<number, number>();
          let now = T0;
          for (const o of ops) {
            now += o.advance * 1000;
            const swarm = model.get(o.torrent) ?? new Map();
            model.set(o.torrent, swarm);
            for (const [p, v] of swarm) if (v.updated <= now - 1_000_000) swarm.delete(p);
            const b = anAnnounce()
              .forTorrent(o.torrent)
              .fromPeer(o.peer)
              .at(o.v6 ? `2001:db8::${o.peer}` : `10.0.0.${o.peer}`, 6881)
              .event(o.event as AnnounceEvent);
            if (o.seeder) b.seeding();
            const res = announce(r, b.build(), now, 1000);
            const known = swarm.get(o.peer);
            if (o.event === AnnounceEvent.Stopped) swarm.delete(o.peer);
            else {
              let counted = known?.counted ?? false;
              if (known && o.event === AnnounceEvent.Completed && !counted) {
                counted = true;
                completed.set(o.torrent, (completed.get(o.torrent) ?? 0) + 1);
              }
              swarm.set(o.peer, { seeder: o.seeder, updated: now, counted });
            }
            const seeders = [...swarm.values()].filter((v) => v.seeder).length;
            assert.equal(res.complete, seeders);
            assert.equal(res.incomplete, swarm.size - seeders);
            assert.equal(res.downloaded, completed.get(o.torrent) ?? 0);
            const expected = [...swarm.keys()].filter((p) => p !== o.peer).sort((a, b) => a - b);
            assert.deepEqual(peersOf(r, res), expected);
          }
          // Totals equal the sum over swarms after everything is expired or refreshed.
          r.cleanupStep(now, 0, 1000, false, false);
          let seeders = 0;
          let leechers = 0;
          for (const swarm of model.values()) {
            for (const [p, v] of swarm) if (v.updated <= now - 1_000_000) swarm.delete(p);
            for (const v of swarm.values()) {
              if (v.seeder) seeders++;
              else leechers++;
            }
          }
          assert.equal(r.totalsView.seeders, seeders);
          assert.equal(r.totalsView.leechers, leechers);
        }),
        { numRuns: 150 },
      );
    });

    it('keeps every peer findable after the tables outgrow plain buffers (in-place growth)', () => {
      const r = registry();
      const peers = 70_000; // 70,000 records of 64 bytes: well past the in-place threshold
      for (let p = 0; p < peers; p++) {
        announce(
          r,
          anAnnounce()
            .forTorrent(p % 1009)
            .fromPeer(p)
            .build(),
          T0,
          0,
        );
      }
      assert.equal(r.totalsView.leechers, peers);
      assert.equal(r.totalsView.torrents, 1009);
      for (let p = 0; p < peers; p += 997) {
        const res = announce(
          r,
          anAnnounce()
            .forTorrent(p % 1009)
            .fromPeer(p)
            .build(),
          T0 + 1,
          100,
        );
        assert.equal(res.incomplete, Math.ceil((peers - (p % 1009)) / 1009));
        assert.equal(res.peers.length, Math.min(100, res.incomplete - 1));
      }
      assert.equal(r.totalsView.leechers, peers, 'the re-announces found their peers');
    });

    it('stays consistent while the tables grow and shrink', () => {
      const r = registry();
      let now = T0;
      for (let round = 0; round < 3; round++) {
        for (let p = 0; p < 3000; p++) {
          announce(
            r,
            anAnnounce()
              .forTorrent(p % 97)
              .fromPeer(p)
              .build(),
            now,
            5,
          );
        }
        assert.equal(r.totalsView.leechers, 3000);
        assert.equal(r.totalsView.torrents, 97);
        for (let p = 0; p < 3000; p += 2)
          announce(
            r,
            anAnnounce()
              .forTorrent(p % 97)
              .fromPeer(p)
              .stopped()
              .build(),
            now,
            5,
          );
        assert.equal(r.totalsView.leechers, 1500);
        for (let p = 1; p < 3000; p += 2) {
          const t = r.findTorrent(infoHashOf(p % 97), 0);
          assert.ok(t >= 0);
          assert.ok(
            r.peerSlotsOf(t, now).some((s) => peerNumber(r, s) === p),
            `peer ${p} is findable`,
          );
        }
        now += 2_000_000;
        let next = 0;
        while (next >= 0) next = r.cleanupStep(now, next, 10, true, false);
        assert.equal(r.totalsView.torrents, 0);
        assert.equal(r.totalsView.leechers, 0);
      }
      assert.ok(peerIdOf(1).length === 20);
    });
  });
});
