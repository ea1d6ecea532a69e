"""Linux 6.1 (linux/, built by `make linux-images initramfs`) booted with Debian's OpenSBI
and our initramfs: the init prints "MIRALIS-INIT: cpus=N kernel=...", runs the workloads the
command line selects (each prints one "RESULT <name> ops=.. ops_per_sec=.. ok=0|1" line) and
powers off through SBI SRST.

Only the NATIVE boots (OpenSBI in real M-mode) are here for now. `boot_linux(...,
monitor=True)` is the same boot under the monitor: to add those variants, parametrize the
tests below over `monitor` (see linux/README.md)."""
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BUILD, OPENSBI, ROOT, guest_lines

LINUX = BUILD / "linux"
INITRAMFS = LINUX / "initramfs.cpio.gz"
WORKLOADS = ["cpu", "timers", "ipi", "fences", "rdtime", "misaligned"]
TIMEOUT = 300

# Per platform: QEMU machine, Linux console, how many harts Linux gets out of -smp N (the
# sifive_u hart 0 is an E51 without MMU), and how the init ends the machine there.
PLATFORMS = {
    "virt": dict(machine=["-M", "virt", "-m", "256M"], console="ttyS0",
                 linux_cpus=lambda harts: harts, end="reboot: Power down"),
    # No shutdown device for OpenSBI on sifive_u (only gpio-restart): the init reboots
    # and -no-reboot makes QEMU exit.
    "sifive_u": dict(machine=["-M", "sifive_u", "-m", "256M"], console="ttySIF0",
                     linux_cpus=lambda harts: harts - 1, end="reboot: Restarting system"),
}


def linux_image(platform):
    return LINUX / platform / "Image"


def boot_linux(platform, firmware, harts, monitor=False, workload="all", append="",
               timeout=TIMEOUT):
    """Boot Linux + the initramfs on `platform` with OpenSBI `firmware` ("fw_jump",
    "fw_dynamic" or a path), natively or under the monitor. Returns (exit status, guest
    output with the monitor's lines removed, seconds)."""
    image = linux_image(platform)
    for f in (image, INITRAMFS):
        assert f.exists(), f"{f} is missing: run 'make linux-images initramfs'"
    fw = Path(firmware) if "/" in str(firmware) else OPENSBI / f"{firmware}.bin"
    p = PLATFORMS[platform]
    cmdline = f"console={p['console']} earlycon=sbi workload={workload} panic=-1 {append}".strip()
    linux_args = ["-initrd", str(INITRAMFS), "-append", cmdline, "-no-reboot"]
    env = dict(os.environ)
    if (ROOT / "platform" / platform).is_dir():
        # A platform the monitor knows: scripts/run-qemu, natively or under the monitor.
        cmd = [str(ROOT / "scripts" / "run-qemu"), "--smp", str(harts), "--timeout", str(timeout),
               "--kernel", str(image)]
        if not monitor:
            cmd.append("--native")
        cmd += [str(fw), "--", *linux_args]
        env["PLATFORM"] = platform
    else:
        if monitor:
            pytest.skip(f"the monitor has no platform {platform} yet")
        cmd = ["timeout", "--foreground", "-k", "5", str(timeout), "qemu-system-riscv64",
               *p["machine"], "-smp", str(harts), "-nographic", "-monitor", "none",
               "-bios", str(fw), "-kernel", str(image), *linux_args]
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout + 30, env=env)
    seconds = time.monotonic() - t0
    out = "\n".join(guest_lines(r.stdout.decode(errors="replace")))
    return r.returncode, out, seconds


def results(out):
    """{workload: (ops, ops_per_sec, ok)} from the RESULT lines; a name twice is an error."""
    res = {}
    for m in re.finditer(r"^RESULT (\S+) ops=(\d+) ops_per_sec=(\d+) ok=([01])$", out, re.M):
        assert m.group(1) not in res, f"two RESULT lines for {m.group(1)}"
        res[m.group(1)] = (int(m.group(2)), int(m.group(3)), m.group(4) == "1")
    return res


def check_boot(platform, harts, rc, out, workloads=WORKLOADS):
    p = PLATFORMS[platform]
    cpus = p["linux_cpus"](harts)
    assert "Kernel panic" not in out, out
    assert re.search(rf"smp: Brought up 1 node, {cpus} CPUs?$", out, re.M), out
    assert re.search(rf"^MIRALIS-INIT: cpus={cpus} kernel=6\.1\.\S+$", out, re.M), out
    res = results(out)
    assert sorted(res) == sorted(workloads), out
    failed = [w for w, (_, _, ok) in res.items() if not ok]
    assert not failed, f"workloads not ok: {failed}\n{out}"
    assert "MIRALIS-INIT: FAIL" not in out, out
    assert f"MIRALIS-INIT: done passed={len(workloads)} failed=0" in out, out
    assert "MIRALIS-INIT: poweroff" in out, out
    assert p["end"] in out, out
    assert rc == 0, out


