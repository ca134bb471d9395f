// Host tests for memory-map normalisation and range subtraction, including a randomized
// comparison against a byte-by-byte reference model on a small address space.
#include "lib/mb2/memory_map.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "test/host/mb2/region_matchers.h"

namespace bm::mb2 {
namespace {

constexpr RegionType kUsable = RegionType::kUsable;
constexpr RegionType kReserved = RegionType::kReserved;
constexpr RegionType kAcpiReclaimable = RegionType::kAcpiReclaimable;
constexpr RegionType kAcpiNvs = RegionType::kAcpiNvs;
constexpr RegionType kBadRam = RegionType::kBadRam;
constexpr uint64_t kMax = ~uint64_t{0};

std::vector<MemoryRegion> normalize(const std::vector<MemoryRegion>& in) {
  std::vector<MemoryRegion> out(2 * in.size() + 1);
  auto count = normalize_regions(in.data(), in.size(), out.data(), out.size());
  EXPECT_TRUE(count.ok());
  out.resize(count.ok() ? *count : 0);
  return out;
}

std::vector<MemoryRegion> subtract(const std::vector<MemoryRegion>& regions,
                                   const std::vector<PhysicalRange>& excluded) {
  std::vector<MemoryRegion> out(regions.size() * (excluded.size() + 1) + 1);
  auto count = subtract_ranges(regions.data(), regions.size(), excluded.data(), excluded.size(),
                               out.data(), out.size());
  EXPECT_TRUE(count.ok());
  out.resize(count.ok() ? *count : 0);
  return out;
}

using Regions = std::vector<MemoryRegion>;

TEST(NormalizeRegions, EmptyInputGivesNothing) {
  EXPECT_EQ(normalize({}), Regions{});
  auto count = normalize_regions(nullptr, 0, nullptr, 0);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0u);
}

TEST(NormalizeRegions, DropsZeroLengthRegions) {
  EXPECT_EQ(normalize({{0x1000, 0, kReserved}, {0x2000, 0x1000, kUsable}, {0x2800, 0, kBadRam}}),
            (Regions{{0x2000, 0x1000, kUsable}}));
}

TEST(NormalizeRegions, SortsUnsortedInput) {
  EXPECT_EQ(normalize({{0x9000, 0x1000, kUsable},
                       {0x1000, 0x1000, kReserved},
                       {0x5000, 0x1000, kAcpiNvs}}),
            (Regions{{0x1000, 0x1000, kReserved},
                     {0x5000, 0x1000, kAcpiNvs},
                     {0x9000, 0x1000, kUsable}}));
}

TEST(NormalizeRegions, MergesAdjacentRegionsOfTheSameType) {
  EXPECT_EQ(normalize({{0x3000, 0x1000, kUsable},
                       {0x1000, 0x1000, kUsable},
                       {0x2000, 0x1000, kUsable},
                       {0x8000, 0x1000, kUsable}}),
            (Regions{{0x1000, 0x3000, kUsable}, {0x8000, 0x1000, kUsable}}));
}

TEST(NormalizeRegions, KeepsAdjacentRegionsOfDifferentTypesApart) {
  EXPECT_EQ(normalize({{0x1000, 0x1000, kUsable}, {0x2000, 0x1000, kReserved}}),
            (Regions{{0x1000, 0x1000, kUsable}, {0x2000, 0x1000, kReserved}}));
}

TEST(NormalizeRegions, ReservedContainedInUsableSplitsIt) {
  EXPECT_EQ(normalize({{0x0, 0x10000, kUsable}, {0x4000, 0x2000, kReserved}}),
            (Regions{{0x0, 0x4000, kUsable},
                     {0x4000, 0x2000, kReserved},
                     {0x6000, 0xa000, kUsable}}));
}

TEST(NormalizeRegions, UsableContainedInReservedDisappears) {
  EXPECT_EQ(normalize({{0x4000, 0x2000, kUsable}, {0x0, 0x10000, kReserved}}),
            (Regions{{0x0, 0x10000, kReserved}}));
}

TEST(NormalizeRegions, ReservedStraddlingTheLeftEdgeWins) {
  EXPECT_EQ(normalize({{0x4000, 0x4000, kUsable}, {0x2000, 0x3000, kReserved}}),
            (Regions{{0x2000, 0x3000, kReserved}, {0x5000, 0x3000, kUsable}}));
}

TEST(NormalizeRegions, ReservedStraddlingTheRightEdgeWins) {
  EXPECT_EQ(normalize({{0x4000, 0x4000, kUsable}, {0x7000, 0x3000, kReserved}}),
            (Regions{{0x4000, 0x3000, kUsable}, {0x7000, 0x3000, kReserved}}));
}

TEST(NormalizeRegions, IdenticalRegionsTakeTheRestrictiveType) {
  EXPECT_EQ(normalize({{0x4000, 0x1000, kUsable}, {0x4000, 0x1000, kAcpiReclaimable}}),
            (Regions{{0x4000, 0x1000, kAcpiReclaimable}}));
  EXPECT_EQ(normalize({{0x4000, 0x1000, kUsable}, {0x4000, 0x1000, kUsable}}),
            (Regions{{0x4000, 0x1000, kUsable}}));
}

TEST(NormalizeRegions, RestrictivenessOrderIsDocumented) {
  const RegionType order[] = {kUsable, kAcpiReclaimable, kAcpiNvs, kReserved, kBadRam};
  for (size_t weaker = 0; weaker < 5; ++weaker) {
    for (size_t stronger = weaker + 1; stronger < 5; ++stronger) {
      EXPECT_EQ(normalize({{0x1000, 0x1000, order[stronger]}, {0x1000, 0x1000, order[weaker]}}),
                (Regions{{0x1000, 0x1000, order[stronger]}}))
          << weaker << " vs " << stronger;
    }
  }
}

TEST(NormalizeRegions, ClipsRegionsThatOverflowTheAddressSpace) {
  EXPECT_EQ(normalize({{kMax - 0xfff, 0x10000, kUsable}}),
            (Regions{{kMax - 0xfff, 0xfff, kUsable}}));
  EXPECT_EQ(normalize({{0x1000, kMax, kReserved}, {0, 0x2000, kUsable}}),
            (Regions{{0, 0x1000, kUsable}, {0x1000, kMax - 0x1000, kReserved}}));
  // Clipped to nothing: base already at the top.
  EXPECT_EQ(normalize({{kMax, 5, kUsable}}), Regions{});
}

TEST(NormalizeRegions, ReportsTooSmallOutput) {
  const Regions in = {{0x0, 0x10000, kUsable}, {0x4000, 0x2000, kReserved}};
  MemoryRegion out[2];
  auto count = normalize_regions(in.data(), in.size(), out, 2);
  EXPECT_EQ(count.error(), Error::kOutOfRange);
  MemoryRegion exact[3];
  auto exact_count = normalize_regions(in.data(), in.size(), exact, 3);
  ASSERT_TRUE(exact_count.ok());
  EXPECT_EQ(*exact_count, 3u);
}

TEST(NormalizeRegions, RejectsNullPointers) {
  MemoryRegion out[1];
  EXPECT_EQ(normalize_regions(nullptr, 1, out, 1).error(), Error::kInvalidArgument);
  const MemoryRegion in = {0, 0x1000, kUsable};
  EXPECT_EQ(normalize_regions(&in, 1, nullptr, 1).error(), Error::kInvalidArgument);
}

TEST(NormalizeRegions, HandlesARealisticE820Map) {
  // QEMU-like map with an overlapping reserved BIOS area reported twice.
  EXPECT_EQ(normalize({{0xfffc0000, 0x40000, kReserved},
                       {0x100000, 0x1fee0000, kUsable},
                       {0x0, 0x9fc00, kUsable},
                       {0x9fc00, 0x400, kReserved},
                       {0xf0000, 0x10000, kReserved},
                       {0xf8000, 0x8000, kReserved},
                       {0x1ffe0000, 0x20000, kReserved}}),
            (Regions{{0x0, 0x9fc00, kUsable},
                     {0x9fc00, 0x400, kReserved},
                     {0xf0000, 0x10000, kReserved},
                     {0x100000, 0x1fee0000, kUsable},
                     {0x1ffe0000, 0x20000, kReserved},
                     {0xfffc0000, 0x40000, kReserved}}));
}

// Reference model: classify each address of a tiny space one by one.
constexpr uint64_t kSpace = 96;

Regions reference_normalize(const Regions& in) {
  int winner[kSpace];
  for (int& w : winner) w = -1;
  for (const MemoryRegion& region : in) {
    for (uint64_t a = region.base; a < region.base + region.length && a < kSpace; ++a) {
      winner[a] = std::max(winner[a], restrictiveness(region.type));
    }
  }
  const RegionType by_rank[] = {kUsable, kAcpiReclaimable, kAcpiNvs, kReserved, kBadRam};
  Regions out;
  for (uint64_t a = 0; a < kSpace; ++a) {
    if (winner[a] < 0) continue;
    const RegionType type = by_rank[winner[a]];
    if (!out.empty() && out.back().type == type && out.back().base + out.back().length == a) {
      ++out.back().length;
    } else {
      out.push_back({a, 1, type});
    }
  }
  return out;
}

TEST(NormalizeRegions, MatchesAReferenceModelOnRandomMaps) {
  std::mt19937 random(12345);
  const RegionType types[] = {kUsable, kReserved, kAcpiReclaimable, kAcpiNvs, kBadRam};
  for (int round = 0; round < 2000; ++round) {
    Regions in(random() % 9);
    for (MemoryRegion& region : in) {
      region.base = random() % 80;
      region.length = random() % 17;
      region.type = random() % 3 == 0 ? types[random() % 5] : kUsable;
    }
    ASSERT_EQ(normalize(in), reference_normalize(in)) << "round " << round;
  }
}

TEST(SubtractRanges, CutsAnExclusionOutOfTheMiddle) {
  EXPECT_EQ(subtract({{0x0, 0x10000, kUsable}}, {{0x4000, 0x1000}}),
            (Regions{{0x0, 0x4000, kUsable}, {0x5000, 0xb000, kUsable}}));
}

TEST(SubtractRanges, DropsNonUsableRegions) {
  EXPECT_EQ(subtract({{0x0, 0x1000, kReserved}, {0x1000, 0x1000, kUsable},
                      {0x2000, 0x1000, kAcpiReclaimable}},
                     {}),
            (Regions{{0x1000, 0x1000, kUsable}}));
}

TEST(SubtractRanges, HandlesUnsortedOverlappingAndChainedExclusions) {
  EXPECT_EQ(subtract({{0x0, 0x20000, kUsable}},
                     {{0x9000, 0x2000}, {0x1000, 0x3000}, {0x3000, 0x2000}, {0xa000, 0x1000},
                      {0x4800, 0x100}}),
            (Regions{{0x0, 0x1000, kUsable},
                     {0x5000, 0x4000, kUsable},
                     {0xb000, 0x15000, kUsable}}));
}

TEST(SubtractRanges, ExclusionCoveringTheWholeRegionRemovesIt) {
  EXPECT_EQ(subtract({{0x2000, 0x1000, kUsable}, {0x8000, 0x1000, kUsable}},
                     {{0x1000, 0x3000}}),
            (Regions{{0x8000, 0x1000, kUsable}}));
}

TEST(SubtractRanges, ExclusionsTouchingTheEdgesLeaveTheRegionWhole) {
  EXPECT_EQ(subtract({{0x2000, 0x1000, kUsable}}, {{0x1000, 0x1000}, {0x3000, 0x1000}, {0, 0}}),
            (Regions{{0x2000, 0x1000, kUsable}}));
}

TEST(SubtractRanges, ClipsOverflowingExclusions) {
  EXPECT_EQ(subtract({{0x1000, 0x10000, kUsable}}, {{0x8000, kMax}}),
            (Regions{{0x1000, 0x7000, kUsable}}));
}

TEST(SubtractRanges, ReportsTooSmallOutput) {
  const Regions in = {{0x0, 0x10000, kUsable}};
  const PhysicalRange excluded[] = {{0x4000, 0x1000}};
  MemoryRegion out[1];
  EXPECT_EQ(subtract_ranges(in.data(), 1, excluded, 1, out, 1).error(), Error::kOutOfRange);
  EXPECT_EQ(subtract_ranges(in.data(), 1, nullptr, 1, out, 1).error(), Error::kInvalidArgument);
}

TEST(SubtractRanges, MatchesAReferenceModelOnRandomRanges) {
  std::mt19937 random(777);
  for (int round = 0; round < 2000; ++round) {
    Regions usable;
    for (uint64_t base = random() % 8; base < kSpace - 20; base += 1 + random() % 12) {
      const uint64_t length = 1 + random() % 10;
      usable.push_back({base, length, kUsable});
      base += length;
    }
    std::vector<PhysicalRange> excluded(random() % 6);
    for (PhysicalRange& range : excluded) range = {random() % kSpace, random() % 20};

    bool keep[kSpace] = {};
    for (const MemoryRegion& region : usable) {
      for (uint64_t a = region.base; a < region.base + region.length; ++a) keep[a] = true;
    }
    for (const PhysicalRange& range : excluded) {
      for (uint64_t a = range.base; a < range.base + range.length && a < kSpace; ++a) {
        keep[a] = false;
      }
    }
    // Pieces are not merged across input regions, so compare covered addresses.
    bool got[kSpace] = {};
    for (const MemoryRegion& piece : subtract(usable, excluded)) {
      ASSERT_GT(piece.length, 0u);
      for (uint64_t a = piece.base; a < piece.base + piece.length; ++a) {
        ASSERT_FALSE(got[a]) << "address " << a << " twice, round " << round;
        got[a] = true;
      }
    }
    for (uint64_t a = 0; a < kSpace; ++a) ASSERT_EQ(got[a], keep[a]) << a << " round " << round;
  }
}

}  // namespace
}  // namespace bm::mb2
