#!/usr/bin/env bash
# Builds one command-line tool for the tests from its published Go module, like tools/kube/build.sh
# builds Kubernetes. DIR is a wrapper module (tools/helm, tools/prometheus) whose go.mod pins the
# module and names the command in its `tool` directive; DIR/ldflags.sh, when present, prints extra
# -ldflags (version stamping) given the module version as $1.
# Static (CGO_ENABLED=0), written to ${KUBE_API_TEST_DIR:-~/.kubeapitest}/<name>/<version>/<name>,
# where <name> is the last element of the tool's package path. Idempotent: when the binary there
# was built from the same inputs it exits at once. Prints the binary's path on its last line.
#   usage: tools/build-go-tool.sh tools/helm
set -euo pipefail

dir="$(cd "${1:?usage: build-go-tool.sh DIR}" && pwd)"
package="$(awk '$1 == "tool" && NF == 2 { print $2; exit }' "$dir/go.mod")"
name="${package##*/}"
module="$(awk -v p="$package" '{ for (i = 1; i < NF; i++) if ($i != "" && (p == $i || index(p, $i "/") == 1) && $(i + 1) ~ /^v[0-9]/) { print $i; exit } }' "$dir/go.mod")"
version="$(awk -v m="$module" '{ for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v/) { print $(i + 1); exit } }' "$dir/go.mod")"
[[ -n "$package" && -n "$module" && -n "$version" ]] || { echo "cannot read the tool, its module and version from $dir/go.mod" >&2; exit 2; }

if ! command -v go >/dev/null 2>&1; then
  echo "go not found on PATH: Go 1.24+ is needed to build $name for the tests" >&2
  exit 3
fi
out="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/$name/$version"
binary="$out/$name"

inputs_hash() {
  { cat "$0" "$dir"/go.mod "$dir"/go.sum; [[ ! -f "$dir/ldflags.sh" ]] || cat "$dir/ldflags.sh"; go version; } \
    | sha256sum | cut -d' ' -f1
}
up_to_date() { [[ -x "$binary" && -f "$out/.flinkspot-build" && "$(cat "$out/.flinkspot-build")" == "$want" ]]; }

want="$(inputs_hash)"
mkdir -p "$out"
if up_to_date; then echo "$binary"; exit 0; fi

exec 9>"$out/.lock"   # one build at a time (parallel test JVMs, two shells)
flock 9
if up_to_date; then echo "$binary"; exit 0; fi

echo "building $name $version from $module into $out (first time takes a few minutes)" >&2
start=$SECONDS
tmp="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
ldflags="-s -w"
[[ ! -f "$dir/ldflags.sh" ]] || ldflags+=" $(bash "$dir/ldflags.sh" "$version" | tr '\n' ' ')"
export CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath -buildvcs=false"
(cd "$dir" && nice -n 10 go build -ldflags "$ldflags" -o "$tmp/$name" "$package")
mv -f "$tmp/$name" "$binary"
echo "$want" >"$out/.flinkspot-build"
echo "built $name $version in $((SECONDS - start)) s" >&2
echo "$binary"
