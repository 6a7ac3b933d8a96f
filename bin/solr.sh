#!/usr/bin/env bash
# Local Apache Solr 9 node for govdata, run from Maven artifacts (search/) with the configset in
# config/solr. Cores: ckan (development and demo) and ckan_test (tests).
#   bin/solr.sh start     start it, or reuse a node that already answers; safe to run twice
#   bin/solr.sh stop      SIGTERM, then SIGKILL if it has not stopped after a timeout
#   bin/solr.sh status    say whether it runs (exit 0) or not (exit 3)
#   bin/solr.sh restart   stop, then start (picks up new jars from search/)
#   bin/solr.sh reload    copy config/solr into every core and reload them, without a restart
#                         (start does this by itself when config/solr changed)
#   bin/solr.sh build     build the launchers (search/) if their sources changed
#   bin/solr.sh cloud [--nodes 2] [--shards 2] [--replicas 2] [--port 8990]
#                         a throw-away SolrCloud in the foreground (embedded ZooKeeper, collection
#                         ckan from config/solr); type "stop 2" / "start 2" / "status", Ctrl-C ends it
# Environment: SOLR_PORT (8983), SOLRCLOUD_PORT (8990), GOVDATA_LOCAL (<repo>/.local).
# Files: $GOVDATA_LOCAL/solr/{home/,solr.pid,solr.log,solr.out}. Index data survives restarts.
# A start with new jars (search/pom.xml) on a running node needs 'restart'.
# SolrCloud: $GOVDATA_LOCAL/solrcloud/{cluster/,solr.log}; the cluster is wiped at each start.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${GOVDATA_LOCAL:-$ROOT/.local}"
PORT="${SOLR_PORT:-8983}"
PROJECT="$ROOT/search"
CONFIG="$ROOT/config/solr"
SOLR_DIR="$LOCAL/solr"
SOLR_HOME="$SOLR_DIR/home"
PID_FILE="$SOLR_DIR/solr.pid"
LOG_FILE="$SOLR_DIR/solr.log"
OUT_FILE="$SOLR_DIR/solr.out"
BUILD_STAMP="$PROJECT/target/.built"
MAIN_CLASS=cn.govdata.search.SolrLauncher
CLOUD_CLASS=cn.govdata.search.SolrCloudLauncher
CLOUD_PORT="${SOLRCLOUD_PORT:-8990}"
CORES=(ckan ckan_test)
START_TIMEOUT=90
STOP_TIMEOUT=30

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

ping_core() {
    curl -fsS -m 5 "http://127.0.0.1:$PORT/solr/$1/admin/ping?wt=json" 2>/dev/null | grep -q '"status":"OK"'
}

all_cores_answer() {
    local core
    for core in "${CORES[@]}"; do
        ping_core "$core" || return 1
    done
}

# A killed node whose parent never reaps it stays behind as a zombie: that counts as gone.
alive() {
    [ -r "/proc/$1/stat" ] && [ "$(sed -E 's/.*\) (.).*/\1/' "/proc/$1/stat")" != Z ]
}

# Prints the pid of the node this script started, if it is still running.
running_pid() {
    local pid
    [ -f "$PID_FILE" ] || return 1
    pid="$(cat "$PID_FILE")"
    [ -n "$pid" ] && alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS" || return 1
    echo "$pid"
}

show_logs() {
    local file
    for file in "$OUT_FILE" "$LOG_FILE"; do
        if [ -s "$file" ]; then
            printf -- '--- last lines of %s ---\n' "$file" >&2
            tail -n 40 "$file" >&2
        fi
    done
}

needs_build() {
    [ -f "$BUILD_STAMP" ] || return 0
    [ -n "$(find "$PROJECT/pom.xml" "$PROJECT/src" -newer "$BUILD_STAMP" -print -quit)" ]
}

build() {
    command -v java >/dev/null || die "java not found (install openjdk-17-jdk-headless)"
    command -v mvn >/dev/null || die "mvn not found (install maven)"
    needs_build || return 0
    say "Building the Solr launcher (search/)"
    # Offline first so it works without network once ~/.m2 holds the jars.
    if ! mvn -o -q -B -f "$PROJECT/pom.xml" package -DskipTests >/dev/null 2>&1; then
        mvn -q -B -f "$PROJECT/pom.xml" package -DskipTests || die "building search/ failed"
    fi
    touch "$BUILD_STAMP"
}

