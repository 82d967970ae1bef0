"""Who says a sentence: the reporting cue, its source and whether the words are quoted.

Rules, in the order they apply to one sentence:

1. A cue is a speech or reporting verb from `lexicon` that governs the sentence: its root, a verb
   conjoined to a root cue ("said ... and added"), a comment clause ("The plan, she said, is ...",
   parsed as parataxis), the verb under "went on to say", or "according to X" attached at clause
   level. A cue inside a subordinate clause ("with the alliance accusing Russia of ...") does not make
   the sentence attributed; flags may still look at it.
2. The verb needs what is said: a clausal complement, a direct quote outside which it stands, or for
   object-reporting verbs an object of the right kind ("denied the claims", "called NATO expansion a
   mistake", "expressed concern over ...").
3. The source is the verb's subject (or the agent of a passive, or the subject of the verb it is
   conjoined to). When the parser loses the subject of a post-posed cue
   ("..., Moscow's envoy to the alliance, Alexander Grushko, said Friday.") the words between the
   last comma of the content and the cue are taken instead.
4. A sentence that is wholly inside quotation marks and has no cue of its own takes the attribution
   of the sentence that shares its quotation (`"A. B," he said.`), of the sentence that opens it
   (`He said: "A. B."`), or of the previous paragraph when the quotation runs on across paragraphs.

Speakers are resolved after the whole article is read (`SpeakerResolver`): a pronoun to the most recent
compatible named person or organisation, a surname to the full name the article gives, a description
("Russia's envoy to the alliance") to the one person the article names with that role
("Moscow's envoy to NATO Alexander Grushko", "Foreign Minister Sergei Lavrov"). "He" and "she" skip a
person the article shows to be of the other gender (a title, a gendered noun, a pronoun bound to the name
in one clause, or else a common first name; see `lexicon.MALE_PRONOUNS`); when no person fits, the
pronoun stays unresolved rather than named wrongly.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

VERB_TAGS = ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")
NOUN_TAGS = ("NN", "NNS", "NNP", "NNPS")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Verbs whose complement carries the speech act: "went on to say", "continued to insist".
_LIGHT_GOVERNORS = {"go", "went", "goes", "gone", "continue", "continued", "continues", "proceed", "proceeded"}
_SUBORDINATORS = {"as", "when", "because", "if", "after", "while", "since", "although", "though", "before", "until"}
_DETERMINERS = ("the ", "a ", "an ")
_ENTITY_SPEAKER_LABELS = ("ORG", "GPE", "NORP", "FAC", "PERSON")
_XCOMP_CUES = {"urge", "ask", "order", "call", "promise", "pledge", "vow", "threaten", "warn", "demand", "advise"}
_CALL_PREPS = {"for", "on", "upon"}


@dataclass(slots=True)
class Attribution:
    cue: str
    cue_start: int
    cue_end: int
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_text: str | None = None
    speaker_head: str | None = None  # lower-cased head word of the source phrase
    speaker_head_tag: str = ""
    speaker_label: str | None = None  # entity label of the source when it is a named entity
    speaker_entity: str | None = None  # entity text inside the source phrase that names it
    speaker: str | None = None  # resolved, canonical
    inherited: bool = False
    cue_token_i: int = -1  # index in the sentence's doc, -1 when inherited
    subject_i: int = -1
    content_token_ids: set[int] = field(default_factory=set)


def tok_start(tok: Token, offset: int) -> int:
    return offset + tok.idx


def tok_end(tok: Token, offset: int) -> int:
    return offset + tok.idx + len(tok.text)


def is_verb(tok: Token) -> bool:
    return tok.tag_ in VERB_TAGS


def cue_lemma(tok: Token) -> str | None:
    if not is_verb(tok):
        return None
    return lx.CUE_LEMMA.get(tok.lower_)


def is_negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def has_modal(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children)


def is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _in_quotes(pos: int, quotes: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in quotes)


def _has_clausal_content(cue: Token, lemma: str) -> bool:
    for c in cue.children:
        if c.dep_ == "ccomp":
            return True
        if c.dep_ == "xcomp" and lemma in _XCOMP_CUES:
            return True
        if c.dep_ in ("parataxis", "dep", "advcl") and c.i < cue.i and (is_verb(c) or c.tag_ == "MD"):
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _SUBORDINATORS for m in c.children):
                continue
            # "content, X said": the clause before the cue, cut off by a comma.
            if any(t.text in (",", ":") for t in cue.doc[c.right_edge.i : cue.i]):
                return True
    return False


def _object_ok(cue: Token, lemma: str) -> bool:  # noqa: PLR0911 (a rule cascade reads best as early returns)
    """Object-reporting verbs: is the object of the kind that makes the verb a speech act?"""
    objs = [c for c in cue.children if c.dep_ in ("dobj", "dative")]
    dobj = next((c for c in objs if c.dep_ == "dobj"), None)
    if lemma == "call":
        for c in cue.children:
            if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ in _CALL_PREPS):
                return True  # "called NATO expansion a mistake", "called for", "called on"
            if c.dep_ in ("advcl", "xcomp") and any(m.lower_ == "for" and m.dep_ == "mark" for m in c.children):
                return True  # "is calling for the United States to step up"
        return False
    if lemma in ("express", "voice"):
        return dobj is not None and dobj.lower_ in lx.STANCE_OBJECTS
    if lemma == "deny":
        if any(c.dep_ == "dative" for c in cue.children) or len(objs) > 1:
            return False
        return dobj is None or dobj.lower_ not in lx.REFUSAL_OBJECTS
    if lemma in ("reject", "dismiss", "dispute", "question"):
        if dobj is None:
            return False
        return dobj.lower_ in lx.CLAIM_NOUNS or any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
    if lemma == "describe":
        return any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
    if lemma == "accuse":
        return dobj is not None
    return dobj is not None


def utterance_quotes(span: Span, offset: int, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations inside the sentence that quote an utterance, not a scare-quoted word or title.

    An utterance has six words or more, or ends in punctuation inside its closing mark (`"Okay," I said`).
    """
    text = span.doc.text
    lo, hi = offset + span.start_char, offset + span.end_char
    out = []
    for a, b in quotes:
        a2, b2 = max(a, lo), min(b, hi)
        if a2 >= b2:
            continue
        inner = text[a2 - offset : b2 - offset].strip("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb` ")
        if len(inner.split()) >= 6 or inner[-1:] in (",", ".", "!", "?", "\u2026", ";", ":", "-", "\u2014"):
            out.append((a2, b2))
    return out


