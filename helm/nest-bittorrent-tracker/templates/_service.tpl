{{/*
The spec fields shared by the public Services. Call with (dict "root" $ "svc" .Values.service.udp).
*/}}
{{- define "tracker.publicServiceSpec" -}}
{{- $svc := .svc -}}
type: {{ $svc.type }}
{{- if or (eq $svc.type "NodePort") (eq $svc.type "LoadBalancer") }}
# Local: traffic stays on the node that received it, so the tracker sees the client's address.
externalTrafficPolicy: {{ $svc.externalTrafficPolicy }}
{{- end }}
{{- if and (eq $svc.type "LoadBalancer") $svc.loadBalancerClass }}
loadBalancerClass: {{ $svc.loadBalancerClass }}
{{- end }}
{{- if and (eq $svc.type "LoadBalancer") $svc.loadBalancerSourceRanges }}
loadBalancerSourceRanges:
  {{- toYaml $svc.loadBalancerSourceRanges | nindent 2 }}
{{- end }}
{{- with $svc.sessionAffinity }}
sessionAffinity: {{ . }}
{{- end }}
{{- with $svc.ipFamilyPolicy }}
ipFamilyPolicy: {{ . }}
{{- end }}
{{- with $svc.ipFamilies }}
ipFamilies:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Service metadata. Call with (dict "root" $ "svc" .Values.service.udp "suffix" "udp" "component" "udp-tracker"). */}}
{{- define "tracker.serviceMetadata" -}}
name: {{ include "tracker.suffixedName" (list .root .suffix) }}
namespace: {{ .root.Release.Namespace }}
labels:
  {{- include "tracker.labels" .root | nindent 2 }}
  app.kubernetes.io/component: {{ .component }}
  {{- with .svc.labels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with .svc.annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
