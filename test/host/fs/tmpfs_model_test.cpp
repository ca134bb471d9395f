// tmpfs against a model: 5 000 random operations (create, write through held opens, mkdir,
// remove, rename, close) on a small set of names, so that every case of rename and removal
// meets open files; after each step the whole tree, every file's bytes and every held open
// must agree with the model, and at the end every byte of memory must be back. At most 16
// opens are held at a time, as a client of the file server may.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "lib/fs/tmpfs.h"
#include "test/host/fs/checked_memory.h"

namespace bm::fs {
namespace {

struct ModelNode {
  bool directory = false;
  std::string bytes;
};
using ModelTree = std::map<std::string, std::shared_ptr<ModelNode>>;  // "a/b" -> node

RelativePath rel(const std::string& path) {
  return {path.data(), static_cast<uint32_t>(path.size())};
}

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

bool below(const std::string& path, const std::string& ancestor) {
  return path.size() > ancestor.size() && path.compare(0, ancestor.size(), ancestor) == 0 &&
         path[ancestor.size()] == '/';
}

class Model {
 public:
  bool is_directory(const std::string& path) const {
    if (path.empty()) return true;
    auto found = tree.find(path);
    return found != tree.end() && found->second->directory;
  }
  bool has_children(const std::string& path) const {
    for (const auto& [other, node] : tree) {
      if (below(other, path)) return true;
    }
    return false;
  }
  std::shared_ptr<ModelNode> find(const std::string& path) const {
    auto found = tree.find(path);
    return found == tree.end() ? nullptr : found->second;
  }
  bool create(const std::string& path) {  // open with create: the file, old or new
    if (!is_directory(parent_of(path))) return false;
    auto node = find(path);
    if (node != nullptr) return !node->directory;
    tree[path] = std::make_shared<ModelNode>();
    return true;
  }
  bool make_directory(const std::string& path) {
    if (!is_directory(parent_of(path)) || find(path) != nullptr) return false;
    auto node = std::make_shared<ModelNode>();
    node->directory = true;
    tree[path] = node;
    return true;
  }
  bool remove(const std::string& path) {
    auto node = find(path);
    if (node == nullptr || (node->directory && has_children(path))) return false;
    tree.erase(path);
    return true;
  }
  bool rename(const std::string& from, const std::string& to) {
    auto node = find(from);
    if (node == nullptr) return false;
    if (node->directory && (to == from || below(to, from))) return to == from;
    if (!is_directory(parent_of(to))) return false;
    auto target = find(to);
    if (target == node) return true;
    if (target != nullptr) {
      if (target->directory != node->directory) return false;
      if (target->directory && has_children(to)) return false;
      tree.erase(to);
    }
    ModelTree moved;
    for (auto it = tree.begin(); it != tree.end();) {
      if (it->first == from || below(it->first, from)) {
        moved[to + it->first.substr(from.size())] = it->second;
        it = tree.erase(it);
      } else {
        ++it;
      }
    }
    tree.insert(moved.begin(), moved.end());
    return true;
  }

