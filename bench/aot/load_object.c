/* The smallest libbpf loader of one object, for the whole-process timing in scripts/time-load:
 * open, load (maps and programs), close. Comparison only; the product never links libbpf. */
#include <stdio.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJECT.o\n", argv[0]);
		return 2;
	}
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "%s: bpf_object__open_file failed\n", argv[1]);
		return 1;
	}
	int err = bpf_object__load(obj);
	bpf_object__close(obj);
	if (err) {
		fprintf(stderr, "%s: bpf_object__load failed: %d\n", argv[1], err);
		return 1;
	}
	return 0;
}
