// UstarReader: header checks in the order a reader meets them, every offset bounded by the
// archive's size before it is read.
#include "lib/fs/ustar.h"

namespace bm::fs {

namespace {

// Header fields (offset, width): POSIX ustar.
constexpr size_t kNameOffset = 0, kNameWidth = 100;
constexpr size_t kModeOffset = 100, kModeWidth = 8;
constexpr size_t kUidOffset = 108, kUidWidth = 8;
constexpr size_t kGidOffset = 116, kGidWidth = 8;
constexpr size_t kSizeOffset = 124, kSizeWidth = 12;
constexpr size_t kMtimeOffset = 136, kMtimeWidth = 12;
constexpr size_t kChecksumOffset = 148, kChecksumWidth = 8;
constexpr size_t kTypeOffset = 156;
constexpr size_t kMagicOffset = 257;  // "ustar\0" then the version "00"
constexpr size_t kPrefixOffset = 345, kPrefixWidth = 155;

constexpr uint8_t kTypeFile = '0';
constexpr uint8_t kTypeOldFile = '\0';  // pre-POSIX tars
constexpr uint8_t kTypeDirectory = '5';

// The longest name a header can hold: prefix, a slash, name.
constexpr size_t kMaxRawName = kPrefixWidth + 1 + kNameWidth;

bool is_zero_block(const uint8_t* block) {
  for (size_t i = 0; i < kUstarBlockSize; ++i) {
    if (block[i] != 0) return false;
  }
  return true;
}

// An octal number: optional leading spaces, at least one digit, then only spaces or NULs to
// the end of the field (a field full of digits needs none). Base-256 (GNU, high bit set) and
// anything else is refused.
bool parse_octal(const uint8_t* field, size_t width, uint64_t* out) {
  size_t i = 0;
  while (i < width && field[i] == ' ') ++i;
  uint64_t value = 0;
  size_t digits = 0;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i, ++digits) {
    if (value > (~uint64_t{0} >> 3)) return false;
    value = value * 8 + (field[i] - '0');
  }
  if (digits == 0) return false;
  for (; i < width; ++i) {
    if (field[i] != ' ' && field[i] != '\0') return false;
  }
  *out = value;
  return true;
}

// The sum of the header's bytes with the checksum field counted as spaces.
uint64_t header_sum(const uint8_t* header) {
  uint64_t sum = 0;
  for (size_t i = 0; i < kUstarBlockSize; ++i) {
    bool in_checksum = i >= kChecksumOffset && i < kChecksumOffset + kChecksumWidth;
    sum += in_checksum ? ' ' : header[i];
  }
  return sum;
}

bool has_posix_magic(const uint8_t* header) {
  static constexpr uint8_t kMagic[8] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};
  for (size_t i = 0; i < sizeof(kMagic); ++i) {
    if (header[kMagicOffset + i] != kMagic[i]) return false;
  }
  return true;
}

// Copies a NUL-terminated field (no NUL: all of it) to out; returns its length.
size_t copy_field(const uint8_t* field, size_t width, char* out) {
  size_t length = 0;
  while (length < width && field[length] != '\0') {
    out[length] = static_cast<char>(field[length]);
    ++length;
  }
  return length;
}

bool has_dot_dot(const char* name, size_t length) {
  size_t start = 0;
  for (size_t i = 0; i <= length; ++i) {
    if (i == length || name[i] == '/') {
      if (i - start == 2 && name[start] == '.' && name[start + 1] == '.') return true;
      start = i + 1;
    }
  }
  return false;
}

// The entry's name, normalised; archive names are relative to the archive's root and may
// not climb out of it, so ".." is refused rather than resolved.
UstarError entry_path(const uint8_t* header, Path* out) {
  char raw[kMaxRawName];
  size_t length = copy_field(header + kPrefixOffset, kPrefixWidth, raw);
  if (length > 0) raw[length++] = '/';
  length += copy_field(header + kNameOffset, kNameWidth, raw + length);
  if (length == 0 || raw[0] == '/') return UstarError::kBadName;
  if (has_dot_dot(raw, length)) return UstarError::kBadName;
  Path root;
  switch (resolve_path(raw, static_cast<uint32_t>(length), &root, out)) {
    case FsError::kOk:
      return UstarError::kOk;
    case FsError::kNameTooLong:
      return UstarError::kNameTooLong;
    default:
      return UstarError::kBadName;
  }
}

