#!/bin/sh
# Renders the Helm chart like `helm template`, without a helm binary (Go text/template + sprig +
# Helm's functions, test/support/helm-render). Needs Debian's packages:
#   apt-get install golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev
# Usage: scripts/render-chart.sh [-f values.yaml]... [-name RELEASE] [-namespace NS] [-o yaml|json|notes|values]
# (default output: yaml). With a helm binary, `helm template RELEASE helm/nest-bittorrent-tracker` is the real thing.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${TMPDIR:-/tmp}/nest-bittorrent-tracker-helm-render
(cd "$root/test/support/helm-render" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$out" .)
case " $* " in
  *" -o "*) exec "$out" -chart "$root/helm/nest-bittorrent-tracker" "$@" ;;
  *) exec "$out" -chart "$root/helm/nest-bittorrent-tracker" -o yaml "$@" ;;
esac
