/*
 * The sizes and limits of the benchmarks' workloads, one place for both
 * sides: bench/wsbench.c (under Wine) and bench/nativebench.c (natively)
 * must do the same work, step for step.
 */
#ifndef WS2_BENCH_WORKLOADS_H
#define WS2_BENCH_WORKLOADS_H

#define CHUNK           65536 /* bulk's sends and receives */
#define PING_SIZE       64
#define CHURN_SIZE      32
#define UDP_SIZE        64
#define UDP_WINDOW      32
#define UDP_TIMEOUT_MS  1000
#define LINGER_BLOCK_S  1
#define LINGER_DRAIN_S  5
#define LINGER_DELAY_MS 200
#define LINGER_SNDBUF   65536
#define IOCP_TIMEOUT_MS 10000

/* floor COUNT: COUNT/20 MiB of bulk transfer. */
#define FLOOR_BULK_MIB(count) ((count) / 20 > 0 ? (count) / 20 : 1)

#endif /* WS2_BENCH_WORKLOADS_H */
