"""retrieval.claims: the days and names a sentence ties to one role of one event, and where a story's
reports give different ones (issue 28: "when", "who")."""

from __future__ import annotations

from datetime import datetime

from retrieval.claims import claims, disagreements
from retrieval.figures import disagreements as all_disagreements
from retrieval.records import Citation, Report


def report(n: int, sentence: str, language: str = "en", day: int = 16, outlet: str = "Kyiv Ledger") -> Report:
    # March 1987: the 16th is a Monday
    citation = Citation(f"a{n}", f"Title {n}", f"https://example.org/{n}", outlet, datetime(1987, 3, day, 9))
    return Report(citation, sentence, n, language)


def values(found) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return [(d.about, [(v.value, [r.citation.article_id for r in v.reports]) for v in d.values]) for d in found]


def said(sentence: str, language: str = "en") -> list[tuple[str, str, str, bool]]:
    return [(c.event, c.value, c.written, c.old) for c in claims(sentence, language)]


# ---- when: a day for a role of an event ---------------------------------------------------------------


def test_an_extended_offer_gives_its_new_day():
    assert said("Cyacq Corp said it extended its tender offer for Cyclops Corp to March 20 from today.") == [
        ("expires:offer", "--03-20", "March 20", False)]
    # the day replaced is marked, and a day written in words is a day
    assert said("Sharon Steel Corp said it extended from March six to March 31 the expiration date for its "
                "exchange offer.") == [("expires:offer", "--03-31", "March 31", False)]
    assert said("The group also said it extended the offer until April three, from March 20.") == [
        ("expires:offer", "--04-03", "April three", False)]  # "from March 20" has no role: no claim
    assert said("Dixons on Friday extended its tender offer until midnight (EST) March 24.") == [
        ("expires:offer", "--03-24", "March 24", False)]


def test_meetings_scheduled_and_postponed():
    assert said("NECO Enterprises Inc said it has postponed its annual meeting to May 21 from the previously "
                "scheduled April 28.") == [("held:meeting:annual", "--05-21", "May 21", False),
                                           ("held:meeting:annual", "--04-28", "April 28", True)]
    assert said("A vote on the bill by the committee is scheduled for Thursday.") == [
        ("held:vote", "wd:3", "Thursday", False)]


def test_ukrainian_and_russian_roles():
    assert said("Термін дії пропозиції продовжено до 20 квітня.", "uk") == [
        ("expires:offer", "--04-20", "20 квітня", False)]
    assert said("Засідання відбудеться 30 березня.", "uk") == [("held:meeting", "--03-30", "30 березня", False)]
    assert said("Срок действия предложения продлен до 20 апреля.", "ru") == [
        ("expires:offer", "--04-20", "20 апреля", False)]
    assert said("Заседание состоится 30 марта.", "ru") == [("held:meeting", "--03-30", "30 марта", False)]


def test_days_without_a_role_or_an_event_are_no_claims():
    assert said("The plant has been closed since Dec. 14, when the contract expired.") == []
    assert said("The company plans to resume operations at the plant on March 16.") == []
    assert said("The meeting will be held next week.") == []  # relative words are not values
    assert said("Почалася 8 березня.", "uk") == []


def test_an_offer_extended_is_a_disagreement_of_when():
    assert values(disagreements([
        report(1, "Cyacq Corp said it extended its tender offer for Cyclops Corp to March 20 from today.", day=6),
        report(2, "Cyacq Acquisition Corp also said it extended the offer until April three, from March 20.", day=20),
    ])) == [("when", [("March 20", ["a1"]), ("April three", ["a2"])])]


