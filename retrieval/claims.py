"""Who and when: the day and the name a report's sentence gives for one role of one event, and where the
reports of one story give different ones (issue 28: "expires: April 6 — Reuters, 16 Mar · April 20 —
Reuters, 20 Mar"; "chairman: Smith — ... · Jones — ...").

A story's sentences give many days and many names: the day an offer was made and the day it closes, the
day a plant closed and the day it reopens, the old chairman and the new, two bidders. Every earlier round
that compared dates showed two days of two things. So a day or a name is a claim only when a role phrase in
its own clause ties it to an event ("the offer ... extended to April 20", "the meeting will be held on March
30", "X was named chairman of Y", "X claimed responsibility for the attack"); two claims are set against each
other only for the same role of the same event, and only when neither sentence names a party the other does
not know (India's tender and Syria's; Cyacq's offer for Cyclops and Dixons'). Precision comes first: what is
unsure is not compared."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from index.transliteration import latin
from retrieval.numbers import LANGUAGES, dates, fold
from retrieval.records import Disagreement, Report, Stated
from retrieval.values import distinct, when as _when


@dataclass(frozen=True)
class Claim:
    """One day or name a sentence gives for a role of an event. `about` is "when" or "who"; `event` the
    role and the event in English words shared by the three languages ("expires:offer", "held:meeting",
    "chairman", "responsibility"); `value` a day ("1987-04-20", "--04-20" without a year, "wd:3" for a
    weekday not yet placed) or a name's key (a surname, lower case); `written` as the sentence writes it;
    `old` when the sentence marks it as the value replaced ("from April 6", "originally scheduled for")."""

    about: str
    event: str
    value: str
    written: str
    span: tuple[int, int]
    old: bool = False
    midnight: bool = False  # "expires midnight March 17": the end of the 17th, which a report may call the 18th


# ---- when ---------------------------------------------------------------------------------------------

# What the day is of: the nearest event word of the clause, in English words for every language.
_EVENTS = {
    "offer": r"offers?|tender(?:ed)?|bids?|пропозиці\w*|тендер\w*|предложени\w*",
    "warrants": r"warrants?|варант\w*|варрант\w*",
    "rights": r"rights",
    "agreement": r"agreements?|pacts?|accords?|contracts?|угод\w*|договор\w*|соглашени\w*|контракт\w*",
    "deadline": r"deadlines?|термін\w*|строк\w*|срок\w*",
    "meeting": r"meetings?|засідан\w*|зустріч\w*|заседани\w*|встреч\w*|собрани\w*|збори|зборів",
    "vote": r"votes?|voting|ballot|голосуван\w*|голосовани\w*",
    "election": r"elections?|by-elections?|вибор\w*|выбор\w*",
    "referendum": r"referendum|референдум\w*",
    "strike": r"strikes?|walkout|страйк\w*|забастовк\w*",
    "launch": r"launch(?:es)?|запуск\w*",
    "session": r"sessions?|сесі\w*|сесси\w*",
    "talks": r"talks|negotiations|переговор\w*",
    "conference": r"conference|summit|конференці\w*|саміт\w*|конференци\w*|саммит\w*",
    "hearing": r"hearings?|trial|слухан\w*|суд\w*|слушани\w*",
    "auction": r"auctions?|аукціон\w*|аукцион\w*",
    # a date that is itself the thing set: "the record date for the meeting" is not the meeting's day
    "record": r"record\s+date|date\s+of\s+record|дат\w*\s+закриття\s+реєстру|дат\w*\s+закрытия\s+реестра",
    "target": r"target\s+date|цільов\w*\s+дат\w*|целев\w*\s+дат\w*",
    "waiting": r"waiting\s+periods?|період\w*\s+очікування|период\w*\s+ожидания",
    "debt": r"debentures?|notes|bonds?|облігаці\w*|облигаци\w*",
    "closure": r"closed|closing|closure|shut\s+down|shutdown|закри\w*|закрыт\w*",
    # "the moratorium on loan payments will be extended to December 31", "паузу продовжено до", "мораторий продлен до"
    "pause": r"pause|moratorium|freeze|мораторі\w*|мораторий|паузу|пауза|паузи|паузы|заморожуванн\w*|заморозк\w*",
    # "re-set his appearance for Wednesday", "його появу в суді перенесли на", "явку в суд перенесли на"
    "appearance": r"appearances?|появ\w*|явк\w*",
}
_EVENT_RES = [(key, re.compile(rf"(?:{pattern})")) for key, pattern in _EVENTS.items()]
# Which events each role can be of: a meeting is not extended, an offer is not held.
_OF_ROLE = {
    "expires": {"offer", "warrants", "rights", "agreement", "deadline", "waiting", "pause"},
    "held": {"meeting", "vote", "election", "referendum", "strike", "launch", "session", "talks", "conference",
             "hearing", "auction", "offer", "record", "target", "appearance"},
    "begins": {"strike", "talks", "session", "conference", "hearing", "auction", "offer", "meeting", "closure"},
    "ends": {"strike", "talks", "session", "conference", "hearing", "auction"},
    "due": {"debt"},
}
# Which events are dates themselves: named in the clause, they are what the day is of, before any event word
# nearer the day ("the record date for the meeting has been set for May 15", "the waiting period required in
# connection with its tender offer expired")
_DATE_EVENTS = ("record", "target", "waiting")
# What a meeting is: a shareholders' meeting and a board meeting are two meetings of one story.
_KINDS = {"annual": "annual", "special": "special", "board": "board", "shareholders": "shareholders",
          "stockholders": "shareholders", "extraordinary": "special", "emergency": "special", "council": "council",
          "committee": "committee", r"позачергов\w*": "special", r"внеочередн\w*": "special", r"річн\w*": "annual",
          r"годов\w*": "annual"}
# Kinds written after the event: "meeting of stockholders", "a special meeting at which stockholders will vote",
# "збори акціонерів", "собрание акционеров", "засідання правління"
_KINDS_AFTER = [(re.compile(r"\s+(?:(?:of|at\s+which|where)\s+(?:the\s+|its\s+|their\s+)?(?:company's\s+)?)?"
                            r"(?:stockholders|shareholders|holders|акціонерів|акционеров)(?!\w)"), "shareholders"),
                (re.compile(r"\s+(?:of\s+(?:the\s+|its\s+)?directors|правління|ради\s+директорів|совета\s+директоров|"
                            r"правления)(?!\w)"), "board")]

# The role phrase ending just before the day, by role. "to"/"until" count only after an extension's word.
_ROLE_BEFORE = [
    ("begins", r"(?:begin|begins|began|start|starts|started|open|opens|opened|to begin|to start|starting|beginning|"
               r"почнеться|розпочнеться|начнется|начнутся|починаючи\s+з|начиная\s+с|розпочатися|початися|начаться)\s+"
               r"(?:on\s+|у\s+|в\s+)?"),
    ("ends", r"(?:end|ends|ended|close|closes|closed|закінчиться|завершиться|закончится|завершится|завершитися|"
             r"закінчитися|закончиться)\s+(?:on\s+|у\s+|в\s+)?"),
    ("expires", r"(?:extend\w*|extension|prolong\w*|продовж\w*|подовж\w*|продл\w*)\s+(?:[\w'’-]+\s+){0,16}?"
                r"(?:to|until|till|through|до|по)\s+(?:as\s+late\s+as\s+)?(?:midnight\s+(?:\(?[a-z]{3}\)?\s+)?)?"),
    ("expires", r"(?:expire[sd]?|expiring|expiration(?:\s+date)?|expiry(?:\s+date)?|deadline|due to expire|"
                r"спливає|спливають|спливе|закінчується|закінчуються|истекает|истекают|истечет|истекут|заканчивается)\s+(?:(?:on|at|of|is|was|now|"
                r"date|midnight|\(?[a-z]{3}\)?)\s+)*"),
    ("held", r"(?:scheduled|rescheduled|set|slated|planned|postponed|adjourned|adjourn|delayed|moved|put off|called|"
             r"deferred|pushed(?:\s+back)?|pushing(?:\s+back)?|pushes(?:\s+back)?)\s+(?:[\w'’-]+\s+){0,4}?(?:for|to|until|till|on)\s+(?:\d{3,4}\s+(?:[a-z]{3}\s+)?)?"),
    # "the record date is May 15", "a new record date of July 10"
    ("held", r"(?:record|target)\s+date\s+(?:of|is|was|will\s+be|would\s+be)\s+"),
    # "debentures due December 1, 1998", "облігації з погашенням 1 грудня 1998 року"
    ("due", r"(?:due|maturing|matures?|mature\s+on|з\s+погашенням|со\s+сроком\s+погашения|с\s+погашением)\s+(?:on\s+)?"),
    ("held", r"(?:scheduled|rescheduled|slated)\s+"),
    ("held", r"(?:(?:will|would|to|is to|was to)\s+be\s+held|will take place|takes place|take place)\s+(?:on\s+)?"),
    ("held", r"(?:відбудеться|відбулося|відбудуться|состоится|состоятся|состоялось|пройде|пройдет)\s+(?:у\s+|в\s+)?"),
    ("held", r"(?:призначен\w*|перенесен\w*|перенесл\w*|переніс|перенес|заплановано|запланован\w*|назначен\w*|запланирован\w*)\s+"
             r"(?:[\w'’-]+\s+){0,2}?на\s+"),
]
_ROLE_BEFORE_RES = [(role, re.compile(rf"(?<!\w){pattern}$")) for role, pattern in _ROLE_BEFORE]
# Role phrases that name their event themselves, as news of the 2020s writes a launch or a court date: "is
# targeting liftoff on August 29", "another attempt at launching ... on Saturday", "when it launches on November
# 16", "is scheduled to appear before the grand jury on"; the older event words are not read for them, so a
# Reuters sentence reads as it did
_ROLE_EVENT = [
    ("held", "launch", r"(?:targeting|targets|планує|планують|планирует|планируют)\s+(?:(?:a|the|its|new)\s+)*"
                       r"(?:launch|liftoff|lift-off|запуск|старт)\s+(?:(?:date\s+)?(?:of|for|on|на)\s+)?"),
    ("held", "launch", r"(?:attempts?|try|tries|спроб\w*|попытк\w*)\s+(?:(?:at|to)\s+)?(?:launch(?:ing)?|liftoff|"
                       r"запуск\w*|старт\w*)\s+(?:[\w'’-]+\s+){0,8}?(?:on|у|в|во|на)\s+"),
    ("held", "launch", r"(?:launches|will\s+launch|to\s+launch|lifts\s+off|will\s+lift\s+off|стартує|стартует|"
                       r"злетить|взлетит)\s+(?:on|у|в|во)\s+"),
    # "shareholders will vote on the merger on July 27", "акціонери голосуватимуть щодо злиття 27 липня"
    ("held", "vote", r"(?:will|to|would|shall)\s+vote\s+(?:on|for)\s+(?:[\w'’-]+\s+){0,6}?(?:on\s+)?|"
                     r"(?:голосуватимуть|голосуватиме|проголосують|будут\s+голосовать|будет\s+голосовать|проголосуют)\s+"
                     r"(?:[\w'’-]+\s+){0,6}?(?:(?:у|в)\s+)?"),
    ("held", "appearance", r"(?:scheduled|set|due|expected)\s+to\s+(?:appear|testify)\s+(?:[\w'’-]+\s+){0,8}?(?:(?:on|for)\s+)?|"
                           r"(?:має|мает|должен|повинен)\s+(?:з'явитися|постати|явиться|предстать)\s+"
                           r"(?:[\w'’-]+\s+){0,8}?(?:(?:у|в|во|на)\s+)?"),
]
_ROLE_EVENT_RES = [(role, event, re.compile(rf"(?<!\w)(?:{pattern})$")) for role, event, pattern in _ROLE_EVENT]
# "a backup opportunity to launch on September 5": a day kept in reserve is not the day set
_BACKUP = re.compile(r"(?<!\w)(?:backup|back-up|fallback|contingency|alternate|резервн\w*|запасн\w*)(?!\w)")
# "is officially due to end on Friday": an end or a start ahead, whose weekday can be placed
_AHEAD = re.compile(r"(?<!\w)(?:(?:due|set|scheduled|expected|slated)\s+to|will)\s+(?:end|close|begin|start|open)\s+"
                    r"(?:on\s+)?$|(?<!\w)(?:має|мають|повинен|повинна|повинно|повинні|должен|должна|должно|должны)\s+"
                    r"(?:завершитися|закінчитися|розпочатися|початися|завершиться|закончиться|начаться)\s+(?:у\s+|в\s+)?$")
# "the meeting March 7", "the vote on April 2": the event word itself, right before its day.
_HELD_EVENTS = ("meeting", "vote", "election", "referendum", "strike", "launch", "session", "conference", "hearing",
                "auction")
_EVENT_ON = re.compile(rf"(?<!\w)(?P<event>{'|'.join(_EVENTS[k] for k in _HELD_EVENTS)})"
                       r"\s+(?:(?:on|of|set for|scheduled for|planned for)\s+)?$")
# The day that is replaced: "to March 31 from March six", "originally scheduled for April 2", "was to expire"
_FROM = re.compile(r"(?<!\w)(?:from|з|із|від|с|со|от|instead of|rather than|замість|вместо)(?!\w)")
_FORMER = re.compile(r"(?<!\w)(?:originally|previously|formerly|initially|earlier|had been (?:scheduled|set|planned|"
                     r"due)|was to|were to|was due|"
                     r"were due|раніше|ранее|спочатку|первоначально|изначально)(?!\w)")
# "every" and "each" of a time ("each week", "every other month"); "will test every new component" is no recurrence
_RECURRING = re.compile(r"(?<!\w)(?:weekly|monthly|daily|regular|quarterly|щотижнев\w*|щомісячн\w*|"
                        r"еженедельн\w*|ежемесячн\w*|регулярн\w*|(?:every|each)(?=\s+(?:[\w-]+\s+)?(?:days?|weeks?|"
                        r"months?|years?|quarters?|mornings?|evenings?|nights?|times?|sessions?|tenders?|auctions?|"
                        r"meetings?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d)(?!\w)))(?!\w)")
_PERIOD_END = re.compile(r"(?<!\w)(?:months?|years?|quarters?|weeks?|period|half|місяц\w*|рок\w*|квартал\w*|"
                         r"тижн\w*|месяц\w*|год\w*|недел\w*)\s+(?:\w+\s+)?$")
_HYPOTHETICAL = re.compile(r"(?<!\w)(?:suggest\w*|propos\w*|urged?|asked|asks|request\w*|demand\w*|could|might|if|"
                           r"hopes?|wants?|seeks?|sought|пропону\w*|запропону\w*|вимага\w*|якщо|предлага\w*|"
                           r"предложил\w*|требу\w*|если)(?!\w)")
# "voted to postpone its annual meeting scheduled for April 29": the day called off
_CALLED_OFF = re.compile(r"(?<!\w)(?:postpon\w*|cancel\w*|delay\w*|put off|adjourn\w*|called off|scrapp\w*|"
                         r"перенесл\w*|скасува\w*|відклал\w*|отменил\w*|отложил\w*)(?!\w)"
                         r"[^;]*?(?:scheduled|set|planned|slated|запланован\w*|запланирован\w*)\s+(?:\w+\s+)?$")
_PAST = re.compile(r"(?<!\w)(?:expired|was held|were held|had been|took place|відбул\w*|состоял\w*|истекл\w*|"
                   r"истек|сплив\w*)(?!\w)")
_TO_WORDS = {"to", "until", "till", "through", "for", "до", "на", "по"}
_CLAUSE_STOP = re.compile(r"[;:()\"]|,\s+(?:and|but|while|which|who|when|after|before|а|але|і|и|но|который|яка|який|"
                          r"яке|які|которая|которое|которые)\s|\s[-–—]\s|\.\s")
# "his bid for Caesars, which is scheduled to expire May 15": the clause is of the noun before it
_RELATIVE = re.compile(r",\s+(?:which|that|яка|який|яке|які|который|которая|которое|которые)\s$")
# "the offer ... and associated withdrawal rights will expire April 28", "the bid, withdrawal rights and the
# proration period will now expire June 19": an offer's own terms that end with it give the offer's day
_OFFER_TERMS = re.compile(
    r"(?<!\w)(?:offers?|bids?|tender|пропозиці\w*|предложени\w*)(?!\w)[^;:]{0,120}?(?:,|\s+and|\s+та|\s+і|\s+и)\s+"
    r"(?:(?:the|its|his|their|associated|related)\s+)*(?:withdrawal\s+rights|proration\s+(?:period|deadline|date)|"
    r"прав\w*\s+на\s+(?:відкликання|отзыв))(?:\s*(?:,|,?\s+and|\s+та|\s+и)\s+(?:(?:the|its)\s+)?"
    r"(?:withdrawal\s+rights|proration\s+(?:period|deadline|date)))*\s+(?:[\w'’-]+\s+){0,3}$")
# "set June 4 as the date for a special meeting", "set May 5 as the new target date", "призначила 4 червня
# датою засідання", "назначила 4 июня датой собрания": the role is written after the day
_SET_BEFORE = re.compile(r"(?<!\w)(?:set|fixed|chose|named|picked|призначил\w*|встановил\w*|назначил\w*|"
                         r"установил\w*)\s+$")
_SET_AFTER = re.compile(r"\s+(?:as\s+(?:the|a|its)\s+(?:new\s+)?(?:(?P<date>record|target)\s+)?date|"
                        r"(?:новою\s+|новой\s+)?(?:датою|датой))(?:\s+(?:for|of))?(?!\w)")
_COUPON = re.compile(r"(\d[\d.,/-]*)\s*(?:pct|%|percent|per\s+cent|відс\w*|процент\w*)\s+(?:[\w-]+\s+){0,3}$")
# "облігацій 10,75 відсотка": Ukrainian and Russian write the rate after the word
_COUPON_AFTER = re.compile(r"\s+(?:(?:з|с)\s+купоном\s+)?(\d[\d.,/-]*)\s*(?:pct|%|відс\w*|процент\w*)|"
                           r"[^;.]{0,40}?(?<!\w)(?:carrying|with|paying|bearing)\s+(?:a|an)\s+(?:coupon\s+(?:indication\s+)?of\s+"
                           r"(\d[\d./-]*)\s*(?:pct|%|percent)|(\d[\d./-]*)\s*(?:pct|%|percent)\s+coupon)")
# events this round added, looked for only where their role is: the older keys' reading stays as it was
_NEW_EVENTS = {"record", "target", "waiting", "debt", "closure", "pause", "appearance"}
# Days a claim can give: dates, and weekdays placed by the report's day. A day relative to another ("next
# week", "tomorrow") is no value: it says nothing a reader can set against a date, and is as often loose.
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
             "понеділок": 0, "понеділка": 0, "вівторок": 1, "вівторка": 1, "середу": 2, "середа": 2, "четвер": 3,
             "четверга": 3, "п'ятницю": 4, "п'ятниця": 4, "суботу": 5, "субота": 5, "неділю": 6, "неділя": 6,
             "понедельник": 0, "вторник": 1, "среду": 2, "среда": 2, "четверг": 3, "пятницу": 4, "пятница": 4,
             "субботу": 5, "суббота": 5, "воскресенье": 6}
_WEEKDAY_RE = re.compile(r"(?<!\w)(?:on\s+|у\s+|в\s+|во\s+)?(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?!\w)")
# Reuters writes a day in words: "until April Three", "March Nine"
_DAY_WORDS = {w: n for n, w in enumerate(("one two three four five six seven eight nine ten eleven twelve thirteen "
                                          "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split(), 1)}
_DAY_WORDS |= {"twenty-" + w: 20 + n for w, n in list(_DAY_WORDS.items())[:9]} | {"thirty": 30, "thirty-one": 31}
_MONTHS = ("january february march april may june july august september october november december").split()
_WORD_DATE = re.compile(r"(?<!\w)(" + "|".join(_MONTHS + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept",
                                                          "sep", "oct", "nov", "dec"]) + r")\.?\s+("
                        + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r")(?!\w)(?:,?\s+(\d{4}))?")


def _days(folded: str, languages: tuple[str, ...]) -> list[tuple[str, int, int]]:
    found = list(dates(folded, languages))
    if "en" in languages:
        for match in _WORD_DATE.finditer(folded):
            month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(match.group(1)[:3]))
            day, year = _DAY_WORDS[match.group(2)], match.group(3)
            if month == 5 and not re.search(r"(?:on|to|until|till|for|of|by|from)\s+$", folded[:match.start()]):
                continue  # "may one day": the verb
            try:
                datetime(int(year) if year else 2000, month, day)
            except ValueError:
                continue
            found.append((f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}",
                          match.start(), match.end()))
    for match in _WEEKDAY_RE.finditer(folded):
        if any(s <= match.start(1) < e for _, s, e in found) or re.match(r",?\s+\S+\s+\d|,?\s+\d", folded[match.end():]):
            continue  # "Thursday, March 19": the date says it
        found.append((f"wd:{_WEEKDAYS[match.group(1)]}", match.start(1), match.end(1)))
    return sorted(found, key=lambda d: d[1])


def _clause(folded: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_STOP.finditer(folded, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_STOP.finditer(folded, end)), len(folded))
    return left, right


def _event_word(text: str, nearest_last: bool, role: str | None = None) -> tuple[str, str] | None:
    """The event word of `text` nearest its end (before the day) or its start (after it), with the kind
    words right before it ("special meeting") or after it ("meeting of stockholders"); a date that is the
    thing set ("record date") before any other."""
    best = None
    allowed = _OF_ROLE.get(role, set())
    for key, pattern in _EVENT_RES:
        if key in _NEW_EVENTS and key not in allowed:
            continue
        for match in re.finditer(rf"(?<!\w)(?:{pattern.pattern})(?!\w)", text):
            where = match.start()
            dated = key in _DATE_EVENTS
            if best is None or dated > best[3] or dated == best[3] and (
                    where > best[0] if nearest_last else where < best[0]):
                best = (where, key, match, dated)
    if best is None:
        return None
    before = text[:best[0]].split()[-3:]
    words = [re.sub(r"['’]s?$", "", word.strip(",")) for word in before]  # "shareholders'", "board's"
    kinds = {kind for word in words for w, kind in _KINDS.items() if re.fullmatch(w, word)}
    if best[1] == "meeting":
        kinds |= {kind for pattern, kind in _KINDS_AFTER if pattern.match(text, best[2].end())}
    if best[1] == "debt" and (coupon := _COUPON.search(text[:best[0]]) or _COUPON_AFTER.match(text, best[2].end())):
        kinds.add(next(g for g in coupon.groups() if g))  # "10-3/4 pct debentures": one issue of the company's several
    return best[1], "+".join(sorted(kinds))


def when_claims(sentence: str, language: str) -> tuple[Claim, ...]:
    """The days `sentence` ties to a role of an event, in order."""
    languages = (language,) if language in LANGUAGES else LANGUAGES
    # "until midnight (EST) March 24": a zone or a ticker in brackets is no clause of its own
    folded = re.sub(r"[(<][^()<>]{0,8}[)>]", lambda m: " " * len(m.group(0)), fold(sentence))
    days = _days(folded, languages)
    out = []
    for n, (iso, start, end) in enumerate(days):
        left, right = _clause(folded, start, end)
        # an earlier day of the clause reads as one word ("extended from March six to March 31")
        before = folded[left:start]
        for _, s, e in sorted(days[:n], key=lambda d: -d[1]):
            if left <= s and e <= start:
                before = before[:s - left] + "day" + before[e - left:]
        role, role_at = next(((r, m) for r, pattern in _ROLE_BEFORE_RES if (m := pattern.search(before))), (None, None))
        event = None
        if own := next(((r, e, m) for r, e, pattern in _ROLE_EVENT_RES if (m := pattern.search(before))), None):
            role, event, role_at = own[0], (own[1], ""), own[2]
        # "з погашенням", "начиная с": the role's own preposition marks no day replaced
        own_from = role in ("due", "begins") and bool(re.search(r"(?<!\w)(?:з|с|со)\s", role_at.group(0)))
        if role is None and _EVENT_ON.search(before):
            role, event = "held", _event_word(before, True)
        if role is None and _SET_BEFORE.search(before) and (set_as := _SET_AFTER.match(folded, end)):
            role = "held"
            event = (set_as.group("date"), "") if set_as.group("date") else _event_word(
                folded[set_as.end():right], False, role)
            if event is None:
                continue
        if role is None:
            continue
        if iso.startswith("wd:") and (event is not None and own is None or role not in ("held", "expires")
                                      and not _AHEAD.search(before) or _PAST.search(before)):
            continue  # "at a meeting on Friday": which Friday needs the tense, which a role phrase gives only ahead
        if event is None:
            # the event word before the day in its clause, else right after it ("продовжено до 20 квітня термін")
            # the role's own words are no event ("со сроком погашения" names no deadline)
            event = _event_word(before[:role_at.start()] if role == "due" else folded[left:start], True, role) \
                or _event_word(folded[end:right], False, role)
            if event is None and _RELATIVE.search(folded[:left]):
                # "bid for Caesars, which is scheduled to expire": the noun the clause is of
                outer, _ = _clause(folded, left - 1, left - 1)
                event = _event_word(folded[outer:left], True, role)
            if event is not None and event[0] in ("rights", "deadline") and _OFFER_TERMS.search(folded[:start]):
                event = ("offer", "")
        if event is None or event[0] not in _OF_ROLE[role]:
            continue
        if event[0] == "debt" and not event[1]:
            # "bonds due April 15, 1993 carrying a 9-7/8 pct coupon": the rate tells one issue from another (two
            # issuers' notes, one issuer's two bonds); without it a day is no issue's
            coupon = _COUPON_AFTER.match(folded, end)
            if coupon is None:
                continue
            event = ("debt", next(g for g in coupon.groups() if g))
        if role in ("begins", "ends") and (_event_word(folded[left:start], True, role) is None
                                           or _PERIOD_END.search(before)
                                           and not re.search(r"(?<!\w)for\s+(?:a|one|\w+)\s+\w+\s+\w+\s+$", before)):
            # "the nine months ended October 31 ... strikes": a period's end, not the strike's; "closed for a week
            # starting August six" is the closing's
            continue
        if _HYPOTHETICAL.search(folded, left, start) or _BACKUP.search(folded, left, start):
            continue  # "Citicorp had suggested that Dixons extend its tender until March 31": not what is
        if _RECURRING.search(folded, left, right):
            continue  # "the regular weekly treasury bill tender scheduled for March 17": this week's, not the story's
        tail = before.split()[-5:]
        last_to = max((i for i, w in enumerate(tail) if w in _TO_WORDS), default=-1)
        old = bool(not own_from and _FROM.search(" ".join(tail[last_to + 1:])) or _FORMER.search(" ".join(tail))
                   or _CALLED_OFF.search(before))
        out.append(Claim("when", f"{role}:{event[0]}" + (f":{event[1]}" if event[1] else ""), iso,
                         sentence[start:end], (start, end), old, "midnight" in before.split()[-3:]))
    return tuple(out)


# ---- who ----------------------------------------------------------------------------------------------

_UPPER = "A-ZА-ЯІЇЄҐ"
_TITLES = r"(?:Mr|Mrs|Ms|Dr|Sir|Gen|Col|Lt|Adm|Sen|Rep|Gov|пан|пані|господин|госпожа)\.?"
_NAME_WORD = rf"[{_UPPER}][\w'’-]+"
# A name: capitalised words, initials between ("Paul A. Volcker"), a title before
_PARTICLE = r"(?:(?:von|van|de|der|den|du|da|di|del|la|le|bin|ibn|al|el)\s+)"
_NAME_RE = (rf"(?:{_TITLES}\s+)?(?:[{_UPPER}]\.\s*)*{_NAME_WORD}"
            rf"(?:\s+{_PARTICLE}?(?:[{_UPPER}]\.\s*)*{_NAME_WORD}){{0,3}}")
# Roles that one person holds at a time, by an English key; the uk/ru forms in the instrumental case, which
# "призначено/назначен ... головою/председателем" takes.
_ROLES = {
    "chairman": r"chairman|chairwoman|chair|головою|голова|председателем|председатель",
    "president": r"president|президентом|президент",
    "chief executive": r"chief executive(?: officer)?|ceo|генеральним директором|генеральным директором",
    "chief operating officer": r"chief operating officer|coo",
    "chief financial officer": r"chief financial officer|cfo",
    "prime minister": r"prime minister|premier|прем'єр-міністром|прем'єр-міністр|премьер-министром|премьер-министр",
    "governor": r"governor|губернатором|губернатор",
    "mayor": r"mayor|мером|мер",
    "speaker": r"speaker|спікером|спикером",
    "head": r"head|leader|керівником|главой|руководителем|лидером|лідером",
    "commander": r"commander|командувачем|командующим",
    "ambassador": r"ambassador|послом",
    "managing director": r"managing director",
    "general manager": r"general manager",
    "treasurer": r"treasurer",
    "coach": r"coach|тренером|головним тренером|главным тренером",
}
_ROLE_ALT = "|".join(f"(?:{p})" for p in sorted((p for v in _ROLES.values() for p in v.split("|")), key=len, reverse=True))
_ROLE_RES = [(key, re.compile(rf"(?:{pattern})", re.I)) for key, pattern in _ROLES.items()]
# Roles several hold at once, or a second to the one: "deputy chairman", "a vice president", "co-chairman".
_NOT_SOLE = re.compile(r"(?i:(?:deputy|vice|co|assistant|associate|senior vice|executive vice|honorary|"
                       r"заступником|заместителем|віце|вице)[\s-]*)$")
_ROLES_RUN = rf"(?i:(?:the |its |a |an |new |as |новим |новым )*(?:{_ROLE_ALT})(?:\s*(?:,|and|та|і|и)\s*(?:{_ROLE_ALT}))*)"
_WHO = [
    # "John Smith was named president and chief executive of Xerox"
    re.compile(rf"(?P<name>{_NAME_RE})\s*(?:,[^,]{{0,80}},\s*)?(?i:(?:has been|have been|had been|was|were|is|will be|"
               rf"would be|to be)\s+)?(?i:(?:named|appointed|elected|chosen|selected|promoted to|made)\s+"
               rf"(?:to\s+(?:the\s+)?(?:post|position|job)\s+of\s+)?)(?P<role>{_ROLES_RUN})"),
    # "Xerox said it named John Smith president"
    re.compile(rf"(?i:(?:named|appointed|elected|chose|selected|picked|names|appoints|elects))\s+(?P<name>{_NAME_RE})"
               rf"\s*,?\s+(?P<role>{_ROLES_RUN})"),
    # "Smith succeeds/replaces Jones as chairman"
    re.compile(rf"(?P<name>{_NAME_RE})\s*,?\s+(?i:(?:who\s+)?(?:will\s+)?(?:succeeds?|succeeded|succeeding|replaces?|"
               rf"replaced|replacing))\s+{_NAME_RE}\s*,?\s+(?i:as\s+)(?P<role>{_ROLES_RUN})"),
    # "the new chairman, John Smith"
    re.compile(rf"(?i:new)\s+(?P<role>{_ROLES_RUN})\s*,?\s+(?P<name>{_NAME_RE})"),
    # "Іван Петренко призначений головою", "Иван Петров назначен председателем"
    re.compile(rf"(?P<name>{_NAME_RE})\s+(?i:(?:був\s+|була\s+|был\s+|была\s+)?(?:призначен\w*|обран\w*|назначен\w*|"
               rf"избран\w*))\s+(?P<role>{_ROLES_RUN})"),
    # "головою правління призначено Івана Петренка", "председателем назначен Иван Петров"
    re.compile(rf"(?P<role>{_ROLES_RUN})\s+(?:[\w'’-]+\s+){{0,3}}?(?i:(?:призначено|призначили|обрано|обрали|"
               rf"назначен\w*|избран\w*|назначили|избрали))\s+(?P<name>{_NAME_RE})"),
]
# "White House chief of staff Howard Baker", "Fed chairman Paul Volcker", "Xerox Corp president David Kearns": a
# title before a name, whose role it is said by the name of the body before it; the body is part of the event
# (the White House's chief of staff, not Reagan's). A title without a body ("President Reagan") is no claim:
# a story names the presidents of two countries. English only: Ukrainian and Russian put the body after the
# title, in the genitive, where it is not told from the name by its case.
_TITLED_ROLES = {k: v for k, v in _ROLES.items() if k not in ("head", "coach", "ambassador", "commander")} | {
    "director": r"director", "secretary": r"secretary", "chief of staff": r"chief of staff",
    "national security adviser": r"national security adviser|national security advisor"}
# A body of these words alone says no one body: "Reserve Bank Governor" is New Zealand's and South Africa's,
# "Committee Chairman" any committee's; "Senate Majority Leader" was Dole's and is Byrd's (leaders are not taken)
_GENERIC_BODY = set("""committee subcommittee bank central reserve association conference commission board union
council party group company general executive finance financial ministry state under senior associate national
foreign trade exchange public corporate export policy economic affairs industry world but reuters and of
treasury agriculture commerce energy defense defence interior justice labor labour transport transportation
health education economy economics environment""".split())
# every country has a Treasury Secretary: "Treasury Secretary Mario Brodersohn" is Argentina's in a story that
# also quotes James Baker; a ministry names one body only with its country ("U.S. Treasury Secretary")
_TITLED_ALT = "|".join(p for v in _TITLED_ROLES.values() for p in v.split("|") if p.isascii())
_TITLED = re.compile(rf"(?<![\w'’-])(?P<body>(?:[{_UPPER}][\w.&-]*\s+){{1,4}}?|[{_UPPER}][\w-]+['’]s\s+)"
                     rf"(?P<role>(?i:{_TITLED_ALT}))\s+(?P<name>{_NAME_RE})")
_NOT_NOW = re.compile(r"(?i:(?:former|ex|then|late|outgoing|retiring|acting|deputy|vice|assistant|interim|"
                      r"designate|prospective|likely|next)[\s-]+)$")
_BODY_SKIP = {"inc", "corp", "co", "ltd", "plc", "the", "new", "its", "his", "her", "their"}
# "X claimed responsibility for the attack", "взяв на себе відповідальність", "взял на себя ответственность"
_RESPONSIBLE = [
    re.compile(rf"(?P<name>{_NAME_RE})\s+(?i:(?:has\s+|have\s+|had\s+)?(?:claimed|claims|claiming)\s+responsibility)"),
    re.compile(rf"(?i:responsibility\s+(?:for\s+[^,;.]{{0,60}}?\s+)?(?:was|has been|had been)\s+claimed\s+by\s+(?:the\s+)?)"
               rf"(?P<name>{_NAME_RE})"),
    re.compile(rf"(?P<name>{_NAME_RE})\s+(?i:(?:взяв|взяла|взяли|взял|взяло)\s+на\s+(?:себе|себя)\s+"
               rf"(?:відповідальність|ответственность))"),
    re.compile(rf"(?i:(?:відповідальність|ответственность)\s+(?:за\s+[^,;.]{{0,60}}?\s+)?(?:взяв|взяла|взяли|взял|взяло)"
               rf"\s+на\s+(?:себе|себя)\s+(?:угруповання|група|группировка|группа|організація|организация)\s+)"
               rf"(?P<name>{_NAME_RE})"),
    re.compile(rf"(?i:(?:відповідальність|ответственность)\s+(?:за\s+[^,;.]{{0,60}}?\s+)?(?:взяв|взяла|взяли|взял|взяло)"
               rf"\s+на\s+(?:себе|себя)\s+)(?P<name>{_NAME_RE})"),
]
# "the by-election was won by the Liberals", "X won the election"
_WON = [
    re.compile(rf"(?i:(?P<what>{_EVENTS['election']}|{_EVENTS['vote']}|contract|award|prize|tender|auction)"
               rf"[^;.]{{0,60}}?\s(?:was|has been|had been)\s+won\s+by\s+(?:the\s+)?)(?P<name>{_NAME_RE})"),
]
_NOT_PEOPLE = set("""the a an he she it they we his her its their this that these those no new
company group board shareholders directors said inc corp co ltd plc""".split())
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "jr.", "sr."}
_NAME_ENDINGS = sorted("ого ому ими ыми ий ый ій ой ая ом ем им ым ую юю ою ею а я у ю о е и і ь".split(), key=len, reverse=True)


def _key_of(name: str) -> str:
    """A name's key: its last word, lower case, a suffix, a title and a Slavic case ending off ("Mr
    Volcker", "Paul A. Volcker" -> volcker; "Івана Петренка", "Іван Петренко" -> петренк)."""
    words = [w.strip(",.'’") for w in name.split()]
    words = [w for w in words if w.lower() not in _SUFFIXES and not re.fullmatch(_TITLES, w)]
    if not words:
        return ""
    word = fold(words[-1]).removesuffix("'s")
    if not word.isascii():
        for ending in _NAME_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)]
    return word