@pytest.mark.parametrize("monitor", [False, True], ids=["native", "monitor"])
@pytest.mark.parametrize("harts", [1, 2, 4])
@pytest.mark.parametrize("fw", ["fw_jump", "fw_dynamic"])
def test_linux_virt(fw, harts, monitor):
    """The same kernel and initramfs natively and under the monitor: Debian's unmodified
    OpenSBI in real M-mode, then in virtual M-mode."""
    rc, out, _ = boot_linux("virt", fw, harts, monitor=monitor)
    if not monitor and re.search(r"CPU\d+: failed to come online", out):
        # The native reference only: Linux gives a secondary hart 1 s of host time to come
        # up, which 4 QEMU threads on a loaded 2-core host can miss. Under the monitor
        # there is no second chance (a stalled hart there may be the monitor's fault).
        rc, out, _ = boot_linux("virt", fw, harts, monitor=monitor)
    check_boot("virt", harts, rc, out)
    # poweroff went through SBI SRST (no syscon power-off driver in the kernel)
    assert "SBI SRST extension detected" in out, out
    if monitor:
        # The firmware ran deprivileged: it sees the PMP entries the monitor leaves it,
        # and the OS was told of the RAM below the monitor only.
        assert "Boot HART PMP Count       : 11" in out, out


@pytest.mark.parametrize("monitor", [False, True], ids=["native", "monitor"])
@pytest.mark.parametrize("fw", ["fw_jump", "fw_dynamic"])
def test_linux_sifive_u(fw, monitor):
    """sifive_u -smp 3: hart 0 is the E51 (no MMU), Linux runs on the two U54s."""
    rc, out, _ = boot_linux("sifive_u", fw, 3, monitor=monitor)
    check_boot("sifive_u", 3, rc, out)
    assert "MIRALIS-INIT: no shutdown device in the device tree: rebooting instead" in out, out
    if monitor:
        assert "Boot HART PMP Count       : 12" in out, out


def test_linux_selected_workloads():
    """workload=a,b runs exactly those, in that order."""
    rc, out, _ = boot_linux("virt", "fw_jump", 2, workload="timers,ipi")
    check_boot("virt", 2, rc, out, workloads=["timers", "ipi"])
    assert out.index("RESULT timers") < out.index("RESULT ipi")


def test_linux_shell():
    """workload=shell: the prompt answers help, run, cat and poweroff on the console."""
    pexpect = pytest.importorskip("pexpect")
    image = linux_image("virt")
    assert image.exists() and INITRAMFS.exists(), "run 'make linux-images initramfs'"
    args = ["-M", "virt", "-m", "256M", "-smp", "2", "-nographic", "-monitor", "none",
            "-bios", str(OPENSBI / "fw_jump.bin"), "-kernel", str(image), "-initrd", str(INITRAMFS),
            "-append", "console=ttyS0 workload=shell panic=-1", "-no-reboot"]
    child = pexpect.spawn("qemu-system-riscv64", args, timeout=TIMEOUT, encoding="utf-8",
                          codec_errors="replace")
    assert converse(pexpect, child, ["miralis> "], [
        ("help", ["run WORKLOAD", "miralis> "]),
        ("run cpu", [r"RESULT cpu ops=\d+ ops_per_sec=\d+ ok=1", "miralis> "]),
        ("cat /proc/cpuinfo", [r"hart\s+: 1", "miralis> "]),
        ("poweroff", ["MIRALIS-INIT: poweroff", "reboot: Power down"]),
    ]) == 0


def converse(pexpect, child, first, steps):
    """Drive the init's prompt: wait for `first`, then for each (line, patterns) type the
    line and expect the patterns in order; then the end of QEMU. Returns its exit status."""
    try:
        for pattern in first:
            child.expect(pattern)
        for line, patterns in steps:
            child.sendline(line)
            for pattern in patterns:
                child.expect(pattern)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return child.exitstatus


def test_run_linux_prompt_under_the_monitor():
    """`make run-linux`: the interactive prompt, under the monitor, driven by a person's
    keystrokes (pexpect), then power-off."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn("make", ["-s", "--no-print-directory", "run-linux", "HARTS=2",
                                   "TIMEOUT=240"], cwd=str(ROOT), timeout=TIMEOUT,
                          encoding="utf-8", codec_errors="replace")
    assert converse(pexpect, child, ["miralis: Miralis-C monitor", "miralis> "], [
        ("run ipi", [r"RESULT ipi ops=\d+ ops_per_sec=\d+ ok=1", "miralis> "]),
        ("cat /proc/cpuinfo", [r"hart\s+: 1", "miralis> "]),
        ("poweroff", ["reboot: Power down"]),
    ]) == 0


def test_panicking_kernel_fails_clearly():
    """A kernel that panics (no init) ends the run quickly (panic=-1 reboots, -no-reboot
    exits) and the check says why, instead of hanging until a timeout."""
    t0 = time.monotonic()
    rc, out, _ = boot_linux("virt", "fw_jump", 1, monitor=True, append="rdinit=/nonexistent",
                            timeout=120)
    with pytest.raises(AssertionError, match="Kernel panic"):
        check_boot("virt", 1, rc, out)
    assert time.monotonic() - t0 < 100
