/* The GDB stub's hooks in the monitor's trap path (all no-ops when CONFIG_GDB is 0). */
#ifndef MIRALIS_GDB_TARGET_H
#define MIRALIS_GDB_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <miralis/decode.h>
#include <miralis/machine.h>

#ifndef CONFIG_GDB
#define CONFIG_GDB 0
#endif

/* What gdb_on_access_fault did with a fault. */
enum { GDB_FAULT_NOT_MINE, GDB_FAULT_STOPPED, GDB_FAULT_EMULATE };

#if CONFIG_GDB
/* Boot, first hart, before the others run: the debugger is expected. */
void gdb_init(struct machine *m, unsigned boot_hart);
/* Boot: the first hart waits for the debugger (the firmware has not run yet); the others
 * park until GDB resumes them. */
void gdb_boot(struct machine *m, struct vcpu *v, bool first);
/* At trap entry: is this hart single-stepping (for gdb_after_trap)? */
bool gdb_hart_stepping(const struct vcpu *v);
/* A breakpoint trap from the firmware: true if it was the debugger's (consumed). */
bool gdb_on_breakpoint(struct vcpu *v);
/* An access fault in the firmware world: did the debugger's watch entry cause it? Then
 * the hart stopped (GDB_FAULT_STOPPED: resume at the same pc) or the access must be
 * performed for the firmware (GDB_FAULT_EMULATE). */
int gdb_on_access_fault(struct vcpu *v, const struct insn *in, uint64_t addr, bool store);
/* Events the user may catch (`monitor catch exceptions|world`). */
void gdb_note_exception(struct vcpu *v);
void gdb_note_world_switch(struct vcpu *v);
/* At trap exit: complete a step, park for another hart's stop, poll for Ctrl-C. */
void gdb_after_trap(struct vcpu *v, bool was_stepping);
/* The monitor's PMP entry for watchpoints: its configuration byte in the firmware world. */
uint8_t gdb_watch_cfg(void);
#else
static inline void gdb_init(struct machine *m, unsigned boot_hart) { (void)m; (void)boot_hart; }
static inline void gdb_boot(struct machine *m, struct vcpu *v, bool first) { (void)m; (void)v; (void)first; }
static inline bool gdb_hart_stepping(const struct vcpu *v) { (void)v; return false; }
static inline bool gdb_on_breakpoint(struct vcpu *v) { (void)v; return false; }
static inline int gdb_on_access_fault(struct vcpu *v, const struct insn *in, uint64_t addr, bool store)
{ (void)v; (void)in; (void)addr; (void)store; return GDB_FAULT_NOT_MINE; }
static inline void gdb_note_exception(struct vcpu *v) { (void)v; }
static inline void gdb_note_world_switch(struct vcpu *v) { (void)v; }
static inline void gdb_after_trap(struct vcpu *v, bool was_stepping) { (void)v; (void)was_stepping; }
static inline uint8_t gdb_watch_cfg(void) { return 0; }
#endif

/* Internal to gdbstub/: watchpoints, monitor commands, stops. */
void gdb_watch_program(struct vcpu *v);
void gdb_stop_here(struct vcpu *v, const char *reason);
bool gdb_read_csr(struct vcpu *v, unsigned csr, uint64_t *val);
int gdb_watch_insert(int type, uint64_t addr, unsigned len);
int gdb_watch_remove(int type, uint64_t addr, unsigned len);
void gdb_watch_clear(void);
void gdb_monitor_command(void *ctx, const char *cmd, char *out, size_t outlen);

#endif
