"""The data center's building blocks, each a ComponentResource with dataclass args."""

from infra.components.access import AccessControl, AccessControlArgs
from infra.components.backup import BackupPlan, BackupPlanArgs
from infra.components.network import DatacenterNetwork, DatacenterNetworkArgs
from infra.components.tier import ApplicationTier, ApplicationTierArgs

__all__ = [
    "AccessControl",
    "AccessControlArgs",
    "ApplicationTier",
    "ApplicationTierArgs",
    "BackupPlan",
    "BackupPlanArgs",
    "DatacenterNetwork",
    "DatacenterNetworkArgs",
]