_MONTH_OR_DAY = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                           r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$")


def _cut(name: str) -> str:
    """A name ends at a possessive ("James Baker's Economic Policy Council") and before a month or weekday
    ("President Felix Houphouet-Boigny March 19")."""
    words = []
    for word in name.split():
        if _MONTH_OR_DAY.match(word):
            break
        words.append(word)
        if re.search(r"['’]s$", word):
            words[-1] = word[:-2]
            break
    return " ".join(words)


def _trim(name: str) -> str:
    """A name as matched loses the common words before it ("The Islamic Jihad" -> "Islamic Jihad")."""
    words = name.split()
    while words and words[0].lower().strip(",.") in _NOT_PEOPLE:
        words = words[1:]
    return " ".join(words)


def who_claims(sentence: str, language: str) -> tuple[Claim, ...]:
    """The names `sentence` gives for a sole role ("chairman", "president", "responsibility", "won"), in order."""
    out: list[Claim] = []

    def add(event: str, match: re.Match) -> None:
        name = _trim(_cut(match.group("name")))
        start = match.start("name") + match.group("name").find(name) if name else -1
        if re.match(rf"\s+[{_UPPER}]\.", sentence[start + len(name):]) and name == match.group("name").strip():
            return  # "New York Governor Mario M.": the name goes on past where the sentence was cut
        key = _key_of(name)
        if not key or key in _NOT_PEOPLE or any(re.fullmatch(p, key, re.I) for p in _ROLE_ALT.split("|")):
            return
        if any(c.event == event and c.span == (start, start + len(name)) for c in out):
            return
        out.append(Claim("who", event, key, name, (start, start + len(name))))

    for pattern in _WHO:
        for match in pattern.finditer(sentence):
            role_text = match.group("role")
            if _NOT_SOLE.search(sentence[:match.start("role")]):
                continue
            for part in re.split(r"\s*(?:,|\band\b|\bта\b|\bі\b|\bи\b)\s*", role_text):
                part = re.sub(r"(?i)^(?:(?:the|its|a|an|new|as|новим|новым)\s+)+", "", part.strip())
                key = next((k for k, p in _ROLE_RES if p.fullmatch(part)), None)
                if key:
                    add(key, match)
    for match in _TITLED.finditer(sentence):
        body = [w for w in re.findall(r"[\w&-]+", fold(match.group("body")).replace("’", "'").removesuffix("'s "))
                if w not in _BODY_SKIP]
        body = [w for w in body if w not in ("but", "reuters")]
        if not set(body) - _GENERIC_BODY:
            continue  # "Reserve Bank Governor", "Treasury Secretary": no one body
        if body[-1] in ("senior", "associate", "assistant", "deputy", "vice", "under", "executive", "co"):
            continue  # "GAO Senior Associate Director": one of several
        if match.group("role").lower() == "governor" and body[-1] in ("board", "fed"):
            continue  # the Federal Reserve Board has seven governors
        if _NOT_NOW.search(sentence[:match.start("body")]) or any(_NOT_NOW.search(w + " ") for w in body):
            continue  # "former White House chief of staff Donald Regan": not who holds it now
        role = next((k for k, p in _TITLED_ROLES.items() if re.fullmatch(p, match.group("role"), re.I)), None)
        if role:
            add(f"{role}@{' '.join(body)}", match)
    for pattern in _RESPONSIBLE:
        for match in pattern.finditer(sentence):
            add("responsibility", match)
    for pattern in _WON:
        for match in pattern.finditer(sentence):
            what = next((k for k, p in _EVENT_RES if p.fullmatch(fold(match.group("what")))), fold(match.group("what")))
            add(f"won:{what}", match)
    return tuple(sorted(out, key=lambda c: c.span))


