// fs-tests: the file server tested by ring-3 clients. Fetches the suite's grants (the exit port,
// the helper program's image), registers the endpoint its helpers report to, runs every
// registered case with RUN/PASS/FAIL lines on COM1 and leaves QEMU through isa-debug-exit:
// 0x10 (exit code 33) when everything passed, 0x11 (35) otherwise.
#include <stdarg.h>

#include "lib/core/qemu_debug_exit.h"
#include "lib/fmt/format.h"
#include "test/fs/control.h"
#include "test/fs/fs_test.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace fs_tests {

namespace {

TestCase* first_case;
TestCase* last_case;
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

void TestContext::fail(const char* file, int line, const char* format, ...) {
  ++failures_;
  char text[256];
  va_list arguments;
  va_start(arguments, format);
  bm::vsnprintf(text, sizeof(text), format, arguments);
  va_end(arguments);
  user::printf("  check failed: %s (%s:%d)\n", text, file, line);
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

  uint32_t registered = 0;
  for (TestCase* test = first_test(); test != nullptr; test = test->next) ++registered;
  user::printf("fs tests: %u registered\n", registered);
  if (!ready) user::printf("fs tests: not set up (grants, control endpoint or start-up)\n");

  uint32_t passed = 0;
  uint32_t failed = 0;
  for (TestCase* test = first_test(); ready && test != nullptr; test = test->next) {
    TestContext context;
    user::printf("RUN  %s\n", test->name);
    uint64_t start = user::ticks();
    test->run(context);
    uint64_t ticks = user::ticks() - start;
    if (context.failed()) {
      ++failed;
      user::printf("FAIL %s (%lu ticks)\n", test->name, ticks);
    } else {
      ++passed;
      user::printf("PASS %s (%lu ticks)\n", test->name, ticks);
    }
  }
  user::printf("fs tests: %u passed, %u failed\n", passed, failed);
  if (exit_port == 0) return 1;
  user::out8(bm::qemu::kDebugExitPort, failed == 0 && ready ? kExitSuccess : kExitFailure);
  return failed == 0 ? 0 : 1;
}
