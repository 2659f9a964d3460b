/**
 * Full transfers between real BitTorrent clients (libtorrent-rasterbar and aria2) that meet only
 * through our tracker, a child process as an operator runs it: HTTP and UDP announces over IPv4
 * and IPv6 ([::1]), and a swarm of one seeder and six leechers after which the scrape, the
 * torrent's API entry and the API statistics must match what happened.
 *
 * Needs the Debian packages of test/clients/install-clients.sh; skips loudly without them.
 * Not part of `npm test`: run `npm run test:clients`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiStats, apiTorrent, scrape } from './support/api.js';
import { clientsSkipReason } from './support/clients.js';
import type { ClientKind, Peer } from './support/peers.js';
import { AddressPool, Scenario } from './support/scenario.js';
import { startTracker, type TrackerProcess } from './support/tracker-process.js';
import { waitFor } from './support/wait.js';

const skip = clientsSkipReason();
const pool = new AddressPool('127.0.1');
const SCENARIO_TIMEOUT = 90_000;

interface PairCase {
  title: string;
  announce: (t: TrackerProcess) => string;
  seeder: ClientKind;
  leecher: ClientKind;
  /** Both clients on [::1] (the only IPv6 loopback address) instead of their own 127.x.y.z. */
  ipv6?: boolean;
  /** aria2 speaks UDP tracker only through its DHT socket: the BEP 27 flag keeps DHT unused. */
  private?: boolean;
}

const PAIRS: PairCase[] = [
  {
    title: 'HTTP, IPv4: libtorrent seeds, aria2 downloads',
    announce: (t) => `${t.http4}/announce`,
    seeder: 'libtorrent',
    leecher: 'aria2',
  },
  {
    title: 'HTTP, IPv4: aria2 seeds, libtorrent downloads',
    announce: (t) => `${t.http4}/announce`,
    seeder: 'aria2',
    leecher: 'libtorrent',
  },
  {
    title: 'UDP, IPv4: libtorrent seeds, libtorrent downloads',
    announce: (t) => `${t.udp4}/announce`,
    seeder: 'libtorrent',
    leecher: 'libtorrent',
  },
  {
    title: 'UDP, IPv4: libtorrent seeds, aria2 downloads (private-flagged torrent)',
    announce: (t) => `${t.udp4}/announce`,
    seeder: 'libtorrent',
    leecher: 'aria2',
    private: true,
  },
  {
    title: 'HTTP, IPv6 [::1]: libtorrent seeds, aria2 downloads',
    announce: (t) => `${t.http6}/announce`,
    seeder: 'libtorrent',
    leecher: 'aria2',
    ipv6: true,
  },
  {
    title: 'HTTP, IPv6 [::1]: aria2 seeds, libtorrent downloads',
    announce: (t) => `${t.http6}/announce`,
    seeder: 'aria2',
    leecher: 'libtorrent',
    ipv6: true,
  },
  {
    title: 'UDP, IPv6 [::1]: libtorrent seeds, libtorrent downloads',
    announce: (t) => `${t.udp6}/announce`,
    seeder: 'libtorrent',
    leecher: 'libtorrent',
    ipv6: true,
  },
];

/**
 * The seeder announces and is listed; the leecher announces, gets the seeder's address from the
 * tracker, downloads and checks the file; afterwards the tracker lists two seeders, one completed.
 */
async function transferPair(s: Scenario, c: PairCase): Promise<void> {
  const torrent = s.torrent(c.title.replace(/\W+/g, '-').toLowerCase(), { private: c.private });
  const torrentFile = s.torrentFile(torrent, c.announce(s.tracker));
  const address = c.ipv6 ? '::1' : undefined;
  const udpTracker = c.announce(s.tracker).startsWith('udp:');
  const seeder = await s.start(c.seeder, 'seeder', { torrent, torrentFile, address, udpTracker, seed: true });
  await s.registered(torrent, seeder);
  const leecher = await s.start(c.leecher, 'leecher', { torrent, torrentFile, address, udpTracker });
  await s.transferred(torrent, leecher);
  const swarm = await s.registered(torrent, leecher, 'seeder');
  assert.deepEqual(
    { seeders: swarm.seeders, leechers: swarm.leechers, completed: swarm.completed },
    { seeders: 2, leechers: 0, completed: 1 },
  );
  assert.deepEqual(swarm.peers.map((p) => p.peer_addr).sort(), [seeder.peerAddr, leecher.peerAddr].sort());
}

