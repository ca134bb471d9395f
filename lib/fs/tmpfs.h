// tmpfs: a file system in memory (/tmp). Directories and files, read and write at any offset
// (a gap reads as zeroes), mkdir, remove, rename, and a byte limit. A removed file stays
// readable and writable through the opens that hold it until the last close, as on Unix.
// Memory comes from an FsMemory; the limit counts each node and each file's buffer.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/fs/fs_error.h"
#include "lib/fs/fs_memory.h"
#include "lib/fs/node_info.h"
#include "lib/fs/path.h"

namespace bm::fs {

// A file or directory. Callers hold one between open() and close() and leave its fields to
// Tmpfs.
struct TmpNode {
  NodeType type = NodeType::kDirectory;
  char name[kMaxNameLength] = {};
  uint32_t name_length = 0;
  TmpNode* parent = nullptr;  // null for the root and for a removed node
  TmpNode* first_child = nullptr;
  TmpNode* next_sibling = nullptr;
  uint64_t entries = 0;     // a directory's children
  uint8_t* data = nullptr;  // a file's buffer: `size` bytes, then zeroes up to `capacity`
  uint64_t size = 0;
  uint64_t capacity = 0;
  uint32_t open_count = 0;
  bool removed = false;
};

struct OpenOptions {
  bool create = false;     // make a file if the name is free
  bool exclusive = false;  // with create: kExists if the name is taken
  bool truncate = false;   // an existing file becomes empty
};

class Tmpfs {
 public:
  // What every file and directory counts against the limit besides its data (the root counts
  // nothing): its node, about 140 bytes, and the heap's overhead for it, so that many empty
  // files cannot use memory the limit does not see. And the step in which a buffer grows.
  static constexpr uint64_t kNodeCost = 256;
  static constexpr uint64_t kDataGranule = 64;
  static_assert(sizeof(TmpNode) <= kNodeCost);

  Tmpfs(FsMemory& memory, uint64_t byte_limit);
  ~Tmpfs();  // frees every node, also removed ones still open
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;

  // The node at `path` (empty: the root), made as a file first if `options` say so. It stays
  // valid, also through remove() and rename(), until close(). A directory may be opened
  // (create or truncate on one is kIsADirectory).
  Result<TmpNode*, FsError> open(RelativePath path, OpenOptions options);
  void close(TmpNode* node);

  // Up to `length` bytes from `offset`; fewer at the end of the file, 0 past it.
  Result<uint32_t, FsError> read(const TmpNode* node, uint64_t offset, uint8_t* out,
                                 uint32_t length) const;
  // All `length` bytes at `offset`, or none (kNoSpace). Past the end the file grows, and the
  // gap reads as zeroes. A write of 0 bytes changes nothing.
  Result<uint32_t, FsError> write(TmpNode* node, uint64_t offset, const uint8_t* bytes,
                                  uint32_t length);
  NodeInfo info(const TmpNode* node) const;  // a directory's size is its number of entries

  Result<NodeInfo, FsError> stat(RelativePath path) const;
  Result<void, FsError> make_directory(RelativePath path);
  // Removes a file, or an empty directory (kNotEmpty otherwise). The root: kNotPermitted.
  Result<void, FsError> remove(RelativePath path);
  // Moves `from` to `to`, replacing a file there by a file or an empty directory by a
  // directory (POSIX rename). A directory into itself or below itself is kBadPath; the root,
  // either way, kNotPermitted.
  Result<void, FsError> rename(RelativePath from, RelativePath to);
  // Entry `index` of a directory (0, 1, ... in the order they were made or moved in); past
  // the last, an entry of type kNone.
  Result<DirEntry, FsError> read_directory(RelativePath path, uint64_t index) const;

  uint64_t used_bytes() const { return used_bytes_; }
  uint64_t byte_limit() const { return byte_limit_; }

 private:
  Result<TmpNode*, FsError> walk(RelativePath path) const;
  // The directory that is to hold the last name of `path`, and that name.
  Result<TmpNode*, FsError> parent_directory(RelativePath path, Name* name) const;
  Result<TmpNode*, FsError> create_node(TmpNode* directory, Name name, NodeType type);
  FsError reserve(uint64_t needed, TmpNode* file);
  bool charge(uint64_t bytes);
  void detach(TmpNode* node);
  // A detached node: freed at once if no open holds it, else when the last one closes.
  void drop(TmpNode* node);
  void destroy(TmpNode* node);
  void destroy_tree(TmpNode* node);

  FsMemory& memory_;
  uint64_t byte_limit_;
  uint64_t used_bytes_ = 0;
  TmpNode root_;
  TmpNode* orphans_ = nullptr;  // removed but still open, linked through next_sibling
};

}  // namespace bm::fs
