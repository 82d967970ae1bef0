"""Check-worthiness: how much a fact-checker would want to check a sentence, in [0, 1].

A logistic regression over two kinds of features, scored in plain numpy:

- hashed sparse features: word unigrams and bigrams of a normalised token stream (numbers, years, percentages
  and money amounts become class tokens such as ``<num>`` so the model learns "a number is here", not which
  number), plus unigrams of crudely stemmed words ("increased", "increasing" -> "increas"; "jobs" -> "job") so
  inflections share evidence;
  in-word character n-grams are supported but off in the shipped model (they did not help);
- the token stream drops what is particular to debate transcripts before any feature is made: stage
  directions such as "(LAUGHTER)" or "[applause]", fillers ("uh", "um") and stammered repeats ("the -- the");
- a few dense, hand-made cues that generalise beyond debate transcripts: numbers, percentages, years, money,
  capitalised words inside the sentence (a cheap stand-in for named entities), comparatives and superlatives,
  change verbs, past-tense verbs, first-person opinion and promise markers, modal verbs, questions, greetings,
  length.

The weights ship in ``data/checkworthiness.npz`` (trained by ``bench/train_checkworthiness.py``). This module is
Django-free, reads nothing but that file, and needs only numpy at run time.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "data" / "checkworthiness.npz"

# Feature extraction settings. The model file records them; a mismatch is an error, not a silent drift.
FEATURE_VERSION = 2

_TOKEN_RE = re.compile(
    r"\$\s?\d+(?:,\d\d\d)*(?:\.\d+)?(?:\s?(?:million|billion|trillion))?"  # money
    r"|\d+(?:,\d\d\d)*(?:\.\d+)?\s?(?:%|percent\b|per cent\b)"  # percentage
    r"|\d+(?:,\d\d\d)*(?:\.\d+)?(?:st|nd|rd|th|s)?"  # number, ordinal, decade
    r"|[a-z]+(?:['’][a-z]+)*"  # word, with contractions
    r"|[?!$%]"
)
_YEAR_RE = re.compile(r"^(?:1[89]\d\d|20\d\d)s?$")
# Stage directions and transcriber notes: "(LAUGHTER)", "[applause]", "(ph)", "(sic)", "(inaudible)", "(CROSSTALK)".
_STAGE_RE = re.compile(
    r"[\[(](?:laughter|applause|cheers|inaudible|crosstalk|ph|phonetic|sic|chuckle|boos|barely audible)"
    r"[^\])]{0,40}[\])]",
    re.IGNORECASE,
)
_FILLERS = frozenset(("uh", "uhh", "um", "umm", "er", "ah", "hmm", "mm"))


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_NUMBER_WORDS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds "
    "thousand thousands million millions billion billions trillion trillions dozen dozens half twice double "
    "doubled triple tripled quadrupled percent"
)
_MONEY_WORDS = _words("dollar dollars budget deficit debt tax taxes cost costs spend spent spending")
_COMPARATIVE = _words(
    "more less fewer higher lower larger smaller bigger greater worse better faster slower cheaper "
    "than increase increased increases decrease decreased decreases rose risen fell fallen grew grown "
    "doubled dropped declined cut cuts raised reduced lost gained created"
)
_SUPERLATIVE = _words(
    "most least biggest largest highest lowest best worst first last only fastest greatest record ever"
)
_FIRST_PERSON = _words("i i'm i've i'll i'd me my myself")
_OPINION = _words("think believe feel hope want wish love like agree disagree opinion")
_FUTURE = _words("will going gonna 'll shall")
_MODALS = _words("would should could can must might may ought")
_GREETINGS = _words("thank thanks hello welcome evening congratulations applause laughter")
_PAST_IRREGULAR = _words(
    "was were had did said voted passed made took gave went got came told paid left lost won sent "
    "signed built brought bought sold spent became began knew saw wrote"
)
_DENSE_NAMES = (
    "log_tokens",
    "has_digit",
    "n_numbers",
    "has_percent",
    "has_year",
    "has_money",
    "number_words",
    "money_words",
    "log_caps_inside",
    "comparatives",
    "superlatives",
    "past_tense",
    "first_person",
    "opinion",
    "future",
    "modals",
    "question",
    "exclamation",
    "greeting",
    "you",
    "short",
)
N_DENSE = len(_DENSE_NAMES)


def _normalise_token(tok: str) -> str:
    if tok[0] == "$":
        return "<money>"
    if tok[0].isdigit():
        if tok.endswith("%") or tok.endswith("cent"):
            return "<pct>"
        if _YEAR_RE.match(tok):
            return "<year>"
        return "<num>"
    return tok


def clean_text(text: str) -> str:
    """The text without stage directions and transcriber notes (they say nothing about the claim)."""
    return _STAGE_RE.sub(" ", text)


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens with numbers folded into class tokens (``<num>``, ``<year>``, ``<pct>``, ``<money>``).

    Fillers ("uh", "um") go, and a word said twice in a row ("the -- the") counts once, so a transcript and
    written prose give the same stream. Stage directions are removed by ``clean_text`` first (see ``transform``).
    """
    toks = [_normalise_token(t) for t in _TOKEN_RE.findall(text.lower().replace("’", "'"))]
    out: list[str] = []
    for t in toks:
        if t in _FILLERS or (out and t == out[-1] and t[0] != "<"):
            continue
        out.append(t)
    return out


