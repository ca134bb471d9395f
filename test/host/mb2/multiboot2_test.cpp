// Host tests for the Multiboot2 parser: good blocks read back exactly, and every kind of
// broken or truncated block is rejected without reading outside the buffer (ASan).
#include "lib/mb2/multiboot2.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "test/host/mb2/info_builder.h"

namespace bm::mb2 {
namespace {

using test::exact_copy;
using test::InfoBuilder;
using test::RawEntry;
using test::set_u32;
using test::small_e820;

Result<void> parse_exact(const std::vector<uint8_t>& block, BootInfo* info) {
  auto copy = exact_copy(block, block.size());
  return parse(copy.get(), block.size(), info);
}

std::vector<uint8_t> full_block() {
  return InfoBuilder()
      .command_line("root=/dev/null quiet")
      .loader_name("GRUB 2.06")
      .basic_meminfo(639, 523136)
      .module(0x200000, 0x203456, "init")
      .tag(8, std::vector<uint8_t>(13, 0x5A))  // framebuffer-like tag of odd size
      .module(0x204000, 0x204000, "")          // an empty module is legal
      .memory_map(small_e820())
      .end_tag()
      .build();
}

TEST(Multiboot2Parser, ReadsEveryTagBackExactly) {
  const auto block = full_block();
  auto copy = exact_copy(block, block.size());
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse(copy.get(), block.size(), info.get()).ok());

  EXPECT_EQ(info->total_size, block.size());
  EXPECT_STREQ(info->command_line, "root=/dev/null quiet");
  EXPECT_STREQ(info->bootloader_name, "GRUB 2.06");
  const auto* begin = reinterpret_cast<const char*>(copy.get());
  EXPECT_GE(info->command_line, begin);  // strings point into the block, not a copy
  EXPECT_LT(info->command_line, begin + block.size());
  EXPECT_TRUE(info->has_basic_memory_info);
  EXPECT_EQ(info->memory_lower_kib, 639u);
  EXPECT_EQ(info->memory_upper_kib, 523136u);

  ASSERT_EQ(info->module_count, 2u);
  EXPECT_EQ(info->modules[0].start, 0x200000u);
  EXPECT_EQ(info->modules[0].end, 0x203456u);
  EXPECT_STREQ(info->modules[0].command_line, "init");
  EXPECT_EQ(info->modules[1].start, 0x204000u);
  EXPECT_EQ(info->modules[1].end, 0x204000u);
  EXPECT_STREQ(info->modules[1].command_line, "");

  ASSERT_TRUE(info->has_memory_map);
  const auto expected = small_e820();
  ASSERT_EQ(info->region_count, expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(info->regions[i].base, expected[i].base) << i;
    EXPECT_EQ(info->regions[i].length, expected[i].length) << i;
    EXPECT_EQ(static_cast<uint32_t>(info->regions[i].type), expected[i].type) << i;
  }
}

TEST(Multiboot2Parser, ReturnsEmptyStringsWhenTagsAreAbsent) {
  const auto block = InfoBuilder().memory_map(small_e820()).end_tag().build();
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(block, info.get()).ok());
  ASSERT_NE(info->command_line, nullptr);
  ASSERT_NE(info->bootloader_name, nullptr);
  EXPECT_STREQ(info->command_line, "");
  EXPECT_STREQ(info->bootloader_name, "");
  EXPECT_EQ(info->module_count, 0u);
  EXPECT_FALSE(info->has_basic_memory_info);
  EXPECT_EQ(info->region_count, small_e820().size());
}

TEST(Multiboot2Parser, ParsesABlockAtAnOddAddress) {
  const auto block = full_block();
  std::unique_ptr<uint8_t[]> storage(new uint8_t[block.size() + 1]);
  std::memcpy(storage.get() + 1, block.data(), block.size());
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse(storage.get() + 1, block.size(), info.get()).ok());
  EXPECT_STREQ(info->command_line, "root=/dev/null quiet");
  EXPECT_EQ(info->modules[0].end, 0x203456u);
  EXPECT_EQ(info->regions[3].base, 0x100000u);
  EXPECT_EQ(info->regions[3].length, 0x1fee0000u);
}

TEST(Multiboot2Parser, AcceptsMaxBytesLargerThanTheBlock) {
  auto block = full_block();
  const size_t real_size = block.size();
  block.resize(real_size + 64, 0xEE);
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(block, info.get()).ok());
  EXPECT_EQ(info->total_size, real_size);
}

