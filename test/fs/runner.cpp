// fs-tests: the file server tested by ring-3 clients. Fetches the suite's grants (the exit port,
// the helper program's image), registers the endpoint its helpers report to, runs every
// registered case with RUN/PASS/FAIL lines on COM1 and leaves QEMU through isa-debug-exit:
// 0x10 (exit code 33) when everything passed, 0x11 (35) otherwise.
#include "lib/core/qemu_debug_exit.h"
#include "test/fs/control.h"
#include "test/fs/fs_test.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace fs_tests {

namespace {

ring3_tests::CaseList<TestContext> cases;
Environment the_environment;

constexpr auto kExitSuccess = static_cast<uint8_t>(bm::qemu::ExitCode::kSuccess);
constexpr auto kExitFailure = static_cast<uint8_t>(bm::qemu::ExitCode::kFailure);
constexpr uint64_t kMaxGrants = 8;
// memd and fs register before the cases start.
constexpr uint64_t kStartupWaitMs = 5000;

}  // namespace

Environment& environment() { return the_environment; }

uint64_t ticks_for_ms(uint64_t milliseconds) {
  uint64_t ticks = (milliseconds * the_environment.timer_hz + 999) / 1000;
  return ticks == 0 ? 1 : ticks;
}

void register_test(TestCase* test) { cases.add(test); }

namespace {

// The exit port and the helper's image; true if both came.
bool fetch_grants(Handle bootstrap, Handle* exit_port) {
  Environment& env = environment();
  for (uint64_t index = 0; index < kMaxGrants; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kIoPorts && grant.detail == bm::qemu::kDebugExitPort) {
      *exit_port = grant.handle;
    } else if (grant.kind == bm::ipc::GrantKind::kModule && env.helper_image == 0) {
      env.helper_image = grant.handle;
      env.helper_image_bytes = grant.detail;
    } else {
      (void)user::handle_close(grant.handle);
    }
  }
  return *exit_port != 0 && env.helper_image != 0;
}

}  // namespace

}  // namespace fs_tests

int main(uint64_t bootstrap) {
  using namespace fs_tests;
  Environment& env = environment();
  env.bootstrap = static_cast<Handle>(bootstrap);
  env.timer_hz = user::timer_hz();
  Handle exit_port = 0;
  bool granted = fetch_grants(env.bootstrap, &exit_port);
  auto control = user::endpoint_create();
  bool ready = granted && control.ok() &&
               user::register_service(env.bootstrap, kControlName, control->get()) ==
                   ProtocolStatus::kOk &&
               user::wait_for_startup(env.bootstrap, ticks_for_ms(kStartupWaitMs)) ==
                   ProtocolStatus::kOk;
  if (control.ok()) env.control = control->get();

  user::printf("fs tests: %u registered\n", cases.count());
  if (!ready) user::printf("fs tests: not set up (grants, control endpoint or start-up)\n");

  ring3_tests::RunTotals totals;
  ring3_tests::NoCaseWatch no_watch;
  if (ready) totals = cases.run_all(no_watch);
  uint32_t failed = totals.failed;
  user::printf("fs tests: %u passed, %u failed\n", totals.passed, failed);
  if (exit_port == 0) return 1;
  user::out8(bm::qemu::kDebugExitPort, failed == 0 && ready ? kExitSuccess : kExitFailure);
  return failed == 0 ? 0 : 1;
}
