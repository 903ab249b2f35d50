// libFuzzer's entry for programs that keep their own main (the fuzz build's main is Swift's).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
