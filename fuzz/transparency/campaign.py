#!/usr/bin/env python3
"""Transparency campaign: N generated programs (fuzz/transparency/gen.py, inputs from a
seeded RNG), each built into a firmware with firmwares/lib and run on QEMU natively (real
M-mode) and under the monitor (build/virt); the guest output (the `miralis:` lines removed)
must be identical. A divergence is minimised (steps removed while it persists) and saved
as a regression program in fuzz/regress/transparency/ (replayed by make test).

  campaign.py --n 20 --seed 1          a campaign
  campaign.py --replay FILE...         rerun saved programs (.json), fail on divergence"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import gen  # noqa: E402

CROSS = os.environ.get("CROSS", "riscv64-unknown-elf-")
CFLAGS = ["-march=rv64imafdc_zicsr_zifencei", "-mabi=lp64d", "-mcmodel=medany", "-ffreestanding",
          "-nostdlib", "-nostartfiles", "-fno-builtin", "-fno-jump-tables",
          "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-fno-pic", "-O2", "-Wall",
          "-Wextra", "-Werror", "-std=c11", f"-I{ROOT / 'firmwares' / 'lib'}"]
LDFLAGS = ["-nostdlib", "-nostartfiles", "-static", "-Wl,--no-relax", "-Wl,--no-warn-rwx-segments",
           "-T", str(ROOT / "firmwares" / "lib" / "link.ld")]
OUT = ROOT / "build" / "fuzz" / "transparency"
REGRESS = ROOT / "fuzz" / "regress" / "transparency"


def lib_objs():
    objs = []
    (OUT / "lib").mkdir(parents=True, exist_ok=True)
    for src in sorted((ROOT / "firmwares" / "lib").glob("*.[cS]")):
        obj = OUT / "lib" / (src.name + ".o")
        if not obj.exists() or obj.stat().st_mtime < src.stat().st_mtime:
            subprocess.run([CROSS + "gcc", *CFLAGS, "-c", str(src), "-o", str(obj)], check=True)
        objs.append(str(obj))
    return objs


def build(steps, workdir):
    (workdir / "prog.h").write_text(gen.header(steps))
    elf, binf = workdir / "fw.elf", workdir / "fw.bin"
    subprocess.run([CROSS + "gcc", *CFLAGS, f"-I{workdir}", *LDFLAGS, str(HERE / "runner.c"),
                    *lib_objs(), "-o", str(elf)], check=True)
    subprocess.run([CROSS + "objcopy", "-O", "binary", str(elf), str(binf)], check=True)
    return binf


def run(fw, native):
    cmd = [str(ROOT / "scripts" / "run-qemu"), "--timeout", "30"] + (["--native"] if native else []) + [str(fw)]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=90, env=dict(os.environ, PLATFORM="virt"))
    out = p.stdout.decode(errors="replace").replace("\r", "")
    return [l for l in out.split("\n") if not l.startswith("miralis:")], out


def diverges(steps, workdir):
    """None if native and monitor agree, else a description of the first difference."""
    fw = build(steps, workdir)
    native, _ = run(fw, True)
    monitor, raw = run(fw, False)
    if "DONE transparency" not in native:
        return None  # not a valid program natively (should not happen): nothing to compare
    if native == monitor:
        return None
    for a, b in zip(native, monitor):
        if a != b:
            return f"native:  {a}\nmonitor: {b}"
    return f"lengths differ ({len(native)} vs {len(monitor)}):\n{raw[-2000:]}"


def minimise(steps, workdir, budget=40):
    """Drop steps while the divergence persists (greedy, at most `budget` QEMU pairs)."""
    cur = list(steps)
    i = 0
    while i < len(cur) and budget > 0:
        trial = cur[:i] + cur[i + 1:]
        budget -= 1
        if trial and diverges(trial, workdir):
            cur = trial
        else:
            i += 1
    return cur


def campaign(n, seed, save=True):
    failures = 0
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        wd = Path(tmp)
        for k in range(n):
            data = gen.random_input(seed * 1000003 + k)
            steps = gen.program(data)
            d = diverges(steps, wd)
            status = "ok" if d is None else "DIVERGES"
            print(f"program {k} (seed {seed}, {len(steps)} steps): {status}", flush=True)
            if d is None:
                continue
            failures += 1
            print(d)
            small = minimise(steps, wd)
            print(f"  minimised to {len(small)} steps")
            if save:
                REGRESS.mkdir(parents=True, exist_ok=True)
                name = REGRESS / f"seed{seed}-{k}.json"
                name.write_text(json.dumps({"steps": small, "divergence": diverges(small, wd)}, indent=1))
                shutil.copy(wd / "prog.h", REGRESS / f"seed{seed}-{k}.prog.h")
                print(f"  saved {name}")
    print(f"transparency: {n} programs, {failures} divergent, {time.time() - t0:.0f}s")
    return 1 if failures else 0


def replay(files):
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            steps = json.loads(Path(f).read_text())["steps"]
            d = diverges(steps, Path(tmp))
            print(f"{f}: {'ok' if d is None else 'DIVERGES'}")
            if d:
                print(d)
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--replay", nargs="*")
    a = ap.parse_args()
    if a.replay is not None:
        sys.exit(replay(a.replay))
    sys.exit(campaign(a.n, a.seed, not a.no_save))
