#!/bin/sh
# System packages edunet needs, installed only when missing (Debian 12, as root).
# Units add theirs here as they land.
#   python3, venv, git      the suite itself
#   snmp                    net-snmp's snmpget/snmpwalk: the reference reader in the lab tests
#   snmpd                   a second, independent SNMP agent for the exporter's tests and benchmark
#   prometheus-snmp-exporter  the peer the SNMP exporter is benchmarked against
#   nftables, iproute2      the lab's network faults (drops, namespaces)
#   iputils-ping, fping     reference ICMP tools (tests and the prober's benchmark peer)
#   curl                    the README's walkthrough reads the exporters with it
#   prometheus (promtool), prometheus-alertmanager (amtool), victoria-metrics,
#   prometheus-node-exporter  the monitoring stack, checked and run for real on loopback
#   nodejs, npm             Grafana's published dashboard schema (@grafana/schema) is checked with tsc
#   openssh-server          real sshd for the Linux hosts the playbook tests reach in namespaces
#   python3-apt             Ansible's apt module on those hosts (their root is this machine's)
#   wrk                     the load generator of the API benchmark
#   chromium, chromium-driver  a headless browser: the API's /docs and /redoc render offline
#   fonts-dejavu-core       the monthly report's PDF font (every Vietnamese glyph)
#   poppler-utils           pdftotext and pdftoppm: the report's PDF read and rendered in tests
set -eu
need=""
command -v python3 >/dev/null 2>&1 || need="$need python3"
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need="$need python3-venv"
command -v git >/dev/null 2>&1 || need="$need git"
command -v snmpwalk >/dev/null 2>&1 || need="$need snmp"
command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || need="$need snmpd"
command -v prometheus-snmp-exporter >/dev/null 2>&1 || need="$need prometheus-snmp-exporter"
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || need="$need nftables"
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || need="$need iproute2"
command -v ping >/dev/null 2>&1 || need="$need iputils-ping"
command -v fping >/dev/null 2>&1 || need="$need fping"
command -v curl >/dev/null 2>&1 || need="$need curl"
command -v promtool >/dev/null 2>&1 || need="$need prometheus"
command -v amtool >/dev/null 2>&1 || need="$need prometheus-alertmanager"
command -v victoria-metrics >/dev/null 2>&1 || need="$need victoria-metrics"
command -v prometheus-node-exporter >/dev/null 2>&1 || need="$need prometheus-node-exporter"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -x /usr/sbin/sshd ] || need="$need openssh-server"
/usr/bin/python3 -c 'import apt' >/dev/null 2>&1 || need="$need python3-apt"
command -v wrk >/dev/null 2>&1 || need="$need wrk"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v chromedriver >/dev/null 2>&1 || need="$need chromium-driver"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need="$need fonts-dejavu-core"
command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
if [ -n "$need" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "edunet needs:$need — install them (sudo apt-get install$need) and run again" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $need
    # the Debian packages start their daemons; edunet starts its own on loopback when it needs them
    for svc in snmpd prometheus-snmp-exporter prometheus prometheus-alertmanager \
        victoria-metrics prometheus-node-exporter ssh; do
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            systemctl disable --now "$svc" 2>/dev/null || true
        elif [ -x "/etc/init.d/$svc" ]; then
            "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
        fi
    done
fi
