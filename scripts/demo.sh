#!/usr/bin/env bash
# make demo: serve Katchi on :8000 and play the Seoul M6.5 earthquake exercise into it at 60x.
# The demo world's organisations join the exercise, so its users (see `katchi seed demo`) can watch
# and act in it. The server keeps serving when the exercise ends (or fails), so what was played can
# still be read; Ctrl-C stops both.
set -euo pipefail
BIN=${BIN:-.venv/bin}
SPEED=${SPEED:-60}
PORT=${PORT:-8000}
SCENARIO=${SCENARIO:-scenarios/seoul-earthquake.yaml}
url="http://127.0.0.1:$PORT"
"$BIN/katchi" serve --host 127.0.0.1 --port "$PORT" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
trap 'exit 130' INT TERM
up() { "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url/healthz" 2>/dev/null; }
for _ in $(seq 150); do
  sleep 0.2
  kill -0 $server 2>/dev/null || { echo "the server did not start (is port $PORT in use?)" >&2; exit 1; }
  up && break
done
token=$("$BIN/katchi" token create kim.cmoc)
echo
echo "Katchi is serving on $url — open it and sign in as kim.cmoc (password katchi-demo-2026);"
echo "the exercise is the operation marked LIVE at the top of the list (한국어/English at the top right)."
echo "API docs: $url/api/v1/docs; the stream for scripts (token $token):"
echo "  curl -N -H 'Authorization: Bearer $token' $url/api/v1/operations/<operation id>/stream"
echo "Type pause, resume, speed 120, jump 6h or quit here to control the exercise clock."
echo
status=0
name="EXERCISE Seoul M6.5 earthquake $(date -u +%Y-%m-%dT%H:%MZ)"
lender=$("$BIN/katchi" token create jones.2cab --expires 1d)
"$BIN/python" scripts/demo_lend.py "$url" "$lender" "$name" &
"$BIN/katchi" exercise start "$SCENARIO" \
  --operation "$name" \
  --speed "$SPEED" \
  --participants mois,seoul-dsh,gyeonggi-dsh,nfa,kfs,krc,rok-jcs,rok-army,us-2cab,ex-control \
  --coordinators mois || status=$?
if [ "$status" = 0 ]; then
  echo "The exercise has ended; Katchi keeps serving on $url until Ctrl-C." >&2
else
  echo "The exercise stopped (exit $status); Katchi keeps serving on $url until Ctrl-C." >&2
fi
wait $server
