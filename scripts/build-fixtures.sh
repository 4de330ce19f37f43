#!/usr/bin/env bash
# Rebuilds the compiled BPF fixtures under tests/fixtures/obj/clang14 and obj/clang19 from
# tests/fixtures/src/*.c. Usage: scripts/build-fixtures.sh [OUTPUT_DIR] (default tests/fixtures/obj;
# the tests pass a temporary directory to check that the committed objects match their sources). Both compilers are required: the ELF reader is tested against the
# objects of an old and a new clang, which differ (BTF kinds, relocation types, sections).
# Idempotent: it compiles from a fixed directory with relative paths, so the same compiler
# writes the same bytes wherever the tree is checked out.
# Fixtures written against vmlinux.h (as public projects write them) take the running kernel's types: the
# script dumps tests/fixtures/vmlinux/vmlinux.h from /sys/kernel/btf/vmlinux with bpftool (not committed;
# rewritten only when it changes) and writes its sha256 to OUTPUT_DIR/vmlinux.h.sha256, so the objects built
# from it can be told apart from those of another kernel.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="$root/tests/fixtures"
versions=(14 19)
output="$(realpath -m "${1:-$fixtures/obj}")"

for v in "${versions[@]}"; do
	if ! command -v "clang-$v" >/dev/null 2>&1; then
		echo "build-fixtures: clang-$v is not on PATH; install it with: apt-get install clang-$v" >&2
		exit 1
	fi
done

# The uapi headers include <asm/types.h>, which lives under the host's multiarch directory.
multiarch="$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH)"
if [[ ! -f /usr/include/linux/bpf.h || ! -d "/usr/include/$multiarch/asm" ]]; then
	echo "build-fixtures: kernel uapi headers are missing; install them with: apt-get install linux-libc-dev" >&2
	exit 1
fi

vmlinux=/sys/kernel/btf/vmlinux
if [[ ! -r "$vmlinux" ]]; then
	echo "build-fixtures: $vmlinux is missing: the fixtures that include vmlinux.h need a kernel built with CONFIG_DEBUG_INFO_BTF=y" >&2
	exit 1
fi
if ! command -v bpftool >/dev/null 2>&1; then
	echo "build-fixtures: bpftool is not on PATH (it writes vmlinux.h); install it with: apt-get install bpftool" >&2
	exit 1
fi
mkdir -p "$fixtures/vmlinux" "$output"
header="$fixtures/vmlinux/vmlinux.h"
bpftool btf dump file "$vmlinux" format c > "$header.$$"
if cmp -s "$header.$$" "$header"; then rm "$header.$$"; else mv "$header.$$" "$header"; fi
(cd "$fixtures/vmlinux" && sha256sum vmlinux.h) > "$output/vmlinux.h.sha256"

cd "$fixtures"
for v in "${versions[@]}"; do
	mkdir -p "$output/clang$v"
	version="$("clang-$v" --version | head -n1)"
	# The compiles are independent: run them side by side, then report in a fixed order.
	pids=()
	for src in src/*.c; do
		"clang-$v" -O2 -g -target bpf -fdebug-compilation-dir=. \
			-I include -I vmlinux -I "/usr/include/$multiarch" \
			-c "$src" -o "$output/clang$v/$(basename "$src" .c).o" &
		pids+=("$!")
	done
	for i in "${!pids[@]}"; do
		if ! wait "${pids[$i]}"; then
			echo "build-fixtures: clang-$v failed (see the error above)" >&2
			exit 1
		fi
	done
	for src in src/*.c; do
		out="$output/clang$v/$(basename "$src" .c).o"
		echo "built $out ($(stat -c %s "$out") bytes) with $version"
	done
done