# ---- the same value ------------------------------------------------------------------------------------


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _latin_ratio(a: str, b: str) -> float:
    """How close two names of different scripts are, in their closest Latin spellings."""
    return max(_ratio(x, y) for x in latin(a) for y in latin(b))


def _same_name(a: str, b: str) -> bool | None:
    """Whether two name keys are one person: True, False, or None when it cannot be told (a Cyrillic name and
    a Latin one whose spellings are neither close nor far apart)."""
    if a == b:
        return True
    if a.isascii() and b.isascii():
        # "Volcker" and "Volker", "Silva" and "Silve": one letter in a name is a typo more often than another person
        return min(len(a), len(b)) >= 5 and _ratio(a, b) >= 0.8
    if not a.isascii() and not b.isascii() and (a.startswith(b) or b.startswith(a)) and min(len(a), len(b)) >= 4:
        return True  # one stem the start of the other ("петренк", "петренко")
    best = _latin_ratio(a, b)
    if best >= 0.75:
        return True
    return False if best < 0.5 else None


def _same_day(a: str, b: str, ra: Report, rb: Report) -> bool | None:
    a, b = _placed(a, ra), _placed(b, rb)
    if a is None or b is None:
        return None  # a weekday of an undated report: cannot be placed
    return a[-5:] == b[-5:] and (a[:4] == b[:4] or a.startswith("--") or b.startswith("--"))