def stem(word: str) -> str:
    """A crude suffix stripper, no dictionary: "increased", "increasing" -> "increas"; "cities" -> "city".

    Not a lemmatiser ("increases" -> "increase"), only a way for common inflections to share a feature.
    """
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def dense_features(text: str, tokens: Sequence[str]) -> list[float]:
    """The hand-made cues of one sentence, in the order of ``_DENSE_NAMES`` (raw; the model standardises them)."""
    n = len(tokens)
    words = [t for t in tokens if t[0] != "<"]
    nums = sum(1 for t in tokens if t in ("<num>", "<pct>", "<year>", "<money>"))
    # Capitalised words after the first word: a cheap proxy for named entities (no spaCy pass needed).
    raw_words = re.findall(r"[A-Za-z][A-Za-z'’.-]*", text)
    caps_inside = sum(1 for w in raw_words[1:] if w[0].isupper() and w not in ("I", "I'm", "I've", "I'll", "I'd"))
    past = sum(1 for w in words if (len(w) > 4 and w.endswith("ed")) or w in _PAST_IRREGULAR)
    stripped = text.rstrip(" \"'”’)")
    return [
        math.log1p(n),
        1.0 if any(c.isdigit() for c in text) else 0.0,
        float(min(nums, 4)),
        1.0 if "<pct>" in tokens or "percent" in words else 0.0,
        1.0 if "<year>" in tokens else 0.0,
        1.0 if "<money>" in tokens or "dollars" in words else 0.0,
        float(min(sum(1 for w in words if w in _NUMBER_WORDS), 3)),
        float(min(sum(1 for w in words if w in _MONEY_WORDS), 3)),
        math.log1p(caps_inside),
        float(min(sum(1 for w in words if w in _COMPARATIVE), 3)),
        float(min(sum(1 for w in words if w in _SUPERLATIVE), 3)),
        past / max(n, 1),
        float(min(sum(1 for w in words if w in _FIRST_PERSON), 3)),
        float(min(sum(1 for w in words if w in _OPINION), 3)),
        float(min(sum(1 for w in words if w in _FUTURE), 3)),
        float(min(sum(1 for w in words if w in _MODALS), 3)),
        1.0 if stripped.endswith("?") else 0.0,
        1.0 if "!" in text else 0.0,
        1.0 if any(w in _GREETINGS for w in words) else 0.0,
        float(min(sum(1 for w in words if w in ("you", "your", "you're")), 3)),
        1.0 if n <= 5 else 0.0,
    ]


def _hash(feature: str, mask: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) & mask


def sparse_indices(tokens: Sequence[str], bits: int, char_ngrams: tuple[int, int], stems: bool = False) -> list[int]:
    """Distinct hashed feature indices of one sentence: word 1-2-grams, stem unigrams, in-word character n-grams."""
    mask = (1 << bits) - 1
    feats: set[str] = set()
    padded = ["<s>", *tokens, "</s>"]
    for t in tokens:
        feats.add("w:" + t)
    for a, b in itertools.pairwise(padded):
        feats.add("b:" + a + " " + b)
    if stems:
        for t in tokens:
            if t[0] != "<":
                feats.add("l:" + stem(t))
    lo, hi = char_ngrams
    if hi >= lo > 0:
        for t in tokens:
            if t[0] == "<":
                continue
            w = "^" + t + "$"
            for k in range(lo, hi + 1):
                for i in range(len(w) - k + 1):
                    feats.add("c:" + w[i : i + k])
    return sorted({_hash(f, mask) for f in feats})


