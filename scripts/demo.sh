#!/bin/sh
# `make demo`: the sample city simulated on this machine, watched by the exporters, Prometheus
# and Alertmanager. Brings the lab, the exporters and the monitoring stack up, prints where to
# look, keeps them running for DEMO_SECONDS (default: until Ctrl-C), then takes all down again.
set -eu
BIN=${BIN:-.venv/bin}
INVENTORY=${INVENTORY:-inventory.yaml}
export EDUNET_LAB_DIR="${EDUNET_LAB_DIR:-.edunet-lab}"
SNMP=127.0.0.1:9116
PROBE=127.0.0.1:9374
API=127.0.0.1:${API_PORT:-8000}

"$BIN/edunet" validate "$INVENTORY"
"$BIN/edunet" lab up -i "$INVENTORY"
# the lab's secrets, address map and ports (they move up when run without root)
eval "$("$BIN/edunet" lab env)"

exporters=""
monitors=""
api=""
down() {
    trap - EXIT INT TERM
    if [ -n "$api" ]; then
        kill -TERM "$api" 2>/dev/null || true
        wait "$api" 2>/dev/null || true
    fi
    if [ -n "$monitors" ]; then
        kill -TERM "$monitors" 2>/dev/null || true
        wait "$monitors" 2>/dev/null || true
    fi
    if [ -n "$exporters" ]; then
        kill -TERM "$exporters" 2>/dev/null || true
        wait "$exporters" 2>/dev/null || true
    fi
    "$BIN/edunet" lab down
}
trap down EXIT
trap 'exit 130' INT TERM

# their log (one JSON line per event) goes to a file, so the alerts below stay readable
"$BIN/edunet" exporters run all -i "$INVENTORY" --listen-snmp "$SNMP" --listen-probe "$PROBE" \
    >"$EDUNET_LAB_DIR/exporters.log" 2>&1 &
exporters=$!

# Prometheus, Alertmanager, VictoriaMetrics and an alert receiver that prints every alert;
# a fresh state each time, so a new demo's alerts are news to Alertmanager too
rm -rf "$EDUNET_LAB_DIR/monitors"
"$BIN/edunet" monitors run --lab -i "$INVENTORY" --snmp-exporter "$SNMP" --prober "$PROBE" \
    --dir "$EDUNET_LAB_DIR/monitors" &
monitors=$!

# the inventory API with a fresh read-only token (only its hash is stored); the live status
# comes from the demo's Prometheus
tokens="$EDUNET_LAB_DIR/api-tokens.yaml"
rm -f "$tokens"
token=$("$BIN/edunet" api token create --scope inventory:read --scope topology:read \
    --name demo --tokens-file "$tokens")
"$BIN/edunet" api serve -i "$INVENTORY" --tokens-file "$tokens" --host "${API%:*}" \
    --port "${API##*:}" --prometheus-url http://127.0.0.1:9090 \
    >"$EDUNET_LAB_DIR/api.log" 2>&1 &
api=$!

# a first look, once the exporters answer: a school router, the data center's edge, the prober
"$BIN/python" scripts/demo_look.py --inventory "$INVENTORY" --snmp "$SNMP" --probe "$PROBE" \
    --prometheus 127.0.0.1:9090 --alertmanager 127.0.0.1:9093

# device configuration over SSH: one school's router and switches get their intended
# configuration (backup first, saved after), and drift then finds every line in place
"$BIN/edunet" config push --intended -l site=79760002 -i "$INVENTORY" \
    --store "$EDUNET_LAB_DIR/config-backups"
"$BIN/edunet" config drift -l site=79760002 -i "$INVENTORY" \
    --store "$EDUNET_LAB_DIR/config-backups" --metrics-file "$EDUNET_LAB_DIR/config-drift.prom"

# wait (bounded) for the API to answer, then show how to ask it
tries=0
until "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "http://$API/health" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
        echo "the API did not answer on $API; see $EDUNET_LAB_DIR/api.log" >&2
        break
    fi
    sleep 0.5
done
echo "inventory API on http://$API (OpenAPI: http://$API/docs); a read-only token:"
echo "  $token"
echo "  curl -H 'Authorization: Bearer $token' 'http://$API/api/v1/devices?district=760&limit=5'"
echo "  curl -H 'Authorization: Bearer $token' 'http://$API/api/v1/topology/paths?a=79760002'"
echo "  curl -H 'Authorization: Bearer $token' 'http://$API/api/v1/status/sites?district=760'"
echo "  (live status fills in once Prometheus has seen a few probe rounds: a minute or two)"

if [ -n "${DEMO_SECONDS:-}" ]; then
    sleep "$DEMO_SECONDS"
else
    echo "running (exporters' log: $EDUNET_LAB_DIR/exporters.log); alerts are printed as"
    echo "Alertmanager delivers them. Ctrl-C stops the monitoring stack, the exporters and the lab"
    wait "$exporters"
fi
