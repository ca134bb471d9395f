// Clients that end with files open, by exiting and by being killed: fs closes their files. Seen
// from outside: the holder (helper.cpp) keeps an unlinked file open, whose bytes count against
// /tmp's limit until its last close, so a probe file does not fit while the holder lives and
// fits again once it is gone.
#include "ipc/fs.h"
#include "test/fs/control.h"
#include "test/fs/fs_test.h"
#include "test/fs/helper_programs.h"
#include "user/fs_client.h"
#include "user/program_client.h"
#include "user/syscalls.h"

namespace {

namespace fs = user::fs;
using bm::ipc::ProtocolStatus;
using namespace fs_tests;

constexpr uint64_t kReadyWaitMs = 5000;
// fs hears of an ended client from its watcher thread, a moment after init does.
constexpr uint64_t kSpaceBackWithinMs = 2000;

// Writes kProbeBytes into a new file and removes it again: kOk, or why not.
ProtocolStatus probe() {
  static char bytes[kProbeBytes];
  uint32_t fd = 0;
  ProtocolStatus status = fs::open(
      "/tmp/probe",
      bm::ipc::fs::kOpenWrite | bm::ipc::fs::kOpenCreate | bm::ipc::fs::kOpenTruncate, &fd);
  if (status != ProtocolStatus::kOk) return status;
  status = fs::write(fd, 0, bytes, sizeof bytes);
  (void)fs::close(fd);
  (void)fs::unlink("/tmp/probe");
  return status;
}

ProtocolStatus probe_until_it_fits(uint64_t milliseconds) {
  uint64_t deadline = user::ticks() + ticks_for_ms(milliseconds);
  ProtocolStatus status = probe();
  while (status == ProtocolStatus::kNoSpace && user::ticks() < deadline) {
    (void)user::sleep(1);
    status = probe();
  }
  return status;
}

// Starts a holder and waits until it holds its file; its program id, or 0.
uint64_t start_holder(TestContext& test_context, ReadyCall* ready) {
  uint64_t program = start_helper("holder");
  EXPECT_TRUE(program != 0);
  if (program == 0) return 0;
  bool came = await_ready(kReadyWaitMs, ready);
  EXPECT_TRUE(came);
  EXPECT_EQ(ready->failures, 0u);
  return came ? program : 0;
}

}  // namespace

FS_TEST(a_client_that_exits_with_files_open) {
  ASSERT_OK(probe());  // fits while nothing else is in /tmp
  ReadyCall ready;
  uint64_t holder = start_holder(test_context, &ready);
  ASSERT_TRUE(holder != 0);
  EXPECT_STATUS(probe(), ProtocolStatus::kNoSpace);  // the unlinked file still counts
  let_go(&ready);
  bm::ipc::WaitProgramReply ended;
  ASSERT_TRUE(wait_helper(holder, &ended));
  EXPECT_EQ(ended.how, bm::ipc::ProgramEnd::kExited);
  EXPECT_EQ(ended.exit_code, 0);
  EXPECT_OK(probe_until_it_fits(kSpaceBackWithinMs));
}

FS_TEST(a_client_killed_with_files_open) {
  ReadyCall ready;
  uint64_t holder = start_holder(test_context, &ready);
  ASSERT_TRUE(holder != 0);
  EXPECT_STATUS(probe(), ProtocolStatus::kNoSpace);
  EXPECT_OK(user::kill_program(environment().bootstrap, holder));
  drop(&ready);
  bm::ipc::WaitProgramReply ended;
  ASSERT_TRUE(wait_helper(holder, &ended));
  EXPECT_EQ(ended.how, bm::ipc::ProgramEnd::kKilled);
  EXPECT_OK(probe_until_it_fits(kSpaceBackWithinMs));
}
