# Helpers for test scripts that run real processes on loopback (sourced, not run).
#
#   source scripts/lib/processes.sh
#   WORK="$(mktemp -d)"; trap stop_background_processes EXIT
#   start_background "$WORK/idp.out" "$BIN" dev-idp --host 127.0.0.1 --port "$port" ...
#   wait_for_line "$WORK/idp.out" listening || exit 1
#
# Every process started with start_background is stopped (SIGTERM, by its own pid) by
# stop_background_processes, which the caller puts in its EXIT trap.

BACKGROUND_PIDS=()

# A loopback TCP port that was free a moment ago.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_background LOG COMMAND [ARGS...]: runs the command in the background, stdout and stderr
# into LOG; its pid is in LAST_PID. For a command that needs its own directory or environment,
# pass `env -C DIR -i VAR=... PROGRAM ...`: env execs, so the pid stays the program's.
start_background() {
    local log="$1"
    shift
    "$@" > "$log" 2>&1 &
    LAST_PID=$!
    BACKGROUND_PIDS+=("$LAST_PID")
}

# wait_for_line FILE PATTERN [SECONDS]: waits until a line matching PATTERN (grep) is in FILE.
wait_for_line() {
    local deadline=$(( SECONDS + ${3:-10} ))
    while [ "$SECONDS" -le "$deadline" ]; do
        grep -q -- "$2" "$1" 2> /dev/null && return 0
        sleep 0.1
    done
    echo "timed out waiting for '$2' in $1:" >&2
    sed 's/^/    /' "$1" >&2
    return 1
}

# wait_for_port PORT [SECONDS]: waits until something accepts connections on 127.0.0.1:PORT.
wait_for_port() {
    local deadline=$(( SECONDS + ${2:-10} ))
    while [ "$SECONDS" -le "$deadline" ]; do
        (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null && return 0
        sleep 0.1
    done
    echo "timed out waiting for a listener on 127.0.0.1:$1" >&2
    return 1
}

# stop_process PID: SIGTERM to one process of start_background, then waits for it; returns its
# exit status. The exit trap won't signal that pid again (it may belong to another process by then).
stop_process() {
    kill -TERM "$1" 2> /dev/null || true
    local status=0 pid remaining=()
    wait "$1" 2> /dev/null || status=$?
    for pid in "${BACKGROUND_PIDS[@]}"; do [ "$pid" = "$1" ] || remaining+=("$pid"); done
    BACKGROUND_PIDS=("${remaining[@]}")
    return "$status"
}

stop_background_processes() {
    local pid
    for pid in "${BACKGROUND_PIDS[@]}"; do
        kill -TERM "$pid" 2> /dev/null || true
    done
    for pid in "${BACKGROUND_PIDS[@]}"; do
        wait "$pid" 2> /dev/null || true
    done
    BACKGROUND_PIDS=()
}

# issue_token IDP_PORT SCOPE SUBJECT: a new access token from the development identity provider.
issue_token() {
    curl -sf -X POST "http://127.0.0.1:$1/_dev/tokens" -H 'Content-Type: application/json' \
        -d "{\"client_id\":\"app\",\"scope\":\"$2\",\"subject\":\"$3\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
