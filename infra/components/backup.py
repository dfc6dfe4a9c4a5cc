"""Backups: a vzdump job an application, its schedule and retention by criticality."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_proxmoxve as proxmox

from edunet.model import Application, Criticality

# when each class runs (systemd calendar, spread over the night) and what it keeps
SCHEDULE = {
    Criticality.critical: ("*-*-* 01:00", {"keep-daily": "14", "keep-weekly": "8"}),
    Criticality.high: ("*-*-* 02:00", {"keep-daily": "7", "keep-weekly": "4"}),
    Criticality.medium: ("*-*-* 03:00", {"keep-daily": "7", "keep-weekly": "2"}),
    Criticality.low: ("sat 04:00", {"keep-weekly": "4"}),
}


@dataclass(frozen=True, slots=True)
class BackupPlanArgs:
    applications: tuple[Application, ...]
    vm_ids: dict[str, int]  # VM name → Proxmox VM id
    storage: str
    vms: tuple[pulumi.Resource, ...] = ()  # the VMs: a job is declared after them


def job_id(app: Application) -> str:
    return f"app-{app.code}"


class BackupPlan(pulumi.ComponentResource):
    jobs: dict[str, proxmox.backup.Job]  # by application code

    def __init__(
        self, name: str, args: BackupPlanArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("edunet:dc:BackupPlan", name, None, opts)
        self.jobs = {}
        for app in args.applications:
            if not app.vms:
                continue
            schedule, keep = SCHEDULE[app.criticality]
            self.jobs[app.code] = proxmox.backup.Job(
                f"backup-{app.code}",
                resource_id=job_id(app),
                schedule=schedule,
                storage=args.storage,
                vmids=[str(args.vm_ids[v]) for v in app.vms],
                mode="snapshot",
                compress="zstd",
                prune_backups=keep,
                enabled=True,
                notes_template=f"{app.code}: {{{{guestname}}}}",
                opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.vms)),
            )
        self.register_outputs({"jobs": {c: j.resource_id for c, j in self.jobs.items()}})
