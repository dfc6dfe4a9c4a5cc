"""One CLI session to one network device: the four things the config jobs need.

The jobs (backup, drift, push) talk to a :class:`Session`, never to netmiko directly, so
their logic is tested with a fake session and the real one is a thin netmiko wrapper.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from edunet.model import Device, SshProfile
from edunet.reach import AddressMap
from edunet.secrets import Secret, SecretStore, SshCredentials

SSH_PORT_ENV = "EDUNET_SSH_PORT"  # the lab serves every simulated device on one port
# Every platform answers a rejected line with one of these; netmiko raises on a match.
ERROR_PATTERN = r"% ?Invalid input|% ?Incomplete command|% ?Ambiguous command|% ?Bad |syntax error"


class DeviceError(Exception):
    """A device-level failure; the message never holds a secret."""


class Unreachable(DeviceError):
    """No session: refused, timed out, or dropped before login finished."""


class ConfigRejected(DeviceError):
    """The device answered a configuration line with its error marker."""


class Session(Protocol):
    def running_config(self) -> str: ...

    def send_config(self, lines: Sequence[str]) -> str:
        """Enter config mode, send the lines, leave it. Raise ConfigRejected on an error marker."""
        ...

    def save(self) -> str: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Target:
    """Where and how to reach one device (no secrets)."""

    device: str
    site: str
    district: str
    platform: str  # edunet platform name
    device_type: str  # netmiko device type
    host: str
    port: int
    profile: SshProfile | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 10.0  # TCP connect, SSH banner and authentication, each
    read: float = 20.0  # one command's answer
    session: float = 60.0  # paramiko's own per-session ceiling


Connector = Callable[[Target], Session]


def target_for(
    device: Device, address_map: AddressMap, env: Mapping[str, str] | None = None
) -> Target:
    env = os.environ if env is None else env
    port_text = env.get(SSH_PORT_ENV)
    port = int(port_text) if port_text else (device.ssh.port if device.ssh else 22)
    return Target(
        device=device.name,
        site=device.site,
        district=device.district,
        platform=device.platform.name,
        device_type=device.platform.netmiko_device_type,
        host=str(address_map(device.mgmt_ip)),
        port=port,
        profile=device.ssh,
    )


class NetmikoSession:
    """A netmiko connection in enable mode. fast_cli: the read loops are the main cost."""

    def __init__(
        self,
        target: Target,
        creds: SshCredentials,
        timeouts: Timeouts,
        enable: Secret | None = None,
    ) -> None:
        from netmiko import ConnectHandler
        from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

        self.timeouts = timeouts
        try:
            self.conn = ConnectHandler(
                device_type=target.device_type,
                host=target.host,
                port=target.port,
                username=creds.user,
                password=creds.password.reveal() if creds.password else "",
                secret=enable.reveal() if enable is not None else "",
                key_file=creds.key_file,
                use_keys=creds.key_file is not None,
                allow_agent=False,
                conn_timeout=timeouts.connect,
                auth_timeout=timeouts.connect,
                banner_timeout=timeouts.connect,
                session_timeout=timeouts.session,
                read_timeout_override=timeouts.read,
                fast_cli=True,
            )
        except NetmikoAuthenticationException:
            raise DeviceError("authentication failed") from None
        except (NetmikoTimeoutException, OSError, EOFError) as e:
            raise Unreachable(_brief(e)) from None
        try:
            if enable is not None and not self.conn.check_enable_mode():
                self.conn.enable()
        except ValueError:
            self.conn.disconnect()
            raise DeviceError("enable failed (check the enable secret)") from None

    def running_config(self) -> str:
        return str(self.conn.send_command("show running-config", read_timeout=self.timeouts.read))

    def send_config(self, lines: Sequence[str]) -> str:
        from netmiko.exceptions import ConfigInvalidException

        # netmiko checks each line's echo; a banner's delimiter defeats that check (it waits out
        # the read timeout), so banner lines go on their own, checked by the error marker only
        batches: list[tuple[list[str], bool]] = []
        for line in lines:
            verify = not line.lstrip().startswith("banner ")
            if batches and batches[-1][1] == verify:
                batches[-1][0].append(line)
            else:
                batches.append(([line], verify))
        try:
            return "".join(
                self.conn.send_config_set(
                    batch,
                    error_pattern=ERROR_PATTERN,
                    read_timeout=self.timeouts.read,
                    cmd_verify=verify,
                    exit_config_mode=False,
                )
                for batch, verify in batches
            ) + str(self.conn.exit_config_mode())
        except ConfigInvalidException as e:
            # leave config mode so the session can still roll back
            with contextlib.suppress(Exception):  # the session may be gone already
                self.conn.exit_config_mode()
            raise ConfigRejected(_rejected_line(str(e))) from None

    def save(self) -> str:
        return self.conn.save_config()

    def close(self) -> None:
        self.conn.disconnect()


def _brief(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(e).__name__}: {first}"[:200] if first else type(e).__name__


def _rejected_line(text: str) -> str:
    """netmiko says 'Invalid input detected at command: X, matched error: Y'; keep X."""
    m = re.search(r"at command: (.*?), matched error", text)
    if m:
        return f"rejected: {m.group(1).strip()}"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return "rejected: " + (lines[0][:200] if lines else "a configuration line")


class NetmikoConnector:
    """Opens a :class:`NetmikoSession` per target; credentials looked up once per profile."""

    def __init__(self, secrets: SecretStore | None = None, timeouts: Timeouts | None = None):
        self.secrets = secrets or SecretStore()
        self.timeouts = timeouts or Timeouts()
        self._creds: dict[str, SshCredentials] = {}

    def credentials(self, profile: SshProfile) -> SshCredentials:
        if profile.name not in self._creds:
            self._creds[profile.name] = self.secrets.ssh(profile)
        return self._creds[profile.name]

    def __call__(self, target: Target) -> Session:
        if target.profile is None:
            raise DeviceError("no SSH profile in the inventory")
        creds = self.credentials(target.profile)
        return NetmikoSession(target, creds, self.timeouts, creds.enable)
