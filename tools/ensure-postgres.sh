#!/usr/bin/env bash
# Make sure the PostgreSQL server binaries are on this machine for the store tests, which start a
# throwaway server of their own (tests/pgserver.py). Installs Debian's `postgresql` with apt-get
# when they are missing and we can (root, apt-get); otherwise says why, and the PostgreSQL tests
# are skipped with that reason. Never fails the build.
set -u
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL server binaries missing and cannot apt-get install them here" \
       "(not root or no apt-get); the PostgreSQL tests will be skipped" >&2
  exit 0
fi
echo "ensure-postgres: installing Debian's postgresql (for the store tests)" >&2
export DEBIAN_FRONTEND=noninteractive
# the tests make their own cluster: ask the package not to create and start a system one
mkdir -p /etc/postgresql-common
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi
if ! { apt-get update -qq && apt-get install -y -qq -o Dpkg::Options::=--force-confold \
        --no-install-recommends postgresql >/dev/null; }; then
  echo "ensure-postgres: apt-get install postgresql failed; the PostgreSQL tests will be skipped" >&2
fi
exit 0
