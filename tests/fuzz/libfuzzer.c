/*
 * libFuzzer's entry points for the harness (harness.c); make fuzz builds
 * this with clang -fsanitize=fuzzer,address,undefined and runs it through
 * tests/fuzz/run-fuzz.  With WS2FUZZ_SEEDS=DIR, the seed inputs (seeds.c)
 * are written to DIR first, as seed-NAME.
 */
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"

static void write_seed(const char *name, const uint8_t *data, size_t size, void *ctx)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/seed-%s", (const char *)ctx, name);
    if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size || fclose(f))
    {
        fprintf(stderr, "fuzz: cannot write %s\n", path);
        exit(1);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("WS2FUZZ_SEEDS");

    (void)argc;
    (void)argv;
    if (dir) fuzz_seeds(write_seed, (void *)dir);
    fuzz_setup(1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_one(data, size);
    return 0;
}
