"""Monthly reports for the Department, the district offices and the ISPs: availability and
outages with their root cause, ISP SLAs, capacity per pupil and the programme's KPIs, read
from Prometheus' (or VictoriaMetrics') HTTP API through the metric contract."""
