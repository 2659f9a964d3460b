import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyCheck, StoppedClock, type AuthKeyQuery, type WhitelistQuery } from './ports.js';
import { SwarmRegistry } from './swarm-registry.js';
import { anAnnounce, infoHashOf, ipv4 } from './testing/announce-builder.js';
import { Admission, TrackerCore, isLoopback, type TrackerPolicy } from './tracker.js';
import { newSwarmMetadata } from './types.js';

const LISTED = infoHashOf(1);
const UNLISTED = infoHashOf(2);

const whitelist: WhitelistQuery = {
  isWhitelisted: (hash, off) => hash[off + 19] === 1,
};

/** Keys: "valid" forever, "old" expired at T0 - 1 s; everything else unknown. */
function keys(clock: StoppedClock): AuthKeyQuery {
  const expiry = clock.nowMs() - 1000;
  return {
    check: (key, now) =>
      key === 'valid'
        ? KeyCheck.Valid
        : key === 'old'
          ? now > expiry
            ? KeyCheck.Expired
            : KeyCheck.Valid
          : KeyCheck.Unknown,
  };
}

function tracker(policy: Partial<TrackerPolicy> = {}) {
  const clock = new StoppedClock();
  const registry = new SwarmRegistry({ maxPeerTimeoutMs: 900_000, seed: 1 });
  const core = new TrackerCore(
    registry,
    {
      listed: false,
      private: false,
      checkKeysExpiration: true,
      interval: 120,
      intervalMin: 120,
      maxPeersPerAnnounce: 74,
      externalIp: null,
      ...policy,
    },
    clock,
    whitelist,
    keys(clock),
  );
  return { core, clock, registry };
}

