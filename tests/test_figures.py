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
        report(1, "Profit was 5 mln dlrs against 3 mln dlrs."),
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


def test_dates_are_read_but_not_compared():
    # every date disagreement shown on the judged sets was two days of two things; none was real
    assert stated("Почалася 8 березня.", "uk") == [("date", "--03-08", "8 березня", False)]
    assert disagreements([report(1, "The strike began on March 7."),
                          report(2, "Почалася 8 березня.", "uk", day=8)]) == ()
    assert disagreements([report(1, "The strike began on March 7, 1987."),
                          report(2, "The strike began on March 7.", day=8)]) == ()


def test_no_report_no_disagreement():
    assert disagreements([]) == ()
    assert disagreements([report(1, "Three people were killed.")]) == ()


# ---- anchors: two figures are set against each other only when the words around them say they are one thing ---


def test_percentages_of_different_things_are_not_a_disagreement():
    # a stake bid for and a share of the bidder's stock held abroad; a load factor and a fall in profit
    assert disagreements([
        report(1, "BP plans to buy the 45 pct of Standard Oil that it does not already own."),
        report(2, "After the deal only about six pct of BP's stock would be held in the U.S.", day=8),
    ]) == ()
    assert disagreements([
        report(1, "Swissair said its January load factor was steady at 58 pct."),
        report(2, "Swissair reported a 5.8 pct drop in 1986 net profit.", day=8),
    ]) == ()


def test_percentages_with_the_same_anchor_disagree():
    assert values(disagreements([
        report(1, "The bankworkers are striking for a 110 pct pay rise."),
        report(2, "The bankworkers are striking for a 100 pct pay rise.", day=8),
    ])) == [("percent", [("110 pct", ["a1"]), ("100 pct", ["a2"])])]


def test_dates_of_different_events_are_not_a_disagreement():
    assert disagreements([
        report(1, "The plant has been closed since Dec. 14, when the contract expired."),
        report(2, "The company plans to resume operations at the plant on March 16.", day=8),
    ]) == ()
    assert disagreements([
        report(1, "India will hold its next white sugar buying tender on March 11."),
        report(2, "Syria has set a white sugar buying tender for April 8.", day=8),
    ]) == ()


def test_prices_need_an_anchor_word_in_common():
    # an offer beside an old agreement's threshold; a partnership's agreed price beside a rival's offer
    assert disagreements([
        report(1, "Revlon asked to make a cash offer for Gillette of at least 40.50 dlrs per share."),
        report(2, "Revlon is paid under the agreement if Gillette is sold at a price higher than 29.75 dlrs per share.",
               day=8),
    ]) == ()
    assert disagreements([
        report(1, "Comdata has agreed to be acquired by a partnership for 15 dlrs a share."),
        report(2, "First Financial offered to acquire Comdata for 18 dlrs per share, subject to approval.", day=8),
    ]) == ()
    # the words of an offer are one word: a bid raised is shown, names between do not use up the reach
    assert values(disagreements([
        report(1, "Dudley Taft and Narragansett Capital offered to acquire Taft for 145 dlrs per share."),
        report(2, "Dudley Taft said it was prepared to raise its bid to acquire Taft Broadcasting Co to 150 dlrs per share.",
               day=8),
    ])) == [("price", [("145 dlrs", ["a1"]), ("150 dlrs", ["a2"])])]


def test_across_languages_the_anchor_is_not_asked():
    assert values(disagreements([
        report(1, "Inflation reached 5 pct in November."),
        report(2, "Інфляція в листопаді сягнула 7%.", "uk", day=8),
    ])) == [("percent", [("5 pct", ["a1"]), ("7%", ["a2"])])]


def test_casualty_words_joined_by_or_count_a_union_not_a_toll():
    assert stated("Up to a total of 1,000 people died or were missing after the earthquake.", "en") == []
    assert stated("Its forces killed or wounded 15,000 soldiers.", "en") == []
    assert stated("At least 2,000 troops had been killed, wounded or captured.", "en") == []
    assert values(disagreements([
        report(1, "At least 300 people died in the earthquake."),
        report(2, "Up to a total of 1,000 people died or were missing after the earthquake.", day=8),
    ])) == []
    # "and" joins two tolls, each its own figure
    assert stated("At least 26 people died and 240 were still unaccounted for.", "en") == [
        ("killed", 26.0, "26", True), ("missing", 240.0, "240", False)]


