"""Lines of program code: they say no language, so they are never half of a caption pair.

A restricted detector labels a code line (``avg(n) - stddev(n) AS lower_bound,``) with one of
the languages in play by a hair, and two code lines look alike to an encoder: the highlighted
SQL of a tutorial page was paired as French and English. What marks code in every programming
language and in no natural one: a name glued to its opening parenthesis (a call), an assignment
or comparison operator between operands, braces, and identifiers joined by underscores, inner
full stops or inner capitals. A line is code when it holds such a call, operator or brace and
at least as many code tokens as plain words: prose that mentions ``main()`` stays prose.
"""

from __future__ import annotations

import re
import unicodedata

# a call or definition: an ASCII name glued to "(" (avg(n), os.path.join(, main())
_CALL = re.compile(r"^[^(]*?[A-Za-z_][A-Za-z0-9_.]*\(")
_OPERATOR = frozenset(["=", "==", "!=", "<=", ">=", ":=", "+=", "-=", "*=", "=>", "->", "&&", "||"])
_BRACE = re.compile(r"[{}]")
_CALL_OR_BRACE = re.compile(r"[({}]")
# identifiers: words joined by underscores (lower_bound) or inner full stops (items.length), or
# with a capital inside (getElementById)
_IDENTIFIER = re.compile(r"[A-Za-z]\w*_\w+|[A-Za-z_]\w*\.[A-Za-z_]\w*|[a-z]+[A-Z]\w*")
_PLAIN_WORD = re.compile(r"[^\W\d_]+[,.:;!?]?")
# a manual page named in prose: apt(8), sources.list(5), dh_installdocs(1)
_MANUAL_PAGE = re.compile(r"[\w.+-]+\(\d\w?\)[,.:;)]*")
# a word with an optional ending, as interfaces and forms write it: file(s), Datei(en),
# Mitarbeiter(innen), Ihr(e), niño(a); it looks like a call (len(s)), so it is code only beside
# other code
_OPTIONAL_ENDING = re.compile(r"[^\W\d_]+\((?:s|e|es|en|er|in|innen|a|as|os)\)[,.:;!?]?")


def _is_code_token(token: str) -> bool:
    if not token.isascii() or _MANUAL_PAGE.fullmatch(token):
        return False  # code is written in ASCII; a token holding other letters is prose
    return token in _OPERATOR or bool(
        _CALL.match(token) or _BRACE.search(token) or _IDENTIFIER.search(token)
    )


def _plain_words(token: str) -> float:
    """How many words of prose ``token`` holds: one for a word; in Chinese or Japanese, written
    without spaces, one per two characters."""
    if _PLAIN_WORD.fullmatch(token):
        return 1.0
    wide = sum(1 for ch in token if ch.isalpha() and unicodedata.east_asian_width(ch) in "WF")
    if wide:
        return wide / 2
    return float(not token.isascii() and any(ch.isalpha() for ch in token))


def is_code(line: str) -> bool:
    """Whether ``line`` is a line of program code rather than prose in some language."""
    tokens = line.split()
    # code needs a call, a brace or an operator: most prose holds none and is settled here
    if not _CALL_OR_BRACE.search(line) and _OPERATOR.isdisjoint(tokens):
        return False
    code = [t for t in tokens if _is_code_token(t)]
    if all(_OPTIONAL_ENDING.fullmatch(t) for t in code):  # "Delete file(s)", "Datei(en) löschen"
        return False
    if not any(t in _OPERATOR or _CALL.match(t) or _BRACE.search(t) for t in code):
        return False
    return len(code) >= sum(_plain_words(t) for t in tokens)
