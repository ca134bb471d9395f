// Shared setup for the PageTable host tests: a fresh table over fake memory, raw-entry access,
// and a teardown that fails the test if PageTable freed a wrong frame or touched a foreign one.
#pragma once

#include <gtest/gtest.h>

#include <ostream>

#include "lib/mm/page_entry.h"
#include "lib/mm/page_table.h"
#include "test/host/paging/fake_physical_memory.h"

namespace bm {
inline void PrintTo(Error error, std::ostream* out) { *out << error_name(error); }
}  // namespace bm

namespace bm::test {

inline PageTable make_table(FakePhysicalMemory& memory) {
  Result<PageTable> table = PageTable::create(memory);
  EXPECT_TRUE(table.ok());
  return table.ok() ? *table : PageTable(memory, 0);  // 0 is not fake memory: calls fail
}

class PageTableFixture : public ::testing::Test {
 protected:
  static constexpr size_t kFrames = 4096;
  static constexpr int kPml4 = 3;
  static constexpr int kPdpt = 2;
  static constexpr int kPd = 1;
  static constexpr int kPt = 0;

  void TearDown() override {
    EXPECT_EQ(memory_.bad_frees(), 0u);
    EXPECT_EQ(memory_.stray_accesses(), 0u);
  }

  // The raw entry at `level` on the walk to `virt`, or 0 once a table on the way is missing.
  uint64_t raw_entry(VirtAddr virt, int level) {
    PhysAddr table = table_.root();
    for (int l = kPml4;; --l) {
      const uint64_t entry = memory_.entry(table, (virt >> (12 + 9 * l)) & 511);
      if (l == level) return entry;
      if ((entry & page_entry::kPresent) == 0) return 0;
      table = entry & page_entry::kAddressMask;
    }
  }

  FakePhysicalMemory memory_{kFrames};
  PageTable table_ = make_table(memory_);
};

}  // namespace bm::test
