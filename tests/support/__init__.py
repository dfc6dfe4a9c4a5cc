"""What tests and benchmarks share to run real things: free ports (``ports``), child
processes started, waited for and always stopped (``processes``, ``ready``), simulated SNMP
agents (``snmp_agents``), snmp_exporter's configuration for our modules (``snmp_exporter_yml``)
and the lab with both exporters (``lab_run``).

Tests import it as ``support`` (``tests/`` is on the path, see ``tests/conftest.py``); the
benchmarks put ``tests/`` on their path to do the same, and never the other way round.
"""
