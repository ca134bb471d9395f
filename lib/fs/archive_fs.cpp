// ArchiveFs: the checks of mount(), and lookups as scans of the checked archive.
#include "lib/fs/archive_fs.h"

namespace bm::fs {

namespace {

bool same_path(RelativePath a, RelativePath b) {
  if (a.length != b.length) return false;
  for (uint32_t i = 0; i < a.length; ++i) {
    if (a.data[i] != b.data[i]) return false;
  }
  return true;
}

RelativePath parent_of(const Path& path) {
  RelativePath parent;
  Name last;
  split_last(path.relative(), &parent, &last);
  return parent;
}

// Calls visit(entry) for each entry of a checked archive until it returns false.
template <typename Visit>
void for_each_entry(const uint8_t* archive, size_t size, Visit visit) {
  if (archive == nullptr) return;
  UstarReader reader(archive, size);
  UstarEntry entry;
  bool at_end = false;
  // mount() read the whole archive without an error, and it cannot have changed since.
  while (reader.next(&entry, &at_end) == UstarError::kOk && !at_end) {
    if (!visit(entry)) return;
  }
}

}  // namespace

UstarError ArchiveFs::mount(const uint8_t* archive, size_t size, uint64_t* failed_offset) {
  archive_ = nullptr;
  size_ = 0;
  UstarError error = check_archive(archive, size, failed_offset);
  if (error != UstarError::kOk) return error;
  // Each entry against those before it: its directory must be one of them, its path none.
  // Quadratic in the entries, once at boot, for an initrd of some tens of files.
  UstarError tree = UstarError::kOk;
  uint64_t index = 0;
  for_each_entry(archive, size, [&](const UstarEntry& entry) {
    RelativePath parent = parent_of(entry.path);
    bool parent_found = parent.empty();
    bool duplicate = false;
    uint64_t earlier = 0;
    for_each_entry(archive, size, [&](const UstarEntry& before) {
      if (earlier++ == index) return false;
      if (same_path(before.path.relative(), entry.path.relative())) duplicate = true;
      if (before.type == NodeType::kDirectory && same_path(before.path.relative(), parent)) {
        parent_found = true;
      }
      return true;
    });
    ++index;
    if (duplicate || !parent_found) {
      tree = UstarError::kMalformed;
      *failed_offset = entry.header_offset;
      return false;
    }
    return true;
  });
  if (tree != UstarError::kOk) return tree;
  archive_ = archive;
  size_ = size;
  return UstarError::kOk;
}

Result<ArchiveNode, FsError> ArchiveFs::lookup(RelativePath path) const {
  if (path.empty()) return ArchiveNode{NodeType::kDirectory, nullptr, 0};
  ArchiveNode found;
  for_each_entry(archive_, size_, [&](const UstarEntry& entry) {
    if (!same_path(entry.path.relative(), path)) return true;
    found = {entry.type, entry.data, entry.size};
    return false;
  });
  if (found.type != NodeType::kNone) return found;
  // Not there: kNotADirectory if a file stands where a directory of the path should be.
  RelativePath rest = path;
  RelativePath walked{path.data, 0};
  Name name;
  while (split_first(rest, &name, &rest)) {
    walked.length = static_cast<uint32_t>(name.data + name.length - path.data);
    if (walked.length == path.length) break;
    bool is_file = false;
    for_each_entry(archive_, size_, [&](const UstarEntry& entry) {
      if (!same_path(entry.path.relative(), walked)) return true;
      is_file = entry.type == NodeType::kFile;
      return false;
    });
    if (is_file) return FsError::kNotADirectory;
  }
  return FsError::kNotFound;
}

Result<DirEntry, FsError> ArchiveFs::read_directory(RelativePath path, uint64_t index) const {
  auto node = lookup(path);
  if (!node.ok()) return node.error();
  if (node->type != NodeType::kDirectory) return FsError::kNotADirectory;
  DirEntry found;
  uint64_t seen = 0;
  for_each_entry(archive_, size_, [&](const UstarEntry& entry) {
    if (!same_path(parent_of(entry.path), path)) return true;
    if (seen++ != index) return true;
    RelativePath parent;
    Name name;
    split_last(entry.path.relative(), &parent, &name);
    set_entry_name(name, &found);
    // A directory's size is its number of entries, as stat() says.
    auto info = stat(entry.path.relative());
    found.info = info.value_or(NodeInfo{entry.type, 0});
    return false;
  });
  return found;
}

Result<NodeInfo, FsError> ArchiveFs::stat(RelativePath path) const {
  auto node = lookup(path);
  if (!node.ok()) return node.error();
  if (node->type == NodeType::kFile) return NodeInfo{NodeType::kFile, node->size};
  uint64_t entries = 0;
  for_each_entry(archive_, size_, [&](const UstarEntry& entry) {
    if (same_path(parent_of(entry.path), path)) ++entries;
    return true;
  });
  return NodeInfo{NodeType::kDirectory, entries};
}

}  // namespace bm::fs
