"""The Alertmanager configuration: who is told about an alert, how soon, and which alerts the
topology makes redundant (a school behind an unreachable district office is not paged for).

Routing, first match wins (a critical alert is also copied to the city NOC):

1. ``site_kind="department"`` → ``city-noc``, and ``site_kind="datacenter"`` → ``datacenter``
   (route 4): both core sites carry the code of the district they stand in, but that
   district's office does not run them;
2. ``severity="critical"`` → ``city-noc``, and ``continue`` to the routes below, so the city
   NOC sees every critical incident while the team that fixes it is paged too;
3. ``team=~"datacenter|applications"`` → ``datacenter``;
4. ``district_code="<code>"`` → ``noc-<district slug>``, one route per district, by code;
5. anything else (no district: exporters, inventory, Prometheus itself) → ``city-noc``.
"""

from __future__ import annotations

from typing import Any

from edunet.generated import header, yaml_text
from edunet.model import Inventory
from monitors.settings import MonitoringSettings, duration

__all__ = ["PATH", "inhibit_rules", "receiver_for_district", "render_alertmanager"]

PATH = "monitors/alertmanager/alertmanager.yml"

CITY_NOC = "city-noc"
DATACENTER = "datacenter"
GROUP_BY = ["alertname", "district_code", "site"]

# NOC timings in real seconds; the lab scales them by time_scale (never below 1 s)
GROUP_WAIT_S = 30.0  # gather the first alerts of an outage into one message
GROUP_INTERVAL_S = 300.0  # then report changes to a group at most this often
REPEAT_INTERVAL_S = 4 * 3600.0  # remind of a still-firing group
RESOLVE_TIMEOUT_S = 300.0  # only for alerts posted without endsAt (Prometheus always sets it)

# the alerts an unreachable site makes meaningless at that same site
SITE_SYMPTOMS = (
    "EdunetDeviceDown",
    "EdunetUplinkDown",
    "EdunetLinkLossHigh",
    "EdunetLinkLatencyHigh",
    "EdunetLinkJitterHigh",
    "EdunetInterfaceErrors",
)
APP_SYMPTOMS = ("EdunetAppSlow", "EdunetAppErrorBudgetBurn")


def receiver_for_district(slug: str) -> str:
    """The receiver of a district's NOC (ASCII: the district slug)."""
    return f"noc-{slug}"


def _scaled(settings: MonitoringSettings, seconds: float) -> str:
    return duration(max(1.0, seconds * settings.time_scale))


def _webhook(settings: MonitoringSettings, receiver: str) -> dict[str, Any]:
    return {"url": f"{settings.webhook_url.rstrip('/')}/{receiver}", "send_resolved": True}


def _receivers(inv: Inventory, settings: MonitoringSettings) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "name": CITY_NOC,
            "webhook_configs": [_webhook(settings, CITY_NOC)],
            "email_configs": [{"to": f"noc@{settings.domain}", "send_resolved": True}],
        },
        {
            "name": DATACENTER,
            "webhook_configs": [_webhook(settings, DATACENTER)],
            "email_configs": [{"to": f"dc@{settings.domain}", "send_resolved": True}],
        },
    ]
    for d in sorted(inv.districts.values(), key=lambda d: d.code):
        name = receiver_for_district(d.slug)
        out.append({"name": name, "webhook_configs": [_webhook(settings, name)]})
    return out


def _routes(inv: Inventory) -> list[dict[str, Any]]:
    routes: list[dict[str, Any]] = [
        # first, so a critical one is not sent twice by the next route
        {"receiver": CITY_NOC, "matchers": ['site_kind="department"']},
        {"receiver": CITY_NOC, "matchers": ['severity="critical"'], "continue": True},
        {"receiver": DATACENTER, "matchers": ['team=~"datacenter|applications"']},
        {"receiver": DATACENTER, "matchers": ['site_kind="datacenter"']},
    ]
    for d in sorted(inv.districts.values(), key=lambda d: d.code):
        routes.append(
            {"receiver": receiver_for_district(d.slug), "matchers": [f'district_code="{d.code}"']}
        )
    return routes


def inhibit_rules() -> list[dict[str, Any]]:
    """The contract's inhibitions, in Alertmanager 0.25 syntax."""
    return [
        {  # a district office cut off: its schools are unreachable through it
            "source_matchers": ['alertname="EdunetSiteUnreachable"', 'site_kind="district_office"'],
            "target_matchers": ['alertname="EdunetSiteUnreachable"', 'site_kind="school"'],
            "equal": ["district_office"],
        },
        {  # a site that does not answer: its devices and links cannot be judged
            "source_matchers": ['alertname="EdunetSiteUnreachable"'],
            "target_matchers": [f'alertname=~"{"|".join(SITE_SYMPTOMS)}"'],
            "equal": ["site"],
        },
        {  # an application down is also slow and burning its budget
            "source_matchers": ['alertname="EdunetAppDown"'],
            "target_matchers": [f'alertname=~"{"|".join(APP_SYMPTOMS)}"'],
            "equal": ["application"],
        },
        {  # the warning twin of a critical alert adds nothing; every label that tells one
            # subject from another must match, or one application's critical alert would hide
            # another's warning (a label absent on both sides counts as equal)
            "source_matchers": ['severity="critical"'],
            "target_matchers": ['severity="warning"'],
            "equal": ["alertname", "site", "device", "interface", "application", "vm"],
        },
    ]


def _comment(inv: Inventory) -> str:
    lines = [
        "# Routing: the Department to city-noc; critical alerts also reach city-noc; team",
        "# datacenter|applications and the data-center site to datacenter; the rest by district.",
        "# District receivers:",
    ]
    for d in sorted(inv.districts.values(), key=lambda d: d.code):
        lines.append(f"#   {receiver_for_district(d.slug)}: {d.name} ({d.code})")
    return "\n".join(lines) + "\n"


def render_alertmanager(inv: Inventory, settings: MonitoringSettings) -> dict[str, str]:
    """``monitors/alertmanager/alertmanager.yml`` for this inventory."""
    config: dict[str, Any] = {
        "global": {
            "resolve_timeout": _scaled(settings, RESOLVE_TIMEOUT_S),
            "smtp_smarthost": settings.smarthost,
            "smtp_from": f"noc@{settings.domain}",
            "smtp_require_tls": True,
        },
        "route": {
            "receiver": CITY_NOC,
            "group_by": list(GROUP_BY),
            "group_wait": _scaled(settings, GROUP_WAIT_S),
            "group_interval": _scaled(settings, GROUP_INTERVAL_S),
            "repeat_interval": _scaled(settings, REPEAT_INTERVAL_S),
            "routes": _routes(inv),
        },
        "inhibit_rules": inhibit_rules(),
        "receivers": _receivers(inv, settings),
    }
    body = yaml_text(config)
    return {PATH: header() + _comment(inv) + body}
