// Host tests for the Multiboot2 framebuffer tag: the layouts GRUB gives on UEFI and BIOS
// are read back exactly; truncated tags, pixel formats the kernel cannot describe, and
// geometry that overflows or does not fit are refused, without reading past the tag (ASan).
#include "lib/mb2/framebuffer.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "lib/mb2/multiboot2.h"
#include "test/host/mb2/info_builder.h"

namespace bm::mb2 {
namespace {

using test::ega_text_fields;
using test::exact_copy;
using test::FramebufferFields;
using test::InfoBuilder;
using test::small_e820;

// The whole tag (header included), parsed from a heap copy of exactly its bytes.
Result<Framebuffer> parse_fields(const FramebufferFields& fields, size_t cut = SIZE_MAX) {
  std::vector<uint8_t> tag = {8, 0, 0, 0, 0, 0, 0, 0};
  const std::vector<uint8_t> payload = fields.payload();
  tag.insert(tag.end(), payload.begin(), payload.end());
  const uint32_t size = static_cast<uint32_t>(tag.size());
  for (int i = 0; i < 4; ++i) tag[4 + i] = static_cast<uint8_t>(size >> (8 * i));
  const size_t length = cut < tag.size() ? cut : tag.size();
  auto copy = exact_copy(tag, length);
  return parse_framebuffer(copy.get(), length);
}

Error error_of(const FramebufferFields& fields) {
  auto result = parse_fields(fields);
  return result.ok() ? Error::kOk : result.error();
}

TEST(Multiboot2Framebuffer, ReadsOvmfsThirtyTwoBitModeBackExactly) {
  auto fb = parse_fields(FramebufferFields{});
  ASSERT_TRUE(fb.ok()) << error_name(fb.error());
  EXPECT_EQ(fb->address, 0x80000000u);
  EXPECT_EQ(fb->pitch, 4096u);
  EXPECT_EQ(fb->width, 1024u);
  EXPECT_EQ(fb->height, 768u);
  EXPECT_EQ(fb->bpp, 32);
  EXPECT_EQ(fb->kind, FramebufferKind::kRgb);
  EXPECT_EQ(fb->red.shift, 16);
  EXPECT_EQ(fb->red.bits, 8);
  EXPECT_EQ(fb->green.shift, 8);
  EXPECT_EQ(fb->green.bits, 8);
  EXPECT_EQ(fb->blue.shift, 0);
  EXPECT_EQ(fb->blue.bits, 8);
  EXPECT_EQ(fb->size_bytes(), 4096u * 768u);
}

TEST(Multiboot2Framebuffer, AcceptsTwentyFourAndSixteenBitModes) {
  FramebufferFields rgb24;
  rgb24.bpp = 24;
  rgb24.pitch = 800 * 3;
  rgb24.width = 800;
  rgb24.height = 600;
  auto fb24 = parse_fields(rgb24);
  ASSERT_TRUE(fb24.ok()) << error_name(fb24.error());
  EXPECT_EQ(fb24->bpp, 24);

  FramebufferFields rgb565;
  rgb565.bpp = 16;
  rgb565.pitch = 640 * 2;
  rgb565.width = 640;
  rgb565.height = 480;
  rgb565.colour_info = {11, 5, 5, 6, 0, 5};
  auto fb16 = parse_fields(rgb565);
  ASSERT_TRUE(fb16.ok()) << error_name(fb16.error());
  EXPECT_EQ(fb16->green.shift, 5);
  EXPECT_EQ(fb16->green.bits, 6);
}

TEST(Multiboot2Framebuffer, ReadsTheEgaTextScreenGrubGivesOnBios) {
  FramebufferFields text = ega_text_fields();
  auto fb = parse_fields(text);
  ASSERT_TRUE(fb.ok()) << error_name(fb.error());
  EXPECT_EQ(fb->kind, FramebufferKind::kEgaText);
  EXPECT_EQ(fb->width, 80u);
  EXPECT_EQ(fb->height, 25u);
  EXPECT_EQ(fb->red.bits, 0);

  text.pitch = 162;  // text rows are exactly width cells
  EXPECT_EQ(error_of(text), Error::kMalformed);
  text.pitch = 160;
  text.bpp = 8;
  EXPECT_EQ(error_of(text), Error::kUnsupported);
}

TEST(Multiboot2Framebuffer, RefusesTruncatedTags) {
  const FramebufferFields fields;
  for (size_t cut : {0, 8, 16, 31}) {  // shorter than the common part
    auto fb = parse_fields(fields, cut);
    ASSERT_FALSE(fb.ok()) << cut;
    EXPECT_EQ(fb.error(), Error::kTruncated) << cut;
  }
  for (size_t cut : {32, 35, 37}) {  // direct RGB without all six bytes of colour info
    auto fb = parse_fields(fields, cut);
    ASSERT_FALSE(fb.ok()) << cut;
    EXPECT_EQ(fb.error(), Error::kTruncated) << cut;
  }
  EXPECT_TRUE(parse_fields(fields, 38).ok());
}

TEST(Multiboot2Framebuffer, RefusesIndexedUnknownAndOddPixelFormats) {
  FramebufferFields indexed;
  indexed.type = 0;
  indexed.bpp = 8;
  indexed.colour_info = {2, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff};  // a 2-colour palette
  EXPECT_EQ(error_of(indexed), Error::kUnsupported);
  FramebufferFields unknown;
  unknown.type = 3;
  EXPECT_EQ(error_of(unknown), Error::kUnsupported);
  for (uint8_t bpp : {0, 1, 8, 15, 31, 64, 255}) {
    FramebufferFields odd;
    odd.bpp = bpp;
    EXPECT_EQ(error_of(odd), Error::kUnsupported) << int{bpp};
  }
  FramebufferFields wide;
  wide.colour_info = {20, 10, 10, 10, 0, 10};  // 10-bit channels: more than we draw
  EXPECT_EQ(error_of(wide), Error::kUnsupported);
  FramebufferFields empty;
  empty.colour_info = {16, 8, 8, 0, 0, 8};
  EXPECT_EQ(error_of(empty), Error::kUnsupported);
}

TEST(Multiboot2Framebuffer, RefusesChannelsOutsideThePixelOrOverlapping) {
  FramebufferFields outside;
  outside.bpp = 16;
  outside.pitch = 2048;
  outside.colour_info = {11, 8, 5, 6, 0, 5};  // red reaches bit 18 of a 16-bit pixel
  EXPECT_EQ(error_of(outside), Error::kMalformed);
  FramebufferFields far;
  far.colour_info = {250, 8, 8, 8, 0, 8};  // shift + bits would wrap a u8
  EXPECT_EQ(error_of(far), Error::kMalformed);
  FramebufferFields overlap;
  overlap.colour_info = {16, 8, 12, 8, 0, 8};  // green's top half is red's bottom half
  EXPECT_EQ(error_of(overlap), Error::kMalformed);
}

TEST(Multiboot2Framebuffer, RefusesGeometryThatDoesNotFit) {
  FramebufferFields zero_width;
  zero_width.width = 0;
  EXPECT_EQ(error_of(zero_width), Error::kMalformed);
  FramebufferFields zero_height;
  zero_height.height = 0;
  EXPECT_EQ(error_of(zero_height), Error::kMalformed);
  FramebufferFields short_pitch;
  short_pitch.pitch = 1024 * 4 - 1;
  EXPECT_EQ(error_of(short_pitch), Error::kMalformed);
  // width x 4 overflows 32 bits; the row check must not wrap around and accept it.
  FramebufferFields huge_width;
  huge_width.width = 0x40000001;
  huge_width.pitch = 4;
  EXPECT_EQ(error_of(huge_width), Error::kMalformed);
  FramebufferFields unaligned;
  unaligned.address = 0x80000800;
  EXPECT_EQ(error_of(unaligned), Error::kNotAligned);
}

TEST(Multiboot2Framebuffer, RefusesBuffersThatWrapOrLeavePhysicalSpace) {
  FramebufferFields top;
  top.address = 0xfffffffffffff000;
  EXPECT_EQ(error_of(top), Error::kOutOfRange);
  FramebufferFields past_limit;
  past_limit.address = kPhysicalAddressLimit - 0x1000;  // 4 KiB left, 3 MiB asked
  EXPECT_EQ(error_of(past_limit), Error::kOutOfRange);
  FramebufferFields giant;  // 4 GiB rows x 4 G rows: 2^64 bytes would wrap
  giant.pitch = 0xffffffff;
  giant.height = 0xffffffff;
  EXPECT_EQ(error_of(giant), Error::kOutOfRange);
  FramebufferFields just_fits;
  just_fits.address = kPhysicalAddressLimit - 4096u * 768u;
  EXPECT_TRUE(parse_fields(just_fits).ok());
}

std::unique_ptr<BootInfo> parse_block(const std::vector<uint8_t>& block) {
  auto copy = exact_copy(block, block.size());
  auto info = std::make_unique<BootInfo>();
  EXPECT_TRUE(parse(copy.get(), block.size(), info.get()).ok());
  return info;
}

TEST(Multiboot2Framebuffer, TheBlockParserRecordsTheTag) {
  auto info = parse_block(InfoBuilder()
                              .framebuffer(FramebufferFields{}.payload())
                              .memory_map(small_e820())
                              .end_tag()
                              .build());
  EXPECT_TRUE(info->has_framebuffer_tag);
  EXPECT_EQ(info->framebuffer_error, Error::kOk);
  EXPECT_EQ(info->framebuffer.width, 1024u);

  auto none = parse_block(InfoBuilder().memory_map(small_e820()).end_tag().build());
  EXPECT_FALSE(none->has_framebuffer_tag);
}

TEST(Multiboot2Framebuffer, ABadTagLeavesTheRestOfTheBootUsable) {
  FramebufferFields indexed;
  indexed.type = 0;
  auto info = parse_block(
      InfoBuilder().framebuffer(indexed.payload()).memory_map(small_e820()).end_tag().build());
  EXPECT_TRUE(info->has_framebuffer_tag);
  EXPECT_EQ(info->framebuffer_error, Error::kUnsupported);
  EXPECT_EQ(info->region_count, small_e820().size());

  auto twice = parse_block(InfoBuilder()
                               .framebuffer(FramebufferFields{}.payload())
                               .framebuffer(FramebufferFields{}.payload())
                               .memory_map(small_e820())
                               .end_tag()
                               .build());
  EXPECT_EQ(twice->framebuffer_error, Error::kMalformed);
  EXPECT_EQ(twice->framebuffer.width, 0u);
}

}  // namespace
}  // namespace bm::mb2
