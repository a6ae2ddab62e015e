/*
 * The fuzz harness without the fuzzer: runs every seed input (seeds.c),
 * then each FILE given (the inputs of a directory), through harness.c, and
 * says how many.  make check runs it with the project's compiler (with the
 * sanitizers when configured with --enable-sanitizers); a finding aborts,
 * as under the fuzzer.  A crash file that make fuzz left can be run again
 * with it:  tests/fuzz/replay tests/fuzz/findings/crash-...
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "harness.h"

static unsigned int inputs;

static void run(const char *name, const uint8_t *data, size_t size, void *ctx)
{
    (void)name;
    (void)ctx;
    fuzz_one(data, size);
    inputs++;
}

static void run_file(const char *path)
{
    static uint8_t data[1 << 20];
    FILE *f = fopen(path, "rb");
    size_t size;

    if (!f)
    {
        perror(path);
        exit(1);
    }
    size = fread(data, 1, sizeof(data), f);
    fclose(f);
    run(path, data, size, NULL);
}

static void run_path(const char *path)
{
    struct stat st;
    struct dirent *entry;
    char name[4096];
    DIR *dir;

    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
    {
        run_file(path);
        return;
    }
    if (!(dir = opendir(path))) return;
    while ((entry = readdir(dir)))
    {
        if (entry->d_name[0] == '.') continue;
        snprintf(name, sizeof(name), "%s/%s", path, entry->d_name);
        run_file(name);
    }
    closedir(dir);
}

int main(int argc, char **argv)
{
    int i;

    fuzz_setup(0);
    fuzz_seeds(run, NULL);
    for (i = 1; i < argc; i++) run_path(argv[i]);
    printf("replay: %u inputs through the server, no finding\n", inputs);
    return 0;
}
