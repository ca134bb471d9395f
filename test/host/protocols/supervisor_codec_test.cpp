// Host tests for the kListServers reply codec (ipc/supervisor.h): a round trip with every
// kind of grant, the documented word layout, and the replies a decoder refuses.
#include <gtest/gtest.h>

#include <cstring>

#include "ipc/supervisor.h"

namespace bm::ipc {
namespace {

ServerEntry sample_entry() {
  ServerEntry entry{};
  std::strcpy(entry.module, "keyboard");
  entry.task_id = 7;
  entry.flags = kServerRunning | kServerRestart;
  entry.priority = 10;
  entry.restarts = 2;
  entry.grant_count = 4;
  entry.grants[0] = {GrantKind::kIoPorts, 0x60, 1};
  entry.grants[1] = {GrantKind::kIrq, 1, 1};
  entry.grants[2] = {GrantKind::kDeviceMemory, 0xb8000, 0x8000};
  entry.grants[3] = {GrantKind::kModule, 12345, 12345};
  return entry;
}

TEST(SupervisorListReply, RoundTripsEveryField) {
  uint64_t words[kMaxListReplyWords] = {};
  const ServerEntry in = sample_entry();
  uint32_t count = encode_server_entry(in, words);
  ASSERT_EQ(count, kListReplyHeaderWords + 2 * 4);
  ServerEntry out{};
  ASSERT_TRUE(decode_server_entry(words, count, &out));
  EXPECT_STREQ(out.module, "keyboard");
  EXPECT_EQ(out.task_id, 7u);
  EXPECT_EQ(out.flags, kServerRunning | kServerRestart);
  EXPECT_EQ(out.priority, 10);
  EXPECT_EQ(out.restarts, 2u);
  ASSERT_EQ(out.grant_count, 4u);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(out.grants[i].kind, in.grants[i].kind) << i;
    EXPECT_EQ(out.grants[i].detail, in.grants[i].detail) << i;
    EXPECT_EQ(out.grants[i].count, in.grants[i].count) << i;
  }
}

TEST(SupervisorListReply, EncodesTheDocumentedLayout) {
  uint64_t words[kMaxListReplyWords] = {};
  ASSERT_EQ(encode_server_entry(sample_entry(), words), 16u);
  EXPECT_EQ(words[0], 0u);  // kOk
  EXPECT_EQ(words[1], 7u);
  EXPECT_EQ(words[2], (2ull << 32) | (10u << 8) | 3u);
  EXPECT_EQ(words[3], 4u);
  EXPECT_EQ(words[4], 0x6472616f6279656bull);  // "keyboard", little-endian
  EXPECT_EQ(words[5], 0u);
  EXPECT_EQ(words[8], (1ull << 56) | 0x60);
  EXPECT_EQ(words[9], 1u);
  EXPECT_EQ(words[10], (2ull << 56) | 1);
  EXPECT_EQ(words[12], (3ull << 56) | 0xb8000);
  EXPECT_EQ(words[13], 0x8000u);
}

TEST(SupervisorListReply, RoundTripsTheLargestReply) {
  ServerEntry in = sample_entry();
  in.grant_count = kMaxListedGrants;
  for (uint32_t i = 0; i < kMaxListedGrants; ++i) in.grants[i] = {GrantKind::kIoPorts, i, 1};
  uint64_t words[kMaxListReplyWords] = {};
  ASSERT_EQ(encode_server_entry(in, words), kMaxListReplyWords);
  ServerEntry out{};
  ASSERT_TRUE(decode_server_entry(words, kMaxListReplyWords, &out));
  EXPECT_EQ(out.grants[16].detail, 16u);
}

TEST(SupervisorListReply, EncodeRefusesWhatTheWireCannotCarry) {
  uint64_t words[kMaxListReplyWords] = {};
  ServerEntry entry = sample_entry();
  entry.grant_count = kMaxListedGrants + 1;
  EXPECT_EQ(encode_server_entry(entry, words), 0u);
  entry = sample_entry();
  entry.grants[1].detail = 1ull << 56;
  EXPECT_EQ(encode_server_entry(entry, words), 0u);
  entry = sample_entry();
  entry.grants[0].kind = static_cast<GrantKind>(9);
  EXPECT_EQ(encode_server_entry(entry, words), 0u);
  entry = sample_entry();
  entry.module[0] = '\0';
  EXPECT_EQ(encode_server_entry(entry, words), 0u);
}

TEST(SupervisorListReply, DecodeRefusesMalformedReplies) {
  uint64_t good[kMaxListReplyWords] = {};
  const uint32_t count = encode_server_entry(sample_entry(), good);
  ASSERT_EQ(count, 16u);
  ServerEntry out{};
  auto refused = [&](void (*change)(uint64_t*), uint32_t words) {
    uint64_t copy[kMaxListReplyWords];
    std::memcpy(copy, good, sizeof(copy));
    change(copy);
    return !decode_server_entry(copy, words, &out);
  };
  EXPECT_TRUE(refused([](uint64_t*) {}, count - 1));  // word count does not match grants
  EXPECT_TRUE(refused([](uint64_t*) {}, count + 2));
  EXPECT_TRUE(refused([](uint64_t*) {}, 7));
  EXPECT_TRUE(refused([](uint64_t* w) { w[0] = 7; }, count));  // not a kOk reply
  EXPECT_TRUE(refused([](uint64_t* w) { w[1] = 1ull << 32; }, count));
  EXPECT_TRUE(refused([](uint64_t* w) { w[2] |= 0x80; }, count));  // unknown flag
  EXPECT_TRUE(refused([](uint64_t* w) { w[2] |= 1u << 20; }, count));
  EXPECT_TRUE(refused([](uint64_t* w) { w[3] = kMaxListedGrants + 1; }, count));
  EXPECT_TRUE(refused([](uint64_t* w) { w[4] = 0; }, count));  // empty name
  EXPECT_TRUE(refused([](uint64_t* w) { w[8] = 6ull << 56; }, count));  // past kMemoryPool
  EXPECT_TRUE(refused([](uint64_t* w) { w[10] = 0; }, count));  // kind 0
  EXPECT_FALSE(refused([](uint64_t*) {}, count));
}

TEST(SupervisorLabels, StayClearOfTheBootstrapLabels) {
  for (uint32_t label : {kGetGrant, kRegister, kLookup, kGetArguments}) {
    EXPECT_FALSE(is_supervisor_label(label)) << label;
  }
  EXPECT_TRUE(is_supervisor_label(kListServers));
  EXPECT_TRUE(is_supervisor_label(kKillServer));
  EXPECT_TRUE(is_supervisor_label(kPower));
  EXPECT_TRUE(is_supervisor_label(kStopServer));
  EXPECT_TRUE(is_supervisor_label(kRestartServer));
  EXPECT_FALSE(is_supervisor_label(0x10));
  EXPECT_FALSE(is_supervisor_label(0x16));
}

}  // namespace
}  // namespace bm::ipc
