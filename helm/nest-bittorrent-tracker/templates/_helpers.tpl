{{/*
Names, labels and the decisions shared by several templates.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "tracker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The resource name prefix: fullnameOverride, else <release>-<chart> (just <release> when it
already contains the chart name), at most 63 characters.
*/}}
{{- define "tracker.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* A suffixed name (<fullname>-udp…), room kept for the suffix. Call with (list $ "udp"). */}}
{{- define "tracker.suffixedName" -}}
{{- $root := index . 0 }}
{{- printf "%s-%s" (include "tracker.fullname" $root | trunc 52 | trimSuffix "-") (index . 1) }}
{{- end }}

{{/* chart-version, the helm.sh/chart label. */}}
{{- define "tracker.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "tracker.labels" -}}
helm.sh/chart: {{ include "tracker.chart" . }}
{{ include "tracker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "tracker.name" . }}
{{- end }}

{{/* Labels that select the tracker pods. */}}
{{- define "tracker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tracker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "tracker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tracker.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding tokens, the MySQL URL and the connection-id secret. */}}
{{- define "tracker.secretName" -}}
{{- default (include "tracker.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/* The Secret key of an API token. Call with (list $ "admin"). */}}
{{- define "tracker.accessTokenKey" -}}
{{- $root := index . 0 }}
{{- $label := index . 1 }}
{{- default (printf "access-token-%s" ($label | replace "_" "-")) (get $root.Values.secret.accessTokenKeys $label) }}
{{- end }}

{{/* image reference: repository@digest or repository:tag. */}}
{{- define "tracker.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
The workload kind: StatefulSet for SQLite on a volumeClaimTemplate, Deployment otherwise
(MySQL, SQLite in an emptyDir, or SQLite on an existing claim).
*/}}
{{- define "tracker.workloadKind" -}}
{{- if and (eq .Values.database.driver "sqlite3") .Values.persistence.enabled (not .Values.persistence.existingClaim) -}}
StatefulSet
{{- else -}}
Deployment
{{- end }}
{{- end }}

{{/* "true" when the UDP tracker runs (enabled, and not in private mode, where Torrust does not start it). */}}
{{- define "tracker.udpEnabled" -}}
{{- if and .Values.config.udpTracker.enabled (not .Values.config.core.private) }}true{{ end }}
{{- end }}

{{/* A TOML socket address from a host and a port (IPv6 hosts in brackets). Call with (list host port). */}}
{{- define "tracker.socketAddress" -}}
{{- $host := index . 0 | toString }}
{{- $port := index . 1 | int64 }}
{{- if contains ":" $host }}
{{- printf "[%s]:%d" $host $port }}
{{- else }}
{{- printf "%s:%d" $host $port }}
{{- end }}
{{- end }}

{{/* terminationGracePeriodSeconds: the value, or the shutdown grace period + 10 s. */}}
{{- define "tracker.terminationGracePeriod" -}}
{{- $grace := .Values.config.shutdown.gracePeriodInSecs | int64 }}
{{- $value := get .Values "terminationGracePeriodSeconds" }}
{{- if or (kindIs "invalid" $value) (eq (toString $value) "") }}
{{- add $grace 10 }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds | int64 }}
{{- end }}
{{- end }}

{{/*
Cross-value checks that a JSON schema cannot express; fails the render with a readable message.
*/}}
{{- define "tracker.validate" -}}
{{- $v := .Values }}
{{- if and (eq $v.database.driver "mysql") (not $v.secret.existingSecret) (not $v.database.mysql.url) }}
{{- fail "database.driver is mysql: set database.mysql.url (mysql://user:password@host:3306/database) or secret.existingSecret" }}
{{- end }}
{{- if and $v.database.mysql.url (not (hasPrefix "mysql://" $v.database.mysql.url)) }}
{{- fail "database.mysql.url must start with mysql://" }}
{{- end }}
{{- if and (eq $v.database.driver "sqlite3") (gt (int64 $v.replicaCount) 1) }}
{{- fail "database.driver is sqlite3: replicaCount must be 1 (one SQLite file cannot be shared by pods); use mysql for several replicas" }}
{{- end }}
{{- if and (eq $v.database.driver "sqlite3") (not (hasPrefix "/var/lib/torrust/tracker/" $v.database.sqlite3.path)) }}
{{- fail "database.sqlite3.path must be under /var/lib/torrust/tracker/ (the data volume)" }}
{{- end }}
{{- $grace := $v.config.shutdown.gracePeriodInSecs | int64 }}
{{- if le $grace (int64 $v.config.shutdown.drainDelayInSecs) }}
{{- fail "config.shutdown.gracePeriodInSecs must exceed config.shutdown.drainDelayInSecs (the drain delay is part of the grace period)" }}
{{- end }}
{{- if le (include "tracker.terminationGracePeriod" . | int64) $grace }}
{{- fail "terminationGracePeriodSeconds must exceed config.shutdown.gracePeriodInSecs, or Kubernetes kills the tracker before it has drained" }}
{{- end }}
{{- if not $v.config.httpApi.accessTokens }}
{{- fail "config.httpApi.accessTokens needs at least one label (e.g. admin)" }}
{{- end }}
{{- $tcp := dict }}
{{- range $name := list "httpTracker" "httpApi" "healthCheckApi" }}
{{- $port := printf "%d" ((get $v.config $name).port | int64) }}
{{- if hasKey $tcp $port }}
{{- fail (printf "config.%s.port %s is already used by config.%s.port" $name $port (get $tcp $port)) }}
{{- end }}
{{- $_ := set $tcp $port $name }}
{{- end }}
{{- end }}