def _valid_cue(cue: Token, lemma: str, quotes: list[tuple[int, int]], offset: int, span: Span) -> bool:  # noqa: PLR0911
    if _in_quotes(tok_start(cue, offset), quotes):
        return False
    passive = is_passive(cue)
    if passive and not any(c.dep_ == "agent" for c in cue.children):
        # "It was reported that ...", "X is said to ...": hearsay without a source, not an attribution.
        return False
    if passive:
        # "The move was first reported by MSNBC": the subject is what was said.
        return lemma in lx.PASSIVE_CUES
    if lemma in lx.CLAUSAL_CUES and _has_clausal_content(cue, lemma):
        return True
    if lemma in lx.OBJECT_CUES and lemma not in ("say", "tell") and _object_ok(cue, lemma):
        return True
    if lemma in lx.CLAUSAL_CUES and utterance_quotes(span, offset, quotes):
        return True  # a quoted utterance in the sentence, with the cue outside it
    # "Cruz responded:", "Continued Stone:" introduce what follows
    return (
        lemma in lx.CLAUSAL_CUES
        and span.text.rstrip().endswith(":")
        and (cue.i > span.start or any(c.dep_ == "nsubj" and c.i > cue.i for c in cue.children))
    )


def _subject(cue: Token) -> Token | None:
    for c in cue.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    for c in cue.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    # "said A and added B", "went on to say", and the participle in "defended it, saying ..."
    shares_subject = cue.dep_ in ("conj", "xcomp") or (cue.dep_ == "advcl" and cue.tag_ == "VBG")
    if shares_subject and cue.head.i != cue.i and is_verb(cue.head):
        return _subject(cue.head)
    return None


def _fallback_subject(cue: Token, span: Span) -> list[Token]:
    """Words between the content's last comma and a post-posed cue whose subject the parser lost."""
    toks: list[Token] = []
    i = cue.i - 1
    while i >= span.start:
        t = cue.doc[i]
        if t.text in ('"', "\u201d", "\u201c", "''", "``") or (t.text == "," and toks and _np_complete(toks)):
            break
        if t.tag_ in VERB_TAGS and t.dep_ not in ("aux", "auxpass", "amod", "compound"):
            break
        toks.insert(0, t)
        i -= 1
    while toks and toks[0].is_punct:
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].tag_ in ("RB", "MD") or toks[-1].dep_ in ("aux", "advmod")):
        toks.pop()
    if not any(t.tag_ in NOUN_TAGS or t.tag_ == "PRP" for t in toks):
        return []
    return toks


def _np_complete(toks: list[Token]) -> bool:
    # "Moscow's envoy to the alliance, Alexander Grushko," keeps going left past the name's comma
    # only while what was collected is a bare name (an appositive needs its description).
    return not all(t.ent_type_ == "PERSON" or t.is_punct for t in toks)


