// Inflating the compressed boot modules (lib/compress/format.h; docs/boot.md) before init
// reads any of them, so the manifest, server ELFs, the initrd and program modules are plain
// bytes to everything after. Portable: the memory operations come through ModuleMemory, which
// main.cpp implements with system calls and the host tests with buffers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/init_boot_info.h"
#include "lib/abi/syscalls.h"

namespace init {

// The system calls inflating needs. Each failure is the kernel's status.
class ModuleMemory {
 public:
  // Maps the memory object `image` (at least `size` bytes) readable; *address gets where.
  virtual bm::abi::Status map_image(bm::abi::Handle image, uint64_t size,
                                    const uint8_t** address) = 0;
  virtual void unmap_image() = 0;
  // Creates a memory object of at least `size` bytes (at least one page) and maps it
  // writable; *memory gets its handle, *address where it is mapped.
  virtual bm::abi::Status create_mapped(uint64_t size, bm::abi::Handle* memory,
                                        uint8_t** address) = 0;
  virtual void unmap_created() = 0;
  // A copy of `memory` with the rights the kernel gives module images (read, map, grant),
  // in *image. `memory` stays open.
  virtual bm::abi::Status restrict_to_image_rights(bm::abi::Handle memory,
                                                   bm::abi::Handle* image) = 0;
  virtual void close(bm::abi::Handle handle) = 0;

 protected:
  ~ModuleMemory() = default;
};

// init's log (user::printf).
using ModuleLog = size_t (*)(const char* format, ...);

struct InflateCount {
  uint32_t inflated = 0;  // replaced by their decompressed bytes
  uint32_t dropped = 0;   // compressed but not inflated: logged and removed from the table
};

// Replaces every module of `boot` whose bytes start with the BMLZ magic by a new memory object
// holding its decompressed bytes (image handle and size in the table change; the compressed
// image is closed). A module that does not decode, or for which memory runs out, is logged as
// "init: NAME: bad compressed module: REASON" (or "...: cannot inflate: STATUS") and taken out
// of the table, so init treats it as missing and carries on. Modules without the magic stay
// as they are.
InflateCount inflate_boot_modules(bm::abi::InitBootInfo* boot, ModuleMemory& memory, ModuleLog log);

}  // namespace init
