"""Device configuration over the CLI (netmiko): backup into git, diff, drift, push.

``session`` talks to one device, ``pool`` runs one job per device in a bounded pool,
``store`` keeps the backups in git, ``blocks`` diffs and reverts IOS-style
configurations, and ``backup``, ``drift`` and ``push`` are the three jobs.
"""