# Solr home: solr.xml and one directory per core holding its own copy of config/solr/conf,
# refreshed on every start and reload. Each core keeps what Solr wrote itself: its data/ and its
# managed resources (_schema_analysis_*.json: the synonyms staff edit) once changed through
# Solr's REST API; until then config/solr's seed. Cores made by 'bin/dev sandbox' and the tests
# live here too and are refreshed alike.
MANAGED_GLOB='_schema_analysis_*.json'

copy_conf() {
    local dir="$1" file
    rm -rf "$dir/conf.new"
    cp -R "$CONFIG/conf" "$dir/conf.new"
    if [ -d "$dir/conf" ]; then
        # Solr marks a managed resource changed through its REST API with updatedSinceInit;
        # one never changed follows config/solr's seed.
        for file in "$dir"/conf/$MANAGED_GLOB; do
            if [ -e "$file" ] && grep -q '"updatedSinceInit"' "$file"; then
                cp "$file" "$dir/conf.new/"
            fi
        done
    fi
    rm -rf "$dir/conf"
    mv "$dir/conf.new" "$dir/conf"
}

prepare_home() {
    local core dir
    mkdir -p "$SOLR_HOME"
    cp "$CONFIG/solr.xml" "$SOLR_HOME/solr.xml"
    for core in "${CORES[@]}"; do
        mkdir -p "$SOLR_HOME/$core"
        printf 'name=%s\n' "$core" >"$SOLR_HOME/$core/core.properties"
    done
    for dir in "$SOLR_HOME"/*/; do
        dir="${dir%/}"
        [ -f "$dir/core.properties" ] || continue
        # A core with another configset on purpose (bench/search.py's previous one) says so.
        [ -f "$dir/keep-conf" ] && continue
        # Cores of older checkouts shared configsets/govdata: give them their own copy.
        sed -i '/^configSet=/d' "$dir/core.properties"
        copy_conf "$dir"
    done
    rm -rf "$SOLR_HOME/configsets"
}

config_changed() {
    [ -d "$SOLR_HOME/ckan/conf" ] || return 0
    ! diff -rq -x "$MANAGED_GLOB" "$CONFIG/conf" "$SOLR_HOME/ckan/conf" >/dev/null 2>&1
}

# Copies config/solr into every core of the running node and reloads them: schema and
# solrconfig changes without a restart. New jars (search/pom.xml) still need 'restart'.
cmd_reload() {
    local dir core
    ping_core ckan || die "Solr does not answer on port $PORT ('bin/solr.sh start' first)"
    running_pid >/dev/null || die "the node on port $PORT was not started by this script; reload its cores yourself"
    prepare_home
    for dir in "$SOLR_HOME"/*/; do
        dir="${dir%/}"
        [ -f "$dir/core.properties" ] || continue
        core="$(sed -n 's/^name=//p' "$dir/core.properties")"
        curl -fsS -m 120 "http://127.0.0.1:$PORT/solr/admin/cores?action=RELOAD&core=$core&wt=json" >/dev/null ||
            die "reloading core $core failed; see $LOG_FILE"
    done
    say "Reloaded the cores with config/solr"
}

# A core for a test suite (bin/dev test, bin/dev sandbox): created, or refreshed and reloaded,
# with config/solr's conf and its seed synonyms, not what earlier tests wrote through Solr's REST
# API (which copy_conf would keep). A node this script did not start keeps its cores as they are.
cmd_fresh_core() {
    local core="$1" dir="$SOLR_HOME/$1" action
    if ! running_pid >/dev/null; then
        ping_core "$core" || die "Solr on port $PORT is not this checkout's and has no core $core: create it from $CONFIG/conf"
        return 0
    fi
    rm -rf "$dir/conf"
    mkdir -p "$dir"
    copy_conf "$dir"
    if ping_core "$core"; then
        action="RELOAD&core=$core"
    else
        action="CREATE&name=$core&instanceDir=$core"
    fi
    curl -fsS -m 120 "http://127.0.0.1:$PORT/solr/admin/cores?action=$action&wt=json" >/dev/null ||
        die "Solr core $core could not be created or reloaded; see $LOG_FILE"
}

