"""The monitor's device-tree edit, applied to QEMU virt's own tree and read back by dtc."""
import subprocess

from conftest import BUILD


def edited_virt_tree(tmp_path, ram, base, size):
    """QEMU virt's device tree for `ram`, edited as the monitor at [base, base+size) does
    at boot (build/host/fdt-tool), decompiled by the real dtc."""
    dtb = tmp_path / "virt.dtb"
    subprocess.run(["qemu-system-riscv64", "-M", f"virt,dumpdtb={dtb}", "-m", ram,
                    "-nographic"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=30)
    out = tmp_path / "out.dtb"
    subprocess.run([str(BUILD / "host" / "fdt-tool"), str(dtb), str(out), base, size],
                   check=True, timeout=30)
    return subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(out)], check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout


def test_reserved_memory_and_trimmed_ram(tmp_path):
    dts = edited_virt_tree(tmp_path, "256M", "0x8fc00000", "0x200000")
    assert "reserved-memory {" in dts
    assert "miralis@8fc00000 {" in dts
    assert "reg = <0x00 0x8fc00000 0x00 0x200000>;" in dts
    assert "no-map;" in dts
    # RAM now ends where the monitor starts: 0x8fc00000 - 0x80000000 = 0xfc00000.
    assert "reg = <0x00 0x80000000 0x00 0xfc00000>;" in dts
    # The rest of the tree is intact.
    assert "cpus {" in dts and "serial@10000000" in dts


def test_monitor_in_the_middle_of_ram_is_only_reserved(tmp_path):
    """A board monitor far below the top of RAM (VisionFive 2 style) must not cut the RAM
    the OS is told of: only the reservation is added."""
    dts = edited_virt_tree(tmp_path, "1G", "0x83000000", "0x200000")
    assert "reg = <0x00 0x80000000 0x00 0x40000000>;" in dts   # 1 GiB, untouched
    assert "miralis@83000000 {" in dts and "no-map;" in dts
