"""Flags: why a claim looks unsupported, with the words that triggered each one.

Precision comes first (a fact-checker stops using a tool that cries wolf), so every rule checks the
syntax around its trigger word:

- evidence_absent: an evidence noun under "no"/"little"/"without"/"lack of" or under a negated verb
  ("have not been supported by any evidence"), a soft noun only when qualified ("no credible materials
  confirming"), "unsubstantiated"-type adjectives, or a negated verify verb ("could not be verified").
  "The evidence is clear" has no negation and is not flagged.
- denial: deny/reject/dismiss/refute/... asserted (not negated, not under a modal, not under "refused
  to"), in the contradict sense: "could deny them permits" (modal, and a recipient) and "was denied
  bail" (refuse sense) are not denials; reject/dismiss need a claim-like object. Also "called the
  reports false", "is not true", and the noun "denial".
- hedged: hearsay and doubt adverbs (reportedly, allegedly, apparently ...), "alleged X", epistemic
  may/might, "is said/believed to", "seems/appears to", memory qualifiers ("as far as I remember"),
  first-person "I think", and "what he described as".
- unnamed_source: a source phrase headed by officials/sources/experts/a spokesman ... with no name,
  for the sentence's own source or one reported inside it.
- secondhand: inside what a speaker says, another party says, admits or knows something.
- unattributed: a sentence in the article's own voice (no cue, not quoted) that asserts an absence of
  evidence, calls something false, or uses a judgement word (baseless, so-called, clearly ...).
- disputed: set by the engine across sentences (see `engine._disputes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import lexicon as lx
from .attribution import Attribution, SpeakerResolver, _mention_tokens, is_passive, is_verb, tok_end, tok_start

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

EXPLANATIONS = {
    "evidence_absent": "The sentence says there is no evidence, proof or confirmation for something.",
    "denial": "A party denies or rejects a claim.",
    "hedged": "The assertion is qualified (hearsay, doubt or memory), so it is not stated as fact.",
    "unnamed_source": "The source is not named.",
    "secondhand": "The speaker reports what someone else said or knows.",
    "unattributed": "A contestable judgement in the article's own voice, with no source.",
    "disputed": "Another sentence of this article denies or contradicts this claim.",
}


@dataclass(slots=True)
class Hit:
    code: str
    start: int
    end: int
    # For denials: what is denied, to match it against other claims.
    target_i: int = -1
    denier_i: int = -1


def _hit(code: str, first: Token, last: Token, offset: int) -> Hit:
    if last.i < first.i:
        first, last = last, first
    return Hit(code, tok_start(first, offset), tok_end(last, offset))


def _governor(tok: Token) -> Token:
    """The verb whose negation or modality decides whether `tok` is asserted.

    A conjoined verb shares its head's negation ("did not confirm or deny") unless it has a subject of
    its own ("... were not supported, and the government denied ...").
    """
    g = tok
    while g.dep_ == "conj" and g.head.i != g.i and is_verb(g.head):
        if any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in g.children):
            break
        g = g.head
    return g


def _verb_negated(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
            return c
    return None


def _clause_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(6):
        if is_verb(t) or t.tag_ == "MD":
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _soft_qualified(tok: Token) -> bool:
    for c in tok.children:
        if c.dep_ == "amod" and c.lower_ in lx.EVIDENCE_QUALIFIERS:
            return True
        if c.dep_ in ("acl", "relcl") and lx.EVIDENCE_VERB_LEMMA.get(c.lower_):
            return True
        # "no sign that it has cut emissions": a content clause makes the noun mean evidence for a claim;
        # "no sign of backing down" (behaviour) has none
        if (
            c.dep_ in ("acl", "ccomp")
            and tok.lower_ in lx.EVIDENCE_CLAUSE_NOUNS
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            and not _shown_by_someone(tok)
        ):
            return True
    return False


def _shown_by_someone(noun: Token) -> bool:
    """ "Sanders showed no sign that he would apologize": a person's behaviour, not evidence for a claim."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.lower_ not in lx.SHOW_FORMS:
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subj is not None and (subj.tag_ == "PRP" or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"))


def _negative_implicative(verb: Token) -> Token | None:
    """ "failed to produce evidence", "refused to provide proof": the governor that negates `verb`."""
    if verb.dep_ == "xcomp" and verb.head.lower_ in lx.NEGATIVE_IMPLICATIVES and _verb_negated(verb.head) is None:
        return verb.head
    return None


def evidence_absent(span: Span, offset: int) -> list[Hit]:
    hits: list[Hit] = []
    doc = span.doc
    for tok in span:
        low = tok.lower_
        if low in lx.EVIDENCE_ABSENT_ADJECTIVES and tok.tag_ in ("JJ", "VBN"):
            hits.append(_hit("evidence_absent", tok, tok, offset))
            continue
        if low in lx.UNSUPPORTED_WORDS and tok.tag_ in ("JJ", "VBN"):
            # "the allegations are unsupported by evidence": the agent names what is missing
            by = next((c for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"), None)
            pobj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            if pobj is not None and pobj.lower_ in lx.EVIDENCE_NOUNS | lx.EVIDENCE_SOFT_NOUNS:
                hits.append(_hit("evidence_absent", tok, pobj, offset))
                continue
        if lx.VERIFY_LEMMA.get(low) and is_verb(tok):
            neg = _verb_negated(_governor(tok))
            if neg is not None and not any(c.dep_ in ("dobj",) and c.lower_ in ("that", "it") for c in tok.children):
                hits.append(_hit("evidence_absent", neg, tok, offset))
            continue
        is_evidence = low in lx.EVIDENCE_NOUNS or (low in lx.EVIDENCE_SOFT_NOUNS and _soft_qualified(tok))
        if not is_evidence or tok.tag_ not in ("NN", "NNS"):
            continue
        # "no (credible) evidence", "little evidence"
        det = next(
            (c for c in tok.children if c.dep_ in ("det", "amod", "neg") and c.lower_ in lx.SCARCITY_DETERMINERS),
            None,
        )
        if det is not None:
            hits.append(_hit("evidence_absent", det, tok, offset))
            continue
        # "without evidence", "lack of evidence", "absence of proof", "lacking evidence"
        h = tok.head
        if (
            h.lower_ in ("without",)
            or (h.lower_ == "of" and h.head.lower_ in lx.LACK_WORDS)
            or (h.lower_ in lx.LACK_WORDS and tok.dep_ in ("dobj", "pobj"))
        ):
            first = h.head if h.lower_ == "of" else h
            hits.append(_hit("evidence_absent", first, tok, offset))
            continue
        # "without offering proof": the gerund under "without" takes the evidence as its object
        if tok.dep_ == "dobj" and h.tag_ == "VBG" and h.dep_ == "pcomp" and h.head.lower_ == "without":
            hits.append(_hit("evidence_absent", h.head, tok, offset))
            continue
        # "failed to produce any evidence", "refused to provide proof"
        if tok.dep_ == "dobj" and is_verb(h):
            gov = _negative_implicative(_governor(h))
            definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
            if gov is not None and not definite:
                hits.append(_hit("evidence_absent", gov, tok, offset))
                continue
        # "have not been supported by any evidence", "did not provide evidence", "there isn't any proof"
        has_def = any(c.dep_ in ("det", "poss") and c.lower_ not in ("any",) for c in tok.children)
        if has_def:
            continue
        verb = _clause_verb(tok.head if tok.dep_ == "pobj" else tok)
        if verb is None:
            continue
        neg = _verb_negated(_governor(verb))
        if neg is not None and neg.i < tok.i:
            hits.append(_hit("evidence_absent", neg, tok, offset))
    del doc
    return hits


def _denial_sense(tok: Token, lemma: str) -> bool:  # noqa: PLR0911 (a rule cascade reads best as early returns)
    if lemma == "deny":
        if any(c.dep_ == "dative" for c in tok.children):
            return False
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if len(objs) > 1 or any(o.lower_ in lx.REFUSAL_OBJECTS for o in objs):
            return False
        # "denied the claims / any role / wrongdoing / it": what is denied is a claim; "denied Garland a
        # hearing", "denied class-action status" are refusals. "denied his opposition": a party's own
        # stance or act, named through its possessor, is a claim about them.
        if objs and not (
            objs[0].lower_ in lx.CLAIM_NOUNS or objs[0].tag_ == "VBG" or any(c.dep_ == "poss" for c in objs[0].children)
        ):
            return False
        if is_passive(tok):
            subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            # "he was denied bail": refuse sense
            return subj is not None and subj.lower_ in lx.CLAIM_NOUNS and subj.tag_ != "PRP"
        return True
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if is_passive(tok):
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        return subj is not None and subj.lower_ in lx.CLAIM_NOUNS and subj.tag_ != "PRP"
    if lemma == "contradict":
        # "Trump contradicted him / her account"; not "contradicted himself" or "each other"
        return (
            bool(objs)
            and not any(
                o.lower_ in lx.REFLEXIVES or o.lower_ == "other" or o.tag_ not in ("PRP", "NN", "NNS", "NNP", "NNPS")
                for o in objs
            )
            and all(
                o.tag_ == "PRP"
                or o.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                or o.lower_ in lx.CLAIM_NOUNS
                or any(c.dep_ == "poss" for c in o.children)
                for o in objs
            )
        )
    if lemma in ("refute", "rebut", "dispute"):
        return bool(objs) or any(c.dep_ == "ccomp" for c in tok.children)
    if any(c.dep_ == "ccomp" for c in tok.children) and lemma in ("dispute", "contest"):
        return True
    # "dismissed them as part of the cartel" is name-calling; "dismissed the reports" rejects a claim
    return any(o.lower_ in lx.CLAIM_NOUNS and o.tag_ != "PRP" for o in objs)


def denial(span: Span, offset: int) -> list[Hit]:
    hits: list[Hit] = []
    doc = span.doc
    for tok in span:
        low = tok.lower_
        lemma = lx.DENIAL_LEMMA.get(low) if is_verb(tok) and tok.dep_ not in ("amod", "compound") else None
        if lemma and tok.i > span.start and doc[tok.i - 1].lower_ in ("no", "without"):
            lemma = None  # "there's no denying", "without disputing"
        if lemma:
            gov = _governor(tok)
            if _verb_negated(tok) is not None or _verb_negated(gov) is not None:
                continue
            if any(c.dep_ == "aux" and c.tag_ == "MD" for c in list(tok.children) + list(gov.children)):
                continue
            if gov.dep_ in ("xcomp", "ccomp") and gov.head.lower_ in lx.NON_FACTIVE_GOVERNORS:
                continue
            if gov.dep_ == "xcomp" and _verb_negated(gov.head) is not None:
                continue
            if any(doc[j].lower_ in ("neither", "nor") for j in range(max(span.start, tok.i - 4), tok.i)):
                continue
            if tok.tag_ == "VBG" and tok.dep_ in ("pcomp", "pobj") and tok.head.lower_ in ("of", "about"):
                continue  # "accused of denying", "talk about rejecting": not asserted here
            if not _denial_sense(tok, lemma):
                continue
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "ccomp")), None)
            if obj is not None and obj.dep_ == "ccomp":
                # "denied the claims saying that ...": the parser makes the object the subject of "saying"
                inner = next((c for c in obj.children if c.dep_ == "nsubj"), None)
                if inner is not None and inner.lower_ in lx.CLAIM_NOUNS and inner.tag_.startswith("NN"):
                    obj = inner
            last = obj if obj is not None and obj.i > tok.i and obj.dep_ != "ccomp" else tok
            h = _hit("denial", tok, last, offset)
            h.target_i = obj.i if obj is not None else -1
            subj = next((c for c in gov.children if c.dep_ in ("nsubj",)), None)
            if subj is None:
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            h.denier_i = subj.i if subj is not None else -1
            hits.append(h)
            continue
        if low in ("denial", "denials") and tok.tag_ in ("NN", "NNS"):
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            # "vaccine denial", "climate denial" name a stance, not a party denying a claim
            stance = any(c.dep_ in ("compound", "amod") and c.tag_.startswith("NN") for c in tok.children)
            # "in denial", "a journey from denial to acceptance": a state of mind, not a party denying
            stance = stance or (tok.dep_ == "pobj" and tok.head.lower_ in ("in", "from", "into", "out", "of"))
            if (nxt is None or nxt.lower_ != "of") and not stance:
                hits.append(_hit("denial", tok, tok, offset))
            elif nxt is not None and nxt.lower_ == "of" and not stance:
                # "denials of wrongdoing" (a claim); "denial of service / access" is the refuse sense
                pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.lower_ in lx.CLAIM_NOUNS and pobj.tag_.startswith("NN"):
                    hits.append(_hit("denial", tok, pobj, offset))
            continue
        if low in lx.PUSH_FORMS and is_verb(tok) and _verb_negated(tok) is None:
            # "pushed back against the accusations", "pushed back on the notion that"
            if any(c.dep_ in ("advmod", "prt") and c.lower_ == "back" for c in tok.children):
                for c in tok.children:
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" else None
                    if (
                        c.lower_ in ("against", "on")
                        and pobj is not None
                        and pobj.lower_ in lx.CLAIM_NOUNS
                        and pobj.tag_.startswith("NN")
                    ):
                        h = _hit("denial", tok, pobj, offset)
                        h.target_i = pobj.i
                        hits.append(h)
                        break
            continue
        # "called the reports false / a fabrication"
        if is_verb(tok) and low in (
            "called",
            "calling",
            "calls",
            "call",
            "branded",
            "dismissed",
            "labeled",
            "labelled",
        ):
            for c in tok.children:
                words = {c.lower_} | {g.lower_ for g in c.children if g.dep_ in ("amod", "compound")}
                if c.dep_ in ("oprd", "acomp", "ccomp", "xcomp") and words & lx.FALSITY_WORDS:
                    if _verb_negated(tok) is None:
                        h = _hit("denial", tok, c, offset)
                        obj = next((o for o in tok.children if o.dep_ == "dobj"), None)
                        h.target_i = obj.i if obj is not None else -1
                        hits.append(h)
                    break
            continue
        # "That is not true", "the claims are false"
        if tok.dep_ == "acomp" and tok.head.lower_.replace("\u2019", "'") in (
            "is",
            "was",
            "are",
            "were",
            "be",
            "'s",
            "been",
            "'re",
        ):
            cop = tok.head
            subj = next((c for c in cop.children if c.dep_ == "nsubj"), None)
            about_claim = subj is not None and (subj.lower_ in lx.CLAIM_NOUNS or subj.lower_ in ("that", "this", "it"))
            neg = _verb_negated(cop)
            if low == "true" and neg is not None and about_claim:
                h = _hit("denial", neg, tok, offset)
                h.target_i = subj.i if subj is not None else -1
                hits.append(h)
            elif (
                (low in lx.FALSITY_WORDS or low in lx.UNSUPPORTED_WORDS)
                and neg is None
                and about_claim
                and subj is not None
                and subj.lower_ != "it"
            ):
                h = _hit("denial", tok, tok, offset)
                h.target_i = subj.i
                hits.append(h)
    return hits


