// An FsMemory over malloc for the tmpfs and service tests: it checks that every block comes
// back once with its size, counts what is out, and can be told to run dry.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "lib/fs/fs_memory.h"

namespace bm::fs::testing {

class CheckedMemory final : public FsMemory {
 public:
  ~CheckedMemory() {
    EXPECT_TRUE(blocks_.empty()) << blocks_.size() << " blocks never given back";
    for (auto& [block, size] : blocks_) std::free(block);
  }

  void* allocate(size_t bytes) override {
    EXPECT_NE(bytes, 0u);
    if (failing_ || (budget_ != kUnlimited && allocated_bytes_ + bytes > budget_)) return nullptr;
    void* block = std::aligned_alloc(16, (bytes + 15) / 16 * 16);
    blocks_[block] = bytes;
    allocated_bytes_ += bytes;
    return block;
  }

  void release(void* block, size_t bytes) override {
    auto found = blocks_.find(block);
    ASSERT_NE(found, blocks_.end()) << "a block never handed out, or given back twice";
    EXPECT_EQ(found->second, bytes) << "given back with another size";
    allocated_bytes_ -= found->second;
    blocks_.erase(found);
    std::free(block);
  }

  void fail_from_now(bool failing) { failing_ = failing; }
  // At most `bytes` out at a time (below the tmpfs's own limit, to test its fallback).
  void set_budget(size_t bytes) { budget_ = bytes; }
  size_t blocks_out() const { return blocks_.size(); }
  size_t bytes_out() const { return allocated_bytes_; }

 private:
  static constexpr size_t kUnlimited = ~size_t{0};
  std::map<void*, size_t> blocks_;
  size_t allocated_bytes_ = 0;
  size_t budget_ = kUnlimited;
  bool failing_ = false;
};

}  // namespace bm::fs::testing
