"""The ``edunet`` command line: :mod:`edunet.cli.main` builds it; :mod:`edunet.cli.common`
and :mod:`edunet.cli.output` are what every unit's ``cli.py`` shares."""
