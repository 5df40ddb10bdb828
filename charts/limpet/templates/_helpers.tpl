{{/*
The prefix of every name: the release name, with "-limpet" unless it already says limpet.
40 characters leave room for the longest suffix within the 63 of a DNS label.
*/}}
{{- define "limpet.fullname" -}}
{{- $name := .Values.fullnameOverride -}}
{{- if not $name -}}
{{- $name = ternary .Release.Name (printf "%s-limpet" .Release.Name) (contains "limpet" .Release.Name) -}}
{{- end -}}
{{- $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "limpet.operator.name" -}}
{{- printf "%s-operator" (include "limpet.fullname" .) -}}
{{- end -}}

{{- define "limpet.dataplane.name" -}}
{{- printf "%s-dataplane" (include "limpet.fullname" .) -}}
{{- end -}}

{{- define "limpet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: limpet
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* The operator's pods; also the webhook Service's selector. */}}
{{- define "limpet.operator.selectorLabels" -}}
app.kubernetes.io/name: limpet-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
The data plane's pods of this release. The operator finds a group's replicas, and its
VirtualService Services select them, by app.kubernetes.io/name and limpet.dev/data-plane-group.
*/}}
{{- define "limpet.dataplane.selectorLabels" -}}
app.kubernetes.io/name: limpet-dataplane
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "limpet.operator.labels" -}}
{{ include "limpet.labels" . }}
app.kubernetes.io/name: limpet-operator
{{- end -}}

{{- define "limpet.dataplane.labels" -}}
{{ include "limpet.labels" . }}
app.kubernetes.io/name: limpet-dataplane
limpet.dev/data-plane-group: {{ .Values.dataPlane.group }}
{{- end -}}

{{/* repository:tag of an image value; the tag defaults to the chart's appVersion. */}}
{{- define "limpet.image" -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .chart.AppVersion) -}}
{{- end -}}

{{/* The namespaces the operator's ClusterRole is bound in; empty: cluster-wide. */}}
{{- define "limpet.operator.bindingNamespaces" -}}
{{- $namespaces := .Values.operator.namespaces -}}
{{- if and $namespaces .Values.operator.leaderElection.enabled -}}
{{- $namespaces = append $namespaces .Release.Namespace -}}
{{- end -}}
{{- $namespaces | uniq | toJson -}}
{{- end -}}

{{- define "limpet.dataplane.configMap" -}}
{{- printf "limpet-dataplane-%s" .Values.dataPlane.group -}}
{{- end -}}

{{/* The Secret the operator writes the group's certificates into; the data plane watches it. */}}
{{- define "limpet.dataplane.tlsSecret" -}}
{{- printf "%s-tls" (include "limpet.dataplane.configMap" .) -}}
{{- end -}}

{{- define "limpet.dataplane.cookieKeysSecret" -}}
{{- .Values.dataPlane.cookieKeys.existingSecret | default (printf "%s-cookie-keys" (include "limpet.dataplane.name" .)) -}}
{{- end -}}

{{/*
dig: values of an older chart (helm upgrade --reuse-values keeps them) have no dataPlane.ticketKeys.
*/}}
{{- define "limpet.dataplane.ticketKeysSecret" -}}
{{- dig "ticketKeys" "existingSecret" "" .Values.dataPlane | default (printf "%s-ticket-keys" (include "limpet.dataplane.name" .)) -}}
{{- end -}}

{{- define "limpet.dataplane.peerSecret" -}}
{{- .Values.dataPlane.peers.existingSecret | default (printf "%s-peer-secret" (include "limpet.dataplane.name" .)) -}}
{{- end -}}

{{- define "limpet.dataplane.peersService" -}}
{{- printf "%s-peers" (include "limpet.dataplane.name" .) -}}
{{- end -}}

{{- define "limpet.operator.webhookService" -}}
{{- printf "%s-webhook" (include "limpet.fullname" .) -}}
{{- end -}}

{{/* The data plane's grace period: past the pre-stop pause and the drain, or refused. */}}
{{- define "limpet.dataplane.terminationGracePeriodSeconds" -}}
{{- $dp := .Values.dataPlane -}}
{{- $needed := add $dp.preStopSleepSeconds $dp.drainSeconds -}}
{{- if eq (int $dp.terminationGracePeriodSeconds) 0 -}}
{{- add $needed 10 -}}
{{- else if le (int $dp.terminationGracePeriodSeconds) (int $needed) -}}
{{- fail (printf "dataPlane.terminationGracePeriodSeconds (%d) must exceed dataPlane.preStopSleepSeconds + dataPlane.drainSeconds (%d), or the data plane is killed while it drains" (int $dp.terminationGracePeriodSeconds) (int $needed)) -}}
{{- else -}}
{{- $dp.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}

{{/* The emptyDir the JVM writes to (the root filesystem is read-only). */}}
{{- define "limpet.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{/* Where a pod may run, from a component's values (operator or dataPlane). */}}
{{- define "limpet.scheduling" -}}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* A component's PodDisruptionBudget: dict root, name, budget (its values), selector (a template name). */}}
{{- define "limpet.podDisruptionBudget" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "limpet.labels" .root | nindent 4 }}
spec:
  maxUnavailable: {{ .budget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include .selector .root | nindent 6 }}
{{- end -}}
