/**
 * Secret masking for anything that prints the configuration: the effective configuration as a
 * plain JSON-able object in Torrust's snake_case TOML layout (for the startup log line, as
 * Torrust's `mask_secrets`), with API tokens, the UDP connection-id secret, the MySQL
 * password and what looks like a passkey in a forwarder URI replaced by `***`.
 */
import type { Configuration, SocketAddress, TlsConfig } from './configuration.js';

export const SECRET_MASK = '***';

/**
 * `mysql://user:secret@host:3306/db` → `mysql://user:***@host:3306/db`. Text without a
 * `scheme://user:password@` part (a SQLite path) is returned unchanged.
 */
export function maskUrlPassword(text: string): string {
  const start = text.indexOf('://');
  if (start < 0) return text;
  const at = text.lastIndexOf('@');
  if (at < start) return text;
  const userInfo = text.slice(start + 3, at);
  const colon = userInfo.indexOf(':');
  if (colon < 0) return text;
  return `${text.slice(0, start + 3)}${userInfo.slice(0, colon)}:${SECRET_MASK}${text.slice(at)}`;
}

/**
 * A forwarder URI for logs and the status API: the password of a `user:password@` part, every
 * query value (`?passkey=***`) and every path segment of 16 or more characters (Torrust's
 * `/announce/{key}`, `/{passkey}/announce`) become `***`. Text that is not a URL is returned as is.
 */
export function maskForwarderUri(text: string): string {
  const scheme = text.indexOf('://');
  if (scheme < 0) return text;
  const afterScheme = scheme + 3;
  let authorityEnd = text.slice(afterScheme).search(/[/?#]/);
  authorityEnd = authorityEnd < 0 ? text.length : afterScheme + authorityEnd;
  let authority = text.slice(afterScheme, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const colon = authority.indexOf(':');
    if (colon >= 0 && colon < at) authority = `${authority.slice(0, colon)}:${SECRET_MASK}${authority.slice(at)}`;
  }
  const rest = text.slice(authorityEnd);
  let pathEnd = rest.search(/[?#]/);
  pathEnd = pathEnd < 0 ? rest.length : pathEnd;
  const path = rest
    .slice(0, pathEnd)
    .split('/')
    .map((segment) => (segment.length >= 16 ? SECRET_MASK : segment))
    .join('/');
  let tail = rest.slice(pathEnd);
  if (tail.startsWith('?')) {
    const hash = tail.indexOf('#');
    const query = hash < 0 ? tail.slice(1) : tail.slice(1, hash);
    tail = `?${query
      .split('&')
      .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${SECRET_MASK}` : pair))
      .join('&')}${hash < 0 ? '' : tail.slice(hash)}`;
  }
  return `${text.slice(0, afterScheme)}${authority}${path}${tail}`;
}

/** The configuration as it would be written in TOML (snake_case keys), secrets masked. */
export function maskSecrets(config: Configuration): object {
  const { core } = config;
  const tls = (value: TlsConfig | null) =>
    value === null ? {} : { tsl_config: { ssl_cert_path: value.certPath, ssl_key_path: value.keyPath } };
  const address = (value: SocketAddress) => value.text;

  return {
    metadata: {
      app: config.metadata.app,
      purpose: config.metadata.purpose,
      schema_version: config.metadata.schemaVersion,
    },
    logging: { threshold: config.logging.threshold, style: config.logging.style },
    core: {
      inactive_peer_cleanup_interval: core.inactivePeerCleanupInterval,
      listed: core.listed,
      private: core.private,
      tracker_usage_statistics: core.trackerUsageStatistics,
      announce_policy: {
        interval: core.announcePolicy.interval,
        interval_min: core.announcePolicy.intervalMin,
        max_peers_per_announce: core.announcePolicy.maxPeersPerAnnounce,
      },
      database: {
        driver: core.database.driver,
        path: core.database.driver === 'mysql' ? maskUrlPassword(core.database.path) : core.database.path,
      },
      // No external_ip key when unset: reading this back gives the same configuration.
      net: {
        ...(core.net.externalIp === null ? {} : { external_ip: core.net.externalIp }),
        on_reverse_proxy: core.net.onReverseProxy,
        reverse_proxy_header: core.net.reverseProxyHeader,
      },
      ...(core.privateMode === null
        ? {}
        : { private_mode: { check_keys_expiration: core.privateMode.checkKeysExpiration } }),
      tracker_policy: {
        max_peer_timeout: core.trackerPolicy.maxPeerTimeout,
        persistent_torrent_completed_stat: core.trackerPolicy.persistentTorrentCompletedStat,
        remove_peerless_torrents: core.trackerPolicy.removePeerlessTorrents,
      },
    },
    udp_trackers: config.udpTrackers.map((udp) => ({
      bind_address: address(udp.bindAddress),
      cookie_lifetime: udp.cookieLifetime,
    })),
    udp_tracker_server: {
      // Empty means "random per process": nothing secret to hide, and worth seeing.
      connection_id_secret: config.udpTrackerServer.connectionIdSecret === '' ? '' : SECRET_MASK,
      max_connection_id_errors_per_ip: config.udpTrackerServer.maxConnectionIdErrorsPerIp,
      ip_bans_reset_interval_in_secs: config.udpTrackerServer.ipBansResetIntervalInSecs,
    },
    http_trackers: config.httpTrackers.map((http) => ({
      bind_address: address(http.bindAddress),
      ...tls(http.tls),
    })),
    ...(config.httpApi === null
      ? {}
      : {
          http_api: {
            bind_address: address(config.httpApi.bindAddress),
            ...tls(config.httpApi.tls),
            access_tokens: Object.fromEntries(
              Object.keys(config.httpApi.accessTokens).map((label) => [label, SECRET_MASK]),
            ),
            metrics_require_token: config.httpApi.metricsRequireToken,
          },
        }),
    health_check_api: { bind_address: address(config.healthCheckApi.bindAddress) },
    shutdown: {
      drain_delay_in_secs: config.shutdown.drainDelayInSecs,
      grace_period_in_secs: config.shutdown.gracePeriodInSecs,
    },
    forwarding: {
      workers: config.forwarding.workers,
      queue_size: config.forwarding.queueSize,
      timeout_in_secs: config.forwarding.timeoutInSecs,
      max_retries: config.forwarding.maxRetries,
      retry_base_delay_in_secs: config.forwarding.retryBaseDelayInSecs,
      retry_max_delay_in_secs: config.forwarding.retryMaxDelayInSecs,
      suspend_after_failures: config.forwarding.suspendAfterFailures,
      suspension_in_secs: config.forwarding.suspensionInSecs,
      max_suspension_in_secs: config.forwarding.maxSuspensionInSecs,
      ...(config.forwarding.forwardersFile === null ? {} : { forwarders_file: config.forwarding.forwardersFile }),
    },
    // Entries of forwarders_file are not repeated here: reading this back reads the file again.
    ...(config.forwarders.some((f) => !f.fromFile)
      ? {
          forwarders: config.forwarders
            .filter((f) => !f.fromFile)
            .map((f) => ({
              name: f.name,
              uri: maskForwarderUri(f.uri),
              ...(f.ip === null ? {} : { ip: f.ip }),
              ...(f.host === null ? {} : { host: f.host }),
            })),
        }
      : {}),
  };
}
