// Many clients at once: worker programs (helper.cpp), each a client of its own, write their own
// files and parts of a shared one concurrently; each has the same fd numbers for different
// files, and none of them means anything to another client.
#include "ipc/fs.h"
#include "test/fs/control.h"
#include "test/fs/fs_test.h"
#include "test/fs/helper_programs.h"
#include "user/fs_client.h"

namespace {

namespace fs = user::fs;
using bm::ipc::ProtocolStatus;
using namespace fs_tests;

constexpr uint64_t kReadyWaitMs = 5000;

bool all_bytes(const char* path, uint64_t offset, uint32_t length, char byte) {
  static char buffer[kWorkerFileBytes];
  uint32_t fd = 0;
  if (fs::open(path, bm::ipc::fs::kOpenRead, &fd) != ProtocolStatus::kOk) return false;
  uint32_t got = 0;
  bool same = fs::read(fd, offset, buffer, length, &got) == ProtocolStatus::kOk && got == length;
  for (uint32_t i = 0; same && i < length; ++i) same = buffer[i] == byte;
  (void)fs::close(fd);
  return same;
}

}  // namespace

FS_TEST(many_clients_at_once_and_fds_per_client) {
  uint64_t programs[kWorkers] = {};
  const char* arguments[kWorkers] = {"worker 0", "worker 1", "worker 2", "worker 3"};
  for (uint32_t i = 0; i < kWorkers; ++i) {
    programs[i] = start_helper(arguments[i]);
    EXPECT_TRUE(programs[i] != 0);
  }
  ReadyCall ready[kWorkers];
  uint32_t came = 0;
  for (; came < kWorkers; ++came) {
    if (!await_ready(kReadyWaitMs, &ready[came])) break;
    EXPECT_EQ(ready[came].failures, 0u);
    // Every worker got fd 0 for its own file and 1 for the shared one.
    EXPECT_EQ(ready[came].first_fd, 0u);
    EXPECT_EQ(ready[came].second_fd, 1u);
  }
  EXPECT_EQ(came, kWorkers);
  // While they all hold fds 0 and 1, this client (with no file open) cannot use them.
  char byte = 0;
  uint32_t got = 0;
  const uint32_t their_fds[] = {0, 1};
  for (uint32_t fd : their_fds) {
    EXPECT_STATUS(fs::read(fd, 0, &byte, 1, &got), ProtocolStatus::kInvalidHandle);
    EXPECT_STATUS(fs::write(fd, 0, "x", 1), ProtocolStatus::kInvalidHandle);
    EXPECT_STATUS(fs::close(fd), ProtocolStatus::kInvalidHandle);
  }
  for (uint32_t i = 0; i < came; ++i) let_go(&ready[i]);
  for (uint32_t i = 0; i < kWorkers; ++i) {
    bm::ipc::WaitProgramReply ended;
    if (programs[i] == 0) continue;
    EXPECT_TRUE(wait_helper(programs[i], &ended));
    EXPECT_EQ(ended.how, bm::ipc::ProgramEnd::kExited);
    EXPECT_EQ(ended.exit_code, 0);  // its own checks
  }
  // What they wrote, seen by another client.
  char path[] = "/tmp/w?";
  for (uint32_t i = 0; i < kWorkers; ++i) {
    path[6] = static_cast<char>('0' + i);
    EXPECT_TRUE(all_bytes(path, 0, kWorkerFileBytes, worker_byte(i)));
    EXPECT_TRUE(all_bytes(kSharedPath, uint64_t{i} * kSharedPartBytes, kSharedPartBytes,
                          worker_byte(i)));
    EXPECT_OK(fs::unlink(path));
  }
  bm::ipc::fs::FileInfo info;
  EXPECT_OK(fs::stat(kSharedPath, &info));
  EXPECT_EQ(info.size, uint64_t{kWorkers} * kSharedPartBytes);
  EXPECT_OK(fs::unlink(kSharedPath));
}
