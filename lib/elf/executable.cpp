// Static ELF executable parser. Fields are read with byte loads (the module may sit at any
// address) and every offset from the file is checked against `size` before it is used.
#include "lib/elf/executable.h"

#include "lib/elf/elf64.h"

namespace bm::elf {
namespace {

// An error plus the sentence the kernel logs for it.
struct Verdict {
  Error error;
  const char* reason;
};

constexpr Verdict kAccepted = {Error::kOk, "ok"};

uint16_t load_u16(const uint8_t* bytes) { return static_cast<uint16_t>(bytes[0] | bytes[1] << 8); }

uint32_t load_u32(const uint8_t* bytes) {
  return static_cast<uint32_t>(bytes[0]) | static_cast<uint32_t>(bytes[1]) << 8 |
         static_cast<uint32_t>(bytes[2]) << 16 | static_cast<uint32_t>(bytes[3]) << 24;
}

uint64_t load_u64(const uint8_t* bytes) {
  return static_cast<uint64_t>(load_u32(bytes)) | static_cast<uint64_t>(load_u32(bytes + 4)) << 32;
}

// The ELF header fields the rest of the parse needs.
struct Header {
  uint64_t entry;
  uint64_t program_header_offset;
  uint16_t program_header_count;
};

Verdict check_header(const uint8_t* file, size_t size, Header* header) {
  if (size < kElfHeaderSize) return {Error::kTruncated, "file is smaller than an ELF header"};
  for (size_t i = 0; i < sizeof(kMagic); ++i) {
    if (file[kIdentMagic + i] != kMagic[i]) return {Error::kMalformed, "bad magic"};
  }
  if (file[kIdentClass] != kClass64) return {Error::kBadImage, "not a 64-bit ELF"};
  if (file[kIdentData] != kDataLittleEndian) return {Error::kBadImage, "not little endian"};
  if (file[kIdentVersion] != kVersionCurrent) {
    return {Error::kMalformed, "unknown ELF version in e_ident"};
  }
  const uint16_t type = load_u16(file + kOffsetType);
  if (type == kTypeShared) {
    return {Error::kBadImage, "position-independent (ET_DYN): relocation is not supported"};
  }
  if (type != kTypeExecutable) return {Error::kBadImage, "not an executable (e_type)"};
  if (load_u16(file + kOffsetMachine) != kMachineX86_64) {
    return {Error::kBadImage, "machine is not x86_64"};
  }
  if (load_u32(file + kOffsetVersion) != kVersionCurrent) {
    return {Error::kMalformed, "unknown ELF version in e_version"};
  }
  if (load_u16(file + kOffsetEhsize) != kElfHeaderSize) {
    return {Error::kMalformed, "ELF header size is not 64"};
  }
  if (load_u16(file + kOffsetPhentsize) != kProgramHeaderSize) {
    return {Error::kMalformed, "program header size is not 56"};
  }
  const uint16_t count = load_u16(file + kOffsetPhnum);
  if (count == 0) return {Error::kMissingTag, "no program headers"};
  if (count > kMaxProgramHeaders) return {Error::kOutOfRange, "more than 64 program headers"};
  const uint64_t offset = load_u64(file + kOffsetPhoff);
  // count <= 64, so the table size cannot overflow; the offset is compared before subtracting.
  if (offset > size || count * kProgramHeaderSize > size - offset) {
    return {Error::kTruncated, "program header table runs past the end of the file"};
  }
  *header = {load_u64(file + kOffsetEntry), offset, count};
  return kAccepted;
}

constexpr bool is_power_of_two_u64(uint64_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

// Inclusive page numbers, so a segment ending at 2^64 - 1 needs no overflowing end address.
uint64_t first_page(const Segment& segment) { return segment.virtual_address / kPageSize; }
uint64_t last_page(const Segment& segment) {
  return (segment.virtual_address + segment.memory_size - 1) / kPageSize;
}

bool share_a_page(const Segment& a, const Segment& b) {
  return first_page(a) <= last_page(b) && first_page(b) <= last_page(a);
}

// Checks one non-empty PT_LOAD on its own: file bytes, alignment, limits, permissions.
Verdict check_load(const uint8_t* entry, size_t size, AddressLimits limits, Segment* segment) {
  const uint32_t flags = load_u32(entry + kPhOffsetFlags);
  const uint64_t offset = load_u64(entry + kPhOffsetOffset);
  const uint64_t vaddr = load_u64(entry + kPhOffsetVaddr);
  const uint64_t file_size = load_u64(entry + kPhOffsetFilesz);
  const uint64_t memory_size = load_u64(entry + kPhOffsetMemsz);
  const uint64_t align = load_u64(entry + kPhOffsetAlign);

  if (offset > size || file_size > size - offset) {
    return {Error::kTruncated, "segment data runs past the end of the file"};
  }
  if (align > 1 && !is_power_of_two_u64(align)) {
    return {Error::kMalformed, "segment alignment is not a power of two"};
  }
  // The spec wants p_vaddr == p_offset modulo p_align; only page-sized alignments matter to a
  // loader that maps pages, so smaller ones are not enforced.
  if (align >= kPageSize && (vaddr & (align - 1)) != (offset & (align - 1))) {
    return {Error::kMalformed, "segment address and file offset disagree modulo its alignment"};
  }
  // vaddr < end first, so end - vaddr cannot wrap.
  if (vaddr < limits.lowest || vaddr >= limits.end || memory_size > limits.end - vaddr) {
    return {Error::kOutOfRange, "segment outside the allowed address range"};
  }
  const bool writable = (flags & kFlagWrite) != 0;
  const bool executable = (flags & kFlagExecute) != 0;
  if (writable && executable) return {Error::kBadImage, "W+X segment"};
  *segment = {vaddr, memory_size, offset, file_size, writable, executable};
  return kAccepted;
}

Verdict check_entry(const Image& image) {
  for (size_t i = 0; i < image.segment_count; ++i) {
    const Segment& segment = image.segments[i];
    if (image.entry >= segment.virtual_address &&
        image.entry - segment.virtual_address < segment.memory_size) {
      if (!segment.executable) {
        return {Error::kMalformed, "entry point not in an executable segment"};
      }
      return kAccepted;
    }
  }
  return {Error::kMalformed, "entry point outside every segment"};
}

Verdict parse(const uint8_t* file, size_t size, AddressLimits limits, Image* out) {
  Header header;
  Verdict verdict = check_header(file, size, &header);
  if (verdict.error != Error::kOk) return verdict;
  out->entry = header.entry;

  for (size_t i = 0; i < header.program_header_count; ++i) {
    const uint8_t* entry = file + header.program_header_offset + i * kProgramHeaderSize;
    const uint32_t type = load_u32(entry + kPhOffsetType);
    if (type == kSegmentInterp) return {Error::kBadImage, "PT_INTERP: needs a dynamic linker"};
    if (type == kSegmentDynamic) return {Error::kBadImage, "PT_DYNAMIC: not a static executable"};
    if (type != kSegmentLoad) continue;

    const uint64_t file_size = load_u64(entry + kPhOffsetFilesz);
    const uint64_t memory_size = load_u64(entry + kPhOffsetMemsz);
    if (file_size > memory_size) {
      return {Error::kMalformed, "segment file size exceeds its memory size"};
    }
    if (memory_size == 0) continue;  // maps nothing; linkers sometimes emit these

    Segment segment;
    verdict = check_load(entry, size, limits, &segment);
    if (verdict.error != Error::kOk) return verdict;
    if (out->segment_count == kMaxSegments) {
      return {Error::kOutOfRange, "more than 16 loadable segments"};
    }
    for (size_t j = 0; j < out->segment_count; ++j) {
      if (share_a_page(segment, out->segments[j])) {
        return {Error::kMalformed, "segments overlap or share a 4 KiB page"};
      }
    }
    out->segments[out->segment_count++] = segment;
  }
  if (out->segment_count == 0) return {Error::kMissingTag, "no loadable segment"};
  return check_entry(*out);
}

}  // namespace

Result<void> parse_executable(const void* data, size_t size, AddressLimits limits, Image* out,
                              const char** reason) {
  Verdict verdict = kAccepted;
  if (out != nullptr) {
    out->entry = 0;
    out->segment_count = 0;
  }
  if (data == nullptr || out == nullptr) {
    verdict = {Error::kInvalidArgument, "null image or output"};
  } else if (limits.lowest >= limits.end) {
    verdict = {Error::kInvalidArgument, "empty address range"};
  } else {
    verdict = parse(static_cast<const uint8_t*>(data), size, limits, out);
    if (verdict.error != Error::kOk) {
      out->entry = 0;  // a refused image leaves nothing a careless caller could map
      out->segment_count = 0;
    }
  }
  if (reason != nullptr) *reason = verdict.reason;
  if (verdict.error != Error::kOk) return verdict.error;
  return {};
}

}  // namespace bm::elf
