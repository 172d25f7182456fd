"""Numbers and dates as English, Ukrainian and Russian news write them: digits with the language's separators,
scales, currencies and percent signs, and number words in their declined forms (retrieval.figures).

Everything here reads a *folded* sentence (`fold`): lower case, one apostrophe, е for ё, the same length
as the sentence, so every offset found is an offset into the sentence as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

LANGUAGES = ("en", "uk", "ru")

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'", "ё": "е", "\u00a0": " ", "\u202f": " "})


def fold(text: str) -> str:
    """Lower case, one apostrophe and е for ё, keeping every character's offset (a lower case that would
    change a character's length, like İ, leaves the character as it is)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).translate(_APOSTROPHES)


# ---- number words -----------------------------------------------------------------------------------

_EN_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
             "fifteen sixteen seventeen eighteen nineteen").split()
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}


def _declined(stems: dict[str, int], endings: str) -> dict[str, int]:
    """Every stem with every ending ("+" is the bare stem)."""
    return {stem + ending.strip("+"): value for stem, value in stems.items() for ending in endings.split()}


def _words() -> dict[str, dict[str, int]]:
    en = {word: n for n, word in enumerate(_EN_UNITS)} | _EN_TENS | {"hundred": 100, "thousand": 1000,
                                                                    "million": 10**6, "billion": 10**9}
    uk = {
        # of "one" only the forms that count ("один загинув", "вбили одного"): "одне одному", "в одній
        # публікації" are pronouns and articles far more often than counts
        "один": 1, "одна": 1, "одного": 1,
        "два": 2, "дві": 2, "двох": 2, "двом": 2, "двома": 2, "двоє": 2,
        "три": 3, "трьох": 3, "трьом": 3, "трьома": 3, "троє": 3,
        "чотири": 4, "чотирьох": 4, "чотирьом": 4, "чотирма": 4, "четверо": 4,
        "сім": 7, "семи": 7, "сімох": 7, "сімом": 7, "сьома": 7, "сімома": 7, "семеро": 7, "сімох": 7,
        "вісім": 8, "восьми": 8, "вісьмох": 8, "вісьмом": 8, "вісьма": 8, "вісьмома": 8, "восьмеро": 8,
        "шість": 6, "шести": 6, "шістьох": 6, "шістьом": 6, "шістьма": 6, "шістьома": 6, "шестеро": 6,
        "сорок": 40, "сорока": 40, "дев'яносто": 90, "дев'яноста": 90, "сто": 100, "ста": 100,
        "двісті": 200, "двохсот": 200, "триста": 300, "трьохсот": 300, "чотириста": 400, "п'ятсот": 500,
        "шістсот": 600, "сімсот": 700, "вісімсот": 800, "дев'ятсот": 900,
        "тисяча": 1000, "тисячі": 1000, "тисяч": 1000, "тисячу": 1000, "тисячею": 1000,
        "мільйон": 10**6, "мільйона": 10**6, "мільйони": 10**6, "мільйонів": 10**6,
        "мільярд": 10**9, "мільярда": 10**9, "мільярди": 10**9, "мільярдів": 10**9,
    }
    # п'ять, п'яти, п'ятьох, п'ятьом, п'ятьма, п'ятьома; the collective п'ятеро, п'ятьох
    uk |= _declined({"п'ят": 5, "дев'ят": 9, "десят": 10, "одинадцят": 11, "дванадцят": 12, "тринадцят": 13,
                     "чотирнадцят": 14, "п'ятнадцят": 15, "шістнадцят": 16, "сімнадцят": 17,
                     "вісімнадцят": 18, "дев'ятнадцят": 19, "двадцят": 20, "тридцят": 30},
                    "ь и ьох ьом ьма ьома еро")
    uk |= _declined({"п'ятдесят": 50, "шістдесят": 60, "сімдесят": 70, "вісімдесят": 80}, "+ и ьох ьма")
    ru = {
        "один": 1, "одна": 1, "одного": 1,
        "два": 2, "две": 2, "двух": 2, "двум": 2, "двумя": 2, "двое": 2, "двоих": 2,
        "три": 3, "трех": 3, "трем": 3, "тремя": 3, "трое": 3, "троих": 3,
        "четыре": 4, "четырех": 4, "четырем": 4, "четырьмя": 4, "четверо": 4, "четверых": 4,
        "сорок": 40, "сорока": 40, "девяносто": 90, "девяноста": 90, "сто": 100, "ста": 100,
        "двести": 200, "двухсот": 200, "триста": 300, "трехсот": 300, "четыреста": 400, "пятьсот": 500,
        "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
        "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "шестидесяти": 60, "семьдесят": 70,
        "семидесяти": 70, "восемьдесят": 80, "восьмидесяти": 80,
        "тысяча": 1000, "тысячи": 1000, "тысяч": 1000, "тысячу": 1000, "тысячей": 1000,
        "миллион": 10**6, "миллиона": 10**6, "миллионы": 10**6, "миллионов": 10**6,
        "миллиард": 10**9, "миллиарда": 10**9, "миллиарды": 10**9, "миллиардов": 10**9,
        "восемь": 8, "восьми": 8, "восемью": 8, "восьмью": 8, "восьмеро": 8, "восьмерых": 8,
    }
    # пять, пяти, пятью; the collective пятеро, пятерых
    ru |= _declined({"пят": 5, "шест": 6, "сем": 7, "девят": 9, "десят": 10}, "ь и ью еро ерых")
    ru |= _declined({"одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
                     "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19,
                     "двадцат": 20, "тридцат": 30}, "ь и ью")
    return {"en": en, "uk": uk, "ru": ru}


