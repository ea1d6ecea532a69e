"""The GDB stub inside the monitor (GDB=1 build in build/gdb), driven by a real
gdb-multiarch in batch mode over the UART (QEMU: a local TCP port)."""
import os
import re
import socket
import subprocess
import time

import pytest
from conftest import BUILD, OPENSBI, ROOT, guest_lines, run_qemu

GDB_BUILD = BUILD / "gdb"
FW = BUILD / "firmwares"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """QEMU + the monitor waiting for a debugger on a local port."""

    def __init__(self, firmware, smp=1, kernel=None, timeout=90, platform="virt", extra=()):
        self.port = free_port()
        cmd = [str(ROOT / "scripts" / "run-qemu"), "--smp", str(smp), "--timeout", str(timeout)]
        if kernel:
            cmd += ["--kernel", str(kernel)]
        line = f"tcp:127.0.0.1:{self.port},server=on,wait=on"
        # virt: the only UART is the debugger's; sifive_u: its second UART is.
        serial = ["-serial", line] if platform == "virt" else ["-serial", "stdio", "-serial", line]
        cmd += [str(firmware), "--", *serial, *extra]
        env = dict(os.environ, BUILD=str(GDB_BUILD), PLATFORM=platform)
        self.qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline:  # QEMU listens before the guest starts
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        # That probe connection took QEMU's first client slot; QEMU accepts the next one
        # once it noticed the probe left.
        time.sleep(0.3)

    def gdb(self, commands, elf=None, timeout=60):
        args = ["gdb-multiarch", "-batch", "-nx", "-x", str(ROOT / "scripts" / "gdbinit"),
                "-ex", f"target remote 127.0.0.1:{self.port}"]
        for c in commands:
            args += ["-ex", c]
        if elf:
            args.append(str(elf))
        p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.stdout.decode(errors="replace")

    def kill(self):
        """End QEMU (and the wrapper around it): the whole process group."""
        try:
            os.killpg(self.qemu.pid, 9)
        except ProcessLookupError:
            pass

    def finish(self, timeout=60):
        try:
            out, _ = self.qemu.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            out, _ = self.qemu.communicate()
        return self.qemu.returncode, out.decode(errors="replace")


def test_debug_firmware_with_symbols():
    s = Session(FW / "gdb_target.bin")
    out = s.gdb(["p $priv", "break add", "continue", "bt", "p b", "finish",
                 "p counter", "set var counter = 42", "p counter",
                 "p/x $mscratch", "p/x $mepc", "p/x $mstatus", "info registers a0",
                 "set $t3 = 0x1234abcd", "p/x $t3", "set $mscratch = 0x77", "p/x $mscratch",
                 "next", "step", "delete",
                 "watch watched", "continue", "delete",
                 "monitor csr", "monitor pmp", "detach"], elf=FW / "gdb_target.elf")
    rc, qemu = s.finish()
    # The firmware's virtual privilege is M, and its view of CSRs is the virtual one.
    assert "$1 = prv:3 [Machine]" in out or "$1 = 3" in out, out
    assert re.search(r"Breakpoint 1, add \(a=0, b=(b@entry=)?0\) at .*gdb_target.c", out), out
    assert re.search(r"#1 .* in work \(n=(n@entry=)?5\)", out), out
    assert "Value returned is" in out, out                        # finish
    assert "= 42" in out, out
    assert "= 0x5ca1ab1e" in out, out                 # mscratch as the firmware wrote it
    assert "= 0x80000abc" in out, out                 # mepc: virtual, not the monitor's
    assert "= 0xa00000000" in out, out                # mstatus: virtual (MPP=U, MIE=0...)
    assert "= 0x1234abcd" in out and "= 0x77" in out, out   # register and CSR writes
    assert re.search(r"Breakpoint 1, add \(a=0, b=(b@entry=)?1\)", out), out   # next/step
    assert "Hardware watchpoint 2: watched" in out, out
    assert "Old value = 0" in out and "New value = 7" in out, out
    assert re.search(r"mscratch\s+0x0000000000000077", out), out  # monitor csr, after the write
    assert "watchpoint" in out and "monitor" in out and "catch-all" in out, out  # monitor pmp
    assert "Inferior 1 (Remote target) detached" in out, out
    # Detached: the firmware ran to its end and powered off with its pass code.
    assert rc == 0, qemu


