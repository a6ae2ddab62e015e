/*
 * The shared state region's slots (server/shared.c): handed out in batches
 * to a process, taken by SOCKET only when the process named one of its own,
 * back to the free pool when the socket goes or, unused, when the process
 * exits.
 */
#include <string.h>
#include <sys/mman.h>
#include "shared.h"
#include "check_suites.h"

#define PROCESS 7
#define OTHER   8

START_TEST(test_batch)
{
    uint32_t slots[WS2_SLOT_BATCH];
    unsigned int before, n, i, j;

    ck_assert_int_eq(shared_init(), 0);
    ck_assert_int_ge(shared_fd(), 0);
    before = shared_free_count();
    n = shared_reserve(PROCESS, slots, WS2_SLOT_BATCH);
    ck_assert_uint_eq(n, WS2_SLOT_BATCH);
    ck_assert_uint_eq(shared_free_count(), before - n);
    for (i = 0; i < n; i++)
    {
        /* Slot 0 means "none" on the wire. */
        ck_assert_uint_ne(slots[i], 0);
        ck_assert_uint_lt(slots[i], WS2_SHARED_SLOTS);
        for (j = 0; j < i; j++) ck_assert_uint_ne(slots[i], slots[j]);
    }
}
END_TEST

START_TEST(test_take_only_own)
{
    uint32_t mine[4], theirs[4], free_slot;

    ck_assert_uint_eq(shared_reserve(PROCESS, mine, 4), 4);
    ck_assert_uint_eq(shared_reserve(OTHER, theirs, 4), 4);
    /* Another process's slot, and one nobody reserved, are refused. */
    ck_assert_uint_eq(shared_take(PROCESS, theirs[0]), 0);
    ck_assert_uint_eq(shared_reserve(OTHER, &free_slot, 1), 1);
    shared_unreserve(OTHER, &free_slot, 1);
    ck_assert_uint_eq(shared_take(PROCESS, free_slot), 0);
    ck_assert_uint_eq(shared_take(PROCESS, 0xffffffffu), 0);
    /* Its own, once. */
    ck_assert_uint_eq(shared_take(PROCESS, mine[0]), mine[0]);
    ck_assert_uint_eq(shared_take(PROCESS, mine[0]), 0);
    /* What the process wrote into its slot before SOCKET stays. */
    shared_slot(mine[1])->linger = 5;
    ck_assert_uint_eq(shared_take(PROCESS, mine[1]), mine[1]);
    ck_assert_uint_eq(shared_slot(mine[1])->linger, 5);
    /* A freed slot reserved again starts from zero. */
    shared_put(mine[1]);
    while (shared_reserve(PROCESS, mine, 1) == 1 && mine[0] != mine[1])
        ;
    ck_assert_uint_eq(mine[0], mine[1]);
    ck_assert_uint_eq(shared_slot(mine[1])->linger, 0);
}
END_TEST

START_TEST(test_release)
{
    uint32_t slots[10], used;
    unsigned int before = (shared_init(), shared_free_count());

    ck_assert_uint_eq(shared_reserve(PROCESS, slots, 10), 10);
    used = shared_take(PROCESS, slots[3]);
    ck_assert_uint_eq(used, slots[3]);
    /* The process exits: its nine unused slots are free again, not the socket's. */
    shared_process_gone(PROCESS);
    ck_assert_uint_eq(shared_free_count(), before - 1);
    ck_assert_uint_eq(shared_take(PROCESS, slots[4]), 0);
    /* The socket goes: its slot too, marked free in the region. */
    shared_put(used);
    ck_assert_uint_eq(shared_free_count(), before);
    ck_assert_uint_eq(shared_slot(used)->id, 0);
    /* A socket that could not be made gives the slot back to its process. */
    ck_assert_uint_eq(shared_reserve(PROCESS, slots, 1), 1);
    ck_assert_uint_eq(shared_take(PROCESS, slots[0]), slots[0]);
    shared_untake(PROCESS, slots[0]);
    ck_assert_uint_eq(shared_take(PROCESS, slots[0]), slots[0]);
}
END_TEST

/* What the server writes, a process that maps the memfd reads. */
START_TEST(test_mapping)
{
    uint32_t slot;
    struct ws2_sock_shared *map;

    ck_assert_uint_eq(shared_reserve(PROCESS, &slot, 1), 1);
    map = mmap(NULL, WS2_SHARED_REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, shared_fd(), 0);
    ck_assert_ptr_ne(map, MAP_FAILED);
    shared_slot(slot)->rcvtimeo = 1234;
    ck_assert_uint_eq(map[slot].rcvtimeo, 1234);
    map[slot].linger = 1 | 9 << 16;
    ck_assert_uint_eq(shared_slot(slot)->linger, 1 | 9 << 16);
    munmap(map, WS2_SHARED_REGION_SIZE);
}
END_TEST

Suite *shared_suite(void)
{
    Suite *s = suite_create("shared");
    TCase *tc = tcase_create("slots");

    tcase_add_test(tc, test_batch);
    tcase_add_test(tc, test_take_only_own);
    tcase_add_test(tc, test_release);
    tcase_add_test(tc, test_mapping);
    suite_add_tcase(s, tc);
    return s;
}
