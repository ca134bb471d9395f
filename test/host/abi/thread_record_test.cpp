// Host tests for the record thread_list writes (lib/abi/thread_record.h): the byte layout
// docs/syscalls.md documents, and how many records fit in one IPC buffer.
#include "lib/abi/thread_record.h"

#include <gtest/gtest.h>

#include "lib/abi/message.h"

namespace bm::abi {
namespace {

TEST(ThreadRecord, HasTheDocumentedLayout) {
  EXPECT_EQ(sizeof(ThreadRecord), 48u);
  EXPECT_EQ(offsetof(ThreadRecord, task_id), 0u);
  EXPECT_EQ(offsetof(ThreadRecord, thread_id), 4u);
  EXPECT_EQ(offsetof(ThreadRecord, task_name), 8u);
  EXPECT_EQ(sizeof(ThreadRecord::task_name), kMaxTaskNameLength + 1);
  EXPECT_EQ(offsetof(ThreadRecord, priority), 32u);
  EXPECT_EQ(offsetof(ThreadRecord, state), 36u);
  EXPECT_EQ(offsetof(ThreadRecord, user_ticks), 40u);
}

TEST(ThreadRecord, OneCallFillsAtMostTheIpcBuffer) {
  EXPECT_EQ(kThreadRecordsPerCall, 85u);
  EXPECT_LE(kThreadRecordsPerCall * sizeof(ThreadRecord), sizeof(IpcBuffer));
  EXPECT_LE(kMaxLogRead, sizeof(IpcBuffer));
}

TEST(ThreadRunState, ValuesAreStable) {
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kRunning), 0u);
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kReady), 1u);
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kBlockedSend), 2u);
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kBlockedReceive), 3u);
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kBlockedReply), 4u);
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kWaitingNotification), 5u);
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kSleeping), 6u);
  EXPECT_EQ(static_cast<uint32_t>(ThreadRunState::kFaulted), 7u);
}

}  // namespace
}  // namespace bm::abi