WORDS = _words()
_AMBIGUOUS_WORDS = {"ста", "сорока", "семи", "сто"}  # also "were/became" (uk ста-, ru стал-), "magpie", "of seven"

# ---- digits, scales, units ----------------------------------------------------------------------------

SCALES = {
    "en": {"thousand": 1e3, "mln": 1e6, "million": 1e6, "millions": 1e6, "bln": 1e9, "billion": 1e9,
           "billions": 1e9, "trillion": 1e12, "trln": 1e12},
    "uk": {"тис": 1e3, "тисяча": 1e3, "тисячі": 1e3, "тисяч": 1e3, "млн": 1e6, "мільйон": 1e6, "мільйона": 1e6,
           "мільйони": 1e6, "мільйонів": 1e6, "млрд": 1e9, "мільярд": 1e9, "мільярда": 1e9, "мільярди": 1e9,
           "мільярдів": 1e9, "трлн": 1e12},
    "ru": {"тыс": 1e3, "тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
           "миллионы": 1e6, "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9,
           "миллиарды": 1e9, "миллиардов": 1e9, "трлн": 1e12},
}

# Currencies by the words that follow a number, and the signs before it; one code per currency so
# "$1.5 billion", "1.5 billion dlrs" and "1,5 млрд доларів" are the same unit.
_AFTER = [
    (r"(?:u\.?s\.?|us|canadian|australian|hong kong|singapore|new zealand|n\.z\.|taiwan) (?:dlrs?|dollars?)", None),
    (r"cts|cents|копійок|копеек", "cents"),
    (r"dlrs?|dollars?|доларів|долари|долара|долар|долларов|доллара|доллары|доллар|дол\.|долл\.", "USD"),
    (r"euros?|євро|евро", "EUR"), (r"yen|иен|ієн", "JPY"), (r"stg|sterling|pounds?(?: sterling)?|фунтів|фунтов", "GBP"),
    (r"(?:west german |german )?marks|марок", "DEM"), (r"(?:french |swiss |belgian )?francs?|франків|франков", "FRF"),
    (r"гривень|гривні|гривня|гривнi|грн\.?|hryvnias?|hryvnia", "UAH"),
    (r"рублів|рублі|рубля|рубль|рублей|рубли|руб\.?|rubles?|roubles?", "RUB"),
    (r"\$", "USD"), (r"£", "GBP"), (r"€", "EUR"), (r"¥", "JPY"), (r"₴", "UAH"), (r"₽", "RUB"),
    (r"cruzados|pesos|lire|lira|guilders|crowns|rupees|rand|won|shekels", None),
]
_BEFORE = {"$": "USD", "us$": "USD", "us $": "USD", "u.s.$": "USD", "c$": "CAD", "a$": "AUD", "£": "GBP",
           "€": "EUR", "¥": "JPY", "₴": "UAH", "₽": "RUB"}
_PERCENT = r"%|pct|percent|per cent|percentage points?|відсотк\w*|відс\.|процент\w*|проц\."

_SCALE_WORDS = sorted({w for scales in SCALES.values() for w in scales}, key=len, reverse=True)
_AFTER_RE = re.compile(r"\s*(?:(" + "|".join(re.escape(w) for w in _SCALE_WORDS) + r")\b\.?)?"
                       r"(?:\s*(" + _PERCENT + r")(?!\w)|[\s-]*(" + "|".join(p for p, _ in _AFTER) + r")(?![^\W\d]))?")
_BEFORE_RE = re.compile(r"(?:u\.s\.\$|us ?\$|c\$|a\$|[$£€¥₴₽])\s?$")
_DIGITS = re.compile(r"(?<![\w.,/:-])\d+(?:[.,]\d+)*(?:(?<=\d) \d{3}(?![\d,.]\d))*(?=(?:m|bn|k)\b|(?![\w/:]|[.,]\d))")
_ATTACHED = {"m": 1e6, "bn": 1e9, "k": 1e3}  # "£75m", "$2bn", "40k": only written onto the digits