describe('real clients transfer a file through the public tracker', () => {
  let tracker: TrackerProcess;
  before(async () => {
    if (!skip) tracker = await startTracker();
  });
  after(() => tracker?.stop());

  for (const c of PAIRS) {
    it(c.title, { skip, timeout: SCENARIO_TIMEOUT }, () => Scenario.run(tracker, pool, (s) => transferPair(s, c)));
  }
});

describe('a swarm of one seeder and six leechers, then scrape and API agree', () => {
  let tracker: TrackerProcess;
  before(async () => {
    if (!skip) tracker = await startTracker();
  });
  after(() => tracker?.stop());

  it('every leecher completes; completed = 6, seeders = 7, leechers = 0', { skip, timeout: 150_000 }, () =>
    Scenario.run(tracker, pool, async (s) => {
      const torrent = s.torrent('swarm');
      const http = s.torrentFile(torrent, `${tracker.http4}/announce`);
      const udp = s.torrentFile(torrent, `${tracker.udp4}/announce`);
      const seeder = await s.libtorrent('seeder', { torrent, torrentFile: http, seed: true });
      await s.registered(torrent, seeder);
      // HTTP and UDP announces of the same info hash meet in one swarm.
      const leechers: Peer[] = await Promise.all([
        s.libtorrent('leecher 1 (HTTP)', { torrent, torrentFile: http }),
        s.libtorrent('leecher 2 (HTTP)', { torrent, torrentFile: http }),
        s.libtorrent('leecher 3 (UDP)', { torrent, torrentFile: udp }),
        s.libtorrent('leecher 4 (UDP)', { torrent, torrentFile: udp }),
        s.aria2('leecher 5 (HTTP)', { torrent, torrentFile: http }),
        s.aria2('leecher 6 (HTTP)', { torrent, torrentFile: http }),
      ]);
      await Promise.all(leechers.map((l) => s.transferred(torrent, l, 90_000)));

      const everyone = [seeder, ...leechers].map((p) => p.peerAddr).sort();
      const api = await waitFor(
        async () => {
          const t = await apiTorrent(tracker, torrent.infoHashHex);
          return t && t.completed === 6 && t.seeders === 7 ? t : undefined;
        },
        'the API to count 6 completed downloads and 7 seeders',
        20_000,
      );
      assert.equal(api.info_hash, torrent.infoHashHex);
      assert.equal(api.leechers, 0);
      assert.deepEqual(api.peers.map((p) => p.peer_addr).sort(), everyone, 'every client at its own address');
      assert.ok(
        api.peers.every((p) => p.left === 0),
        'every peer announced left=0',
      );

      assert.deepEqual(await scrape(tracker.http4, torrent.infoHash), { complete: 7, downloaded: 6, incomplete: 0 });
      assert.deepEqual(await scrape(tracker.http6, torrent.infoHash), { complete: 7, downloaded: 6, incomplete: 0 });

      const stats = await apiStats(tracker);
      assert.equal(stats.torrents, 1);
      assert.equal(stats.seeders, 7);
      assert.equal(stats.leechers, 0);
      assert.equal(stats.completed, 6);
      // started (7) + completed (6) at least; UDP: the two UDP leechers' started and completed.
      assert.ok(stats.tcp4_announces_handled + stats.udp4_announces_handled >= 13, JSON.stringify(stats));
      assert.ok(stats.udp4_announces_handled >= 4, JSON.stringify(stats));
      assert.ok(stats.udp4_connections_handled >= 2, JSON.stringify(stats));
      assert.ok(stats.tcp4_scrapes_handled >= 1, JSON.stringify(stats));
      assert.ok(stats.tcp6_scrapes_handled >= 1, JSON.stringify(stats));
    }),
  );
});
