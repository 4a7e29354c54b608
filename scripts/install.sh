#!/usr/bin/env bash
# make install: installs the built tools under /opt/cea, the systemd units with their drop-ins (also
# for redis-server, grafana-server, systemd-time-wait-sync), tmpfiles.d/cea.conf, the Redis include
# /etc/redis/cea.conf, the PostgreSQL tuning file, and /etc/cea/cea.env (from etc/cea.env.example,
# only when absent; always root-owned, mode 0640, group cea); creates the 'cea' system user and the
# 'cea-alert' group (desktop users who see failure windows); enables the units.
# Run as root after 'make build'. PREFIX=/opt/cea, SYSTEMD_DIR=/etc/systemd/system, ETC_DIR=/etc
# can be changed; CEA_NO_ENABLE=1 installs without enabling; CEA_NO_CDS=1 without class-data-sharing archives.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-/opt/cea}
unitdir=${SYSTEMD_DIR:-/etc/systemd/system}
if [ "$(id -u)" -ne 0 ]; then
  echo "make install must run as root: sudo make install" >&2
  exit 1
fi
for t in decode:can-decode scanner:can-scanner worker:can-worker api:can-api migrate:can-migrate monitor:can-monitor consistency:can-consistency automation:cea-automation; do
  dir=${t%%:*} art=${t##*:}
  if [ ! -f "$root/tools/$dir/target/$art.jar" ]; then
    echo "tools/$dir/target/$art.jar is missing: run 'make build' first" >&2
    exit 1
  fi
done
etc=${ETC_DIR:-/etc}
id cea >/dev/null 2>&1 || useradd --system --home-dir /var/lib/cea --shell /usr/sbin/nologin cea
getent group cea-alert >/dev/null 2>&1 || groupadd --system cea-alert
install -d "$prefix/bin" "$prefix/etc" "$prefix/sql" /var/lib/cea
# /etc/cea: root's. The services read cea.env through systemd (as root); group cea may read it, only
# root may change it (a cea-writable file would let cea set LD_PRELOAD for root-run units).
install -d -m 0750 -o root -g cea "$etc/cea"
install -m 0755 "$root"/bin/* "$prefix/bin/"
cp -r "$root/etc/." "$prefix/etc/"
cp -r "$root/sql/." "$prefix/sql/"
cp "$root/README.md" "$prefix/"
for t in decode:can-decode scanner:can-scanner worker:can-worker api:can-api migrate:can-migrate monitor:can-monitor consistency:can-consistency automation:cea-automation; do
  dir=${t%%:*} art=${t##*:}
  install -d "$prefix/tools/$dir/target/lib"
  install -m 0644 "$root/tools/$dir/target/$art.jar" "$prefix/tools/$dir/target/"
  rm -f "$prefix/tools/$dir/target/lib/"*.jar
  install -m 0644 "$root/tools/$dir/target/lib/"*.jar "$prefix/tools/$dir/target/lib/"
done
# class-data-sharing archives for the installed jars (start-up CPU -25-35 %; bin/_tool ignores a stale
# one; CEA_NO_CDS=1 skips the ~15 s training run)
[ "${CEA_NO_CDS:-0}" = 1 ] || "$root/scripts/cds-archives.sh" "$prefix" || echo "install: no class-data-sharing archives (the services start without them)" >&2
[ -f "$etc/cea/cea.env" ] || install -m 0640 -o root -g cea "$root/etc/cea.env.example" "$etc/cea/cea.env"
# Redis ACL passwords (etc/redis-users.conf, DESIGN.md "Redis users"): a random one for each that cea.env
# lacks, leaves empty or leaves CHANGE_ME; cea-redis-auth gives them to redis-server at its next start
for v in REDIS_PASSWORD REDIS_SCANNER_PASSWORD REDIS_WORKER_PASSWORD REDIS_API_PASSWORD REDIS_AUTOMATION_PASSWORD \
         REDIS_MONITOR_PASSWORD; do
  if ! grep -Eq "^[[:space:]]*$v=.+" "$etc/cea/cea.env" || grep -Eq "^[[:space:]]*$v=[\"']?CHANGE_ME[\"']?[[:space:]]*$" "$etc/cea/cea.env"; then
    pw=$(head -c 24 /dev/urandom | base64 | tr -d '\n' | tr '+/' '-_')
    sed -i "/^[[:space:]]*$v=/d" "$etc/cea/cea.env"
    echo "$v=$pw" >> "$etc/cea/cea.env"
    echo "cea.env: $v set to a random password"
  fi
done
# an older install made it cea-owned: take it back
chown root:cea "$etc/cea/cea.env" && chmod 0640 "$etc/cea/cea.env"
chown cea:cea /var/lib/cea && chmod 0750 /var/lib/cea
install -d "$etc/tmpfiles.d"
install -m 0644 "$root/etc/tmpfiles.d/cea.conf" "$etc/tmpfiles.d/cea.conf"
command -v systemd-tmpfiles >/dev/null 2>&1 && systemd-tmpfiles --create "$etc/tmpfiles.d/cea.conf"
# Redis: the project's settings at the end of the packaged redis.conf (README "Install on a Raspberry Pi")
if [ -f "$etc/redis/redis.conf" ]; then
  install -m 0644 "$root/etc/redis-server/cea.conf" "$etc/redis/cea.conf"
  grep -qxF "include $etc/redis/cea.conf" "$etc/redis/redis.conf" \
    || printf '\n# CEA (make install): persistence, memory, password\ninclude %s\n' "$etc/redis/cea.conf" >> "$etc/redis/redis.conf"
fi
# the failure windows: a watcher in every desktop session (users in group cea-alert see them)
install -d "$etc/xdg/autostart"
sed "s|/opt/cea/|$prefix/|" "$root/etc/xdg/autostart/cea-failure-watch.desktop" > "$etc/xdg/autostart/cea-failure-watch.desktop"
chmod 0644 "$etc/xdg/autostart/cea-failure-watch.desktop"
# PostgreSQL: the Pi tuning file in every cluster's conf.d
for d in "$etc"/postgresql/*/*/conf.d; do
  [ -d "$d" ] && install -m 0644 "$root/etc/postgresql/cea-pi.conf" "$d/cea-pi.conf"
done
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
install -d "$unitdir"
install -m 0644 "$root"/etc/systemd/*.service "$root"/etc/systemd/*.timer "$unitdir/"
for d in "$root"/etc/systemd/*.d; do
  install -d "$unitdir/${d##*/}"
  install -m 0644 "$d"/*.conf "$unitdir/${d##*/}/"
done
units="can-setup.service can-scanner.service can-worker.service can-api.service cea-automation.service cea-backup.timer"
if [ "${CEA_NO_ENABLE:-0}" = 1 ]; then
  echo "Installed under $prefix (CEA_NO_ENABLE=1: units not enabled)."
elif command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  # shellcheck disable=SC2086
  systemctl enable $units systemd-time-wait-sync.service
  echo "Installed. Edit /etc/cea/cea.env, then: systemctl start can-setup can-scanner can-worker can-api cea-automation"
else
  echo "Installed under $prefix (no running systemd here: units copied to $unitdir, not enabled)."
fi
