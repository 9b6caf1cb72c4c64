#!/usr/bin/env bash
# Builds promtool (Prometheus, pinned in go.mod) for the tests; see tools/build-go-tool.sh.
exec "$(dirname "$0")/../build-go-tool.sh" "$(dirname "$0")"
