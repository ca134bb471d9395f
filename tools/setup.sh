#!/usr/bin/env bash
# Installs the Debian packages BareMetal-OS needs (only the missing ones) and
# configures the build directory. Used by ./run and ./check.
#   tools/setup.sh run|test [build-dir]
set -euo pipefail

profile=${1:-test}
build_dir=${2:-build}
cd "$(dirname "$0")/.."

# Tool and the Debian package that provides it. grub-mkrescue makes a BIOS+UEFI ISO when
# both GRUB platforms (i386-pc, x86_64-efi) are installed; it needs mtools and xorriso for
# the EFI system partition; ovmf is the UEFI firmware the tests boot with.
packages=(
  clang:clang ld.lld:lld llvm-ar:llvm meson:meson ninja:ninja-build
  qemu-system-x86_64:qemu-system-x86 grub-mkrescue:grub-common
  xorriso:xorriso mformat:mtools python3:python3 g++:g++ pkg-config:pkg-config
)
files=(
  /usr/lib/grub/i386-pc/multiboot2.mod:grub-pc-bin
  /usr/lib/grub/x86_64-efi/multiboot2.mod:grub-efi-amd64-bin
  /usr/share/OVMF/OVMF_CODE_4M.fd:ovmf
  /usr/include/gtest/gtest.h:libgtest-dev
  /usr/include/benchmark/benchmark.h:libbenchmark-dev
)

missing=()
for entry in "${packages[@]}"; do
  command -v "${entry%%:*}" >/dev/null 2>&1 || missing+=("${entry#*:}")
done
for entry in "${files[@]}"; do
  [ -e "${entry%%:*}" ] || missing+=("${entry#*:}")
done
# clang's sanitizer runtimes (the host tests run under ASan and UBSan) are only recommended by
# clang, and recommended packages are not installed below.
asan_runtime=$(clang++ -print-file-name=libclang_rt.asan-x86_64.a 2>/dev/null || true)
[ -e "$asan_runtime" ] || missing+=(libclang-rt-dev)
# A QEMU window needs the GUI package; headless machines do without.
if [ "$profile" = run ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] &&
   ! dpkg -s qemu-system-gui >/dev/null 2>&1; then
  missing+=(qemu-system-gui)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "setup: missing packages and not root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "setup: apt-get update"
  "${sudo[@]}" apt-get update -qq
  # One line per package as it is set up, so a first run is not silent for minutes.
  echo "setup: apt-get install (downloads, then one line per package)"
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" |
    sed -un 's/^Setting up \([^ ]*\).*/setup:   set up \1/p'
fi

if [ ! -f "$build_dir/build.ninja" ]; then
  echo "setup: configuring $build_dir (meson setup)"
  meson setup "$build_dir" --native-file cross/native.ini --cross-file cross/x86_64-elf.ini \
    >/dev/null
fi
