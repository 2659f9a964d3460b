/**
 * The tracker's configuration model: Torrust configuration schema 2.0.0 (tracker.toml), with
 * the few extensions this project adds (each marked "extension"). Field names here are
 * camelCase; the TOML keys are Torrust's snake_case names, given in the comment of each field.
 * The loader (loader.ts) turns a TOML document plus environment overrides into this shape,
 * or into a list of problems; nothing else in the application reads TOML or the environment.
 */

export type LogThreshold = 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
export type LogStyle = 'text' | 'json';
export type DatabaseDriver = 'sqlite3' | 'mysql';
/** Extension: the header a reverse proxy puts the client IP in. */
export type ReverseProxyHeader = 'x-forwarded-for' | 'x-real-ip';
export type ForwarderProtocol = 'http' | 'https' | 'udp';

/** An `ip:port` socket address as written in the file (`0.0.0.0:6969`, `[::]:6969`). */
export interface SocketAddress {
  /** IP literal without brackets: `0.0.0.0`, `::1`. */
  readonly host: string;
  /** 0 = let the operating system choose (ephemeral). */
  readonly port: number;
  readonly family: 4 | 6;
  /** As written in canonical form: `127.0.0.1:7070`, `[::1]:7070`. */
  readonly text: string;
}

/** `tsl_config` (sic, Torrust's spelling): certificate and key for a TLS listener. */
export interface TlsConfig {
  /** `ssl_cert_path` */
  readonly certPath: string;
  /** `ssl_key_path` */
  readonly keyPath: string;
}

export interface AnnouncePolicyConfig {
  /** `interval`, seconds, default 120: sent to clients as `interval`. */
  readonly interval: number;
  /** `interval_min`, seconds, default 120: sent to HTTP clients as `min interval`. */
  readonly intervalMin: number;
  /** `max_peers_per_announce`, default 74 (newer Torrust): upper bound of peers per answer. */
  readonly maxPeersPerAnnounce: number;
}

export interface DatabaseConfig {
  /** `driver`: `sqlite3` (default) or `mysql`. */
  readonly driver: DatabaseDriver;
  /** `path`: the SQLite file, or `mysql://user:password@host:port/database`. Sensitive (password). */
  readonly path: string;
}

export interface NetConfig {
  /**
   * `external_ip`: replaces loopback peer addresses. Torrust's default `0.0.0.0` (and `::`)
   * means "not set" here (see docs/adr and the README's compatibility notes): null.
   */
  readonly externalIp: string | null;
  /** `on_reverse_proxy`: HTTP tracker takes the client IP from the right-most X-Forwarded-For. */
  readonly onReverseProxy: boolean;
  /**
   * Extension `reverse_proxy_header`, default `x-forwarded-for`: with `on_reverse_proxy`, the
   * header holding the client IP — the right-most X-Forwarded-For entry, or the single IP of
   * X-Real-IP (nginx's `proxy_set_header X-Real-IP $remote_addr`).
   */
  readonly reverseProxyHeader: ReverseProxyHeader;
}

export interface PrivateModeConfig {
  /** `check_keys_expiration`, default true. */
  readonly checkKeysExpiration: boolean;
}

export interface TrackerPolicyConfig {
  /** `max_peer_timeout`, seconds, default 900: a peer not heard from for this long is gone. */
  readonly maxPeerTimeout: number;
  /** `persistent_torrent_completed_stat`, default false: keep completed counts in the database. */
  readonly persistentTorrentCompletedStat: boolean;
  /** `remove_peerless_torrents`, default true. */
  readonly removePeerlessTorrents: boolean;
}

export interface CoreConfig {
  /** `inactive_peer_cleanup_interval`, seconds, default 600; 0 disables the cleanup job. */
  readonly inactivePeerCleanupInterval: number;
  /** `listed` (mandatory): only whitelisted torrents are tracked. */
  readonly listed: boolean;
  /** `private` (mandatory): HTTP announces need a key; UDP is not started. */
  readonly private: boolean;
  /** `tracker_usage_statistics`, default true: false keeps every protocol counter at 0. */
  readonly trackerUsageStatistics: boolean;
  readonly announcePolicy: AnnouncePolicyConfig;
  readonly database: DatabaseConfig;
  readonly net: NetConfig;
  /** `[core.private_mode]`, only allowed when `private = true`; null when absent. */
  readonly privateMode: PrivateModeConfig | null;
  readonly trackerPolicy: TrackerPolicyConfig;
}

export interface UdpTrackerConfig {
  /** `bind_address`, default `0.0.0.0:6969`. */
  readonly bindAddress: SocketAddress;
  /** `cookie_lifetime`, seconds, default 120 (newer Torrust): how long a connection id is valid. */
  readonly cookieLifetime: number;
}

/** Extension: `[udp_tracker_server]`, settings shared by every UDP listener. */
export interface UdpTrackerServerConfig {
  /**
   * `connection_id_secret`: key of the connection-id cookie. Empty (default) = a random
   * per-process key. Set the same value on several replicas so they accept each other's ids.
   * Sensitive.
   */
  readonly connectionIdSecret: string;
  /** `max_connection_id_errors_per_ip`, default 10: more than this bans the IP. */
  readonly maxConnectionIdErrorsPerIp: number;
  /** `ip_bans_reset_interval_in_secs`, default 3600: bans and error counts are cleared this often. */
  readonly ipBansResetIntervalInSecs: number;
}