def _next_day(value: str) -> str:
    if value.startswith("wd:"):
        return f"wd:{(int(value[3:]) + 1) % 7}"
    dated = not value.startswith("--")
    year, month_day = (value[:4], value[5:]) if dated else ("2001", value[2:])  # 2001: no 29 February to step past
    day = (datetime.strptime(f"{year}-{month_day}", "%Y-%m-%d") + timedelta(days=1)).strftime("%m-%d")
    return f"{value[:4]}-{day}" if dated else f"--{day}"


def _placed(value: str, report: Report) -> str | None:
    """A weekday as the day it names: the next such day after the report's (a role phrase says what is to
    come: "will be held Thursday"), the same day when it is the report's own weekday."""
    if not value.startswith("wd:"):
        return value
    when = report.citation.published_at
    if when is None:
        return None
    ahead = (int(value[3:]) - when.weekday()) % 7
    return (when.date() + timedelta(days=ahead)).isoformat()


def same(a: tuple[Report, Claim], b: tuple[Report, Claim]) -> bool | None:
    (ra, ca), (rb, cb) = a, b
    if ca.about == "when":
        if ca.midnight or cb.midnight:
            next_a, next_b = (_next_day(c.value) if c.midnight else c.value for c in (ca, cb))
            if any(_same_day(x, y, ra, rb) for x, y in ((next_a, cb.value), (ca.value, next_b))):
                return True
        found = _same_day(ca.value, cb.value, ra, rb)
        if found is False and ca.event.startswith("expires") and any(
                _same_day(x, y, ra, rb) for x, y in ((_next_day(ca.value), cb.value), (ca.value, _next_day(cb.value)))):
            return None  # "extends to March 17" and "expired March 18": an offer ends at midnight, which day is it
        return found
    wa, wb = (fold(c.written).split() for c in (ca, cb))
    if ca.value != cb.value and (len(wa) == 1 and len(wb) > 1 and wa[0] == wb[0]
                                 or len(wb) == 1 and len(wa) > 1 and wb[0] == wa[0]):
        return None  # "Richard" beside "Richard von Weizsaecker": a first name, cannot be told
    return _same_name(ca.value, cb.value)


