"""The tracer end to end: the record format (the monitor's own tracer/trace.c built for the
host, build/host/trace-encode), the host tool tracer/miralis-trace, and traces of QEMU runs
under tracing monitors built by `make trace-test-builds` (build/trace-*)."""
import base64
import csv
import io
import json
import re
import struct
import subprocess
import sys

import pytest
from conftest import BUILD, OPENSBI, ROOT, guest_lines, run_qemu

TOOL = ROOT / "tracer" / "miralis-trace"
ENCODER = BUILD / "host" / "trace-encode"
HELLO = BUILD / "payloads" / "hello.bin"
HELLO_ELF = BUILD / "payloads" / "hello.elf"
SEQ = BUILD / "firmwares" / "trace_csr_seq"
EVENTS = BUILD / "firmwares" / "trace_events"
FIELDS = ("kind", "hart", "world", "arg16", "arg32", "time", "pc", "a", "b")
U64 = (1 << 64) - 1


def tool(*args, stdin=None):
    p = subprocess.run([sys.executable, str(TOOL), *map(str, args)], input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout.decode(), p.stderr.decode()


def decode_jsonl(path, *args):
    """The decoded events (the D/E counter lines that follow them are left out)."""
    out, _ = tool("decode", path, "--format", "jsonl", *args)
    return [e for e in map(json.loads, out.splitlines()) if "kind" in e]


def frame(kind, hart=0, world=0, arg16=0, arg32=0, time=0, pc=0, a=0, b=0):
    raw = struct.pack("<BBBBHHIIQQQQ", kind, hart, world, 0, arg16, 0, arg32, 0, time, pc, a, b)
    return b"\x1eMTRACE1 R " + base64.b64encode(raw) + b"\n"


HEADER = b"\x1eMTRACE1 H version=1 record=48 timebase=10000000 kinds=127\n"


# --- the record format -------------------------------------------------------------------
@pytest.fixture(scope="module")
def encoded(tmp_path_factory):
    d = tmp_path_factory.mktemp("enc")
    out = subprocess.run([str(ENCODER)], stdout=subprocess.PIPE, check=True, timeout=60).stdout
    (d / "out.log").write_bytes(out)
    tool("extract", d / "out.log", "-o", d / "trace.jsonl", "--console", d / "console.txt")
    return d, out


def test_record_format_round_trip(encoded):
    d, _ = encoded
    console = (d / "console.txt").read_text()
    expected = [dict((k, int(v)) for k, v in (f.split("=") for f in l.split()[1:]))
                for l in console.splitlines() if l.startswith("expect ")]
    events = decode_jsonl(d / "trace.jsonl", "--order", "stream")
    assert len(events) == len(expected) == 7 * 5 * 8 + 16
    kinds = ["trap", "csr", "emul", "device", "irq", "world", "sbi"]
    for e, x in zip(events, expected):
        got = {"kind": kinds.index(e["kind"]), "hart": e["hart"],
               "world": ["firmware", "os"].index(e["world"]), "arg16": e["arg16"],
               "arg32": e["arg32"], "time": e["time"], "pc": e["pc"], "a": e["a"], "b": e["b"]}
        assert got == x
        assert e["t"] == x["time"] / 10_000_000
    # Coverage: every kind on every hart, both worlds, each field at 0 and at its maximum.
    assert {(x["kind"], x["hart"]) for x in expected} == {(k, h) for k in range(7) for h in range(8)}
    assert {x["world"] for x in expected} == {0, 1}
    for f, top in (("arg16", 0xffff), ("arg32", 0xffffffff), ("time", U64), ("pc", U64),
                   ("a", U64), ("b", U64)):
        assert {0, top, 1} <= {x[f] for x in expected}, f


def test_extract_console_and_counters(encoded):
    d, raw = encoded
    console = (d / "console.txt").read_bytes()
    assert b"\x1e" not in console and b"MTRACE" not in console
    # Frames were removed from the middle of lines: the line is whole again.
    assert console.count(b"mid-line text continues\n") == len(range(0, 7 * 5 * 8, 7))
    assert console.endswith(b"last line\n")
    # Exactly the bytes outside the frames, nothing else.
    assert console == re.sub(rb"\x1eMTRACE1 [^\n]*\n", b"", raw)
    lines = [json.loads(l) for l in (d / "trace.jsonl").read_text().splitlines()]
    assert lines[0] == {"frame": "H", "version": 1, "record": 48, "timebase": 10000000, "kinds": 127}
    counters = [l for l in lines if l["frame"] in "DE"]
    assert {"frame": "D", "hart": 5, "recorded": 51, "dropped": 4} in counters
    ends = {c["hart"]: c for c in counters if c["frame"] == "E"}
    assert sorted(ends) == list(range(8)) and ends[5]["dropped"] == 4
    summary = json.loads(tool("summary", d / "trace.jsonl", "--json")[0])
    assert summary["dropped"] == 4 and summary["records"] == 7 * 5 * 8 + 16
    # The console log and the extracted trace decode the same.
    assert tool("decode", d / "out.log")[0] == tool("decode", d / "trace.jsonl")[0]


def test_names_and_malformed_frames(tmp_path):
    log = (HEADER + b"boot\n"
           + frame(1, arg16=0x300 | 0x8000, arg32=0x30079073, time=10, pc=0x80000010, a=0, b=0x8)
           + frame(1, arg16=0x340, time=11, a=0x55, b=0x55)
           + frame(0, world=1, time=12, a=9, b=0)
           + frame(0, time=13, a=(1 << 63) | 7)
           + frame(2, arg16=9, arg32=0x30200073, time=14)
           + frame(3, arg16=8 | 0x100, arg32=0, time=15, a=0x2004000, b=0x1234)
           + frame(4, arg16=3, time=16, a=(1 << 63) | 3, b=8)
           + frame(6, world=1, arg16=0, time=17, a=0x48534D, b=0)
           + frame(5, arg16=1, arg32=3, time=18, a=9)
           + frame(5, arg16=0, arg32=1, time=19)
           + frame(6, world=1, arg16=1, time=20, a=(1 << 64) - 2, b=0)
           + frame(6, world=1, arg16=0, time=21, a=0x10, b=3)
           + frame(6, world=1, arg16=0, time=22, a=0x01, b=0)
           + b"half a li" + b"\x1eMTRACE1 R !!notbase64\n" + b"ne\n"
           + b"\x1eMTRACE1 R QUFB\n"
           + b"\x1eMTRACE9 R " + b"A" * 64 + b"\n"
           + b"a lone \x1e stays\n")
    (tmp_path / "c.log").write_bytes(log)
    out, err = tool("decode", tmp_path / "c.log")
    for name in ("write mstatus (0x300) old=0x0 new=0x8", "read  mscratch (0x340) value=0x55",
                 "supervisor_ecall", "machine_timer", " mret ", "clint store 8B addr=0x2004000",
                 "machine_software (irq 3)", "call hsm.hart_start", "to-firmware priv=M",
                 "to-os priv=S", "return hsm.hart_start error=NOT_SUPPORTED",
                 "call base.probe_extension", "call legacy_console_putchar"):
        assert name in out, (name, out)
    assert err.count("warning") == 3, err  # bad base64, short record, unknown version
    console, _ = tool("extract", tmp_path / "c.log")
    assert console == "boot\nhalf a line\na lone \x1e stays\n"
    # Host filters.
    assert all(" csr " in l for l in tool("decode", tmp_path / "c.log", "--kind", "csr")[0].splitlines())
    only = tool("decode", tmp_path / "c.log", "--csr", "mstatus")[0].splitlines()
    assert len(only) == 1 and "mstatus" in only[0]
    assert len(tool("decode", tmp_path / "c.log", "--csr", "0x300-0x3ff")[0].splitlines()) == 2
    assert len(tool("decode", tmp_path / "c.log", "--since", "1.5e-6", "--until", "1.65e-6")[0].splitlines()) == 2


# --- QEMU runs ---------------------------------------------------------------------------
def traced_run(tmp_path, build, firmware, kernel=None, smp=1, extra=(), timeout=60,
               platform="virt"):
    rc, out = run_qemu(firmware, kernel=kernel, smp=smp, build=BUILD / build, timeout=timeout,
                       extra=extra, platform=platform)
    log = tmp_path / "console.log"
    log.write_bytes(out.encode())
    tool("extract", log, "-o", tmp_path / "trace.jsonl", "--console", tmp_path / "console.txt")
    return rc, (tmp_path / "console.txt").read_text(), tmp_path / "trace.jsonl"


def value_of(console, key):
    return int(re.search(rf"^{key}: (0x[0-9a-f]+)", console, re.M).group(1), 16)


def test_csr_sequence_end_to_end(tmp_path):
    rc, console, trace = traced_run(tmp_path, "trace-csr", SEQ.with_suffix(".bin"))
    assert rc == 0 and "DONE trace_csr_seq" in console, console
    events = decode_jsonl(trace, "--elf", SEQ.with_suffix(".elf"))
    assert {e["kind"] for e in events} == {"csr"}  # TRACE=csr: nothing else recorded
    steps = [e for e in events if (e["function"] or "").startswith("step_")]
    for e in steps:
        assert re.fullmatch(rf"{e['function']}\+0x[0-9a-f]+", e["symbol"]), e["symbol"]
    got = [(e["function"], e["csr_name"], e["access"], e["old"], e["new"]) for e in steps]
    mstatus = value_of(console, "step_two mstatus")
    medeleg = value_of(console, "step_six medeleg")
    tvec = got[4][3] if len(got) > 4 else None
    expected = [
        ("step_one", "mscratch", "write", 0, 0x1111),
        ("step_one", "mscratch", "write", 0x1111, 0x2222),
        ("step_one", "mscratch", "read", 0x2222, 0x2222),
        ("step_two", "mstatus", "read", mstatus, mstatus),
        ("step_three", "mtvec", "read", tvec, tvec),
        ("step_three", "mtvec", "write", tvec, tvec | 1),
        ("step_three", "mtvec", "write", tvec | 1, tvec),
        ("step_three", "mtvec", "read", tvec, tvec),
        ("step_four", "mie", "write", 0, 0x88),
        ("step_four", "mie", "write", 0x88, 0),
        ("step_five", "mscratch", "write", 0x2222, 5),
        ("step_five", "mscratch", "read", 5, 5),
        ("step_six", "medeleg", "write", 0, medeleg),
        ("step_six", "medeleg", "read", medeleg, medeleg),
        ("step_six", "medeleg", "write", medeleg, 0),
        ("step_six", "sscratch", "write", 0, 0x3333),
        ("step_six", "sscratch", "read", 0x3333, 0x3333),
    ]
    assert got == expected
    assert tvec and tvec & 3 == 0 and tvec >= 0x80000000
    # The text report says the same, with names and symbols.
    text = tool("decode", trace, "--elf", SEQ.with_suffix(".elf"), "--csr", "mscratch")[0]
    assert re.search(r"write mscratch \(0x340\) old=0x0 new=0x1111 .* @ step_one\+0x[0-9a-f]+", text), text


def event_summary(e):
    """The fields that identify a non-CSR event, for comparing sequences."""
    keys = {"device": ("access", "width", "addr", "value"), "emul": ("op_name",),
            "world": ("direction", "priv"), "irq": ("irq",),
            "sbi": ("access", "ext", "fid", "error", "value")}[e["kind"]]
    return (e["world"], e["kind"], e["function"]) + tuple(e.get(k) for k in keys)


def test_events_end_to_end(tmp_path):
    """Device accesses, emulated instructions, world switches, an SBI call and its return,
    an injected interrupt: the records the dispatcher's traced path derives from the hart's
    state before and after each trap (tracer/trace_trap.c), in order, with their values."""
    rc, console, trace = traced_run(tmp_path, "trace-all", EVENTS.with_suffix(".bin"))
    assert rc == 0 and "DONE trace_events" in console, console
    events = decode_jsonl(trace, "--elf", EVENTS.with_suffix(".elf"))
    start = next(i for i, e in enumerate(events) if e["function"] == "dev_store")
    end = next(i for i, e in enumerate(events) if e["function"] == "main" and i > start)
    got = [event_summary(e) for e in events[start:end] if e["kind"] not in ("trap", "csr")]
    ext, lower_exit, timecmp = 0x54455354, 0x4d49524c, 0x2004000
    fw, os_ = "firmware", "os"
    assert got == [
        (fw, "device", "dev_store", "store", 8, timecmp, 0x123456789abcdef0),
        (fw, "device", "dev_load", "load", 8, timecmp, 0x123456789abcdef0),
        (fw, "device", "dev_load", "load", 4, timecmp + 4, 0x12345678),
        (fw, "emul", "run_lower", "mret"),
        (os_, "world", "s_mode_call", "to-os", "S"),
        (os_, "sbi", "s_mode_call", "call", ext, 7, None, None),
        (fw, "world", "trap_entry", "to-firmware", "M"),
        (fw, "emul", "trap_entry", "mret"),
        (os_, "world", "s_mode_call", "to-os", "S"),
        (os_, "sbi", "s_mode_call", "return", ext, 7, 0, 0x77),
        (os_, "sbi", "lower_exit_stub", "call", lower_exit, 7, None, None),
        (fw, "world", "trap_entry", "to-firmware", "M"),
        (fw, "emul", "trap_entry", "mret"),            # back to M: no world switch
        (fw, "device", "software_irq", "store", 4, 0x2000000, 1),
        (fw, "emul", "wait_irq", "wfi"),
        (fw, "irq", "wait_irq", 3),
        (fw, "device", "on_irq", "store", 4, 0x2000000, 0),
        (fw, "emul", "trap_entry", "mret"),
    ], got
    # Every device record follows the access fault it completes, at the same pc.
    for i, e in enumerate(events):
        if e["kind"] == "device":
            assert events[i - 1]["kind"] == "trap" and events[i - 1]["pc"] == e["pc"]
    assert value_of(console, "sbi_call a1") == 0x77


# Traps per operation of firmwares/bench_traps (the round trips: ecall, csrr mepc, csrw mepc,
# mret; or the OS's ecall then the firmware's three).
BENCH_TRAPS = {"csr-read": 1, "csr-write": 1, "mstatus-set": 1, "clint-mtime-read": 1,
               "firmware-ecall-roundtrip": 4, "os-ecall-roundtrip": 4}


def test_tracer_off_costs_two_instructions_per_trap():
    """Compiled in but off, the tracer adds one load and one branch per trap: `make bench`'s
    comparison (QEMU -icount, deterministic) of the default monitor with one built with
    TRACE_COMPILE=0 (build/trace-none)."""
    p = subprocess.run([str(ROOT / "scripts" / "bench"), "--tracer-off-vs", str(BUILD / "trace-none")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, text=True)
    assert p.returncode == 0, p.stdout
    cost = {l.split()[0]: float(l.split()[-1]) for l in p.stdout.splitlines()[1:]}
    assert set(BENCH_TRAPS) <= set(cost), p.stdout
    # Each figure is truncated to one decimal by the firmware: a difference may be 0.1 off.
    for op, traps in BENCH_TRAPS.items():
        assert -0.15 <= cost[op] <= 2 * traps + 0.15, (op, p.stdout)


def test_board_without_time_csr(tmp_path):
    """QEMU's sifive_u has no time CSR (its CLINT does not provide rdtime): the records'
    timestamps come from the CLINT's mtime instead. OpenSBI + the payload, 3 harts (the board
    has no power-off device the monitor sees: a small streamed ring gets the records out)."""
    rc, console, trace = traced_run(tmp_path, "trace-board", OPENSBI / "fw_jump.bin", smp=3,
                                    kernel=HELLO, platform="sifive_u")
    assert "Hello, world!" in console and "PANIC" not in console, console
    events = decode_jsonl(trace, "--platform", "sifive_u")
    calls = [e for e in events if e["kind"] == "sbi" and e["access"] == "call"]
    assert len(calls) >= len("Hello, world!"), len(calls)
    times = [e["time"] for e in events if e["hart"] == calls[0]["hart"]]
    assert times == sorted(times) and times[-1] > times[0] > 0, times[:5]


def test_csr_range_filtered_in_the_monitor(tmp_path):
    """TRACE_CSR=0x300-0x3ff: only M-level CSRs are recorded (sscratch is not)."""
    rc, console, trace = traced_run(tmp_path, "trace-mcsr", SEQ.with_suffix(".bin"))
    assert rc == 0 and "DONE trace_csr_seq" in console
    events = decode_jsonl(trace, "--elf", SEQ.with_suffix(".elf"))
    assert events and all(0x300 <= e["csr"] <= 0x3ff for e in events)
    names = [e["csr_name"] for e in events if e["function"] == "step_six"]
    assert names == ["medeleg"] * 3


def test_opensbi_payload_all_kinds(tmp_path):
    rc, console, trace = traced_run(tmp_path, "trace-all", OPENSBI / "fw_jump.bin", kernel=HELLO)
    assert rc == 0, console
    assert "Hello, world!" in console  # frames in the middle of the line are gone
    assert "OpenSBI" in console and "MTRACE" not in console
    elfs = ["--elf", OPENSBI / "fw_jump.elf", "--elf", HELLO_ELF]
    s = json.loads(tool("summary", trace, *elfs, "--json")[0])
    assert s["sbi_extensions"]["legacy_console_putchar (0x1)"] == len("Hello, world!\n")
    assert s["sbi_extensions"]["srst (0x53525354)"] == 1
    assert s["sbi_calls"]["srst.system_reset"] == 1
    sw = s["world_switches"]["0"]
    assert sw["to-os"] >= 15 and sw["to-firmware"] >= 15
    assert s["dropped"] == 0 and s["bad_frames"] == 0
    assert s["traps"]["illegal_instruction"]["firmware"] > 0
    assert s["traps"]["supervisor_ecall"]["os"] == 15
    assert s["csr"]["mstatus"]["reads"] > 0 and s["emulated"]["mret"] > 0
    text = tool("summary", trace, *elfs)[0]
    assert "SBI calls by extension:" in text and "legacy_console_putchar (0x1)" in text
    assert "world switches:" in text and "hart 0: to-os=" in text
    # The payload's SBI calls are symbolized from its ELF; the stripped OpenSBI's trap
    # handler shows as a raw address.
    calls = decode_jsonl(trace, *elfs, "--kind", "sbi")
    assert calls and all(re.fullmatch(r"_start\+0x[0-9a-f]+", e["symbol"]) for e in calls)
    to_fw = decode_jsonl(trace, *elfs, "--kind", "world", "--world", "firmware")
    assert to_fw and all(re.fullmatch(r"0x[0-9a-f]+", e["symbol"]) for e in to_fw)
    # Filters and formats.
    assert {e["world"] for e in decode_jsonl(trace, "--world", "os")} == {"os"}
    all_ev = decode_jsonl(trace)
    mid = all_ev[len(all_ev) // 2]["t"]
    later = decode_jsonl(trace, "--since", str(mid))
    assert 0 < len(later) < len(all_ev) and all(e["t"] >= mid for e in later)
    rows = list(csv.DictReader(io.StringIO(tool("decode", trace, "--format", "csv", "--hart", "0")[0])))
    assert len(rows) == len(all_ev) and rows[0]["kind"] and rows[0]["t"]
    # Perfetto JSON.
    tool("perfetto", trace, *elfs, "-o", tmp_path / "perfetto.json")
    doc = json.loads((tmp_path / "perfetto.json").read_text())
    ev = doc["traceEvents"]
    for e in ev:
        assert {"ph", "ts", "pid", "tid", "name"} <= set(e), e
    slices = [e for e in ev if e["ph"] == "X"]
    assert sum(e["name"] == "SBI legacy_console_putchar" for e in slices) == 14
    assert all(e["dur"] >= 0 for e in slices)
    assert any(e["ph"] == "i" and e["cat"] == "csr" for e in ev)
    assert any(e["ph"] == "M" and e["name"] == "thread_name" and e["args"]["name"] == "hart 0" for e in ev)
    # Figures.
    out, _ = tool("plot", trace, "-o", tmp_path / "plots")
    pngs = out.split()
    assert len(pngs) >= 3
    for p in pngs:
        assert open(p, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", ["csr_sweep", "garbage_insns"])
def test_ring_overflow_counted(tmp_path, name):
    """TRACE_RING=16 TRACE_STREAM=0: a busy firmware overflows the ring; drops are counted,
    what was kept decodes, and the console text is exactly the native run's."""
    fw = BUILD / "firmwares" / f"{name}.bin"
    rc, console, trace = traced_run(tmp_path, "trace-ring", fw)
    assert rc == 0 and f"DONE {name}" in console, console
    lines = [json.loads(l) for l in trace.read_text().splitlines()]
    ends = [l for l in lines if l["frame"] == "E"]
    drops = [l for l in lines if l["frame"] == "D"]
    assert ends and ends[0]["dropped"] > 0 and ends[0]["recorded"] == 16
    assert drops and drops[-1]["dropped"] == ends[0]["dropped"]
    events = decode_jsonl(trace)
    assert len(events) == 16
    assert json.loads(tool("summary", trace, "--json")[0])["dropped"] == ends[0]["dropped"]
    rc_n, native = run_qemu(fw, native=True, timeout=30)
    assert guest_lines(console) == guest_lines(native)


def test_linux_boot_traced(tmp_path):
    """OpenSBI + Linux (2 harts, through userspace to power-off) under a monitor tracing SBI
    calls and world switches (every kind would be millions of console bytes): the records
    stream out without loss and the summary shows what Linux asked of the firmware."""
    image, initrd = BUILD / "linux" / "virt" / "Image", BUILD / "linux" / "initramfs.cpio.gz"
    assert image.exists() and initrd.exists(), "run 'make linux-images initramfs'"
    rc, console, trace = traced_run(
        tmp_path, "trace-sbi", OPENSBI / "fw_jump.bin", kernel=image, smp=2, timeout=240,
        extra=["-initrd", str(initrd), "-append", "console=ttyS0 workload=ipi panic=-1"])
    assert "MIRALIS-INIT: done passed=1 failed=0" in console, console[-3000:]
    assert "reboot: Power down" in console and rc == 0
    s = json.loads(tool("summary", trace, "--json")[0])
    ext = s["sbi_extensions"]
    # Linux probes the base extension, starts hart 1 through HSM, sends IPIs, powers off.
    assert any(k.startswith("base ") for k in ext), ext
    assert any(k.startswith("hsm ") for k in ext), ext
    assert any(k.startswith("ipi ") for k in ext), ext
    assert ext.get("srst (0x53525354)") == 1, ext
    assert s["dropped"] == 0 and s["bad_frames"] == 0, s
    for hart in ("0", "1"):
        sw = s["world_switches"][hart]
        assert sw["to-os"] >= 1 and sw["to-firmware"] >= 1, s["world_switches"]
    text = tool("summary", trace)[0]
    assert "SBI calls by extension:" in text
    perfetto = tmp_path / "linux.json"
    tool("perfetto", trace, "-o", perfetto)
    events = json.loads(perfetto.read_text())["traceEvents"]
    assert len({e["tid"] for e in events if e.get("ph") == "X"}) == 2  # a track per hart