# ---- whose figure, which event, which part: the third round's rules ----------------------------------------


def test_a_change_from_one_value_to_another_speaks_for_the_new_one():
    # "to X from Y": X is the sentence's value; Y is the earlier report's
    assert values(disagreements([
        report(1, "Lead manager Warburg said the eurobond totals 60 mln Australian dlrs."),
        report(2, "The eurobond has been raised to 75 mln Australian dlrs from an original 60 mln dlrs.", day=8),
    ])) == [("amount", [("60 mln Australian dlrs", ["a1"]), ("75 mln Australian dlrs", ["a2"])])]
    assert values(disagreements([
        report(1, "The investor disclosed a 7.2 pct stake in the retailer."),
        report(2, "The investor raised his stake in the retailer to one mln shares, or 9.9 pct, from 7.2 pct.", day=8),
    ])) == [("percent", [("7.2 pct", ["a1"]), ("9.9 pct", ["a2"])])]
    assert values(disagreements([
        report(1, "Кількість загиблих сягнула п'яти.", "uk"),
        report(2, "Кількість загиблих зросла до семи з п'яти.", "uk", day=8),
    ])) == [("killed", [("п'яти", ["a1"]), ("семи", ["a2"])])]
    assert values(disagreements([
        report(1, "Погибли пять человек.", "ru"),
        report(2, "Число погибших выросло с пяти до семи.", "ru", day=8),
    ])) == [("killed", [("пять", ["a1"]), ("семи", ["a2"])])]


def test_another_events_toll_is_not_compared():
    # a second day's bombing of one village beside Monday's raids
    assert disagreements([
        report(1, "Warplanes killed 22 people in a second bombing in as many days of a border village."),
        report(2, "Almost 150 people were killed when aircraft raided border villages on Monday.", day=8),
    ]) == ()
    assert disagreements([
        report(1, "Внаслідок повторного обстрілу загинули двоє людей.", "uk"),
        report(2, "Унаслідок обстрілу загинули п'ятеро людей.", "uk", day=8),
    ]) == ()
    assert disagreements([
        report(1, "При новом взрыве погибли три человека.", "ru"),
        report(2, "При взрыве погибли семь человек.", "ru", day=8),
    ]) == ()


def test_a_conditional_price_is_another_price_of_the_deal():
    assert disagreements([
        report(1, "Under the deal the casino company bought the shares at 24 dlrs a share."),
        report(2, "It must buy the remaining shares for 33 dlrs a share if the stock does not reach that level.",
               day=8),
    ]) == ()


def test_a_part_is_not_set_against_the_whole():
    assert disagreements([
        report(1, "The storm killed 40 people across the province."),
        report(2, "Among them, 12 were killed in the capital.", day=8),
    ]) == ()
    assert disagreements([
        report(1, "Загинули 40 людей.", "uk"),
        report(2, "З них 12 загинули у столиці.", "uk", day=8),
    ]) == ()
    # a sentence that gives the whole and its part speaks for the whole
    assert values(disagreements([
        report(1, "The storm killed 40 people across the province."),
        report(2, "Police said 70 people died, including 12 who were killed in the capital.", day=8),
    ])) == [("killed", [("40", ["a1"]), ("70", ["a2"])])]


def test_amounts_of_different_kinds_are_two_things():
    # the quake's damage and the oil revenue it cost; the central bank's help and the shortage it meets
    assert disagreements([
        report(1, "The earthquake will cost the country close to 800 mln dlrs in lost petroleum revenues."),
        report(2, "The quake cost an estimated one billion dlrs in damage.", day=8),
    ]) == ()
    assert values(disagreements([
        report(1, "The Bank forecast a very large deficit today of around 1.75 billion stg."),
        report(2, "This takes the Bank's total help today to 2.1 billion stg and compares with its forecast of a "
                  "two billion stg shortage."),  # the same day, as in mm-shortage-mar31: a day's amounts
    ])) == [("amount", [("1.75 billion stg", ["a1"]), ("two billion stg", ["a2"])])]
    assert disagreements([
        report(1, "Дефіцит бюджету становить 40 млрд гривень.", "uk"),
        report(2, "Уряд надасть допомогу на 48 млрд гривень.", "uk", day=8),
    ]) == ()