// The checksum, the magic and the numbers nothing uses (mode, owner, time): checked so that a
// damaged archive is refused, not half read.
UstarError check_header_fields(const uint8_t* header) {
  uint64_t checksum = 0;
  if (!parse_octal(header + kChecksumOffset, kChecksumWidth, &checksum)) {
    return UstarError::kBadNumber;
  }
  if (checksum != header_sum(header)) return UstarError::kBadChecksum;
  if (!has_posix_magic(header)) return UstarError::kBadMagic;
  uint64_t unused = 0;
  if (!parse_octal(header + kModeOffset, kModeWidth, &unused) ||
      !parse_octal(header + kUidOffset, kUidWidth, &unused) ||
      !parse_octal(header + kGidOffset, kGidWidth, &unused) ||
      !parse_octal(header + kMtimeOffset, kMtimeWidth, &unused)) {
    return UstarError::kBadNumber;
  }
  return UstarError::kOk;
}

}  // namespace

const char* ustar_error_text(UstarError error) {
  switch (error) {
    case UstarError::kOk:
      return "ok";
    case UstarError::kTruncated:
      return "archive cut short";
    case UstarError::kBadChecksum:
      return "header checksum mismatch";
    case UstarError::kBadMagic:
      return "not a POSIX ustar header";
    case UstarError::kBadNumber:
      return "malformed octal field";
    case UstarError::kBadName:
      return "empty, absolute or '..' name";
    case UstarError::kNameTooLong:
      return "name too long";
    case UstarError::kUnsupportedType:
      return "entry neither a file nor a directory";
    case UstarError::kMalformed:
      return "malformed archive";
    case UstarError::kTooManyEntries:
      return "too many entries";
  }
  return "unknown archive error";
}

UstarError UstarReader::next(UstarEntry* out, bool* at_end) {
  *at_end = false;
  if (error_ != UstarError::kOk) return error_;
  for (;;) {
    if (ended_) {
      *at_end = true;
      return UstarError::kOk;
    }
    if (offset_ > size_ || size_ - offset_ < kUstarBlockSize) return fail(UstarError::kTruncated);
    const uint8_t* header = archive_ + offset_;
    if (is_zero_block(header)) {
      // The end: two zero blocks. Whatever follows them (padding to a record) is not read.
      if (size_ - offset_ < 2 * kUstarBlockSize) return fail(UstarError::kTruncated);
      if (!is_zero_block(header + kUstarBlockSize)) return fail(UstarError::kMalformed);
      ended_ = true;
      continue;
    }
    if (trust_ == Trust::kNone) {
      UstarError checked = check_header_fields(header);
      if (checked != UstarError::kOk) return fail(checked);
    }
    uint64_t size = 0;
    if (!parse_octal(header + kSizeOffset, kSizeWidth, &size)) return fail(UstarError::kBadNumber);
    NodeType type = NodeType::kNone;
    uint8_t flag = header[kTypeOffset];
    if (flag == kTypeFile || flag == kTypeOldFile) {
      type = NodeType::kFile;
    } else if (flag == kTypeDirectory) {
      type = NodeType::kDirectory;
    } else {
      return fail(UstarError::kUnsupportedType);
    }
    if (type == NodeType::kDirectory && size != 0) return fail(UstarError::kMalformed);
    Path path;
    UstarError named = entry_path(header, &path);
    if (named != UstarError::kOk) return fail(named);
    if (path.is_root() && type == NodeType::kFile) return fail(UstarError::kBadName);

    uint64_t data_offset = offset_ + kUstarBlockSize;
    if (size > size_ - data_offset) return fail(UstarError::kTruncated);
    uint64_t padded = (size + kUstarBlockSize - 1) / kUstarBlockSize * kUstarBlockSize;
    if (padded > size_ - data_offset) return fail(UstarError::kTruncated);
    uint64_t header_offset = offset_;
    offset_ = data_offset + padded;
    if (path.is_root()) continue;  // "./": the root, which exists anyway

    out->path = path;
    out->type = type;
    out->data = archive_ + data_offset;
    out->size = size;
    out->header_offset = header_offset;
    return UstarError::kOk;
  }
}

UstarError check_archive(const uint8_t* archive, size_t size, uint64_t* where) {
  UstarReader reader(archive, size);
  UstarEntry entry;
  bool at_end = false;
  for (;;) {
    UstarError error = reader.next(&entry, &at_end);
    if (error != UstarError::kOk) {
      *where = reader.offset();
      return error;
    }
    if (at_end) return UstarError::kOk;
  }
}

}  // namespace bm::fs
