// Host tests for the load plan: the ranges, copies and rights the kernel (for init) and the
// ring-3 loader carry out, checked on the builder's image, on real lld output, and by carrying
// a plan out into a fake address space byte by byte.
#include "lib/elf/load_plan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lib/elf/elf64.h"
#include "test/host/elf/elf_builder.h"
#include "test/host/elf/lld_static_executable.h"

namespace bm::elf {
namespace {

using namespace test;  // the builder (elf_builder.h): images and their constants

bool same_range(const LoadRange& a, const LoadRange& b) {
  return a.address == b.address && a.pages == b.pages && a.copy_offset == b.copy_offset &&
         a.file_offset == b.file_offset && a.file_size == b.file_size && a.writable == b.writable &&
         a.executable == b.executable;
}

std::string describe(const LoadRange& range) {
  std::ostringstream text;
  text << std::hex << "{address 0x" << range.address << ", pages " << range.pages
       << ", copy_offset 0x" << range.copy_offset << ", file 0x" << range.file_offset << "+0x"
       << range.file_size << (range.writable ? ", W" : "") << (range.executable ? ", X" : "")
       << "}";
  return text.str();
}

// The plan's ranges are exactly `expected`, in order.
testing::AssertionResult has_ranges(const LoadPlan& plan, const std::vector<LoadRange>& expected) {
  if (plan.range_count != expected.size()) {
    return testing::AssertionFailure()
           << plan.range_count << " ranges, expected " << expected.size();
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!same_range(plan.ranges[i], expected[i])) {
      return testing::AssertionFailure() << "range " << i << " is " << describe(plan.ranges[i])
                                         << ", expected " << describe(expected[i]);
    }
  }
  return testing::AssertionSuccess();
}

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
  // Text: one page, read + execute. Data: 0x40 bytes of file, the rest of 0x3000 is .bss.
  EXPECT_TRUE(has_ranges(plan, {{kTextAddress, 1, 0, 0x1000, kTextSize, false, true},
                                {kDataAddress, 3, 0, 0x2000, kDataFileSize, true, false}}));
  EXPECT_EQ(plan.total_pages, 4u);
}

TEST(ElfLoadPlan, UnalignedSegmentsStartInsideTheirFirstPage) {
  LoadPlan plan = plan_load(parsed(lld_image()));
  EXPECT_EQ(plan.entry, 0x201160u);
  // readelf: R at 0x200000 (0x158), R E at 0x201160 (0x46), RW at 0x2021b0 (0x10 of 0x2720).
  EXPECT_TRUE(has_ranges(plan, {{0x200000, 1, 0x0, 0x0, 0x158, false, false},
                                {0x201000, 1, 0x160, 0x160, 0x46, false, true},
                                {0x202000, 3, 0x1b0, 0x1b0, 0x10, true, false}}));
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
  EXPECT_TRUE(has_ranges(plan, {{kTextAddress, 1, 0, 0x1000, 0x1000, false, true},
                                {kTextAddress + 0x1000, 1, 0, 0x2000, 0x10, false, false}}));
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
