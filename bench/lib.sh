# bench/lib.sh — what the wrk-and-nginx benchmarks share (sourced by bench/api and
# bench/ledgers). Expects TMP (a private temp dir, mode 755) and NGINX (the binary); sets
# NGINX_PID and NPORT. Everything listens on 127.0.0.1 only.

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

free_port() { # a loopback port nobody listens on (bounded tries)
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

# start_nginx PORT PROBE: nginx of its own (temp config, access_log off, keep-alive)
# serving $TMP/nginx/root on PORT; 0 once PROBE (a file under root) answers.
start_nginx() {
    local port=$1 probe=$2 d=$TMP/nginx
    mkdir -p "$d/root" "$d/tmp"
    chmod 755 "$d" "$d/root"
    cat >"$d/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    default_type application/json;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port;
        root $d/root;
    }
}
EOF
    "$NGINX" -p "$d" -e "$d/error.log" -c "$d/nginx.conf" >"$d/stdout.log" 2>&1 &
    NGINX_PID=$!
    for _ in $(seq 50); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/$probe" && return 0
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
    return 1
}

# nginx_up PROBE: start_nginx on a free port (three tries); sets NPORT.
nginx_up() {
    NPORT=""
    local p
    for _ in 1 2 3; do
        p=$(free_port) || die "no free loopback port"
        if start_nginx "$p" "$1"; then NPORT=$p; return 0; fi
    done
    cat "$TMP/nginx/error.log" "$TMP/nginx/stdout.log" >&2 2>/dev/null
    die "nginx did not start"
}

# write_report_lua FILE: the wrk script every row ends with, printing one line
# "BENCHRESULT rps p50us p99us requests non2xx sockerrors".
write_report_lua() {
    cat >"$1" <<'EOF'
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("BENCHRESULT %.1f %d %d %d %d %d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
        summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
EOF
}

# agg_file FILE NAME FIELD -> "median min max" of FIELD over the rows of FILE whose second
# field is NAME
agg_file() {
    awk -v n="$2" -v f="$3" '$2 == n { print $f }' "$1" | sort -g | awk '
        { a[NR] = $1 }
        END { if (!NR) { print "nan nan nan"; exit }
              m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              print m, a[1], a[NR] }'
}
