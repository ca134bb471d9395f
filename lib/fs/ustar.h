// A reader of POSIX ustar archives (IEEE Std 1003.1, pax, "ustar Interchange Format"): the
// initrd behind /boot. It walks the archive's headers in place and never reads outside it;
// an archive that is cut short or malformed is an error value, never a crash.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/fs/node_info.h"
#include "lib/fs/path.h"

namespace bm::fs {

constexpr size_t kUstarBlockSize = 512;

enum class UstarError : int32_t {
  kOk = 0,
  kTruncated,        // the archive ends inside a header or a file's data, or before the two
                     // zero blocks that end it
  kBadChecksum,      // a header's checksum does not match its bytes
  kBadMagic,         // not "ustar\0" "00" (the POSIX format; GNU's "ustar  " is refused)
  kBadNumber,        // an octal field with no digit, a stray byte, or base-256
  kBadName,          // an empty or absolute name, a ".." component, or a file named like
                     // the root ("./")
  kNameTooLong,      // a component over kMaxNameLength, or a path over kMaxPathLength
  kUnsupportedType,  // neither a regular file nor a directory (links, devices, pax headers)
  kMalformed,        // a zero block followed by a header, or a directory with data
  kTooManyEntries,   // more entries than the reader's user can hold (ArchiveFs::kMaxEntries)
};

const char* ustar_error_text(UstarError error);

// One entry. Names are normalised into an absolute path below the archive's root: "motd" and
// "./motd" are "/motd", "docs/" is "/docs"; the name field follows the prefix field.
struct UstarEntry {
  Path path;
  NodeType type = NodeType::kNone;  // kFile or kDirectory
  const uint8_t* data = nullptr;    // a file's bytes, inside the archive
  uint64_t size = 0;
  uint64_t header_offset = 0;  // where its header starts
};

class UstarReader {
 public:
  // kChecked: an archive this reader's user checked whole before (check_archive) and that
  // cannot have changed since; the headers' checksums, magic and unused numbers are not
  // verified again, which makes a walk several times cheaper. Every bound is still kept.
  enum class Trust { kNone, kChecked };

  UstarReader(const uint8_t* archive, size_t size, Trust trust = Trust::kNone)
      : archive_(archive), size_(size), trust_(trust) {}

  // Reads the entry at the current position into *out and moves past it. *at_end becomes
  // true at the end of the archive (*out unchanged). An entry naming the root directory
  // ("./", which GNU tar writes) is skipped. After an error every call answers that error.
  UstarError next(UstarEntry* out, bool* at_end);

  // Where the reader stands: after an error, the offset of the header at fault.
  uint64_t offset() const { return offset_; }

 private:
  UstarError fail(UstarError error) {
    error_ = error;
    return error;
  }

  const uint8_t* archive_;
  size_t size_;
  Trust trust_;
  uint64_t offset_ = 0;
  UstarError error_ = UstarError::kOk;
  bool ended_ = false;
};

// Reads every entry: kOk, or the first error with the offset of its header in *where.
UstarError check_archive(const uint8_t* archive, size_t size, uint64_t* where);

}  // namespace bm::fs
