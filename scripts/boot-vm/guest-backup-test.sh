# Sourced by guest-test.sh in the cold phase: the nightly backup unit and a restore (README "Backup and restore").
wsql() { PGPASSWORD=$PGPASSWORD_W psql -h 127.0.0.1 -U cea_writer -d cea_sensors -Atqc "$1" 2>/dev/null; }
before=$(count) flen=$(rcli LLEN service:failures) xlen=$(rcli XLEN can:raw)
log "backup: $before rows, service:failures $flen, can:raw $xlen entries"
check "systemctl start cea-backup (the timer's unit)" systemctl start cea-backup
b=$(ls -1d /var/backups/cea/cea-2*Z 2>/dev/null | tail -1)
check "backup $b: dump, RDB and checksums" bash -c "cd '$b' && sha256sum -c --quiet SHA256SUMS && [ -s cea_sensors.dump ] && [ -s redis.rdb ]"
log "  $(ls -l "$b" | tail -n +2 | awk '{print $5, $9}' | paste -sd' ')"
check "backup directory mode 0700" test "$(stat -c %a /var/backups/cea)" = 700
# damage: rows deleted, Redis keys gone
# as the owner (cea_writer may insert, not delete)
(cd / && runuser -u postgres -- psql -d cea_sensors -qc "DELETE FROM can_messages WHERE id IN (SELECT id FROM can_messages ORDER BY id LIMIT 100)")
rcli DEL service:failures >/dev/null
log "damaged: $(count) rows, service:failures $(rcli LLEN service:failures)"
check "the damage is there (fewer rows)" test "$(count)" != "$before"
check "cea-backup --restore $b" bash -c "set -a; . /etc/cea/cea.env; set +a; /opt/cea/bin/cea-backup --restore '$b' >> $C/restore.log 2>&1"
check "restored: $before rows" test "$(count)" = "$before"
check "restored: service:failures $flen" test "$(rcli LLEN service:failures)" = "$flen"
check "restored: Redis AOF on again" bash -c "REDISCLI_AUTH=$REDIS_PW redis-cli --no-auth-warning CONFIG GET appendonly | tail -1 | grep -qx yes"
check "services back after the restore" wait_for 300 active redis-server $UNITS
