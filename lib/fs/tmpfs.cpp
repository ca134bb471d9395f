// Tmpfs: a tree of TmpNodes, each directory's children in a singly linked list in the order
// they came in, each file's bytes in one buffer that grows by doubling.
#include "lib/fs/tmpfs.h"

#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm::fs {

namespace {

Name name_of(const TmpNode* node) { return {node->name, node->name_length}; }

TmpNode* find_child(const TmpNode* directory, Name name) {
  for (TmpNode* child = directory->first_child; child != nullptr; child = child->next_sibling) {
    if (names_equal(name_of(child), name)) return child;
  }
  return nullptr;
}

void attach(TmpNode* directory, TmpNode* node) {
  node->parent = directory;
  node->next_sibling = nullptr;
  TmpNode** link = &directory->first_child;
  while (*link != nullptr) link = &(*link)->next_sibling;
  *link = node;
  ++directory->entries;
}

void set_name(TmpNode* node, Name name) {
  for (uint32_t i = 0; i < name.length; ++i) node->name[i] = name.data[i];
  node->name_length = name.length;
}

uint64_t round_up(uint64_t value, uint64_t step) { return (value + step - 1) / step * step; }

}  // namespace

Tmpfs::Tmpfs(FsMemory& memory, uint64_t byte_limit) : memory_(memory), byte_limit_(byte_limit) {}

Tmpfs::~Tmpfs() {
  destroy_tree(&root_);
  while (orphans_ != nullptr) {
    TmpNode* next = orphans_->next_sibling;
    destroy_tree(orphans_);
    destroy(orphans_);
    orphans_ = next;
  }
}

void Tmpfs::destroy_tree(TmpNode* directory) {
  TmpNode* child = directory->first_child;
  while (child != nullptr) {
    TmpNode* next = child->next_sibling;
    destroy_tree(child);
    destroy(child);
    child = next;
  }
  directory->first_child = nullptr;
  directory->entries = 0;
}

void Tmpfs::destroy(TmpNode* node) {
  if (node->data != nullptr) memory_.release(node->data, node->capacity);
  used_bytes_ -= node->capacity + kNodeCost;
  node->~TmpNode();
  memory_.release(node, sizeof(TmpNode));
}

bool Tmpfs::charge(uint64_t bytes) {
  if (bytes > byte_limit_ - used_bytes_) return false;
  used_bytes_ += bytes;
  return true;
}

Result<TmpNode*, FsError> Tmpfs::walk(RelativePath path) const {
  const TmpNode* node = &root_;
  Name name;
  while (split_first(path, &name, &path)) {
    if (node->type != NodeType::kDirectory) return FsError::kNotADirectory;
    node = find_child(node, name);
    if (node == nullptr) return FsError::kNotFound;
  }
  return const_cast<TmpNode*>(node);  // the tree is ours; const only for the lookup
}

Result<TmpNode*, FsError> Tmpfs::parent_directory(RelativePath path, Name* name) const {
  RelativePath parent;
  if (!split_last(path, &parent, name)) return FsError::kNotPermitted;  // the root
  TmpNode* directory = BM_TRY(walk(parent));
  if (directory->type != NodeType::kDirectory) return FsError::kNotADirectory;
  return directory;
}

Result<TmpNode*, FsError> Tmpfs::create_node(TmpNode* directory, Name name, NodeType type) {
  if (!charge(kNodeCost)) return FsError::kNoSpace;
  void* memory = memory_.allocate(sizeof(TmpNode));
  if (memory == nullptr) {
    used_bytes_ -= kNodeCost;
    return FsError::kNoSpace;
  }
  auto* node = new (memory) TmpNode;
  node->type = type;
  set_name(node, name);
  attach(directory, node);
  return node;
}

Result<TmpNode*, FsError> Tmpfs::open(RelativePath path, OpenOptions options) {
  TmpNode* node = nullptr;
  if (path.empty()) {
    node = &root_;
  } else {
    Name name;
    TmpNode* directory = BM_TRY(parent_directory(path, &name));
    node = find_child(directory, name);
    if (node != nullptr && options.create && options.exclusive) return FsError::kExists;
    if (node == nullptr) {
      if (!options.create) return FsError::kNotFound;
      node = BM_TRY(create_node(directory, name, NodeType::kFile));
    }
  }
  if (node->type == NodeType::kDirectory && (options.create || options.truncate)) {
    return FsError::kIsADirectory;
  }
  if (options.truncate && node->data != nullptr) {
    memory_.release(node->data, node->capacity);
    used_bytes_ -= node->capacity;
    node->data = nullptr;
    node->capacity = 0;
  }
  if (options.truncate) node->size = 0;
  ++node->open_count;
  return node;
}

void Tmpfs::close(TmpNode* node) {
  if (node->open_count > 0) --node->open_count;
  if (node->open_count > 0 || !node->removed) return;
  TmpNode** link = &orphans_;
  while (*link != nullptr && *link != node) link = &(*link)->next_sibling;
  if (*link == node) *link = node->next_sibling;
  destroy(node);
}

Result<uint32_t, FsError> Tmpfs::read(const TmpNode* node, uint64_t offset, uint8_t* out,
                                      uint32_t length) const {
  if (node->type != NodeType::kFile) return FsError::kIsADirectory;
  if (offset >= node->size) return 0u;
  uint64_t available = node->size - offset;
  auto count = static_cast<uint32_t>(available < length ? available : length);
  for (uint32_t i = 0; i < count; ++i) out[i] = node->data[offset + i];
  return count;
}