def test_when_in_ukrainian_and_russian_and_across_them():
    assert values(disagreements([
        report(1, "Засідання ради Нафтогазу відбудеться 30 березня.", "uk"),
        report(2, "Засідання ради Нафтогазу перенесено на 2 квітня.", "uk", day=18),
    ])) == [("when", [("30 березня", ["a1"]), ("2 квітня", ["a2"])])]
    assert values(disagreements([
        report(1, "Заседание совета Газпрома состоится 30 марта.", "ru"),
        report(2, "Заседание совета Газпрома перенесено на 2 апреля.", "ru", day=18),
    ])) == [("when", [("30 марта", ["a1"]), ("2 апреля", ["a2"])])]
    assert values(disagreements([
        report(1, "The Naftogaz meeting will be held on March 30.", "en"),
        report(2, "Засідання Нафтогазу перенесено на 2 квітня.", "uk", day=18),
    ])) == [("when", [("March 30", ["a1"]), ("2 квітня", ["a2"])])]


def test_the_same_day_written_differently_is_one_value():
    # Thursday after Monday 16 March 1987 is the 19th; a year or none
    assert disagreements([
        report(1, "The Hughes Tool shareholders meeting is scheduled for Thursday."),
        report(2, "The Hughes Tool shareholders meeting is scheduled for March 19, 1987.", day=17),
        report(3, "Hughes Tool said the shareholders meeting will be held on March 19.", day=17),
    ]) == ()
    assert values(disagreements([
        report(1, "The Hughes Tool shareholders meeting is scheduled for Thursday."),
        report(2, "The Hughes Tool shareholders meeting is scheduled for March 26.", day=17),
    ])) == [("when", [("Thursday", ["a1"]), ("March 26", ["a2"])])]


def test_two_days_for_the_role_speak_for_neither_unless_one_is_new():
    assert disagreements([
        report(1, "Qintex said the offer was extended to April 6 and to April 20."),
        report(2, "Qintex said the offer was extended to April 13.", day=18),
    ]) == ()
    assert values(disagreements([
        report(1, "Qintex said the offer was extended to April 20 from April 6."),
        report(2, "Qintex said the offer was extended to April 13.", day=18),
    ])) == [("when", [("April 20", ["a1"]), ("April 13", ["a2"])])]


def test_look_alikes_of_when_do_not_disagree():
    # two bidders' offers for one company
    assert disagreements([
        report(1, "Cyacq Corp said it extended its tender offer for Cyclops Corp to March 20 from today.", day=6),
        report(2, "Cyclops cited its agreement to be acquired by Britain's Dixons Group PLC under a tender offer "
                  "that expires midnight March 17.", day=13),
    ]) == ()
    # two weeks of a weekly tender; two buyers' tenders
    assert disagreements([
        report(1, "The Reserve Bank said it cancelled the regular weekly treasury bill tender scheduled for March 3."),
        report(2, "The Reserve Bank said it has cancelled the regular weekly treasury bill tender scheduled for March 17."),
    ]) == ()
    assert disagreements([
        report(1, "India will hold its next white sugar buying tender on March 11."),
        report(2, "Syria has set its white sugar buying tender for April 8.", day=17),
    ]) == ()
    # a meeting and a vote; an offer and its withdrawal rights; a special and an annual meeting
    assert disagreements([
        report(1, "The meeting is scheduled for March 20."),
        report(2, "The vote is scheduled for March 24.", day=17),
    ]) == ()
    assert disagreements([
        report(1, "The offer expires March 25."),
        report(2, "The withdrawal rights will expire April 2.", day=17),
    ]) == ()
    assert disagreements([
        report(1, "The special meeting will be held on March 20."),
        report(2, "The annual meeting will be held on April 30.", day=17),
    ]) == ()


# ---- who: a name for a sole role ----------------------------------------------------------------------


def test_names_for_a_role():
    assert said("Xerox Corp said it named John Smith president and chief executive officer.") == [
        ("president", "smith", "John Smith", False), ("chief executive", "smith", "John Smith", False)]
    assert said("Paul A. Volcker was named chairman of the Federal Reserve Board.") == [
        ("chairman", "volcker", "Paul A. Volcker", False)]
    assert said("Mr Volcker succeeds Arthur Burns as chairman.") == [("chairman", "volcker", "Mr Volcker", False)]
    assert said("Islamic Jihad claimed responsibility for the bombing.") == [
        ("responsibility", "jihad", "Islamic Jihad", False)]
    assert said("The by-election, in the suburb of Greenwich, was won by the Liberals.") == [
        ("won:election", "liberals", "Liberals", False)]
    # roles several hold at once are no claims
    assert said("Xerox Corp said it named John Smith executive vice president.") == []


