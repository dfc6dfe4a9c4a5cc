"""``edunet apply``: a playbook run through ansible-runner, staged school by school.

- :mod:`.selection`: ``--limit`` resolved against the model into sites and hosts;
- :mod:`.waves`: the canary and the growing waves, and the stop rule (pure);
- :mod:`.runner`: one wave through ansible-runner, artifacts kept without secrets;
- :mod:`.results`: per-host rows folded from the runner's events (pure);
- :mod:`.progress`: live lines per host; :mod:`.rollout`: the waves in order.
"""
