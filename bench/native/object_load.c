/* The C twin of the managed object loader: libbpf's bpf_object__open + bpf_object__load +
 * bpf_object__close, from Debian's libbpf-dev. It is here for comparison only; the product never
 * links libbpf. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <bpf/libbpf.h>

#include "baseline.h"

/* libbpf prints every feature probe and warning to stderr, which would end up in the benchmark log. */
static int silent(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	(void)format;
	(void)args;
	return 0;
}

void bl_libbpf_silence(void)
{
	libbpf_set_print(silent);
}

const char *bl_libbpf_version(void)
{
	return libbpf_version_string();
}

/* ELF parse only: libbpf's open reads sections, symbols, relocations, BTF and map definitions. */
int bl_libbpf_open_mem_close(const void *bytes, size_t size, int count)
{
	for (int i = 0; i < count; i++) {
		struct bpf_object *obj = bpf_object__open_mem(bytes, size, NULL);
		if (!obj)
			return -errno;
		bpf_object__close(obj);
	}
	return 0;
}

/* What a loader does: read the file, create the maps, relocate and load every program, close. */
int bl_libbpf_open_load_close(const char *path, int count)
{
	for (int i = 0; i < count; i++) {
		struct bpf_object *obj = bpf_object__open_file(path, NULL);
		if (!obj)
			return -errno;
		int err = bpf_object__load(obj);
		bpf_object__close(obj);
		if (err)
			return err;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One open + load + close with each phase timed, to show where the time of a load goes. */
int bl_libbpf_phases(const char *path, uint64_t *open_ns, uint64_t *load_ns, uint64_t *close_ns)
{
	uint64_t t0 = now_ns();
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	if (!obj)
		return -errno;
	uint64_t t1 = now_ns();
	int err = bpf_object__load(obj);
	uint64_t t2 = now_ns();
	bpf_object__close(obj);
	uint64_t t3 = now_ns();
	*open_ns = t1 - t0;
	*load_ns = t2 - t1;
	*close_ns = t3 - t2;
	return err;
}
