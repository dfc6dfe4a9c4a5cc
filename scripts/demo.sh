#!/bin/sh
# `make demo`: the sample city simulated on this machine and watched by the exporters.
# Brings the lab and the exporters up, prints where to look, keeps them running for
# DEMO_SECONDS (default: until Ctrl-C), then takes everything down again.
set -eu
BIN=${BIN:-.venv/bin}
INVENTORY=${INVENTORY:-inventory.yaml}
export EDUNET_LAB_DIR="${EDUNET_LAB_DIR:-.edunet-lab}"
SNMP=127.0.0.1:9116
PROBE=127.0.0.1:9374

"$BIN/edunet" validate "$INVENTORY"
"$BIN/edunet" lab up -i "$INVENTORY"
# the lab's secrets, address map and ports (they move up when run without root)
eval "$("$BIN/edunet" lab env)"

exporters=""
down() {
    trap - EXIT INT TERM
    if [ -n "$exporters" ]; then
        kill -TERM "$exporters" 2>/dev/null || true
        wait "$exporters" 2>/dev/null || true
    fi
    "$BIN/edunet" lab down
}
trap down EXIT
trap 'exit 130' INT TERM

"$BIN/edunet" exporters run all -i "$INVENTORY" --listen-snmp "$SNMP" --listen-probe "$PROBE" &
exporters=$!

# a first look, once the exporters answer: a school router, the data center's edge, the prober
"$BIN/python" scripts/demo_look.py --inventory "$INVENTORY" --snmp "$SNMP" --probe "$PROBE"

if [ -n "${DEMO_SECONDS:-}" ]; then
    sleep "$DEMO_SECONDS"
else
    echo "running; Ctrl-C stops the exporters and the lab"
    wait "$exporters"
fi
