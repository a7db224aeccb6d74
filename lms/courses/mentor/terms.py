"""Search terms: the same light normalisation for passages and questions, in every language we teach.

Lower-case and NFKC; Arabic diacritics, tatweel and letter variants folded and the article and common
clitics removed; Latin-script words lightly stemmed (so "overfitting" meets "overfit"); runs of
Chinese/Japanese characters cut into bigrams (they have no spaces); stop words dropped.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "a",
            "an",
            "the",
            "and",
            "or",
            "but",
            "if",
            "of",
            "to",
            "in",
            "on",
            "at",
            "by",
            "for",
            "with",
            "from",
            "as",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "being",
            "am",
            "do",
            "does",
            "did",
            "done",
            "have",
            "has",
            "had",
            "having",
            "i",
            "me",
            "my",
            "we",
            "our",
            "you",
            "your",
            "he",
            "she",
            "it",
            "its",
            "they",
            "them",
            "their",
            "this",
            "that",
            "these",
            "those",
            "what",
            "which",
            "who",
            "whom",
            "whose",
            "when",
            "where",
            "why",
            "how",
            "can",
            "could",
            "should",
            "would",
            "will",
            "shall",
            "may",
            "might",
            "must",
            "not",
            "no",
            "yes",
            "so",
            "than",
            "then",
            "there",
            "here",
            "about",
            "into",
            "over",
            "under",
            "again",
            "more",
            "most",
            "some",
            "any",
            "each",
            "other",
            "such",
            "only",
            "own",
            "same",
            "too",
            "very",
            "just",
            "also",
            "please",
            "tell",
            "explain",
            "describe",
            "course",
            "lesson",
            "mean",
            "means",
            "meaning",
            "give",
            "example",
            "examples",
            "define",
            "definition",
            "say",
            "says",
            "said",
            "like",
            "know",
            "need",
            "use",
            "used",
            "using",
            "get",
            "does",
            "doing",
            "between",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "un",
            "una",
            "unos",
            "unas",
            "y",
            "o",
            "pero",
            "si",
            "de",
            "del",
            "al",
            "a",
            "en",
            "por",
            "para",
            "con",
            "sin",
            "sobre",
            "es",
            "son",
            "fue",
            "ser",
            "estar",
            "está",
            "están",
            "qué",
            "que",
            "cuál",
            "cuáles",
            "quién",
            "cómo",
            "cuándo",
            "dónde",
            "por",
            "qué",
            "porque",
            "se",
            "lo",
            "le",
            "les",
            "me",
            "mi",
            "mis",
            "tu",
            "tus",
            "su",
            "sus",
            "este",
            "esta",
            "estos",
            "estas",
            "ese",
            "esa",
            "eso",
            "no",
            "sí",
            "muy",
            "más",
            "menos",
            "también",
            "explica",
            "explicar",
            "curso",
            "lección",
            "significa",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "et",
            "ou",
            "mais",
            "si",
            "de",
            "du",
            "au",
            "aux",
            "à",
            "en",
            "par",
            "pour",
            "avec",
            "sans",
            "sur",
            "est",
            "sont",
            "être",
            "était",
            "que",
            "qui",
            "quoi",
            "quel",
            "quelle",
            "quels",
            "quelles",
            "comment",
            "quand",
            "où",
            "pourquoi",
            "ce",
            "cet",
            "cette",
            "ces",
            "se",
            "sa",
            "son",
            "ses",
            "leur",
            "leurs",
            "ne",
            "pas",
            "plus",
            "très",
            "aussi",
            "d",
            "l",
            "qu",
            "c",
            "j",
            "explique",
            "expliquer",
            "cours",
            "leçon",
            "signifie",
            "veut",
            "dire",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
            "einer",
            "eines",
            "einem",
            "einen",
            "und",
            "oder",
            "aber",
            "wenn",
            "von",
            "zu",
            "in",
            "im",
            "an",
            "am",
            "auf",
            "bei",
            "für",
            "mit",
            "aus",
            "ist",
            "sind",
            "war",
            "waren",
            "sein",
            "wird",
            "werden",
            "was",
            "welche",
            "welcher",
            "welches",
            "wer",
            "wie",
            "wann",
            "wo",
            "warum",
            "nicht",
            "kein",
            "keine",
            "sich",
            "es",
            "er",
            "sie",
            "wir",
            "ihr",
            "ich",
            "du",
            "mir",
            "mich",
            "auch",
            "sehr",
            "mehr",
            "erkläre",
            "erklären",
            "kurs",
            "lektion",
            "bedeutet",
        ]
    ),
    "ar": frozenset(
        [
            "في",
            "من",
            "على",
            "الى",
            "إلى",
            "عن",
            "مع",
            "هذا",
            "هذه",
            "ذلك",
            "تلك",
            "التي",
            "الذي",
            "الذين",
            "ما",
            "ماذا",
            "لماذا",
            "كيف",
            "متى",
            "أين",
            "هل",
            "هو",
            "هي",
            "هم",
            "انا",
            "أنا",
            "نحن",
            "انت",
            "أنت",
            "ان",
            "أن",
            "إن",
            "كان",
            "كانت",
            "يكون",
            "لا",
            "لم",
            "لن",
            "قد",
            "ثم",
            "او",
            "أو",
            "و",
            "ف",
            "ب",
            "ل",
            "عند",
            "بين",
            "كل",
            "بعض",
            "اي",
            "أي",
            "اشرح",
            "وضح",
            "الدرس",
            "الدورة",
            "يعني",
            "معنى",
        ]
    ),
}
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"\w+", re.UNICODE)
SNOWBALL = {"en": "english", "es": "spanish", "fr": "french", "de": "german"}


@functools.cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(SNOWBALL.get(language, "english"))


def _fold_arabic(word: str) -> str:
    word = _ARABIC_DIACRITICS.sub("", word)
    word = word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ى", "ي").replace("ؤ", "و")
    word = word.replace("ئ", "ي")
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    if word.startswith("و") and len(word) >= 5:
        word = word[1:]
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in word)


def terms(text: str, language: str = "en") -> list[str]:
    """Normalised search terms of ``text`` in order (duplicates kept, stop words dropped)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    result: list[str] = []
    for run in _CJK.findall(text):
        if len(run) == 1:
            result.append(run)
        result.extend(run[i : i + 2] for i in range(len(run) - 1))
    text = _CJK.sub(" ", text)
    stops = STOP_WORDS.get(language, frozenset()) | STOP_WORDS["en"]
    for word in _WORD.findall(text):
        if word in stops or (word.isdigit() and len(word) < 3):
            continue
        if _is_arabic(word):
            folded = _fold_arabic(word)
            if folded in STOP_WORDS["ar"] or len(folded) < 2:
                continue
            result.append(folded)
        elif len(word) < 2:
            continue
        else:
            result.append(_stemmer(language).stemWord(word))
    return result


def distinct_terms(text: str, language: str = "en") -> list[str]:
    seen: dict[str, None] = {}
    for term in terms(text, language):
        seen.setdefault(term, None)
    return list(seen)


def search_text(text: str, language: str) -> str:
    """What the index stores for a passage: its terms separated by spaces."""
    return " ".join(terms(text, language))
