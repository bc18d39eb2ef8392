"""Text normalisation for search: accents optional, case-insensitive, letters like ø and ł folded."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode decomposition does not reduce to an ASCII base letter.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII-ish key: 'Île-de-France' -> 'ile-de-france', 'Łódzkie' -> 'lodzkie'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
#: A plain e-mail address (no display name, no query): the build accepts only these in the records,
#: and the cards turn only these into ``mailto:`` links.
EMAIL_PATTERN = rf"[A-Za-z0-9._%+-]+@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,}}"


def is_plain_email(value: str) -> bool:
    """Whether ``value`` is exactly one plain e-mail address (:data:`EMAIL_PATTERN`)."""
    return re.fullmatch(EMAIL_PATTERN, value) is not None


def search_key(text: str) -> str:
    """:func:`fold`, with punctuation as spaces: 'Île-de-France' and 'ile de france' share a key."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def compact_key(text: str) -> str:
    """:func:`fold` with everything but letters and digits removed: 'Bio-Economy', 'bio economy' and
    'bioeconomy' share the key 'bioeconomy', so a search forgives hyphens and spaces too."""
    return _NON_WORD.sub("", fold(text))


def matches_words(query: str, text: str) -> bool:
    """Whether every word of ``query`` occurs in ``text``, accents, case, hyphens and spaces aside
    (the query as a whole may also span words: 'bioeconomy' finds 'Bio-Economy')."""
    haystack = compact_key(text)
    if compact_key(query) in haystack:
        return True
    words = [compact_key(word) for word in query.split()]
    return bool(words) and all(word in haystack for word in words if word)
