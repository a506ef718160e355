"""Language codes as people write them (``es``, ``ES``, ``pt-BR``, ``zh_Hans``, ``spa``), read
as the base ISO 639-1 code the detectors and encoders know: the one normalisation behind every
option and argument that takes a language.

A region or script (BCP 47 subtags after ``-`` or ``_``) names a variant of the same language
for every detector and encoder here, so it is dropped: ``zh-CN``, ``zh-Hant`` and ``zh_TW`` are
``zh``; ``pt-BR`` is ``pt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from aligner.errors import UsageError

# ISO 639-2 (terminological and bibliographic) and 639-3 codes of languages that have an
# ISO 639-1 code, and the retired 639-1 codes iw, in, ji.
_LONG_CODES = dict(
    re.findall(
        r"(\w+):(\w+)",
        "afr:af amh:am arg:an ara:ar asm:as aze:az bel:be bul:bg ben:bn bre:br bos:bs cat:ca "
        "ces:cs cze:cs cym:cy wel:cy dan:da deu:de ger:de dzo:dz ell:el gre:el eng:en epo:eo "
        "spa:es est:et eus:eu baq:eu fas:fa per:fa fin:fi fao:fo fra:fr fre:fr gle:ga glg:gl "
        "guj:gu heb:he iw:he hin:hi hrv:hr hat:ht hun:hu hye:hy arm:hy ind:id in:id isl:is "
        "ice:is ita:it jpn:ja jav:jv kat:ka geo:ka kaz:kk khm:km kan:kn kor:ko kur:ku kir:ky "
        "lat:la ltz:lb lug:lg lao:lo lit:lt lav:lv mlg:mg mri:mi mao:mi mkd:mk mac:mk mal:ml "
        "mon:mn mar:mr msa:ms may:ms mlt:mt nob:nb nep:ne nld:nl dut:nl nno:nn nor:no oci:oc "
        "ori:or pan:pa pol:pl pus:ps por:pt que:qu ron:ro rum:ro rus:ru kin:rw sme:se sin:si "
        "slk:sk slo:sk slv:sl sna:sn som:so sqi:sq alb:sq srp:sr sot:st swe:sv swa:sw tam:ta "
        "tel:te tha:th tgl:tl fil:tl tsn:tn tur:tr tso:ts uig:ug ukr:uk urd:ur vie:vi vol:vo "
        "wln:wa xho:xh yid:yi ji:yi yor:yo zho:zh chi:zh cmn:zh zul:zu",
    )
)
_CODE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*")
LIST_HINT = "see the known codes with: aligner detect --list-langs"


def base_languages() -> frozenset[str]:
    """The base codes some detector can answer (``zh``, not ``zh-cn``)."""
    from aligner.langid import known_languages

    return frozenset(code.split("-")[0] for code in known_languages())


def normalise_lang(code: str) -> str:
    """The base ISO 639-1 code of ``code`` (case, region, script and 3-letter codes read),
    or a UsageError naming the code when no detector knows it."""
    written = code.strip().lower()
    if _CODE.fullmatch(written):
        base = re.split(r"[-_]", written)[0]
        base = _LONG_CODES.get(base, base)
        if base in base_languages():
            return base
    raise UsageError(f"unknown language code {code.strip()!r}; {LIST_HINT}")


def parse_langs(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Language codes given as ``"es,en"``, a list or a tuple, each normalised, in order;
    ``()`` for None or nothing."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    if not all(isinstance(item, str) for item in items):
        raise UsageError(f"language codes are strings such as 'es' (got {value!r})")
    return tuple(normalise_lang(item) for item in items if item.strip())


def lang_pair(value: str | Sequence[str] | None, option: str = "--langs") -> tuple[str, str] | None:
    """A source and target language (``"es,en"``, ``["es", "en"]``), normalised and different;
    None when not given."""
    codes = parse_langs(value)
    if not codes:
        return None
    if len(codes) != 2:
        raise UsageError(f"{option} takes two language codes, e.g. es,en (got {value!r})")
    return distinct(codes[0], codes[1], option)


def distinct(src: str, tgt: str, option: str = "--langs") -> tuple[str, str]:
    """Two normalised codes, refused when they name one language (``de`` and ``DE``,
    ``pt`` and ``pt-BR``)."""
    if src == tgt:
        raise UsageError(f"{option} names one language twice ({src}); give two different ones")
    return src, tgt


def side_langs(src: str | None, tgt: str | None) -> tuple[str | None, str | None]:
    """``--src-lang`` / ``--tgt-lang`` (each optional), normalised; both given and equal is a
    usage error."""
    found = tuple(normalise_lang(code) if code else None for code in (src, tgt))
    if found[0] and found[1]:
        distinct(found[0], found[1], "--src-lang/--tgt-lang")
    return found[0], found[1]


def pairs_listed(langs: Iterable[tuple[str, str]]) -> str:
    """Language pairs as outputs name them: ``de-fr,en-fr``, each once, sorted."""
    return ",".join(sorted({f"{a}-{b}" for a, b in langs}))
