"""One router per resource, each thin: the answers come from ``edunet`` core."""
