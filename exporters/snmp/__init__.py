"""The SNMP exporter: per-target polls, in the multi-target pattern of snmp_exporter."""