def test_names_in_ukrainian_and_russian():
    assert said("Іван Петренко призначений головою правління Нафтогазу.", "uk") == [
        ("chairman", "петренк", "Іван Петренко", False)]
    assert said("Председателем правления назначен Иван Петров.", "ru") == [("chairman", "петров", "Иван Петров", False)]
    assert said("Відповідальність за вибух взяло на себе угруповання Хамас.", "uk") == [
        ("responsibility", "хамас", "Хамас", False)]
    assert said("Ответственность за взрыв взяла на себя группировка Хамас.", "ru") == [
        ("responsibility", "хамас", "Хамас", False)]


def test_a_second_name_for_one_role_is_a_disagreement_of_who():
    assert values(disagreements([
        report(1, "Islamic Jihad claimed responsibility for the bombing of the embassy in Beirut."),
        report(2, "The Revolutionary Justice Organisation claimed responsibility for the bombing of the embassy in Beirut.",
               day=17),
    ])) == [("who", [("Islamic Jihad", ["a1"]), ("Revolutionary Justice Organisation", ["a2"])])]
    assert values(disagreements([
        report(1, "Xerox Corp said it named John Smith chairman."),
        report(2, "Xerox Corp said it named Robert Jones chairman.", day=17),
    ])) == [("who", [("John Smith", ["a1"]), ("Robert Jones", ["a2"])])]
    assert values(disagreements([
        report(1, "Іван Петренко призначений головою правління Нафтогазу.", "uk"),
        report(2, "Головою правління Нафтогазу призначено Олега Коваленка.", "uk", day=17),
    ])) == [("who", [("Іван Петренко", ["a1"]), ("Олега Коваленка", ["a2"])])]


def test_one_person_written_differently_is_one_value():
    assert disagreements([
        report(1, "Paul Volcker was named chairman of the Federal Reserve Board."),
        report(2, "Mr Volcker was named chairman of the Federal Reserve Board.", day=17),
        report(3, "Volcker succeeds Arthur Burns as chairman of the Federal Reserve Board.", day=18),
    ]) == ()
    # in the other language: the same name in Latin letters
    assert disagreements([
        report(1, "Ivan Petrenko was named chairman of Naftogaz.", "en"),
        report(2, "Іван Петренко призначений головою правління Нафтогазу.", "uk", day=17),
        report(3, "Иван Петренко назначен председателем правления Нафтогаза.", "ru", day=18),
    ]) == ()
    assert values(disagreements([
        report(1, "Ivan Petrenko was named chairman of Naftogaz.", "en"),
        report(2, "Головою правління Нафтогазу призначено Олега Коваленка.", "uk", day=17),
    ])) == [("who", [("Ivan Petrenko", ["a1"]), ("Олега Коваленка", ["a2"])])]


def test_look_alikes_of_who_do_not_disagree():
    # two companies' chairmen; the new chairman and the one he replaces; a chairman and a president
    assert disagreements([
        report(1, "Systems Assurance Corp said its board elected Charles Scott as chairman."),
        report(2, "National Medical Care Systems Inc said it has named Arthur Axelrod its chairman.", day=17),
    ]) == ()
    assert disagreements([
        report(1, "Newcor Inc said its board elected William Mitchell as chairman."),
        report(2, "Newcor Inc said William Mitchell succeeds Frank Gofrank as chairman.", day=17),
    ]) == ()
    assert disagreements([
        report(1, "Xerox Corp said it named John Smith chairman."),
        report(2, "Xerox Corp said it named Robert Jones president.", day=17),
    ]) == ()


def test_figures_disagreements_carry_when_and_who():
    assert values(all_disagreements([
        report(1, "Cyacq Corp said it extended its 80 dlr a share tender offer for Cyclops Corp to March 20.", day=6),
        report(2, "Cyacq Corp said it extended its 80 dlr a share tender offer for Cyclops Corp until April 3.", day=20),
    ])) == [("when", [("March 20", ["a1"]), ("April 3", ["a2"])])]


