// Reads and checks the Multiboot2 framebuffer tag: everything a console driver will trust
// (geometry, pixel layout, where it lies) is checked here, once, with overflow-free sums.
#include "lib/mb2/framebuffer.h"

#include "lib/core/page_size.h"
#include "lib/mb2/byte_load.h"

namespace bm::mb2 {
namespace {

// Offsets in the tag (section 3.6.12; GRUB's multiboot2.h pads the common part with a u16).
constexpr size_t kAddressOffset = 8;
constexpr size_t kPitchOffset = 16;
constexpr size_t kWidthOffset = 20;
constexpr size_t kHeightOffset = 24;
constexpr size_t kBppOffset = 28;
constexpr size_t kTypeOffset = 29;
constexpr size_t kCommonSize = 32;
// Direct RGB colour info: red position, red size, green position, green size, blue ...
constexpr size_t kRgbInfoSize = 6;

constexpr uint8_t kMaxChannelBits = 8;
constexpr uint8_t kEgaTextBpp = 16;  // character byte + attribute byte
constexpr uint32_t kEgaCellBytes = 2;

bool supported_rgb_bpp(uint8_t bpp) { return bpp == 16 || bpp == 24 || bpp == 32; }

uint32_t field_mask(ColourField field) { return ((uint32_t{1} << field.bits) - 1) << field.shift; }

Result<void> check_channels(const Framebuffer& fb) {
  const ColourField fields[] = {fb.red, fb.green, fb.blue};
  uint32_t used = 0;
  for (ColourField field : fields) {
    if (field.bits == 0 || field.bits > kMaxChannelBits) return Error::kUnsupported;
    if (field.shift >= fb.bpp || field.bits > fb.bpp - field.shift) return Error::kMalformed;
    if ((used & field_mask(field)) != 0) return Error::kMalformed;
    used |= field_mask(field);
  }
  return {};
}

Result<void> check_geometry(const Framebuffer& fb) {
  if (fb.width == 0 || fb.height == 0) return Error::kMalformed;
  if (fb.kind == FramebufferKind::kEgaText) {
    if (static_cast<uint64_t>(fb.width) * kEgaCellBytes != fb.pitch) return Error::kMalformed;
  } else {
    const uint64_t row_bytes = static_cast<uint64_t>(fb.width) * (fb.bpp / 8);
    if (fb.pitch < row_bytes) return Error::kMalformed;
  }
  if (fb.address % kPageSize != 0) return Error::kNotAligned;
  // size_bytes() < 2^64 (u32 x u32); the limit keeps address + size from wrapping.
  if (fb.address >= kPhysicalAddressLimit || fb.size_bytes() > kPhysicalAddressLimit - fb.address) {
    return Error::kOutOfRange;
  }
  return {};
}

}  // namespace

Result<Framebuffer> parse_framebuffer(const uint8_t* tag, size_t size) {
  if (size < kCommonSize) return Error::kTruncated;
  Framebuffer fb{};
  fb.address = load_u64(tag + kAddressOffset);
  fb.pitch = load_u32(tag + kPitchOffset);
  fb.width = load_u32(tag + kWidthOffset);
  fb.height = load_u32(tag + kHeightOffset);
  fb.bpp = tag[kBppOffset];
  const uint8_t type = tag[kTypeOffset];
  if (type == static_cast<uint8_t>(FramebufferKind::kRgb)) {
    fb.kind = FramebufferKind::kRgb;
    if (size < kCommonSize + kRgbInfoSize) return Error::kTruncated;
    if (!supported_rgb_bpp(fb.bpp)) return Error::kUnsupported;
    const uint8_t* info = tag + kCommonSize;
    fb.red = {info[0], info[1]};
    fb.green = {info[2], info[3]};
    fb.blue = {info[4], info[5]};
    BM_TRY(check_channels(fb));
  } else if (type == static_cast<uint8_t>(FramebufferKind::kEgaText)) {
    fb.kind = FramebufferKind::kEgaText;
    if (fb.bpp != kEgaTextBpp) return Error::kUnsupported;
  } else {
    return Error::kUnsupported;  // indexed colour (a palette to program) or unknown
  }
  BM_TRY(check_geometry(fb));
  return fb;
}

}  // namespace bm::mb2
