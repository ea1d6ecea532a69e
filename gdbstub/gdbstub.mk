# GDB stub, protocol side (gdbstub/README.md). Pure C: built into the host unit tests here;
# the monitor build adds $(GDBSTUB_SOURCES) where it integrates the stub.
# Include this file AFTER tests/tests.mk (it appends to its HOST_* variables):
#     include gdbstub/gdbstub.mk

GDBSTUB_SOURCES   := $(wildcard gdbstub/gdb_packet.c gdbstub/gdb_server.c gdbstub/gdb_xml.c)
GDBSTUB_HOST_OBJS := $(patsubst %.c,$(HOST_BUILD)/%.o,$(GDBSTUB_SOURCES))

HOST_CORE   += $(GDBSTUB_SOURCES)
HOST_OBJS   += $(GDBSTUB_HOST_OBJS)
# -DGDBSTUB_HOST_CORE: tests/unit/test_gdb.c then links these objects instead of including
# the sources itself (which it does while this file is not included).
HOST_CFLAGS += -Igdbstub -DGDBSTUB_HOST_CORE

# tests.mk expanded the prerequisites of unit-tests already: add ours ($^ has all of them).
$(HOST_BUILD)/unit-tests: $(GDBSTUB_HOST_OBJS)

# A fake target served over TCP, for checking the stub against a real gdb-multiarch.
$(HOST_BUILD)/gdb-fake-server: tests/tools/gdb_fake_server.c $(GDBSTUB_SOURCES) $(wildcard gdbstub/*.h)
	@mkdir -p $(@D)
	@$(HOST_CC) $(HOST_CFLAGS) tests/tools/gdb_fake_server.c $(GDBSTUB_SOURCES) -o $@

ifneq ($(wildcard tests/tools/gdb_fake_server.c),)
host-tools: $(HOST_BUILD)/gdb-fake-server
endif

-include $(GDBSTUB_HOST_OBJS:.o=.d)

# The define above changes how test_gdb.o is built: rebuild it when this wiring changes.
$(HOST_BUILD)/tests/unit/test_gdb.o: Makefile gdbstub/gdbstub.mk