TEST(Multiboot2Parser, RejectsEveryTruncatedBufferLength) {
  const auto block = full_block();
  for (size_t size = 0; size < block.size(); ++size) {
    auto copy = exact_copy(block, size);
    auto info = std::make_unique<BootInfo>();
    auto result = parse(copy.get(), size, info.get());
    ASSERT_FALSE(result.ok()) << "size " << size;
    EXPECT_EQ(result.error(), Error::kTruncated) << "size " << size;
  }
}

TEST(Multiboot2Parser, RejectsEveryShortenedTotalSize) {
  // The block claims fewer bytes than its tags need: the buffer is cut to match.
  const auto block = full_block();
  for (size_t size = 0; size < block.size(); size += 8) {
    auto shortened = block;
    set_u32(&shortened, 0, static_cast<uint32_t>(size));
    shortened.resize(size < 8 ? 8 : size);
    auto copy = exact_copy(shortened, size);
    auto info = std::make_unique<BootInfo>();
    auto result = parse(copy.get(), size, info.get());
    ASSERT_FALSE(result.ok()) << "size " << size;
    if (size < 16) {
      EXPECT_EQ(result.error(), Error::kTruncated) << "size " << size;
    } else {
      EXPECT_TRUE(result.error() == Error::kTruncated || result.error() == Error::kMissingTag)
          << "size " << size << ": " << error_name(result.error());
    }
  }
}

TEST(Multiboot2Parser, RejectsTotalSizeBelowTheMinimum) {
  std::vector<uint8_t> block(16, 0);
  set_u32(&block, 0, 8);
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kTruncated);
}

TEST(Multiboot2Parser, RejectsMisalignedTotalSize) {
  auto block = InfoBuilder().memory_map(small_e820()).end_tag().build();
  set_u32(&block, 0, static_cast<uint32_t>(block.size() - 4));
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsTagRunningPastTotalSize) {
  auto block = InfoBuilder()
                   .memory_map(small_e820())
                   .tag(1, {'a', 'b', 0}, 4096)  // claims 4 KiB
                   .end_tag()
                   .build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kTruncated);
}

TEST(Multiboot2Parser, RejectsTagSmallerThanItsHeader) {
  auto block = InfoBuilder().memory_map(small_e820()).tag(77, {}, 4).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kTruncated);
}

TEST(Multiboot2Parser, RejectsMissingEndTag) {
  auto block = InfoBuilder().command_line("x").memory_map(small_e820()).build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMissingTag);
}

TEST(Multiboot2Parser, RejectsEndTagWithWrongSize) {
  auto block = InfoBuilder().memory_map(small_e820()).tag(0, {0, 0, 0, 0, 0, 0, 0, 0}).build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, IgnoresBytesAfterTheEndTag) {
  auto block = InfoBuilder()
                   .memory_map(small_e820())
                   .end_tag()
                   .tag(1, {'n', 'o'}, 9999)  // garbage: would be an error if parsed
                   .build();
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(block, info.get()).ok());
  EXPECT_STREQ(info->command_line, "");
}

TEST(Multiboot2Parser, RejectsMissingMemoryMap) {
  auto block = InfoBuilder().command_line("x").basic_meminfo(639, 1000).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMissingTag);
}

TEST(Multiboot2Parser, RejectsDuplicateMemoryMap) {
  auto block =
      InfoBuilder().memory_map(small_e820()).memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsDuplicateCommandLine) {
  auto block =
      InfoBuilder().command_line("a").command_line("b").memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsEntrySizeBelowTwentyFour) {
  for (uint32_t entry_size : {0u, 8u, 16u}) {
    auto block = InfoBuilder().memory_map(small_e820(), entry_size).end_tag().build();
    BootInfo info;
    EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed) << entry_size;
  }
}

TEST(Multiboot2Parser, RejectsEntrySizeNotAMultipleOfEight) {
  auto block = InfoBuilder().memory_map(small_e820(), 28).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsEntriesThatDoNotFillTheTag) {
  // Tag size claims half an entry more than the entries it holds.
  auto block = InfoBuilder()
                   .tag(6, [] {
                     std::vector<uint8_t> payload(8 + 24 + 12, 0);
                     payload[0] = 24;
                     return payload;
                   }())
                   .end_tag()
                   .build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsMemoryMapTagWithoutItsHeader) {
  auto block = InfoBuilder().tag(6, {24, 0, 0, 0}).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, ReadsEntriesLargerThanTwentyFourBytes) {
  auto block = InfoBuilder().memory_map(small_e820(), 40, 7).end_tag().build();
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(block, info.get()).ok());
  ASSERT_EQ(info->region_count, small_e820().size());
  EXPECT_EQ(info->regions[5].base, 0xfffc0000u);
  EXPECT_EQ(info->regions[5].length, 0x40000u);
  EXPECT_EQ(info->regions[5].type, RegionType::kReserved);
}

