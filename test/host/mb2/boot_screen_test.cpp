// Host tests for choose_boot_screen: the kernel's decision between VGA text, a framebuffer
// and no screen, from what the Multiboot2 block says.
#include "lib/mb2/boot_screen.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "test/host/mb2/info_builder.h"

namespace bm::mb2 {
namespace {

using test::ega_text_fields;
using test::exact_copy;
using test::FramebufferFields;
using test::InfoBuilder;
using test::RawEntry;
using test::small_e820;

BootScreen screen_of(InfoBuilder builder, const std::vector<RawEntry>& map = small_e820()) {
  const auto block = builder.memory_map(map).end_tag().build();
  auto copy = exact_copy(block, block.size());
  auto info = std::make_unique<BootInfo>();
  EXPECT_TRUE(parse(copy.get(), block.size(), info.get()).ok());
  return choose_boot_screen(*info);
}

FramebufferFields ega_text() {
  FramebufferFields text = ega_text_fields();
  EXPECT_EQ(text.address, kVgaTextAddress);  // the address boot_screen takes for text
  return text;
}

TEST(BootScreen, NoTagMeansThePcTextScreen) {
  BootScreen screen = screen_of(InfoBuilder());
  EXPECT_EQ(screen.kind, ScreenKind::kVgaText);
  EXPECT_EQ(screen.refused, Error::kOk);
}

TEST(BootScreen, GrubsTextTagIsTheTextScreen) {
  BootScreen screen = screen_of(InfoBuilder().framebuffer(ega_text().payload()));
  EXPECT_EQ(screen.kind, ScreenKind::kVgaText);
  EXPECT_EQ(screen.framebuffer.width, 80u);
}

TEST(BootScreen, TextAnywhereElseIsRefused) {
  FramebufferFields mono = ega_text();
  mono.address = 0xb0000;  // the monochrome adapter's buffer: not what we drive
  BootScreen screen = screen_of(InfoBuilder().framebuffer(mono.payload()));
  EXPECT_EQ(screen.kind, ScreenKind::kNone);
  EXPECT_EQ(screen.refused, Error::kUnsupported);
}

TEST(BootScreen, AnRgbTagOutsideRamIsTheFramebuffer) {
  BootScreen screen = screen_of(InfoBuilder().framebuffer(FramebufferFields{}.payload()));
  EXPECT_EQ(screen.kind, ScreenKind::kFramebuffer);
  EXPECT_EQ(screen.framebuffer.address, 0x80000000u);
  EXPECT_EQ(screen.framebuffer.bpp, 32);
}

TEST(BootScreen, ARefusedTagSaysWhy) {
  FramebufferFields indexed;
  indexed.type = 0;
  BootScreen screen = screen_of(InfoBuilder().framebuffer(indexed.payload()));
  EXPECT_EQ(screen.kind, ScreenKind::kNone);
  EXPECT_EQ(screen.refused, Error::kUnsupported);
}

TEST(BootScreen, PixelsOverUsableRamAreRefused) {
  // small_e820 has usable RAM from 1 MiB to 0x1ffe0000.
  for (uint64_t address : {0x100000ull, 0x1ff00000ull, 0x1fc00000ull}) {
    FramebufferFields in_ram;
    in_ram.address = address;
    BootScreen screen = screen_of(InfoBuilder().framebuffer(in_ram.payload()));
    EXPECT_EQ(screen.kind, ScreenKind::kNone) << std::hex << address;
    EXPECT_EQ(screen.refused, Error::kOutOfRange) << std::hex << address;
  }
  // Ending exactly where usable RAM starts is fine.
  FramebufferFields below;
  below.address = 0x100000 - 4096u * 16;
  below.height = 16;
  BootScreen screen = screen_of(InfoBuilder().framebuffer(below.payload()));
  EXPECT_EQ(screen.kind, ScreenKind::kFramebuffer);
}

TEST(BootScreen, AWrappingUsableRegionDoesNotHideAnOverlap) {
  // A hostile map: usable from 0x70000000 with a length that wraps past 2^64.
  std::vector<RawEntry> map = {{0x70000000, ~0ull - 0x1000, 1}};
  BootScreen screen = screen_of(InfoBuilder().framebuffer(FramebufferFields{}.payload()), map);
  EXPECT_EQ(screen.kind, ScreenKind::kNone);
}

}  // namespace
}  // namespace bm::mb2
