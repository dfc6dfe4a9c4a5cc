"""Wave planning and the stop rule: pure, no Ansible."""

from __future__ import annotations

import pytest

from playbooks.rollout.waves import SiteHosts, StopRule, WaveSpec, WaveTally, plan_waves


def sites(n: int, hosts: int = 2, tier: int = 0, prefix: str = "s") -> list[SiteHosts]:
    return [
        SiteHosts(f"{prefix}{i:02d}", tuple(f"{prefix}{i:02d}-sw{j}" for j in range(hosts)), tier)
        for i in range(n)
    ]


def sizes(waves: list) -> list[int]:  # type: ignore[type-arg]
    return [len(w.sites) for w in waves]


def test_doubling_starts_with_one_canary_site() -> None:
    waves = plan_waves(sites(20), WaveSpec.parse("double"))
    assert sizes(waves) == [1, 2, 4, 8, 5]
    assert [w.number for w in waves] == [1, 2, 3, 4, 5]
    assert waves[0].hosts == ("s00-sw0", "s00-sw1")


def test_serial_like_spec_counts_sites_and_repeats_the_last_size() -> None:
    # 40 sites: 1, then 5 % = 2, then 25 % = 10, then 100 % = the rest
    assert sizes(plan_waves(sites(40), WaveSpec.parse("1,5%,25%,100%"))) == [1, 2, 10, 27]
    assert sizes(plan_waves(sites(10), WaveSpec.parse("1,3"))) == [1, 3, 3, 3]
    # a percentage never rounds to an empty wave
    assert sizes(plan_waves(sites(5), WaveSpec.parse("1,10%"))) == [1, 1, 1, 1, 1]


def test_every_site_once_whole_and_in_order() -> None:
    given = sites(37)
    waves = plan_waves(given, WaveSpec.parse("1,5%,25%,100%"))
    assert [s for w in waves for s in w.sites] == given


def test_canary_goes_first_and_must_be_selected() -> None:
    waves = plan_waves(sites(6), WaveSpec.parse("double"), canary="s04")
    assert [s.site for s in waves[0].sites] == ["s04"]
    assert [s.site for w in waves[1:] for s in w.sites] == ["s00", "s01", "s02", "s03", "s05"]
    with pytest.raises(ValueError, match="not in the selection"):
        plan_waves(sites(3), WaveSpec.parse("double"), canary="nowhere")


def test_tiers_never_share_a_wave() -> None:
    given = sites(3, prefix="school") + sites(2, tier=1, prefix="office") + sites(1, tier=2)
    waves = plan_waves(given, WaveSpec.parse("all"))
    assert [[s.tier for s in w.sites] for w in waves] == [[0, 0, 0], [1, 1], [2]]
    # the core listed first still goes after the schools
    waves = plan_waves(list(reversed(given)), WaveSpec.parse("all"))
    assert [w.sites[0].tier for w in waves] == [0, 1, 2]


def test_sites_without_hosts_are_left_out() -> None:
    given = [SiteHosts("empty", ()), *sites(2)]
    assert [s.site for w in plan_waves(given, WaveSpec.parse("all")) for s in w.sites] == [
        "s00",
        "s01",
    ]


@pytest.mark.parametrize("bad", ["", "0", "1,,2", "x", "120%", "-1", "5%%"])
def test_bad_specs_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="wave spec"):
        WaveSpec.parse(bad)


def test_spec_round_trips() -> None:
    assert str(WaveSpec.parse(" 1, 5% ,100% ")) == "1,5%,100%"
    assert str(WaveSpec.parse("DOUBLE")) == "double"


def test_stop_rule_is_strictly_above_the_threshold() -> None:
    rule = StopRule(25)
    assert rule.reason([WaveTally(4, 1)]) is None  # 25 % is not above 25 %
    reason = rule.reason([WaveTally(4, 0), WaveTally(3, 1)])
    assert reason is not None and "1 of 3 devices failed in wave 2" in reason


def test_zero_stops_on_the_first_failure_and_hundred_never() -> None:
    assert StopRule(0).reason([WaveTally(100, 1)]) is not None
    assert StopRule(0).reason([WaveTally(100, 0)]) is None
    assert StopRule(100).reason([WaveTally(3, 3)]) is None


def test_cumulative_limit_catches_what_each_wave_allows() -> None:
    rule = StopRule(50, max_total_fail_percent=20)
    assert rule.reason([WaveTally(10, 1)]) is None  # 10 % in the wave, 10 % in total
    reason = rule.reason([WaveTally(10, 1), WaveTally(10, 4)])  # 40 % ≤ 50 %, total 25 % > 20 %
    assert reason is not None and "5 of 20 devices failed so far" in reason


def test_a_wave_where_nothing_ran_does_not_stop() -> None:
    assert StopRule(0).reason([WaveTally(0, 0)]) is None
    assert StopRule(0).reason([]) is None


@pytest.mark.parametrize("bad", [-1, 101])
def test_threshold_is_a_percentage(bad: float) -> None:
    with pytest.raises(ValueError):
        StopRule(bad)