def test_a_name_beside_one_figure_and_absent_from_the_other_report_says_another_party():
    # the whole trade surplus and the surplus with one partner
    assert disagreements([
        report(1, "Taiwan's trade surplus with the United States hit 13.6 billion dlrs last year."),
        report(2, "Taiwan's trade surplus reached a record 15.6 billion dlrs last year.", day=8),
    ]) == ()
    # the speaker is not the party: "the governor of West Flanders said 240 ..."
    assert values(disagreements([
        report(1, "The governor of West Flanders province said 240 people were still missing."),
        report(2, "Officials said 160 people were missing.", day=8),
    ])) == [("missing", [("240", ["a1"]), ("160", ["a2"])])]


def test_prices_of_two_bidders_are_not_compared():
    assert disagreements([
        report(1, "Waste Management said it amended its offer for ChemLawn to 35 dlrs a share."),
        report(2, "Ecolab said it started its tender offer for all shares of ChemLawn at 36.50 dlrs each.", day=8),
    ]) == ()
    # one bidder raising its own offer is compared
    assert values(disagreements([
        report(1, "Ecolab offered 33 dlrs a share for ChemLawn."),
        report(2, "Ecolab raised its offer for ChemLawn to 36.50 dlrs a share.", day=8),
    ])) == [("price", [("33 dlrs", ["a1"]), ("36.50 dlrs", ["a2"])])]


def test_a_report_that_cannot_be_compared_is_left_out_not_listed_under_a_value():
    # 120 pct is another union's settlement: it is set against neither, and the demand's two values are shown
    assert values(disagreements([
        report(1, "The bankworkers are striking for a 110 pct pay rise."),
        report(2, "The bankworkers are striking for a 100 pct pay rise.", day=8),
        report(3, "The seamen accepted an offer of 120 pct on their wages.", day=9),
    ])) == [("percent", [("110 pct", ["a1"]), ("100 pct", ["a2"])])]


def test_figures_of_two_periods_are_not_compared():
    assert disagreements([
        report(1, "Canada's trade surplus was 533 mln dlrs in January."),
        report(2, "Canada's trade surplus rose to 1.2 billion dlrs in February from 533 mln in January.", day=8),
    ]) == ()
    assert disagreements([
        report(1, "Профіцит торгівлі у січні становив 533 млн доларів.", "uk"),
        report(2, "Профіцит торгівлі у лютому становив 600 млн доларів.", "uk", day=8),
    ]) == ()
    assert disagreements([
        report(1, "Инфляция в январе составила 7 процентов.", "ru"),
        report(2, "Инфляция в феврале составила 6 процентов.", "ru", day=8),
    ]) == ()
    # one period, two values: a revision
    assert values(disagreements([
        report(1, "Canada's trade surplus was 533 mln dlrs in January."),
        report(2, "Canada's January trade surplus was revised to 590 mln dlrs.", day=8),
    ])) == [("amount", [("533 mln dlrs", ["a1"]), ("590 mln dlrs", ["a2"])])]


def test_one_filers_stakes_in_two_companies_are_not_compared():
    # everything around the two percentages is the same but the company the stake is in (batch 5)
    assert disagreements([
        report(1, "Harris Associates L.P., a Chicago investment partnership, said it lowered its stake in Bell "
                  "Industries Inc to 1,015,800 shares, or 18.7 pct of the total outstanding."),
        report(2, "Harris Associates L.P., a Chicago investment firm, said it cut its stake in Cyclops Corp to "
                  "437,425 shares, or 11.1 pct of the total outstanding.", day=8),
    ]) == ()
    # the same company's stake, changed, is compared
    assert values(disagreements([
        report(1, "Harris Associates said it holds 524,775 shares of Cyclops Corp, or 13.3 pct of the total outstanding."),
        report(2, "Harris Associates said it cut its stake in Cyclops Corp to 437,425 shares, or 11.1 pct of the "
                  "total outstanding.", day=8),
    ])) == [("percent", [("13.3 pct", ["a1"]), ("11.1 pct", ["a2"])])]
    assert disagreements([
        report(1, "Міністерство заявило, що частка у Ферротрейд становить 12 відсотків.", "uk"),
        report(2, "Міністерство заявило, що частка у Нафтогазі становить 20 відсотків.", "uk", day=8),
    ]) == ()


