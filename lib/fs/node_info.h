// What a file system says about one of its nodes: its type and size, and a directory entry.
#pragma once

#include <stdint.h>

#include "lib/fs/path.h"

namespace bm::fs {

// Values travel in the file protocol (ipc/fs.h), so they are fixed.
enum class NodeType : uint64_t {
  kNone = 0,  // no node: a directory listing past its last entry
  kFile = 1,
  kDirectory = 2,
};

struct NodeInfo {
  NodeType type = NodeType::kNone;
  uint64_t size = 0;  // bytes of a file; entries of a directory
};

// One entry of a directory listing, its name copied out of the file system.
struct DirEntry {
  NodeInfo info;  // type kNone: past the last entry (no name)
  char name[kMaxNameLength + 1] = {};
  uint32_t name_length = 0;
};

inline void set_entry_name(Name name, DirEntry* entry) {
  for (uint32_t i = 0; i < name.length; ++i) entry->name[i] = name.data[i];
  entry->name[name.length] = '\0';
  entry->name_length = name.length;
}

}  // namespace bm::fs
