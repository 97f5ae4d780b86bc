#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster: a temporary directory, a loopback port,
# an unprivileged owner, stopped (and removed) when the command ends, whatever its outcome.
#
# usage: scripts/postgres.sh COMMAND [ARGS...]
#
# The command sees NARRATE_TEST_POSTGRES_URL (postgres://narrate@127.0.0.1:PORT/postgres) and
# NARRATE_TEST_POSTGRES_PASSWORD_FILE (the role's password, scram-sha-256 over TCP), and
# NARRATE_REQUIRE_POSTGRES=1 so the suite fails rather than skips its PostgreSQL tests.
set -euo pipefail

bin=""
for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && bin=$dir; done
[ -n "$bin" ] || bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "postgres.sh: initdb and pg_ctl not found (Debian: apt install postgresql)" >&2
    exit 1
fi

base=$(mktemp -d /tmp/narrate-pg.XXXXXX)
chmod 755 "$base"
as=()
if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    id narrate-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin narrate-pg
    as=(runuser -u narrate-pg --)
    chown narrate-pg "$base"
fi
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$password" > "$base/password"
chmod 644 "$base/password"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
    "${as[@]}" "$bin/pg_ctl" -D "$base/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$base"
}
trap stop EXIT

"${as[@]}" "$bin/initdb" -D "$base/data" -U narrate --pwfile="$base/password" --auth-local=trust --auth-host=scram-sha-256 \
    --no-sync -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; exit 1; }
"${as[@]}" "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w -o \
    "-p $port -k $base -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    start >/dev/null || { cat "$base/server.log" >&2; exit 1; }

export NARRATE_TEST_POSTGRES_URL="postgres://narrate@127.0.0.1:$port/postgres?sslmode=disable"
export NARRATE_TEST_POSTGRES_PASSWORD_FILE="$base/password"
export NARRATE_TEST_POSTGRES_BIN="$bin"
export NARRATE_TEST_POSTGRES_DATA="$base/data"
export NARRATE_REQUIRE_POSTGRES=1
set +e
"$@"
status=$?
set -e
exit $status
