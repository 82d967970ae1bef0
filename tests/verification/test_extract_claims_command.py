"""`manage.py extract_claims`: the contract of EXTRACTION_FORMAT.md, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "demo" / "nato-baltic-2014.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}  # no key, no debug: as a user has
    command = [sys.executable, "manage.py", "extract_claims", *args]
    return subprocess.run(command, cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=300, check=False)


def test_prints_only_json_with_exact_offsets(tmp_path: Path) -> None:
    html = tmp_path / "page.html"
    html.write_text("<html><body><article><p>The minister said 40 schools would close.</p></article></body></html>")
    proc = run(str(SAMPLE), str(html), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # stdout is JSON and nothing else
    assert set(data["engine"]) == {"version", "model"}
    assert "en_core_web_sm" in data["engine"]["model"]
    sample, page = data["articles"]
    assert sample["source"] == str(SAMPLE) and page["source"] == str(html)
    text = SAMPLE.read_text(encoding="utf-8")
    assert sample["claims"]
    for claim in sample["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["text"]
        assert 0.0 <= claim["checkworthiness"] <= 1.0
        for key in ("speaker", "speaker_mention", "cue", "quote", "kind", "entities", "flags", "disputed_by"):
            assert key in claim
    assert any("40 schools" in c["text"] for c in page["claims"])


def test_reads_standard_input() -> None:
    proc = run("-", stdin=SAMPLE.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["articles"][0]["source"] == "-"


def test_unreadable_file_is_one_line_and_non_zero(tmp_path: Path) -> None:
    proc = run(str(tmp_path / "missing.txt"))
    assert proc.returncode != 0
    assert proc.stdout == b""
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "missing.txt" in lines[0]


def test_binary_file_is_refused(tmp_path: Path) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    proc = run(str(blob))
    assert proc.returncode != 0
    assert proc.stdout == b""
    assert len(proc.stderr.decode().strip().splitlines()) == 1
