/* A tiny C library the FixtureNative plugin carries in runtimes/linux-x64/native/, so the tests
   prove the plugin load context finds a plugin's own native code. */
#include <string.h>

int fixture_add(int a, int b) { return a + b; }

/* Writes the library's name into buf (UTF-8, NUL-terminated); returns its length, or -1 when buf is too small. */
int fixture_name(char *buf, int size)
{
    static const char name[] = "libfixturenative";
    int len = (int)strlen(name);
    if (size <= len) {
        return -1;
    }
    memcpy(buf, name, (size_t)len + 1);
    return len;
}
