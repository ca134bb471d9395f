// What every in-QEMU ring-3 test suite (test/user, test/fs) shares: a context that counts a
// case's failed checks, the list of cases their registration macros build (in source order),
// and the loop that runs them with RUN/PASS/FAIL lines on COM1, the format
// tools/test_verdict.py judges, and the macros that define a case and check a condition. Each
// suite keeps its own status and comparison checks (they print its own types) and grants.
#pragma once

#include <stdint.h>

#include "user/print.h"
#include "user/syscalls.h"

namespace ring3_tests {

class TestContextBase {
 public:
  // Records a failed check; the case keeps running so one run shows every broken
  // expectation (a suite's ASSERT_* macros return instead).
  void fail(const char* file, int line, const char* format, ...)
      __attribute__((format(printf, 4, 5)));
  bool failed() const { return failures_ != 0; }

 protected:
  void count_failure() { ++failures_; }

 private:
  uint32_t failures_ = 0;
};

template <typename Context>
struct TestCase {
  const char* name;
  void (*run)(Context& test_context);
  TestCase* next;
};

struct RunTotals {
  uint32_t passed = 0;
  uint32_t failed = 0;
};

// For a suite that checks nothing around its cases.
struct NoCaseWatch {
  void before_case() {}
  template <typename Context>
  void after_case(Context&) {}
};

// The cases of one suite, in the order their constructors registered them.
template <typename Context>
class CaseList {
 public:
  void add(TestCase<Context>* test) {
    test->next = nullptr;
    if (last_ == nullptr) {
      first_ = test;
    } else {
      last_->next = test;
    }
    last_ = test;
  }
  uint32_t count() const {
    uint32_t cases = 0;
    for (TestCase<Context>* test = first_; test != nullptr; test = test->next) ++cases;
    return cases;
  }

  // Runs every case: RUN, then PASS or FAIL with its ticks. watch.before_case() runs before
  // each case's body and watch.after_case(context) after it, where it may add failures (a
  // suite's checks for what a case left behind).
  template <typename Watch>
  RunTotals run_all(Watch& watch) const {
    RunTotals totals;
    for (TestCase<Context>* test = first_; test != nullptr; test = test->next) {
      Context context;
      user::printf("RUN  %s\n", test->name);
      watch.before_case();
      uint64_t start = user::ticks();
      test->run(context);
      uint64_t ticks = user::ticks() - start;
      watch.after_case(context);
      if (context.failed()) {
        ++totals.failed;
        user::printf("FAIL %s (%lu ticks)\n", test->name, ticks);
      } else {
        ++totals.passed;
        user::printf("PASS %s (%lu ticks)\n", test->name, ticks);
      }
    }
    return totals;
  }

 private:
  TestCase<Context>* first_ = nullptr;
  TestCase<Context>* last_ = nullptr;
};

}  // namespace ring3_tests

// Defines one case of `suite`, a namespace that has TestContext, TestCase and register_test,
// and registers it from a constructor, so cases run in source order. A suite's own macro
// (USER_TEST, FS_TEST) is this one with its namespace.
#define RING3_TEST_CASE_(suite, name)                                           \
  static void suite##_##name(::suite::TestContext& test_context);               \
  static ::suite::TestCase suite##_case_##name{#name, suite##_##name, nullptr}; \
  [[gnu::constructor]] static void suite##_register_##name() {                  \
    ::suite::register_test(&suite##_case_##name);                               \
  }                                                                             \
  static void suite##_##name([[maybe_unused]] ::suite::TestContext& test_context)

// The plain check of every suite: a false condition is recorded with its text, then
// on_failure runs (nothing for EXPECT_TRUE, return for ASSERT_TRUE). Needs a `test_context`
// in scope: case bodies have one, helpers take one.
#define RING3_CHECK_(condition, on_failure)                    \
  do {                                                         \
    if (!(condition)) {                                        \
      test_context.fail(__FILE__, __LINE__, "%s", #condition); \
      on_failure;                                              \
    }                                                          \
  } while (0)