export interface HttpTrackerConfig {
  /** `bind_address`, default `0.0.0.0:7070`. */
  readonly bindAddress: SocketAddress;
  /** `tsl_config`: HTTPS when present. */
  readonly tls: TlsConfig | null;
}

export interface HttpApiConfig {
  /** `bind_address`, default `127.0.0.1:1212`. */
  readonly bindAddress: SocketAddress;
  /** `tsl_config` */
  readonly tls: TlsConfig | null;
  /** `access_tokens`: label → token; every token has full rights. Sensitive. */
  readonly accessTokens: Readonly<Record<string, string>>;
  /** Extension `metrics_require_token`, default false: `GET /metrics` needs an access token too. */
  readonly metricsRequireToken: boolean;
}

export interface HealthCheckApiConfig {
  /** `bind_address`, default `127.0.0.1:1313`. */
  readonly bindAddress: SocketAddress;
}

export interface LoggingConfig {
  /** `threshold` (mandatory): off, error, warn, info, debug, trace. */
  readonly threshold: LogThreshold;
  /** Extension `style`, default `text`: one text line per event, or `json` (one JSON object per line). */
  readonly style: LogStyle;
}

/** Extension: `[shutdown]`, how a SIGINT/SIGTERM drains the tracker. */
export interface ShutdownConfig {
  /** `drain_delay_in_secs`, default 0: readiness fails this long before the listeners stop. */
  readonly drainDelayInSecs: number;
  /** `grace_period_in_secs`, default 10: the whole drain must end within this, else exit 1. */
  readonly gracePeriodInSecs: number;
}

/**
 * Extension: one `[[forwarders]]` entry (or one entry of `[forwarding] forwarders_file`): an
 * upstream tracker every announce is forwarded to, whose peers are merged into later answers.
 */
export interface ForwarderConfig {
  /** `name`: label in logs, metrics and the status API; default the uri's `host[:port]` (made unique). */
  readonly name: string;
  /**
   * `uri` (mandatory): `http://`, `https://` or `udp://` announce URL, path and query kept
   * (`udp://tracker.example:6969/announce`). Sensitive when it carries a passkey: masked when printed.
   */
  readonly uri: string;
  readonly protocol: ForwarderProtocol;
  /** The uri's host name or IP literal (IPv6 without brackets). */
  readonly hostname: string;
  /** The uri's port (80/443 when an http(s) uri gives none; mandatory for udp). */
  readonly port: number;
  /** `ip`: the IP announced upstream for every peer (`ip=` over HTTP, the IPv4 field over UDP); null = none sent. */
  readonly ip: string | null;
  /** `host`: the HTTP `Host` header (and TLS server name) sent instead of the uri's; null = the uri's. */
  readonly host: string | null;
  /** True for entries read from `forwarders_file` (the masked configuration prints only the TOML ones). */
  readonly fromFile: boolean;
}

/** Extension: `[forwarding]`, how announces are forwarded to the `[[forwarders]]`. */
export interface ForwardingConfig {
  /** `workers`, default 8: upstream requests in flight at once (all forwarders together). */
  readonly workers: number;
  /** `queue_size`, default 10000: announces waiting to be forwarded; beyond it new ones are dropped (counted). */
  readonly queueSize: number;
  /** `timeout_in_secs`, default 5 (fractions allowed): one upstream request, connect included. */
  readonly timeoutInSecs: number;
  /** `max_retries`, default 2: retries of one announce after a timeout, network error, 5xx or bad answer. */
  readonly maxRetries: number;
  /** `retry_base_delay_in_secs`, default 1: first retry delay, doubled per retry, with jitter. */
  readonly retryBaseDelayInSecs: number;
  /** `retry_max_delay_in_secs`, default 30: upper bound of a retry delay. */
  readonly retryMaxDelayInSecs: number;
  /** `suspend_after_failures`, default 5: consecutive failures that suspend a forwarder. */
  readonly suspendAfterFailures: number;
  /** `suspension_in_secs`, default 30: first suspension, doubled per failed probe after it. */
  readonly suspensionInSecs: number;
  /** `max_suspension_in_secs`, default 600: upper bound of a suspension (also of a Retry-After). */
  readonly maxSuspensionInSecs: number;
  /** `forwarders_file`: a retracker-style forwarders.yml adding forwarders; null = none. */
  readonly forwardersFile: string | null;
}

export interface Configuration {
  readonly metadata: { readonly app: string; readonly purpose: string; readonly schemaVersion: string };
  readonly logging: LoggingConfig;
  readonly core: CoreConfig;
  /** `[[udp_trackers]]`; empty = no UDP tracker. */
  readonly udpTrackers: readonly UdpTrackerConfig[];
  readonly udpTrackerServer: UdpTrackerServerConfig;
  /** `[[http_trackers]]`; empty = no HTTP tracker. */
  readonly httpTrackers: readonly HttpTrackerConfig[];
  /** `[http_api]`; null = no API. */
  readonly httpApi: HttpApiConfig | null;
  readonly healthCheckApi: HealthCheckApiConfig;
  readonly shutdown: ShutdownConfig;
  /** Extension `[[forwarders]]` (plus `[forwarding] forwarders_file`); empty = forwarding off. */
  readonly forwarders: readonly ForwarderConfig[];
  readonly forwarding: ForwardingConfig;
}
