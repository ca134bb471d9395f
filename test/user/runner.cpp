// user-tests: fetches the suite's grants from init, runs every registered
// case with RUN/PASS/FAIL lines on the kernel log (COM1), prints the
// summary and leaves QEMU through isa-debug-exit: 0x10 (exit code 33) when
// everything passed, 0x11 (35) otherwise.
#include "ipc/bootstrap.h"
#include "lib/abi/system_info.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace user_tests {

namespace {

ring3_tests::CaseList<TestContext> cases;

constexpr auto kExitSuccess = static_cast<uint8_t>(bm::qemu::ExitCode::kSuccess);
constexpr auto kExitFailure = static_cast<uint8_t>(bm::qemu::ExitCode::kFailure);
// Enough for any manifest line (lib/manifest: 8 port ranges, 4 IRQs, 4
// modules, VGA memory).
constexpr uint64_t kMaxGrants = 32;

}  // namespace

void TestContext::fail_status(const char* expression, const char* file, int line, Status expected,
                              Status actual) {
  count_failure();
  user::printf("  check failed: %s (%s:%d): expected %s (%s), got %s (%s)\n", expression, file,
               line, status_name(expected), bm::abi::status_text(expected), status_name(actual),
               bm::abi::status_text(actual));
}

void TestContext::fail_value(const char* actual_text, const char* relation,
                             const char* expected_text, const char* file, int line,
                             uint64_t expected, uint64_t actual) {
  count_failure();
  user::printf("  check failed: %s %s %s (%s:%d): expected %s %lu (%#lx), got %lu (%#lx)\n",
               actual_text, relation, expected_text, file, line, relation, expected, expected,
               actual, actual);
}

void register_test(TestCase* test) { cases.add(test); }

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

// What a case may not leave behind: messages nobody waited for on the control endpoint, or
// tasks still running.
class LeftoverCheck {
 public:
  void before_case() { tasks_before_ = user::task_count(); }
  void after_case(TestContext& test_context) {
    user::Message stray;
    while (user::receive(environment().control, &stray, bm::abi::kDontWait) == Status::kOk) {
      test_context.fail(__FILE__, __LINE__,
                        "stray message on the control endpoint: badge %#lx label %#x",
                        stray.badge, stray.label);
      if (stray.has_handle) (void)user::handle_close(stray.handle);
    }
    uint64_t tasks_after = user::task_count();
    if (tasks_after > tasks_before_) {
      test_context.fail(__FILE__, __LINE__,
                        "%lu task(s) left running (%lu before the case, %lu after)",
                        tasks_after - tasks_before_, tasks_before_, tasks_after);
    }
  }

 private:
  uint64_t tasks_before_ = 0;
};

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

  user::printf("user tests: %u registered, timer %lu Hz\n", cases.count(), env.timer_hz);

  uint64_t start = user::ticks();
  LeftoverCheck leftovers;
  ring3_tests::RunTotals totals = cases.run_all(leftovers);
  uint32_t failed = totals.failed;
  user::printf("user tests: %u passed, %u failed (%lu ticks)\n", totals.passed, failed,
               user::ticks() - start);
  if (env.exit_port == 0) {
    user::printf("user tests: port 0xf4 was not granted: cannot leave QEMU\n");
    return failed == 0 ? 0 : 1;
  }
  user::out8(kExitPort, failed == 0 ? kExitSuccess : kExitFailure);
  return failed == 0 ? 0 : 1;
}
