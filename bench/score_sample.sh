#!/bin/sh
# Extract the demo article and score it against the expected answers (needs ../shared for the scorer).
# Usage: bench/score_sample.sh [path/to/expected.json]
set -e
cd "$(dirname "$0")/.."
EXPECTED="${1:-../shared/samples/nato-baltic-2014.expected.json}"
OUT="$(mktemp)"
.venv/bin/python - "$OUT" <<'PY'
import json, sys
from verification.extraction import ENGINE_VERSION, MODEL_PACKAGE, MODEL_VERSION, Engine
path = "demo/nato-baltic-2014.txt"
with open(path, encoding="utf-8") as fh:
    text = fh.read()
result = Engine().extract(text)
out = {"engine": {"version": ENGINE_VERSION, "model": f"{MODEL_PACKAGE} {MODEL_VERSION}"},
       "articles": [result.to_dict(source=path)]}
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump(out, fh, ensure_ascii=False, indent=1)
PY
.venv/bin/python ../shared/tools/score_extraction.py "$EXPECTED" "$OUT"