class Featurizer:
    """Turns sentence texts into (CSR sparse part, dense part). Shared by training and scoring."""

    def __init__(self, bits: int = 20, char_ngrams: tuple[int, int] = (0, 0), stems: bool = True) -> None:
        self.bits = bits
        self.char_ngrams = char_ngrams
        self.stems = stems

    def config(self) -> dict[str, Any]:
        return {
            "feature_version": FEATURE_VERSION,
            "bits": self.bits,
            "char_ngrams": list(self.char_ngrams),
            "stems": self.stems,
        }

    def transform(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Returns ``indices, indptr, data`` (CSR rows, each L2-normalised) and ``dense`` (n x N_DENSE)."""
        all_idx: list[int] = []
        indptr = [0]
        data: list[float] = []
        dense = np.zeros((len(texts), N_DENSE), dtype=np.float64)
        for r, raw in enumerate(texts):
            text = clean_text(raw)
            tokens = tokenize(text)
            idx = sparse_indices(tokens, self.bits, self.char_ngrams, self.stems)
            all_idx.extend(idx)
            indptr.append(len(all_idx))
            v = 1.0 / math.sqrt(len(idx)) if idx else 0.0
            data.extend([v] * len(idx))
            dense[r] = dense_features(text, tokens)
        return (
            np.asarray(all_idx, dtype=np.int64),
            np.asarray(indptr, dtype=np.int64),
            np.asarray(data, dtype=np.float64),
            dense,
        )


def csr_dot(indices: np.ndarray, indptr: np.ndarray, data: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Row-wise dot products of a CSR matrix with a dense vector (empty rows give 0)."""
    n = len(indptr) - 1
    if len(indices) == 0:
        return np.zeros(n)
    row = np.repeat(np.arange(n), np.diff(indptr))
    return np.bincount(row, weights=data * w[indices], minlength=n)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class CheckworthinessScorer:
    """Scores sentences with a trained model: ``score(texts)`` gives one value in [0, 1] per text."""

    def __init__(
        self,
        featurizer: Featurizer,
        *,
        w_sparse: np.ndarray,
        w_dense: np.ndarray,
        dense_mean: np.ndarray,
        dense_std: np.ndarray,
        bias: float,
    ) -> None:
        self.featurizer = featurizer
        self.w_sparse = np.asarray(w_sparse, dtype=np.float64)
        self.w_dense = np.asarray(w_dense, dtype=np.float64)
        self.dense_mean = np.asarray(dense_mean, dtype=np.float64)
        self.dense_std = np.asarray(dense_std, dtype=np.float64)
        self.bias = float(bias)

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros(0)
        indices, indptr, data, dense = self.featurizer.transform(texts)
        z = csr_dot(indices, indptr, data, self.w_sparse)
        z += ((dense - self.dense_mean) / self.dense_std) @ self.w_dense
        return z + self.bias

    def score(self, texts: Sequence[str]) -> list[float]:
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        return [float(p) for p in np.clip(sigmoid(self.decision(texts)), 0.0, 1.0)]

    def score_docs(self, spans: Sequence[Any]) -> list[float]:
        """Scores spaCy Spans (or Docs) the engine already has; the same as ``score`` on their texts."""
        return self.score([s.text for s in spans])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            config=np.asarray(json.dumps(self.featurizer.config())),
            w_sparse=self.w_sparse.astype(np.float16),
            w_dense=self.w_dense.astype(np.float32),
            dense_mean=self.dense_mean.astype(np.float32),
            dense_std=self.dense_std.astype(np.float32),
            bias=np.asarray(self.bias, dtype=np.float64),
        )

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> CheckworthinessScorer:
        with np.load(path, allow_pickle=False) as z:
            config = json.loads(str(z["config"]))
            if config.get("feature_version") != FEATURE_VERSION:
                raise ValueError(f"{path}: feature_version {config.get('feature_version')}, code {FEATURE_VERSION}")
            lo, hi = config["char_ngrams"]
            featurizer = Featurizer(
                bits=int(config["bits"]), char_ngrams=(int(lo), int(hi)), stems=bool(config["stems"])
            )
            return cls(
                featurizer,
                w_sparse=z["w_sparse"],
                w_dense=z["w_dense"],
                dense_mean=z["dense_mean"],
                dense_std=z["dense_std"],
                bias=float(z["bias"]),
            )


@lru_cache(maxsize=1)
def load_scorer() -> CheckworthinessScorer:
    """The shipped scorer, loaded once per process."""
    return CheckworthinessScorer.load(MODEL_PATH)