def _hearsay(tok: Token) -> bool:
    """ "I heard that ...", "we have heard the plant will close": a pronoun hears a clause, asserted."""
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.tag_ != "PRP" or _verb_negated(tok) is not None:
        return False
    if any(c.dep_ == "aux" and c.tag_ in ("MD", "TO") for c in tok.children):
        return False
    return any(c.dep_ == "ccomp" and c.i > tok.i and (is_verb(c) or c.tag_ == "MD") for c in tok.children)


def hedged(span: Span, offset: int) -> list[Hit]:
    hits: list[Hit] = []
    doc = span.doc
    for tok in span:
        low = tok.lower_
        if (low in lx.HEDGE_ADVERBS and tok.tag_ in ("RB", "JJ")) or (
            low in lx.HEDGE_ADJECTIVES and tok.dep_ == "amod"
        ):
            hits.append(_hit("hedged", tok, tok, offset))
        elif low in lx.HEDGE_MODALS and tok.tag_ == "MD":
            # epistemic "may have been", "might be"; not "might have to" (obligation, threats) or "may go"
            nxt = [doc[j] for j in range(tok.i + 1, min(len(doc), tok.i + 4)) if doc[j].dep_ != "neg"]
            if len(nxt) >= 2 and nxt[0].lower_ == "have" and nxt[1].tag_ == "VBN":
                hits.append(_hit("hedged", tok, nxt[1], offset))
            elif nxt and nxt[0].lower_ == "be" and not (len(nxt) > 1 and nxt[1].lower_ == "able"):
                hits.append(_hit("hedged", tok, nxt[0], offset))
        elif low in lx.HEARSAY_PASSIVES and is_passive(tok) and any(c.dep_ == "xcomp" for c in tok.children):
            aux = next((c for c in tok.children if c.dep_ == "auxpass"), tok)
            hits.append(_hit("hedged", aux, tok, offset))
        elif low == "likely" and tok.tag_ == "RB" and tok.dep_ == "advmod" and is_verb(tok.head):
            # adverbial "it very likely had been breached" (not "is likely to", a prediction)
            hits.append(_hit("hedged", tok, tok, offset))
        elif (
            low in lx.LOOK_FORMS
            and is_verb(tok)
            and any(c.lower_ == "like" and c.dep_ == "prep" for c in tok.children)
            and any(c.dep_ == "nsubj" and c.lower_ == "what" for c in tok.children)
        ):
            hits.append(_hit("hedged", doc[tok.i - 1], tok, offset))  # "what looked like an attack"
        elif low in lx.HEAR_FORMS and is_verb(tok) and _hearsay(tok):
            hearer = next(c for c in tok.children if c.dep_ == "nsubj")
            hits.append(_hit("hedged", hearer, tok, offset))  # "I just heard that ...": hearsay
        elif low in lx.SEEM_VERBS and any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
            # "appears to", "it seems that"; "appeared on television" has no complement
            hits.append(_hit("hedged", tok, tok, offset))
        elif low == "far" and tok.i >= 1 and doc[tok.i - 1].lower_ == "as" and tok.i + 3 < len(doc):
            # "as far as I remember / know / can tell"
            window = doc[tok.i + 1 : min(len(doc), tok.i + 5)]
            if window[0].lower_ == "as" and any(w.lower_ in lx.MEMORY_VERBS | {"tell", "see"} for w in window):
                end = next(w for w in window if w.lower_ in lx.MEMORY_VERBS | {"tell", "see"})
                hits.append(_hit("hedged", doc[tok.i - 1], end, offset))
        elif low in ("remember", "recall") and tok.i >= 2 and doc[tok.i - 2].lower_ == "if":
            hits.append(_hit("hedged", doc[tok.i - 2], tok, offset))  # "if I remember correctly"
        elif (
            low == "knowledge"
            and tok.i >= 2
            and doc[tok.i - 1].lower_ in ("my", "our")
            and any(doc[j].lower_ == "to" for j in range(max(0, tok.i - 5), tok.i))
        ):
            hits.append(_hit("hedged", tok, tok, offset))  # "to my knowledge", "to the best of my knowledge"
        elif low in lx.FIRST_PERSON_EPISTEMIC and is_verb(tok) and tok.tag_ in ("VBP", "VB"):
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if (
                subj is not None
                and subj.lower_ in ("i", "we")
                and any(c.dep_ == "ccomp" for c in tok.children)
                and _verb_negated(tok) is None
            ):
                hits.append(_hit("hedged", subj, tok, offset))
        elif low in lx.DESCRIBED_AS and is_verb(tok):
            # "what he described as", "what Moscow called"
            for j in range(max(span.start, tok.i - 4), tok.i):
                if doc[j].lower_ == "what" and not any(doc[k].is_punct for k in range(j, tok.i)):
                    hits.append(_hit("hedged", doc[j], tok, offset))
                    break
    return hits


