// Decides which screen the boot gave, from the framebuffer tag and the memory map.
#include "lib/mb2/boot_screen.h"

namespace bm::mb2 {
namespace {

bool overlaps_usable_ram(const Framebuffer& fb, const BootInfo& info) {
  const uint64_t begin = fb.address;
  const uint64_t end = fb.address + fb.size_bytes();  // checked not to wrap by the parser
  for (size_t i = 0; i < info.region_count; ++i) {
    const MemoryRegion& region = info.regions[i];
    if (region.type != RegionType::kUsable || region.length == 0) continue;
    // region.base + length may wrap in a hostile map: compare lengths, not ends.
    const bool region_before = region.base < begin && begin - region.base >= region.length;
    const bool region_after = region.base >= end;
    if (!region_before && !region_after) return true;
  }
  return false;
}

BootScreen refuse(Error why) { return {ScreenKind::kNone, Framebuffer{}, why}; }

}  // namespace

BootScreen choose_boot_screen(const BootInfo& info) {
  if (!info.has_framebuffer_tag) return {ScreenKind::kVgaText, Framebuffer{}, Error::kOk};
  if (info.framebuffer_error != Error::kOk) return refuse(info.framebuffer_error);
  const Framebuffer& fb = info.framebuffer;
  if (fb.kind == FramebufferKind::kEgaText) {
    if (fb.address != kVgaTextAddress) return refuse(Error::kUnsupported);
    return {ScreenKind::kVgaText, fb, Error::kOk};
  }
  if (overlaps_usable_ram(fb, info)) return refuse(Error::kOutOfRange);
  return {ScreenKind::kFramebuffer, fb, Error::kOk};
}

}  // namespace bm::mb2
