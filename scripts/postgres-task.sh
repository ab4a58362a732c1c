#!/usr/bin/env bash
# The PostgreSQL task of manifests/postgres/db.yaml. The cluster lives in the dataset
# ($FERRY_DATASET_PATH/pgdata): initdb makes it on the first start only, so after a move
# PostgreSQL starts on the data Ferry brought. It listens on $HOST:$PORT0. SIGTERM (Marathon's
# kill) is a smart shutdown: the data on disk is consistent when Ferry takes the last snapshot.
#
# A new dataset's root belongs to root, and neither Ferry nor Marathon has a way to give a host
# volume to the task's user (Kubernetes' fsGroup). So, like the official postgres image's
# entrypoint, the task starts as root, hands the dataset to postgres, and runs initdb and the
# server as postgres (which refuses to run as root anyway).
set -euo pipefail

: "${FERRY_DATASET_PATH:?the task needs a dataset (FERRY_DATASET_PATH is unset)}"
: "${HOST:?HOST is unset}"
: "${PORT0:?PORT0 is unset}"

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/postgres" ] && bindir=$candidate
done
if [ -z "$bindir" ]; then
  echo "postgres-task.sh: no PostgreSQL server under /usr/lib/postgresql/*/bin: install postgresql (./ferry setup does)" >&2
  exit 1
fi

as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$FERRY_DATASET_PATH"
  as_postgres=(runuser -u postgres --)
fi
data="$FERRY_DATASET_PATH/pgdata"
if [ ! -f "$data/PG_VERSION" ]; then
  echo "postgres-task.sh: first start: initdb in $data"
  "${as_postgres[@]}" "$bindir/initdb" --pgdata "$data" --username postgres --auth trust --encoding UTF8 --no-instructions
fi
# TCP only: a Unix socket would have to live somewhere short (its path is limited to 107
# bytes, which a sandbox path can pass) and outside the dataset (it must not travel with it).
exec "${as_postgres[@]}" "$bindir/postgres" -D "$data" -c listen_addresses="$HOST" -p "$PORT0" \
  -c unix_socket_directories= -c fsync=on -c synchronous_commit=on
