#!/usr/bin/env bash
# Builds a real Kubernetes control plane for the tests from the upstream Go modules:
# kube-apiserver, kube-controller-manager, kube-scheduler and kubectl (k8s.io/kubernetes,
# pinned in k8s/go.mod) and etcd (go.etcd.io/etcd/server/v3, pinned in etcd/go.mod).
# Static (CGO_ENABLED=0), version stamped, written where Fabric8 kube-api-test looks:
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-<os>-<arch>/
# Idempotent: when the binaries there were built from the same inputs it exits at once.
# Prints the binary directory on its last line of stdout.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
required() { awk -v m="$1" '{ for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v/) { print $(i + 1); exit } }' "$2"; }
k8s_version="$(required k8s.io/kubernetes "$here/k8s/go.mod")"
k8s_version="${k8s_version#v}"
etcd_version="$(required go.etcd.io/etcd/server/v3 "$here/etcd/go.mod")"
[[ -n "$k8s_version" && -n "$etcd_version" ]] || { echo "cannot read versions from go.mod" >&2; exit 2; }

if ! command -v go >/dev/null 2>&1; then
  echo "go not found on PATH: Go 1.24+ is needed to build the test control plane" >&2
  exit 3
fi
goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
out="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${k8s_version}-${goos}-${goarch}"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd)

inputs_hash() {
  { cat "$0" "$here"/k8s/go.mod "$here"/k8s/go.sum "$here"/etcd/go.mod "$here"/etcd/go.sum "$here"/etcd/*.go
    go version; } | sha256sum | cut -d' ' -f1
}

up_to_date() {
  [[ -f "$out/.flinkspot-build" && "$(cat "$out/.flinkspot-build")" == "$want" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}

want="$(inputs_hash)"
mkdir -p "$out"
if up_to_date; then echo "$out"; exit 0; fi

# One build at a time (parallel test JVMs, two shells).
exec 9>"$out/.lock"
flock 9
if up_to_date; then echo "$out"; exit 0; fi

echo "building Kubernetes v${k8s_version} and etcd ${etcd_version} into $out (first time takes a while)" >&2
tmp="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

export CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath -buildvcs=false"
minor="${k8s_version#*.}"; minor="${minor%%.*}"
build_date="$(go mod download -json "k8s.io/kubernetes@v${k8s_version}" 2>/dev/null \
  | awk -F'"' '$2 == "Time" {print $4; exit}')"
stamp=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp+=" -X ${pkg}.gitVersion=v${k8s_version} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
  stamp+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=${build_date:-1970-01-01T00:00:00Z}"
done

(cd "$here/etcd" && nice -n 10 go build -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${etcd_version}" \
  -o "$tmp/etcd" .)
(cd "$here/k8s" && nice -n 10 go build -ldflags "-s -w${stamp}" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)

for b in "${binaries[@]}"; do mv -f "$tmp/$b" "$out/$b"; done
echo "$want" >"$out/.flinkspot-build"
"$out/kube-apiserver" --version >&2
"$out/etcd" --version | sed -n 1p >&2
echo "$out"