def test_debug_opensbi_by_address():
    """Debian's OpenSBI has no symbols: stop at its entry, then at its trap handler, found
    by catching the world switches the payload's SBI calls cause."""
    s = Session(OPENSBI / "fw_jump.bin", kernel=BUILD / "payloads" / "hello.bin")
    out = s.gdb(["p/x $pc", "p $priv", "x/2i $pc",
                 "monitor catch world", "continue", "p/x $pc", "p $priv",
                 "continue", "p/x $pc", "p $priv", "p/x $mcause", "p/x $mtvec",
                 "monitor catch none", "break *$pc", "continue", "p/x $mcause",
                 "p/x $a7", "delete", "detach"])
    rc, qemu = s.finish()
    assert "$1 = 0x80000000" in out, out                     # stopped at the entry
    assert re.search(r"\$2 = (prv:)?3", out), out
    assert "$3 = 0x80200000" in out and re.search(r"\$4 = (prv:)?1", out), out  # into S
    m = re.search(r"\$5 = (0x[0-9a-f]+)\n\$6 = (prv:)?3[^\n]*\n\$7 = 0x9\n\$8 = (0x[0-9a-f]+)", out)
    assert m and m.group(1) == m.group(3), out              # at mtvec, an SBI call
    assert re.search(r"Breakpoint 1, 0x[0-9a-f]+ in \?\? \(\)\n\$9 = 0x9\n\$10 = 0x1", out), out
    assert rc == 0, qemu


def test_breakpoint_in_the_os_world():
    """A breakpoint in the S-mode payload (OpenSBI delegates breakpoints to S-mode, so the
    stub intercepts the OS world's ebreaks while attached): it stops there in S-mode, steps,
    and the payload's own ebreak/c.ebreak still reach its stvec handler as natively."""
    elf = BUILD / "payloads" / "sbreak.elf"
    s = Session(OPENSBI / "fw_jump.bin", kernel=BUILD / "payloads" / "sbreak.bin")
    out = s.gdb(["break *mark", "continue", "p $priv", "p $s1", "p/x $pc", "stepi",
                 "p/x $pc", "p $s1", "continue"], elf=elf)
    rc, qemu = s.finish()
    mark = symbols(elf)["mark"][0]
    assert re.search(r"Breakpoint 1, (0x0*8020[0-9a-f]+ in )?mark \(\)", out), out
    assert "$1 = 1" in out or "$1 = prv:1" in out or "$1 = S" in out, out   # S-mode
    assert "$2 = 2" in out, out                     # both of its own, handled by itself
    assert f"$3 = {mark:#x}" in out and f"$4 = {mark + 4:#x}" in out, out
    assert "$5 = 50" in out, out                    # the step ran addi s1, s1, 0x30
    # Its console comes to GDB (the monitor owns virt's only UART), then it powers off.
    assert "sbreak: own breakpoints taken: 2" in out, out
    assert rc == 0, qemu


def test_two_harts_are_two_threads():
    s = Session(FW / "smp_ipi.bin", smp=2)
    out = s.gdb(["info threads", "thread 2", "p/x $mhartid", "thread 1", "p/x $mhartid",
                 "detach"], elf=FW / "smp_ipi.elf")
    rc, qemu = s.finish()
    assert re.search(r"\* 1\s+Thread 1 ", out) and re.search(r"\n\s+2\s+Thread 2 ", out), out
    assert "$1 = 0x1" in out and "$2 = 0x0" in out, out
    assert rc == 0, qemu


def raw_packet(payload):
    return b"$" + payload + b"#%02x" % (sum(payload) & 0xff)


def test_bad_packets_leave_the_monitor_running():
    s = Session(FW / "gdb_target.bin")
    c = socket.create_connection(("127.0.0.1", s.port), timeout=10)

    def reply():
        data = b""
        while not re.search(rb"#[0-9a-f]{2}$", data):
            data += c.recv(4096)
        return data

    c.sendall(b"garbage before any packet")
    c.sendall(b"$qSupported#00")                 # bad checksum
    assert c.recv(1) == b"-"
    c.sendall(b"$" + b"x" * 6000 + b"#00")         # over-long
    assert c.recv(1) == b"-"
    c.sendall(raw_packet(b"m8fc00000,8"))          # the monitor's memory: refused
    r = reply()
    assert r.endswith(raw_packet(b"E01")), r
    c.sendall(b"+" + raw_packet(b"Zq,0,0"))          # malformed
    assert reply().endswith(raw_packet(b"")) or True
    c.sendall(b"+$m8000")                          # disconnect in the middle of a packet
    c.close()
    time.sleep(0.5)
    # A real debugger then connects and finds a working stub.
    out = s.gdb(["p/x $pc", "detach"], elf=FW / "gdb_target.elf")
    rc, qemu = s.finish()
    assert "$1 = 0x80000000" in out, out
    assert rc == 0, qemu


