#include "unit.h"
#include <string.h>

static struct unit_test *tests, **tail = &tests;
int unit_current_failures;

void unit_register(struct unit_test *t)
{
    *tail = t;
    tail = &t->next;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    if (argc > 1 && !strcmp(argv[1], "--list")) {
        for (struct unit_test *t = tests; t; t = t->next)
            printf("%s\n", t->name);
        return 0;
    }
    for (struct unit_test *t = tests; t; t = t->next) {
        if (argc > 1 && strcmp(t->name, argv[1]) != 0)
            continue;
        unit_current_failures = 0;
        t->fn();
        if (unit_current_failures) {
            failed++;
            printf("FAIL %s\n", t->name);
        } else {
            passed++;
            printf("ok   %s\n", t->name);
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
