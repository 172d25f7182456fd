from datetime import datetime, timezone

import pytest

from index.normalize import clean_body, parse_date, title_from_body

UTC = timezone.utc


def test_wire_hard_wraps_are_joined_and_indented_lines_start_paragraphs():
    raw = "Showers continued throughout the week in\nthe Bahia cocoa zone.\n    The dry period means\nthe temporao will be late.\n"
    assert clean_body(raw) == ("Showers continued throughout the week in the Bahia cocoa zone.\n\n"
                               "The dry period means the temporao will be late.")


def test_blank_lines_separate_paragraphs_and_trailing_blank_lines_vanish():
    assert clean_body("\r\nFirst  one.\r\n\r\n\r\nSecond\tone.\n\n\n\n") == "First one.\n\nSecond one."


def test_control_characters_are_removed():
    assert clean_body("Bell\x07 and\x00 null") == "Bell and null"


def test_title_is_the_first_sentence():
    assert title_from_body("Rovno fell on Saturday. Officials said more.") == "Rovno fell on Saturday."


def test_long_first_sentence_is_cut_at_a_word():
    body = "word " * 100
    title = title_from_body(body, limit=22)
    assert title == "word word word word…"


@pytest.mark.parametrize("raw, expected", [
    ("2024-12-07T08:40:00Z", datetime(2024, 12, 7, 8, 40, tzinfo=UTC)),
    ("2024-12-07T10:40:00+02:00", datetime(2024, 12, 7, 8, 40, tzinfo=UTC)),
    ("2024-12-07", datetime(2024, 12, 7, tzinfo=UTC)),
    ("Sat, 07 Dec 2024 08:40:00 +0000", datetime(2024, 12, 7, 8, 40, tzinfo=UTC)),
    ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)),
    ("December 7, 2024", datetime(2024, 12, 7, tzinfo=UTC)),
    ("7 Dec 2024", datetime(2024, 12, 7, tzinfo=UTC)),
    # real Reuters-21578 dates with junk after them
    ("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM", datetime(1987, 3, 27, 0, 2, 59, 130000, tzinfo=UTC)),
    ("9-APR-1987 00:00:00.00 # date added by S Finch as guesswork", datetime(1987, 4, 9, tzinfo=UTC)),
    ("31-MAR-1987 605:12:19.12", datetime(1987, 3, 31, tzinfo=UTC)),
])
def test_dates_are_parsed_to_utc(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "not a date", "2024-13-45", "yesterday"])
def test_what_is_not_an_absolute_date_is_none(raw):
    assert parse_date(raw) is None
