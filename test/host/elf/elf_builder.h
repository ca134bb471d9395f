// Test helper that assembles ELF-64 executables byte by byte (header, program headers,
// payload), plus the byte patches the tests use to corrupt one field at a time.
#pragma once

#include <stdint.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "lib/elf/elf64.h"
#include "lib/elf/executable.h"

namespace bm::elf::test {

struct ProgramHeader {
  uint32_t type;
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t filesz;
  uint64_t memsz;
  uint64_t align;
};

constexpr uint32_t kRead = kFlagRead;
constexpr uint32_t kReadExecute = kFlagRead | kFlagExecute;
constexpr uint32_t kReadWrite = kFlagRead | kFlagWrite;

// The user half as the kernel will pass it: above the null page, below the canonical hole.
constexpr AddressLimits kUserHalf = {0x1000, uint64_t{1} << 47};

inline void put_u16(std::vector<uint8_t>* bytes, size_t offset, uint16_t value) {
  std::memcpy(bytes->data() + offset, &value, sizeof(value));  // the host is little endian
}
inline void put_u32(std::vector<uint8_t>* bytes, size_t offset, uint32_t value) {
  std::memcpy(bytes->data() + offset, &value, sizeof(value));
}
inline void put_u64(std::vector<uint8_t>* bytes, size_t offset, uint64_t value) {
  std::memcpy(bytes->data() + offset, &value, sizeof(value));
}

// Offset of field `field_offset` in program header `index` of an image built below.
inline size_t program_header_field(size_t index, size_t field_offset) {
  return kElfHeaderSize + index * kProgramHeaderSize + field_offset;
}

// A valid ELF header followed at offset 64 by `headers`, then a payload of a recognisable
// pattern up to the end of the furthest segment's file bytes (or `min_size`).
inline std::vector<uint8_t> build_elf(uint64_t entry, const std::vector<ProgramHeader>& headers,
                                      size_t min_size = 0) {
  size_t size = std::max(min_size, kElfHeaderSize + headers.size() * kProgramHeaderSize);
  for (const ProgramHeader& header : headers) {
    size = std::max<size_t>(size, header.offset + header.filesz);
  }
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 3);

  std::memset(bytes.data(), 0, kElfHeaderSize);
  std::memcpy(bytes.data(), kMagic, sizeof(kMagic));
  bytes[kIdentClass] = kClass64;
  bytes[kIdentData] = kDataLittleEndian;
  bytes[kIdentVersion] = kVersionCurrent;
  put_u16(&bytes, kOffsetType, kTypeExecutable);
  put_u16(&bytes, kOffsetMachine, kMachineX86_64);
  put_u32(&bytes, kOffsetVersion, kVersionCurrent);
  put_u64(&bytes, kOffsetEntry, entry);
  put_u64(&bytes, kOffsetPhoff, kElfHeaderSize);
  put_u16(&bytes, kOffsetEhsize, kElfHeaderSize);
  put_u16(&bytes, kOffsetPhentsize, kProgramHeaderSize);
  put_u16(&bytes, kOffsetPhnum, static_cast<uint16_t>(headers.size()));

  for (size_t i = 0; i < headers.size(); ++i) {
    const ProgramHeader& h = headers[i];
    put_u32(&bytes, program_header_field(i, kPhOffsetType), h.type);
    put_u32(&bytes, program_header_field(i, kPhOffsetFlags), h.flags);
    put_u64(&bytes, program_header_field(i, kPhOffsetOffset), h.offset);
    put_u64(&bytes, program_header_field(i, kPhOffsetVaddr), h.vaddr);
    put_u64(&bytes, program_header_field(i, kPhOffsetPaddr), h.vaddr);
    put_u64(&bytes, program_header_field(i, kPhOffsetFilesz), h.filesz);
    put_u64(&bytes, program_header_field(i, kPhOffsetMemsz), h.memsz);
    put_u64(&bytes, program_header_field(i, kPhOffsetAlign), h.align);
  }
  return bytes;
}

// The reference image: text (R X) and data (R W, with .bss past its file bytes), plus a
// PT_GNU_STACK the parser must ignore.
constexpr uint64_t kTextAddress = 0x401000;
constexpr uint64_t kTextSize = 0x80;
constexpr uint64_t kDataAddress = 0x402000;
constexpr uint64_t kDataFileSize = 0x40;
constexpr uint64_t kDataMemorySize = 0x3000;
constexpr uint64_t kGoodEntry = kTextAddress + 0x10;

inline std::vector<ProgramHeader> good_headers() {
  return {
      {kSegmentLoad, kReadExecute, 0x1000, kTextAddress, kTextSize, kTextSize, 0x1000},
      {kSegmentLoad, kReadWrite, 0x2000, kDataAddress, kDataFileSize, kDataMemorySize, 0x1000},
      {kSegmentGnuStack, kReadWrite, 0, 0, 0, 0, 16},
  };
}

inline std::vector<uint8_t> good_image() { return build_elf(kGoodEntry, good_headers()); }

// Exactly `size` bytes on the heap, so ASan reports any read past the end.
inline std::unique_ptr<uint8_t[]> exact_copy(const std::vector<uint8_t>& bytes, size_t size) {
  auto copy = std::make_unique<uint8_t[]>(size);
  std::memcpy(copy.get(), bytes.data(), std::min(size, bytes.size()));
  return copy;
}

}  // namespace bm::elf::test