describe('TrackerCore', () => {
  describe('in public mode', () => {
    it('admits any torrent without a key', () => {
      const { core } = tracker();
      assert.equal(core.admitAnnounce(UNLISTED, 0, null), Admission.Admitted);
      assert.equal(core.scrapeAllowed(null), true);
    });
  });

  describe('in listed mode', () => {
    it('admits a whitelisted torrent', () => {
      const { core } = tracker({ listed: true });
      assert.equal(core.admitAnnounce(LISTED, 0, null), Admission.Admitted);
    });

    it('refuses a torrent that is not whitelisted', () => {
      const { core } = tracker({ listed: true });
      assert.equal(core.admitAnnounce(UNLISTED, 0, null), Admission.NotWhitelisted);
    });

    it('scrapes a torrent that is not whitelisted as zeros', () => {
      const { core } = tracker({ listed: true });
      core.announce(anAnnounce().forTorrent(2).build());
      const m = newSwarmMetadata();
      core.scrape(UNLISTED, 0, true, m);
      assert.deepEqual(m, { complete: 0, incomplete: 0, downloaded: 0 });
    });
  });

  describe('in private mode', () => {
    it('refuses an announce without a key', () => {
      const { core } = tracker({ private: true });
      assert.equal(core.admitAnnounce(LISTED, 0, null), Admission.KeyMissing);
    });

    it('refuses an unknown key', () => {
      const { core } = tracker({ private: true });
      assert.equal(core.admitAnnounce(LISTED, 0, 'nope'), Admission.KeyUnknown);
    });

    it('refuses an expired key', () => {
      const { core } = tracker({ private: true });
      assert.equal(core.admitAnnounce(LISTED, 0, 'old'), Admission.KeyExpired);
    });

    it('accepts an expired key when check_keys_expiration is false', () => {
      const { core } = tracker({ private: true, checkKeysExpiration: false });
      assert.equal(core.admitAnnounce(LISTED, 0, 'old'), Admission.Admitted);
    });

    it('admits a valid key', () => {
      const { core } = tracker({ private: true });
      assert.equal(core.admitAnnounce(UNLISTED, 0, 'valid'), Admission.Admitted);
    });

    it('lets a scrape see real numbers only with a valid key', () => {
      const { core } = tracker({ private: true });
      core.announce(anAnnounce().forTorrent(1).build());
      const m = newSwarmMetadata();
      core.scrape(LISTED, 0, core.scrapeAllowed(null), m);
      assert.deepEqual(m, { complete: 0, incomplete: 0, downloaded: 0 });
      core.scrape(LISTED, 0, core.scrapeAllowed('old'), m);
      assert.equal(m.incomplete, 0);
      core.scrape(LISTED, 0, core.scrapeAllowed('valid'), m);
      assert.equal(m.incomplete, 1);
    });
  });

  describe('in private listed mode', () => {
    it('checks the key before the whitelist', () => {
      const { core } = tracker({ private: true, listed: true });
      assert.equal(core.admitAnnounce(UNLISTED, 0, null), Admission.KeyMissing);
      assert.equal(core.admitAnnounce(UNLISTED, 0, 'valid'), Admission.NotWhitelisted);
      assert.equal(core.admitAnnounce(LISTED, 0, 'valid'), Admission.Admitted);
    });
  });

  describe('peer limit', () => {
    function swarmOf(n: number, policy: Partial<TrackerPolicy> = {}) {
      const t = tracker(policy);
      for (let p = 1; p <= n; p++) t.core.announce(anAnnounce().fromPeer(p).build());
      return t;
    }

    it('answers min(numwant, 74) peers', () => {
      const { core } = swarmOf(100);
      assert.equal(core.announce(anAnnounce().fromPeer(500).wanting(10).build()).peerCount, 10);
      assert.equal(core.announce(anAnnounce().fromPeer(500).wanting(200).build()).peerCount, 74);
    });

    it('answers 74 peers when numwant is absent or 0', () => {
      const { core } = swarmOf(100);
      assert.equal(core.announce(anAnnounce().fromPeer(500).wanting(0).build()).peerCount, 74);
    });

    it('honours max_peers_per_announce', () => {
      const { core } = swarmOf(100, { maxPeersPerAnnounce: 30 });
      assert.equal(core.announce(anAnnounce().fromPeer(500).build()).peerCount, 30);
    });
  });

  describe('external_ip', () => {
    it('replaces a loopback peer address when configured', () => {
      const { core, registry } = tracker({ externalIp: { bytes: ipv4('203.0.113.7'), family: 4 } });
      core.announce(anAnnounce().fromPeer(1).at('127.0.0.1').build());
      const res = core.announce(anAnnounce().fromPeer(2).at('10.1.1.1').build());
      assert.deepEqual(Array.from(registry.peerAddressView(res.peers[0])), [203, 0, 113, 7]);
    });

    it('replaces an IPv6 loopback address with an IPv4 external address', () => {
      const { core, registry } = tracker({ externalIp: { bytes: ipv4('203.0.113.7'), family: 4 } });
      core.announce(anAnnounce().fromPeer(1).at('::1').build());
      const res = core.announce(anAnnounce().fromPeer(2).at('10.1.1.1').build());
      assert.equal(registry.peerFamily(res.peers[0]), 4);
    });

    it('keeps other addresses', () => {
      const { core, registry } = tracker({ externalIp: { bytes: ipv4('203.0.113.7'), family: 4 } });
      core.announce(anAnnounce().fromPeer(1).at('192.0.2.1').build());
      const res = core.announce(anAnnounce().fromPeer(2).at('10.1.1.1').build());
      assert.deepEqual(Array.from(registry.peerAddressView(res.peers[0])), [192, 0, 2, 1]);
    });

    it('keeps loopback addresses when not configured, so loopback swarms work', () => {
      const { core, registry } = tracker();
      core.announce(anAnnounce().fromPeer(1).at('127.0.0.2', 51413).build());
      const res = core.announce(anAnnounce().fromPeer(2).at('127.0.0.3', 51413).build());
      assert.deepEqual(Array.from(registry.peerAddressView(res.peers[0])), [127, 0, 0, 2]);
    });
  });

  describe('isLoopback', () => {
    it('knows 127.0.0.0/8 and ::1', () => {
      assert.equal(isLoopback(ipv4('127.0.0.1'), 0, 4), true);
      assert.equal(isLoopback(ipv4('127.255.0.9'), 0, 4), true);
      assert.equal(isLoopback(ipv4('128.0.0.1'), 0, 4), false);
      const v6 = new Uint8Array(16);
      v6[15] = 1;
      assert.equal(isLoopback(v6, 0, 6), true);
      v6[0] = 0x20;
      assert.equal(isLoopback(v6, 0, 6), false);
    });
  });

  describe('time', () => {
    it('uses the injected clock for expiry', () => {
      const { core, clock } = tracker();
      core.announce(anAnnounce().fromPeer(1).build());
      clock.advanceSeconds(900);
      const res = core.announce(anAnnounce().fromPeer(2).build());
      assert.equal(res.peerCount, 0);
      assert.equal(res.incomplete, 1);
    });
  });
});
