"""Device configuration over the CLI (netmiko): backup into git, diff, drift, push.

``session`` talks to one device, ``pool`` runs one job per device in a bounded pool,
``store`` keeps the backups in git, and ``backup``, ``drift`` and ``push`` are the three
jobs. What a configuration's lines mean (volatile, default, secret), its blocks and the
difference between two of them come from :mod:`playbooks.configs.text`; the commands a push
sends and a rollback's from :mod:`playbooks.configs.commands`.
"""