TEST(Multiboot2Parser, AcceptsAnEmptyMemoryMap) {
  auto block = InfoBuilder().memory_map({}).end_tag().build();
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(block, info.get()).ok());
  EXPECT_TRUE(info->has_memory_map);
  EXPECT_EQ(info->region_count, 0u);
}

TEST(Multiboot2Parser, MapsUnknownRegionTypesToReserved) {
  auto block = InfoBuilder()
                   .memory_map({{0, 0x1000, 1}, {0x1000, 0x1000, 2}, {0x2000, 0x1000, 3},
                                {0x3000, 0x1000, 4}, {0x4000, 0x1000, 5}, {0x5000, 0x1000, 0},
                                {0x6000, 0x1000, 6}, {0x7000, 0x1000, 0xffffffff}})
                   .end_tag()
                   .build();
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(block, info.get()).ok());
  const RegionType expected[] = {RegionType::kUsable,          RegionType::kReserved,
                                 RegionType::kAcpiReclaimable, RegionType::kAcpiNvs,
                                 RegionType::kBadRam,          RegionType::kReserved,
                                 RegionType::kReserved,        RegionType::kReserved};
  ASSERT_EQ(info->region_count, 8u);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(info->regions[i].type, expected[i]) << i;
}

TEST(Multiboot2Parser, RejectsUnterminatedCommandLine) {
  auto block = InfoBuilder().tag(1, {'a', 'b', 'c'}).memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsStringWhoseNulLiesOnlyInThePadding) {
  // Size says 8 + 3 bytes; the builder's zero padding after them must not count.
  auto block = InfoBuilder().tag(2, {'a', 'b', 'c'}).memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsEmptyStringTag) {
  auto block = InfoBuilder().tag(1, {}).memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsUnterminatedModuleString) {
  auto block = InfoBuilder()
                   .tag(3, {0, 0, 0x20, 0, 0, 0, 0x30, 0, 'x', 'y'})
                   .memory_map(small_e820())
                   .end_tag()
                   .build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsModuleTagWithoutAddresses) {
  auto block = InfoBuilder().tag(3, {0, 0, 0x20, 0}).memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsModuleStartAfterEnd) {
  auto block =
      InfoBuilder().module(0x300000, 0x2fffff, "bad").memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

TEST(Multiboot2Parser, RejectsShortBasicMeminfo) {
  auto block = InfoBuilder().tag(4, {1, 2, 3, 4}).memory_map(small_e820()).end_tag().build();
  BootInfo info;
  EXPECT_EQ(parse_exact(block, &info).error(), Error::kMalformed);
}

std::vector<RawEntry> many_regions(size_t count) {
  std::vector<RawEntry> entries;
  for (size_t i = 0; i < count; ++i) entries.push_back({i * 0x2000, 0x1000, 1});
  return entries;
}

TEST(Multiboot2Parser, AcceptsExactlyMaxRegions) {
  auto block = InfoBuilder().memory_map(many_regions(kMaxRegions)).end_tag().build();
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(block, info.get()).ok());
  EXPECT_EQ(info->region_count, kMaxRegions);
  EXPECT_EQ(info->regions[kMaxRegions - 1].base, (kMaxRegions - 1) * 0x2000);
}

TEST(Multiboot2Parser, RejectsMoreRegionsThanCapacity) {
  auto block = InfoBuilder().memory_map(many_regions(kMaxRegions + 1)).end_tag().build();
  auto info = std::make_unique<BootInfo>();
  EXPECT_EQ(parse_exact(block, info.get()).error(), Error::kOutOfRange);
}

TEST(Multiboot2Parser, RejectsMoreModulesThanCapacity) {
  InfoBuilder builder;
  builder.memory_map(small_e820());
  for (size_t i = 0; i < kMaxModules; ++i) builder.module(0x1000000, 0x1001000, "m");
  auto info = std::make_unique<BootInfo>();
  ASSERT_TRUE(parse_exact(InfoBuilder(builder).end_tag().build(), info.get()).ok());
  EXPECT_EQ(info->module_count, kMaxModules);

  builder.module(0x1000000, 0x1001000, "one too many").end_tag();
  EXPECT_EQ(parse_exact(builder.build(), info.get()).error(), Error::kOutOfRange);
}

TEST(Multiboot2Parser, RejectsNullArguments) {
  const auto block = full_block();
  BootInfo info;
  EXPECT_EQ(parse(nullptr, 100, &info).error(), Error::kInvalidArgument);
  EXPECT_EQ(parse(block.data(), block.size(), nullptr).error(), Error::kInvalidArgument);
}

}  // namespace
}  // namespace bm::mb2
