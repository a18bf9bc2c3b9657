# shellcheck shell=bash
# Shared by setup/run, setup/test, setup/stop and setup/i18n: the one place that knows how an
# environment for these addons is made. Sourced, never executed.
#
# Inputs (environment):
#   ODOO_SRC        Odoo 18.0 source tree (default /opt/odoo18)
#   OMNI_VENV       virtualenv to use (default: one under ~/.cache keyed by its inputs)
#   OMNI_RUN_DIR    project-local state: PostgreSQL cluster, Odoo config, filestore (default <repo>/.run)
#   OMNI_PG_PORT    port of the project's PostgreSQL cluster (default 55432)
#   OMNI_HTTP_PORT  Odoo's HTTP port (default 8069)
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo18}
OMNI_RUN_DIR=${OMNI_RUN_DIR:-$REPO_DIR/.run}
OMNI_PG_PORT=${OMNI_PG_PORT:-55432}
OMNI_HTTP_PORT=${OMNI_HTTP_PORT:-8069}
OMNI_ADDONS=omnichannel_crm,omnichannel_sms,omnichannel_wechat,omnichannel_livechat
PYTHON_BIN=${PYTHON_BIN:-/usr/bin/python3.11}
PG_ROLE=odoo
PG_PASSWORD=odoo

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Refuse early, before anything is created, when Odoo 18.0 is not where we look.
check_odoo_src() {
    local release="$ODOO_SRC/odoo/release.py"
    if [ ! -f "$release" ] || [ ! -f "$ODOO_SRC/odoo-bin" ] \
        || ! grep -qE '^version_info = \(18, 0,' "$release"; then
        cat >&2 <<MSG
[setup] ERROR: no Odoo 18.0 source tree at ODOO_SRC=$ODOO_SRC.
These addons run on Odoo 18.0 Community, which this repository does not contain. Get an Odoo 18.0
source tree, for example with "git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo18"
or by unpacking the 18.0 source tarball from https://nightly.odoo.com/18.0/nightly/src/ into /opt/odoo18,
then run this command again with ODOO_SRC pointing at that folder (the one holding odoo-bin), e.g.
"ODOO_SRC=/opt/odoo18 $0". Nothing was created or changed.
MSG
        exit 2
    fi
}

# Debian packages: PostgreSQL server and client, headers for Odoo's compiled requirements, a browser for tours,
# ffmpeg to make customers' voice messages (AMR) playable in the browser.
DEB_PACKAGES=(postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev python3-venv python3-dev
              build-essential chromium ffmpeg)

ensure_debian_packages() {
    local missing=() pkg
    for pkg in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})"
        sudo=(sudo)
    fi
    log "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Bump when ensure_venv builds the virtualenv differently.
VENV_RECIPE=1

# The virtualenv lives outside the clone and is keyed by everything that goes into it, so a fresh clone
# (CI) reuses it while Odoo's requirements, ours and the pins are unchanged.
venv_key() {
    cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/requirements.txt" "$REPO_DIR/setup/build-constraints.txt" \
        "$REPO_DIR/setup/constraints.txt" "$REPO_DIR/setup/oca-addons.txt" \
        | { cat; echo "recipe $VENV_RECIPE"; "$PYTHON_BIN" -c 'import sys; print(sys.version)'; } \
        | sha256sum | cut -c1-16
}

