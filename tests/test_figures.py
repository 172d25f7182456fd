"""retrieval.figures: the figures of a sentence in English, Ukrainian and Russian, and the disagreements of a
story's reports (issue 28)."""

from __future__ import annotations

from datetime import datetime

from retrieval.figures import Figure, disagreements, figures, same_value
from retrieval.records import Citation, Report


def stated(sentence: str, language: str) -> list[tuple[str, float | str, str, bool]]:
    return [(f.about, f.value, f.written, f.approximate) for f in figures(sentence, language)]


def report(n: int, sentence: str, language: str = "en", day: int = 7, outlet: str = "Kyiv Ledger") -> Report:
    citation = Citation(f"a{n}", f"Title {n}", f"https://example.org/{n}", outlet, datetime(2024, 12, day, 9))
    return Report(citation, sentence, n, language)


def values(found) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return [(d.about, [(v.value, [r.citation.article_id for r in v.reports]) for v in d.values]) for d in found]


# ---- figures: English ------------------------------------------------------------------------------------


def test_casualties_in_either_order():
    assert stated("A car bomb killed three people and wounded 12 in central Kharkiv on Saturday.", "en") == [
        ("killed", 3.0, "three", False), ("injured", 12.0, "12", False)]
    assert stated("The death toll from the ferry disaster has risen to 134, officials said.", "en") == [
        ("killed", 134.0, "134", False)]
    assert stated("At least 26 people died and 240 were still unaccounted for.", "en") == [
        ("killed", 26.0, "26", True), ("missing", 240.0, "240", False)]


def test_figure_records_span_unit_and_bound():
    sentence = "More than 1,040 people were evacuated from the flooded villages."
    assert figures(sentence, "en") == (
        Figure("evacuated", 1040.0, "1,040", True, (10, 15), "", 1.0, "over"),)
    assert sentence[10:15] == "1,040"


def test_money_scales_and_percent():
    assert stated("Naftogaz said it would pay $1.5 billion, or 40 dlrs a share, up 5 pct on last year.", "en") == [
        ("amount", 1.5e9, "$1.5 billion", False), ("price", 40.0, "40 dlrs", False), ("percent", 5.0, "5 pct", False)]
    assert stated("The EU pledged another €75m and Britain £40 in vouchers per household.", "en") == [
        ("amount", 75e6, "€75m", False), ("amount", 40.0, "£40", False)]
    assert stated("It earned 40 cts a share.", "en") == [("price", 0.4, "40 cts", False)]


def test_english_number_words():
    assert stated("Twenty-three people died and a dozen were hurt.", "en") == [
        ("killed", 23.0, "Twenty-three", False), ("injured", 12.0, "a dozen", False)]
    assert stated("Police arrested two hundred and five protesters.", "en") == [("arrested", 205.0, "two hundred and five", False)]


def test_years_and_times_are_not_counts():
    assert stated("In 1987 the plant employed workers on three shifts.", "en") == [("count:shift", 3.0, "three", False)]


def test_dates():
    assert stated("The ferry capsized on March 6, 1987.", "en") == [("date", "1987-03-06", "March 6, 1987", False)]
    assert stated("Storm Arwen struck on November 26 and 27.", "en") == [
        ("date", "--11-26", "November 26 and 27", False), ("date", "--11-27", "November 26 and 27", False)]
    assert stated("Обстріл стався 7 грудня.", "uk") == [("date", "--12-07", "7 грудня", False)]
    assert stated("Саммит прошел с 9 по 10 декабря 2021 года.", "ru") == [
        ("date", "2021-12-10", "9 по 10 декабря 2021", False), ("date", "2021-12-09", "9 по 10 декабря 2021", False)]
    assert stated("Nothing happened on February 30.", "en") == []


# ---- figures: Ukrainian and Russian ------------------------------------------------------------------------


def test_ukrainian_collective_numerals_and_declensions():
    assert stated("Унаслідок удару загинули троє людей, ще п'ятеро поранено.", "uk") == [
        ("killed", 3.0, "троє", False), ("injured", 5.0, "п'ятеро", False)]
    assert stated("Рятувальники знайшли тіла трьох загиблих.", "uk") == [("killed", 3.0, "трьох", False)]
    assert stated("У неділю вшанували п’ятьох активістів, вбитих два роки тому.", "uk") == [
        ("killed", 5.0, "п’ятьох", False)]
    assert stated("Понад 200 людей зникли безвісти.", "uk") == [("missing", 200.0, "200", True)]