@dataclass(frozen=True)
class Number:
    """A number as a sentence writes it: its value, where it stands, the step it is rounded to (1,000 in
    "1,000"; 0.1 billion in "1.5 billion"; 0 when exact), its unit ("USD", "%" or "") and whether it
    was written in words."""

    value: float
    start: int
    end: int
    step: float
    unit: str
    words: bool
    place: float = 1.0  # the place of its last written digit: 100 in "1,500" and "about 200", 0.1 in "1.5"


def _currency(word: str) -> str:
    for pattern, code in _AFTER:
        if re.fullmatch(pattern, word):
            return code or re.sub(r"\s+", " ", word)
    return word


def _parse_digits(text: str, language: str) -> tuple[float, int, int] | None:
    """(value, decimals, trailing zeros) of digits as the language separates them: English 1,040.5;
    Ukrainian and Russian 1 040,5 and 1.040 (a dot before exactly three digits groups thousands)."""
    comma_groups = language == "en" or (language == "" and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text))
    if comma_groups:
        whole, _, decimals = text.replace(",", "").replace(" ", "").partition(".")
        if "." in decimals:
            return None
    else:
        text = text.replace(" ", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")
        whole, _, decimals = text.replace(",", ".").partition(".")
        if "." in decimals:
            return None
    if not whole.isdigit() or (decimals and not decimals.isdigit()):
        return None
    value = float(f"{whole}.{decimals}" if decimals else whole)
    zeros = 0 if decimals else len(whole) - len(whole.rstrip("0"))
    return value, len(decimals), zeros


def _with_unit(folded: str, start: int, end: int, value: float, step: float, language: str, words: bool,
               place: float = 1.0) -> Number:
    """Reads the scale, percent or currency after the number and the currency sign before it."""
    unit = ""
    match = _AFTER_RE.match(folded, end)
    if match and match.group(0).strip():
        scale, percent, currency = match.groups()
        factor = 1.0
        if scale:
            factor = next((s[scale] for s in SCALES.values() if scale in s), 1.0)
            value, step, place = value * factor, step * factor, place * factor
        if percent:
            unit = "%"
        elif currency:
            unit = _currency(currency)
            if unit == "cents":  # "40 cts a share" is 0.40 dlrs
                unit, value, step, place = "USD", value / 100, step / 100, place / 100
        if scale or percent or currency:
            end = match.end()
    before = _BEFORE_RE.search(folded, 0, start)
    if before and not unit:
        unit = _BEFORE.get(before.group(0).replace(" ", ""), "USD")
        start = before.start()
    return Number(value, start, end, step, unit, words, place)


def _step(value_zeros: int, decimals: int, whole: float) -> float:
    """The step an exactly written number is rounded to: its last digit, or its trailing zeros when it is a
    thousand or more and ends in 00. Why not the zeros of 10 or 20: "10 killed" and "12 killed" are two
    tolls, not a rounding; nor of 1,040 against 1,044."""
    if decimals:
        return 10.0 ** -decimals
    if whole >= 1000 and value_zeros >= 2:
        return 10.0 ** value_zeros
    return 1.0


def numbers(folded: str, language: str) -> list[Number]:
    """The numbers of a folded sentence, in order, each with its unit."""
    languages = (language,) if language in LANGUAGES else LANGUAGES
    found: list[Number] = []
    for match in _DIGITS.finditer(folded):
        parsed = _parse_digits(match.group(0), language if language in LANGUAGES else "")
        if parsed is None:
            continue
        value, decimals, zeros = parsed
        place = 10.0 ** -decimals if decimals else 10.0 ** zeros
        end = match.end()
        attached = re.match(r"(m|bn|k)\b", folded[end:])
        if attached:
            factor = _ATTACHED[attached.group(1)]
            value, place, end = value * factor, place * factor, end + attached.end()
        step = _step(zeros, decimals, value) * (factor if attached else 1.0)
        found.append(_with_unit(folded, match.start(), end, value, step, language, False, place))
    # a word run inside a written number ("million" of "1.5 million", "тисяч" of "3 тисяч") is its scale
    for number in _word_numbers(folded, languages):
        if not any(n.start < number.end and number.start < n.end for n in found):
            found.append(number)
    found.sort(key=lambda n: n.start)
    return found


_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


_VAGUE = {"тисячі", "тисяч", "мільйони", "мільйонів", "мільярди", "мільярдів", "тысячи", "тысяч", "миллионы",
          "миллионов", "миллиарды", "миллиардов", "hundred", "thousand", "million", "billion"}


def word_is_vague(word: str) -> bool:
    """A scale word standing alone ("тисяч загиблих", "мільйони людських життів", "thousand"): a plural of
    no stated number, or an English scale without its "a"/"one", is not a figure."""
    return word in _VAGUE


def _word_numbers(folded: str, languages: tuple[str, ...]) -> list[Number]:
    """Runs of number words ("twenty-three", "two hundred and five", "двадцять трьох", "a dozen")."""
    lexicon: dict[str, int] = {}
    for language in languages:
        lexicon |= WORDS[language]
    out: list[Number] = []
    tokens = list(_TOKEN.finditer(folded))
    i = 0
    while i < len(tokens):
        word = tokens[i].group(0)
        if word == "dozen" and i and tokens[i - 1].group(0) in ("a", "one") and "en" in languages:
            out.append(Number(12.0, tokens[i - 1].start(), tokens[i].end(), 1.0, "", True))
            i += 1
            continue
        # "зросла до семи", "возросло до ста": after "до" (rose to) these words can only be the number
        if word not in lexicon or word in _AMBIGUOUS_WORDS and not (i and tokens[i - 1].group(0) == "до"):
            i += 1
            continue
        j, total, current, last_end = i, 0, 0, tokens[i].end()
        while j < len(tokens):
            word = tokens[j].group(0)
            gap = folded[last_end:tokens[j].start()] if j > i else ""
            if j > i and gap.strip(" -") and gap.strip() != "":
                break
            if word == "and" and j > i and j + 1 < len(tokens) and tokens[j + 1].group(0) in lexicon:
                last_end = tokens[j].end()
                j += 1
                continue
            if word not in lexicon:
                break
            value = lexicon[word]
            if value == 100:
                current = max(current, 1) * 100
            elif value >= 1000:
                total += max(current, 1) * value
                current = 0
            else:
                current += value
            last_end = tokens[j].end()
            j += 1
        value = total + current
        start = tokens[i].start()
        if j == i + 1 and word_is_vague(tokens[i].group(0)):
            if not (i and tokens[i - 1].group(0) == "a" and "en" in languages):
                i += 1  # "тисяч загиблих", "millions of dollars": how many is not said
                continue
            start = tokens[i - 1].start()  # "a hundred", "a million"
        digits = str(value)
        number = _with_unit(folded, start, last_end, float(value), 1.0, "", True,
                            10.0 ** (len(digits) - len(digits.rstrip("0"))) if value else 1.0)
        if value > 0 or number.unit:
            out.append(number)
        i = max(j, i + 1)
    return out


# ---- dates --------------------------------------------------------------------------------------------

_EN_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
              "oct": 10, "nov": 11, "dec": 12}
