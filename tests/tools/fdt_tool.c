/* Host driver for the monitor's FDT editing: fdt-tool IN OUT BASE SIZE applies exactly what
 * the monitor does at boot, so tests can check the result with the real dtc. */
#include <miralis/fdt.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    static unsigned char buf[1 << 20];
    if (argc != 5) {
        fprintf(stderr, "usage: fdt-tool IN OUT BASE SIZE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    uint64_t base = strtoull(argv[3], 0, 0), size = strtoull(argv[4], 0, 0);
    int err = fdt_trim_memory(buf, base, 4 << 20);
    if (err >= 0)
        err = fdt_add_reserved_memory(buf, (uint32_t)n + 1024, "miralis", base, size);
    if (err < 0) {
        fprintf(stderr, "fdt-tool: %s\n", fdt_strerror(err));
        return 1;
    }
    f = fopen(argv[2], "wb");
    if (!f) { perror(argv[2]); return 2; }
    fwrite(buf, 1, fdt_total_size(buf), f);
    fclose(f);
    return 0;
}
