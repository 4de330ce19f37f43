/* The C baseline the benchmarks call (libcpumap_bench_baseline.so). Every function returns 0 (or a
 * count) on success and -errno on failure; `count` repeats the operation inside C. */
#ifndef CPUMAP_BENCH_BASELINE_H
#define CPUMAP_BENCH_BASELINE_H

#include <stddef.h>
#include <stdint.h>

int bl_map_lookup(int fd, const void *key, void *value, int count);
int bl_map_update(int fd, const void *key, const void *value, uint64_t flags, int count);
int bl_map_delete_range(int fd, uint32_t first_key, int count);
int bl_map_lookup_batch(int fd, void *keys, void *values, uint32_t batch);
int bl_map_update_batch(int fd, const void *keys, const void *values, uint32_t count);
void bl_mmap_write(uint32_t *values, uint32_t entries, int count);

void bl_libbpf_silence(void);
const char *bl_libbpf_version(void);
int bl_libbpf_open_mem_close(const void *bytes, size_t size, int count);
int bl_libbpf_open_load_close(const char *path, int count);
int bl_libbpf_phases(const char *path, uint64_t *open_ns, uint64_t *load_ns, uint64_t *close_ns);

#endif
