"""Credential values: looked up by profile, never printed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edunet.model import SnmpProfile, SshProfile
from edunet.secrets import MissingSecret, Secret, SecretStore

V3 = SnmpProfile("v3-default", "v3", "sha", "aes")
V2 = SnmpProfile("v2-legacy", "v2c", None, None)
SSH = SshProfile("netops", 22)


def test_v3_from_the_environment_never_printed() -> None:
    env = {
        "EDUNET_SNMP_V3_DEFAULT_USER": "noc",
        "EDUNET_SNMP_V3_DEFAULT_AUTH_KEY": "auth-key-123456",
        "EDUNET_SNMP_V3_DEFAULT_PRIV_KEY": "priv-key-654321",
    }
    creds = SecretStore(env=env).snmp(V3)
    assert creds.user == "noc" and creds.auth_protocol == "sha" and creds.priv_protocol == "aes"
    assert creds.auth_key is not None and creds.auth_key.reveal() == "auth-key-123456"
    shown = repr(creds) + str(creds) + f"{creds}"
    assert "auth-key-123456" not in shown and "priv-key-654321" not in shown
    assert "***" in shown


def test_missing_value_names_the_variable_not_a_value() -> None:
    with pytest.raises(MissingSecret, match="EDUNET_SNMP_V2_LEGACY_COMMUNITY"):
        SecretStore(env={}).snmp(V2)


def test_secrets_file_backs_the_environment(tmp_path: Path) -> None:
    f = tmp_path / "secrets.yaml"
    f.write_text("EDUNET_SNMP_V2_LEGACY_COMMUNITY: s3cret-community\n", "utf-8")
    os.chmod(f, 0o600)
    creds = SecretStore(env={"EDUNET_SECRETS_FILE": str(f)}).snmp(V2)
    assert creds.community == Secret("s3cret-community")
    os.chmod(f, 0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        SecretStore(env={"EDUNET_SECRETS_FILE": str(f)}).snmp(V2)


def test_ssh_needs_a_password_or_a_key() -> None:
    with pytest.raises(MissingSecret, match="EDUNET_SSH_NETOPS_PASSWORD"):
        SecretStore(env={"EDUNET_SSH_NETOPS_USER": "netops"}).ssh(SSH)
    creds = SecretStore(
        env={"EDUNET_SSH_NETOPS_USER": "netops", "EDUNET_SSH_NETOPS_KEY_FILE": "/k"}
    ).ssh(SSH)
    assert creds.password is None and creds.key_file == "/k" and creds.port == 22
