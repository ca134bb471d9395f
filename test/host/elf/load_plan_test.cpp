// Host tests for the load plan: the ranges, copies and rights the kernel (for init) and the
// ring-3 loader carry out, checked on the builder's image, on real lld output, and by carrying
// a plan out into a fake address space byte by byte.
#include "lib/elf/load_plan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <vector>

#include "lib/elf/elf64.h"
#include "test/host/elf/elf_builder.h"
#include "test/host/elf/lld_static_executable.h"

namespace bm::elf {
namespace {

using test::build_elf;
using test::good_image;
using test::kDataAddress;
using test::kDataFileSize;
using test::kGoodEntry;
using test::kRead;
using test::kReadExecute;
using test::kReadWrite;
using test::kTextAddress;
using test::kTextSize;
using test::kUserHalf;
using test::ProgramHeader;

Image parsed(const std::vector<uint8_t>& bytes) {
  Image image{};
  EXPECT_TRUE(parse_executable(bytes.data(), bytes.size(), kUserHalf, &image).ok());
  return image;
}

std::vector<uint8_t> lld_image() {
  return {std::begin(test::kLldStaticExecutable), std::end(test::kLldStaticExecutable)};
}

// Carries the plan out as both loaders do: zeroed pages, then the file bytes. Returns the
// memory as page address -> 4096 bytes.
std::map<uint64_t, std::vector<uint8_t>> carry_out(const LoadPlan& plan,
                                                   const std::vector<uint8_t>& file) {
  std::map<uint64_t, std::vector<uint8_t>> memory;
  for (size_t i = 0; i < plan.range_count; ++i) {
    const LoadRange& range = plan.ranges[i];
    std::vector<uint8_t> bytes(range.pages * kPageSize, 0);
    EXPECT_LE(range.copy_offset + range.file_size, bytes.size());
    std::memcpy(bytes.data() + range.copy_offset, file.data() + range.file_offset, range.file_size);
    for (uint64_t page = 0; page < range.pages; ++page) {
      auto inserted = memory.emplace(range.address + page * kPageSize,
                                     std::vector<uint8_t>(bytes.begin() + page * kPageSize,
                                                          bytes.begin() + (page + 1) * kPageSize));
      EXPECT_TRUE(inserted.second) << "two ranges share page " << std::hex << range.address;
    }
  }
  return memory;
}

TEST(ElfLoadPlan, OneRangePerSegmentWithItsRights) {
  LoadPlan plan = plan_load(parsed(good_image()));
  EXPECT_EQ(plan.entry, kGoodEntry);
  ASSERT_EQ(plan.range_count, 2u);
  const LoadRange& text = plan.ranges[0];
  EXPECT_EQ(text.address, kTextAddress);
  EXPECT_EQ(text.pages, 1u);
  EXPECT_EQ(text.copy_offset, 0u);
  EXPECT_EQ(text.file_offset, 0x1000u);
  EXPECT_EQ(text.file_size, kTextSize);
  EXPECT_FALSE(text.writable);
  EXPECT_TRUE(text.executable);
  const LoadRange& data = plan.ranges[1];
  EXPECT_EQ(data.address, kDataAddress);
  EXPECT_EQ(data.pages, 3u);  // 0x40 bytes of file, the rest of 0x3000 is .bss
  EXPECT_EQ(data.file_size, kDataFileSize);
  EXPECT_TRUE(data.writable);
  EXPECT_FALSE(data.executable);
  EXPECT_EQ(plan.total_pages, 4u);
}

TEST(ElfLoadPlan, UnalignedSegmentsStartInsideTheirFirstPage) {
  LoadPlan plan = plan_load(parsed(lld_image()));
  EXPECT_EQ(plan.entry, 0x201160u);
  ASSERT_EQ(plan.range_count, 3u);
  // readelf: R at 0x200000 (0x158), R E at 0x201160 (0x46), RW at 0x2021b0 (0x10 of 0x2720).
  const LoadRange expected[] = {
      {0x200000, 1, 0x0, 0x0, 0x158, false, false},
      {0x201000, 1, 0x160, 0x160, 0x46, false, true},
      {0x202000, 3, 0x1b0, 0x1b0, 0x10, true, false},
  };
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(plan.ranges[i].address, expected[i].address);
    EXPECT_EQ(plan.ranges[i].pages, expected[i].pages);
    EXPECT_EQ(plan.ranges[i].copy_offset, expected[i].copy_offset);
    EXPECT_EQ(plan.ranges[i].file_offset, expected[i].file_offset);
    EXPECT_EQ(plan.ranges[i].file_size, expected[i].file_size);
    EXPECT_EQ(plan.ranges[i].writable, expected[i].writable);
    EXPECT_EQ(plan.ranges[i].executable, expected[i].executable);
  }
  EXPECT_EQ(plan.total_pages, 5u);
}

TEST(ElfLoadPlan, NoRangeIsWritableAndExecutable) {
  for (const auto& bytes : {good_image(), lld_image()}) {
    LoadPlan plan = plan_load(parsed(bytes));
    for (size_t i = 0; i < plan.range_count; ++i) {
      EXPECT_FALSE(plan.ranges[i].writable && plan.ranges[i].executable) << i;
    }
  }
}

// Every loaded byte is the file's byte at the segment's offset, and every other byte of the
// ranges (page heads, .bss, page tails) is zero, whatever the file holds around the segments.
TEST(ElfLoadPlan, CarriedOutItReproducesEachSegmentAndZeroesTheRest) {
  std::vector<uint8_t> bytes = lld_image();
  Image image = parsed(bytes);
  // Fill the gaps between segments in the file with a pattern a wrong copy would pick up.
  std::vector<bool> in_segment(bytes.size(), false);
  for (size_t i = 0; i < image.segment_count; ++i) {
    for (uint64_t b = 0; b < image.segments[i].file_size; ++b) {
      in_segment[image.segments[i].file_offset + b] = true;
    }
  }
  for (size_t b = kElfHeaderSize; b < bytes.size(); ++b) {
    if (!in_segment[b]) bytes[b] = 0xcc;
  }
  image = parsed(bytes);
  auto memory = carry_out(plan_load(image), bytes);
  size_t nonzero_expected = 0;
  for (const auto& [page, contents] : memory) {
    for (uint64_t offset = 0; offset < kPageSize; ++offset) {
      uint64_t address = page + offset;
      uint8_t expected = 0;
      for (size_t i = 0; i < image.segment_count; ++i) {
        const Segment& segment = image.segments[i];
        if (address >= segment.virtual_address &&
            address < segment.virtual_address + segment.file_size) {
          expected = bytes[segment.file_offset + (address - segment.virtual_address)];
        }
      }
      if (expected != 0) ++nonzero_expected;
      ASSERT_EQ(contents[offset], expected) << std::hex << address;
    }
  }
  EXPECT_GT(nonzero_expected, 0u);  // the check compared real bytes, not only zeros
}

TEST(ElfLoadPlan, ASegmentEndingOnAPageBoundaryTakesNoExtraPage) {
  std::vector<ProgramHeader> headers = {
      {kSegmentLoad, kReadExecute, 0x1000, kTextAddress, 0x1000, 0x1000, 0x1000},
      {kSegmentLoad, kRead, 0x2000, kTextAddress + 0x1000, 0x10, 0x1000, 0x1000},
  };
  LoadPlan plan = plan_load(parsed(build_elf(kTextAddress, headers)));
  ASSERT_EQ(plan.range_count, 2u);
  EXPECT_EQ(plan.ranges[0].pages, 1u);
  EXPECT_EQ(plan.ranges[1].address, kTextAddress + 0x1000);
  EXPECT_EQ(plan.ranges[1].pages, 1u);
  EXPECT_FALSE(plan.ranges[1].writable);
  EXPECT_FALSE(plan.ranges[1].executable);
  EXPECT_EQ(plan.total_pages, 2u);
}

TEST(ElfLoadPlan, HoldsTheMostSegmentsTheParserAccepts) {
  std::vector<ProgramHeader> headers;
  for (size_t i = 0; i < kMaxSegments; ++i) {
    headers.push_back({kSegmentLoad, i == 0 ? kReadExecute : kReadWrite, 0x1000 * (i + 1),
                       kTextAddress + 0x1000 * i, 0x10, 0x10, 0x1000});
  }
  LoadPlan plan = plan_load(parsed(build_elf(kTextAddress, headers)));
  ASSERT_EQ(plan.range_count, kMaxSegments);
  EXPECT_EQ(plan.total_pages, kMaxSegments);
  EXPECT_EQ(plan.ranges[kMaxSegments - 1].address, kTextAddress + 0x1000 * (kMaxSegments - 1));
}

}  // namespace
}  // namespace bm::elf
