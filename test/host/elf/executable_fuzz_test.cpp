// Randomized mutation test for the ELF parser: mutated images must never make it read out of
// bounds (ASan) or misbehave (UBSan), and every image it accepts must satisfy each documented
// invariant, re-checked here independently from the raw bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "lib/elf/elf64.h"
#include "lib/elf/executable.h"
#include "test/host/elf/elf_builder.h"
#include "test/host/elf/lld_static_executable.h"

namespace bm::elf {
namespace {

using test::exact_copy;
using test::good_image;
using test::kUserHalf;
using test::program_header_field;
using test::put_u16;
using test::put_u32;
using test::put_u64;
using Wide = unsigned __int128;  // wide enough that no sum of two 64-bit fields wraps

constexpr int kIterations = 20000;

uint64_t read_u64(const std::vector<uint8_t>& bytes, size_t offset) {
  uint64_t value;
  std::memcpy(&value, bytes.data() + offset, sizeof(value));
  return value;
}
uint32_t read_u32(const std::vector<uint8_t>& bytes, size_t offset) {
  uint32_t value;
  std::memcpy(&value, bytes.data() + offset, sizeof(value));
  return value;
}
uint16_t read_u16(const std::vector<uint8_t>& bytes, size_t offset) {
  uint16_t value;
  std::memcpy(&value, bytes.data() + offset, sizeof(value));
  return value;
}

// Re-derives from the bytes everything an accepted image promises; the parser must have
// accepted only images where all of it holds, and reported exactly their non-empty PT_LOADs.
void expect_invariants(const std::vector<uint8_t>& bytes, AddressLimits limits,
                       const Image& image) {
  ASSERT_GE(bytes.size(), kElfHeaderSize);
  ASSERT_EQ(std::memcmp(bytes.data(), kMagic, sizeof(kMagic)), 0);
  EXPECT_EQ(bytes[kIdentClass], kClass64);
  EXPECT_EQ(bytes[kIdentData], kDataLittleEndian);
  EXPECT_EQ(bytes[kIdentVersion], kVersionCurrent);
  EXPECT_EQ(read_u16(bytes, kOffsetType), kTypeExecutable);
  EXPECT_EQ(read_u16(bytes, kOffsetMachine), kMachineX86_64);
  EXPECT_EQ(read_u32(bytes, kOffsetVersion), kVersionCurrent);
  EXPECT_EQ(read_u16(bytes, kOffsetPhentsize), kProgramHeaderSize);
  EXPECT_EQ(read_u64(bytes, kOffsetEntry), image.entry);
  const uint16_t count = read_u16(bytes, kOffsetPhnum);
  ASSERT_GE(count, 1u);
  ASSERT_LE(count, kMaxProgramHeaders);
  const uint64_t table = read_u64(bytes, kOffsetPhoff);
  ASSERT_LE(Wide{table} + Wide{count} * kProgramHeaderSize, Wide{bytes.size()});

  ASSERT_GE(image.segment_count, 1u);
  ASSERT_LE(image.segment_count, kMaxSegments);
  size_t next = 0;
  for (size_t i = 0; i < count; ++i) {
    const size_t header = table + i * kProgramHeaderSize;
    const uint32_t type = read_u32(bytes, header + kPhOffsetType);
    EXPECT_NE(type, kSegmentInterp);
    EXPECT_NE(type, kSegmentDynamic);
    if (type != kSegmentLoad) continue;
    const uint64_t memsz = read_u64(bytes, header + kPhOffsetMemsz);
    const uint64_t filesz = read_u64(bytes, header + kPhOffsetFilesz);
    EXPECT_LE(filesz, memsz);
    if (memsz == 0) continue;
    ASSERT_LT(next, image.segment_count) << "a non-empty PT_LOAD is missing from the image";
    const Segment& segment = image.segments[next++];
    const uint32_t flags = read_u32(bytes, header + kPhOffsetFlags);
    EXPECT_EQ(segment.virtual_address, read_u64(bytes, header + kPhOffsetVaddr));
    EXPECT_EQ(segment.file_offset, read_u64(bytes, header + kPhOffsetOffset));
    EXPECT_EQ(segment.file_size, filesz);
    EXPECT_EQ(segment.memory_size, memsz);
    EXPECT_EQ(segment.writable, (flags & kFlagWrite) != 0);
    EXPECT_EQ(segment.executable, (flags & kFlagExecute) != 0);
    const uint64_t align = read_u64(bytes, header + kPhOffsetAlign);
    EXPECT_TRUE(align <= 1 || (align & (align - 1)) == 0) << align;
    if (align >= kPageSize) {
      EXPECT_EQ(segment.virtual_address % align, segment.file_offset % align);
    }
  }
  EXPECT_EQ(next, image.segment_count) << "the image has segments the file does not";

  bool entry_found = false;
  for (size_t i = 0; i < image.segment_count; ++i) {
    const Segment& a = image.segments[i];
    EXPECT_GT(a.memory_size, 0u);
    EXPECT_LE(a.file_size, a.memory_size);
    EXPECT_LE(Wide{a.file_offset} + a.file_size, Wide{bytes.size()});
    EXPECT_GE(a.virtual_address, limits.lowest);
    EXPECT_LE(Wide{a.virtual_address} + a.memory_size, Wide{limits.end});
    EXPECT_FALSE(a.writable && a.executable);
    const Wide a_first_page = a.virtual_address / kPageSize;
    const Wide a_end_page = (Wide{a.virtual_address} + a.memory_size + kPageSize - 1) / kPageSize;
    for (size_t j = i + 1; j < image.segment_count; ++j) {
      const Segment& b = image.segments[j];
      const Wide b_first_page = b.virtual_address / kPageSize;
      const Wide b_end_page = (Wide{b.virtual_address} + b.memory_size + kPageSize - 1) / kPageSize;
      EXPECT_TRUE(a_end_page <= b_first_page || b_end_page <= a_first_page)
          << "segments " << i << " and " << j << " share a page";
    }
    if (image.entry >= a.virtual_address &&
        Wide{image.entry} < Wide{a.virtual_address} + a.memory_size) {
      EXPECT_TRUE(a.executable) << "entry in a non-executable segment";
      entry_found = true;
    }
  }
  EXPECT_TRUE(entry_found);
}

// Values that sit on the boundaries the parser checks.
uint64_t interesting_value(std::mt19937_64& random, uint64_t current, size_t file_size) {
  const uint64_t choices[] = {
      0,
      1,
      2,
      0xfff,
      0x1000,
      0x1001,
      0x200000,
      0x400000,
      0x401000,
      0x402000,
      file_size,
      file_size - 1,
      file_size + 1,
      kUserHalf.end,
      kUserHalf.end - 0x1000,
      kUserHalf.end - 1,
      0xffffffff80000000,
      ~uint64_t{0},
      ~uint64_t{0} - 0xfff,
      current + 1,
      current - 1,
      current + 0x1000,
      current - 0x1000,
      current ^ 0x800,
      random(),
      random() & 0xffff,
      current + (random() & 0x3fff),
  };
  return choices[random() % (sizeof(choices) / sizeof(choices[0]))];
}

void mutate(std::mt19937_64& random, std::vector<uint8_t>* bytes) {
  const size_t size = bytes->size();
  // Mutations aim at the headers, where the parser makes its decisions.
  const size_t phnum = bytes->size() >= kElfHeaderSize ? read_u16(*bytes, kOffsetPhnum) : 0;
  const size_t header_bytes = std::min(size, kElfHeaderSize + phnum * kProgramHeaderSize);
  switch (random() % 8) {
    case 0:
    case 1: {  // flip bits of one header byte
      if (header_bytes == 0) return;
      (*bytes)[random() % header_bytes] ^= static_cast<uint8_t>(1u << (random() % 8));
      break;
    }
    case 2: {  // any byte anywhere
      if (size == 0) return;
      (*bytes)[random() % size] = static_cast<uint8_t>(random());
      break;
    }
    case 3:
    case 4: {  // one 64-bit program header field
      if (phnum == 0 || size < kElfHeaderSize + phnum * kProgramHeaderSize) return;
      const size_t fields[] = {kPhOffsetOffset, kPhOffsetVaddr, kPhOffsetFilesz, kPhOffsetMemsz,
                               kPhOffsetAlign};
      const size_t at = program_header_field(random() % phnum, fields[random() % 5]);
      put_u64(bytes, at, interesting_value(random, read_u64(*bytes, at), size));
      break;
    }
    case 5: {  // a program header's type or flags
      if (phnum == 0 || size < kElfHeaderSize + phnum * kProgramHeaderSize) return;
      const size_t index = random() % phnum;
      if (random() % 2) {
        const uint32_t types[] = {kSegmentNull, kSegmentLoad, kSegmentDynamic, kSegmentInterp,
                                  kSegmentNote, kSegmentTls,  kSegmentGnuStack};
        put_u32(bytes, program_header_field(index, kPhOffsetType), types[random() % 7]);
      } else {
        put_u32(bytes, program_header_field(index, kPhOffsetFlags),
                static_cast<uint32_t>(random() % 8));
      }
      break;
    }
    case 6: {  // an ELF header field
      if (size < kElfHeaderSize) return;
      switch (random() % 4) {
        case 0:
          put_u64(bytes, kOffsetEntry,
                  interesting_value(random, read_u64(*bytes, kOffsetEntry), size));
          break;
        case 1:
          put_u64(bytes, kOffsetPhoff,
                  interesting_value(random, read_u64(*bytes, kOffsetPhoff), size));
          break;
        case 2:
          put_u16(bytes, kOffsetPhnum, static_cast<uint16_t>(random() % 70));
          break;
        default:
          put_u16(bytes, kOffsetPhentsize, random() % 2 ? 56 : static_cast<uint16_t>(random()));
          break;
      }
      break;
    }
    default: {  // cut or grow the file
      if (random() % 2) {
        bytes->resize(size == 0 ? 0 : random() % size);
      } else {
        bytes->resize(size + random() % 64, static_cast<uint8_t>(random()));
      }
      break;
    }
  }
}

AddressLimits pick_limits(std::mt19937_64& random) {
  switch (random() % 8) {
    case 0:
      return {0x1000, ~uint64_t{0}};
    case 1: {
      const uint64_t lowest = random() & 0xfffff000;
      return {lowest, lowest + 1 + (random() & 0xffffff)};
    }
    default:
      return kUserHalf;
  }
}

TEST(ElfExecutableFuzz, MutatedImagesAreRefusedOrSatisfyAllInvariants) {
  std::mt19937_64 random(0x5eed'e1f0'2024);
  const std::vector<uint8_t> bases[] = {
      good_image(),
      std::vector<uint8_t>(std::begin(test::kLldStaticExecutable),
                           std::end(test::kLldStaticExecutable)),
  };
  int accepted = 0;
  int refused = 0;
  std::set<std::string> reasons;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    std::vector<uint8_t> bytes = bases[iteration % 2];
    const int mutations = 1 + static_cast<int>(random() % 3);
    for (int m = 0; m < mutations; ++m) mutate(random, &bytes);
    const AddressLimits limits = pick_limits(random);

    auto copy = exact_copy(bytes, bytes.size());
    Image image;
    const char* reason = nullptr;
    auto result = parse_executable(copy.get(), bytes.size(), limits, &image, &reason);
    ASSERT_NE(reason, nullptr);
    if (result.ok()) {
      ++accepted;
      ASSERT_STREQ(reason, "ok");
      SCOPED_TRACE("iteration " + std::to_string(iteration));
      expect_invariants(bytes, limits, image);
      if (testing::Test::HasFailure()) return;  // one broken image is enough to report
    } else {
      ++refused;
      reasons.insert(reason);
      ASSERT_STRNE(reason, "ok");
      ASSERT_EQ(image.segment_count, 0u);
    }
  }
  // Both outcomes must be common, or the mutations are not exercising the parser.
  EXPECT_GT(accepted, kIterations / 20);
  EXPECT_GT(refused, kIterations / 4);
  EXPECT_GE(reasons.size(), 20u) << "mutations reach too few of the parser's checks";
  std::printf("accepted %d, refused %d of %d mutated images, %zu distinct reasons\n", accepted,
              refused, kIterations, reasons.size());
}

}  // namespace
}  // namespace bm::elf
