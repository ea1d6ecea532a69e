/* AFL++ persistent-mode driver with the shared-memory testcase path
 * (afl-clang-fast / afl-clang-lto; see AFL++ docs/README.persistent_mode.md): the target
 * forks once, then loops over test cases that AFL++ writes into shared memory. Built with
 * another compiler it reads one input from a file or stdin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
#ifdef __AFL_FUZZ_TESTCASE_LEN
    /* Boot the vcpu before the fork server starts: every child inherits it. */
    LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
    __AFL_INIT();
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(100000)) {
        int len = __AFL_FUZZ_TESTCASE_LEN;
        LLVMFuzzerTestOneInput(buf, (size_t)len);
    }
    return 0;
#else
    static uint8_t buf[1 << 20];
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (!f)
        return 2;
    size_t n = fread(buf, 1, sizeof(buf), f);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
#endif
}
