// The file server's one namespace: "/" holds two mounts, "/boot" (the initrd, read only) and
// "/tmp" (a tmpfs), and nothing else. FsNamespace sends each path to its mount and answers
// for "/" itself, which cannot change.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/fs/archive_fs.h"
#include "lib/fs/fs_error.h"
#include "lib/fs/fs_memory.h"
#include "lib/fs/node_info.h"
#include "lib/fs/path.h"
#include "lib/fs/tmpfs.h"

namespace bm::fs {

enum class Mount : uint8_t {
  kRoot,  // "/" itself, or a name below it that is not a mount (which never exists)
  kBoot,
  kTmp,
};

// What an open names: a directory of any mount, a file of the initrd, a node of the tmpfs.
struct OpenTarget {
  Mount mount = Mount::kRoot;
  NodeType type = NodeType::kDirectory;
  ArchiveNode boot{};      // kBoot
  uint64_t entries = 0;    // a directory of "/" or /boot: its entries, which never change
  TmpNode* tmp = nullptr;  // kTmp: held open in the tmpfs until close()
};

struct OpenMode {
  bool read = false;
  bool write = false;
  OpenOptions options{};  // create, exclusive, truncate
};

class FsNamespace {
 public:
  FsNamespace(FsMemory& memory, uint64_t tmp_byte_limit) : tmp_(memory, tmp_byte_limit) {}

  // Mounts the initrd at /boot (ArchiveFs::mount); until then, and after a failure, /boot is
  // an empty directory.
  UstarError mount_boot(const uint8_t* archive, size_t size, uint64_t* failed_offset) {
    return boot_.mount(archive, size, failed_offset);
  }

  // Paths are resolved ones (resolve_path). A directory opens for reading only
  // (kIsADirectory); under "/" and /boot anything that would write is kReadOnly.
  Result<OpenTarget, FsError> open(const Path& path, OpenMode mode);
  void close(const OpenTarget& target);
  Result<uint32_t, FsError> read(const OpenTarget& target, uint64_t offset, uint8_t* out,
                                 uint32_t length);
  Result<uint32_t, FsError> write(const OpenTarget& target, uint64_t offset, const uint8_t* bytes,
                                  uint32_t length);
  NodeInfo info(const OpenTarget& target) const;

  Result<NodeInfo, FsError> stat(const Path& path) const;
  Result<DirEntry, FsError> read_directory(const Path& path, uint64_t index) const;
  Result<void, FsError> make_directory(const Path& path);
  Result<void, FsError> remove(const Path& path);
  // Within /tmp only: /boot is kReadOnly, "/" and the mounts themselves kNotPermitted.
  Result<void, FsError> rename(const Path& from, const Path& to);

  const Tmpfs& tmp() const { return tmp_; }

 private:
  ArchiveFs boot_;
  Tmpfs tmp_;
};

// Which mount a path is in, and the path below that mount's root.
struct Place {
  Mount mount = Mount::kRoot;
  RelativePath below{};
};
Place locate(const Path& path);

}  // namespace bm::fs
