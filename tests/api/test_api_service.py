"""The service around the routers: health, metrics, ETags, reload, tokens, settings, limits."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml
from api_harness import Api, make_api
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.auth import Scope, TokenStore, create_token, revoke_token
from api.settings import Settings


def test_health_needs_no_token(api: Api) -> None:
    r = api.client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["sites"] == 7 and body["last_reload_error"] is None
    assert body["snapshot_age_s"] >= 0


def test_metrics_count_by_route_template(api: Api) -> None:
    api.client.get("/api/v1/devices/pgd-q1-rt1", headers=api.headers("admin"))
    api.client.get("/api/v1/devices/nope", headers=api.headers("admin"))
    text = api.client.get("/metrics").text
    assert (
        'edunet_api_requests_total{method="GET",route="/api/v1/devices/{name}",status="200"} 1.0'
        in text
    )
    assert 'route="/api/v1/devices/{name}",status="404"} 1.0' in text
    assert "edunet_api_request_duration_seconds_bucket" in text
    assert "edunet_api_reload_failing 0.0" in text


def test_etag_and_if_none_match(api: Api) -> None:
    h = api.headers("inventory:read")
    first = api.client.get("/api/v1/sites?district=760", headers=h)
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    again = api.client.get("/api/v1/sites?district=760", headers=h | {"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = api.client.get("/api/v1/sites?district=785", headers=h | {"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag
    # the token is checked before the cache: no 304 without a valid token
    assert (
        api.client.get("/api/v1/sites?district=760", headers={"If-None-Match": tag}).status_code
        == 401
    )


def test_reload_swaps_and_a_broken_file_keeps_the_last_good(api: Api) -> None:
    store = api.app.state.snapshots
    h = api.headers("inventory:read")
    inventory = api.settings.inventory
    old_tag = store.current.etag

    text = inventory.read_text(encoding="utf-8")
    inventory.write_text(text.replace("pupils: 1450", "pupils: 1500"), encoding="utf-8")
    os.utime(inventory, ns=(1, 1))  # a different mtime even on a coarse clock
    assert store.reload_if_changed() is True
    assert store.current.etag != old_tag
    assert api.client.get("/api/v1/sites/79760012", headers=h).json()["pupils"] == 1500

    good_tag = store.current.etag
    inventory.write_text(text.replace("kind: datacenter", "kind: spaceport"), encoding="utf-8")
    os.utime(inventory, ns=(2, 2))
    assert store.reload_if_changed() is False
    assert store.current.etag == good_tag  # still serving
    assert api.client.get("/api/v1/sites/79760012", headers=h).json()["pupils"] == 1500
    health = api.client.get("/health").json()
    assert health["status"] == "degraded" and "spaceport" in health["last_reload_error"]
    assert "edunet_api_reload_failing 1.0" in api.client.get("/metrics").text
    assert store.reload_if_changed() is False  # unchanged broken file: not re-read

    inventory.write_text(text, encoding="utf-8")
    os.utime(inventory, ns=(3, 3))
    assert store.reload_if_changed() is True
    assert api.client.get("/health").json()["status"] == "ok"


def test_tokens_are_stored_hashed(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    token = create_token(path, ["topology:read", Scope.inventory_read], name="portal")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert token.split("_", 2)[2] not in path.read_text()
    [entry] = yaml.safe_load(path.read_text())["tokens"]
    assert entry["scopes"] == ["inventory:read", "topology:read"] and entry["name"] == "portal"
    store = TokenStore.load(path)
    found = store.verify(token)
    assert found is not None and found.grants(Scope.topology_read)
    assert not found.grants(Scope.procurement_read)
    assert store.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.verify("edn_" + entry["id"]) is None
    assert store.verify("Basic abc") is None
    with pytest.raises(ValueError):
        create_token(path, [])


def test_settings_fail_fast(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        Settings(inventory=tmp_path / "missing.yaml", tokens_file=tmp_path / "t.yaml")
    with pytest.raises(ValidationError):
        Settings(max_page_size=501)


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inv = tmp_path / "i.yaml"
    inv.write_text("x")
    monkeypatch.setenv("EDUNET_API_INVENTORY", str(inv))
    monkeypatch.setenv("EDUNET_API_TOKENS_FILE", str(inv))
    monkeypatch.setenv("EDUNET_API_CORS_ORIGINS", "https://portal.example, https://sms.example")
    s = Settings()
    assert s.cors_origins == ("https://portal.example", "https://sms.example")


def test_cors_is_off_unless_configured(api: Api, tmp_path: Path) -> None:
    pre = {"Origin": "https://portal.example", "Access-Control-Request-Method": "GET"}
    r = api.client.options("/api/v1/sites", headers=pre)
    assert "access-control-allow-origin" not in r.headers
    app, _, _ = make_api(tmp_path, cors_origins=("https://portal.example",))
    with TestClient(app) as client:
        r = client.options("/api/v1/sites", headers=pre)
        assert r.headers["access-control-allow-origin"] == "https://portal.example"


def test_request_size_limit(api: Api) -> None:
    r = api.client.request("GET", "/health", content=b"x" * (api.settings.max_request_bytes + 1))
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


def test_smaller_page_size_from_settings(tmp_path: Path) -> None:
    app, _, tokens = make_api(tmp_path, max_page_size=5, default_page_size=3)
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {tokens['admin']}"}
        assert len(client.get("/api/v1/devices", headers=h).json()["items"]) == 3
        r = client.get("/api/v1/devices?limit=6", headers=h)
        assert r.status_code == 422 and r.json()["invalid_params"][0]["name"] == "limit"


def test_every_route_has_a_description_and_an_example(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("description"), f"{method} {path}"
            content = op["responses"]["200"]["content"]
            media = next(iter(content.values()))
            example = media.get("example") or media.get("examples")
            if example is None:
                ref = media["schema"]["$ref"].rsplit("/", 1)[1]
                example = schemas[ref].get("examples")
            assert example, f"{method} {path}"
            if path.startswith("/api/"):
                assert op.get("security"), f"{method} {path} has no bearer security"


def test_no_response_carries_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app, _, tokens = make_api(tmp_path)
    inv = app.state.snapshots.current.inventory
    secrets = [t.split("_", 2)[2] for t in tokens.values()]
    stored = yaml.safe_load((tmp_path / "tokens.yaml").read_text())["tokens"]
    secrets += [t["sha256"] for t in stored] + [t["salt"] for t in stored]
    for n, profile in enumerate(inv.snmp_profiles.values()):
        for suffix in ("COMMUNITY", "AUTH_KEY", "PRIV_KEY", "USER"):
            value = f"s3cret-{suffix.lower()}-{n}"
            monkeypatch.setenv(f"{profile.env_prefix}_{suffix}", value)
            secrets.append(value)
    for n, ssh in enumerate(inv.ssh_profiles.values()):
        for suffix in ("USER", "PASSWORD", "ENABLE", "KEY_FILE"):
            value = f"s3cret-ssh-{suffix.lower()}-{n}"
            monkeypatch.setenv(f"{ssh.env_prefix}_{suffix}", value)
            secrets.append(value)
    # every list the schema has (each at its largest page), and every single object
    lists = [p for p in app.openapi()["paths"] if p.startswith("/api/v1/") and "{" not in p]
    urls = ["/health", "/metrics", "/openapi.json", "/api/v1/topology/paths?a=79760012"]
    urls += [
        p + ("" if p.endswith(("/paths", "/forecast", "/summary")) else "?limit=500")
        for p in lists
        if not p.endswith("/paths")
    ]
    urls += [f"/api/v1/sites/{c}" for c in inv.sites] + [f"/api/v1/prefixes/{c}" for c in inv.sites]
    urls += [f"/api/v1/devices/{d}" for d in inv.devices]
    urls += [f"/api/v1/links/{k}" for k in inv.links]
    urls += [f"/api/v1/applications/{a}" for a in inv.applications]
    urls += [f"/api/v1/vms/{v}" for v in inv.vms]
    urls += [f"/api/v1/topology/impact/{d}" for d in list(inv.devices)[:5]]
    urls += [f"/api/v1/topology/neighbours/{d}?hops=3" for d in list(inv.devices)[:5]]
    caplog.set_level("INFO")
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {tokens['admin']}"}
        bodies = [client.get(u, headers=h) for u in urls]
    assert [(r.url, r.status_code) for r in bodies if r.status_code != 200] == []
    assert len(bodies) > 50
    text = "\n".join(r.text for r in bodies) + caplog.text
    assert '"route":"/api/v1/devices/{name}"' in caplog.text.replace(" ", "")  # logged at all
    for secret in secrets:
        assert secret not in text


def test_a_token_created_or_revoked_while_serving_counts_at_once(api: Api) -> None:
    """The tokens file is re-read when it changes (the watcher's tick, or SIGHUP)."""
    path, source = api.settings.tokens_file, api.app.state.tokens
    new = create_token(path, [Scope.inventory_read], name="sms")
    os.utime(path, ns=(10, 10))
    assert source.reload_if_changed() is True
    h = {"Authorization": f"Bearer {new}"}
    assert api.client.get("/api/v1/sites", headers=h).status_code == 200

    assert revoke_token(path, new.split("_")[1]) is True
    os.utime(path, ns=(11, 11))
    source.reload_if_changed()
    assert api.client.get("/api/v1/sites", headers=h).status_code == 401

    path.write_text("tokens: [{id: x}]\n")  # malformed: the tokens in force stay
    os.utime(path, ns=(12, 12))
    assert source.reload_if_changed() is False
    assert api.client.get("/api/v1/sites", headers=api.headers("inventory:read")).status_code == 200


def test_tokens_from_the_environment_alone(tmp_path: Path) -> None:
    """A deployment without files: EDUNET_API_TOKENS carries the hashed entries."""
    scratch = tmp_path / "scratch.yaml"
    token = create_token(scratch, [Scope.topology_read], name="portal")
    app, _, _ = make_api(tmp_path, tokens_file=tmp_path / "none.yaml", tokens=scratch.read_text())
    scratch.unlink()
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/topology/spof", headers=h).status_code == 200
        assert client.get("/api/v1/sites", headers=h).status_code == 403
    with pytest.raises(ValidationError, match="edunet api token create"):
        Settings(inventory=scratch.parent / "inventory.yaml", tokens_file=tmp_path / "none.yaml")
