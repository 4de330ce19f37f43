/* The C twin of the managed map operations: raw bpf(2) through syscall(__NR_bpf, ...), the way a
 * C program without libbpf makes it. Every function loops `count` times inside C and returns 0 or
 * -errno, so the benchmark divides one call by `count` and no managed-to-native transition is
 * counted against the C side. The attribute is rebuilt on every call, as libbpf's
 * bpf_map_lookup_elem does (memset + fill), because that is what a real caller pays. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#include "baseline.h"

static inline long sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/* Only the fields of the element commands are passed (size up to `flags`), like the managed side. */
#define ELEM_ATTR_SIZE (offsetof(union bpf_attr, flags) + sizeof(((union bpf_attr *)0)->flags))

static inline int elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, ELEM_ATTR_SIZE);
	attr.map_fd = fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;
	attr.flags = flags;
	return sys_bpf(cmd, &attr, ELEM_ATTR_SIZE) < 0 ? -errno : 0;
}

int bl_map_lookup(int fd, const void *key, void *value, int count)
{
	for (int i = 0; i < count; i++) {
		int err = elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
		if (err)
			return err;
	}
	return 0;
}

int bl_map_update(int fd, const void *key, const void *value, uint64_t flags, int count)
{
	for (int i = 0; i < count; i++) {
		int err = elem(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
		if (err)
			return err;
	}
	return 0;
}

int bl_map_delete_range(int fd, uint32_t first_key, int count)
{
	for (int i = 0; i < count; i++) {
		uint32_t key = first_key + (uint32_t)i;
		int err = elem(BPF_MAP_DELETE_ELEM, fd, &key, NULL, 0);
		if (err)
			return err;
	}
	return 0;
}

/* Reads the whole map in batches of `batch` elements; returns the number read or -errno. */
int bl_map_lookup_batch(int fd, void *keys, void *values, uint32_t batch)
{
	union bpf_attr attr;
	uint64_t token = 0;
	int total = 0;

	for (int started = 0;; started = 1) {
		memset(&attr, 0, sizeof(attr.batch));
		attr.batch.in_batch = started ? (uint64_t)(uintptr_t)&token : 0;
		attr.batch.out_batch = (uint64_t)(uintptr_t)&token;
		attr.batch.keys = (uint64_t)(uintptr_t)keys;
		attr.batch.values = (uint64_t)(uintptr_t)values;
		attr.batch.count = batch;
		attr.batch.map_fd = fd;
		long ret = sys_bpf(BPF_MAP_LOOKUP_BATCH, &attr, sizeof(attr.batch));
		total += attr.batch.count;
		if (ret < 0)
			return errno == ENOENT ? total : -errno;
	}
}

int bl_map_update_batch(int fd, const void *keys, const void *values, uint32_t count)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr.batch));
	attr.batch.keys = (uint64_t)(uintptr_t)keys;
	attr.batch.values = (uint64_t)(uintptr_t)values;
	attr.batch.count = count;
	attr.batch.map_fd = fd;
	return sys_bpf(BPF_MAP_UPDATE_BATCH, &attr, sizeof(attr.batch)) < 0 ? -errno : 0;
}

/* Stores through a mapping of a BPF_F_MMAPABLE array: element i of `entries` (a power of two)
 * gets the value i, `count` times over. */
void bl_mmap_write(uint32_t *values, uint32_t entries, int count)
{
	for (int i = 0; i < count; i++)
		values[(uint32_t)i & (entries - 1)] = (uint32_t)i;
}