# ---- whose event ---------------------------------------------------------------------------------------

_NAME_TOKEN = re.compile(rf"(?<![\w'’])[{_UPPER}][\w'’-]+")
_NOT_NAMES = set("""a an the in on at of for and but it its he she they we this that these those after before
when while once since because although though unless whether
last next earlier later yesterday today tomorrow monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december jan feb mar apr jun
jul aug sep sept oct nov dec inc corp co ltd plc group company corporation international mr mrs ms dr sir
est edt gmt reuter reuters new under as by to if no one two three four five six seven eight nine ten""".split())


def _names(sentence: str, skip: tuple[int, int] | None = None, first: bool = False) -> set[str]:
    """The names of a sentence (not its first word, which has a capital whatever it is, unless a name or a verb
    of saying follows it: "Qintex said"), those inside `skip` (the claimed name) left out; role words and months
    are not names."""
    out = set()
    for n, match in enumerate(_NAME_TOKEN.finditer(sentence)):
        if skip and skip[0] <= match.start() < skip[1]:
            continue
        if match.start() == len(sentence) - len(sentence.lstrip()) and not (
                first or match.group(0).isascii() and re.match(rf"\s+[{_UPPER}]", sentence[match.end():])
                or _SAYS.match(sentence, match.end())):
            # "Засідання Нафтогазу": a Ukrainian or Russian sentence opens with a noun and the name in its genitive
            continue
        word = fold(match.group(0)).removesuffix("'s").strip("'-")
        if word in _NOT_NAMES or len(word) < 2 or any(re.fullmatch(p, word) for p in _ROLE_ALT.split("|")):
            continue
        out.add(word)
    return out


