/**
 * Access control with real BitTorrent clients (libtorrent-rasterbar and aria2):
 *
 * - private mode: a key made through the REST API, announced as `/announce/{key}` in a torrent
 *   with the private flag, lets the clients transfer; a key deleted through the API gets the
 *   failure reason and the client never finds the seeder;
 * - listed mode: a torrent whitelisted through the REST API transfers (HTTP and UDP); one that
 *   is not gets the failure reason on every client and protocol, and no peers.
 *
 * Needs the Debian packages of test/clients/install-clients.sh; skips loudly without them.
 * Not part of `npm test`: run `npm run test:clients`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiTorrent, deleteKey, generateKey, scrape, whitelist } from './support/api.js';
import { clientsSkipReason } from './support/clients.js';
import type { Aria2Peer, LibtorrentPeer } from './support/peers.js';
import { AddressPool, ANNOUNCE_TIMEOUT, Scenario } from './support/scenario.js';
import { startTracker, type TrackerProcess } from './support/tracker-process.js';
import { sleep } from './support/wait.js';

const skip = clientsSkipReason();
const pool = new AddressPool('127.0.2');
const SCENARIO_TIMEOUT = 90_000;
/** How long a refused client is watched for a peer it must never get (loopback connects in ms). */
const NO_PEER_WATCH = 3_000;

/** Waits for the libtorrent peer's tracker error and returns its failure text. */
async function ltTrackerError(peer: LibtorrentPeer): Promise<string> {
  const e = await peer.waitEvent((x) => x.t === 'tracker_error', 'a tracker error', ANNOUNCE_TIMEOUT);
  return `${String(e.error)}: ${String(e.reason)}`;
}

/** Waits until aria2's log shows `text` (the tracker's failure reason). */
async function aria2LogShows(peer: Aria2Peer, text: string): Promise<void> {
  const deadline = Date.now() + ANNOUNCE_TIMEOUT;
  while (!peer.logs().includes(text)) {
    if (Date.now() > deadline) throw new Error(`aria2 "${peer.name}" never logged "${text}"`);
    await sleep(50);
  }
}

/** The client never connected to anyone and has no byte of the payload. */
async function assertIsolated(peer: LibtorrentPeer | Aria2Peer): Promise<void> {
  if (peer.client === 'libtorrent') {
    const lt = peer as LibtorrentPeer;
    const connected = lt.events().filter((e) => e.t === 'log' && e.kind === 'peer_connect_alert');
    assert.deepEqual(connected, [], `${peer.name} connected to a peer`);
    const status = lt.lastStatus();
    assert.equal(status?.num_peers ?? 0, 0, `${peer.name}: peers`);
    assert.equal(status?.downloaded ?? 0, 0, `${peer.name}: bytes downloaded`);
    assert.ok(!lt.events().some((e) => e.t === 'finished'), `${peer.name} finished`);
  } else {
    const status = await (peer as Aria2Peer).status();
    assert.equal(status?.completedLength, '0', `${peer.name}: bytes downloaded`);
    assert.equal(status?.connections, '0', `${peer.name}: connections`);
    assert.doesNotMatch(peer.logs(), /handshake peerId=/, `${peer.name} shook hands with a peer`);
  }
}

describe('private tracker: keys from the REST API', () => {
  let tracker: TrackerProcess;
  before(async () => {
    if (!skip) tracker = await startTracker({ private: true });
  });
  after(() => tracker?.stop());

  it('a private torrent announcing /announce/{key} transfers', { skip, timeout: SCENARIO_TIMEOUT }, () =>
    Scenario.run(tracker, pool, async (s) => {
      const { key, valid_until, expiry_time } = await generateKey(tracker, 600);
      assert.match(key, /^[A-Za-z0-9]{32}$/);
      assert.ok(typeof valid_until === 'number' && valid_until > Date.now() / 1000, `valid_until ${valid_until}`);
      assert.equal(typeof expiry_time, 'string');

      const torrent = s.torrent('private', { private: true });
      const file = s.torrentFile(torrent, `${tracker.http4}/announce/${key}`);
      const seeder = await s.libtorrent('seeder', { torrent, torrentFile: file, seed: true });
      await s.registered(torrent, seeder);
      const leecher = await s.aria2('leecher', { torrent, torrentFile: file });
      await s.transferred(torrent, leecher);
      await s.registered(torrent, leecher, 'seeder');

      assert.deepEqual(await scrape(tracker.http4, torrent.infoHash, key), {
        complete: 2,
        downloaded: 1,
        incomplete: 0,
      });
      // Without a key a private tracker's scrape shows nothing (zeros), as Torrust's does.
      assert.deepEqual(await scrape(tracker.http4, torrent.infoHash), { complete: 0, downloaded: 0, incomplete: 0 });
    }),
  );

  it(
    'clients whose key was deleted get the failure reason and never find the seeder',
    { skip, timeout: SCENARIO_TIMEOUT },
    () =>
      Scenario.run(tracker, pool, async (s) => {
        const valid = await generateKey(tracker, 600);
        const deleted = await generateKey(tracker, 600);
        await deleteKey(tracker, deleted.key);

        const torrent = s.torrent('private-deleted-key', { private: true });
        const seederFile = s.torrentFile(torrent, `${tracker.http4}/announce/${valid.key}`);
        const refusedFile = s.torrentFile(torrent, `${tracker.http4}/announce/${deleted.key}`);
        const seeder = await s.libtorrent('seeder', { torrent, torrentFile: seederFile, seed: true });
        await s.registered(torrent, seeder);

        const lt = await s.libtorrent('leecher (deleted key)', { torrent, torrentFile: refusedFile });
        const aria2 = await s.aria2('leecher (deleted key)', { torrent, torrentFile: refusedFile });
        const reason = `Failed to read key: ${deleted.key}`;
        assert.match(await ltTrackerError(lt), new RegExp(reason));
        await aria2LogShows(aria2, reason);

        await sleep(NO_PEER_WATCH);
        await assertIsolated(lt);
        await assertIsolated(aria2);
        const swarm = await apiTorrent(tracker, torrent.infoHashHex);
        assert.deepEqual(
          swarm?.peers.map((p) => p.peer_addr),
          [seeder.peerAddr],
          'only the seeder is in the swarm',
        );
      }),
  );
});

