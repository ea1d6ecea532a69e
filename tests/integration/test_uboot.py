"""Debian's S-mode U-Boot, booted by OpenSBI under the monitor, driven at its prompt."""
import pexpect
import pytest
from conftest import OPENSBI, ROOT, UBOOT_SMODE


@pytest.mark.parametrize("fw", ["fw_jump", "fw_dynamic"])
def test_uboot_prompt(fw):
    child = pexpect.spawn(str(ROOT / "scripts" / "run-qemu"),
                          ["--smp", "2", "--timeout", "120", "--kernel", str(UBOOT_SMODE),
                           str(OPENSBI / f"{fw}.bin")], timeout=90, encoding="utf-8")
    try:
        child.expect("Hit any key to stop autoboot")
        child.send(" ")
        child.expect("=> ")
        child.sendline("version")
        child.expect(r"U-Boot 20\d\d\.\d\d")
        child.expect("=> ")
        child.sendline("echo monitor-$((1+2))")
        child.sendline("printenv fdtcontroladdr")
        child.expect("fdtcontroladdr=")
        child.expect("=> ")
        child.sendline("poweroff")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_uboot_mmode_firmware():
    """Debian's M-mode U-Boot (qemu-riscv64) is itself the firmware: it runs in vM-mode."""
    child = pexpect.spawn(str(ROOT / "scripts" / "run-qemu"),
                          ["--timeout", "120", "/usr/lib/u-boot/qemu-riscv64/u-boot.bin"],
                          timeout=90, encoding="utf-8")
    try:
        child.expect("miralis: firmware entry")
        child.expect("Hit any key to stop autoboot")
        child.send(" ")
        child.expect("=> ")
        child.sendline("version")
        child.expect(r"U-Boot 20\d\d\.\d\d")
        child.expect("=> ")
        child.sendline("poweroff")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
