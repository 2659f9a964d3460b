/**
 * TrackerCounters: the protocol counters of Torrust's `/api/v1/stats` (v3.0.0 fields plus the
 * newer UDP ones), as plain number fields named exactly like the JSON keys. The UDP and HTTP
 * handlers increment them directly (`counters.udp4_requests++`): no getters, no events, no
 * allocation. Readers (stats API, Prometheus) read them when asked.
 */

/** The time spent handling UDP requests of one kind, for the running average. */
export interface ProcessingTime {
  count: number;
  totalNs: number;
}

export class TrackerCounters {
  tcp4_connections_handled = 0;
  tcp4_announces_handled = 0;
  tcp4_scrapes_handled = 0;
  tcp6_connections_handled = 0;
  tcp6_announces_handled = 0;
  tcp6_scrapes_handled = 0;

  udp_requests_discarded = 0;
  udp_requests_aborted = 0;
  udp_requests_banned = 0;

  udp4_requests = 0;
  udp4_connections_handled = 0;
  udp4_announces_handled = 0;
  udp4_scrapes_handled = 0;
  udp4_responses = 0;
  udp4_errors_handled = 0;
  udp6_requests = 0;
  udp6_connections_handled = 0;
  udp6_announces_handled = 0;
  udp6_scrapes_handled = 0;
  udp6_responses = 0;
  udp6_errors_handled = 0;

  /** Announces and scrapes refused for a bad connection id (extension, not in Torrust's JSON). */
  udp_connection_id_errors = 0;
  /** HTTP tracker requests answered with a failure reason (extension, not in Torrust's JSON). */
  http_failures = 0;

  /** Sends that failed (counted, logged at warn with rate limiting). */
  udp_send_errors = 0;
  /** Datagrams whose handling failed unexpectedly (a bug): no reply, logged at error. */
  udp_handler_failures = 0;

  readonly udpConnectTime: ProcessingTime = { count: 0, totalNs: 0 };
  readonly udpAnnounceTime: ProcessingTime = { count: 0, totalNs: 0 };
  readonly udpScrapeTime: ProcessingTime = { count: 0, totalNs: 0 };
}

export function averageNs(time: ProcessingTime): number {
  return time.count === 0 ? 0 : Math.round(time.totalNs / time.count);
}
