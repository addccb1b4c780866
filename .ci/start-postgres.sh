#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for the state-store tests. Prints its URL on the first line
# and its directory on the second (pass that to .ci/stop-postgres.sh when done, so the server does not
# outlive the run). Installs Debian's server when missing. Prints nothing (and exits 0) when it cannot
# be had, so the PostgreSQL tests are skipped rather than the whole run failing.
set -u
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2 || exit 0
fi
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
dir=$(mktemp -d /tmp/cehua-pg.XXXXXX)
chown postgres "$dir" 2>/dev/null || exit 0
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "'$bin/initdb' -D '$dir/data' -A trust -U postgres -E UTF8" >/dev/null 2>&1 || exit 0
run "'$bin/pg_ctl' -D '$dir/data' -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -l '$dir/log' -w start" >/dev/null 2>&1 || exit 0
run "'$bin/createdb' -h 127.0.0.1 -p $port -U postgres cehua_test" >/dev/null 2>&1 || exit 0
echo "postgresql://postgres@127.0.0.1:$port/cehua_test"
echo "$dir"
