/*
 * debugee: a small Windows program for tests/integration/gdbserver.sh to
 * debug through gdbserver.exe.  It needs no sockets of its own: the sockets
 * under test are gdbserver's (the remote protocol connection).
 *
 * main -> debugee_outer -> debugee_middle -> debugee_breakpoint_here, and
 * the program exits with code 7 (gdb reports "exited with code 07").  Built
 * without optimisation (the pragma below, whatever the Makefile's flags), so
 * that every function keeps its own frame and the backtrace shows all of
 * them.
 */
#pragma GCC optimize("O0")

#include <stdio.h>
#include <stdlib.h>

#define DEBUGEE_EXIT_CODE 7

/* Kept by the compiler and seen by the debugger. */
volatile int debugee_counter;

__attribute__((noinline)) int debugee_breakpoint_here(int value)
{
    debugee_counter += value;
    return debugee_counter * 2;
}

__attribute__((noinline)) int debugee_middle(int value)
{
    return debugee_breakpoint_here(value + 1) + 1;
}

__attribute__((noinline)) int debugee_outer(int value)
{
    return debugee_middle(value * 10) + 1;
}

int main(int argc, char **argv)
{
    int result;

    (void)argv;
    result = debugee_outer(argc);
    printf("debugee: result=%d counter=%d\n", result, debugee_counter);
    fflush(stdout);
    return DEBUGEE_EXIT_CODE;
}
