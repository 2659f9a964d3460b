import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { StoppedClock } from '../../../core/domain/ports.js';
import { SwarmRegistry } from '../../../core/domain/swarm-registry.js';
import { anAnnounce, infoHashOf } from '../../../core/domain/testing/announce-builder.js';
import type { AnnounceInput } from '../../../core/domain/types.js';
import { TorrentsQuery } from './torrents.query.js';

const hex = (n: number) => Buffer.from(infoHashOf(n)).toString('hex');

describe('TorrentsQuery', () => {
  let clock: StoppedClock;
  let registry: SwarmRegistry;
  let query: TorrentsQuery;
  const announce = (input: AnnounceInput) => registry.announce(input, clock.nowMs(), 74, false);

  beforeEach(() => {
    clock = new StoppedClock(Date.UTC(2026, 0, 1));
    registry = new SwarmRegistry({ maxPeerTimeoutMs: 900_000, seed: 7 });
    query = new TorrentsQuery(registry, clock);
  });

  describe('torrent()', () => {
    it('answers null for an unknown torrent', () => {
      assert.equal(query.torrent(hex(1)), null);
    });

    it('lists every peer ascending by peer id with Torrust field formats', () => {
      announce(anAnnounce().forTorrent(1).fromPeer(2).at('2001:db8::1', 51413).seeding().started().build());
      clock.advanceSeconds(1);
      const leecher = anAnnounce().forTorrent(1).fromPeer(1).at('192.168.1.88', 17548).leeching(500).build();
      leecher.uploaded = 10;
      leecher.downloaded = 20;
      announce(leecher);
      const t = query.torrent(hex(1));
      assert.ok(t);
      assert.deepEqual(Object.keys(t), ['info_hash', 'seeders', 'completed', 'leechers', 'peers']);
      assert.deepEqual([t.info_hash, t.seeders, t.completed, t.leechers], [hex(1), 1, 0, 1]);
      assert.deepEqual(t.peers, [
        {
          peer_id: { id: '0x2d5453303030312d000000000000000000000001', client: 'TorrentStorm' },
          peer_addr: '192.168.1.88:17548',
          updated: Date.UTC(2026, 0, 1) + 1000,
          updated_milliseconds_ago: Date.UTC(2026, 0, 1) + 1000,
          uploaded: 10,
          downloaded: 20,
          left: 500,
          event: 'None',
        },
        {
          peer_id: { id: '0x2d5453303030312d000000000000000000000002', client: 'TorrentStorm' },
          peer_addr: '[2001:db8::1]:51413',
          updated: Date.UTC(2026, 0, 1),
          updated_milliseconds_ago: Date.UTC(2026, 0, 1),
          uploaded: 0,
          downloaded: 0,
          left: 0,
          event: 'Started',
        },
      ]);
    });

    it('leaves out expired peers', () => {
      announce(anAnnounce().forTorrent(1).fromPeer(1).build());
      clock.advanceSeconds(901);
      const t = query.torrent(hex(1));
      assert.deepEqual([t?.leechers, t?.peers.length], [0, 0]);
    });
  });

  describe('list()', () => {
    beforeEach(() => {
      for (const n of [5, 3, 9, 1]) announce(anAnnounce().forTorrent(n).fromPeer(n).build());
    });

    it('pages through torrents in info-hash order', () => {
      const all = query.list({ offset: 0, limit: 4000, infoHashes: [] });
      assert.deepEqual(
        all.map((t) => t.info_hash),
        [1, 3, 5, 9].map(hex),
      );
      assert.deepEqual(Object.keys(all[0]), ['info_hash', 'seeders', 'completed', 'leechers']);
      assert.deepEqual(
        query.list({ offset: 1, limit: 2, infoHashes: [] }).map((t) => t.info_hash),
        [3, 5].map(hex),
      );
      assert.deepEqual(query.list({ offset: 4, limit: 10, infoHashes: [] }), []);
      assert.deepEqual(query.list({ offset: 0, limit: 0, infoHashes: [] }), []);
    });

    it('answers the listed hashes in request order, unknown left out, duplicates kept, paging ignored', () => {
      const got = query.list({ offset: 3, limit: 1, infoHashes: [hex(9), hex(2), hex(1), hex(9)] });
      assert.deepEqual(
        got.map((t) => t.info_hash),
        [hex(9), hex(1), hex(9)],
      );
      assert.deepEqual(got[0], { info_hash: hex(9), seeders: 0, completed: 0, leechers: 1 });
    });
  });
});
