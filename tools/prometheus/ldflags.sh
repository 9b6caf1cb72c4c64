# Version stamping as Prometheus's .promu.yml does: module v0.308.1 is Prometheus 3.8.1.
version="$1"; version="${version#v0.}"                                     # 308.1
release="3.$((${version%%.*} - 300)).${version#*.}"                          # 3.8.1
echo "-X github.com/prometheus/common/version.Version=$release -X github.com/prometheus/common/version.Branch=release"
