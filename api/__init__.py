"""The HTTP API over the validated inventory: sites, devices and the topology, read-only."""
