"""``edunet discover``: what is really on the network, walked over SNMP from seed devices and
compared with the inventory (see docs/discover.md)."""