def test_a_title_before_a_name_with_its_body():
    assert said("White House chief of staff Donald Regan also received strong criticism.") == [
        ("chief of staff@white house", "regan", "Donald Regan", False)]
    assert said("West German President Richard von Weizsaecker said the talks went well.") == [
        ("president@west german", "weizsaecker", "Richard von Weizsaecker", False)]
    # not now, not sole, no one body, cut off, a title without a body
    assert said("Former White House Chief of Staff Donald Regan was opposed to Volcker.") == []
    assert said("GAO Senior Associate Director Allan Mendelowitz told a Senate subcommittee.") == []
    assert said("Reserve Bank Governor Spencer Russell said liquidity was tight.") == []
    assert said("Treasury Secretary Mario Brodersohn said he was optimistic.") == []
    assert said("Federal Reserve Board Governor Martha Seger said she was concerned.") == []
    assert said("President Reagan said he would veto the bill.") == []
    assert said("Treasury Secretary James Baker's Third World debt initiative calls for lending.") == []


def test_a_title_holder_who_changed_is_a_disagreement_and_a_typo_is_not():
    assert values(disagreements([
        report(1, "White House chief of staff Donald Regan also received strong criticism.", day=6),
        report(2, "White House Chief of Staff Howard Baker said Reagan will address the nation.", day=9),
        report(3, "Former White House Chief of Staff Donald Regan was opposed to Volcker.", day=10),
    ])) == [("who", [("Donald Regan", ["a1"]), ("Howard Baker", ["a2"])])]
    assert disagreements([
        report(1, "Portuguese Prime Minister Anibal Cavaco Silva said Portugal would hand back Macao."),
        report(2, "Portuguese Prime Minister Anibal Cavaco Silve said in Lisbon that China had promised.", day=17),
    ]) == ()


def test_days_that_are_not_the_events_current_day():
    # a meeting called off, a suggestion, a period's end, a weekday in the past
    assert said("American Motors' board voted to postpone its annual shareholders meeting scheduled for April 29.") == [
        ("held:meeting:annual+shareholders", "--04-29", "April 29", True)]
    assert said("Citicorp had suggested that Dixons extend its tender until March 31.") == []
    assert said("Its net loss for the nine months ended October 31 was tied to strikes.") == []
    assert said("After considering the two offers at a meeting on Friday, the board decided not to act.") == []
    assert said("The talks are scheduled to end on March 27.") == [("ends:talks", "--03-27", "March 27", False)]
    assert disagreements([
        report(1, "Its offer originally was scheduled to expire March 17 but was extended for one week."),
        report(2, "The offer expires March 24.", day=18),
    ]) == ()


def test_midnight_of_a_day_is_the_next_day_too():
    assert disagreements([
        report(1, "Cyclops cited its agreement with Dixons Group PLC under a tender offer that expires midnight March 17."),
        report(2, "Last week Dixons said it won out over rival bidders for Cyclops with a tender offer that expired March 18.",
               day=23),
    ]) == ()
    # an expiry a day apart is the same midnight as often as an extension by a day: not compared
    assert disagreements([
        report(1, "Dixons Group's offer for Cyclops extends to March 17."),
        report(2, "Dixons said its tender offer for Cyclops expired March 18.", day=23),
    ]) == ()


def test_had_been_extended_is_the_current_day():
    assert said("Qintex said the offer had been extended until April 3.") == [("expires:offer", "--04-03", "April 3", False)]
    assert said("Harper and Row's board has postponed indefinitely a special meeting that had been scheduled for "
                "April 2.") == [("held:meeting:special", "--04-02", "April 2", True)]
    assert said("The annual meeting March 7 was attended by 300.") == [("held:meeting:annual", "--03-07", "March 7", False)]


