#!/bin/sh
# System packages edunet needs, installed only when missing (Debian 12, as root).
# Units add theirs here as they land (Prometheus, snmpd, OpenSSH …).
set -eu
need=""
command -v python3 >/dev/null 2>&1 || need="$need python3"
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need="$need python3-venv"
command -v git >/dev/null 2>&1 || need="$need git"
if [ -n "$need" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "edunet needs:$need — install them (sudo apt-get install$need) and run again" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $need
fi
