// Multiboot2 boot-information parser (Multiboot2 spec 2.0, section 3.6): turns the block
// GRUB hands the kernel into a validated BootInfo, reading nothing outside the block.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/mb2/framebuffer.h"

namespace bm::mb2 {

// Tag types the parser understands (spec section 3.6.x); all others are skipped.
constexpr uint32_t kTagEnd = 0;
constexpr uint32_t kTagCommandLine = 1;
constexpr uint32_t kTagBootLoaderName = 2;
constexpr uint32_t kTagModule = 3;
constexpr uint32_t kTagBasicMemoryInfo = 4;
constexpr uint32_t kTagMemoryMap = 6;

// Raw memory-map entry types (spec section 3.6.8). Unknown values map to kReserved.
enum class RegionType : uint32_t {
  kUsable = 1,
  kReserved = 2,
  kAcpiReclaimable = 3,
  kAcpiNvs = 4,
  kBadRam = 5,
};

struct MemoryRegion {
  uint64_t base;
  uint64_t length;
  RegionType type;
};

// A boot module (module2 line in grub.cfg). Physical addresses, end exclusive.
struct Module {
  uint64_t start;
  uint64_t end;
  const char* command_line;  // points into the info block, never null
};

constexpr size_t kMaxRegions = 128;
constexpr size_t kMaxModules = 32;

struct BootInfo {
  uint64_t total_size;          // bytes of the info block, so the kernel can reserve it
  const char* command_line;     // "" when absent; points into the block, NUL-terminated
  const char* bootloader_name;  // "" when absent
  MemoryRegion regions[kMaxRegions];  // raw, in the order of the memory map tag
  size_t region_count;
  Module modules[kMaxModules];
  size_t module_count;
  bool has_memory_map;
  bool has_basic_memory_info;
  uint32_t memory_lower_kib;  // basic meminfo tag (type 4); 0 when absent
  uint32_t memory_upper_kib;
  // The framebuffer tag (type 8). A bad one does not fail the parse: the kernel boots
  // without a screen and says why. framebuffer is valid only when has_framebuffer_tag and
  // framebuffer_error is kOk; a second framebuffer tag makes the error kMalformed.
  bool has_framebuffer_tag;
  Error framebuffer_error;
  Framebuffer framebuffer;
};

// Parses the info block at `info`. `max_bytes` is how many bytes the caller can safely read
// there; nothing beyond min(total_size, max_bytes) is touched. Works on any alignment.
// On error *out is left partially filled and must not be used. Errors:
//   kInvalidArgument  info or out is null
//   kTruncated        max_bytes < 8, total_size > max_bytes, total_size < 16, or a tag whose
//                     size is < 8 or runs past total_size
//   kMalformed        total_size not a multiple of 8; an end tag whose size is not 8; a string
//                     without NUL inside its tag; a fixed-size tag that is too short; a memory
//                     map whose entry_size is < 24 or not a multiple of 8, or whose entries do
//                     not fill the tag exactly; a module with start > end; a second copy of a
//                     tag that must be unique (command line, loader name, meminfo, memory map)
//   kMissingTag       the tags reach total_size without an end tag, or no memory map tag
//   kOutOfRange       more than kMaxRegions memory-map entries or kMaxModules modules
// A framebuffer tag is never an error of the whole block (see BootInfo::framebuffer_error).
Result<void> parse(const void* info, size_t max_bytes, BootInfo* out);

}  // namespace bm::mb2
