// Multiboot2 boot-information parser. Every field is read with byte loads so a misaligned
// block is still well-defined, and every read is checked against the block's end first.
#include "lib/mb2/multiboot2.h"

#include "lib/mb2/byte_load.h"

namespace bm::mb2 {
namespace {

constexpr size_t kInfoHeaderSize = 8;      // u32 total_size, u32 reserved
constexpr size_t kTagHeaderSize = 8;       // u32 type, u32 size
constexpr size_t kTagAlignment = 8;        // tags start on 8-byte boundaries (spec 3.6.1)
constexpr size_t kModuleFixedSize = 16;    // header + u32 mod_start + u32 mod_end
constexpr size_t kMeminfoSize = 16;        // header + u32 mem_lower + u32 mem_upper
constexpr size_t kMemoryMapFixedSize = 16; // header + u32 entry_size + u32 entry_version
constexpr size_t kMemoryMapMinEntrySize = 24;  // u64 base, u64 length, u32 type, u32 reserved

// A string field from `begin` to the tag's end must contain its NUL terminator.
Result<const char*> read_string(const uint8_t* begin, const uint8_t* tag_end) {
  for (const uint8_t* p = begin; p < tag_end; ++p) {
    if (*p == 0) return reinterpret_cast<const char*>(begin);
  }
  return Error::kMalformed;
}

RegionType region_type_from(uint32_t raw) {
  switch (raw) {
    case 1: return RegionType::kUsable;
    case 3: return RegionType::kAcpiReclaimable;
    case 4: return RegionType::kAcpiNvs;
    case 5: return RegionType::kBadRam;
    default: return RegionType::kReserved;  // the spec: other values are reserved
  }
}

Result<void> parse_memory_map(const uint8_t* tag, size_t size, BootInfo* out) {
  if (size < kMemoryMapFixedSize) return Error::kMalformed;
  const uint32_t entry_size = load_u32(tag + 8);
  if (entry_size < kMemoryMapMinEntrySize || entry_size % 8 != 0) return Error::kMalformed;
  const size_t entry_bytes = size - kMemoryMapFixedSize;
  if (entry_bytes % entry_size != 0) return Error::kMalformed;
  const size_t count = entry_bytes / entry_size;
  if (count > kMaxRegions) return Error::kOutOfRange;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* entry = tag + kMemoryMapFixedSize + i * entry_size;
    out->regions[i] = {load_u64(entry), load_u64(entry + 8), region_type_from(load_u32(entry + 16))};
  }
  out->region_count = count;
  out->has_memory_map = true;
  return {};
}

Result<void> parse_module(const uint8_t* tag, size_t size, BootInfo* out) {
  if (size < kModuleFixedSize) return Error::kMalformed;
  const uint32_t start = load_u32(tag + 8);
  const uint32_t end = load_u32(tag + 12);
  if (start > end) return Error::kMalformed;
  auto command_line = read_string(tag + kModuleFixedSize, tag + size);
  if (!command_line) return command_line.error();
  if (out->module_count == kMaxModules) return Error::kOutOfRange;
  out->modules[out->module_count++] = {start, end, *command_line};
  return {};
}

// Two framebuffer tags would leave it unclear which screen is meant: neither is used.
void record_framebuffer(const uint8_t* tag, size_t size, BootInfo* out) {
  if (out->has_framebuffer_tag) {
    out->framebuffer_error = Error::kMalformed;
    out->framebuffer = {};
    return;
  }
  out->has_framebuffer_tag = true;
  auto framebuffer = parse_framebuffer(tag, size);
  out->framebuffer_error = framebuffer.ok() ? Error::kOk : framebuffer.error();
  out->framebuffer = framebuffer.value_or(Framebuffer{});
}

Result<void> parse_tag(uint32_t type, const uint8_t* tag, size_t size, BootInfo* out,
                       bool* seen_command_line, bool* seen_loader_name) {
  switch (type) {
    case kTagCommandLine:
    case kTagBootLoaderName: {
      bool* seen = type == kTagCommandLine ? seen_command_line : seen_loader_name;
      if (*seen) return Error::kMalformed;
      *seen = true;
      auto text = read_string(tag + kTagHeaderSize, tag + size);
      if (!text) return text.error();
      (type == kTagCommandLine ? out->command_line : out->bootloader_name) = *text;
      return {};
    }
    case kTagModule:
      return parse_module(tag, size, out);
    case kTagBasicMemoryInfo:
      if (out->has_basic_memory_info || size < kMeminfoSize) return Error::kMalformed;
      out->has_basic_memory_info = true;
      out->memory_lower_kib = load_u32(tag + 8);
      out->memory_upper_kib = load_u32(tag + 12);
      return {};
    case kTagMemoryMap:
      if (out->has_memory_map) return Error::kMalformed;
      return parse_memory_map(tag, size, out);
    case kTagFramebuffer:
      record_framebuffer(tag, size, out);
      return {};
    default:
      return {};  // ELF sections, ACPI RSDP, ...: not needed here
  }
}

}  // namespace

Result<void> parse(const void* info, size_t max_bytes, BootInfo* out) {
  if (info == nullptr || out == nullptr) return Error::kInvalidArgument;
  if (max_bytes < kInfoHeaderSize) return Error::kTruncated;
  const uint8_t* block = static_cast<const uint8_t*>(info);
  const size_t total_size = load_u32(block);
  if (total_size < kInfoHeaderSize + kTagHeaderSize || total_size > max_bytes) {
    return Error::kTruncated;
  }
  if (total_size % kTagAlignment != 0) return Error::kMalformed;

  out->total_size = total_size;
  out->command_line = "";
  out->bootloader_name = "";
  out->region_count = 0;
  out->module_count = 0;
  out->has_memory_map = false;
  out->has_basic_memory_info = false;
  out->memory_lower_kib = 0;
  out->memory_upper_kib = 0;
  out->has_framebuffer_tag = false;
  out->framebuffer_error = Error::kOk;
  out->framebuffer = {};
  bool seen_command_line = false;
  bool seen_loader_name = false;

  // total_size and every tag offset are multiples of 8, so whenever offset < total_size a
  // whole tag header is inside the block.
  size_t offset = kInfoHeaderSize;
  while (offset < total_size) {
    const uint8_t* tag = block + offset;
    const uint32_t type = load_u32(tag);
    const size_t size = load_u32(tag + 4);
    if (size < kTagHeaderSize || size > total_size - offset) return Error::kTruncated;
    if (type == kTagEnd) {
      if (size != kTagHeaderSize) return Error::kMalformed;
      // The kernel cannot place anything without knowing where RAM is.
      if (!out->has_memory_map) return Error::kMissingTag;
      return {};
    }
    BM_TRY(parse_tag(type, tag, size, out, &seen_command_line, &seen_loader_name));
    offset += align_up(size, kTagAlignment);  // cannot pass total_size: it is 8-aligned
  }
  return Error::kMissingTag;
}

}  // namespace bm::mb2
