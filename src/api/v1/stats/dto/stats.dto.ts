/**
 * The body of `GET /api/v1/stats`: Torrust's 16 v3.0.0 fields plus the newer-develop ones, in
 * Torrust's order (the JSON key order and the Prometheus line order). All non-negative
 * integers except `completed_persisted_enabled`. Meanings: docs in stats.md / the README.
 */
import { ApiProperty } from '@nestjs/swagger';

export class StatsDto {
  @ApiProperty({
    description: 'Torrents in memory (including peerless ones not yet removed).',
    type: 'integer',
    minimum: 0,
  })
  torrents!: number;

  @ApiProperty({ description: 'Seeders over all torrents.', type: 'integer', minimum: 0 })
  seeders!: number;

  @ApiProperty({
    description:
      'Completed downloads over all torrents in memory (deprecated: see completed_in_session and completed_persisted).',
    type: 'integer',
    minimum: 0,
  })
  completed!: number;

  @ApiProperty({ description: 'Completed downloads observed since this process started.', type: 'integer', minimum: 0 })
  completed_in_session!: number;

  @ApiProperty({
    description: 'Completed downloads kept in the database (0 when persistent_torrent_completed_stat is off).',
    type: 'integer',
    minimum: 0,
  })
  completed_persisted!: number;

  @ApiProperty({
    description: 'Whether completed counts are persisted (persistent_torrent_completed_stat).',
    type: Boolean,
  })
  completed_persisted_enabled!: boolean;

  @ApiProperty({ description: 'Leechers over all torrents.', type: 'integer', minimum: 0 })
  leechers!: number;

  @ApiProperty({
    description: 'HTTP tracker announces and scrapes handled from IPv4 clients.',
    type: 'integer',
    minimum: 0,
  })
  tcp4_connections_handled!: number;

  @ApiProperty({ description: 'HTTP tracker announces handled from IPv4 clients.', type: 'integer', minimum: 0 })
  tcp4_announces_handled!: number;

  @ApiProperty({ description: 'HTTP tracker scrapes handled from IPv4 clients.', type: 'integer', minimum: 0 })
  tcp4_scrapes_handled!: number;

  @ApiProperty({
    description: 'HTTP tracker announces and scrapes handled from IPv6 clients.',
    type: 'integer',
    minimum: 0,
  })
  tcp6_connections_handled!: number;

  @ApiProperty({ description: 'HTTP tracker announces handled from IPv6 clients.', type: 'integer', minimum: 0 })
  tcp6_announces_handled!: number;

  @ApiProperty({ description: 'HTTP tracker scrapes handled from IPv6 clients.', type: 'integer', minimum: 0 })
  tcp6_scrapes_handled!: number;

  @ApiProperty({
    description: 'UDP datagrams dropped before processing (e.g. source port 0).',
    type: 'integer',
    minimum: 0,
  })
  udp_requests_discarded!: number;

  @ApiProperty({ description: 'UDP requests aborted before they were answered.', type: 'integer', minimum: 0 })
  udp_requests_aborted!: number;

  @ApiProperty({ description: 'UDP datagrams dropped because the source IP is banned.', type: 'integer', minimum: 0 })
  udp_requests_banned!: number;

  @ApiProperty({
    description: 'IPs currently tracked for connection-id errors (reset with the bans).',
    type: 'integer',
    minimum: 0,
  })
  udp_banned_ips_total!: number;

  @ApiProperty({ description: 'Average time to handle a UDP connect, nanoseconds.', type: 'integer', minimum: 0 })
  udp_avg_connect_processing_time_ns!: number;

  @ApiProperty({ description: 'Average time to handle a UDP announce, nanoseconds.', type: 'integer', minimum: 0 })
  udp_avg_announce_processing_time_ns!: number;

  @ApiProperty({ description: 'Average time to handle a UDP scrape, nanoseconds.', type: 'integer', minimum: 0 })
  udp_avg_scrape_processing_time_ns!: number;

  @ApiProperty({ description: 'UDP datagrams received from IPv4 clients.', type: 'integer', minimum: 0 })
  udp4_requests!: number;

  @ApiProperty({ description: 'UDP connect requests answered, IPv4.', type: 'integer', minimum: 0 })
  udp4_connections_handled!: number;

  @ApiProperty({ description: 'UDP announces answered, IPv4.', type: 'integer', minimum: 0 })
  udp4_announces_handled!: number;

  @ApiProperty({ description: 'UDP scrapes answered, IPv4.', type: 'integer', minimum: 0 })
  udp4_scrapes_handled!: number;

  @ApiProperty({ description: 'UDP responses sent to IPv4 clients (errors included).', type: 'integer', minimum: 0 })
  udp4_responses!: number;

  @ApiProperty({ description: 'UDP error responses produced for IPv4 clients.', type: 'integer', minimum: 0 })
  udp4_errors_handled!: number;

  @ApiProperty({ description: 'UDP datagrams received from IPv6 clients.', type: 'integer', minimum: 0 })
  udp6_requests!: number;

  @ApiProperty({ description: 'UDP connect requests answered, IPv6.', type: 'integer', minimum: 0 })
  udp6_connections_handled!: number;

  @ApiProperty({ description: 'UDP announces answered, IPv6.', type: 'integer', minimum: 0 })
  udp6_announces_handled!: number;

  @ApiProperty({ description: 'UDP scrapes answered, IPv6.', type: 'integer', minimum: 0 })
  udp6_scrapes_handled!: number;

  @ApiProperty({ description: 'UDP responses sent to IPv6 clients (errors included).', type: 'integer', minimum: 0 })
  udp6_responses!: number;

  @ApiProperty({ description: 'UDP error responses produced for IPv6 clients.', type: 'integer', minimum: 0 })
  udp6_errors_handled!: number;
}

/** The field names in answer order. */
export const STATS_FIELDS = [
  'torrents',
  'seeders',
  'completed',
  'completed_in_session',
  'completed_persisted',
  'completed_persisted_enabled',
  'leechers',
  'tcp4_connections_handled',
  'tcp4_announces_handled',
  'tcp4_scrapes_handled',
  'tcp6_connections_handled',
  'tcp6_announces_handled',
  'tcp6_scrapes_handled',
  'udp_requests_discarded',
  'udp_requests_aborted',
  'udp_requests_banned',
  'udp_banned_ips_total',
  'udp_avg_connect_processing_time_ns',
  'udp_avg_announce_processing_time_ns',
  'udp_avg_scrape_processing_time_ns',
  'udp4_requests',
  'udp4_connections_handled',
  'udp4_announces_handled',
  'udp4_scrapes_handled',
  'udp4_responses',
  'udp4_errors_handled',
  'udp6_requests',
  'udp6_connections_handled',
  'udp6_announces_handled',
  'udp6_scrapes_handled',
  'udp6_responses',
  'udp6_errors_handled',
] as const satisfies readonly (keyof StatsDto)[];
