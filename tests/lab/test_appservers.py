"""The lab's application servers: the command, endpoints, certificates, faults, the process."""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from edunet.model import Inventory
from edunet.reach import LAB_MAP, AddressMap
from lab.appservers import (
    CA_FILE,
    Faults,
    command,
    endpoints,
    ensure_ca,
    issue_certificate,
    near_expiry_application,
)

ROOT = Path(__file__).parent.parent.parent
SMALL = ROOT / "tests" / "core" / "data" / "small.yaml"


def test_command_runs_the_module_with_inventory_and_state_dir(tmp_path: Path) -> None:
    argv = command(Path("city.yaml"), tmp_path, port_offset=10000)
    assert argv == [
        sys.executable,
        "-m",
        "lab.appservers",
        "-i",
        "city.yaml",
        "--state-dir",
        str(tmp_path),
        "--port-offset",
        "10000",
    ]


def test_one_endpoint_per_application_vm_at_its_lab_address(small: Inventory) -> None:
    eps = endpoints(small)
    assert [(e.vm, e.address, e.port, e.host, e.tls) for e in eps] == [
        ("portal-01", "127.0.40.10", 443, "hcm.edu.vn", True),
        ("portal-02", "127.0.40.11", 443, "hcm.edu.vn", True),
    ]
    moved = endpoints(small, AddressMap.parse("10.0.0.0/16=127.94.0.0/16"))
    assert moved[0].address == "127.94.40.10"


def test_the_sample_city_has_one_near_expiry_certificate() -> None:
    from edunet import load

    inv = load(ROOT / "inventory.yaml")
    code = near_expiry_application(inv)
    assert code is not None and inv.applications[code].criticality.value == "low"
    tls_codes = {e.application.code for e in endpoints(inv, LAB_MAP) if e.tls}
    assert code in tls_codes


def test_certificates_chain_to_the_lab_ca(tmp_path: Path) -> None:
    ca = ensure_ca(tmp_path)
    assert ca == tmp_path / CA_FILE
    assert (tmp_path / "ca.key").stat().st_mode & 0o777 == 0o600
    first = ca.read_bytes()
    assert ensure_ca(tmp_path).read_bytes() == first  # created once, then reused
    cert, key = issue_certificate(tmp_path, "thidua.hcm.edu.vn", days=10)
    assert key.stat().st_mode & 0o777 == 0o600
    info = ssl._ssl._test_decode_cert(str(cert))  # type: ignore[attr-defined]
    assert ("DNS", "thidua.hcm.edu.vn") in info["subjectAltName"]
    remaining = ssl.cert_time_to_seconds(info["notAfter"]) - time.time()
    assert remaining == pytest.approx(10 * 86400, abs=3600)
    out = subprocess.run(
        ["openssl", "verify", "-CAfile", str(ca), str(cert)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_faults_are_read_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "faults.json"
    faults = Faults(path)
    assert not faults.refresh() and faults.status("portal") == 200
    path.write_text(json.dumps({"devices": {}, "applications": {"portal": {"status": 503}}}))
    assert faults.refresh()
    assert (faults.status("portal"), faults.delay_s("portal")) == (503, 0.0)
    assert not faults.refresh()  # unchanged mtime: not read again
    path.write_text("{not json")
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert not faults.refresh() and faults.status("portal") == 503  # kept, not crashed
    path.write_text(json.dumps({"applications": {"portal": {"delay_ms": 250}}}))
    os.utime(path, (time.time() + 10, time.time() + 10))
    assert faults.refresh()
    assert (faults.status("portal"), faults.delay_s("portal")) == (200, 0.25)
    path.unlink()
    assert faults.refresh() and faults.applications == {}


@pytest.mark.integration
def test_the_process_serves_https_and_stops_on_sigterm(tmp_path: Path) -> None:
    argv = command(SMALL, tmp_path / "lab")
    block = f"127.{100 + os.getpid() % 90}.0.0/16"  # clear of a running lab and other runs
    argv += ["--address-map", f"10.0.0.0/16={block}"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = b""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not body:
            try:
                body = fetch(
                    block.replace("0.0/16", "40.10"), 443, "hcm.edu.vn", tmp_path / "lab" / CA_FILE
                )
            except OSError:
                time.sleep(0.2)
        assert body.startswith(b"HTTP/1.1 200 OK")
        assert "Cổng thông tin điện tử ngành Giáo dục".encode() in body
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        assert proc.stderr is not None
        proc.stderr.close()


def fetch(address: str, port: int, host: str, ca: Path) -> bytes:
    ctx = ssl.create_default_context(cafile=str(ca))
    with (
        socket.create_connection((address, port), timeout=3) as raw,
        ctx.wrap_socket(raw, server_hostname=host) as tls,
    ):
        tls.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := tls.recv(4096):
            chunks.append(chunk)
        return b"".join(chunks)
