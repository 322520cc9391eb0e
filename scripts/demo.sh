#!/usr/bin/env bash
# make demo: serve Katchi on :8000 and play the Seoul M6.5 earthquake exercise into it at 60x.
# The demo world's organisations join the exercise, so its users (see `katchi seed demo`) can watch
# and act in it. Stop with Ctrl-C; the server stops with the exercise.
set -euo pipefail
BIN=${BIN:-.venv/bin}
SPEED=${SPEED:-60}
"$BIN/katchi" serve --host 127.0.0.1 --port 8000 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do
  curl -fsS http://127.0.0.1:8000/healthz >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
  sleep 0.2
done
token=$("$BIN/katchi" token create kim.cmoc)
echo
echo "Katchi is serving on http://127.0.0.1:8000 — open it and sign in as kim.cmoc (password katchi-demo-2026),"
echo "then pick the EXERCISE operation to watch it live on the map (한국어/English at the top right)."
echo "API docs: http://127.0.0.1:8000/api/v1/docs; the stream for scripts (token $token):"
echo "  curl -N -H 'Authorization: Bearer $token' http://127.0.0.1:8000/api/v1/operations/<operation id>/stream"
echo "Type pause, resume, speed 120, jump 6h or quit here to control the exercise clock."
echo
"$BIN/katchi" exercise start scenarios/seoul-earthquake.yaml \
  --operation "EXERCISE Seoul M6.5 earthquake $(date -u +%Y-%m-%dT%H:%MZ)" \
  --speed "$SPEED" \
  --participants mois,seoul-dsh,gyeonggi-dsh,nfa,kfs,krc,rok-jcs,rok-army,us-2cab
