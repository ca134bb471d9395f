// A read-only file system over a ustar archive in memory (the initrd behind /boot). mount()
// checks the whole archive once; lookups then walk its headers in place (trusting what mount
// checked), so the archive must stay mapped as long as the mount.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/fs/fs_error.h"
#include "lib/fs/node_info.h"
#include "lib/fs/path.h"
#include "lib/fs/ustar.h"

namespace bm::fs {

// A file or directory of the archive; a file's bytes are in the archive.
struct ArchiveNode {
  NodeType type = NodeType::kNone;
  const uint8_t* data = nullptr;
  uint64_t size = 0;  // bytes of a file; 0 for a directory
};

class ArchiveFs {
 public:
  // The most entries an archive may hold: mount checks the tree against a table of this many
  // path fingerprints (kTooManyEntries past it).
  static constexpr size_t kMaxEntries = 1024;

  // Checks every header (ustar.h) and the tree they form: each entry's directory is the root
  // or a directory entry earlier in the archive, and no path appears twice (kMalformed, with
  // the offending header's offset). tools/make_initrd.py writes archives that pass. On
  // failure the mount stays empty (only its root directory).
  UstarError mount(const uint8_t* archive, size_t size, uint64_t* failed_offset);

  // The node at `path` below the root (empty: the root directory).
  Result<ArchiveNode, FsError> lookup(RelativePath path) const;
  // Entry `index` (0, 1, ... in archive order) of the directory at `path`; past the last, an
  // entry of type kNone.
  Result<DirEntry, FsError> read_directory(RelativePath path, uint64_t index) const;
  // A file's type and size; a directory's number of entries.
  Result<NodeInfo, FsError> stat(RelativePath path) const;

 private:
  // What mount remembers of each entry to check the next ones in one pass: the hash of its
  // path, and where its header is (to compare the paths themselves when two hashes agree).
  struct Fingerprint {
    uint64_t path_hash;
    uint64_t header_offset;
    bool is_directory;
  };
  // The entries before `count` that have `path`: at most one, as mount allows.
  bool seen_before(RelativePath path, uint64_t path_hash, size_t count, bool directories_only,
                   const uint8_t* archive, size_t size) const;

  const uint8_t* archive_ = nullptr;
  size_t size_ = 0;
  Fingerprint seen_[kMaxEntries];  // mount's workspace
};

}  // namespace bm::fs
