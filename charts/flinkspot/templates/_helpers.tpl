{{/* Labels of every object; the selector labels are a subset that never changes. */}}
{{- define "flinkspot.labels" -}}
app.kubernetes.io/name: flinkspot
{{- end }}

{{- define "flinkspot.selectorLabels" -}}
app.kubernetes.io/name: flinkspot
app.kubernetes.io/component: controller
{{- end }}

{{/* repository:tag, or repository@digest when a digest is set (what the release pins). */}}
{{- define "flinkspot.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}
