// Host tests for the syscall ABI lists: every Status has its text, and the syscall numbers in
// BM_SYSCALL_LIST are unique and dense, matching kSyscallCount.
#include "lib/abi/syscalls.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace bm::abi {
namespace {

struct StatusRow {
  Status status;
  int64_t value;
  std::string text;
};

const std::vector<StatusRow>& status_rows() {
  static const std::vector<StatusRow> rows = {
#define BM_STATUS_ROW(name, value, text) {Status::name, value, text},
      BM_STATUS_LIST(BM_STATUS_ROW)
#undef BM_STATUS_ROW
  };
  return rows;
}

struct SyscallRow {
  Syscall syscall;
  uint64_t number;
  std::string name;
};

const std::vector<SyscallRow>& syscall_rows() {
  static const std::vector<SyscallRow> rows = {
#define BM_SYSCALL_ROW(name, number) {Syscall::name, number, #name},
      BM_SYSCALL_LIST(BM_SYSCALL_ROW)
#undef BM_SYSCALL_ROW
  };
  return rows;
}

TEST(Status, EveryStatusHasItsOwnText) {
  std::set<std::string> texts;
  for (const StatusRow& row : status_rows()) {
    SCOPED_TRACE(row.text);
    EXPECT_EQ(static_cast<int64_t>(row.status), row.value);
    const std::string text = status_text(row.status);
    EXPECT_EQ(text, row.text);
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, "unknown status");
    texts.insert(text);
  }
  EXPECT_EQ(texts.size(), status_rows().size());
  EXPECT_STREQ(status_text(Status::kOk), "ok");
}

TEST(Status, ValuesAreUniqueAndDenseFromZero) {
  std::set<int64_t> values;
  for (const StatusRow& row : status_rows()) values.insert(row.value);
  ASSERT_EQ(values.size(), status_rows().size());
  EXPECT_EQ(*values.begin(), 0);
  EXPECT_EQ(*values.rbegin(), static_cast<int64_t>(values.size()) - 1);
}

TEST(Status, UnlistedValueHasAFallbackText) {
  const int64_t past_end = static_cast<int64_t>(status_rows().size());
  EXPECT_STREQ(status_text(static_cast<Status>(past_end)), "unknown status");
  EXPECT_STREQ(status_text(static_cast<Status>(-1)), "unknown status");
}

TEST(Syscall, CountMatchesTheList) {
  EXPECT_EQ(kSyscallCount, syscall_rows().size());
  EXPECT_GT(kSyscallCount, 0u);
}

TEST(Syscall, NumbersAreUniqueAndDenseFromZero) {
  std::vector<int> uses(kSyscallCount, 0);
  std::set<std::string> names;
  for (const SyscallRow& row : syscall_rows()) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(static_cast<uint64_t>(row.syscall), row.number);
    ASSERT_LT(row.number, kSyscallCount);
    ++uses[row.number];
    names.insert(row.name);
  }
  for (uint64_t number = 0; number < kSyscallCount; ++number) {
    EXPECT_EQ(uses[number], 1) << "syscall number " << number;
  }
  EXPECT_EQ(names.size(), syscall_rows().size());
}

TEST(Rights, AreDistinctBitsAndAllRightsIsTheirUnion) {
  const uint32_t rights[] = {kRightRead, kRightWrite, kRightGrant, kRightMap, kRightManage};
  uint32_t union_of_rights = 0;
  for (uint32_t right : rights) {
    EXPECT_EQ(right & (right - 1), 0u) << right;  // a single bit
    EXPECT_EQ(union_of_rights & right, 0u) << right;
    union_of_rights |= right;
  }
  EXPECT_EQ(kAllRights, union_of_rights);
}

}  // namespace
}  // namespace bm::abi
