"""Prometheus exporters for the city network: SNMP device health and link-quality probing."""
