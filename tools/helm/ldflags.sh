# Version stamping as helm's Makefile does (LDFLAGS there): the helm version, and the Kubernetes
# version helm assumes for `helm template`/`helm lint` capabilities, from the client-go it links.
version="$1"
client_go="$(awk '$1 == "k8s.io/client-go" { print $2; exit }' "$(dirname "$0")/go.mod")"   # v0.34.0
minor="${client_go#v0.}"; minor="${minor%%.*}"
echo "-X helm.sh/helm/v3/internal/version.version=$version -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  echo "-X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$minor"
done
