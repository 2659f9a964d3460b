/**
 * StatsQuery: the figures of `GET /api/v1/stats`, read when asked and cheap at any size: the
 * torrent totals come from the registry's incrementally kept totals (no walk over swarms), the
 * protocol counters from the one TrackerCounters object, the ban gauge from the stats module's view of the UDP ban list.
 *
 * `completed_in_session` counts the downloads this process saw (the registry keeps it; loaded
 * counts are not included); `completed_persisted` is the whole total when
 * persistence is on (every count in memory is then written behind), else 0.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { CoreConfig } from '../../../config/configuration.js';
import { CORE_CONFIG } from '../../../config/config.tokens.js';
import { SwarmRegistry } from '../../../core/domain/swarm-registry.js';
import { averageNs, TrackerCounters } from '../../../stats/tracker-counters.js';
import { UdpBanGauge } from '../../../stats/udp-ban-gauge.js';
import { STATS_FIELDS, type StatsDto } from './dto/stats.dto.js';

@Injectable()
export class StatsQuery {
  private readonly persisted: boolean;

  constructor(
    private readonly registry: SwarmRegistry,
    private readonly counters: TrackerCounters,
    private readonly bans: UdpBanGauge,
    @Inject(CORE_CONFIG) core: CoreConfig,
  ) {
    this.persisted = core.trackerPolicy.persistentTorrentCompletedStat;
  }

  stats(): StatsDto {
    const totals = this.registry.totalsView;
    const c = this.counters;
    return {
      torrents: totals.torrents,
      seeders: totals.seeders,
      completed: totals.downloaded,
      completed_in_session: totals.downloadedInSession,
      completed_persisted: this.persisted ? totals.downloaded : 0,
      completed_persisted_enabled: this.persisted,
      leechers: totals.leechers,
      tcp4_connections_handled: c.tcp4_connections_handled,
      tcp4_announces_handled: c.tcp4_announces_handled,
      tcp4_scrapes_handled: c.tcp4_scrapes_handled,
      tcp6_connections_handled: c.tcp6_connections_handled,
      tcp6_announces_handled: c.tcp6_announces_handled,
      tcp6_scrapes_handled: c.tcp6_scrapes_handled,
      udp_requests_discarded: c.udp_requests_discarded,
      udp_requests_aborted: c.udp_requests_aborted,
      udp_requests_banned: c.udp_requests_banned,
      udp_banned_ips_total: this.bans.trackedIps,
      udp_avg_connect_processing_time_ns: averageNs(c.udpConnectTime),
      udp_avg_announce_processing_time_ns: averageNs(c.udpAnnounceTime),
      udp_avg_scrape_processing_time_ns: averageNs(c.udpScrapeTime),
      udp4_requests: c.udp4_requests,
      udp4_connections_handled: c.udp4_connections_handled,
      udp4_announces_handled: c.udp4_announces_handled,
      udp4_scrapes_handled: c.udp4_scrapes_handled,
      udp4_responses: c.udp4_responses,
      udp4_errors_handled: c.udp4_errors_handled,
      udp6_requests: c.udp6_requests,
      udp6_connections_handled: c.udp6_connections_handled,
      udp6_announces_handled: c.udp6_announces_handled,
      udp6_scrapes_handled: c.udp6_scrapes_handled,
      udp6_responses: c.udp6_responses,
      udp6_errors_handled: c.udp6_errors_handled,
    };
  }
}

/** Prometheus text of the stats: `name value` lines joined by `\n` (booleans as 1/0), as Torrust. */
export function statsAsPrometheus(stats: StatsDto): string {
  return STATS_FIELDS.map((name) => {
    const value = stats[name];
    return `${name} ${typeof value === 'boolean' ? (value ? 1 : 0) : value}`;
  }).join('\n');
}