def _known(names: set[str], theirs: set[str]) -> bool:
    """Whether one of `names` is among `theirs`: one the start of the other but for an ending of three letters
    at most ("Dixon", "Dixons"; not "North" and "Northgate"), or across scripts the same in Latin letters
    ("Нафтогазу", "Naftogaz")."""
    for a in names:
        for b in theirs:
            short, long = sorted((a, b), key=len)
            if a == b or len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3:
                return True
            if a.isascii() != b.isascii() and _latin_ratio(a, b) >= 0.75:
                return True
    return False


_CORRECTED = re.compile(r"(?i)(?<!\w)(?:corrected|correction|виправлен\w*|исправлен\w*)(?!\w)")

# "Qintex said ...": a first word before a verb of saying is a name
_SAYS = re.compile(r"\s+(?:said|says|told|reported|announced|has|had|is|was|заяви\w*|повідоми\w*|сообщи\w*|"
                   r"сказа\w*)(?!\w)")


def _subject(sentence: str, skip: tuple[int, int] | None) -> set[str]:
    """The sentence's first name (not the claimed one), its subject far more often than not: whose offer,
    whose meeting, which company's chairman ("Cyacq Corp said it extended ...")."""
    for match in _NAME_TOKEN.finditer(sentence):
        if skip and skip[0] <= match.start() < skip[1]:
            continue
        # the name as _names reads it at its place in the whole sentence
        here = _names(sentence[:match.end()] + sentence[match.end():match.end() + 40], skip)
        word = fold(match.group(0)).removesuffix("'s").strip("'-")
        if word in here:
            return {word}
    return set()


