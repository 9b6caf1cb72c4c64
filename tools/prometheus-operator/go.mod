// Pins the Prometheus Operator release whose CRDs (ServiceMonitor, PodMonitor, PrometheusRule)
// the shipped monitors and alert rules are validated against on the real API server. The tests
// read them from the module's example/prometheus-operator-crd/ (`go mod download -json`);
// nothing of the operator is copied into this repository.
module flinkspot.dev/tools/prometheus-operator

go 1.24.0

require github.com/prometheus-operator/prometheus-operator v0.85.0