def _mention_tokens(subj: Token) -> list[Token]:
    """The words naming the source: the subject phrase without relative clauses and trailing commas."""
    if subj.tag_ in ("PRP", "WP"):
        return [subj]
    cut: set[int] = set()
    for c in subj.children:
        if c.dep_ in ("relcl", "acl") and c.i > subj.i:
            cut.update(t.i for t in c.subtree)
            # The comma before a relative clause goes with it.
            if c.left_edge.i > 0 and subj.doc[c.left_edge.i - 1].text == ",":
                cut.add(c.left_edge.i - 1)
    toks = [t for t in subj.subtree if t.i not in cut]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    while toks and toks[0].is_punct:
        toks.pop(0)
    return toks


def _attach(att: Attribution, toks: list[Token], head: Token, offset: int) -> None:
    att.speaker_start = tok_start(toks[0], offset)
    att.speaker_end = tok_end(toks[-1], offset)
    att.speaker_text = head.doc.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
    att.speaker_head = head.lower_
    att.speaker_head_tag = head.tag_
    att.subject_i = head.i
    ent = _naming_entity(toks, head)
    if ent is not None:
        att.speaker_label = ent.label_
        att.speaker_entity = ent.text


def _naming_entity(toks: list[Token], head: Token) -> Span | None:
    """The named entity in the source phrase that names the source itself (not "a spokesman for X")."""
    ids = {t.i for t in toks}
    best: Span | None = None
    for ent in head.doc.ents:
        if ent.start not in ids or ent.label_ not in _ENTITY_SPEAKER_LABELS:
            continue
        if head.i in range(ent.start, ent.end):
            return ent
        if ent.label_ != "PERSON":
            continue
        before = head.doc[ent.start - 1] if ent.start > 0 else None
        if before is not None and before.tag_ == "IN" and before.lower_ not in ("to",):
            continue  # "a spokesman for Hillary Clinton"
        if ent.root.dep_ == "poss" or (ent.end < len(head.doc) and head.doc[ent.end].tag_ == "POS"):
            continue  # "Clinton's spokesman"
        best = ent
    return best


def find_attribution(span: Span, offset: int, quotes: list[tuple[int, int]]) -> Attribution | None:
    """The attribution that governs the sentence `span` (offsets shifted by `offset`), or None."""
    roots = [t for t in span if t.head.i == t.i or not (span.start <= t.head.i < span.end)]
    candidates: list[tuple[int, Token, str]] = []
    for root in roots:
        lemma = cue_lemma(root)
        if lemma:
            candidates.append((0, root, lemma))
        for c in root.children:
            if c.dep_ in ("parataxis", "ccomp", "advcl", "dep") and c.i > root.left_edge.i:
                lem = cue_lemma(c)
                if not lem or not any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children):
                    pass
                elif _comment_clause(c, root) and not any(
                    m.dep_ == "mark" and m.lower_ in _SUBORDINATORS for m in c.children
                ):
                    # "A admit B, X said": the post-posed frame governs, whatever the root's verb.
                    candidates.append((-1, c, lem))
                elif c.dep_ == "advcl" and not lemma and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children):
                    candidates.append((-1, c, lem))  # "As Joel Pollak observed, the biggest victor was ..."
            if c.dep_ == "xcomp" and root.lower_ in _LIGHT_GOVERNORS:
                lem = cue_lemma(c)
                if lem:
                    candidates.append((0, c, lem))
            if c.dep_ == "conj":
                lem = cue_lemma(c)
                if lem:
                    # "said A and added B"; or "used to support Paul, but now said Trump had ..."
                    candidates.append((2 if lemma else 4, c, lem))
            if c.dep_ in ("advcl", "xcomp", "conj") and c.tag_ == "VBG" and not lemma and c.i > root.i:
                lem = cue_lemma(c)
                own_subject = any(g.dep_ in ("nsubj", "nsubjpass", "mark") for g in c.children)
                after_comma = c.i > 0 and c.doc[c.i - 1].text in (",", "\u2014", "--", "\u2013")
                if lem and not own_subject and after_comma:
                    candidates.append((3, c, lem))  # "Sanders defended his call, saying that ..."
    candidates.sort(key=lambda x: (x[0], x[1].i))
    for rank, cue, lemma in candidates:
        if rank < 0:
            if _in_quotes(tok_start(cue, offset), quotes) or is_passive(cue) or lemma not in lx.CLAUSAL_CUES:
                continue
        elif not _valid_cue(cue, lemma, quotes, offset, span):
            continue
        elif rank == 4 and not (
            lemma in lx.CLAUSAL_CUES and (_has_clausal_content(cue, lemma) or utterance_quotes(span, offset, quotes))
        ):
            continue  # a second clause with its own speech act; "and the government denied its role" is not
        att = Attribution(cue=lemma, cue_start=tok_start(cue, offset), cue_end=tok_end(cue, offset), cue_token_i=cue.i)
        subj = _subject(cue)
        if subj is not None and subj.lower_ in lx.PRONOUNS_RELATIVE:
            subj = subj.head if subj.head.tag_ in NOUN_TAGS else None
            if subj is None:
                continue
        if subj is not None:
            toks = _mention_tokens(subj)
            if toks:
                _attach(att, toks, subj, offset)
        else:
            toks = _fallback_subject(cue, span)
            if toks:
                head = next((t for t in toks if t.head.i not in {x.i for x in toks}), toks[-1])
                _attach(att, toks, head, offset)
        att.content_token_ids = _content_ids(span, cue, subj)
        return att
    acc = _according_to(span, offset, quotes)
    if acc is not None:
        return acc
    return _surface_frame(span, offset, quotes)