def _same_parties(a: tuple[Report, Claim], b: tuple[Report, Claim]) -> bool:
    """Whether two claims are of one party's event: each sentence's subject is named in the other (India's
    tender and Syria's; Cyacq's offer for Cyclops and Dixons'; Regency's chief executive and another
    company's). A sentence that names nobody but the claimed name ("The offer is to expire March 13") says
    not whose event it is: a story's sentences name two bidders, two companies, and it is not compared."""
    (ra, ca), (rb, cb) = a, b
    if ca.about == "when" and (ra.sentence[:ca.span[0]], ra.sentence[ca.span[1]:]) == (
            rb.sentence[:cb.span[0]], rb.sentence[cb.span[1]:]) and any(
                _CORRECTED.search(r.citation.title or "") for r in (ra, rb)):
        # one sentence but for the day, one report headed as a correction: a story's report and its correction.
        # Without the heading it is a wire's boilerplate ("the company said the offer and withdrawal rights
        # expire April 20"), which two bidders' reports share
        return True
    skip_a, skip_b = (ca.span if ca.about == "who" else None), (cb.span if cb.about == "who" else None)
    na, nb = _names(ra.sentence, skip_a), _names(rb.sentence, skip_b)
    if not na or not nb:
        return False
    sa, sb = _subject(ra.sentence, skip_a) or na, _subject(rb.sentence, skip_b) or nb
    if _known(sa, nb) and _known(sb, na):
        return True
    # "Biden said the moratorium ... will be extended to Dec. 31" and "The White House is extending the pause ...,
    # President Joe Biden said": one speaker tells of one event in both, and one sentence names no one else
    return any(all(_known({n}, theirs) for n in names) and _says(ra.sentence, s) and _says(rb.sentence, s)
               for s, names, theirs in ((sa, na, nb), (sb, nb, na)))