def test_who_claimed_an_attack_across_languages():
    assert said("Відповідальність за вибух у Бейруті взяв на себе ХАМАС.", "uk") == [
        ("responsibility", "хамас", "ХАМАС", False)]
    assert disagreements([
        report(1, "Hamas claimed responsibility for the blast in Beirut."),
        report(2, "Відповідальність за вибух у Бейруті взяв на себе ХАМАС.", "uk", day=17),
        report(3, "Ответственность за взрыв в Бейруте взял на себя ХАМАС.", "ru", day=17),
    ]) == ()
    assert values(disagreements([
        report(1, "Islamic Jihad claimed responsibility for the blast in Beirut."),
        report(2, "Відповідальність за вибух у Бейруті взяв на себе ХАМАС.", "uk", day=17),
    ])) == [("who", [("Islamic Jihad", ["a1"]), ("ХАМАС", ["a2"])])]


def test_meetings_of_fitting_kinds_are_one_meeting():
    assert values(disagreements([
        report(1, "Hughes Tool said its annual meeting will be held on April 23."),
        report(2, "Hughes Tool said its annual shareholders meeting will be held on April 30.", day=17),
        report(3, "Hughes Tool said its board meeting will be held on April 2.", day=18),
        report(4, "Hughes Tool said the meeting will be held on April 9.", day=18),
    ])) == [("when", [("April 23", ["a1"]), ("April 30", ["a2"])])]


# ---- sixth round: role and event phrases the reports of batch 7 write ----------------------------------


def test_an_offer_and_its_own_terms_ending_together_give_the_offers_day():
    assert said("The company said the offer, which is not conditioned on any minimum, and associated withdrawal "
                "rights will expire April 28 unless extended.") == [("expires:offer", "--04-28", "April 28", False)]
    assert said("Sosnoff said the bid by his MTS Acquisition Corp, withdrawal rights and the proration period will "
                "now expire June 19 unless extended.") == [("expires:offer", "--06-19", "June 19", False)]
    assert said("Компанія повідомила, що пропозиція та право на відкликання спливають 28 квітня.", "uk") == [
        ("expires:offer", "--04-28", "28 квітня", False)]
    assert said("Компания сообщила, что предложение и право на отзыв истекают 28 апреля.", "ru") == [
        ("expires:offer", "--04-28", "28 апреля", False)]
    # withdrawal rights alone are their own event
    assert said("Withdrawal rights will expire April 20.") == [("expires:rights", "--04-20", "April 20", False)]


def test_a_relative_clause_is_of_the_noun_before_it():
    assert said("Sosnoff said his bid for Caesars, which is scheduled to expire May 15, still stands.") == [
        ("expires:offer", "--05-15", "May 15", False)]
    assert said("Сосноф заявив, що його пропозиція щодо Caesars, яка спливає 15 травня, залишається в силі.",
                "uk") == [("expires:offer", "--05-15", "15 травня", False)]
    assert said("Сософф заявил, что его предложение по Caesars, которое истекает 15 мая, остается в силе.",
                "ru") == [("expires:offer", "--05-15", "15 мая", False)]


def test_a_record_date_and_a_target_date_are_the_things_set():
    assert said("Vernitron said the record date for the meeting has been tentatively set for May 15.") == [
        ("held:record", "--05-15", "May 15", False)]
    assert said("Vernitron Corp said it has set a new record date of July 10 for shareholders entitled to "
                "vote.") == [("held:record", "--07-10", "July 10", False)]
    assert said("Дату закриття реєстру призначено на 10 липня.", "uk") == [("held:record", "--07-10", "10 липня", False)]
    assert said("Дата закрытия реестра назначена на 10 июля.", "ru") == [("held:record", "--07-10", "10 июля", False)]
    assert said("Chrysler said it and Renault agreed to set May 5 as the new target date for an agreement.") == [
        ("held:target", "--05-05", "May 5", False)]


