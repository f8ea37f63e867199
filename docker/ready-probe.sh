#!/usr/bin/env bash
# Container health check of the orchestrator image: exit 0 when GET /health/ready answers 200.
# The JRE image has neither curl nor wget; bash's /dev/tcp is enough for one HTTP/1.0 request.
# Port: REFRESH_ORCHESTRATOR_HTTP_PORT (the same variable that overrides http.port), else 8080.
set -euo pipefail
port="${REFRESH_ORCHESTRATOR_HTTP_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
read -r -t 5 status_line <&3
exec 3<&-
case "${status_line}" in
    "HTTP/"*" 200"*) exit 0 ;;
    *) echo "not ready: ${status_line:-no answer}" >&2; exit 1 ;;
esac
