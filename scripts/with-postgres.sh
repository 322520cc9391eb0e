#!/usr/bin/env bash
# Run a command against a private, throw-away PostgreSQL cluster on 127.0.0.1:
#   scripts/with-postgres.sh pytest -q
# exports KATCHI_TEST_DATABASE_URL for the command, and removes the cluster afterwards.
set -euo pipefail

PORT=${KATCHI_PG_PORT:-54329}
bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [ -x "$d/initdb" ] && { bindir=$d; break; }
done
if [ -z "$bindir" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (make system installs them: apt-get install postgresql)" >&2
  exit 2
fi

dir=$(mktemp -d /tmp/katchi-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U katchi --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $dir -c fsync=on -c max_connections=200" start >/dev/null
"${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$PORT" -U katchi katchi_test

export KATCHI_TEST_DATABASE_URL="postgresql+psycopg://katchi@127.0.0.1:$PORT/katchi_test"
echo "with-postgres: $("$bindir/postgres" --version) on 127.0.0.1:$PORT" >&2
"$@"
