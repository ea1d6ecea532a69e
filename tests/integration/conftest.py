"""Shared helpers for the QEMU integration tests: build paths, running QEMU natively or
under the monitor (always with a timeout), and the closing `N passed, N failed` line."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
OPENSBI = Path("/usr/lib/riscv64-linux-gnu/opensbi/generic")
UBOOT_SMODE = Path("/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin")


def run_qemu(firmware, native=False, smp=1, kernel=None, timeout=60, build=None, extra=(),
             platform="virt"):
    """Run scripts/run-qemu; returns (exit status, output). QEMU is killed at the timeout."""
    cmd = [str(ROOT / "scripts" / "run-qemu"), "--smp", str(smp), "--timeout", str(timeout)]
    if native:
        cmd.append("--native")
    if kernel:
        cmd += ["--kernel", str(kernel)]
    cmd.append(str(firmware))
    if extra:
        cmd += ["--", *extra]
    env = dict(os.environ)
    env["PLATFORM"] = platform
    if build:
        env["BUILD"] = str(build)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout + 30, env=env)
    return p.returncode, p.stdout.decode(errors="replace")


def guest_lines(output):
    """What the guest printed: the monitor's own lines (miralis: ...) removed."""
    return [l for l in output.replace("\r", "").split("\n") if not l.startswith("miralis:")]


def pytest_terminal_summary(terminalreporter):
    passed = len(terminalreporter.stats.get("passed", []))
    failed = len(terminalreporter.stats.get("failed", [])) + len(terminalreporter.stats.get("error", []))
    skipped = len(terminalreporter.stats.get("skipped", []))
    terminalreporter.write_line(f"{passed} passed, {failed} failed, {skipped} skipped")
