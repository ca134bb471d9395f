// fs killed through init's supervisor while clients hold files: init restarts it (restart=yes);
// the clients' calls end in an error, never a hang, and they open files again on the new fs.
// Last in the suite: /tmp is empty afterwards.
#include "ipc/fs.h"
#include "test/fs/control.h"
#include "test/fs/fs_test.h"
#include "test/fs/helper_programs.h"
#include "test/fs/raw_fs.h"
#include "user/fs_client.h"
#include "user/supervisor_client.h"
#include "user/syscalls.h"

namespace {

namespace fs = user::fs;
using bm::ipc::ProtocolStatus;
using namespace fs_tests;

constexpr uint64_t kReadyWaitMs = 5000;
// init restarts fs at once; the new instance mounts the initrd and registers.
constexpr uint64_t kRestartWithinMs = 5000;

// The fs client's call until fs is back: it looks the name up again by itself, but gives up
// after a short wait, so a slow restart shows as kPeerGone or kNotFound first.
template <typename Call>
ProtocolStatus once_fs_is_back(Call call) {
  uint64_t deadline = user::ticks() + ticks_for_ms(kRestartWithinMs);
  ProtocolStatus status = call();
  while ((status == ProtocolStatus::kPeerGone || status == ProtocolStatus::kNotFound) &&
         user::ticks() < deadline) {
    (void)user::sleep(1);
    status = call();
  }
  return status;
}

}  // namespace

FS_TEST(fs_restarted_while_clients_hold_files) {
  uint32_t held = 0;
  ASSERT_OK(fs::open("/boot/motd", bm::ipc::fs::kOpenRead, &held));
  uint32_t written = 0;
  ASSERT_OK(fs::open("/tmp/before", bm::ipc::fs::kOpenWrite | bm::ipc::fs::kOpenCreate, &written));
  uint64_t survivor = start_helper("survivor");
  ASSERT_TRUE(survivor != 0);
  ReadyCall ready;
  ASSERT_TRUE(await_ready(kReadyWaitMs, &ready));
  EXPECT_EQ(ready.failures, 0u);

  Handle old_fs = raw_fs_handle();
  uint32_t task = fs_task_id();
  ASSERT_TRUE(task != 0);
  ASSERT_OK(user::kill_server(environment().bootstrap, task));
  // The old endpoint is dead: a raw call says so at once.
  RawRequest stat;
  stat.label = bm::ipc::fs::kStat;
  stat.add_bytes("/");
  EXPECT_STATUS(raw_status(old_fs, stat), ProtocolStatus::kPeerGone);
  (void)user::handle_close(old_fs);

  // This client's fds belonged to the old instance.
  char byte = 0;
  uint32_t got = 0;
  EXPECT_STATUS(once_fs_is_back([&] { return fs::read(held, 0, &byte, 1, &got); }),
                ProtocolStatus::kInvalidHandle);
  EXPECT_STATUS(fs::write(written, 0, "x", 1), ProtocolStatus::kInvalidHandle);
  bm::ipc::fs::FileInfo info;
  EXPECT_STATUS(fs::stat("/tmp/before", &info), ProtocolStatus::kNotFound);  // /tmp is new
  ASSERT_OK(fs::open("/boot/motd", bm::ipc::fs::kOpenRead, &held));
  EXPECT_OK(fs::read(held, 0, &byte, 1, &got));
  EXPECT_EQ(got, 1u);
  EXPECT_OK(fs::close(held));
  uint32_t task_after = fs_task_id();
  EXPECT_TRUE(task_after != 0 && task_after != task);

  // The helper finds its fd refused and reopens (its own checks, its exit code).
  let_go(&ready);
  bm::ipc::WaitProgramReply ended;
  ASSERT_TRUE(wait_helper(survivor, &ended));
  EXPECT_EQ(ended.how, bm::ipc::ProgramEnd::kExited);
  EXPECT_EQ(ended.exit_code, 0);
}
