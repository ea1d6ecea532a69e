"""The fuzzing part of make test (fuzz/README.md): corpora and regression inputs replayed on
ASan+UBSan builds, a few seconds of each engine on each harness, the exhaustive decoder
differential against libopcodes, and a small transparency campaign with a fixed seed."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import BUILD, ROOT

FUZZ = ROOT / "fuzz"
FB = BUILD / "fuzz"
HARNESSES = sorted(p.stem[2:] for p in FUZZ.glob("h_*.c"))
SMOKE_SECONDS = 3


def run(cmd, timeout, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace", timeout=timeout, env=env)
    return p.returncode, p.stdout


@pytest.mark.parametrize("h", HARNESSES)
def test_fuzz_replay_corpus(h):
    """Seeds and regression inputs, sanitizer build, invariants on."""
    dirs = [str(d) for d in (FUZZ / "corpus" / h, FUZZ / "regress" / h) if d.exists()]
    assert dirs, f"no corpus for {h}"
    rc, out = run([str(FB / "replay" / h), *dirs], 120)
    assert rc == 0 and "ok" in out, out[-3000:]


@pytest.mark.parametrize("h", HARNESSES)
def test_fuzz_smoke_libfuzzer(h):
    with tempfile.TemporaryDirectory() as work:
        rc, out = run([str(FB / "lf" / h), f"-max_total_time={SMOKE_SECONDS}", "-max_len=256",
                       f"-artifact_prefix={work}/", "-seed=1", work, str(FUZZ / "corpus" / h)],
                      SMOKE_SECONDS + 60)
    assert rc == 0, out[-3000:]
    assert "DONE" in out, out[-3000:]


@pytest.mark.parametrize("h", HARNESSES)
def test_fuzz_smoke_afl(h):
    if not shutil.which("afl-fuzz"):
        pytest.fail("afl-fuzz missing (Debian package afl++)")
    env = dict(os.environ, AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1",
               AFL_NO_UI="1", AFL_NO_AFFINITY="1", AFL_FAST_CAL="1", AFL_BENCH_UNTIL_CRASH="1")
    with tempfile.TemporaryDirectory() as out_dir:
        rc, out = run(["afl-fuzz", "-i", str(FUZZ / "corpus" / h), "-o", out_dir, "-V",
                       str(SMOKE_SECONDS), "-m", "none", "-t", "1000", "-s", "1", "--",
                       str(FB / "afl" / h)], SMOKE_SECONDS + 90, env)
        stats = (Path(out_dir) / "default" / "fuzzer_stats")
        assert stats.exists(), out[-3000:]
        text = stats.read_text()
        crashes = list((Path(out_dir) / "default" / "crashes").glob("id:*"))
    assert "persistent" in text and "shmem_testcase" in text, text
    assert not crashes, f"afl++ found crashes in {h}: {out[-2000:]}"


def test_decoder_exhaustive_differential():
    """All 2^25 SYSTEM words against the field reference; libopcodes on the structural
    enumeration (fuzz/README.md, "Decoder differential")."""
    rc, out = run([str(FB / "tools" / "decoder-diff"), "--exhaustive"], 400)
    assert rc == 0, out[-4000:]
    assert "0 mismatches, 0 reference errors" in out, out[-4000:]


def test_transparency_campaign_fixed_seed():
    rc, out = run(["python3", str(FUZZ / "transparency" / "campaign.py"), "--n", "5", "--seed",
                   "1", "--no-save"], 600)
    assert rc == 0, out[-4000:]


def test_transparency_regressions():
    files = sorted((FUZZ / "regress" / "transparency").glob("*.json"))
    if not files:
        pytest.skip("no saved transparency regression")
    rc, out = run(["python3", str(FUZZ / "transparency" / "campaign.py"), "--replay",
                   *map(str, files)], 900)
    assert rc == 0, out[-4000:]
