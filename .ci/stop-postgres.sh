#!/usr/bin/env bash
# Stop a PostgreSQL that .ci/start-postgres.sh started and remove its directory.
# Usage: .ci/stop-postgres.sh DIR   (DIR: the second line start-postgres.sh printed)
set -u
dir=${1:?usage: .ci/stop-postgres.sh DIR (the directory .ci/start-postgres.sh printed)}
case "$dir" in
  /tmp/cehua-pg.*) ;;
  *) echo "stop-postgres: $dir is not a directory start-postgres.sh made; nothing stopped" >&2; exit 2 ;;
esac
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
rm -rf "$dir"