_SAID = re.compile(r"\s+(?:said|says|told|announced|заяви\w*|сказа\w*|повідоми\w*|сообщи\w*)(?!\w)")


def _says(sentence: str, who: set[str]) -> bool:
    """Whether one of `who` is the sentence's speaker: a name right before a verb of saying."""
    return any(_known({fold(m.group(0)).removesuffix("'s").strip("'-")}, who) and _SAID.match(sentence, m.end())
               for m in _NAME_TOKEN.finditer(sentence))


# ---- disagreements -------------------------------------------------------------------------------------


def claims(sentence: str, language: str) -> tuple[Claim, ...]:
    return when_claims(sentence, language) + who_claims(sentence, language)


def _sentence_claims(report: Report) -> dict[str, Claim]:
    """One claim per event of a sentence: the one value it gives, or the one it does not mark as replaced; a
    sentence that gives an event two values and does not say which is new speaks for neither."""
    by_event: dict[str, list[Claim]] = {}
    for claim in claims(report.sentence, report.language):
        by_event.setdefault(claim.event, []).append(claim)
    out = {}
    for event, found in by_event.items():
        current = [c for c in found if not c.old]
        if not current:
            continue  # only the value replaced: "the meeting originally set for April 2 was put off"
        pair = (report, current[0])
        if all(same(pair, (report, c)) for c in current[1:]):
            out[event] = current[0]
    return out


def disagreements(reports: Sequence[Report]) -> tuple[Disagreement, ...]:
    """Where a story's reports give different days ("when") or names ("who") for one role of one event, each
    value as its first report writes it, values in the order of their first report's date."""
    ordered = sorted(reports, key=_when)
    given: dict[str, list[tuple[Report, Claim]]] = {}
    for report in ordered:
        for event, claim in _sentence_claims(report).items():
            # one event of any kinds here; whether the kinds fit is asked pair by pair (_kinds_fit)
            given.setdefault(":".join(event.split(":")[:2]) if claim.about == "when" else event, []).append(
                (report, claim))
    out = []
    for event, items in given.items():
        values = _distinct(items)
        if len(values) > 1:
            out.append(Disagreement(items[0][1].about, tuple(values)))
    return tuple(out)


def _kinds(claim: Claim) -> set[str]:
    parts = claim.event.split(":")
    return set(parts[2].split("+")) if claim.about == "when" and len(parts) > 2 else set()


def _kinds_fit(a: Claim, b: Claim) -> bool:
    """Whether two meetings' kinds say one meeting: the same, or one's the other's and more ("annual meeting",
    "annual shareholders meeting"); a meeting of no kind is not set against a "special meeting" (a board's
    meeting and the shareholders' are two)."""
    ka, kb = _kinds(a), _kinds(b)
    return ka == kb or bool(ka and kb and (ka <= kb or kb <= ka))


def _distinct(given: list[tuple[Report, Claim]]) -> list[Stated]:
    """The values that differ (retrieval.values): a report that cannot be set against another value's report
    (another party's event, a name that cannot be told apart from the other, another report of its own
    article) is left out."""
    return distinct(given, same, _comparable)


def _comparable(a: tuple[Report, Claim], b: tuple[Report, Claim]) -> bool:
    return (same(a, b) is not None and _same_parties(a, b) and _kinds_fit(a[1], b[1])
            and a[0].citation.article_id != b[0].citation.article_id)