describe('listed tracker: the whitelist of the REST API', () => {
  let tracker: TrackerProcess;
  before(async () => {
    if (!skip) tracker = await startTracker({ listed: true });
  });
  after(() => tracker?.stop());

  it('a whitelisted torrent transfers over HTTP and UDP', { skip, timeout: SCENARIO_TIMEOUT }, () =>
    Scenario.run(tracker, pool, async (s) => {
      const torrent = s.torrent('whitelisted');
      await whitelist(tracker, torrent.infoHashHex);
      const http = s.torrentFile(torrent, `${tracker.http4}/announce`);
      const udp = s.torrentFile(torrent, `${tracker.udp4}/announce`);
      const seeder = await s.libtorrent('seeder', { torrent, torrentFile: http, seed: true });
      await s.registered(torrent, seeder);
      const leechers = await Promise.all([
        s.aria2('leecher (HTTP)', { torrent, torrentFile: http }),
        s.libtorrent('leecher (UDP)', { torrent, torrentFile: udp }),
      ]);
      await Promise.all(leechers.map((l) => s.transferred(torrent, l)));
      for (const l of leechers) await s.registered(torrent, l, 'seeder');
      assert.deepEqual(await scrape(tracker.http4, torrent.infoHash), { complete: 3, downloaded: 2, incomplete: 0 });
    }),
  );

  it(
    'a torrent that is not whitelisted gets the failure reason and no peers',
    { skip, timeout: SCENARIO_TIMEOUT },
    () =>
      Scenario.run(tracker, pool, async (s) => {
        // Private-flagged only so that aria2 may use its UDP tracker client (see peers.ts).
        const torrent = s.torrent('not-whitelisted', { private: true });
        const http = s.torrentFile(torrent, `${tracker.http4}/announce`);
        const udp = s.torrentFile(torrent, `${tracker.udp4}/announce`);
        const reason = `The torrent: ${torrent.infoHashHex}, is not whitelisted`;

        const seeder = await s.libtorrent('seeder (HTTP)', { torrent, torrentFile: http, seed: true });
        const ltHttp = await s.libtorrent('leecher (HTTP)', { torrent, torrentFile: http });
        const ltUdp = await s.libtorrent('leecher (UDP)', { torrent, torrentFile: udp });
        const aria2Http = await s.aria2('leecher (HTTP)', { torrent, torrentFile: http });
        const aria2Udp = await s.aria2('leecher (UDP)', { torrent, torrentFile: udp, udpTracker: true });
        for (const p of [seeder, ltHttp]) assert.match(await ltTrackerError(p), new RegExp(reason));
        // libtorrent 2.0.8 loses the text of a UDP error (it reads it from the packet's start, whose
        // first byte is 0): only the kind of error can be checked; aria2 shows the text.
        assert.match(await ltTrackerError(ltUdp), /tracker sent a failure message/);
        await aria2LogShows(aria2Http, reason);
        await aria2LogShows(aria2Udp, reason);

        await sleep(NO_PEER_WATCH);
        for (const p of [ltHttp, ltUdp, aria2Http, aria2Udp]) await assertIsolated(p);
        assert.equal(await apiTorrent(tracker, torrent.infoHashHex), undefined, 'the tracker keeps no swarm');
      }),
  );
});
