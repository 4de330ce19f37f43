#!/usr/bin/env bash
# Installs what the build, the tests and the tools need beyond the .NET 10 SDK, from Debian's packages:
#   clang-14, clang-19  rebuild the compiled test objects (scripts/build-fixtures.sh)
#   llvm-19             llvm-objdump-19, llvm-mc-19: the disassembler tests compare against them
#   gcc, linux-libc-dev the bpf_attr layout test compiles a C program against the kernel's uapi header
#   iproute2            `ip` and `tc`, used by tests to check what our own netlink code did
#   strace              a loader test checks which files a load opens (no kernel BTF for XDP objects)
#   bpftool, xdp-tools  tests check that bpftool sees what we loaded, and load xdp-tools' objects
#   libbpf-dev          only the benchmarks' C baseline links it; the product never does
#   hyperfine           scripts/time-load times whole processes with it
#   qemu-user-static, libc6-arm64-cross  run the linux-arm64 binaries of scripts/publish (tests/Publish.Tests)
#   qemu-system-arm, cpio  scripts/arm64-vm boots an arm64 kernel from an initramfs (tests/Publish.Tests);
#                       the kernel and busybox it boots come from Debian's arm64 archive, cached in artifacts/
#   podman, runc        scripts/image builds the FROM-scratch image and a test runs it (tests/Publish.Tests);
#                       runc beside podman's default crun, which Debian 12's 1.8 refuses to run on a hybrid
#                       cgroup hierarchy (cgroup v1 with controllers in the cgroup2 mount), as on these VMs
#   python3-prometheus-client  the Prometheus project's own parser of the text format checks `cpumap stats
#                       --format prometheus` (tests/Cli.Tests)
# Nothing is installed when everything is already there, so repeated runs cost nothing.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have clang-14        || need+=(clang-14)
have clang-19        || need+=(clang-19)
have llvm-objdump-19 || need+=(llvm-19)
have gcc             || need+=(gcc)
have strace          || need+=(strace)
[ -f /usr/include/linux/bpf.h ] || need+=(linux-libc-dev)
have ip              || need+=(iproute2)
have bpftool         || need+=(bpftool)
have xdp-loader      || need+=(xdp-tools)
[ -f /usr/include/bpf/libbpf.h ] || need+=(libbpf-dev)
have hyperfine       || need+=(hyperfine)
have qemu-aarch64-static || need+=(qemu-user-static)
[ -f /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || need+=(libc6-arm64-cross)
have qemu-system-aarch64 || need+=(qemu-system-arm)
have cpio            || need+=(cpio)
have podman          || need+=(podman)
have runc            || need+=(runc)
/usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1 || need+=(python3-prometheus-client)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${need[*]}; run as root (or: sudo apt-get install ${need[*]})" >&2
  exit 1
fi

echo "install-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