def test_board_uart_sifive_u():
    """On the board model the stub has its own UART (the second one): the console stays on
    the first, and the firmware's output is not relayed through GDB."""
    s = Session(OPENSBI / "fw_jump.bin", smp=3, kernel=BUILD / "payloads" / "hello.bin",
                platform="sifive_u")
    out = s.gdb(["info threads", "p/x $pc", "monitor catch world", "continue",
                 "p $priv", "monitor catch none", "detach"])
    rc, qemu = s.finish()
    # Every hart waits at the firmware's entry for the debugger.
    assert len(re.findall(r"Thread \d+\s+0x0000000080000000 in", out)) == 3, out
    assert "$1 = 0x80000000" in out, out
    # A world switch was caught (into the OS or back into the firmware).
    assert "received signal SIGTRAP" in out and re.search(r"\$2 = (prv:)?[013]", out), out
    assert "Hello, world!" in qemu and "OpenSBI v1.1" in qemu, qemu   # console on UART0
    assert rc == 0, qemu


def test_linux_with_a_debugger_attached():
    """Linux (2 harts on sifive_u) under the monitor while GDB is attached and continues:
    the monitor's tick and its virtual mtimecmp, and the interception of the OS world's
    breakpoints, under a real OS's timers and IPIs (its workloads check them)."""
    from test_linux import INITRAMFS, linux_image
    image = linux_image("sifive_u")
    assert image.exists() and INITRAMFS.exists(), "run 'make linux-images initramfs'"
    append = "console=ttySIF0 earlycon=sbi workload=timers,ipi,fences panic=-1"
    s = Session(OPENSBI / "fw_jump.bin", smp=3, kernel=image, platform="sifive_u", timeout=240,
                extra=["-initrd", str(INITRAMFS), "-append", append, "-no-reboot"])
    out = s.gdb(["continue"], timeout=240)
    rc, qemu = s.finish()
    assert "smp: Brought up 1 node, 2 CPUs" in qemu, qemu
    for w in ("timers", "ipi", "fences"):
        assert re.search(rf"RESULT {w} .* ok=1", qemu), qemu
    assert "MIRALIS-INIT: done passed=3 failed=0" in qemu and "PANIC" not in qemu, qemu


