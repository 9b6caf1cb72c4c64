#!/usr/bin/env bash
# Sets a released controller image in the chart and, through it, in the kustomize base:
# charts/flinkspot/Chart.yaml version and appVersion, values.yaml image.repository, tag and digest,
# then tools/helm/render-k8s.sh (k8s/base pulls the image by digest). The release workflow runs it
# after Jib pushed the image; ReleaseScriptIT runs it on a copy of the repository.
#   usage: tools/release/set-image.sh VERSION REPOSITORY DIGEST
#   e.g.   tools/release/set-image.sh 0.2.0 ghcr.io/acme/flinkspot sha256:<64 hex>
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${1:-}" repository="${2:-}" digest="${3:-}"
fail() { echo "set-image.sh: $1" >&2; exit 2; }
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] \
  || fail "VERSION '$version' is not SemVer (e.g. 0.2.0): use the tag without its v"
[[ "$repository" =~ ^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)*$ && ${#repository} -le 255 ]] \
  || fail "REPOSITORY '$repository' is not an image repository (lower case, e.g. ghcr.io/acme/flinkspot)"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "DIGEST '$digest' is not sha256:<64 hex> (Jib's target/jib-image.digest)"

chart="$root/charts/flinkspot"
sed -i -E "s|^version: .*|version: $version|; s|^appVersion: .*|appVersion: $version|" "$chart/Chart.yaml"
sed -i -E "s|^  repository: .*|  repository: $repository|; s|^  tag: \"[^\"]*\"|  tag: \"$version\"|; s|^  digest: \"[^\"]*\"|  digest: \"$digest\"|" \
  "$chart/values.yaml"
grep -q "^  digest: \"$digest\"" "$chart/values.yaml" || fail "values.yaml has no image.digest line to set"
bash "$root/tools/helm/render-k8s.sh"
echo "set $repository:$version@$digest in charts/flinkspot and k8s/base" >&2