_EN_MONTH = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
             r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_GENITIVE = {"uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
             "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"}
# A second day before or after the month ("November 26 and 27", "26 та 27 листопада", "с 9 по 10
# декабря", "December 9-10") is a date of its own: the sentence then gives two dates, which it should.
_EN_AND = r"(?:\s*(?:and|&|-|–|—|to|,)\s*(\d{1,2})(?!\d)(?:st|nd|rd|th)?)?"
_XX_AND = r"(?:(\d{1,2})\s*(?:та|і|й|и|по|до|-|–|—|,)\s*)?"
_DATES = {
    "en": [re.compile(rf"(?<!\w){_EN_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d){_EN_AND}(?:,?\s+(\d{{4}}))?(?!\w)"),
           re.compile(rf"(?<![\w.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_EN_MONTH}(?:,?\s+(\d{{4}}))?(?!\w)")],
    **{lang: [re.compile(rf"(?<![\w.,]){_XX_AND}(\d{{1,2}})\s+({months.replace(' ', '|')})(?:\s+(\d{{4}}))?(?!\w)")]
       for lang, months in _GENITIVE.items()},
}


def dates(folded: str, languages: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """The days of a month a folded sentence names: (ISO date, or "--MM-DD" without a year; start; end)."""
    found = []
    for language in languages:
        for n, pattern in enumerate(_DATES[language]):
            for match in pattern.finditer(folded):
                groups = match.groups()
                if language == "en" and n == 0:
                    month_word, day, other, year = groups
                elif language == "en":
                    (day, month_word, year), other = groups, None
                else:
                    other, day, month_word, year = groups
                month = (_EN_MONTHS[month_word[:3]] if language == "en"
                         else _GENITIVE[language].split().index(month_word) + 1)
                for d in (day, other):
                    if d is None or not 1 <= int(d) <= 31:
                        continue
                    try:  # 30 February is not a date
                        datetime(int(year) if year else 2000, month, int(d))
                    except ValueError:
                        continue
                    iso = f"{year}-{month:02d}-{int(d):02d}" if year else f"--{month:02d}-{int(d):02d}"
                    found.append((iso, match.start(), match.end()))
    return found