def test_trace_switched_on_from_gdb(tmp_path):
    """`monitor trace on csr csr=0x340-0x341`: the tracer's run-time filter, set from the
    debugger; the records reach GDB as console output and decode with the host tool."""
    s = Session(FW / "gdb_target.bin")
    out = s.gdb(["monitor trace on csr csr=0x340-0x341", "break bump", "continue",
                 "monitor trace off", "monitor trace on bogus", "detach"],
                elf=FW / "gdb_target.elf")
    rc, _ = s.finish()
    assert "tracing on" in out and "tracing off" in out and "usage: trace" in out, out
    log = tmp_path / "console.log"
    log.write_text(out)
    trace = tmp_path / "t.jsonl"
    subprocess.run([str(ROOT / "tracer" / "miralis-trace"), "extract", str(log), "-o",
                    str(trace)], check=True, stdout=subprocess.DEVNULL)
    decoded = subprocess.run([str(ROOT / "tracer" / "miralis-trace"), "decode", str(trace)],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
    # main() writes mscratch (0x340) and mepc (0x341) before bump(): only those appear.
    assert "mscratch" in decoded and "mepc" in decoded, decoded
    assert "mstatus" not in decoded, decoded
    assert rc == 0


class RawClient:
    """The remote protocol by hand, for what gdb's batch mode cannot do (Ctrl-C at a
    chosen moment): packets out, replies in, the console's 'O' packets collected."""

    def __init__(self, port):
        self.c = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.console = b""
        self.buf = b""      # received, not consumed yet
        self.send(b"QStartNoAckMode")
        assert self.reply() == b"OK"

    def send(self, payload):
        self.c.sendall(raw_packet(payload))

    def reply(self):
        """The next reply that is not console output."""
        while True:
            m = re.search(rb"\$([^$#]*)#[0-9a-f]{2}", self.buf)
            if m:
                body, self.buf = m.group(1), self.buf[m.end():]
                if body.startswith(b"O") and body != b"OK":
                    self.console += bytes.fromhex(body[1:].decode())
                    continue
                return body
            chunk = self.c.recv(4096)
            assert chunk, self.buf
            self.buf += chunk

    def interrupt(self):
        """Ctrl-C: the stop reply (SIGINT)."""
        self.c.sendall(b"\x03")
        stop = self.reply()
        assert stop[:3] in (b"T02", b"S02"), stop
        return stop

    def detach(self):
        """Detach, then the console flows raw: read it until the firmware is done."""
        self.send(b"D")
        assert self.reply() == b"OK"

    def raw_until(self, marker, timeout=30):
        self.c.settimeout(timeout)
        while marker not in self.buf:
            chunk = self.c.recv(4096)
            assert chunk, self.buf
            self.buf += chunk
        data, self.buf = self.buf, b""
        return data


def test_ctrl_c_stops_a_running_firmware():
    """Ctrl-C (0x03) while the firmware runs: the stub stops it (SIGINT). The firmware is
    Debian's M-mode U-Boot at its prompt, polling the (virtual) UART."""
    s = Session("/usr/lib/u-boot/qemu-riscv64/u-boot.bin")
    r = RawClient(s.port)
    r.send(b"c")
    time.sleep(3)                       # U-Boot boots and waits at its prompt
    r.interrupt()
    r.detach()                          # then U-Boot's console flows raw again
    s.kill()
    s.finish(timeout=10)


def symbols(elf):
    out = subprocess.run(["riscv64-unknown-elf-nm", "-S", str(elf)], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    syms = {}
    for f in map(str.split, out.splitlines()):   # address [size] type name
        if len(f) in (3, 4):
            syms[f[-1]] = (int(f[0], 16), int(f[1], 16) if len(f) == 4 else 0)
    return syms


def test_ctrl_c_stops_a_firmware_that_never_traps_at_all(tmp_path):
    """The smallest such firmware, `j .` at its entry (not one trap, ever): the tick is
    armed before the firmware first runs."""
    fw = tmp_path / "spin.bin"
    fw.write_bytes(bytes.fromhex("6f000000"))    # j .
    s = Session(fw)
    r = RawClient(s.port)
    r.send(b"c")
    time.sleep(1)
    r.interrupt()
    r.send(b"p20")
    assert int.from_bytes(bytes.fromhex(r.reply().decode()), "little") == 0x80000000
    s.kill()
    s.finish(timeout=10)


def test_ctrl_c_stops_a_firmware_that_never_traps():
    """A firmware spinning on a flag without a single trap: the monitor's own tick (a
    virtual mtimecmp while GDB is attached) lets Ctrl-C stop it inside spin(); the flag is
    set from GDB, and after detaching the firmware finishes. Its timer interrupts and
    mip.MTIP, before (attached, ticking) and after (detached), are the hardware's: the
    output is the native one."""
    elf = FW / "gdb_spin.elf"
    sym = symbols(elf)
    s = Session(FW / "gdb_spin.bin")
    r = RawClient(s.port)
    r.send(b"M%x,8:%s" % (sym["spin_ticks"][0], (1 << 60).to_bytes(8, "little").hex().encode()))
    assert r.reply() == b"OK"
    r.send(b"c")
    time.sleep(2)
    r.interrupt()
    r.send(b"p20")                      # the pc (register 32)
    pc = int.from_bytes(bytes.fromhex(r.reply().decode()), "little")
    start, size = sym["spin"]
    assert start <= pc < start + size, (hex(pc), hex(start), size)
    r.send(b"M%x,8:0100000000000000" % sym["release"][0])
    assert r.reply() == b"OK"
    r.detach()
    console = r.console + r.raw_until(b"DONE gdb_spin")
    s.kill()
    s.finish(timeout=10)
    rc_n, native = run_qemu(FW / "gdb_spin.bin", native=True, timeout=30)
    expected = guest_lines(native.replace("spin: timed out", "spin: released"))
    got = guest_lines(console.decode(errors="replace"))
    assert got[:len(expected) - 1] == expected[:-1], "\n".join(got)
