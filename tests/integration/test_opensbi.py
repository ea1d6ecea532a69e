"""Debian's unmodified OpenSBI 1.1 (fw_jump, fw_dynamic) under the monitor, with our S-mode
payload: banner, "Hello, world!" through SBI, power-off through SBI SRST."""
import pytest
from conftest import BUILD, OPENSBI, run_qemu

HELLO = BUILD / "payloads" / "hello.bin"


@pytest.mark.parametrize("harts", [1, 2, 4])
@pytest.mark.parametrize("fw", ["fw_jump", "fw_dynamic"])
def test_opensbi_hello(fw, harts):
    rc, out = run_qemu(OPENSBI / f"{fw}.bin", smp=harts, kernel=HELLO, timeout=60)
    assert "miralis: Miralis-C monitor" in out
    assert "OpenSBI v1.1" in out, out
    assert f"Platform HART Count       : {harts}" in out, out
    # The firmware sees the PMP entries the monitor leaves it, not the physical 16.
    assert "Boot HART PMP Count       : 11" in out, out
    assert "Hello, world!" in out, out
    assert "payload: SBI system reset failed" not in out
    assert rc == 0, out


def test_opensbi_native_reference():
    """The same image natively, so a failure above is the monitor's, not the payload's."""
    rc, out = run_qemu(OPENSBI / "fw_jump.bin", native=True, kernel=HELLO, timeout=60)
    assert "Hello, world!" in out and rc == 0, out


@pytest.mark.parametrize("fw", ["fw_jump", "fw_dynamic"])
def test_opensbi_hello_sifive_u(fw):
    """The board platform: QEMU's HiFive Unleashed (hart 0 an E51 without S-mode, SiFive
    UART, no power-off device: the payload's reboot request ends QEMU)."""
    rc, out = run_qemu(OPENSBI / f"{fw}.bin", smp=3, kernel=HELLO, timeout=60,
                       platform="sifive_u")
    assert "miralis: Miralis-C monitor on qemu-sifive_u" in out, out
    assert "Platform Name             : SiFive HiFive Unleashed A00" in out, out
    assert "Boot HART PMP Count       : 12" in out, out
    assert "Hello, world!" in out, out
    assert "payload: SBI system reset failed" not in out
    assert rc == 0, out
