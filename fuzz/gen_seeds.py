#!/usr/bin/env python3
"""Writes the small seed corpora of fuzz/corpus/ (committed; rerun after a format change)."""
import struct
from pathlib import Path

C = Path(__file__).resolve().parent / "corpus"
w32 = lambda *ws: b"".join(struct.pack("<I", w) for w in ws)
u16 = lambda v: struct.pack("<H", v)
u64 = lambda v: struct.pack("<Q", v & (2**64 - 1))


def put(h, name, data):
    (C / h).mkdir(parents=True, exist_ok=True)
    (C / h / name).write_bytes(data)


# decoder: one class of encodings per seed
put("decoder", "csr", w32(0x34059573, 0x30002073, 0x304332f3, 0x7a0fd573, 0xf1406573, 0x30047073))
put("decoder", "priv", w32(0x30200073, 0x10200073, 0x10500073, 0x00000073, 0x00100073, 0x12b50073,
                           0x22000073, 0x62000073))
put("decoder", "hyp", w32(0x60004573, 0x60154573, 0x6435c573, 0x6c05c573, 0x62b54073, 0x6eb54073))
put("decoder", "loadstore", w32(0xfff58503, 0x7fe15403, 0x8002b783, 0x00b52023, 0x00053507,
                                0x00b53027, 0x0c05252f, 0x1005a52f, 0x18b5252f, 0xe0b5b52f))
put("decoder", "compressed", u16(0x4108) + u16(0x6108) + u16(0x2108) + u16(0xc10c) + u16(0xe10c) +
    u16(0xa10c) + u16(0x4502) + u16(0x6502) + u16(0x2502) + u16(0xc02a) + u16(0xe02a) + u16(0xa02a))

# emulator: header (flags, 16 register bytes, mip, pad) then events
HDR = lambda flags=0, regs=0x43, mip=0: bytes([flags]) + bytes([regs]) * 16 + u16(mip) + b"\0"
I32 = lambda w: b"\x00" + struct.pack("<I", w)
CSR = lambda n, v: b"\x02" + u16(n) + u64(v)
REG = lambda r, v: b"\x03" + bytes([r]) + u64(v)
EXC = lambda c, tval=0: b"\x04" + bytes([c]) + u64(tval)
IRQ = lambda i: b"\x05" + bytes([i])
MMIO = lambda w, kind, v: b"\x07" + struct.pack("<I", w) + bytes([kind]) + u64(v)
put("emulator", "csr-rw", HDR() + I32(0x34059573) + I32(0x30002073) + I32(0x304332f3) +
    I32(0x7a0fd573) + I32(0x30047073) + I32(0x3a059073))
put("emulator", "mret-s", HDR() + CSR(0x3b0, -1) + CSR(0x3a0, 0x1f) + CSR(0x300, 1 << 11) +
    CSR(0x341, 0x80001000) + I32(0x30200073) + EXC(9) + I32(0x34202573))
put("emulator", "os-vs", HDR(flags=3) + EXC(10 | 0x20 | 0x80) + I32(0x30200073) + EXC(8))
put("emulator", "irq", HDR(mip=0x88) + CSR(0x304, 0x888) + CSR(0x300, 8) + IRQ(7) + IRQ(3) +
    I32(0x10500073))
put("emulator", "mmio", HDR() + MMIO(0x0005a503, 0, 0x4000) + MMIO(0x00b53023, 0, 0xbff8) +
    MMIO(0x0c05252f, 0, 0) + MMIO(0x0005a503, 1, 0))
put("emulator", "mprv", HDR() + CSR(0x300, (1 << 17) | (1 << 11)) + MMIO(0x0005a503, 2, 0x80000800) +
    b"\x09" + MMIO(0x00b53023, 2, 0x80000800))
put("emulator", "trace-on", HDR(flags=4) + I32(0x34059573) + I32(0x30200073) + EXC(3))

# mmio: flags then 16-byte records: form funct regs kind u32 u64
R = lambda form, funct, regs, kind, raw, val: bytes([form, funct, regs, kind]) + struct.pack("<I", raw) + u64(val)
put("mmio", "clint", b"\0" + R(0, 2, 10, 0, 0x40000000, 0) + R(1, 3, 11 << 3, 0, 0x40080000, 5) +
    R(4, 2, 10, 0, 0, 1) + R(0, 2, 10, 0, 0x00030000, 0) + R(1, 0, 0, 1, 0, 0x5555))
put("mmio", "amo", b"\0" + R(4, 2, 10, 0, 0x2000, 1) + R(4, 3, 10, 0, 0x3000, 1) + R(4, 2, 12, 0, 0x7000, 2))
put("mmio", "mprv", b"\1" + R(0, 3, 10, 2, 0x01000000, 0) + R(3, 1, 3, 2, 0x02000000, 7) + R(0, 2, 10, 3, 0, 0x1000))
put("mmio", "compressed", b"\0" + R(5, 0, 0, 0, 0x4108, 0) + R(5, 0, 0, 0, 0x6502, 0) + R(6, 0, 0, 0, 0x0005a503, 0))

# trace: filter then 32-byte events
F = lambda kinds, lo, hi, worlds: bytes([kinds]) + u16(lo) + u16(hi) + bytes([worlds])
E = lambda op, kind, priv, a16, a32, pc, a, b: (bytes([op, kind, priv, 0]) + u16(a16) + u16(0) +
                                               struct.pack("<I", a32) + u64(pc) + u64(a) + struct.pack("<I", b))
put("trace", "all", F(0x7f, 0, 0xfff, 3) + b"".join(E(k % 6, k % 7, 3, 0x300, k, 0x80000000 + 4 * k, k, k) for k in range(20)) + E(6, 0, 0, 0, 0, 0, 0, 0))
put("trace", "stream-filter", F(0x03, 0x300, 0x3ff, 0x81) + b"".join(E(0, 1, k & 3, 0x2f0 + k, 0, 0, k, 0) for k in range(40)) + E(7, 0, 3, 0, 0, 0, 0, 0))
put("trace", "overflow", F(0x7f, 0, 0xfff, 3) + b"".join(E(1, 0, 3, 0, 0, k, 0, 0) for k in range(40)) + E(6, 0, 3, 0, 0, 0, 0, 0))
