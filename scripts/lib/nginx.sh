# nginx helpers for test scripts (sourced, after scripts/lib/processes.sh): the shipped
# deploy/nginx/nginx.conf with only its addresses changed, and a fast stand-in application.
#
#   start_app_nginx "$WORK/app"                       # sets APP_PORT
#   start_deploy_nginx "$WORK/nginx" "$APP_PORT" 8081 8082   # sets PROXY_PORT; log in $WORK/nginx.out

# template SOURCE DESTINATION OLD NEW [OLD NEW...]: SOURCE with each OLD (which must occur exactly
# once) replaced by NEW; fails when anything but those lines would change.
template() {
    python3 - "$@" << 'PY'
import sys
source, destination, *pairs = sys.argv[1:]
text = open(source).read()
for old, new in zip(pairs[0::2], pairs[1::2]):
    assert text.count(old) == 1, f"{source}: expected '{old}' exactly once, found it {text.count(old)} times"
    text = text.replace(old, new)
original, templated = open(source).read().splitlines(), text.splitlines()
changed = sum(1 for a, b in zip(original, templated) if a != b)
assert len(original) == len(templated) and changed == len(pairs) // 2, "templating changed more than the addresses"
open(destination, "w").write(text)
PY
}

# start_app_nginx DIRECTORY: an nginx (one worker) that answers every request 200 "ok": the
# protected application when load, not its echo, matters. Sets APP_PORT; output in DIRECTORY.out.
start_app_nginx() {
    local directory="$1"
    APP_PORT="$(free_port)"
    mkdir -p "$directory"
    cat > "$directory/nginx.conf" << CONF
worker_processes 1;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$APP_PORT;
        keepalive_requests 1000000;
        location / { return 200 "ok\n"; }
    }
}
CONF
    start_background "$directory.out" nginx -e stderr -p "$directory/" -c "$directory/nginx.conf" -g "daemon off; pid $directory/nginx.pid;"
    wait_for_port "$APP_PORT"
}

# start_deploy_nginx DIRECTORY APP_PORT GATEWAY_PORT...: deploy/nginx/nginx.conf with only its
# addresses changed: the gateway upstream lists every GATEWAY_PORT. Sets PROXY_PORT; its access
# log (one line per request, the status third) and errors go to DIRECTORY.out.
start_deploy_nginx() {
    local directory="$1" app_port="$2" servers="" port
    shift 2
    for port in "$@"; do servers+="server 127.0.0.1:$port; "; done
    PROXY_PORT="$(free_port)"
    mkdir -p "$directory"
    template deploy/nginx/nginx.conf "$directory/nginx.conf" \
        "server gateway:8080;" "$servers" \
        "server app:8000;" "server 127.0.0.1:$app_port;" \
        "listen 80;" "listen 127.0.0.1:$PROXY_PORT;"
    local nginx=(nginx -e stderr -p "$directory/" -c "$directory/nginx.conf" -g "daemon off; pid $directory/nginx.pid;")
    "${nginx[@]}" -t -q
    start_background "$directory.out" "${nginx[@]}"
    wait_for_port "$PROXY_PORT"
}

# ensure_wrk: installs wrk from Debian's packages when it is missing.
ensure_wrk() {
    command -v wrk > /dev/null && return 0
    echo "installing wrk from Debian's packages (load for the test)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk > /tmp/install-wrk.log 2>&1 \
        || { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk > /tmp/install-wrk.log 2>&1; } \
        || { cat /tmp/install-wrk.log >&2; echo "cannot install wrk" >&2; return 1; }
}
