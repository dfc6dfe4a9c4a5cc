"""The simulated city: SNMP agents on loopback serving every device of the inventory, with
faults to inject. ``edunet lab up|down|status|fault`` drives it (see :mod:`lab.lifecycle`
and :mod:`lab.faults`)."""