def test_a_day_set_as_the_date_of_a_meeting_and_a_meeting_adjourned_to_an_hour():
    assert said("Becor Western Inc said it set June 4 as the date for a special meeting at which stockholders "
                "will vote on two proposals.") == [("held:meeting:shareholders+special", "--06-04", "June 4", False)]
    assert said("Компанія призначила 4 червня датою позачергових зборів акціонерів.", "uk") == [
        ("held:meeting:shareholders+special", "--06-04", "4 червня", False)]
    assert said("Компания назначила 4 июня датой внеочередного собрания акционеров.", "ru") == [
        ("held:meeting:shareholders+special", "--06-04", "4 июня", False)]
    assert said("Becor Western Inc said its reconvened shareholders meeting has been adjourned to 1000 CDT "
                "June 30.") == [("held:meeting:shareholders", "--06-30", "June 30", False)]
    assert said("Збори акціонерів перенесено на 30 червня.", "uk") == [
        ("held:meeting:shareholders", "--06-30", "30 червня", False)]
    assert said("Собрание акционеров перенесено на 30 июня.", "ru") == [
        ("held:meeting:shareholders", "--06-30", "30 июня", False)]
    # a special meeting and a shareholders' meeting of one company: one meeting, its day changed
    found = disagreements([
        report(1, "Becor Western Inc said it set June 4 as the date for a special meeting at which stockholders "
                  "will vote on two proposals."),
        report(2, "Becor Western Inc said its reconvened shareholders meeting has been adjourned to 1000 CDT June 30.",
               day=20)])
    assert values(found) == [("when", [("June 4", ["a1"]), ("June 30", ["a2"])])]


def test_a_debt_issue_is_due_on_its_day_and_known_by_its_rate():
    assert said("Michigan General Corp said it has extended its exchange offer for its 10-3/4 pct senior "
                "subordinated debentures due December 1, 1988 until April 23.") == [
        ("due:debt:10-3/4", "1988-12-01", "December 1, 1988", False)]
    assert said("Компанія продовжила пропозицію щодо облігацій 10,75 відсотка з погашенням 1 грудня 1998 року.",
                "uk") == [("due:debt:10,75", "1998-12-01", "1 грудня 1998", False)]
    assert said("Компания продлила предложение по облигациям 10,75 процента со сроком погашения 1 декабря 1998 "
                "года.", "ru") == [("due:debt:10,75", "1998-12-01", "1 декабря 1998", False)]
    assert said("Norsk Hydro A/S is issuing 50 mln stg bonds due April 15, 1993 carrying a 9-7/8 pct coupon.") == [
        ("due:debt:9-7/8", "1993-04-15", "April 15, 1993", False)]
    assert said("The notes, due March 31, 1992, will be guaranteed by the Sumitomo Trust.") == []  # no rate: no issue
    # two issues of one company, two rates: not one issue's day
    assert disagreements([
        report(1, "Michigan General Corp said holders of its 10-3/4 pct debentures due December 1, 1998, agreed."),
        report(2, "Michigan General Corp said holders of its 12 pct debentures due December 1, 1994, agreed.")]) == ()
    found = disagreements([
        report(1, "Michigan General Corp said holders of its 10-3/4 pct debentures due December 1, 1998, agreed."),
        report(2, "Michigan General Corp extended its offer for its 10-3/4 pct debentures due December 1, 1988 "
                  "until April 23.")])
    assert values(found) == [("when", [("December 1, 1998", ["a1"]), ("December 1, 1988", ["a2"])])]


def test_a_closing_starting_on_a_day_and_a_sentence_corrected_but_for_its_day():
    assert said("The plants will be closed for a week starting August six for inventory adjustment.") == [
        ("begins:closure", "--08-06", "August six", False)]
    assert said("Заводи будуть закриті на тиждень починаючи з 6 квітня.", "uk") == [
        ("begins:closure", "--04-06", "6 квітня", False)]
    assert said("Заводы будут закрыты на неделю начиная с 6 апреля.", "ru") == [
        ("begins:closure", "--04-06", "6 апреля", False)]
    # the sentence names nobody, but the two reports are one sentence but for its day and the later is headed
    # as a correction
    first = report(1, "The plants will be closed for a week starting August six for inventory adjustment.")
    again = report(2, "The plants will be closed for a week starting April six for inventory adjustment.")
    fixed = Report(Citation("a2", "CORRECTED - GM TO IDLE SIX PLANTS", None, "Reuters", datetime(1987, 3, 16, 11)),
                   again.sentence, 2, "en")
    assert values(disagreements([first, fixed])) == [("when", [("August six", ["a1"]), ("April six", ["a2"])])]
    # without the heading the same sentence is a wire's boilerplate, two bidders' as likely as one's
    assert disagreements([first, again]) == ()
    assert disagreements([report(1, "The offer and withdrawal rights expire April Nine unless extended."),
                          report(2, "The offer and withdrawal rights expire April 20 unless extended.")]) == ()
    # two sentences naming nobody are still not compared
    assert disagreements([report(1, "The plants will be closed for a week starting August six."),
                          report(2, "The two plants will be shut for a week starting April six.")]) == ()


