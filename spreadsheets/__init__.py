"""Spreadsheets in and out of the inventory: ``edunet import schools|hardware FILE`` and
``edunet export schools|hardware|devices``, in the same columns so a round trip is clean."""
