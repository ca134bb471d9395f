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

// FNV-1a (64 bits): a fingerprint of a path, to compare paths as numbers first.
uint64_t path_hash(RelativePath path) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (uint32_t i = 0; i < path.length; ++i) {
    hash = (hash ^ static_cast<uint8_t>(path.data[i])) * 0x100000001b3ull;
  }
  return hash;
}

// Calls visit(entry) for each entry of a checked archive until it returns false.
template <typename Visit>
void for_each_entry(const uint8_t* archive, size_t size, Visit visit) {
  if (archive == nullptr) return;
  // mount() read the whole archive without an error, and it cannot have changed since.
  UstarReader reader(archive, size, UstarReader::Trust::kChecked);
  UstarEntry entry;
  bool at_end = false;
  while (reader.next(&entry, &at_end) == UstarError::kOk && !at_end) {
    if (!visit(entry)) return;
  }
}

// The checked archive's entry whose header is at `offset`.
bool entry_at(const uint8_t* archive, size_t size, uint64_t offset, UstarEntry* out) {
  UstarReader reader(archive + offset, size - offset, UstarReader::Trust::kChecked);
  bool at_end = false;
  return reader.next(out, &at_end) == UstarError::kOk && !at_end;
}

}  // namespace

bool ArchiveFs::seen_before(RelativePath path, uint64_t hash, size_t count,
                            bool directories_only, const uint8_t* archive, size_t size) const {
  for (size_t i = 0; i < count; ++i) {
    if (seen_[i].path_hash != hash || (directories_only && !seen_[i].is_directory)) continue;
    UstarEntry before;  // the same hash: compare the paths themselves
    if (entry_at(archive, size, seen_[i].header_offset, &before) &&
        same_path(before.path.relative(), path)) {
      return true;
    }
  }
  return false;
}

UstarError ArchiveFs::mount(const uint8_t* archive, size_t size, uint64_t* failed_offset) {
  archive_ = nullptr;
  size_ = 0;
  UstarError error = check_archive(archive, size, failed_offset);
  if (error != UstarError::kOk) return error;
  // One pass: each entry against the fingerprints of those before it. Its directory must be
  // one of them, its path none.
  UstarError tree = UstarError::kOk;
  size_t count = 0;
  for_each_entry(archive, size, [&](const UstarEntry& entry) {
    *failed_offset = entry.header_offset;
    if (count == kMaxEntries) {
      tree = UstarError::kTooManyEntries;
      return false;
    }
    RelativePath path = entry.path.relative();
    RelativePath parent = parent_of(entry.path);
    uint64_t hash = path_hash(path);
    bool parent_found =
        parent.empty() || seen_before(parent, path_hash(parent), count, true, archive, size);
    if (!parent_found || seen_before(path, hash, count, false, archive, size)) {
      tree = UstarError::kMalformed;
      return false;
    }
    seen_[count++] = {hash, entry.header_offset, entry.type == NodeType::kDirectory};
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
