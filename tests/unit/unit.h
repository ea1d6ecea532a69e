/* A tiny unit-test harness: TEST(name) { ... CHECK(...) ... }; main() runs them all and ends
 * with the line "N passed, N failed". */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct unit_test {
    const char *name;
    void (*fn)(void);
    struct unit_test *next;
};

void unit_register(struct unit_test *t);
extern int unit_current_failures;

#define TEST(name) \
    static void test_##name(void); \
    static struct unit_test unit_##name = {#name, test_##name, 0}; \
    __attribute__((constructor)) static void register_##name(void) { unit_register(&unit_##name); } \
    static void test_##name(void)

#define CHECK(cond) do { if (!(cond)) { unit_current_failures++; \
    fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ(a, b) do { unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
    if (a_ != b_) { unit_current_failures++; fprintf(stderr, "  %s:%d: %s == 0x%llx, expected %s == 0x%llx\n", \
    __FILE__, __LINE__, #a, a_, #b, b_); } } while (0)

#endif