def test_a_number_of_casualties_that_rose_to_a_number_word():
    """"Кількість загиблих ... зросла до семи": the counted word names what the number is, far from it."""
    assert stated("Кількість загиблих унаслідок ракетного удару по багатоповерхівці в Запоріжжі зросла до семи, "
                  "повідомили рятувальники.", "uk") == [("killed", 7.0, "семи", False)]
    assert stated("Число погибших в результате ракетного удара по жилому дому в Запорожье возросло до семи "
                  "человек.", "ru") == [("killed", 7.0, "семи", False)]
    assert stated("Число раненых достигло 14.", "ru") == [("injured", 14.0, "14", False)]
    assert stated("Кількість туристів зросла до 14 тисяч.", "uk") == []  # tourists: no casualty word
    assert stated("Один из семи опрошенных согласился.", "ru") == []  # "of seven": not a count of anything


def test_ukrainian_digits_and_money():
    assert stated("Збитки оцінили в 1 040 гривень на родину і 1,5 млн грн для громади.", "uk") == [
        ("amount", 1040.0, "1 040 гривень", False), ("amount", 1.5e6, "1,5 млн грн", False)]
    assert stated("Ціни зросли на 12,4 відсотка.", "uk") == [("percent", 12.4, "12,4 відсотка", False)]
    assert [f.value for f in figures("Евакуйовано 1.040 мешканців.", "uk")] == [1040.0]


def test_russian_numerals_and_money():
    assert stated("В результате обстрела погибли пять человек, более 20 ранены.", "ru") == [
        ("killed", 5.0, "пять", False), ("injured", 20.0, "20", True)]
    assert stated("Погибли пятеро, трёх человек задержали.", "ru") == [
        ("killed", 5.0, "пятеро", False), ("arrested", 3.0, "трёх", False)]
    assert stated("Россияне потратили 12 млрд рублей против 12,4 млрд рублей годом ранее.", "ru") == [
        ("amount", 12e9, "12 млрд рублей", False), ("amount", 12.4e9, "12,4 млрд рублей", False)]
    assert stated("Инфляция составила около 7,5 процента.", "ru") == [("percent", 7.5, "7,5 процента", True)]


def test_unknown_language_reads_all_three():
    assert stated("Загинули двоє, 3 killed", "") == [("killed", 2.0, "двоє", False), ("killed", 3.0, "3", False)]


# ---- same value -------------------------------------------------------------------------------------------


def first(sentence: str, language: str = "en") -> Figure:
    return figures(sentence, language)[0]


def test_rounding_and_units_are_the_same_value():
    assert same_value(first("about 1,000 people were evacuated"), first("1,040 people were evacuated"))
    assert same_value(first("a 1.5 billion dlr loan"), first("a 1,500 mln dlr loan"))
    assert same_value(first("a 1.5 billion dlr loan"), first("a 1.52 billion dlr loan"))
    assert same_value(first("up 5 pct"), first("up 5%"))
    assert same_value(first("three were killed"), first("3 were killed"))
    assert same_value(first("three were killed"), first("загинули троє", "uk"))
    assert same_value(first("a 110.6 billion dlr debt"), first("a 111 billion dlr debt"))
    assert same_value(first("almost 350 were rescued"), first("345 were rescued"))


def test_different_values_are_not_the_same():
    assert not same_value(first("10 killed"), first("12 killed"))
    assert not same_value(first("1,000 people were evacuated"), first("1,400 people were evacuated"))
    assert not same_value(first("its 108 billion dlr debt"), first("its some 109 billion dlr debt"))
    assert not same_value(first("at least 70 died"), first("81 died"))
    assert not same_value(first("a 2.2 billion dlr offer"), first("a nearly 2.3 billion dlr offer"))


# ---- disagreements ----------------------------------------------------------------------------------------


