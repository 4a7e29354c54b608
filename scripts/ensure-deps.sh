#!/usr/bin/env bash
# Installs the system packages the build and the tests need, on Debian 12 / Raspberry Pi OS bookworm.
# As root it runs apt-get; otherwise it prints the exact command and exits 1.
# Usage: scripts/ensure-deps.sh [test|demo|bench]
set -euo pipefail
what=${1:-test}
missing=()

need() { # need PACKAGE CHECK...
  local pkg=$1; shift
  if ! "$@" >/dev/null 2>&1; then missing+=("$pkg"); fi
}
has_pg_server() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

need maven command -v mvn
need openjdk-17-jdk-headless command -v javac
need redis-server command -v redis-server
need redis-tools command -v redis-cli
need postgresql has_pg_server
need postgresql-client command -v psql
need sqlite3 command -v sqlite3
need util-linux command -v runuser
# bench scripts and the Grafana dashboard generator (its staleness check runs in the tests)
need python3 command -v python3
if [ "$what" = test ] || [ "$what" = bench ]; then
  # real SocketCAN tests run in a small VM (scripts/vcan-vm/run-in-vm.sh)
  need qemu-system-x86 command -v qemu-system-x86_64
  need busybox-static test -x /bin/busybox
  need kmod command -v modprobe
  need xz-utils command -v xz
  need can-utils command -v cangen
  need iproute2 command -v ip
  # the failure window test (scripts/test-failure-window.sh): a virtual display, a terminal, a screenshot
  need xvfb command -v Xvfb
  need xterm command -v xterm
  need x11-utils command -v xwininfo
  need imagemagick command -v import
  # the boot test (make test-boot) formats the guest disk
  need e2fsprogs command -v mkfs.ext4
  # dashboard browser test
  need chromium command -v chromium
fi
if [ "$what" = bench ]; then
  need wrk command -v wrk
  need pgloader command -v pgloader
  # bench-api.sh downloads the CSV export
  need curl command -v curl
fi

[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "Installing missing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${missing[*]} >&2
