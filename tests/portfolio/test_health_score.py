"""The partnership health score: scorecard score minus the flags' penalties, and its colour."""

from decimal import Decimal

import pytest

from portfolio.flags import RULES, Flag, health_of, health_rule


def flag(code):
    title, severity, penalty = RULES[code]
    return Flag(code, severity, title, "", [], penalty)


def test_no_flag_and_a_good_score_is_green():
    assert health_of(Decimal("96.4"), []) == (96, "green")


def test_nothing_measured_yet_starts_from_100():
    assert health_of(None, []) == (100, "green")


def test_each_flag_costs_its_penalty_and_any_flag_makes_it_amber_at_least():
    assert health_of(Decimal("98"), [flag("missed_deadlines")]) == (88, "amber")


def test_a_low_score_without_flags_is_amber_below_85_and_red_below_50(settings):
    assert health_of(Decimal("80"), []) == (80, "amber")
    assert health_of(Decimal("45"), []) == (45, "red")


def test_an_sla_breach_is_always_red():
    assert health_of(Decimal("99"), [flag("sla_breach")]) == (74, "red")


def test_the_score_never_goes_below_zero():
    assert health_of(Decimal("40"), [flag(code) for code in RULES])[0] == 0


def test_thresholds_are_settings(settings):
    settings.PORTFOLIO_GREEN_FROM, settings.PORTFOLIO_AMBER_FROM = 95, 90
    assert health_of(Decimal("92"), []) == (92, "amber")
    assert health_of(Decimal("89"), []) == (89, "red")
    assert "below 90" in health_rule()["colours"]


@pytest.mark.parametrize("code", list(RULES))
def test_the_rule_on_the_page_names_every_penalty(code):
    title, _, penalty = RULES[code]
    assert f"{title} −{penalty}" in health_rule()["penalties"]
