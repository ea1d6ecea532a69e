"""STATS=1: per-hart counters of traps by cause and of world switches, printed when the
firmware powers the machine off."""
import re

from conftest import BUILD, OPENSBI, run_qemu

STATS_BUILD = BUILD / "stats"


def test_counters_printed_at_poweroff():
    rc, out = run_qemu(OPENSBI / "fw_jump.bin", smp=2, kernel=BUILD / "payloads" / "hello.bin",
                       build=STATS_BUILD, timeout=60)
    assert "Hello, world!" in out and rc == 0, out
    m = re.search(r"miralis: stats hart (\d+): world switches to-os=(\d+) to-firmware=(\d+)", out)
    assert m, out
    stats = {int(h): (int(a), int(b)) for h, a, b in
             re.findall(r"stats hart (\d+): world switches to-os=(\d+) to-firmware=(\d+)", out)}
    assert set(stats) == {0, 1}, out
    # The boot hart entered the payload once and came back for each SBI call (14 putchar
    # and the reset), so there are at least 15 switches back to the firmware.
    boot = max(stats, key=lambda h: stats[h][1])
    assert stats[boot][0] >= 1 and stats[boot][1] >= 15, out
    # The firmware's CSR accesses were emulated and counted, and the OS's ecalls (cause 9).
    assert re.search(r"emulated:.* csr-read=\d+", out), out
    assert re.search(r"os traps forwarded: cause9=(1[5-9]|[2-9]\d|\d{3,})", out), out


def test_no_counters_by_default():
    rc, out = run_qemu(OPENSBI / "fw_jump.bin", kernel=BUILD / "payloads" / "hello.bin",
                       timeout=60)
    assert rc == 0 and "Hello, world!" in out
    assert "miralis: stats" not in out