cmd_start() {
    local pid
    if ping_core ckan; then
        say "Solr already answers on port $PORT"
        ping_core ckan_test || say "warning: core ckan_test does not answer on port $PORT"
        if config_changed; then
            if running_pid >/dev/null; then
                cmd_reload
            else
                say "config/solr differs from the running node's cores: reload them to use it"
            fi
        fi
        return 0
    fi
    if pid="$(running_pid)"; then
        die "Solr (pid $pid) runs but core ckan does not answer; see $LOG_FILE or run 'bin/solr.sh restart'"
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        die "port $PORT is taken by another program (set SOLR_PORT to use another port)"
    fi
    build
    prepare_home
    say "Starting Solr on 127.0.0.1:$PORT (home $SOLR_HOME)"
    # fd 9 is the lock; the node must not inherit it.
    setsid nohup java -Xms512m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
        -Dfile.encoding=UTF-8 -Duser.timezone=UTC -Dsolr.log.dir="$SOLR_DIR" \
        -cp "$PROJECT/target/classes:$PROJECT/target/lib/*" "$MAIN_CLASS" "$SOLR_HOME" "$PORT" \
        </dev/null >"$OUT_FILE" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    for _ in $(seq 1 "$START_TIMEOUT"); do
        if ! alive "$pid"; then
            show_logs
            rm -f "$PID_FILE"
            die "Solr exited during start-up"
        fi
        if all_cores_answer; then
            say "Solr is up: http://127.0.0.1:$PORT/solr/{$(IFS=,; echo "${CORES[*]}")} (pid $pid)"
            return 0
        fi
        sleep 1
    done
    show_logs
    die "Solr did not answer within ${START_TIMEOUT}s (pid $pid still running; 'bin/solr.sh stop' ends it)"
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        if ping_core ckan; then
            say "Solr on port $PORT was not started by this script; leaving it alone"
        else
            say "Solr is not running"
        fi
        return 0
    fi
    say "Stopping Solr (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 $((STOP_TIMEOUT * 2))); do
        alive "$pid" || break
        sleep 0.5
    done
    if alive "$pid"; then
        say "Solr did not stop within ${STOP_TIMEOUT}s; killing it (the update log replays on next start)"
        kill -KILL "$pid" 2>/dev/null || true
        while alive "$pid"; do sleep 0.2; done
    fi
    rm -f "$PID_FILE"
}

cmd_status() {
    local pid core
    if pid="$(running_pid)"; then
        echo "Solr is running (pid $pid, port $PORT)"
    elif ping_core ckan; then
        echo "Solr is running on port $PORT (not started by this script)"
    else
        echo "Solr is not running"
        return 3
    fi
    for core in "${CORES[@]}"; do
        if ping_core "$core"; then
            echo "  core $core: OK  http://127.0.0.1:$PORT/solr/$core"
        else
            echo "  core $core: not answering"
        fi
    done
}

cmd_cloud() {
    local dir="$LOCAL/solrcloud"
    mkdir -p "$dir"
    say "Starting SolrCloud (collection ckan from $CONFIG/conf); log in $dir/solr.log"
    exec java -Xms512m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
        -Dfile.encoding=UTF-8 -Duser.timezone=UTC -Dsolr.log.dir="$dir" \
        -cp "$PROJECT/target/classes:$PROJECT/target/lib/*" "$CLOUD_CLASS" "$dir/cluster" "$CONFIG/conf" \
        --port "$CLOUD_PORT" "$@"
}

case "${1:-}" in
    start | stop | status | restart | reload | build | cloud) ;;
    fresh-core) [ -n "${2:-}" ] || { echo "usage: bin/solr.sh fresh-core NAME" >&2; exit 2; } ;;
    *) echo "usage: bin/solr.sh start|stop|status|restart|reload|build|cloud|fresh-core NAME" >&2; exit 2 ;;
esac

mkdir -p "$SOLR_DIR"
# One start/stop at a time.
exec 9>"$SOLR_DIR/.lock"
flock 9

case "$1" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    restart) cmd_stop && cmd_start ;;
    reload) cmd_reload ;;
    fresh-core) cmd_fresh_core "$2" ;;
    build) build ;;
    # The cloud runs in the foreground: release the lock so the standalone node stays manageable.
    cloud) build && exec 9>&- && shift && cmd_cloud "$@" ;;
esac
