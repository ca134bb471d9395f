// user-tests: fetches the suite's grants from init, runs every registered
// case with RUN/PASS/FAIL lines on the kernel log (COM1), prints the
// summary and leaves QEMU through isa-debug-exit: 0x10 (exit code 33) when
// everything passed, 0x11 (35) otherwise.
#include <stdarg.h>

#include "ipc/bootstrap.h"
#include "lib/abi/system_info.h"
#include "lib/fmt/format.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace user_tests {

namespace {

TestCase* first_case;
TestCase* last_case;

constexpr auto kExitSuccess = static_cast<uint8_t>(bm::qemu::ExitCode::kSuccess);
constexpr auto kExitFailure = static_cast<uint8_t>(bm::qemu::ExitCode::kFailure);
// Enough for any manifest line (lib/manifest: 8 port ranges, 4 IRQs, 4
// modules, VGA memory).
constexpr uint64_t kMaxGrants = 32;

}  // namespace

void TestContext::fail(const char* file, int line, const char* format, ...) {
  ++failures_;
  char text[256];
  va_list arguments;
  va_start(arguments, format);
  bm::vsnprintf(text, sizeof(text), format, arguments);
  va_end(arguments);
  user::printf("  check failed: %s (%s:%d)\n", text, file, line);
}

void TestContext::fail_status(const char* expression, const char* file, int line, Status expected,
                              Status actual) {
  ++failures_;
  user::printf("  check failed: %s (%s:%d): expected %s (%s), got %s (%s)\n", expression, file,
               line, status_name(expected), bm::abi::status_text(expected), status_name(actual),
               bm::abi::status_text(actual));
}

void TestContext::fail_value(const char* actual_text, const char* relation,
                             const char* expected_text, const char* file, int line,
                             uint64_t expected, uint64_t actual) {
  ++failures_;
  user::printf("  check failed: %s %s %s (%s:%d): expected %s %lu (%#lx), got %lu (%#lx)\n",
               actual_text, relation, expected_text, file, line, relation, expected, expected,
               actual, actual);
}

void register_test(TestCase* test) {
  test->next = nullptr;
  if (last_case == nullptr) {
    first_case = test;
  } else {
    last_case->next = test;
  }
  last_case = test;
}

TestCase* first_test() { return first_case; }

const char* status_name(Status status) {
  switch (status) {
#define USER_TEST_STATUS_NAME(name, value, text) \
  case Status::name:                             \
    return #name;
    BM_STATUS_LIST(USER_TEST_STATUS_NAME)
#undef USER_TEST_STATUS_NAME
  }
  return "unknown status";
}

namespace {

// Takes every grant init offers and recognises each by kind and details.
void fetch_grants(Handle bootstrap) {
  Environment& env = environment();
  uint32_t modules = 0;  // the peer first, then the programs
  for (uint64_t index = 0; index < kMaxGrants; ++index) {
    user::Grant grant;
    user::ProtocolStatus status = user::get_grant(bootstrap, index, &grant);
    if (status != user::ProtocolStatus::kOk) break;
    bool used = true;
    switch (grant.kind) {
      case bm::ipc::GrantKind::kIoPorts:
        if (grant.detail == kExitPort)
          env.exit_port = grant.handle;
        else if (grant.detail == kPostPort)
          env.post_port = grant.handle;
        else if (grant.detail == kCom1Base && grant.count == 8)
          env.com1_ports = grant.handle;
        else
          used = false;
        break;
      case bm::ipc::GrantKind::kIrq:
        if (grant.detail == kCom1Irq)
          env.com1_irq = grant.handle;
        else
          used = false;
        break;
      case bm::ipc::GrantKind::kModule:
        if (modules == 0) {
          env.peer_image = grant.handle;
          env.peer_image_bytes = grant.detail;
        } else if (modules <= kProgramModules) {
          env.programs[modules - 1] = {grant.handle, grant.detail};
        } else {
          used = false;
        }
        ++modules;
        break;
      case bm::ipc::GrantKind::kMemoryPool:
        used = grant.detail == kPoolPages;
        if (used) env.pool = grant.handle;
        break;
      default:
        used = false;
        break;
    }
    if (!used) {
      user::printf("user tests: grant %lu (kind %lu, %#lx, %lu) not used\n", index,
                   static_cast<uint64_t>(grant.kind), grant.detail, grant.count);
      (void)user::handle_close(grant.handle);
    }
  }
  user::printf(
      "user tests: grants: exit port %s, port 0x80 %s, COM1 ports %s, IRQ 4 %s, "
      "peer image %s (%lu bytes), %u program images\n",
      env.exit_port ? "yes" : "NO", env.post_port ? "yes" : "NO", env.com1_ports ? "yes" : "NO",
      env.com1_irq ? "yes" : "NO", env.peer_image ? "yes" : "NO", env.peer_image_bytes,
      modules > 0 ? modules - 1 : 0);
}

// Messages nobody waited for mean a test left something running.
void check_control_endpoint_drained(TestContext& test_context) {
  user::Message stray;
  while (user::receive(environment().control, &stray, bm::abi::kDontWait) == Status::kOk) {
    test_context.fail(__FILE__, __LINE__,
                      "stray message on the control endpoint: badge %#lx label %#x", stray.badge,
                      stray.label);
    if (stray.has_handle) (void)user::handle_close(stray.handle);
  }
}

}  // namespace

}  // namespace user_tests

int main(uint64_t bootstrap) {
  using namespace user_tests;
  Environment& env = environment();
  env.timer_hz = user::system_value(bm::abi::SystemInfo::kTimerHz);
  env.bootstrap = static_cast<Handle>(bootstrap);
  fetch_grants(static_cast<Handle>(bootstrap));
  Status created = take(user::endpoint_create(), &env.control);
  if (created != Status::kOk) {
    user::printf("user tests: no control endpoint: %s\n", bm::abi::status_text(created));
  }

  uint32_t registered = 0;
  for (TestCase* test = first_test(); test != nullptr; test = test->next) ++registered;
  user::printf("user tests: %u registered, timer %lu Hz\n", registered, env.timer_hz);

  uint32_t passed = 0;
  uint32_t failed = 0;
  uint64_t start = user::ticks();
  for (TestCase* test = first_test(); test != nullptr; test = test->next) {
    TestContext context;
    user::printf("RUN  %s\n", test->name);
    uint64_t tasks_before = user::task_count();
    uint64_t case_start = user::ticks();
    test->run(context);
    uint64_t case_ticks = user::ticks() - case_start;
    check_control_endpoint_drained(context);
    uint64_t tasks_after = user::task_count();
    if (tasks_after > tasks_before) {
      context.fail(__FILE__, __LINE__, "%lu task(s) left running (%lu before the case, %lu after)",
                   tasks_after - tasks_before, tasks_before, tasks_after);
    }
    if (context.failed()) {
      ++failed;
      user::printf("FAIL %s (%lu ticks)\n", test->name, case_ticks);
    } else {
      ++passed;
      user::printf("PASS %s (%lu ticks)\n", test->name, case_ticks);
    }
  }
  user::printf("user tests: %u passed, %u failed (%lu ticks)\n", passed, failed,
               user::ticks() - start);
  if (env.exit_port == 0) {
    user::printf("user tests: port 0xf4 was not granted: cannot leave QEMU\n");
    return failed == 0 ? 0 : 1;
  }
  user::out8(kExitPort, failed == 0 ? kExitSuccess : kExitFailure);
  return failed == 0 ? 0 : 1;
}