def test_a_waiting_period_is_not_the_offer_it_is_for():
    assert said("Boeing Co said the Hart-Scott-Rodino waiting period required in connection with its pending "
                "tender offer for ArgoSystems Inc expired at midnight June 18.") == [
        ("expires:waiting", "--06-18", "June 18", False)]
    assert said("Період очікування для пропозиції спливає 18 червня.", "uk") == [
        ("expires:waiting", "--06-18", "18 червня", False)]
    assert said("Период ожидания по предложению истекает 18 июня.", "ru") == [
        ("expires:waiting", "--06-18", "18 июня", False)]
    assert disagreements([
        report(1, "Boeing Co said its offer, withdrawal rights and proration deadline all expire June 30."),
        report(2, "Boeing Co said the waiting period required in connection with its pending tender offer for "
                  "ArgoSystems Inc expired at midnight June 18.")]) == ()


def test_an_extension_far_from_its_day():
    assert said("E.F. Hutton LBO Inc unit said it extended the expiration date for its 35 dlr per share tender "
                "offer for Purolator Courier corp to midnight EST April six from midnight April one.") == [
        ("expires:offer", "--04-06", "April six", False)]


# ---- news of the 2020s: launches, pauses, court appearances, votes ahead -------------------------------


def test_a_launch_targeted_attempted_and_launching_on_a_day():
    assert said("The Kestrel probe is targeting liftoff on May 12 from the coastal pad.") == [
        ("held:launch", "--05-12", "May 12", False)]
    assert said("Агентство планує запуск на 12 травня з прибережного майданчика.", "uk") == [
        ("held:launch", "--05-12", "12 травня", False)]
    assert said("Агентство планирует запуск на 12 мая с прибрежной площадки.", "ru") == [
        ("held:launch", "--05-12", "12 мая", False)]
    assert said("The crew has one more attempt at launching the probe on Saturday.") == [
        ("held:launch", "wd:5", "Saturday", False)]
    assert said("Екіпаж матиме ще одну спробу запуску зонда в суботу.", "uk") == [
        ("held:launch", "wd:5", "суботу", False)]
    assert said("Экипаж получит ещё одну попытку запуска зонда в субботу.", "ru") == [
        ("held:launch", "wd:5", "субботу", False)]
    assert said("When the probe launches on May 20, it will test every new instrument.") == [
        ("held:launch", "--05-20", "May 20", False)]
    assert said("Зонд стартує у суботу з космодрому.", "uk") == [("held:launch", "wd:5", "суботу", False)]
    assert said("Зонд стартует в субботу с космодрома.", "ru") == [("held:launch", "wd:5", "субботу", False)]
    assert said("Officials pushed the launch to June 9.") == [("held:launch", "--06-09", "June 9", False)]
    assert said("Запуск перенесли на 9 червня.", "uk") == [("held:launch", "--06-09", "9 червня", False)]
    assert said("Запуск перенесли на 9 июня.", "ru") == [("held:launch", "--06-09", "9 июня", False)]
    assert said("The launch was rescheduled for June 2.") == [("held:launch", "--06-02", "June 2", False)]


def test_a_backup_day_and_a_past_weekday_are_no_claims():
    assert said("A backup opportunity to launch on May 15 remains open.") == []
    assert said("Резервна дата запуску призначена на 15 травня.", "uk") == []
    assert said("Резервная дата запуска назначена на 15 мая.", "ru") == []
    # which Saturday a past launch was the tense does not say ahead
    assert said("The probe launched on Saturday.") == []
    assert said("The summit ended on Sunday.") == []
    assert said("The company launched its offer on June 3.") == []


