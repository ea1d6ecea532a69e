/* target.xml of the GDB stub, private to gdbstub/. */
#ifndef MIRALIS_GDB_XML_H
#define MIRALIS_GDB_XML_H

#include "gdb.h"

#define GDB_XML_MAX 24576   /* the cpu feature (~2.5 KB) + ~250 CSRs of ~80 bytes */

/* Write target.xml for the CSRs the ops report into buf (cap bytes, NUL-terminated);
 * returns its length. CSRs that do not fit are left out (the document stays well formed),
 * as are CSRs without a name or with a number above 0xfff. */
size_t gdb_xml_build(const struct gdb_target_ops *ops, void *ctx, char *buf, size_t cap);
/* The document built by the last gdb_xml_generate (one static buffer). */
size_t gdb_xml_generate(const struct gdb_target_ops *ops, void *ctx);
const char *gdb_xml_text(void);

#endif
