// Helpers for the BMLZ host tests: compress a byte vector, decode into a buffer with guard
// bytes on both sides, hand-made containers, and test data of several kinds.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "lib/compress/compress.h"
#include "lib/compress/decompress.h"
#include "lib/compress/format.h"

namespace compress_test {

using Bytes = std::vector<uint8_t>;

inline Bytes compress_bytes(const Bytes& input) {
  Bytes output(bm::compress::compressed_bound(input.size()));
  auto workspace = std::make_unique<uint8_t[]>(bm::compress::kEncoderWorkspaceBytes);
  auto written = bm::compress::compress(input.data(), input.size(), output.data(), output.size(),
                                        workspace.get(), bm::compress::kEncoderWorkspaceBytes);
  if (!written.ok()) return {};
  output.resize(*written);
  return output;
}

// An output buffer of `capacity` bytes between two guard zones of a known pattern, so a test
// sees any write outside it (ASan sees reads and writes past the whole allocation).
class GuardedOutput {
 public:
  static constexpr size_t kGuardBytes = 64;
  static constexpr uint8_t kGuardPattern = 0xa5;

  explicit GuardedOutput(size_t capacity)
      : capacity_(capacity), storage_(capacity + 2 * kGuardBytes, kGuardPattern) {}

  uint8_t* data() { return storage_.data() + kGuardBytes; }
  size_t capacity() const { return capacity_; }

  // True if no byte outside [data(), data() + written_limit) changed, where the decoder
  // promises to write at most `written_limit` bytes (the recorded size).
  bool untouched_outside(size_t written_limit) const {
    for (size_t i = 0; i < kGuardBytes; ++i) {
      if (storage_[i] != kGuardPattern) return false;
    }
    for (size_t i = kGuardBytes + written_limit; i < storage_.size(); ++i) {
      if (storage_[i] != kGuardPattern) return false;
    }
    return true;
  }
  Bytes contents(size_t size) const {
    return Bytes(storage_.begin() + kGuardBytes, storage_.begin() + kGuardBytes + size);
  }

 private:
  size_t capacity_;
  Bytes storage_;
};

// The input copied into an allocation of exactly its size, so ASan reports any read past it.
inline std::unique_ptr<uint8_t[]> exact_copy(const Bytes& input) {
  auto copy = std::make_unique<uint8_t[]>(input.size() == 0 ? 1 : input.size());
  if (!input.empty()) memcpy(copy.get(), input.data(), input.size());
  return copy;
}

struct Decoded {
  bm::Result<size_t, bm::compress::DecodeError> result;
  Bytes bytes;
  bool guards_intact;
};

// Decodes `stream` into a guarded buffer of `capacity` bytes.
inline Decoded decode(const Bytes& stream, size_t capacity) {
  auto input = exact_copy(stream);
  GuardedOutput output(capacity);
  auto result = bm::compress::decompress(input.get(), stream.size(), output.data(), capacity);
  // Whatever the outcome, nothing past the recorded size (capped by the capacity) is written.
  size_t limit = capacity;
  auto recorded = bm::compress::decompressed_size(input.get(), stream.size());
  if (recorded.ok() && *recorded < limit) limit = static_cast<size_t>(*recorded);
  return {result, output.contents(result.ok() ? *result : 0), output.untouched_outside(limit)};
}

// A container header recording `size`, followed by `payload`.
inline Bytes container(uint64_t size, const Bytes& payload) {
  Bytes bytes = {'B', 'M', 'L', 'Z', bm::compress::kVersion, 0, 0, 0};
  for (size_t i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(size >> (8 * i)));
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return bytes;
}

inline Bytes random_bytes(size_t size, uint32_t seed) {
  std::mt19937 generator(seed);
  Bytes bytes(size);
  for (auto& byte : bytes) byte = static_cast<uint8_t>(generator());
  return bytes;
}

// Words from a small vocabulary with spaces and newlines: text as a manifest or a README.
inline Bytes text_bytes(size_t size, uint32_t seed) {
  static const char* const kWords[] = {"server", "init",   "priority=8", "the",
                                       "module", "boot",   "console",    "ports=0x3f8:8",
                                       "a",      "memory", "\n"};
  std::mt19937 generator(seed);
  Bytes bytes;
  while (bytes.size() < size) {
    std::string word = kWords[generator() % (sizeof(kWords) / sizeof(kWords[0]))];
    bytes.insert(bytes.end(), word.begin(), word.end());
    bytes.push_back(' ');
  }
  bytes.resize(size);
  return bytes;
}

// Bytes shaped like a stripped ELF: a header, code made of repeated instruction patterns with
// varying immediates, a string table, and zero padding to page boundaries.
inline Bytes elf_like_bytes(size_t size, uint32_t seed) {
  std::mt19937 generator(seed);
  Bytes bytes = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  bytes.resize(64, 0);
  static const Bytes kPatterns[] = {{0x48, 0x89, 0xe5}, {0x55}, {0xc3},
                                    {0x48, 0x8b, 0x45}, {0xe8}, {0x0f, 0x1f, 0x44, 0x00, 0x00},
                                    {0x31, 0xc0}};
  while (bytes.size() < size) {
    uint32_t pick = generator() % 10;
    if (pick < 7) {
      const Bytes& pattern = kPatterns[pick];
      bytes.insert(bytes.end(), pattern.begin(), pattern.end());
      bytes.push_back(static_cast<uint8_t>(generator() % 16));  // an immediate
    } else if (pick < 9) {
      for (char c : std::string("init: started ")) bytes.push_back(static_cast<uint8_t>(c));
    } else {
      bytes.resize((bytes.size() + 4095) / 4096 * 4096, 0);  // padding to the next page
    }
  }
  bytes.resize(size);
  return bytes;
}

}  // namespace compress_test