// Makes the file's buffer hold at least `needed` bytes: double it, or if the limit has no room
// for that, exactly enough (in granules).
FsError Tmpfs::reserve(uint64_t needed, TmpNode* file) {
  if (needed <= file->capacity) return FsError::kOk;
  uint64_t exact = round_up(needed, kDataGranule);
  uint64_t doubled = bm::max(exact, 2 * file->capacity);
  uint64_t capacity = charge(doubled - file->capacity) ? doubled : 0;
  if (capacity == 0) {
    if (!charge(exact - file->capacity)) return FsError::kNoSpace;
    capacity = exact;
  }
  auto* data = static_cast<uint8_t*>(memory_.allocate(capacity));
  if (data == nullptr) {
    used_bytes_ -= capacity - file->capacity;
    return FsError::kNoSpace;
  }
  for (uint64_t i = 0; i < file->capacity; ++i) data[i] = file->data[i];
  for (uint64_t i = file->capacity; i < capacity; ++i) data[i] = 0;
  if (file->data != nullptr) memory_.release(file->data, file->capacity);
  file->data = data;
  file->capacity = capacity;
  return FsError::kOk;
}

Result<uint32_t, FsError> Tmpfs::write(TmpNode* node, uint64_t offset, const uint8_t* bytes,
                                       uint32_t length) {
  if (node->type != NodeType::kFile) return FsError::kIsADirectory;
  if (length == 0) return 0u;
  // No file can pass the limit; checked first so that offset + length cannot wrap.
  if (offset > byte_limit_ || length > byte_limit_ - offset) return FsError::kNoSpace;
  uint64_t end = offset + length;
  FsError reserved = reserve(end, node);
  if (reserved != FsError::kOk) return reserved;
  for (uint32_t i = 0; i < length; ++i) node->data[offset + i] = bytes[i];
  if (end > node->size) node->size = end;
  return length;
}

NodeInfo Tmpfs::info(const TmpNode* node) const {
  if (node->type == NodeType::kDirectory) return {NodeType::kDirectory, node->entries};
  return {NodeType::kFile, node->size};
}

Result<NodeInfo, FsError> Tmpfs::stat(RelativePath path) const {
  TmpNode* node = BM_TRY(walk(path));
  return info(node);
}

Result<void, FsError> Tmpfs::make_directory(RelativePath path) {
  Name name;
  auto directory = parent_directory(path, &name);
  if (!directory.ok()) {
    return directory.error() == FsError::kNotPermitted ? FsError::kExists : directory.error();
  }
  if (find_child(*directory, name) != nullptr) return FsError::kExists;
  auto made = create_node(*directory, name, NodeType::kDirectory);
  if (!made.ok()) return made.error();
  return {};
}

void Tmpfs::detach(TmpNode* node) {
  TmpNode* directory = node->parent;
  TmpNode** link = &directory->first_child;
  while (*link != node) link = &(*link)->next_sibling;
  *link = node->next_sibling;
  --directory->entries;
  node->parent = nullptr;
  node->next_sibling = nullptr;
}

void Tmpfs::drop(TmpNode* node) {
  if (node->open_count == 0) {
    destroy(node);
    return;
  }
  node->removed = true;
  node->next_sibling = orphans_;
  orphans_ = node;
}

Result<void, FsError> Tmpfs::remove(RelativePath path) {
  Name name;
  TmpNode* directory = BM_TRY(parent_directory(path, &name));
  TmpNode* node = find_child(directory, name);
  if (node == nullptr) return FsError::kNotFound;
  if (node->type == NodeType::kDirectory && node->entries != 0) return FsError::kNotEmpty;
  detach(node);
  drop(node);
  return {};
}

Result<void, FsError> Tmpfs::rename(RelativePath from, RelativePath to) {
  Name from_name, to_name;
  TmpNode* from_directory = BM_TRY(parent_directory(from, &from_name));
  TmpNode* node = find_child(from_directory, from_name);
  if (node == nullptr) return FsError::kNotFound;
  if (to.empty()) return FsError::kNotPermitted;
  if (node->type == NodeType::kDirectory && is_within(to, from)) {
    if (to.length == from.length) return {};  // onto itself: nothing to do
    return FsError::kBadPath;
  }
  TmpNode* to_directory = BM_TRY(parent_directory(to, &to_name));
  TmpNode* target = find_child(to_directory, to_name);
  if (target == node) return {};
  if (target != nullptr) {
    if (node->type == NodeType::kFile && target->type == NodeType::kDirectory) {
      return FsError::kIsADirectory;
    }
    if (node->type == NodeType::kDirectory && target->type == NodeType::kFile) {
      return FsError::kNotADirectory;
    }
    if (target->type == NodeType::kDirectory && target->entries != 0) return FsError::kNotEmpty;
  }
  // Every check is done: from here nothing can fail.
  if (target != nullptr) {
    detach(target);
    drop(target);
  }
  detach(node);
  set_name(node, to_name);
  attach(to_directory, node);
  return {};
}

Result<DirEntry, FsError> Tmpfs::read_directory(RelativePath path, uint64_t index) const {
  TmpNode* directory = BM_TRY(walk(path));
  if (directory->type != NodeType::kDirectory) return FsError::kNotADirectory;
  DirEntry entry;
  TmpNode* child = directory->first_child;
  for (uint64_t i = 0; child != nullptr && i < index; ++i) child = child->next_sibling;
  if (child == nullptr) return entry;
  entry.info = info(child);
  set_entry_name(name_of(child), &entry);
  return entry;
}

}  // namespace bm::fs
