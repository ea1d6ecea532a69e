#!/usr/bin/env python3
"""Fuzzing campaigns, exec/s figures and coverage reports for the harnesses of fuzz/.

  campaign.py --harness H --engine libfuzzer|afl --time S   a campaign (make fuzz)
  campaign.py --bench --harnesses "..." --time S            exec/s, perf builds (make fuzz-bench)
  campaign.py --coverage --harnesses "..."                  llvm-cov report (make fuzz-cov)
  campaign.py --smoke --harness H --engine E --time S       a short run, for make test

A campaign starts from the seed corpus fuzz/corpus/H (copied into build/fuzz/work/H, which
grows from run to run) with the dictionary fuzz/dict/H.dict; crashes land in
build/fuzz/findings/H. It prints exec/s and coverage at the end."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
# Inputs beyond this size only slow the harness down (fuzz/README.md, "Input formats").
MAX_LEN = {"decoder": 64, "emulator": 256, "mmio": 256, "trace": 512}
# What fuzz_work counts (fuzz/harness.h).
WORK = "decoder words, emulator/mmio checked steps, trace events, gdb bytes"


def seeds(h):
    return FUZZ / "corpus" / h


def dict_args(h, engine):
    d = FUZZ / "dict" / f"{h}.dict"
    if not d.exists():
        return []
    return [f"-dict={d}"] if engine == "libfuzzer" else ["-x", str(d)]


def libfuzzer(binary, h, seconds, work, findings, extra=(), jobs=1):
    findings.mkdir(parents=True, exist_ok=True)
    cmd = [str(binary), f"-max_total_time={seconds}", "-print_final_stats=1",
           f"-max_len={MAX_LEN.get(h, 4096)}", f"-artifact_prefix={findings}/",
           *dict_args(h, "libfuzzer"), *extra, str(work), str(seeds(h))]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace", env=dict(os.environ, FUZZ_WORK="1"))
    out = p.stdout
    execs = re.findall(r"stat::average_exec_per_sec:\s+(\d+)", out)
    work = re.findall(r"^fuzz_work: (\d+)", out, re.M)
    cov = re.findall(r"cov: (\d+) ft: (\d+)", out)
    total = re.findall(r"stat::number_of_executed_units:\s+(\d+)", out)
    res = {"rc": p.returncode, "exec_s": int(execs[-1]) if execs else 0,
           "edges": int(cov[-1][0]) if cov else 0, "features": int(cov[-1][1]) if cov else 0,
           "runs": int(total[-1]) if total else 0, "work": int(work[-1]) if work else 0,
           "log": out}
    return res


def afl(binary, h, seconds, work, findings):
    out_dir = work.parent / f"afl-{h}"
    env = dict(os.environ, AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1",
               AFL_NO_UI="1", AFL_QUIET="1", AFL_NO_AFFINITY="1",
               AFL_SKIP_CRASHES="1", AFL_FAST_CAL="1", AFL_CMPLOG_ONLY_NEW="1")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    cmd = ["afl-fuzz", "-i", str(seeds(h)), "-o", str(out_dir), "-V", str(seconds),
           "-m", "none", "-t", "1000", *dict_args(h, "afl"), "--", str(binary)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace", env=env, timeout=seconds + 120)
    stats = {}
    sf = out_dir / "default" / "fuzzer_stats"
    if sf.exists():
        for line in sf.read_text().splitlines():
            k, _, v = line.partition(":")
            stats[k.strip()] = v.strip()
    crashes = list((out_dir / "default" / "crashes").glob("id:*")) if sf.exists() else []
    findings.mkdir(parents=True, exist_ok=True)
    for c in crashes:
        shutil.copy(c, findings / c.name.replace(":", "_").replace(",", "_"))
    for q in (out_dir / "default" / "queue").glob("id:*"):
        shutil.copy(q, work / ("afl-" + q.name.replace(":", "_").replace(",", "_")))
    return {"rc": p.returncode, "exec_s": float(stats.get("execs_per_sec", 0)),
            "coverage": stats.get("bitmap_cvg", "?"), "edges": stats.get("edges_found", "?"),
            "runs": int(stats.get("execs_done", 0)), "crashes": len(crashes), "log": p.stdout}


def campaign(a):
    build = Path(a.build)
    h = a.harness
    work = build / "work" / h
    work.mkdir(parents=True, exist_ok=True)
    findings = build / "findings" / h
    if a.engine == "afl":
        r = afl(build / "afl" / h, h, a.time, work, findings)
        print(f"afl++ {h}: {r['runs']} execs, {r['exec_s']:.0f} exec/s, edges {r['edges']}, "
              f"bitmap coverage {r['coverage']}, crashes {r['crashes']} (in {findings})")
        if r["rc"] != 0 or not r["runs"]:
            print(r["log"][-3000:])
            return 1
        return 1 if r["crashes"] else 0
    r = libfuzzer(build / "lf" / h, h, a.time, work, findings)
    print(r["log"][-1500:] if r["rc"] else "")
    print(f"libfuzzer {h}: {r['runs']} execs, {r['exec_s']} exec/s, coverage {r['edges']} "
          f"edges / {r['features']} features, corpus {work}")
    if r["rc"] != 0:
        print(f"finding(s) in {findings}: replay with make fuzz-repro FILE=... HARNESS={h}")
    return r["rc"]


def bench(a):
    build = Path(a.build)
    print(f"{'harness':10} {'exec/s':>10} {'work/s':>10} {'work/exec':>9} {'edges':>7} {'features':>9}"
          f"  (libFuzzer, -O2, no sanitizers, 1 core, {a.time}s; work: {WORK})")
    # The corpus the run grows is thrown away: kept in memory (tmpfs) when there is one, so
    # that the figure is the harness's, not the disk's (creating the new-unit files on ext4
    # costs ~20 % of the emulator's time in the first seconds).
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    for h in a.harnesses.split():
        with tempfile.TemporaryDirectory(dir=shm) as tmp:
            # A fixed seed: the same mutations every time, so runs compare (without it the
            # emulator's figure moves by +-15 % with the mix of inputs the fuzzer happens to try).
            r = libfuzzer(build / "perf" / h, h, a.time, Path(tmp), Path(tmp) / "f",
                          extra=("-seed=1",))
        per = r["work"] / r["runs"] if r["runs"] else 0
        print(f"{h:10} {r['exec_s']:>10} {per * r['exec_s']:>10.0f} {per:>9.1f} {r['edges']:>7} "
              f"{r['features']:>9}")
    return 0


def coverage(a):
    build = Path(a.build)
    cov = build / "cov"
    prof = cov / "profiles"
    if prof.exists():
        shutil.rmtree(prof)
    prof.mkdir(parents=True)
    bins = []
    for h in a.harnesses.split():
        dirs = [str(d) for d in (seeds(h), FUZZ / "regress" / h, build / "work" / h) if d.exists()]
        env = dict(os.environ, LLVM_PROFILE_FILE=str(prof / f"{h}-%p.profraw"))
        subprocess.run([str(cov / h), *dirs], env=env, check=True, stdout=subprocess.DEVNULL)
        bins.append(str(cov / h))
    data = cov / "corpus.profdata"
    subprocess.run([a.profdata, "merge", "-sparse", *map(str, prof.glob("*.profraw")), "-o",
                    str(data)], check=True)
    objs = [bins[0]] + [x for b in bins[1:] for x in ("-object", b)]
    srcs = [str(ROOT / "miralis" / "core"), str(ROOT / "tracer"), str(ROOT / "gdbstub")]
    rep = subprocess.run([a.llvm_cov, "report", *objs, f"-instr-profile={data}", *srcs],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    (cov / "report.txt").write_text(rep)
    subprocess.run([a.llvm_cov, "show", *objs, f"-instr-profile={data}", "-format=html",
                    f"-output-dir={cov / 'html'}", *srcs], check=True, stdout=subprocess.DEVNULL)
    print(rep)
    print(f"coverage of the corpora (seeds, regressions, build/fuzz/work): {cov / 'report.txt'}, "
          f"{cov / 'html' / 'index.html'}")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness")
    ap.add_argument("--harnesses", default="decoder emulator mmio trace")
    ap.add_argument("--engine", default="libfuzzer", choices=["libfuzzer", "afl"])
    ap.add_argument("--time", type=int, default=60)
    ap.add_argument("--build", default=str(ROOT / "build" / "fuzz"))
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--coverage", action="store_true")
    ap.add_argument("--profdata", default="llvm-profdata-14")
    ap.add_argument("--llvm-cov", default="llvm-cov-14")
    a = ap.parse_args()
    if a.bench:
        return bench(a)
    if a.coverage:
        return coverage(a)
    return campaign(a)


if __name__ == "__main__":
    sys.exit(main())
