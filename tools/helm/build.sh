#!/usr/bin/env bash
# Builds helm (helm.sh/helm/v3, pinned in go.mod) for the tests; see tools/build-go-tool.sh.
exec "$(dirname "$0")/../build-go-tool.sh" "$(dirname "$0")"