def _agentive_plural(tok: Token, resolver: SpeakerResolver | None = None) -> bool:
    """A plural common noun for people by what they do: "researchers", "strategists", "historians".

    Capitalised only at the start of a sentence ("Sanders" is a name the tagger may read as a plural).
    """
    low = tok.lower_
    return (
        tok.tag_ == "NNS"
        and not tok.ent_type_
        and (tok.text[:1].islower() or (tok.i == tok.sent.start and tok.text[1:].islower()))
        and not any(t.lower_ == low and t.i != tok.i and t.text[:1].isupper() for t in tok.sent)
        and not (resolver is not None and tok.text[:1].isupper() and resolver.is_known_surname(tok.text))
        and low.endswith(lx.AGENTIVE_PLURAL_SUFFIXES)
        and low not in lx.NON_PERSON_PLURALS
        and low not in lx.CLAIM_NOUNS
    )


def _source_words(subj: Token) -> set[int]:
    """Token ids that name the source: the phrase without relative clauses ("a source who named Sullivan")."""
    return {t.i for t in _mention_tokens(subj)}


def _anonymity(subj: Token) -> bool:
    """ "who spoke on condition of anonymity", "who declined to be identified": the source withheld its name."""
    for t in subj.subtree:
        if t.lower_ in ("anonymity", "anonymously"):
            return True
        if t.lower_ in lx.NAME_VERBS and is_passive(t) and t.dep_ == "xcomp":
            gov = t.head
            if gov.lower_ in lx.NEGATIVE_IMPLICATIVES or _verb_negated(gov) is not None:
                return True  # "declined to be identified", "did not want to be named"
    return False