_NP_TAGS = {"NNP", "NNPS", "NN", "NNS", "PRP", "DT", "JJ", "POS", "CD", "HYPH", "PRP$", "NFP", "JJS", "JJR"}
_NP_HEAD_TAGS = {"NNP", "NNPS", "NN", "NNS", "PRP"}
_CLOSE_QUOTES = {'"', "\u201d", "''", "\u2019"}
_BOUNDARY = {",", "\u2014", "\u2013", "--"}


def _adjunct_ok(toks: list[Token]) -> bool:
    """What may follow a post-posed cue before the comma or full stop: "on Friday", "in a statement"."""
    return len(toks) <= 10 and not any(t.tag_ in VERB_TAGS or t.tag_ == "MD" for t in toks)


def _surface_frame(span: Span, offset: int, quotes: list[tuple[int, int]]) -> Attribution | None:
    """Post-posed frames the parser missed: `"...," Lasry told Bloomberg.` / `..., said Jim Clyburn.`

    Read from the words alone: a comma or closing quote, a short noun phrase, a cue, and nothing but
    adjuncts up to the next comma or the end; the words before the frame must hold a clause or a quote.
    """
    doc = span.doc
    utter = utterance_quotes(span, offset, quotes)
    for t in span:
        lemma = cue_lemma(t)
        if not lemma or lemma not in lx.CLAUSAL_CUES or _in_quotes(tok_start(t, offset), quotes):
            continue
        # subject before the cue: ", NP said ..."
        i = t.i - 1
        np_toks: list[Token] = []
        while i >= span.start and doc[i].tag_ in _NP_TAGS and doc[i].text not in _BOUNDARY and len(np_toks) < 8:
            np_toks.insert(0, doc[i])
            i -= 1
        boundary = doc[i] if i >= span.start else None
        after: list[Token] = []
        j = t.i + 1
        while j < span.end and doc[j].text not in _BOUNDARY and not (doc[j].is_punct and doc[j].text != "'s"):
            after.append(doc[j])
            j += 1
        subject: list[Token] = []
        if boundary is not None and (boundary.text in _BOUNDARY or boundary.text in _CLOSE_QUOTES):
            if np_toks and any(x.tag_ in _NP_HEAD_TAGS for x in np_toks) and _adjunct_ok(after):
                subject = np_toks
        elif i >= span.start and not np_toks and doc[i].text in _BOUNDARY | _CLOSE_QUOTES:
            # inverted: ", said Jim Clyburn, a Democratic congressman."
            np_after = [x for x in after if x.tag_ in _NP_TAGS]
            if after and len(np_after) == len(after) and any(x.tag_ in ("NNP", "NNPS", "NN") for x in after):
                subject = after
        if not subject:
            continue
        before = doc[span.start : subject[0].i]
        has_clause = any(x.tag_ in VERB_TAGS for x in before if not x.is_punct)
        quoted_before = any(a < tok_start(subject[0], offset) for a, _ in utter)
        if not (has_clause or quoted_before):
            continue
        att = Attribution(cue=lemma, cue_start=tok_start(t, offset), cue_end=tok_end(t, offset), cue_token_i=t.i)
        ids = {x.i for x in subject}
        head = next((x for x in reversed(subject) if x.tag_ in _NP_HEAD_TAGS and x.head.i not in ids), None)
        head = head or next(x for x in reversed(subject) if x.tag_ in _NP_HEAD_TAGS)
        _attach(att, subject, head, offset)
        att.content_token_ids = {x.i for x in before if not x.is_punct}
        return att
    return None


def _comment_clause(c: Token, root: Token) -> bool:
    """`c` is a reporting frame set off by a comma or a quote, whose content is the rest of the sentence."""
    if any(g.dep_ in ("ccomp", "dobj") for g in c.children):
        return False
    edge = min((t.i for t in c.subtree if not t.is_punct), default=c.i)
    if edge <= 0 or edge <= root.left_edge.i:
        return False
    prev = c.doc[edge - 1]
    return prev.text in (",", '"', "\u201d", "''", "\u2014", "\u2013", "--") or prev.text.endswith(("\u201d", '"'))