  ModelTree tree;
};

struct HeldOpen {
  TmpNode* node;
  std::shared_ptr<ModelNode> model;
};

std::string random_path(std::mt19937& random) {
  static const char* const kNames[] = {"a", "b", "c"};
  std::string path = kNames[random() % 3];
  for (int depth = 1 + static_cast<int>(random() % 3); depth > 1; --depth) {
    path += std::string("/") + kNames[random() % 3];
  }
  return path;
}

void expect_same(Tmpfs& fs, const Model& model, const std::vector<HeldOpen>& held) {
  std::map<std::string, std::set<std::string>> listings;
  listings[""];
  for (const auto& [path, node] : model.tree) {
    listings[parent_of(path)].insert(path.substr(path.rfind('/') + 1));
    if (node->directory) listings[path];
    auto info = fs.stat(rel(path));
    ASSERT_TRUE(info.ok()) << path;
    ASSERT_EQ(info->type == NodeType::kDirectory, node->directory) << path;
    if (!node->directory) {
      ASSERT_EQ(info->size, node->bytes.size()) << path;
    }
  }
  for (const auto& [path, names] : listings) {
    std::set<std::string> listed;
    for (uint64_t i = 0;; ++i) {
      auto entry = fs.read_directory(rel(path), i);
      ASSERT_TRUE(entry.ok()) << path;
      if (entry->info.type == NodeType::kNone) break;
      listed.insert(std::string(entry->name, entry->name_length));
    }
    ASSERT_EQ(listed, names) << "directory '" << path << "'";
  }
  for (const HeldOpen& open : held) {
    if (open.model->directory) continue;
    std::string bytes(open.model->bytes.size() + 8, '?');
    auto count = fs.read(open.node, 0, reinterpret_cast<uint8_t*>(bytes.data()),
                         static_cast<uint32_t>(bytes.size()));
    ASSERT_TRUE(count.ok());
    bytes.resize(*count);
    ASSERT_EQ(bytes, open.model->bytes);
  }
}

TEST(TmpfsModel, RandomOperationsAgreeWithTheModel) {
  testing::CheckedMemory memory;
  {
    Tmpfs fs(memory, 64 << 20);
    Model model;
    std::vector<HeldOpen> held;
    std::mt19937 random(20261202);
    int ok_steps = 0;
    for (int step = 0; step < 5000; ++step) {
      SCOPED_TRACE(step);
      std::string path = random_path(random);
      switch (random() % 8) {
        case 0:
        case 1: {  // open with create, and keep it open
          if (held.size() == 16) {
            fs.close(held.front().node);
            held.erase(held.begin());
          }
          auto node = fs.open(rel(path), {true, false, false});
          ASSERT_EQ(node.ok(), model.create(path)) << "create " << path;
          if (node.ok()) held.push_back({*node, model.find(path)});
          ok_steps += node.ok();
          break;
        }
        case 2: {  // write through a held open, wherever its file now is
          if (held.empty()) break;
          HeldOpen& open = held[random() % held.size()];
          if (open.model->directory) break;
          uint64_t offset = random() % 300;
          std::string bytes(random() % 100, static_cast<char>('a' + random() % 26));
          ASSERT_TRUE(fs.write(open.node, offset, reinterpret_cast<const uint8_t*>(bytes.data()),
                               static_cast<uint32_t>(bytes.size()))
                          .ok());
          if (!bytes.empty()) {
            std::string& model_bytes = open.model->bytes;
            if (model_bytes.size() < offset + bytes.size()) {
              model_bytes.resize(offset + bytes.size(), '\0');
            }
            model_bytes.replace(offset, bytes.size(), bytes);
          }
          ++ok_steps;
          break;
        }
        case 3: {  // close one
          if (held.empty()) break;
          size_t index = random() % held.size();
          fs.close(held[index].node);
          held.erase(held.begin() + static_cast<long>(index));
          break;
        }
        case 4: {
          bool made = fs.make_directory(rel(path)).ok();
          ASSERT_EQ(made, model.make_directory(path)) << "mkdir " << path;
          ok_steps += made;
          break;
        }
        case 5: {
          bool removed = fs.remove(rel(path)).ok();
          ASSERT_EQ(removed, model.remove(path)) << "remove " << path;
          ok_steps += removed;
          break;
        }
        default: {
          std::string to = random_path(random);
          bool renamed = fs.rename(rel(path), rel(to)).ok();
          ASSERT_EQ(renamed, model.rename(path, to)) << "rename " << path << " " << to;
          ok_steps += renamed;
          break;
        }
      }
      expect_same(fs, model, held);
      if (HasFatalFailure()) return;
    }
    EXPECT_GT(ok_steps, 1000);  // the walk did more than fail
    for (const HeldOpen& open : held) fs.close(open.node);
  }
  EXPECT_EQ(memory.blocks_out(), 0u);
}

}  // namespace
}  // namespace bm::fs
