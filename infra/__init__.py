"""The education data center on Proxmox VE, declared with Pulumi from the inventory.

``build()`` (in :mod:`infra.program`) wires the components; ``__main__.py`` is the Pulumi
entry point; :mod:`infra.offline` runs the same program under Pulumi's mocks, for the
policy tests and ``edunet infra plan``. Nothing is declared at import time.
"""