def _content_ids(span: Span, cue: Token, subj: Token | None) -> set[int]:
    """Tokens of the sentence that belong to what is reported (everything but the attribution clause)."""
    frame = {cue.i}
    if subj is not None:
        frame.update(t.i for t in subj.subtree)
    for c in cue.children:
        if c.dep_ in ("aux", "auxpass", "neg", "advmod", "npadvmod", "punct", "prep", "agent", "dative") and (
            c.dep_ != "prep" or c.i > cue.i
        ):
            if c.dep_ in ("prep", "agent", "npadvmod", "dative"):
                frame.update(t.i for t in c.subtree)
            else:
                frame.add(c.i)
    return {t.i for t in span if t.i not in frame and not t.is_punct}


def _according_to(span: Span, offset: int, quotes: list[tuple[int, int]]) -> Attribution | None:
    for t in span:
        if t.lower_ != "according" or t.i + 1 >= span.end or span.doc[t.i + 1].lower_ != "to":
            continue
        if _in_quotes(tok_start(t, offset), quotes):
            continue
        to = span.doc[t.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in t.children if c.dep_ == "pobj"), None)
        att = Attribution(
            cue="according to", cue_start=tok_start(t, offset), cue_end=tok_end(to, offset), cue_token_i=t.i
        )
        if pobj is not None:
            toks = _mention_tokens(pobj)
            if toks:
                _attach(att, toks, pobj, offset)
        frame = {t.i, to.i} | ({x.i for x in pobj.subtree} if pobj is not None else set())
        att.content_token_ids = {x.i for x in span if x.i not in frame and not x.is_punct}
        return att
    return None


# --------------------------------------------------------------------------- speaker resolution


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    name: str  # canonical
    label: str
    subject: bool  # in a subject phrase
    quoted: bool


