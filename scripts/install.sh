#!/usr/bin/env bash
# make install: installs the built tools under /opt/cea, the systemd units, and /etc/cea/cea.env
# (from etc/cea.env.example, only when absent), creates the 'cea' system user, enables the units.
# Run as root after 'make build'. PREFIX=/opt/cea and SYSTEMD_DIR=/etc/systemd/system can be changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-/opt/cea}
unitdir=${SYSTEMD_DIR:-/etc/systemd/system}
if [ "$(id -u)" -ne 0 ]; then
  echo "make install must run as root: sudo make install" >&2
  exit 1
fi
for t in decode:can-decode scanner:can-scanner worker:can-worker api:can-api migrate:can-migrate monitor:can-monitor; do
  dir=${t%%:*} art=${t##*:}
  if [ ! -f "$root/tools/$dir/target/$art.jar" ]; then
    echo "tools/$dir/target/$art.jar is missing: run 'make build' first" >&2
    exit 1
  fi
done
id cea >/dev/null 2>&1 || useradd --system --home-dir /var/lib/cea --shell /usr/sbin/nologin cea
install -d "$prefix/bin" "$prefix/etc" "$prefix/sql" /etc/cea /var/lib/cea
install -m 0755 "$root"/bin/* "$prefix/bin/"
cp -r "$root/etc/." "$prefix/etc/"
cp -r "$root/sql/." "$prefix/sql/"
cp "$root/README.md" "$prefix/"
for t in decode:can-decode scanner:can-scanner worker:can-worker api:can-api migrate:can-migrate monitor:can-monitor; do
  dir=${t%%:*} art=${t##*:}
  install -d "$prefix/tools/$dir/target/lib"
  install -m 0644 "$root/tools/$dir/target/$art.jar" "$prefix/tools/$dir/target/"
  rm -f "$prefix/tools/$dir/target/lib/"*.jar
  install -m 0644 "$root/tools/$dir/target/lib/"*.jar "$prefix/tools/$dir/target/lib/"
done
[ -f /etc/cea/cea.env ] || install -m 0600 -o cea -g cea "$root/etc/cea.env.example" /etc/cea/cea.env
chown cea:cea /var/lib/cea
# Grafana, when installed on this machine: the data source and dashboard provider (README "Grafana")
if [ -d /etc/grafana/provisioning ]; then
  install -d /etc/grafana/provisioning/datasources /etc/grafana/provisioning/dashboards
  install -m 0644 "$root/etc/grafana/provisioning/datasources/cea.yaml" /etc/grafana/provisioning/datasources/cea.yaml
  sed "s|/opt/cea/etc/grafana/dashboards|$prefix/etc/grafana/dashboards|" \
    "$root/etc/grafana/provisioning/dashboards/cea.yaml" > /etc/grafana/provisioning/dashboards/cea.yaml
  chmod 0644 /etc/grafana/provisioning/dashboards/cea.yaml
  echo "Grafana provisioning installed: give grafana-server CEA_DB_HOST, CEA_DB_NAME, CEA_READER_USER and"
  echo "CEA_READER_PASSWORD (README, section Grafana), then: systemctl restart grafana-server"
fi
# the timers too (cea-consistency.timer: enabled by hand for the parallel run, docs/MIGRATION.md)
install -m 0644 "$root"/etc/systemd/*.service "$root"/etc/systemd/*.timer "$unitdir/"
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable can-scanner.service can-worker.service can-api.service
  echo "Installed. Edit /etc/cea/cea.env, then: systemctl start can-scanner can-worker can-api"
else
  echo "Installed under $prefix (no running systemd here: units copied to $unitdir, not enabled)."
fi
