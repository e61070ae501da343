"""Speed layer: unicodedata.normalize("NFKC", text), the same string, faster on Chinese text.

The cleaner compares lines by a key made with NFKC (clean/signals.norm; the line shapes of the
cross-article evidence too): ~400,000 calls in a cold build of 10,000 articles. CPython returns
at once a text its quick check passes, but Chinese text holds full-width punctuation and spaces
(，：（） and U+3000), which NFKC maps to ASCII, so nearly every Chinese line took the full
normalisation: ~4.7 µs a line on the benchmark site's lines.

Here the full-width forms U+FF01–FF5E and the ideographic space U+3000 are replaced first by
what NFKC makes of each (its compatibility decomposition, one ASCII character: <wide>), and
the result is returned as it is when it is in NFKC already (unicodedata.is_normalized, exact),
else normalised. Both give NFKC(text): NFKC is the canonical composition of the full
compatibility decomposition, which is made character by character, so decomposing some
characters beforehand changes nothing (an ASCII character has combining class 0: no
reordering moves across it). ~0.8 µs a line. tests/test_speed_layer.py compares the two on
random text (full-width forms, combining marks, Hangul jamo, compatibility characters).
"""

from __future__ import annotations

import re
import unicodedata

_WIDE = re.compile("[\uff01-\uff5e\u3000]")


def _narrow(m: re.Match) -> str:
    c = ord(m.group())
    return " " if c == 0x3000 else chr(c - 0xFEE0)


def narrow(text: str) -> str:
    """The full-width forms and the ideographic space as ASCII: text.translate() of that map
    (stories.tokens uses it too: a translate() by a dict looks up every character)."""
    return _WIDE.sub(_narrow, text)


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text)."""
    if text.isascii():
        return text  # (ASCII is in every normal form)
    narrow = _WIDE.sub(_narrow, text)
    return narrow if unicodedata.is_normalized("NFKC", narrow) else unicodedata.normalize("NFKC", narrow)