def clean_name(text: str) -> str:
    name = text.strip().replace("\u2019", "'")
    for suffix in ("'s", "'"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
    words = name.split()
    while words and words[0].lower().rstrip(".") + "." in lx.HONORIFICS | {w + "." for w in lx.HONORIFICS}:
        words.pop(0)
    name = " ".join(words)
    lowered = name.lower()
    for det in _DETERMINERS:
        if lowered.startswith(det):
            name = name[len(det) :]
            break
    return name.strip(" ,;:\"'\u201c\u201d")


class SpeakerResolver:
    """Canonical names within one article: persons by surname, descriptions by role, pronouns by recency."""

    def __init__(self) -> None:
        self.person_forms: dict[str, int] = {}  # cleaned PERSON texts -> count
        self.org_names: list[str] = []
        self.roles: dict[str, list[tuple[str, set[str]]]] = {}  # role noun -> [(raw person, description words)]
        self.mentions: list[Mention] = []
        self._mention_starts: list[int] = []
        self.speakers: list[tuple[int, str, str]] = []  # (offset, canonical speaker, kind) in article order
        self._raw_mentions: list[tuple[int, int, str, str, bool, bool]] = []
        # cleaned PERSON text -> [title or gendered noun says male, ... female, bound pronouns male, ... female]
        self._gender_evidence: dict[str, list[int]] = {}
        self.gender: dict[str, str] = {}  # canonical person -> MALE or FEMALE, only where the article shows it

    # ---- collection (one call per parsed chunk, before any resolution)

    def collect(self, doc_span: Span, offset: int, quotes: list[tuple[int, int]]) -> None:
        doc = doc_span.doc
        for ent in doc_span.ents:
            if ent.label_ == "PERSON":
                name = clean_name(ent.text)
                if name and any(ch.isupper() for ch in name):
                    self.person_forms[name] = self.person_forms.get(name, 0) + 1
                    self._roles_for(ent, doc, name)
                    self._title_gender(ent, name)
                    if not _in_quotes(offset + ent.start_char, quotes):
                        self._bound_pronoun_gender(ent, name, offset, quotes)
            elif ent.label_ == "ORG" and len(ent) >= 2:
                org = clean_name(ent.text)
                if org.split():  # honorifics and determiners alone clean to nothing
                    self.org_names.append(org)
        self._raw_mentions.extend(
            (
                offset + ent.start_char,
                offset + ent.end_char,
                clean_name(ent.text),
                ent.label_,
                _in_subject(ent.root),
                _in_quotes(offset + ent.start_char, quotes),
            )
            for ent in doc_span.ents
            if ent.label_ in _ENTITY_SPEAKER_LABELS
        )

    def _vote(self, name: str, gender: str | None, strong: bool) -> None:
        if gender is None:
            return
        ev = self._gender_evidence.setdefault(name, [0, 0, 0, 0])
        ev[(0 if strong else 2) + (0 if gender == MALE else 1)] += 1

    def _title_gender(self, ent: Span, name: str) -> None:
        """ "Mrs. Clinton", "Sir John Major", "spokeswoman Jane Doe" (the noun inside or right before the name)."""
        d = ent.doc
        words = [d[ent.start - 1].lower_] if ent.start > 0 else []
        if len(ent) > 1:
            words.append(ent[0].lower_)  # the model often takes the title into the name; never "Carole King"
        for w in words:
            self._vote(name, _word_gender(w.rstrip(".")), strong=True)

    def _bound_pronoun_gender(self, ent: Span, name: str, offset: int, quotes: list[tuple[int, int]]) -> None:
        """Pronouns the name binds inside its own clause: "Doe defended her record", "Doe said he would go".

        The name must be the subject; a pronoun counts when no other subject stands between it and the
        name's verb (in "Doe said Roe had praised his work" the "his" may be Roe's) and no other person is
        named between them. Object pronouns do not count: in its own clause the name would be "himself".
        """
        root = ent.root
        if root.dep_ not in ("nsubj", "nsubjpass") or root.head.i == root.i:
            return
        verb = root.head
        d = ent.doc
        found: set[str] = set()
        for t in verb.subtree:
            gender = MALE if t.lower_ in lx.MALE_PRONOUNS else FEMALE if t.lower_ in lx.FEMALE_PRONOUNS else None
            if gender is None or t.tag_ not in ("PRP", "PRP$") or ent.start <= t.i < ent.end:
                continue
            if _in_quotes(offset + t.idx, quotes):
                continue
            if t.tag_ == "PRP" and t.lower_ in ("him", "her"):
                continue  # an object in the name's clause is someone else ("Doe praised him", "spoke of her")
            lo, hi = (ent.end, t.i) if t.i > ent.start else (t.i + 1, ent.start)
            if any(e.label_ == "PERSON" and lo <= e.start < hi for e in d.ents):
                continue
            if _bound_to(t, verb):
                found.add(gender)
        if len(found) == 1:
            self._vote(name, found.pop(), strong=False)

    def _add_role(self, role: str, person: str, words: set[str]) -> None:
        role = role.lower()
        self._vote(person, _word_gender(role), strong=True)
        if not role.isalpha() or role in lx.HONORIFICS or len(role) < 3:
            return
        entries = self.roles.setdefault(role, [])
        for p, w in entries:
            if p == person:
                w.update(words)
                return
        entries.append((person, set(words)))

    def _roles_for(self, ent: Span, doc: object, name: str) -> None:
        d = ent.doc
        # "Russian Foreign Minister Sergei Lavrov", "envoy to NATO Alexander Grushko"
        i = ent.start - 1
        title: list[Token] = []
        while i >= 0 and d[i].tag_ in ("NNP", "NN", "JJ", "NNPS") and d[i].ent_type_ != "PERSON":
            title.insert(0, d[i])
            i -= 1
        words = {t.lower_ for t in title}
        for t in title:
            if t.tag_ in ("NN", "NNP") and not t.ent_type_:
                self._add_role(t.lower_, name, words)
        # the description the name hangs from: "envoy to NATO Alexander Grushko" (name not after a preposition)
        before = d[ent.start - 1] if ent.start > 0 else None
        anc = ent.root.head
        for _ in range(3):
            if anc.i == ent.root.i or anc.i in range(ent.start, ent.end):
                break
            if anc.tag_ in ("NN",) and not anc.ent_type_ and before is not None and before.tag_ != "IN":
                if anc.i < ent.start and not any(t.text == "," for t in d[anc.i : ent.start]):
                    self._add_role(anc.lower_, name, {t.lower_ for t in anc.subtree} - {t.lower_ for t in ent})
                break
            if anc.head.i == anc.i:
                break
            anc = anc.head
        # appositives, in either direction: "X, the envoy," / "the envoy, X,"
        if ent.root.dep_ == "appos" and ent.root.head.tag_ == "NN" and not ent.root.head.ent_type_:
            h = ent.root.head
            self._add_role(h.lower_, name, {t.lower_ for t in h.subtree if t.i < ent.start})
        for c in ent.root.children:
            if c.dep_ == "appos" and c.tag_ == "NN":
                self._add_role(c.lower_, name, {t.lower_ for t in c.subtree})
        # ", Name," right after a description the parser hung elsewhere
        if before is not None and before.text == ",":
            j = ent.start - 2
            seg: list[Token] = []
            while j >= 0 and d[j].text not in (",", ";", ":", '"', "\u201d", "\u201c") and not d[j].is_sent_start:
                seg.insert(0, d[j])
                j -= 1
            if j >= 0 and d[j].is_sent_start and d[j].text not in (",",):
                seg.insert(0, d[j])
            ids = {t.i for t in seg}
            heads = [t for t in seg if t.head.i not in ids and t.tag_ == "NN" and not t.ent_type_]
            if len(heads) == 1 and len(seg) <= 8 and not any(t.tag_ in VERB_TAGS for t in seg):
                self._add_role(heads[0].lower_, name, {t.lower_ for t in seg})

    def finish(self) -> None:
        """Canonicalise the collected mentions; call once after every chunk was collected."""
        self.mentions = []
        for a, b, name, label, subj, quoted in sorted(self._raw_mentions):
            canonical = self.canonical_person(name) if label == "PERSON" else name
            if canonical:
                self.mentions.append(Mention(a, b, canonical, label, subj, quoted))
        self._mention_starts = [m.start for m in self.mentions]
        self._settle_gender()

    def _settle_gender(self) -> None:
        """Gender of each canonical person the article shows it for; conflicting evidence leaves it unknown."""
        canonical = {form: self.canonical_person(form) for form in self.person_forms}
        by_surname: dict[str, set[str]] = {}
        for form, name in canonical.items():
            if len(form.split()) > 1:
                by_surname.setdefault(form.split()[-1].lower(), set()).add(name)
        totals: dict[str, list[int]] = {}
        for form, ev in self._gender_evidence.items():
            if len(form.split()) == 1 and len(by_surname.get(form.lower(), ())) > 1:
                continue  # "Mr. Clinton" where the article names two Clintons
            tot = totals.setdefault(canonical.get(form) or self.canonical_person(form), [0, 0, 0, 0])
            for k in range(4):
                tot[k] += ev[k]
        for name in set(totals) | set(canonical.values()):
            sm, sf, wm, wf = totals.get(name, [0, 0, 0, 0])
            gender: str | None = None
            if sm or sf:
                # One "Mr. Clinton" (the husband, under his wife's canonical name) among a dozen "Mrs.
                # Clinton"s does not undo them; an even split does.
                gender = MALE if sm > 3 * sf else FEMALE if sf > 3 * sm else None
            else:
                bound = MALE if wm > 2 * wf else FEMALE if wf > 2 * wm else None
                words = name.split()
                first = _first_name_gender(words[0]) if len(words) > 1 else None
                gender = None if bound and first and bound != first else bound or first
            if gender:
                self.gender[name] = gender

    def fits(self, name: str, want: str | None) -> bool:
        """Can a pronoun of gender `want` (None: any) refer to the canonical person `name`?"""
        if want is None:
            return True
        low = name.lower()
        if low in lx.MALE_PRONOUNS or low in lx.FEMALE_PRONOUNS:
            return (MALE if low in lx.MALE_PRONOUNS else FEMALE) == want  # an earlier pronoun left unresolved
        return self.gender.get(name, want) == want

    # ---- resolution

    def canonical_person(self, name: str) -> str:
        name = clean_name(name)
        words = name.split()
        if not words:
            return name
        best = name
        best_key = (len(words), self.person_forms.get(name, 0))
        for form, count in self.person_forms.items():
            fw = form.split()
            if len(fw) <= len(words) or fw[-1].lower() != words[-1].lower():
                continue
            if len(words) > 1 and fw[0].lower() != words[0].lower():
                continue
            key = (len(fw), count)
            if key > best_key:
                best, best_key = form, key
        return best

    def is_known_surname(self, name: str) -> bool:
        words = clean_name(name).split()
        return len(words) == 1 and any(
            len(f.split()) > 1 and f.split()[-1].lower() == words[0].lower() for f in self.person_forms
        )

    def resolve_description(self, head: str, text: str) -> str | None:
        entries = self.roles.get(head.lower())
        words = {w.strip(".,'\u2019s").lower() for w in text.split()}
        if entries:
            if len(entries) == 1:
                return self.canonical_person(entries[0][0])
            scored = sorted(((len(words & w), p) for p, w in entries), reverse=True)
            if scored[0][0] > scored[1][0]:
                return self.canonical_person(scored[0][1])
            return None
        orgs = {o for o in self.org_names if o.lower().split()[-1:] == [head.lower()]}
        if len(orgs) == 1:
            return orgs.pop()
        return None

    def last_mention(self, before: int, labels: tuple[str, ...], gender: str | None = None) -> Mention | None:
        """The most recent mention with one of `labels` before offset `before`, outside quotations.

        With `gender`, a person the article shows to be of the other gender is passed over.
        """
        i = bisect.bisect_left(self._mention_starts, before) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.label in labels and not m.quoted and (m.label != "PERSON" or self.fits(m.name, gender)):
                return m
            i -= 1
        return None

    def resolve(self, att: Attribution, window_start: int) -> None:
        """Fill `att.speaker`. `window_start`: offset from which a subject is preferred over recency."""
        head = (att.speaker_head or "").lower()
        text = att.speaker_text or ""
        pos = att.speaker_start if att.speaker_start is not None else att.cue_start
        if att.speaker_text is None:
            att.speaker = None
            return
        if att.speaker_head_tag == "PRP" or head in lx.PRONOUNS_SELF | lx.PRONOUNS_PERSON | lx.PRONOUNS_GROUP:
            if head in lx.PRONOUNS_SELF:
                att.speaker = None  # the writer's own voice
                return
            if head in lx.PRONOUNS_PERSON:
                want = MALE if head in lx.MALE_PRONOUNS else FEMALE if head in lx.FEMALE_PRONOUNS else None
                m = self._last_speaker(pos, ("person",), window_start, want) or self.last_mention(
                    pos, ("PERSON",), want
                )
            elif head in lx.PRONOUNS_GROUP:
                m = self._last_speaker(pos, ("group", "org"), window_start) or self.last_mention(
                    pos, ("ORG", "NORP", "GPE")
                )
            else:
                m = self._last_speaker(pos, ("org",), window_start) or self.last_mention(pos, ("ORG", "GPE"))
            att.speaker = m.name if isinstance(m, Mention) else (m if isinstance(m, str) else text)
            return
        if att.speaker_entity and att.speaker_label:
            if att.speaker_label == "PERSON" or self.is_known_surname(att.speaker_entity):
                # the small model tags a bare surname as an organisation now and then ("Lavrov said")
                att.speaker = self.canonical_person(att.speaker_entity)
            else:
                att.speaker = clean_name(att.speaker_entity)
            return
        # "a longtime adviser to Trump" is someone the article does not name; "the adviser" may be named
        indefinite = text.lower().startswith(("a ", "an ", "one ", "another "))
        if (att.speaker_head_tag in ("NN",) or head in self.roles) and not indefinite:
            found = self.resolve_description(head, text)
            if found:
                att.speaker = found
                return
        if self.is_known_surname(text):
            att.speaker = self.canonical_person(text)  # a surname the model did not tag: "Doe said"
            return
        att.speaker = clean_name(text) or text

    def _last_speaker(
        self, before: int, kinds: tuple[str, ...], window_start: int, gender: str | None = None
    ) -> str | None:
        for off, name, kind in reversed(self.speakers):
            if off >= before:
                continue
            if off < window_start:
                return None
            if kind in kinds and (kind != "person" or self.fits(name, gender)):
                return name
        return None

    def note_speaker(self, att: Attribution) -> None:
        if att.speaker is None:
            return
        if att.speaker_label == "PERSON" or att.speaker in self.person_forms:
            kind = "person"
        elif att.speaker_label in ("ORG", "GPE", "NORP"):
            kind = "org"
        elif att.speaker_head_tag in ("NNS", "NNPS"):
            kind = "group"
        elif att.speaker_head in lx.PRONOUNS_PERSON:
            kind = "person"
        else:
            kind = "other"
        self.speakers.append((att.cue_start, att.speaker, kind))


MALE = "male"
FEMALE = "female"


def _word_gender(word: str) -> str | None:
    """Gender a title or noun before or inside a name gives: "mrs" -> FEMALE, "spokesman" -> MALE."""
    if word in lx.MALE_TITLES or word in lx.MALE_NOUNS:
        return MALE
    if word in lx.FEMALE_TITLES or word in lx.FEMALE_NOUNS:
        return FEMALE
    return None


def _first_name_gender(word: str) -> str | None:
    low = word.lower()
    if low in lx.MALE_FIRST_NAMES:
        return MALE
    if low in lx.FEMALE_FIRST_NAMES:
        return FEMALE
    return None


def _bound_to(pron: Token, verb: Token) -> bool:
    """Does `pron` sit in `verb`'s clause, with no other subject between them?"""
    t = pron
    for _ in range(12):
        if t.i == verb.i:
            return True
        if t.i != pron.i and any(
            c.dep_ in (*SUBJECT_DEPS, "expl") and not (c.left_edge.i <= pron.i <= c.right_edge.i) for c in t.children
        ):
            return False
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _in_subject(tok: Token) -> bool:
    t = tok
    for _ in range(6):
        if t.dep_ in SUBJECT_DEPS:
            return True
        if t.head.i == t.i or t.dep_ in ("ccomp", "relcl", "advcl", "pobj", "dobj"):
            return False
        t = t.head
    return False