def test_a_disagreement_across_outlets_and_languages():
    found = disagreements([
        report(1, "Three people were killed in the shelling of Kupiansk.", "en", day=7),
        report(2, "Унаслідок обстрілу Куп'янська загинули п'ятеро людей.", "uk", day=7, outlet="Northern Wire"),
        report(3, "При обстреле Купянска погибли пять человек.", "ru", day=8, outlet="Vesti"),
    ])
    assert values(found) == [("killed", [("Three", ["a1"]), ("п'ятеро", ["a2", "a3"])])]


def test_values_in_order_of_their_first_report():
    found = disagreements([
        report(1, "Officials said 7 people died.", day=9),
        report(2, "Officials said 5 people died.", day=7),
        report(3, "Officials said seven people died.", day=8),
    ])
    assert values(found) == [("killed", [("5", ["a2"]), ("seven", ["a3", "a1"])])]


def test_rounding_units_and_translations_are_no_disagreement():
    assert disagreements([
        report(1, "About 1,000 residents were evacuated after the dam burst."),
        report(2, "Officials said 1,040 residents were evacuated.", day=8),
        report(3, "Евакуйовано 1 040 мешканців.", "uk", day=8),
    ]) == ()
    assert disagreements([
        report(1, "The company agreed a 1.5 billion dlr loan."),
        report(2, "The company agreed a 1,500 mln dlr loan.", day=8),
        report(3, "Компанія погодила кредит на 1,5 млрд доларів.", "uk", day=8),
    ]) == ()
    assert disagreements([report(1, "Prices rose 5 pct."), report(2, "Prices rose 5%.", day=8),
                          report(3, "Цены выросли на 5 процентов.", "ru", day=8)]) == ()


def test_a_sentence_with_two_values_speaks_for_neither():
    assert disagreements([
        report(1, "3 killed in Kyiv and 2 in Kharkiv, police said."),
        report(2, "Four people were killed, police said.", day=8),
    ]) == ()
    assert disagreements([
        report(1, "Profit rose to 5 mln dlrs from 3 mln dlrs."),
        report(2, "Profit was 4 mln dlrs.", day=8),
    ]) == ()


def test_generic_counts_are_not_set_against_each_other():
    assert disagreements([report(1, "GM will lay off 1,000 workers."),
                          report(2, "GM will lay off 21,600 workers next week.", day=8)]) == ()


def test_amounts_far_apart_are_two_things():
    assert disagreements([report(1, "Brazil suspended interest on 68 billion dlrs of its debt."),
                          report(2, "Brazil's foreign debt of 108 billion dlrs.", day=8)]) == ()
    assert values(disagreements([report(1, "Brazil's 108 billion dlr foreign debt."),
                                 report(2, "Brazil's 109 billion dlr foreign debt.", day=8)])) == [
        ("amount", [("108 billion dlr", ["a1"]), ("109 billion dlr", ["a2"])])]


def test_rival_bidders_prices_are_not_one_figure():
    assert disagreements([
        report(1, "An investor group headed by Jacobs offered 44 dlrs a share."),
        report(2, "GAF Corp said it made a proposal at 46 dlrs per share.", day=8),
    ]) == ()
    assert values(disagreements([
        report(1, "ChemLawn rejected Waste Management's 27 dlrs a share bid."),
        report(2, "Waste Management raised its ChemLawn offer to 35 dlrs a share.", day=8),
    ])) == [("price", [("27 dlrs", ["a1"]), ("35 dlrs", ["a2"])])]


def test_a_bound_is_a_value_of_its_own():
    assert values(disagreements([report(1, "The toll had risen to at least 70."),
                                 report(2, "The toll rose to 81.", day=8)])) == [
        ("killed", [("70", ["a1"]), ("81", ["a2"])])]


def test_dates_disagree_and_a_missing_year_is_no_disagreement():
    assert values(disagreements([report(1, "The strike began on March 7."),
                                 report(2, "Почалася 8 березня.", "uk", day=8)])) == [
        ("date", [("March 7", ["a1"]), ("8 березня", ["a2"])])]
    assert disagreements([report(1, "The strike began on March 7, 1987."),
                          report(2, "The strike began on March 7.", day=8)]) == ()


def test_no_report_no_disagreement():
    assert disagreements([]) == ()
    assert disagreements([report(1, "Three people were killed.")]) == ()
