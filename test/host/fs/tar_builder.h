// Builds ustar archives in memory for the parser tests, header by header, so a test can make
// exactly the archive it needs (or break one field of it and fix the checksum again).
#pragma once

#include <stdint.h>

#include <cstdio>
#include <string>
#include <vector>

#include "lib/fs/ustar.h"

namespace bm::fs::testing {

// Offsets of the header fields the tests touch (POSIX ustar).
constexpr size_t kNameField = 0;
constexpr size_t kModeField = 100;
constexpr size_t kSizeField = 124;
constexpr size_t kMtimeField = 136;
constexpr size_t kChecksumField = 148;
constexpr size_t kTypeField = 156;
constexpr size_t kMagicField = 257;
constexpr size_t kPrefixField = 345;

using Bytes = std::vector<uint8_t>;

inline void put_text(Bytes* archive, size_t at, const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) (*archive)[at + i] = static_cast<uint8_t>(text[i]);
}

inline std::string octal(uint64_t value, int digits) {
  char text[32];
  std::snprintf(text, sizeof(text), "%0*llo", digits, static_cast<unsigned long long>(value));
  return text;
}

// Recomputes the checksum of the header at `header` (after a test changed a field).
inline void fix_checksum(Bytes* archive, size_t header) {
  uint64_t sum = 0;
  for (size_t i = 0; i < kUstarBlockSize; ++i) {
    bool in_field = i >= kChecksumField && i < kChecksumField + 8;
    sum += in_field ? ' ' : (*archive)[header + i];
  }
  put_text(archive, header + kChecksumField, octal(sum, 6));
  (*archive)[header + kChecksumField + 6] = 0;
  (*archive)[header + kChecksumField + 7] = ' ';
}

// Sets a field of the header at `header` and makes the checksum right again.
inline void set_field(Bytes* archive, size_t header, size_t field, const std::string& bytes) {
  put_text(archive, header + field, bytes);
  fix_checksum(archive, header);
}

class TarBuilder {
 public:
  // A header of `type` ('0' file, '5' directory, ...) with `name` (up to 100 bytes) and
  // `prefix` (up to 155), then the data padded to a block. Returns the header's offset.
  size_t entry(char type, const std::string& name, const std::string& data = "",
               const std::string& prefix = "") {
    size_t header = bytes_.size();
    bytes_.resize(header + kUstarBlockSize, 0);
    put_text(&bytes_, header + kNameField, name.substr(0, 100));
    put_text(&bytes_, header + kModeField, octal(type == '5' ? 0755 : 0644, 7));
    put_text(&bytes_, header + 108, octal(0, 7));  // uid
    put_text(&bytes_, header + 116, octal(0, 7));  // gid
    put_text(&bytes_, header + kSizeField, octal(data.size(), 11));
    put_text(&bytes_, header + kMtimeField, octal(0, 11));
    bytes_[header + kTypeField] = static_cast<uint8_t>(type);
    put_text(&bytes_, header + kMagicField,
             std::string("ustar\0"
                         "00",
                         8));
    put_text(&bytes_, header + kPrefixField, prefix.substr(0, 155));
    fix_checksum(&bytes_, header);
    size_t data_at = bytes_.size();
    bytes_.resize(data_at + (data.size() + kUstarBlockSize - 1) / kUstarBlockSize * kUstarBlockSize,
                  0);
    put_text(&bytes_, data_at, data);
    return header;
  }
  size_t file(const std::string& name, const std::string& data, const std::string& prefix = "") {
    return entry('0', name, data, prefix);
  }
  size_t directory(const std::string& name, const std::string& prefix = "") {
    return entry('5', name, "", prefix);
  }

  // The archive with its two zero blocks at the end (and `padding` more zero bytes).
  Bytes finish(size_t padding = 0) const {
    Bytes archive = bytes_;
    archive.resize(archive.size() + 2 * kUstarBlockSize + padding, 0);
    return archive;
  }
  // Without the end blocks.
  const Bytes& unfinished() const { return bytes_; }

 private:
  Bytes bytes_;
};

// Every entry of an archive (or the error that stopped the reader).
struct Listing {
  UstarError error = UstarError::kOk;
  std::vector<UstarEntry> entries;
};

inline Listing list(const Bytes& archive) {
  Listing listing;
  UstarReader reader(archive.data(), archive.size());
  for (;;) {
    UstarEntry entry;
    bool at_end = false;
    listing.error = reader.next(&entry, &at_end);
    if (listing.error != UstarError::kOk || at_end) return listing;
    listing.entries.push_back(entry);
  }
}

inline std::string data_of(const UstarEntry& entry) {
  return std::string(reinterpret_cast<const char*>(entry.data), entry.size);
}

}  // namespace bm::fs::testing
