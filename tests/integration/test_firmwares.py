"""Transparency: every conformance firmware prints the same dump natively (real M-mode on
QEMU) and under the monitor. Monitor-only firmwares are compared with an expected file."""
import subprocess

import pytest
from conftest import BUILD, ROOT, guest_lines, run_qemu


def firmware_list():
    out = subprocess.run(["make", "-s", "--no-print-directory", "print-firmware-tests"],
                         cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            rows.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else "native"))
    return rows


FIRMWARES = firmware_list()


@pytest.mark.parametrize("name,harts", [(n, h) for n, h, kind in FIRMWARES if kind == "native"])
def test_native_and_monitor_identical(name, harts):
    fw = BUILD / "firmwares" / f"{name}.bin"
    rc_n, out_n = run_qemu(fw, native=True, smp=harts, timeout=30)
    rc_m, out_m = run_qemu(fw, smp=harts, timeout=30)
    native, monitor = guest_lines(out_n), guest_lines(out_m)
    assert f"DONE {name}" in native, f"native run did not finish:\n{out_n}"
    assert rc_n == 0, out_n
    assert "miralis: Miralis-C monitor" in out_m, "the monitor did not start"
    assert monitor == native, "\n".join(
        f"{'=' if a == b else '!'} native: {a!r}\n  monitor: {b!r}"
        for a, b in zip(native, monitor) if a != b) or f"lengths differ:\n{out_m}"
    assert rc_m == 0


@pytest.mark.parametrize("name,harts", [(n, h) for n, h, kind in FIRMWARES if kind == "monitor-only"])
def test_monitor_only_expected(name, harts):
    fw = BUILD / "firmwares" / f"{name}.bin"
    expected = (ROOT / "firmwares" / "expected" / f"{name}.txt").read_text().split("\n")
    rc, out = run_qemu(fw, smp=harts, timeout=30)
    assert guest_lines(out) == expected, out
    assert rc == 0
