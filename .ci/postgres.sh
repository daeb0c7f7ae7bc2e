# shellcheck shell=bash
# Source this file (". .ci/postgres.sh") to give the tests a PostgreSQL:
# it installs Debian's PostgreSQL when no server binaries are present,
# initializes a throwaway cluster (trust authentication, loopback and a
# Unix socket only), starts it, creates the test database and exports
#
#   VEREDICTO_TEST_POSTGRES=postgres://veredicto@127.0.0.1:PORT/veredicto_test?sslmode=disable
#
# It is idempotent and quick when the cluster already runs, respects a
# VEREDICTO_TEST_POSTGRES that is already set, and never fails its caller:
# when PostgreSQL cannot be had (no apt, no network, no root), it says so
# and the PostgreSQL tests skip with a message.
#
# Settings: VEREDICTO_PG_PORT (default 55432), VEREDICTO_PG_DIR (default
# /tmp/veredicto-pg-PORT). Stop the cluster with
#   pg_ctl -D "$VEREDICTO_PG_DIR/data" stop   (as user postgres when root)

_vpg_say() { echo "postgres.sh: $*" >&2; }

_vpg_bindir() {
	local d
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

_vpg_install() {
	if ! command -v apt-get >/dev/null 2>&1; then
		_vpg_say "no PostgreSQL and no apt-get to install it"
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		_vpg_say "no PostgreSQL, and installing it needs root"
		return 1
	fi
	_vpg_say "installing PostgreSQL from Debian's packages..."
	# Only this throwaway cluster is wanted, not the package's default one.
	if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
		mkdir -p /etc/postgresql-common && echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
	fi
	if ! timeout 300 apt-get update -qq >/dev/null 2>&1; then
		_vpg_say "apt-get update failed"
		return 1
	fi
	if ! DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1; then
		_vpg_say "apt-get install postgresql failed"
		return 1
	fi
}

_vpg_main() {
	if [ -n "${VEREDICTO_TEST_POSTGRES:-}" ]; then
		_vpg_say "using VEREDICTO_TEST_POSTGRES from the environment"
		return 0
	fi
	local port="${VEREDICTO_PG_PORT:-55432}"
	local dir="${VEREDICTO_PG_DIR:-/tmp/veredicto-pg-$port}"
	local user=veredicto db=veredicto_test bin
	local skip="the PostgreSQL tests will be skipped"

	bin=$(_vpg_bindir) || { _vpg_install && bin=$(_vpg_bindir); } || {
		_vpg_say "PostgreSQL is not available; $skip"
		return 1
	}

	# initdb and postgres refuse to run as root: run them as postgres.
	local -a as=()
	if [ "$(id -u)" = 0 ]; then
		if ! id postgres >/dev/null 2>&1; then
			useradd --system --no-create-home --shell /bin/sh postgres >/dev/null 2>&1 || {
				_vpg_say "cannot create the postgres user; $skip"
				return 1
			}
		fi
		as=(runuser -u postgres --)
		mkdir -p "$dir" && chown postgres "$dir" && chmod 700 "$dir"
	else
		mkdir -p "$dir" && chmod 700 "$dir"
	fi || { _vpg_say "cannot create $dir; $skip"; return 1; }

	if [ ! -s "$dir/data/PG_VERSION" ]; then
		if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --no-locale --no-sync \
			>"$dir/initdb.log" 2>&1; then
			_vpg_say "initdb failed ($(tail -n 1 "$dir/initdb.log")); $skip"
			return 1
		fi
	fi

	if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1; then
			_vpg_say "the server did not start ($( (grep -m 1 -E 'FATAL|ERROR' "$dir/server.log" || tail -n 1 "$dir/server.log") 2>/dev/null)); $skip"
			return 1
		fi
	fi

	local psql=("${as[@]}" "$bin/psql" -h "$dir" -p "$port" -U "$user" -X -q -t -A)
	if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null)" != 1 ]; then
		if ! "${psql[@]}" -d postgres -c "CREATE DATABASE $db" >/dev/null 2>&1; then
			_vpg_say "cannot create database $db; $skip"
			return 1
		fi
	fi

	export VEREDICTO_TEST_POSTGRES="postgres://$user@127.0.0.1:$port/$db?sslmode=disable"
	_vpg_say "$("$bin/postgres" --version) ready: VEREDICTO_TEST_POSTGRES=$VEREDICTO_TEST_POSTGRES"
}

# Called in a condition, so that a caller's "set -e" cannot end its shell here.
_vpg_main || true
unset -f _vpg_say _vpg_bindir _vpg_install _vpg_main
