{{/* tracker.toml (Torrust configuration schema 2.0.0) rendered from .Values.config and .Values.database. */}}
{{- define "tracker.toml" -}}
{{- $c := .Values.config -}}
# Rendered by the {{ .Chart.Name }} chart from its values (Torrust configuration schema 2.0.0).
# Secrets are not here: API tokens, the MySQL URL and the UDP connection-id secret come from
# the Secret through TORRUST_TRACKER_CONFIG_OVERRIDE_* environment variables.

[metadata]
app = "torrust-tracker"
purpose = "configuration"
schema_version = "2.0.0"

[logging]
threshold = {{ $c.logging.threshold | toJson }}
style = {{ $c.logging.style | toJson }}

[core]
listed = {{ $c.core.listed }}
private = {{ $c.core.private }}
inactive_peer_cleanup_interval = {{ $c.core.inactivePeerCleanupInterval | int64 }}
tracker_usage_statistics = {{ $c.core.trackerUsageStatistics }}

[core.announce_policy]
interval = {{ $c.core.announcePolicy.interval | int64 }}
interval_min = {{ $c.core.announcePolicy.intervalMin | int64 }}
max_peers_per_announce = {{ $c.core.announcePolicy.maxPeersPerAnnounce | int64 }}

[core.database]
driver = {{ .Values.database.driver | toJson }}
{{- if eq .Values.database.driver "sqlite3" }}
path = {{ .Values.database.sqlite3.path | toJson }}
{{- else }}
# path: the MySQL URL, from the Secret (TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__PATH).
{{- end }}

[core.net]
{{- if $c.core.net.externalIp }}
external_ip = {{ $c.core.net.externalIp | toJson }}
{{- end }}
on_reverse_proxy = {{ $c.core.net.onReverseProxy }}
{{- if $c.core.private }}

[core.private_mode]
check_keys_expiration = {{ $c.core.checkKeysExpiration }}
{{- end }}

[core.tracker_policy]
max_peer_timeout = {{ $c.core.trackerPolicy.maxPeerTimeout | int64 }}
persistent_torrent_completed_stat = {{ $c.core.trackerPolicy.persistentTorrentCompletedStat }}
remove_peerless_torrents = {{ $c.core.trackerPolicy.removePeerlessTorrents }}
{{- if include "tracker.udpEnabled" . }}

[[udp_trackers]]
bind_address = {{ include "tracker.socketAddress" (list $c.udpTracker.bindHost $c.udpTracker.port) | toJson }}
cookie_lifetime = {{ $c.udpTracker.cookieLifetime | int64 }}
{{- end }}

[udp_tracker_server]
# connection_id_secret: from the Secret (TORRUST_TRACKER_CONFIG_OVERRIDE_UDP_TRACKER_SERVER__CONNECTION_ID_SECRET).
max_connection_id_errors_per_ip = {{ $c.udpTrackerServer.maxConnectionIdErrorsPerIp | int64 }}
ip_bans_reset_interval_in_secs = {{ $c.udpTrackerServer.ipBansResetIntervalInSecs | int64 }}
{{- if $c.httpTracker.enabled }}

[[http_trackers]]
bind_address = {{ include "tracker.socketAddress" (list $c.httpTracker.bindHost $c.httpTracker.port) | toJson }}
{{- end }}

# The API serves the Kubernetes probes and the metrics, so it listens on every interface.
[http_api]
bind_address = {{ include "tracker.socketAddress" (list "0.0.0.0" $c.httpApi.port) | toJson }}
# access_tokens: from the Secret (TORRUST_TRACKER_CONFIG_OVERRIDE_HTTP_API__ACCESS_TOKENS__<LABEL>).

# Only the container's own health check uses it: loopback.
[health_check_api]
bind_address = {{ include "tracker.socketAddress" (list "127.0.0.1" $c.healthCheckApi.port) | toJson }}

[shutdown]
drain_delay_in_secs = {{ $c.shutdown.drainDelayInSecs | int64 }}
grace_period_in_secs = {{ $c.shutdown.gracePeriodInSecs | int64 }}
{{- end }}
