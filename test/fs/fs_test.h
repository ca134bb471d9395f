// The in-QEMU file-server suite's cases: FS_TEST(name) { ... } registers one (in source order,
// as test/user's USER_TEST does); the runner (runner.cpp) prints RUN/PASS/FAIL per case on
// COM1 in the format tools/test_verdict.py judges, and leaves QEMU through isa-debug-exit.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "test/ring3/case_list.h"
#include "user/ipc.h"

namespace fs_tests {

using bm::ipc::ProtocolStatus;
using user::Handle;

using TestContext = ring3_tests::TestContextBase;
using TestCase = ring3_tests::TestCase<TestContext>;

// Appends a case to the run list (called from the constructors FS_TEST makes).
void register_test(TestCase* test);

// What the cases share: init's endpoint (control=yes: programs and the supervisor), the
// helper program's image (a boot module the manifest line grants), and the endpoint helpers
// report to.
struct Environment {
  Handle bootstrap = 0;
  Handle helper_image = 0;
  uint64_t helper_image_bytes = 0;
  Handle control = 0;
  uint64_t timer_hz = 0;
};
Environment& environment();

// Ticks covering `milliseconds` (at least one).
uint64_t ticks_for_ms(uint64_t milliseconds);

}  // namespace fs_tests

#define FS_TEST(name) RING3_TEST_CASE_(fs_tests, name)

// Checks; they need a `test_context` in scope (case bodies have one, helpers take one).
#define FS_STATUS_(expression, expected, on_failure)                                          \
  do {                                                                                        \
    const ::bm::ipc::ProtocolStatus fs_actual_ = (expression);                                \
    const ::bm::ipc::ProtocolStatus fs_expected_ = (expected);                                \
    if (fs_actual_ != fs_expected_) {                                                         \
      test_context.fail(__FILE__, __LINE__, "%s: expected %s, got %s", #expression,           \
                        ::bm::ipc::protocol_status_text(fs_expected_),                        \
                        ::bm::ipc::protocol_status_text(fs_actual_));                         \
      on_failure;                                                                             \
    }                                                                                         \
  } while (0)

#define FS_COMPARE_(actual, expected, on_failure)                                             \
  do {                                                                                        \
    const uint64_t fs_actual_ = static_cast<uint64_t>(actual);                                \
    const uint64_t fs_expected_ = static_cast<uint64_t>(expected);                            \
    if (fs_actual_ != fs_expected_) {                                                         \
      test_context.fail(__FILE__, __LINE__, "%s == %s: expected %lu, got %lu", #actual,       \
                        #expected, fs_expected_, fs_actual_);                                 \
      on_failure;                                                                             \
    }                                                                                         \
  } while (0)

#define EXPECT_TRUE(condition) RING3_CHECK_(condition, (void)0)
#define ASSERT_TRUE(condition) RING3_CHECK_(condition, return )
#define EXPECT_STATUS(expression, expected) FS_STATUS_(expression, expected, (void)0)
#define ASSERT_STATUS(expression, expected) FS_STATUS_(expression, expected, return )
#define EXPECT_OK(expression) EXPECT_STATUS(expression, ::bm::ipc::ProtocolStatus::kOk)
#define ASSERT_OK(expression) ASSERT_STATUS(expression, ::bm::ipc::ProtocolStatus::kOk)
#define EXPECT_EQ(actual, expected) FS_COMPARE_(actual, expected, (void)0)
#define ASSERT_EQ(actual, expected) FS_COMPARE_(actual, expected, return )
