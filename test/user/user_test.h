// The user-mode test framework: USER_TEST(name) { ... } registers a case (a
// constructor links it into a list, in source order), the runner prints
// RUN/PASS/FAIL per case on the kernel log, as the kernel tests do.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "test/ring3/case_list.h"
#include "user/sys_result.h"

namespace user_tests {

using bm::abi::Status;

// A case's failed checks; fail() prints one (test/ring3/case_list.h), the two below print a
// status or a comparison with its values.
class TestContext : public ring3_tests::TestContextBase {
 public:
  void fail_status(const char* expression, const char* file, int line, Status expected,
                   Status actual);
  // "actual relation expected" did not hold, e.g. "count == 5".
  void fail_value(const char* actual_text, const char* relation, const char* expected_text,
                  const char* file, int line, uint64_t expected, uint64_t actual);
};

using TestCase = ring3_tests::TestCase<TestContext>;

// Appends a case to the run list (called from the constructors USER_TEST makes).
void register_test(TestCase* test);

// "kOk", "kInvalidHandle", ...: the enumerator's name, for failure messages.
const char* status_name(Status status);

}  // namespace user_tests

#define USER_TEST(name) RING3_TEST_CASE_(user_tests, name)

// Checks. EXPECT_* record the failure and go on; ASSERT_* also leave the
// function (use them when the following steps depend on the check). They
// need a `test_context` in scope: test bodies have one, helpers take one.
#define USER_TEST_STATUS_(expression, expected, on_failure)                          \
  do {                                                                               \
    const ::bm::abi::Status user_test_actual_ = ::user::status_of(expression);       \
    const ::bm::abi::Status user_test_expected_ = (expected);                        \
    if (user_test_actual_ != user_test_expected_) {                                  \
      test_context.fail_status(#expression, __FILE__, __LINE__, user_test_expected_, \
                               user_test_actual_);                                   \
      on_failure;                                                                    \
    }                                                                                \
  } while (0)

#define USER_TEST_COMPARE_(actual, relation, expected, on_failure)               \
  do {                                                                           \
    const uint64_t user_test_actual_ = static_cast<uint64_t>(actual);            \
    const uint64_t user_test_expected_ = static_cast<uint64_t>(expected);        \
    if (!(user_test_actual_ relation user_test_expected_)) {                     \
      test_context.fail_value(#actual, #relation, #expected, __FILE__, __LINE__, \
                              user_test_expected_, user_test_actual_);           \
      on_failure;                                                                \
    }                                                                            \
  } while (0)

#define EXPECT_TRUE(condition) RING3_CHECK_(condition, (void)0)
#define ASSERT_TRUE(condition) RING3_CHECK_(condition, return )
#define EXPECT_STATUS(expression, expected) USER_TEST_STATUS_(expression, expected, (void)0)
#define ASSERT_STATUS(expression, expected) USER_TEST_STATUS_(expression, expected, return )
#define EXPECT_OK(expression) EXPECT_STATUS(expression, ::bm::abi::Status::kOk)
#define ASSERT_OK(expression) ASSERT_STATUS(expression, ::bm::abi::Status::kOk)
#define EXPECT_EQ(actual, expected) USER_TEST_COMPARE_(actual, ==, expected, (void)0)
#define ASSERT_EQ(actual, expected) USER_TEST_COMPARE_(actual, ==, expected, return )
#define EXPECT_NE(actual, expected) USER_TEST_COMPARE_(actual, !=, expected, (void)0)
#define EXPECT_GE(actual, expected) USER_TEST_COMPARE_(actual, >=, expected, (void)0)
#define EXPECT_LE(actual, expected) USER_TEST_COMPARE_(actual, <=, expected, (void)0)
#define EXPECT_GT(actual, expected) USER_TEST_COMPARE_(actual, >, expected, (void)0)
#define EXPECT_LT(actual, expected) USER_TEST_COMPARE_(actual, <, expected, (void)0)
#define ASSERT_GT(actual, expected) USER_TEST_COMPARE_(actual, >, expected, return )
