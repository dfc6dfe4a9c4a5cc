"""Prometheus and Alertmanager configuration, alert and recording rules, generated from the
inventory (``edunet render monitors``)."""
