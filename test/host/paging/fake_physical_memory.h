// FakePhysicalMemory: a PageTableEnvironment over a std::vector of 4 KiB frames, recording every
// allocation, free and invalidation so host tests can check what PageTable did to "hardware".
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/mm/page_table_environment.h"

namespace bm::test {

class FakePhysicalMemory final : public PageTableEnvironment {
 public:
  // Frames start at 1 GiB, so a table at physical 0 or a confused virt/phys shows up as an error.
  static constexpr PhysAddr kBase = 0x4000'0000;

  explicit FakePhysicalMemory(size_t frames) : memory_(frames * kWordsPerFrame, kFreePattern) {
    // Hand out the lowest frames first; the free list is a stack, so freed frames come back
    // first and a use after free reads garbage.
    for (size_t i = frames; i > 0; --i) free_.push_back(kBase + (i - 1) * kPageSize);
  }

  void* physical_to_virtual(PhysAddr table) override {
    if (!contains(table) || table % kPageSize != 0) return nullptr;
    // PageTable must only read tables it allocated or was given (the tests claim those).
    if (allocated_.count(table) == 0) ++stray_accesses_;
    return &memory_[(table - kBase) / sizeof(uint64_t)];
  }

  Result<PhysAddr> allocate_table() override {
    ++allocation_attempts_;
    if (fail_at_ != 0 && allocation_attempts_ == fail_at_) return Error::kOutOfMemory;
    if (free_.empty()) return Error::kOutOfMemory;
    const PhysAddr frame = free_.back();
    free_.pop_back();
    allocated_.insert(frame);
    fill(frame, kGarbagePattern);  // contents are unspecified: PageTable must zero them
    return frame;
  }

  void free_table(PhysAddr table) override {
    if (allocated_.erase(table) == 0) {
      ++bad_frees_;  // double free, or a frame that was never a table (e.g. a mapped page)
      return;
    }
    ++frees_;
    events_.push_back('f');
    fill(table, kFreePattern);
    free_.push_back(table);
  }

  void invalidate(VirtAddr page) override {
    invalidations_.push_back(page);
    events_.push_back('i');
  }

  // Makes the next allocations succeed except the `nth` one from now (1-based); 0 disables.
  void fail_nth_allocation(size_t nth) { fail_at_ = nth == 0 ? 0 : allocation_attempts_ + nth; }

  // A frame for tables that a test writes by hand.
  PhysAddr claim_frame() {
    Result<PhysAddr> frame = allocate_table();
    fill(*frame, 0);
    return *frame;
  }
  uint64_t* table(PhysAddr frame) { return &memory_[(frame - kBase) / sizeof(uint64_t)]; }
  uint64_t& entry(PhysAddr frame, size_t index) { return table(frame)[index]; }

  bool contains(PhysAddr address) const {
    return address >= kBase && address - kBase < memory_.size() * sizeof(uint64_t);
  }
  size_t allocated_count() const { return allocated_.size(); }
  const std::set<PhysAddr>& allocated() const { return allocated_; }
  size_t frees() const { return frees_; }
  size_t bad_frees() const { return bad_frees_; }
  size_t stray_accesses() const { return stray_accesses_; }
  const std::vector<VirtAddr>& invalidations() const { return invalidations_; }
  // Frees ('f') and invalidations ('i') in the order they happened.
  const std::string& events() const { return events_; }

  // Every allocated frame with its contents: equal snapshots mean PageTable left no trace.
  std::map<PhysAddr, std::vector<uint64_t>> snapshot() const {
    std::map<PhysAddr, std::vector<uint64_t>> result;
    for (PhysAddr frame : allocated_) {
      const uint64_t* words = &memory_[(frame - kBase) / sizeof(uint64_t)];
      result.emplace(frame, std::vector<uint64_t>(words, words + kWordsPerFrame));
    }
    return result;
  }

 private:
  static constexpr size_t kWordsPerFrame = kPageSize / sizeof(uint64_t);
  static constexpr uint64_t kGarbagePattern = 0xa5a5'a5a5'a5a5'a5a5;
  static constexpr uint64_t kFreePattern = 0xdddd'dddd'dddd'dddd;

  void fill(PhysAddr frame, uint64_t pattern) {
    uint64_t* words = table(frame);
    for (size_t i = 0; i < kWordsPerFrame; ++i) words[i] = pattern;
  }

  std::vector<uint64_t> memory_;
  std::vector<PhysAddr> free_;
  std::set<PhysAddr> allocated_;
  std::vector<VirtAddr> invalidations_;
  std::string events_;
  size_t allocation_attempts_ = 0;
  size_t fail_at_ = 0;
  size_t frees_ = 0;
  size_t bad_frees_ = 0;
  size_t stray_accesses_ = 0;
};

}  // namespace bm::test
