"""An impossible state inside the monitor gives a clear diagnostic (hart, guest pc, cause)
and stops QEMU with a failure status, never a hang. Uses a test build (CONFIG_TEST_HOOKS=1)
whose only difference is a hook that reaches those paths on purpose."""
import re

from conftest import BUILD, run_qemu

HOOKS = BUILD / "hooks"


def test_panic_reports_and_fails():
    rc, out = run_qemu(BUILD / "payloads" / "panic_hook1.bin", build=HOOKS, timeout=30)
    assert re.search(r"miralis: PANIC on hart 0 \(guest pc 0x8000000c, cause 0x8, tval 0x0, "
                     r"firmware world\): test hook", out), out
    assert rc == 1, out   # sifive_test fail code 1


def test_monitor_fault_reports_and_fails():
    rc, out = run_qemu(BUILD / "payloads" / "panic_hook2.bin", build=HOOKS, timeout=30)
    assert re.search(r"miralis: PANIC on hart 0 .*monitor fault: mcause 0x5 at monitor pc "
                     r"0x8fc[0-9a-f]+, mtval 0x8", out), out
    assert rc == 1, out


def test_hooks_absent_from_normal_build():
    """The same firmware on the normal monitor: just an ecall from M, nothing else."""
    rc, out = run_qemu(BUILD / "payloads" / "panic_hook1.bin", timeout=5)
    assert "PANIC" not in out
    assert rc == 124  # still running (parked in wfi) when the timeout ends it
