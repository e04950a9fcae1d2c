#!/usr/bin/env bash
# The scale-out shape on one machine (README §Scale-out): installs HAProxy and PgBouncer (Debian's
# packages) when missing, then runs scripts/cluster-check.ts, which starts PgBouncer in transaction
# pooling in front of a fresh database on the local PostgreSQL (TEST_DATABASE_URL; set up by
# scripts/install-postgres.sh), two replicas of the service through it and HAProxy in front, checks
# them under load and a kill -9, prints the figures, and stops all of it. Bounded: 5 minutes.
#   bash scripts/cluster.sh            (root, or haproxy and pgbouncer already installed)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/laotie_test}

if ! command -v haproxy >/dev/null || [ ! -x /usr/sbin/pgbouncer ]; then
  apt-get update -qq
  # Packages only: the system services they come with are not started here (policy-rc.d or no init).
  apt-get install -y -qq --no-install-recommends haproxy pgbouncer >/dev/null
fi

# The check runs in a process group of its own. Stopped early (a signal, the time bound), it is asked
# first (SIGTERM: it stops what it started and drops its database), then whatever is left of the
# group (a replica, PgBouncer, HAProxy) is killed.
setsid node --import tsx scripts/cluster-check.ts "$@" &
CHECK=$!
stop_check() {
  kill -TERM "$CHECK" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$CHECK" 2>/dev/null || break; sleep 1; done
  kill -KILL -- -"$CHECK" 2>/dev/null || true
}
trap 'stop_check; exit 130' INT TERM
WATCHDOG=
# (set +e: under -e a kill of a group already gone would end the trap there, with status 1.)
trap 'set +e; kill -KILL -- -"$CHECK" 2>/dev/null; [ -z "$WATCHDOG" ] || kill -- -"$WATCHDOG" 2>/dev/null; true' EXIT
# 5 minutes at most: past that, the check is stopped and the run fails.
setsid bash -c "sleep 300; echo '[cluster] over 5 minutes: stopping' >&2; kill -TERM $CHECK; sleep 30; kill -KILL -- -$CHECK" 2>/dev/null &
WATCHDOG=$!
set +e
wait "$CHECK"
STATUS=$?
set -e
exit "$STATUS"
