// FsNamespace: each operation finds the mount of its path, answers for "/" and the read-only
// /boot itself, and passes the rest to the mount's file system.
#include "servers/fs/fs_namespace.h"

namespace bm::fs {

namespace {

constexpr Name kBootName{"boot", 4};
constexpr Name kTmpName{"tmp", 3};
constexpr uint64_t kRootEntries = 2;  // boot and tmp

}  // namespace

Place locate(const Path& path) {
  RelativePath below = path.relative();
  Name first;
  RelativePath rest;
  if (!split_first(below, &first, &rest)) return {Mount::kRoot, below};
  if (names_equal(first, kBootName)) return {Mount::kBoot, rest};
  if (names_equal(first, kTmpName)) return {Mount::kTmp, rest};
  return {Mount::kRoot, below};  // a name in "/" that is not a mount: never there
}

Result<OpenTarget, FsError> FsNamespace::open(const Path& path, OpenMode mode) {
  Place place = locate(path);
  OpenTarget target;
  target.mount = place.mount;
  switch (place.mount) {
    case Mount::kRoot:
      if (!place.below.empty())
        return mode.options.create ? FsError::kReadOnly : FsError::kNotFound;
      if (mode.write) return FsError::kIsADirectory;
      target.entries = kRootEntries;
      return target;
    case Mount::kBoot: {
      auto node = boot_.lookup(place.below);
      if (!node.ok()) {
        bool would_create = node.error() == FsError::kNotFound && mode.options.create;
        return would_create ? FsError::kReadOnly : node.error();
      }
      target.type = node->type;
      if (mode.write)
        return node->type == NodeType::kDirectory ? FsError::kIsADirectory : FsError::kReadOnly;
      target.boot = *node;
      if (node->type == NodeType::kDirectory) {
        target.entries = boot_.stat(place.below).value_or(NodeInfo{}).size;
      }
      return target;
    }
    case Mount::kTmp: {
      TmpNode* node = BM_TRY(tmp_.open(place.below, mode.options));
      target.type = tmp_.info(node).type;
      if (mode.write && target.type == NodeType::kDirectory) {
        tmp_.close(node);
        return FsError::kIsADirectory;
      }
      target.tmp = node;
      return target;
    }
  }
  return FsError::kNotFound;
}

void FsNamespace::close(const OpenTarget& target) {
  if (target.mount == Mount::kTmp && target.tmp != nullptr) tmp_.close(target.tmp);
}

Result<uint32_t, FsError> FsNamespace::read(const OpenTarget& target, uint64_t offset, uint8_t* out,
                                            uint32_t length) {
  if (target.type == NodeType::kDirectory) return FsError::kIsADirectory;
  if (target.mount == Mount::kTmp) return tmp_.read(target.tmp, offset, out, length);
  const ArchiveNode& file = target.boot;
  if (offset >= file.size) return 0u;
  uint64_t available = file.size - offset;
  auto count = static_cast<uint32_t>(available < length ? available : length);
  for (uint32_t i = 0; i < count; ++i) out[i] = file.data[offset + i];
  return count;
}

Result<uint32_t, FsError> FsNamespace::write(const OpenTarget& target, uint64_t offset,
                                             const uint8_t* bytes, uint32_t length) {
  if (target.type == NodeType::kDirectory) return FsError::kIsADirectory;
  if (target.mount != Mount::kTmp) return FsError::kReadOnly;
  return tmp_.write(target.tmp, offset, bytes, length);
}

NodeInfo FsNamespace::info(const OpenTarget& target) const {
  if (target.mount == Mount::kTmp) return tmp_.info(target.tmp);
  if (target.type == NodeType::kDirectory) return {NodeType::kDirectory, target.entries};
  return {NodeType::kFile, target.boot.size};
}

Result<NodeInfo, FsError> FsNamespace::stat(const Path& path) const {
  Place place = locate(path);
  switch (place.mount) {
    case Mount::kRoot:
      if (!place.below.empty()) return FsError::kNotFound;
      return NodeInfo{NodeType::kDirectory, kRootEntries};
    case Mount::kBoot:
      return boot_.stat(place.below);
    case Mount::kTmp:
      return tmp_.stat(place.below);
  }
  return FsError::kNotFound;
}

Result<DirEntry, FsError> FsNamespace::read_directory(const Path& path, uint64_t index) const {
  Place place = locate(path);
  switch (place.mount) {
    case Mount::kRoot: {
      if (!place.below.empty()) return FsError::kNotFound;
      DirEntry entry;
      if (index >= kRootEntries) return entry;
      bool boot = index == 0;
      auto info = boot ? boot_.stat({}) : tmp_.stat({});
      entry.info = info.value_or(NodeInfo{NodeType::kDirectory, 0});
      set_entry_name(boot ? kBootName : kTmpName, &entry);
      return entry;
    }
    case Mount::kBoot:
      return boot_.read_directory(place.below, index);
    case Mount::kTmp:
      return tmp_.read_directory(place.below, index);
  }
  return FsError::kNotFound;
}

Result<void, FsError> FsNamespace::make_directory(const Path& path) {
  Place place = locate(path);
  switch (place.mount) {
    case Mount::kRoot:
      return place.below.empty() ? FsError::kExists : FsError::kReadOnly;
    case Mount::kBoot:
      return place.below.empty() ? FsError::kExists : FsError::kReadOnly;
    case Mount::kTmp:
      return tmp_.make_directory(place.below);
  }
  return FsError::kNotFound;
}

Result<void, FsError> FsNamespace::remove(const Path& path) {
  Place place = locate(path);
  switch (place.mount) {
    case Mount::kRoot:
      return place.below.empty() ? FsError::kNotPermitted : FsError::kNotFound;
    case Mount::kBoot: {
      if (place.below.empty()) return FsError::kNotPermitted;
      auto node = boot_.lookup(place.below);
      return node.ok() ? FsError::kReadOnly : node.error();
    }
    case Mount::kTmp:
      return tmp_.remove(place.below);
  }
  return FsError::kNotFound;
}

Result<void, FsError> FsNamespace::rename(const Path& from, const Path& to) {
  Place source = locate(from);
  Place target = locate(to);
  // A mount, or "/", is never moved nor replaced.
  if (source.below.empty() || target.below.empty()) return FsError::kNotPermitted;
  if (source.mount == Mount::kRoot) return FsError::kNotFound;
  if (source.mount != Mount::kTmp || target.mount != Mount::kTmp) return FsError::kReadOnly;
  return tmp_.rename(source.below, target.below);
}

}  // namespace bm::fs