def test_a_launch_moved_after_a_scrub_is_a_disagreement_and_its_backup_day_is_not():
    # the 14th of March 1987 a Saturday, the 17th a Tuesday: "Saturday" of the 17th is the 21st
    first = report(1, "The Kestrel team is targeting liftoff on March 19 from the coastal pad.", day=14)
    again = report(2, "The Kestrel team plans one more try at launching the probe on Saturday.", day=17)
    assert values(disagreements([first, again])) == [
        ("when", [("March 19", ["a1"]), ("Saturday", ["a2"])])]
    backup = report(3, "The Kestrel team keeps a backup chance to launch on March 23.", day=17)
    assert disagreements([backup, again]) == ()
    # the same Saturday written as a date
    dated = report(4, "The Kestrel team is now targeting liftoff on March 21.", day=18)
    assert disagreements([again, dated]) == ()


def test_a_pause_extended_and_one_speaker_telling_both():
    assert said("The ministry extended the pause on rent increases through March 31.") == [
        ("expires:pause", "--03-31", "March 31", False)]
    assert said("The ministry will extend its loan moratorium until as late as June 30, 1988.") == [("expires:pause", "1988-06-30", "June 30, 1988", False)]
    assert said("Мораторій на виплати продовжено до 30 червня.", "uk") == [("expires:pause", "--06-30", "30 червня", False)]
    assert said("Мораторий на выплаты продлен до 30 июня.", "ru") == [("expires:pause", "--06-30", "30 июня", False)]
    # the second sentence's subject is the ministry, but Novak is the speaker of both and the first names no one else
    assert values(disagreements([
        report(1, "Novak said the rent moratorium is being extended once more to March 31."),
        report(2, "Rents stay frozen as the Housing Ministry extends its freeze until as late as June 30, "
                  "Prime Minister Jan Novak said.", day=18)])) == [
        ("when", [("March 31", ["a1"]), ("June 30", ["a2"])])]
    # the target company's word on one bid and another bidder's own offer for it: Smith speaks in one only
    assert disagreements([report(1, "Smith said the offer will be extended to April 5."),
                          report(2, "Dixons Group extended its offer for Smith Corp until April 9.", day=18)]) == ()


def test_an_end_ahead_an_appearance_and_a_vote_ahead():
    assert said("The summit is officially due to end on Friday.") == [("ends:conference", "wd:4", "Friday", False)]
    assert said("Саміт має завершитися у п'ятницю.", "uk") == [("ends:conference", "wd:4", "п'ятницю", False)]
    assert said("Саммит должен завершиться в пятницу.", "ru") == [("ends:conference", "wd:4", "пятницу", False)]
    assert said("The judge re-set the mayor's appearance for Wednesday.") == [
        ("held:appearance", "wd:2", "Wednesday", False)]
    assert said("Суддя переніс появу мера на середу.", "uk") == [("held:appearance", "wd:2", "середу", False)]
    assert said("Судья перенес явку мэра на среду.", "ru") == [("held:appearance", "wd:2", "среду", False)]
    assert said("The mayor is scheduled to appear before the grand jury on June 4.") == [
        ("held:appearance", "--06-04", "June 4", False)]
    assert said("Мер має постати перед судом 4 червня.", "uk") == [("held:appearance", "--06-04", "4 червня", False)]
    assert said("Мэр должен предстать перед судом 4 июня.", "ru") == [("held:appearance", "--06-04", "4 июня", False)]
    assert said("Shareholders will vote on the merger on July 27.") == [("held:vote", "--07-27", "July 27", False)]
    assert said("Акціонери голосуватимуть щодо злиття 27 липня.", "uk") == [("held:vote", "--07-27", "27 липня", False)]
    assert said("Акционеры будут голосовать по слиянию 27 июля.", "ru") == [("held:vote", "--07-27", "27 июля", False)]
    assert said("Shareholders voted on the merger on July 27.") == []