# pip, without the notes some machines' pip configuration prints for every package.
quiet_pip() {
    "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}

ensure_venv() {
    [ -x "$PYTHON_BIN" ] || die "Python 3.11 not found at $PYTHON_BIN (set PYTHON_BIN, or apt-get install python3.11 python3.11-venv)"
    OMNI_VENV=${OMNI_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/omnichannel-odoo/venv-$(venv_key)}
    VENV_PY=$OMNI_VENV/bin/python
    if [ -f "$OMNI_VENV/.complete" ]; then
        log "reusing virtualenv $OMNI_VENV"
        return 0
    fi
    # Two commands started at once build it once: the second waits for the first.
    mkdir -p "$(dirname "$OMNI_VENV")"
    exec {venv_lock}>"$OMNI_VENV.lock"
    flock "$venv_lock"
    if [ -f "$OMNI_VENV/.complete" ]; then
        flock -u "$venv_lock"
        log "reusing virtualenv $OMNI_VENV"
        return 0
    fi
    log "building virtualenv $OMNI_VENV (a few minutes the first time)"
    rm -rf "$OMNI_VENV"
    "$PYTHON_BIN" -m venv "$OMNI_VENV"
    local pip=(quiet_pip "$VENV_PY" -m pip --disable-pip-version-check -q)
    "${pip[@]}" install -U 'pip>=25.1'
    # --build-constraint: some sdists pinned by Odoo only build with an old setuptools (see the file);
    # -c constraints.txt: runtime pins that keep Odoo's own pinned packages working (see the file).
    "${pip[@]}" install --build-constraint "$REPO_DIR/setup/build-constraints.txt" \
        -c "$REPO_DIR/setup/constraints.txt" \
        -r "$ODOO_SRC/requirements.txt" -r "$REPO_DIR/requirements.txt"
    # OCA addons: pinned to the 18.0 series and without dependencies, or pip would pull 19.0 builds or "odoo".
    "${pip[@]}" install --no-deps -r "$REPO_DIR/setup/oca-addons.txt"
    touch "$OMNI_VENV/.complete"
    flock -u "$venv_lock"
}

oca_addons_dir() { "$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }

# --- PostgreSQL: a cluster owned by the project, in an ignored folder, on its own port. -------------
PG_BIN=""
find_pg_bin() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
}

# PostgreSQL refuses to run as root; as root, the cluster is owned by the "postgres" system user.
as_pg_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_paths() {
    PG_HOME=$OMNI_RUN_DIR/postgresql
    PG_DATA=$PG_HOME/data
    PG_SOCKET_DIR=$PG_HOME/socket
    PG_LOG=$PG_HOME/postgresql.log
}

pg_is_running() {
    pg_paths
    [ -f "$PG_DATA/postmaster.pid" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

ensure_postgres() {
    find_pg_bin
    pg_paths
    mkdir -p "$OMNI_RUN_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        # The postgres user must reach the folder: every parent needs search permission for it.
        if ! runuser -u postgres -- test -x "$OMNI_RUN_DIR"; then
            die "the postgres user cannot reach $OMNI_RUN_DIR; set OMNI_RUN_DIR to a folder outside private home directories"
        fi
    fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        log "creating PostgreSQL cluster in $PG_DATA"
        rm -rf "$PG_HOME"
        mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
        if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$PG_HOME"; fi
        # The bootstrap superuser is the OS user owning the cluster and logs in over the socket only (peer);
        # TCP connections need a password.
        as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    fi
    if ! pg_is_running; then
        PG_STARTED_HERE=1
        log "starting PostgreSQL on 127.0.0.1:$OMNI_PG_PORT"
        as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
            -o "-p $OMNI_PG_PORT -k $PG_SOCKET_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
            || die "PostgreSQL did not start; see $PG_LOG (is port $OMNI_PG_PORT taken? set OMNI_PG_PORT)"
    fi
    # Odoo's own role: may create databases, is not a superuser.
    local psql=("$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$OMNI_PG_PORT" -d postgres -qtA)
    if [ "$(as_pg_owner "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" != 1 ]; then
        as_pg_owner "${psql[@]}" -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB NOSUPERUSER PASSWORD '$PG_PASSWORD'"
    fi
}

stop_postgres() {
    find_pg_bin
    if pg_is_running; then
        log "stopping PostgreSQL"
        as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
}

# A command that started the cluster stops it when it ends; one started by another command stays up.
PG_STARTED_HERE=0
stop_postgres_if_started_here() {
    [ "$PG_STARTED_HERE" = 1 ] && stop_postgres
    return 0
}

# psql as Odoo's role, for database housekeeping.
odoo_psql() {
    PGPASSWORD=$PG_PASSWORD PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" -h 127.0.0.1 -p "$OMNI_PG_PORT" -U "$PG_ROLE" -d postgres -qtA "$@"
}

drop_database() {
    odoo_psql -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
    rm -rf "$OMNI_RUN_DIR/data/filestore/$1"
}

# --- Odoo configuration ------------------------------------------------------------------------------
write_odoo_config() {
    ODOO_CONF=$OMNI_RUN_DIR/odoo.conf
    local master_file=$OMNI_RUN_DIR/master-password
    [ -s "$master_file" ] || (umask 077; "$VENV_PY" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$master_file")
    (umask 077; cat > "$ODOO_CONF" <<CONF
[options]
db_host = 127.0.0.1
db_port = $OMNI_PG_PORT
db_user = $PG_ROLE
db_password = $PG_PASSWORD
admin_passwd = $(cat "$master_file")
addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$(oca_addons_dir)/odoo/addons,$REPO_DIR
data_dir = $OMNI_RUN_DIR/data
http_port = $OMNI_HTTP_PORT
; omnichannel_crm server-wide: its webhooks answer 503 (deliver again), not 404, while the
; database is unreachable.
server_wide_modules = base,web,omnichannel_crm
CONF
    )
}

odoo_bin() { "$VENV_PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"; }

# Everything a command needs before it touches Odoo.
prepare_environment() {
    check_odoo_src
    ensure_debian_packages
    ensure_venv
    ensure_postgres
    write_odoo_config
}