def _unnamed_one(subj: Token, resolver: SpeakerResolver) -> bool:
    low = subj.lower_
    if low not in lx.UNNAMED_SOURCE_NOUNS and not _agentive_plural(subj, resolver):
        return False
    ids = _source_words(subj)
    # "strategists for Obama": a name inside a prepositional modifier is not the source's name
    for c in subj.children:
        if c.dep_ == "prep" and c.i > subj.i:
            ids -= {t.i for t in c.subtree}
    doc = subj.doc
    if any(e.label_ == "PERSON" and e.start in ids for e in doc.ents) and not _anonymity(subj):
        return False
    if any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in subj.children) and any(
        c.dep_ == "nummod" for c in subj.children
    ):
        return False  # "the two voters": people the article has already introduced
    if low in ("some", "many", "others") and subj.tag_ not in ("DT", "NNS", "JJ"):
        return False
    if _anonymity(subj):
        return True
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in subj.children)
    # "the spokesman" may be the one the article names elsewhere
    return not (
        low not in lx.PLURAL_ANONYMOUS
        and not _agentive_plural(subj, resolver)
        and definite
        and resolver.resolve_description(low, " ".join(t.text for t in _mention_tokens(subj)))
    )


def _unnamed(subj: Token, resolver: SpeakerResolver) -> bool:
    """Is the source phrase headed by `subj`, or one of its conjuncts ("she and her defenders"), unnamed?"""
    if _unnamed_one(subj, resolver):
        return True
    return any(c.dep_ == "conj" and c.tag_ in ("NN", "NNS") and _unnamed_one(c, resolver) for c in subj.children)


