from decimal import Decimal as D

from measures.variation import spread_of, spread_sentence, trend_of_spread

CCG = {"Basildon and Brentwood": D("14"), "Castle Point and Rochford": D("17"),
       "Mid Essex": D("21"), "North East Essex": D("9"), "West Essex": D("28")}


def test_spread_is_highest_minus_lowest_and_ratio_highest_over_lowest():
    spread = spread_of(CCG)
    assert spread.highest.name == "West Essex"
    assert spread.lowest.name == "North East Essex"
    assert spread.difference == D("19")
    assert round(spread.ratio, 2) == D("3.11")


def test_sentence_states_ratio_and_the_two_areas():
    sentence = spread_sentence("Waiting time", spread_of(CCG), "weeks", "ccg")
    assert sentence.startswith(
        "Waiting time varies 3.1x between CCG areas (North East Essex 9 weeks, "
        "West Essex 28 weeks)")
    assert "a difference of 19 weeks" in sentence


def test_ratio_is_undefined_when_the_lowest_is_zero_and_says_so():
    spread = spread_of({"North": D("0"), "Mid": D("4"), "South": D("10"), "West": D("2")})
    assert spread.ratio is None
    assert spread.difference == D("10")
    sentence = spread_sentence("Appeals", spread, "appeals", "quadrant")
    assert "cannot be given because the lowest value is 0" in sentence
    assert "from 0 appeals in North to 10 appeals in South" in sentence


def test_a_missing_area_is_named_and_left_out_of_the_spread():
    values = {**CCG, "West Essex": None}
    spread = spread_of(values)
    assert spread.highest.name == "Mid Essex"
    assert spread.missing == ("West Essex",)
    assert "No value for West Essex." in spread_sentence("Waiting time", spread, "weeks", "ccg")


def test_fewer_than_two_values_have_no_spread():
    assert spread_of({"Mid Essex": D("3"), "West Essex": None}) is None
    assert "Fewer than two CCG areas" in spread_sentence("Waits", None, "weeks", "ccg")


def test_narrowing_is_judged_on_the_difference():
    first = spread_of({"A": D("10"), "B": D("30")})
    latest = spread_of({"A": D("12"), "B": D("20")})
    assert trend_of_spread(first, latest) == "narrowing"
    assert trend_of_spread(latest, first) == "widening"
    assert trend_of_spread(first, first) == "unchanged"
