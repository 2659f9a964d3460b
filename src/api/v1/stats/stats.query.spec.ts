import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreConfig } from '../../../config/configuration.js';
import { SwarmRegistry } from '../../../core/domain/swarm-registry.js';
import { anAnnounce, infoHashOf } from '../../../core/domain/testing/announce-builder.js';
import { TrackerCounters } from '../../../stats/tracker-counters.js';
import { IpBans } from '../../../udp-tracker/ip-bans.js';
import { UdpBanGauge } from '../../../stats/udp-ban-gauge.js';
import { STATS_FIELDS } from './dto/stats.dto.js';
import { StatsQuery, statsAsPrometheus } from './stats.query.js';

const NOW = Date.UTC(2026, 0, 1);

function setup(persisted: boolean) {
  const registry = new SwarmRegistry({ maxPeerTimeoutMs: 900_000, seed: 1 });
  const counters = new TrackerCounters();
  const bans = new IpBans(10);
  const core = { trackerPolicy: { persistentTorrentCompletedStat: persisted } } as CoreConfig;
  const gauge = new UdpBanGauge();
  gauge.attach(bans);
  const query = new StatsQuery(registry, counters, gauge, core);
  return { registry, counters, bans, query };
}

describe('StatsQuery', () => {
  it('answers every field, in Torrust order, all zero at first', () => {
    const { query } = setup(false);
    const stats = query.stats();
    assert.deepEqual(Object.keys(stats), [...STATS_FIELDS]);
    for (const [name, value] of Object.entries(stats)) {
      assert.equal(value, name === 'completed_persisted_enabled' ? false : 0, name);
    }
  });

  it('reads torrent totals, counters, averages and the ban gauge', () => {
    const { registry, counters, bans, query } = setup(false);
    registry.announce(anAnnounce().forTorrent(1).fromPeer(1).seeding().build(), NOW, 74, false);
    registry.announce(anAnnounce().forTorrent(1).fromPeer(2).build(), NOW, 74, false);
    registry.announce(anAnnounce().forTorrent(2).fromPeer(3).build(), NOW, 74, false);
    registry.announce(anAnnounce().forTorrent(2).fromPeer(3).seeding().completed().build(), NOW, 74, false);
    counters.tcp4_announces_handled = 4;
    counters.udp6_errors_handled = 2;
    counters.udpAnnounceTime.count = 2;
    counters.udpAnnounceTime.totalNs = 3001;
    bans.recordError('10.0.0.1');
    const s = query.stats();
    assert.deepEqual(
      [s.torrents, s.seeders, s.leechers, s.completed, s.completed_in_session, s.completed_persisted],
      [2, 2, 1, 1, 1, 0],
    );
    assert.equal(s.tcp4_announces_handled, 4);
    assert.equal(s.udp6_errors_handled, 2);
    assert.equal(s.udp_avg_announce_processing_time_ns, 1501);
    assert.equal(s.udp_banned_ips_total, 1);
  });

  it('splits completed into persisted and in-session counts when persistence is on', () => {
    const { registry, query } = setup(true);
    registry.loadDownloads(infoHashOf(1), 0, 5);
    registry.announce(anAnnounce().forTorrent(1).fromPeer(1).build(), NOW, 74, false);
    registry.announce(anAnnounce().forTorrent(1).fromPeer(1).completed().build(), NOW, 74, false);
    const s = query.stats();
    assert.deepEqual(
      [s.completed, s.completed_in_session, s.completed_persisted, s.completed_persisted_enabled],
      [6, 1, 6, true],
    );
  });

  it('renders Prometheus text: one `name value` line per field, booleans as 1/0, no trailing newline', () => {
    const { query } = setup(true);
    const text = statsAsPrometheus(query.stats());
    const lines = text.split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ')[0]),
      [...STATS_FIELDS],
    );
    assert.ok(lines.includes('completed_persisted_enabled 1'));
    assert.ok(lines.includes('torrents 0'));
  });
});
