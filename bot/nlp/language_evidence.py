"""Orthographic and function-word evidence between languages that share a script.

Each rule is written from how the languages are spelt, not from any test text:
- Ukrainian and Russian share most Cyrillic letters. Besides the letters only one of
  them has (:mod:`bot.nlp.language` decides on those), Ukrainian writes an apostrophe
  before я, ю, є, ї where Russian writes ъ; doubles a consonant before я/ю in nouns
  like "питання", "життя" (Russian "-ние", "-ие", "-ия"); writes "ьо" where Russian
  writes "ё"; ends the 1st person plural in "-емо". Russian ends the 3rd person
  reflexive in "-тся" (Ukrainian "-ться"), the 2nd person singular in "-шь" (Ukrainian
  "-ш"), and writes "ает", "яет", "ают" ... where Ukrainian writes "ає", "ють" and so on.
  And each has short function words the other lacks ("що", "чи", "та" / "что", "ли", "и").
- Persian and Arabic share the Arabic script. Persian-only letters decide already;
  without them, Persian's zero-width non-joiner (می‌خواهم) and its function words
  ("است", "را", "از") are Persian, and teh marbuta (ة) and Arabic function words
  ("في", "على", "هذا") are Arabic.
- A word no rule above knows leans to whichever of the two languages' word lists (the
  wordfreq package's) holds it at least ten times more often; names and loans that both
  use about as often lean nowhere. Endings decide only for words neither list leans on.
- Romanian alone among Lotse's Latin-script languages writes ă, ș, ț (and the older
  cedilla ţ), and has function words the others lack ("sunt", "nu", "pentru").
- Kurmanji writes ê, î, û, ç, ş and the cluster "xw", has function words of its own,
  and never writes Turkish ı, ğ, ö, ü nor the accents of the Romance languages.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional

from bot.nlp.word_frequencies import leaning

# --- Ukrainian / Russian ---------------------------------------------------------------------
#: Short words only one of Ukrainian and Russian uses (in that spelling).
UKRAINIAN_WORDS = frozenset(
    """з зі із та це оце ви ми ти він вона воно вони дуже ні як де коли але або щоб що щось його
    йому цей ця ці чи теж також вже тепер зараз добре гаразд треба можна потрібно маю мене нема
    немає бо адже ось отже був була було були буде будеш будемо будуть дякую ласка звичайно
    багато трохи нічого завжди ніколи разом скільки чому хто який яка яке які мій моє твій свій
    сьогодні вчора може хоче каже пише живе бере йде мабуть вдома додому куди якщо лише саме поки
    гарно хай нехай бувай""".split()
)
RUSSIAN_WORDS = frozenset(
    """и из с что как где когда но или чтобы он она оно они очень нет его ему меня тебя себя кто
    уже тоже также сейчас здесь сегодня хорошо спасибо пожалуйста можно нужно надо только
    сколько почему зачем какой какая какое какие мой твой свой ничего всегда никогда вместе
    много немного была будет будем будут еще даже если потому к со ко во да ли ведь вот тот
    теперь кстати пока куда дома домой ладно привет тогда потом конечно наверное чего ей им их
    нее него нему всех всем третий""".split()
)
_UKRAINIAN_APOSTROPHE = re.compile(r"[бвгґджзклмнпрстфхцчшщр]['’ʼ][яюєї]", re.IGNORECASE)
#: Ukrainian endings: doubled consonant before я/ю (питання, життя, обличчя), 1st person
#: plural -емо, 2nd singular -еш/-иш (Russian -ешь/-ишь), 3rd plural -ють, reflexive past
#: -вся (Russian -лся), reflexive -лася/-лося/-лися/-юся (Russian -лась/-лось/-лись/-юсь),
#: infinitives -ати/-ити/-ути and -тися (Russian -ать/-ить/-уть, -ться), and adjectives in
#: -ий after a hard consonant (простий, новий; Russian -ый). Not after л, р, д, where Russian
#: names end so (Василий, Юрий, Геннадий).
_UKRAINIAN_ENDINGS = re.compile(
    r"((нн|тт|лл|дд|зз|жж|чч|шш|цц)(я|ю|ям|ях|ями)|емо|ють|тися|лася|лося|лися|.юся|..вся|..[еи]ш|..[аиу]ти"
    r"|.[твмбпсз]ий)$"
)
#: Russian endings: 3rd person -ает/-ают... (Ukrainian -ає/-ають), reflexive -тся (Ukrainian
#: -ться), 2nd singular -шь, reflexive past -лся, genitive -его (Ukrainian -ого), neuter
#: adjectives -ое/-ее (Ukrainian -е/-є), infinitives -еть, and может, хочет, пишет.
_RUSSIAN_ENDINGS = re.compile(r"(ает|яет|еет|ует|ают|яют|еют|уют|тся|шь|лся|его|ое|ее|еть|ожет|очет|ишет)$")
#: Russian nouns and adjectives in -ие/-ия (решение, история, другие); Ukrainian writes -ння, -ія.
_RUSSIAN_IE = re.compile(r"и[ея]")
#: Latin letters typed for the Cyrillic ones they look like, inside a Cyrillic word.
_CYRILLIC_HOMOGLYPHS = str.maketrans("aceiopxyïACEIOPXYÏ", "асеіорхуїАСЕІОРХУЇ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]+")


def cyrillic_homoglyphs(word: str) -> str:
    """A Cyrillic word with Latin look-alikes (Latin i for Ukrainian і) turned Cyrillic."""
    return word.translate(_CYRILLIC_HOMOGLYPHS) if _CYRILLIC.search(word) else word


def ukrainian_or_russian(text: str, words: List[str]) -> Optional[str]:
    """Ukrainian ("uk") or Russian ("ru") when the spelling and function words point more to one of them."""
    ukrainian = int(bool(_UKRAINIAN_APOSTROPHE.search(text)))
    russian = 0
    for word in (w.lower() for w in words):
        if word in UKRAINIAN_WORDS:
            ukrainian += 1
        elif word in RUSSIAN_WORDS:
            russian += 1
        elif lean := leaning(word, "uk", "ru"):
            ukrainian += lean == "uk"
            russian += lean == "ru"
        else:
            ukrainian += bool(_UKRAINIAN_ENDINGS.search(word) or ("ьо" in word and "ьон" not in word))
            russian += bool(_RUSSIAN_ENDINGS.search(word) or _RUSSIAN_IE.search(word))
    if ukrainian != russian:
        return "uk" if ukrainian > russian else "ru"
    return None


# --- Persian / Arabic -----------------------------------------------------------------------
#: Persian function words spelt without the letters only Persian uses (those decide already).
#: Persian function words spelt without the letters only Persian uses (those decide already),
#: and a few as they are typed on an Arabic keyboard (ي, ك for ی, ک).
PERSIAN_WORDS = frozenset(
    """است هست هستم هستند را از آن آنها اون با در تا بود بودم بودند نبود شد شده نشد باشد باشم
    خواهد خواهم دارد دارم خوب خوبم خب نه بله آره باشه ممنونم خداحافظ شما همه تو كه مي نمي يك
    خيلي براي""".split()
)
#: Arabic function words; not "يا", "هي", "جدا", "قد", which Persian writes too (or, hey, separate, height).
ARABIC_WORDS = frozenset(
    """في على إلى الى عن هذا هذه ذلك التي الذي أن إن لا لم لن هل كان كانت أنا انا نحن هو
    أنت انت ليس نعم شكرا""".split()
)
_ZWNJ = "\u200c"
_TEH_MARBUTA = "ة"
#: Short vowels, shadda, sukun, dagger alif and tatweel: they do not change a word's letters.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def persian_or_arabic(text: str) -> Optional[str]:
    """Persian ("fa") or Arabic ("ar") when the spelling and function words point more to one of them."""
    persian = int(_ZWNJ in text)
    arabic = int(_TEH_MARBUTA in text)
    for word in _WORD.findall(_ARABIC_MARKS.sub("", text)):
        if word in PERSIAN_WORDS or word in ARABIC_WORDS:
            persian += word in PERSIAN_WORDS
            arabic += word in ARABIC_WORDS
        elif lean := leaning(word, "fa", "ar"):
            persian += lean == "fa"
            arabic += lean == "ar"
    if persian != arabic:
        return "fa" if persian > arabic else "ar"
    return None


# --- Romanian -------------------------------------------------------------------------------
_ROMANIAN_LETTERS = set("ășțţ")
#: Romanian function words that no other Latin-script language Lotse detects uses.
ROMANIAN_WORDS = frozenset(
    """nu sunt suntem sunteți sunteti ești esti asta ăsta ăla aia astea acesta aceasta această
    acest aceste aici acolo acum unde cine când cand foarte bine meu mea mei mele tău tau lor
    nostru noastră vostru sau dacă daca pentru despre doar încă inca vreau vrei vrea vrem poți
    poti putem avem aveți aveti fost știu stiu știi stii mulțumesc multumesc mersi bună buna cu
    pe să și îl îi îmi imi îți iti vă mă în într intr dintr printr între nimic nimeni niciodată
    mereu mult cineva ceva după dupa poate trebuie acasă acasa azi ieri mâine maine toate totul
    doi două trei patru cinci vezi văd faci facem faceți faceti mergi mergem ziua noapte seara
    dimineața dimineata bineînțeles bineinteles sigur gata poftim scuze scuzați scuzati ajutor
    atenție atentie repede încet incet greu ușor usor frumos frumoasă frumoasa""".split()
)
#: Endings only Romanian has among the candidates: -ului (genitive article), -eaza (-ează
#: without its diacritic) and -esc (1st person: vorbesc, iubesc).
_ROMANIAN_ENDINGS = re.compile(r"(..ului|eaza|...esc)$")
#: Romanian joins clitics with a hyphen: s-a, n-am, l-am, mi-e, i-am, într-o, dintr-un, and
#: after a verb: ajută-mă, spune-mi, dă-i, ia-l (French writes dis-moi, donne-le instead).
_ROMANIAN_HYPHEN = re.compile(
    r"\b(?:(?:[snlmvi]|mi|ți|ţi|ti|și|şi|si|ne|le)-(?:a|am|ai|au|ar|aș|ați|o|e|i|l)"
    r"|(?:[îi]ntr|dintr|printr)-(?:o|un)"
    r"|[^\W\d_]{2,}-(?:ma|mă|te|l|o|ne|va|vă|mi|ți|ţi|ti))\b",
    re.I,
)


def romanian_evidence(text: str, words: List[str]) -> int:
    """How many words (and hyphenated clitics) are spelt as only Romanian spells them."""
    count = len(_ROMANIAN_HYPHEN.findall(text))
    for word in (w.lower() for w in words):
        if word in ROMANIAN_WORDS or set(word) & _ROMANIAN_LETTERS or _ROMANIAN_ENDINGS.search(word):
            count += 1
    return count


# --- Kurmanji -------------------------------------------------------------------------------
#: Kurmanji words the other Latin-script candidates do not use.
KURMANJI_WORDS = frozenset(
    """ez ew em hûn ji jî û xwe bû bûn dikim dike dikin dibe dibin heye hene çawa çima kî çi wê wî
    yê yên ên vê vî wan gelek lê hemû tiştek tişt çend kengî niha êdî hîn hê dê nabe nîne
    dixwazim dixwaze dikare dikarin divê kir kirin digel navbera heta ango bi""".split()
)
#: Kurmanji words that some other candidate also uses (Italian di, li; Turkish ne, ev; Somali ku).
KURMANJI_SHARED_WORDS = frozenset("li di ku ev ne min me tu te de da ra re ya yan an bo her got tune".split())
_KURMANJI_LETTERS = set("êûî")
#: Letters Kurmanji never writes but Turkish, German or a Romance language does.
_NOT_KURMANJI_LETTERS = set("ığöüäßéèàùòìôëïñăâșțţąęłśźżćńóõœ")


def is_kurmanji(words: List[str]) -> bool:
    """Two Kurmanji words, or one backed by its letters or a word it shares; no letter it lacks."""
    lowered = [w.lower() for w in words]
    letters = set("".join(lowered))
    if letters & _NOT_KURMANJI_LETTERS:
        return False
    own = sum(1 for w in lowered if w in KURMANJI_WORDS)
    shared = sum(1 for w in lowered if w in KURMANJI_SHARED_WORDS)
    special = bool(letters & _KURMANJI_LETTERS) or any("xw" in w for w in lowered)
    return own >= 2 or (own >= 1 and (special or shared >= 1))


def nfc(text: str) -> str:
    """Composed letters, so "ê" written as e + combining circumflex is one letter of a word."""
    return unicodedata.normalize("NFC", text)
