#!/usr/bin/env bash
# Installs PostgreSQL 15 + pgvector (built from Debian trixie's source package, since bookworm has no
# pgvector package) and starts a cluster listening on 127.0.0.1 only. Idempotent: every step is
# skipped when its result is already there. Needs root. The tests and benchmarks use the cluster
# through TEST_DATABASE_URL (postgres://postgres:postgres@127.0.0.1:5432/laotie_test).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PGV=15
PGPASS=${PGPASSWORD:-postgres}

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

if ! have_pkg postgresql-$PGV || ! have_pkg postgresql-server-dev-$PGV || ! have_pkg build-essential; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql-$PGV postgresql-server-dev-$PGV build-essential >/dev/null
fi

if [ ! -f /usr/share/postgresql/$PGV/extension/vector.control ]; then
  M=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  if [ ! -f /etc/apt/sources.list.d/trixie-src.sources ]; then
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$M" \
      > /etc/apt/sources.list.d/trixie-src.sources
  fi
  apt-get update -qq
  mkdir -p /usr/local/src && cd /usr/local/src
  [ -d pgvector-0.8.0 ] || apt-get source -qq pgvector >/dev/null
  cd pgvector-0.8.0 && make -s OPTFLAGS="" >/dev/null && make -s install >/dev/null
fi

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$PGV main$"; then
  pg_createcluster $PGV main >/dev/null
fi
echo "listen_addresses = '127.0.0.1'" > /etc/postgresql/$PGV/main/conf.d/listen.conf
online() { pg_lsclusters -h | awk -v v=$PGV '$1==v && $2=="main" {print $4}' | grep -q online; }
# Debian's 128 MB of shared buffers cannot hold one 100k-product HNSW graph beside its table, so
# every search read pages from the kernel's cache (bench:search loads two such graphs: ours and
# LangChain's). pgvector's advice is to size memory so the index stays in it; a server changed here
# is restarted.
MEMORY_CONF=/etc/postgresql/$PGV/main/conf.d/memory.conf
if [ "$(cat $MEMORY_CONF 2>/dev/null)" != "shared_buffers = 1GB" ]; then
  echo "shared_buffers = 1GB" > $MEMORY_CONF
  if online; then pg_ctlcluster $PGV main restart; fi
fi
if ! online; then pg_ctlcluster $PGV main start; fi
for _ in $(seq 1 30); do runuser -u postgres -- pg_isready -q -h 127.0.0.1 && break; sleep 1; done
runuser -u postgres -- psql -qtAc "ALTER ROLE postgres PASSWORD '$PGPASS'" >/dev/null
runuser -u postgres -- psql -qtAc "SELECT 1 FROM pg_database WHERE datname='laotie_test'" | grep -q 1 \
  || runuser -u postgres -- createdb laotie_test
runuser -u postgres -- psql -q -d laotie_test -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
echo "postgres $PGV + pgvector ready on 127.0.0.1:5432 (database laotie_test)"