def _subject_tokens(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    return None


def _phrase_end(subj: Token) -> Token:
    last = subj
    for t in subj.subtree:
        if t.dep_ in ("relcl", "acl") and t.head.i == subj.i:
            break
        if not t.is_punct:
            last = t
    return last


def inner_sources(span: Span, att: Attribution | None, asides: bool = False) -> list[tuple[Token, Token]]:
    """(subject, cue) pairs of speech or thought reported inside the sentence, other than its own cue.

    Only asserted reports with something reported: not negated, not under a modal or "to" ("could say",
    "for him to say"), and with a clause (or for admit/deny/confirm an object) as what is said. Asides
    ("as they say", "as many researchers believe, but Moscow denies", "while another says") are left out
    unless `asides`: they name a source but do not nest one report in another. A relative pronoun
    subject stands for its antecedent ("a booker who said ...").
    """
    pairs: list[tuple[Token, Token]] = []
    for tok in span:
        if att is not None and tok.i == att.cue_token_i:
            continue
        if not is_verb(tok) or tok.dep_ == "amod":
            continue
        speech = lx.CUE_LEMMA.get(tok.lower_)
        if not (speech or lx.COGNITION_LEMMA.get(tok.lower_)) or speech == "continue":
            continue
        if _verb_negated(tok) is not None or any(c.dep_ == "aux" and c.tag_ in ("MD", "TO") for c in tok.children):
            continue
        aside = _is_aside(_first_conjunct(tok))
        if aside and not asides:
            continue
        as_aside = aside and any(c.dep_ == "mark" and c.lower_ == "as" for c in _first_conjunct(tok).children)
        has_content = any(c.dep_ == "ccomp" for c in tok.children) or (
            speech != "continue" and any(c.dep_ == "xcomp" for c in tok.children)
        )
        has_content = has_content or (
            speech in ("admit", "deny", "confirm", "accuse", "acknowledge")
            and any(c.dep_ == "dobj" for c in tok.children)
            and (speech != "deny" or _denial_sense(tok, "deny"))  # "denied Americans a voice": refusal
        )
        if not has_content and not as_aside:
            continue  # "as many researchers believe": the content is the clause the aside comments on
        subj = _subject_tokens(tok)
        if subj is not None and subj.lower_ in ("who", "that") and tok.dep_ == "relcl" and _person_like(tok.head):
            subj = tok.head
        if subj is None or subj.lower_ in lx.CLAIM_NOUNS or subj.lower_ in ("you", "one", "i", "we", "me", "us"):
            continue
        pairs.append((subj, tok))
    return pairs


def _first_conjunct(verb: Token) -> Token:
    t = verb
    for _ in range(6):
        if t.dep_ != "conj" or t.head.i == t.i:
            break
        t = t.head
    return t


def _person_like(tok: Token) -> bool:
    """Could this noun be a person who speaks ("a booker who said", "people who say")?"""
    low = tok.lower_
    if tok.ent_type_ in ("PERSON", "ORG", "NORP"):
        return True
    if tok.tag_ not in ("NN", "NNS") or low in lx.NON_PERSON_PLURALS or low in lx.CLAIM_NOUNS:
        return False
    return low in lx.UNNAMED_SOURCE_NOUNS or (low.endswith(lx.AGENTIVE_SUFFIXES) and low not in lx.NON_PERSON_SINGULARS)


def _is_aside(verb: Token) -> bool:
    return any(
        c.dep_ == "mark" and c.lower_ in ("as", "if", "while", "whereas", "although", "though") for c in verb.children
    )


def unnamed_source(span: Span, offset: int, att: Attribution | None, resolver: SpeakerResolver) -> list[Hit]:
    hits: list[Hit] = []
    doc = span.doc
    if att is not None and not att.inherited and att.subject_i >= 0:
        subj = doc[att.subject_i]
        if _anonymity(subj) or (
            _unnamed(subj, resolver)
            and (
                att.speaker is None
                or att.speaker == _plain(att.speaker_text)
                or subj.lower_ in lx.PLURAL_ANONYMOUS
                or _agentive_plural(subj, resolver)
            )
        ):
            hits.append(Hit("unnamed_source", att.speaker_start or 0, att.speaker_end or 0))
    for subj, _cue in inner_sources(span, att, asides=True):
        if att is not None and subj.i == att.subject_i:
            continue
        if _unnamed(subj, resolver):
            first = subj.left_edge if subj.left_edge.i >= span.start else subj
            hits.append(_hit("unnamed_source", first, _phrase_end(subj), offset))
    for tok in span:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            if att is not None and att.cue == "according to" and tok.i == att.cue_token_i and hits:
                continue
            pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if (
                pobj is not None
                and _unnamed(pobj, resolver)
                and not any(h.start <= tok_start(pobj, offset) < h.end for h in hits)
            ):
                hits.append(_hit("unnamed_source", pobj.left_edge, _phrase_end(pobj), offset))
    return hits


def _plain(text: str | None) -> str | None:
    from .attribution import clean_name

    return clean_name(text) if text else text


def _dominates(ancestor_i: int, tok: Token) -> bool:
    t = tok
    for _ in range(60):
        if t.i == ancestor_i:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


_CLAUSE_BREAKS = {"\u2014", "\u2013", "--", ";"}


def _in_reported_content(cue: Token, att: Attribution, span: Span) -> bool:
    """Is `cue` inside what the sentence's own source says (not a clause coordinated with it)?"""
    if att.inherited or att.cue_token_i < 0:
        return True  # the whole sentence is quoted speech
    main = span.doc[att.cue_token_i]
    if _dominates(main.i, cue):
        # below the main cue: only through its content, not through its subject or a conjoined verb
        t = cue
        while t.head.i != main.i:
            t = t.head
        if t.i < main.i and any(c.dep_ == "ccomp" and c.i > main.i for c in main.children):
            return False  # a cue has one content clause: "X told Y that ... -- Z also pointed out that ..."
        doc = span.doc
        if t.dep_ == "ccomp" and any(
            c.dep_ == "ccomp" and main.i < c.i < t.i and any(d.text in _CLAUSE_BREAKS for d in doc[c.i : t.i])
            for c in main.children
        ):
            return False  # "X told Y that ... -- the singer also pointed out ...": a second report, after a break
        return t.dep_ in ("ccomp", "xcomp", "parataxis", "dobj", "advcl") and t.i != att.subject_i
    # a post-posed frame ("A admit B, X said"): the content is the clause it hangs from; a conjoined
    # cue ("X told HuffPost ... and the actress also pointed out ...") is a second report, not a frame
    top = main.head
    return top.i != main.i and main.dep_ != "conj" and _dominates(top.i, cue)


def secondhand(
    span: Span, offset: int, att: Attribution | None, resolver: SpeakerResolver, window_start: int
) -> list[Hit]:
    if att is None or (att.speaker is None and att.speaker_text is None):
        return []
    hits: list[Hit] = []
    doc = span.doc
    for subj, cue in inner_sources(span, att):
        if not _in_reported_content(cue, att, span):
            continue
        if subj.i == att.subject_i or subj.lower_ in lx.PRONOUNS_RELATIVE:
            continue
        if cue.dep_ == "conj" and cue.head.i == att.cue_token_i:
            continue  # "said ... and added": the same speaker
        if cue.dep_ == "relcl" and cue.head.lower_ in lx.CLAIM_NOUNS:
            continue  # "complained it was rigged, a charge that party leaders denied": a comment, not nested
        if (
            subj.tag_ == "PRP"
            and subj.lower_ in lx.PRONOUNS_GROUP
            and lx.CUE_LEMMA.get(cue.lower_)
            and _single_person(att)
        ):
            pass  # "'They said it's negotiable,' Hannity said": a group, not the one speaker
        elif subj.tag_ == "PRP":
            if not att.inherited:
                # "X said he believes ...": in reported speech the pronoun is the speaker unless another
                # name comes between them.
                lo = att.speaker_end if att.speaker_end is not None else att.cue_end
                between = [e for e in doc.ents if lo <= offset + e.start_char < tok_start(subj, offset)]
                if not any(e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in between):
                    continue
            probe = Attribution(cue="", cue_start=tok_start(cue, offset), cue_end=tok_end(cue, offset))
            probe.speaker_start = tok_start(subj, offset)
            probe.speaker_text = subj.text
            probe.speaker_head = subj.lower_
            probe.speaker_head_tag = "PRP"
            resolver.resolve(probe, window_start)
            if probe.speaker is None or probe.speaker in (att.speaker, subj.text):
                continue
        else:
            ids = {t.i for t in subj.subtree}
            names = {e.text for e in doc.ents if e.start in ids}
            if att.speaker and any(att.speaker in n or n in att.speaker for n in names):
                continue
            if (
                subj.tag_ == "NN"
                and att.speaker
                and resolver.resolve_description(subj.lower_, subj.text) == att.speaker
            ):
                continue  # "Ferrera told HuffPost ... the actress also pointed out"
        first = subj.left_edge if subj.left_edge.i >= span.start else subj
        hits.append(_hit("secondhand", first, cue, offset))
    for tok in span:
        if tok.lower_ != "according" or tok.i == att.cue_token_i or tok.i + 1 >= len(doc):
            continue
        if doc[tok.i + 1].lower_ != "to":
            continue
        if _in_reported_content(tok, att, span):
            hits.append(_hit("secondhand", tok, doc[tok.i + 1], offset))
        elif att.cue != "according to" and att.cue_token_i >= 0 and not att.inherited:
            # "he told advisers ..., according to a former aide": the aide reports the speaker's words
            main = doc[att.cue_token_i]
            pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            names = {e.text for e in doc.ents if pobj is not None and e.start in {t.i for t in pobj.subtree}}
            same = att.speaker is not None and any(att.speaker in n or n in att.speaker for n in names)
            if pobj is not None and not same and (tok.head.i == main.i or _dominates(tok.head.i, main)):
                hits.append(_hit("secondhand", tok, doc[tok.i + 1], offset))
    for tok in span:
        # "'I just heard that the tour is moving,' Trump said": what the speaker heard from others
        if tok.lower_ in lx.HEAR_FORMS and is_verb(tok) and _hearsay(tok) and tok.i != att.cue_token_i:
            hits.append(_hit("secondhand", tok, tok, offset))
    return hits


def _single_person(att: Attribution) -> bool:
    return att.speaker_label == "PERSON" or (
        att.speaker_head_tag in ("NNP", "NN") and att.speaker_head not in lx.PRONOUNS_GROUP
    )


def _inside_embedded_cue(tok: Token, att_cue_i: int) -> bool:
    """Is `tok` part of what someone (or some study) says, finds or thinks, rather than the writer?"""
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            return False
        below = t
        t = t.head
        reports = is_verb(t) and bool(
            lx.CUE_LEMMA.get(t.lower_) or lx.COGNITION_LEMMA.get(t.lower_) or lx.FINDING_LEMMA.get(t.lower_)
        )
        # "repeated the claim without evidence": an adjunct of the speech act is the writer's words
        if t.i != att_cue_i and reports and below.dep_ not in ("prep", "advmod", "npadvmod", "punct", "cc", "mark"):
            return True
    return False


def _held_by_someone(first: Token) -> bool:
    """ "Investigators have no evidence ...": the absence of evidence is the holder's account, not the writer's."""
    t = first
    for _ in range(3):
        if t.lower_ in lx.EVIDENCE_NOUNS | lx.EVIDENCE_SOFT_NOUNS:
            break
        t = t.head
    verb = t.head
    if t.dep_ != "dobj" or verb.lower_ not in ("have", "has", "had", "having"):
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subj is not None and subj.tag_ in ("NN", "NNS", "NNP", "NNPS") and subj.lower_ not in ("there",)


def _ends_quotation(text: str) -> bool:
    """A closing mark with no opening one ('... any deeper relationship."'): the end of an earlier quotation."""
    t = text.rstrip()
    if t.endswith(("\u201d", "\u201d.")):
        return "\u201c" not in t
    if t.endswith(('"', '".')):
        return t.count('"') % 2 == 1
    return False


def unattributed(span: Span, offset: int, evidence: list[Hit], denials: list[Hit], quoted: float) -> list[Hit]:
    """Own-voice sentences only (the caller checks there is no attribution)."""
    if quoted >= 0.5 or _ends_quotation(span.text):
        return []
    hits: list[Hit] = []
    doc = span.doc
    by_start = {tok_start(t, offset): t for t in span}
    for h in evidence:
        tok = by_start.get(h.start)
        if tok is not None and not _inside_embedded_cue(tok, -1) and not _held_by_someone(tok):
            hits.append(Hit("unattributed", h.start, h.end))
    for h in denials:
        tok = by_start.get(h.start)
        if tok is None or is_verb(tok) or _inside_embedded_cue(tok, -1):
            continue
        if tok.lower_ in lx.FALSITY_WORDS or tok.dep_ == "neg":
            hits.append(Hit("unattributed", h.start, h.end))  # "the claims are false", "that is not true"
    for tok in span:
        if tok.lower_ in lx.JUDGEMENT_WORDS and not _inside_embedded_cue(tok, -1):
            if tok.lower_ == "clearly" and tok.tag_ != "RB":
                continue
            if tok.lower_ == "lies" and tok.tag_ != "NNS":
                continue
            hits.append(_hit("unattributed", tok, tok, offset))
    del doc
    return hits