def test_a_days_amount_is_not_set_against_another_days():
    # the Bank of England's forecasts of two days' money markets (batch 5)
    assert disagreements([
        report(1, "The Bank of England said it revised up its forecast of the shortage in the money market today "
                  "to around 500 mln stg from its initial estimate of 350 mln.", day=3),
        report(2, "The Bank of England said it had revised its estimate of the shortage in the money market back "
                  "to its initial forecast of 550 mln stg.", day=6),
    ]) == ()
    # the same day's forecast, revised, is compared
    assert values(disagreements([
        report(1, "The Bank of England said it forecast a shortage of around 450 mln stg in the money market today.", day=17),
        report(2, "The Bank of England said it had revised its forecast of the shortage in the money market today "
                  "down to 400 mln stg.", day=17),
    ])) == [("amount", [("450 mln stg", ["a1"]), ("400 mln stg", ["a2"])])]
    # another day's report that gives the first's value as the one it replaces is the same thing
    assert values(disagreements([
        report(1, "Norsk Hydro is issuing a 100 mln dlr bond today carrying a coupon of 8-1/4 pct.", day=9),
        report(2, "The eurodollar bond issue for Norsk Hydro has been increased to a total of 125 mln dlrs from "
                  "the original 100 mln.", day=10),
    ])) == [("amount", [("100 mln dlr", ["a1"]), ("125 mln dlrs", ["a2"])])]
    # ...but not two weeks later: March 17's own forecast revised from 450, not March 3's
    assert disagreements([
        report(1, "The Bank of England said it had revised its forecast of the shortage in the money market down "
                  "to 450 mln stg before taking account of its morning operations.", day=3),
        report(2, "The Bank of England said it had revised its forecast of the shortage in the money market today "
                  "down to 400 mln stg from 450 mln stg.", day=17),
    ]) == ()
    # a toll grows over days: not a day's figure
    assert values(disagreements([
        report(1, "Police said today three people were killed in the blast.", day=7),
        report(2, "The toll of the blast rose to seven, police said.", day=8),
    ])) == [("killed", [("three", ["a1"]), ("seven", ["a2"])])]
    assert disagreements([
        report(1, "Нацбанк сьогодні продав на міжбанку 300 млн доларів.", "uk", day=3),
        report(2, "Нацбанк продав на міжбанку 250 млн доларів.", "uk", day=6),
    ]) == ()


def test_a_target_for_a_later_year_is_not_set_against_what_is():
    def on(n, sentence, language="en"):
        citation = Citation(f"a{n}", f"Title {n}", f"https://example.org/{n}", "Kyiv Ledger", datetime(1987, 3, 2 + n, 9))
        return Report(citation, sentence, n, language)
    assert disagreements([
        on(1, "Venezuela will limit new loans to 50 pct of what it repays on its 31 billion dlr foreign debt."),
        on(2, "Venezuela plans to have a public sector foreign debt of 26.5 billion dlrs by early 1989."),
    ]) == ()
    assert disagreements([
        on(1, "Борг України становить 31 млрд доларів.", "uk"),
        on(2, "Уряд планує скоротити борг до 26,5 млрд доларів у 1989 році.", "uk"),
    ]) == ()
    # a year already past is a period like any other: the same year's figure, revised, is compared
    assert values(disagreements([
        on(1, "Venezuela's foreign debt was 31 billion dlrs in 1986."),
        on(2, "Venezuela's foreign debt was revised to 33 billion dlrs in 1986."),
    ])) == [("amount", [("31 billion dlrs", ["a1"]), ("33 billion dlrs", ["a2"])])]
