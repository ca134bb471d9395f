// Test helper that assembles Multiboot2 information blocks byte by byte, including broken
// ones, so the parser can be fed exactly what a (buggy) boot loader might hand over.
#pragma once

#include <stdint.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace bm::mb2::test {

struct RawEntry {
  uint64_t base;
  uint64_t length;
  uint32_t type;
};

class InfoBuilder {
 public:
  InfoBuilder() { bytes_.resize(8, 0); }  // total_size + reserved, filled in by build()

  InfoBuilder& command_line(const std::string& text) { return string_tag(1, text); }
  InfoBuilder& loader_name(const std::string& text) { return string_tag(2, text); }

  InfoBuilder& module(uint32_t start, uint32_t end, const std::string& text) {
    std::vector<uint8_t> payload;
    put32(&payload, start);
    put32(&payload, end);
    payload.insert(payload.end(), text.begin(), text.end());
    payload.push_back(0);
    return tag(3, payload);
  }

  InfoBuilder& basic_meminfo(uint32_t lower_kib, uint32_t upper_kib) {
    std::vector<uint8_t> payload;
    put32(&payload, lower_kib);
    put32(&payload, upper_kib);
    return tag(4, payload);
  }

  // entry_size >= 24 pads each entry with 0xAA bytes; a smaller one truncates the entries,
  // which is how the malformed cases are built.
  InfoBuilder& memory_map(const std::vector<RawEntry>& entries, uint32_t entry_size = 24,
                          uint32_t entry_version = 0) {
    std::vector<uint8_t> payload;
    put32(&payload, entry_size);
    put32(&payload, entry_version);
    for (const RawEntry& entry : entries) {
      std::vector<uint8_t> one;
      put64(&one, entry.base);
      put64(&one, entry.length);
      put32(&one, entry.type);
      put32(&one, 0);
      one.resize(entry_size, 0xAA);
      payload.insert(payload.end(), one.begin(), one.end());
    }
    return tag(6, payload);
  }

  // A framebuffer tag (section 3.6.12): the 32-byte common part, then `colour_info` as is
  // (six bytes of channel positions and sizes for direct RGB).
  InfoBuilder& framebuffer(const std::vector<uint8_t>& payload) { return tag(8, payload); }

  // A tag with an arbitrary payload; size_override replaces the size field (not the bytes).
  InfoBuilder& tag(uint32_t type, const std::vector<uint8_t>& payload,
                   int64_t size_override = -1) {
    put32(&bytes_, type);
    put32(&bytes_, size_override >= 0 ? static_cast<uint32_t>(size_override)
                                      : static_cast<uint32_t>(8 + payload.size()));
    bytes_.insert(bytes_.end(), payload.begin(), payload.end());
    while (bytes_.size() % 8 != 0) bytes_.push_back(0);
    return *this;
  }

  InfoBuilder& end_tag() { return tag(0, {}); }

  // The block with total_size set to its real length.
  std::vector<uint8_t> build() const {
    std::vector<uint8_t> out = bytes_;
    const uint32_t total = static_cast<uint32_t>(out.size());
    std::memcpy(out.data(), &total, 4);
    return out;
  }

 private:
  InfoBuilder& string_tag(uint32_t type, const std::string& text) {
    std::vector<uint8_t> payload(text.begin(), text.end());
    payload.push_back(0);
    return tag(type, payload);
  }
  static void put32(std::vector<uint8_t>* out, uint32_t value) {
    for (int i = 0; i < 4; ++i) out->push_back(static_cast<uint8_t>(value >> (8 * i)));
  }
  static void put64(std::vector<uint8_t>* out, uint64_t value) {
    for (int i = 0; i < 8; ++i) out->push_back(static_cast<uint8_t>(value >> (8 * i)));
  }

  std::vector<uint8_t> bytes_;
};

// The payload of a framebuffer tag: the common part after the tag header, then colour_info.
struct FramebufferFields {
  uint64_t address = 0x80000000;
  uint32_t pitch = 4096;
  uint32_t width = 1024;
  uint32_t height = 768;
  uint8_t bpp = 32;
  uint8_t type = 1;
  std::vector<uint8_t> colour_info = {16, 8, 8, 8, 0, 8};  // OVMF's BGRX: red at bit 16

  std::vector<uint8_t> payload() const {
    std::vector<uint8_t> out;
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(address >> (8 * i)));
    for (uint32_t value : {pitch, width, height}) {
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
    }
    out.push_back(bpp);
    out.push_back(type);
    out.push_back(0);  // reserved (u16)
    out.push_back(0);
    out.insert(out.end(), colour_info.begin(), colour_info.end());
    return out;
  }
};

// The tag GRUB gives on BIOS when text mode is kept: EGA text, 80x25 at 0xb8000 (type 2, no
// colour fields).
inline FramebufferFields ega_text_fields() {
  FramebufferFields text;
  text.address = 0xb8000;
  text.pitch = 160;
  text.width = 80;
  text.height = 25;
  text.bpp = 16;
  text.type = 2;
  text.colour_info = {};
  return text;
}

inline void set_u32(std::vector<uint8_t>* block, size_t offset, uint32_t value) {
  std::memcpy(block->data() + offset, &value, 4);
}

// A heap copy of exactly `size` bytes of `block`, so ASan flags any read past it.
inline std::unique_ptr<uint8_t[]> exact_copy(const std::vector<uint8_t>& block, size_t size) {
  std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
  if (size > 0) std::memcpy(copy.get(), block.data(), size);
  return copy;
}

// The standard memory map most tests use: e820-like, 512 MiB.
inline std::vector<RawEntry> small_e820() {
  return {{0x0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2},
          {0x100000, 0x1fee0000, 1}, {0x1ffe0000, 0x20000, 3}, {0xfffc0000, 0x40000, 2}};
}

}  // namespace bm::mb2::test
