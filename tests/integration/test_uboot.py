"""Debian's U-Boot under the monitor, driven at its prompt: the S-mode build booted by
OpenSBI, and the M-mode build as the firmware itself."""
import pexpect
import pytest
from conftest import OPENSBI, ROOT, UBOOT_SMODE

UBOOT_MMODE = "/usr/lib/u-boot/qemu-riscv64/u-boot.bin"


def drive_uboot(args):
    """Boot to the prompt, check `version` and an expression, power off; QEMU's status."""
    child = pexpect.spawn(str(ROOT / "scripts" / "run-qemu"), ["--timeout", "120", *args],
                          timeout=90, encoding="utf-8")
    try:
        child.expect("miralis: firmware entry")
        child.expect("Hit any key to stop autoboot")
        child.send(" ")
        child.expect("=> ")
        child.sendline("version")
        child.expect(r"U-Boot 20\d\d\.\d\d")
        child.expect("=> ")
        child.sendline("setexpr x 0x1234 + 0x1111; echo monitor-$x")
        child.expect("monitor-2345")
        child.expect("=> ")
        child.sendline("poweroff")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return child.exitstatus


@pytest.mark.parametrize("fw", ["fw_jump", "fw_dynamic"])
def test_uboot_smode_prompt(fw):
    assert drive_uboot(["--smp", "2", "--kernel", str(UBOOT_SMODE),
                        str(OPENSBI / f"{fw}.bin")]) == 0


def test_uboot_mmode_firmware():
    """Debian's M-mode U-Boot (qemu-riscv64) is itself the firmware: it runs in vM-mode."""
    assert drive_uboot([UBOOT_MMODE]) == 0
