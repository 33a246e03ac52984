"""Whether a text reads as English: the rules and models are English-only, so a view of other text
says so instead of quietly scoring it (a German denial read `for` at 0.68, a Spanish one too)."""

from __future__ import annotations

import regex

# The commonest English function words: 25-50% of the words of English news (PolNeAR), a few percent
# of German, Spanish or French text.
_ENGLISH = frozenset({
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "was", "with", "he", "it", "as",
    "at", "by", "said", "his", "be", "from", "are", "have", "has", "not", "this", "but", "they",
    "an", "were", "had", "who", "will", "or", "would", "been", "their", "its", "which", "we",
    "after", "more", "about", "i", "you", "she", "her", "there", "than", "what", "when", "if",
    "can", "could", "also", "our", "them", "him",
})
# Function words of the languages a newsroom most often meets beside English (German, Spanish,
# French, Italian, Portuguese, Dutch) that are no English words, for texts too short for a share.
# Words that are English too ("die", "do", "den") or common in English news names ("Los Angeles",
# "Al Qaeda", "El Paso", "Las Vegas", "van", "del", "la", "per", "non", "com", "et") are left out.
_OTHER = frozenset({
    "der", "das", "und", "ist", "nicht", "ein", "eine", "zu", "mit", "sich", "auf", "für", "dem",
    "sie", "auch", "wird", "wurde", "sind", "que", "y", "en", "una", "es",
    "por", "para", "se", "lo", "su", "como", "pero", "más", "fue", "han", "sido", "les",
    "est", "une", "du", "au", "dans", "pour", "qui", "sur", "ne", "ce", "sont", "été", "avec", "il",
    "di", "che", "è", "gli", "della", "sono", "nel", "alla", "os", "em", "não", "uma",
    "foi", "são", "het", "een", "niet", "op", "zijn", "met", "voor", "ook", "aan", "wordt",
}) - _ENGLISH
_WORD = regex.compile(r"\p{L}+")
_LETTER = regex.compile(r"\p{L}")
_LATIN = regex.compile(r"\p{Latin}")
# From this many words (an article, not a headline: headlines drop function words) the English share
# decides; below it, other languages' function words may.
MIN_WORDS = 40
MIN_SHORT_WORDS = 4
# English news: at least 0.17 of its words in each of PolNeAR's 924 articles.
MIN_SHARE = 0.1


def reads_as_english(text: str, sample_chars: int = 20_000) -> bool | None:
    """True or False, or None when the text is too short to tell. Reads the first `sample_chars`."""
    sample = text[:sample_chars]
    letters = len(_LETTER.findall(sample))
    if letters >= 3 and len(_LATIN.findall(sample)) < letters / 2:
        return False  # another script (Chinese, Arabic, Cyrillic, ...)
    words = _WORD.findall(sample.lower())
    english = sum(w in _ENGLISH for w in words)
    if len(words) >= MIN_WORDS:
        return english / len(words) >= MIN_SHARE
    other = sum(w in _OTHER for w in words)
    if len(words) >= MIN_SHORT_WORDS and other >= 2 and other > english:
        return False
    return None
