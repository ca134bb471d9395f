// Host tests for the supervisor protocol's codecs (ipc/supervisor.h): every request and reply
// round trip, the list_servers reply's layout with every kind of grant, and the messages a
// decoder refuses.
#include <gtest/gtest.h>

#include <cstring>

#include "ipc/supervisor.h"
#include "test/host/protocols/wire_test_support.h"

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
  EXPECT_TRUE(refused([](uint64_t* w) { w[8] = 7ull << 56; }, count));  // past kFramebuffer
  EXPECT_TRUE(refused([](uint64_t* w) { w[10] = 0; }, count));  // kind 0
  EXPECT_FALSE(refused([](uint64_t*) {}, count));
}

TEST(SupervisorLabels, StayClearOfTheBootstrapLabels) {
  for (uint32_t label : {kGetGrant, kRegister, kLookup, kGetArguments, kStartupDone}) {
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

// --- the typed messages on a WireMessage ------------------------------------------------------

using testing::encoded;
using testing::round_trip;

TEST(SupervisorRequests, EveryLabelIsOneWordRoundTrip) {
  WireMessage message;
  EXPECT_EQ(round_trip(ListServersRequest{5}, &message).index, 5u);
  EXPECT_EQ(message.label, kListServers);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(round_trip(KillServerRequest{42}, &message).task_id, 42u);
  EXPECT_EQ(message.label, kKillServer);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(round_trip(StopServerRequest{43}, &message).task_id, 43u);
  EXPECT_EQ(message.label, kStopServer);
  EXPECT_EQ(round_trip(RestartServerRequest{2}, &message).index, 2u);
  EXPECT_EQ(message.label, kRestartServer);
  // The action is the kernel's to judge: an unknown one travels unchanged.
  EXPECT_EQ(round_trip(PowerRequest{static_cast<abi::PowerAction>(99)}, &message).action,
            static_cast<abi::PowerAction>(99));
  EXPECT_EQ(message.label, kPower);
  EXPECT_EQ(message.word[0], 99u);
  EXPECT_EQ(round_trip(PowerRequest{abi::PowerAction::kReboot}, &message).action,
            abi::PowerAction::kReboot);
  EXPECT_FALSE(message.has_handle);
}

// Decodes `message` with the request decoder of `label`.
ProtocolStatus decode_request_of(uint32_t label, const WireMessage& message) {
  switch (label) {
    case kListServers:
      return testing::decode_as<ListServersRequest>(message);
    case kKillServer:
      return testing::decode_as<KillServerRequest>(message);
    case kStopServer:
      return testing::decode_as<StopServerRequest>(message);
    case kRestartServer:
      return testing::decode_as<RestartServerRequest>(message);
    case kPower:
      return testing::decode_as<PowerRequest>(message);
  }
  ADD_FAILURE() << "no request decoder for " << label;
  return ProtocolStatus::kOk;
}

TEST(SupervisorRequests, EveryLabelRefusesAnyOtherWordCount) {
  ASSERT_EQ(std::size(kSupervisorMessages), 5u);
  for (const MessageSpec& spec : kSupervisorMessages) {
    EXPECT_EQ(decode_request_of(spec.label, testing::make_message(spec.label, {7})),
              ProtocolStatus::kOk);
    for (uint32_t words : {0u, 2u, 4u, 9u, abi::kMaxMessageWords}) {
      WireMessage message = testing::poisoned();
      message.label = spec.label;
      message.words = words;
      ProtocolStatus expected = words == 0 ? ProtocolStatus::kTooShort : ProtocolStatus::kTooLong;
      EXPECT_EQ(decode_request_of(spec.label, message), expected) << spec.name << " " << words;
    }
  }
}

TEST(SupervisorRequests, EachDecoderRefusesEveryOtherLabel) {
  for (const MessageSpec& spec : kSupervisorMessages) {
    for (uint32_t other : {0u, 1u, 2u, 3u, 4u, 0x10u, 0x11u, 0x12u, 0x13u, 0x14u, 0x15u, 0x16u}) {
      if (other == spec.label) continue;
      EXPECT_EQ(decode_request_of(spec.label, testing::make_message(other, {1})),
                ProtocolStatus::kUnknownLabel)
          << spec.name << " as " << other;
    }
  }
}

TEST(SupervisorReplies, ListServersRoundTripsThroughAWireMessage) {
  WireMessage message;
  ListServersReply out =
      round_trip(ListServersReply{ProtocolStatus::kOk, sample_entry()}, &message);
  EXPECT_EQ(message.label, kListServers);
  EXPECT_EQ(message.words, 16u);
  EXPECT_FALSE(message.has_handle);
  EXPECT_EQ(out.status, ProtocolStatus::kOk);
  EXPECT_STREQ(out.entry.module, "keyboard");
  EXPECT_EQ(out.entry.grant_count, 4u);
  EXPECT_EQ(out.entry.grants[2].detail, 0xb8000u);
  ListServersReply past = round_trip(ListServersReply{ProtocolStatus::kBadValue, {}}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(past.status, ProtocolStatus::kBadValue);
}

TEST(SupervisorReplies, ListServersRefusesAMalformedEntryOrAHandle) {
  WireMessage good = encoded(ListServersReply{ProtocolStatus::kOk, sample_entry()});
  ListServersReply out;
  WireMessage bad_kind = good;
  bad_kind.word[8] = 9ull << 56;
  EXPECT_EQ(decode(bad_kind, &out), ProtocolStatus::kBadValue);
  WireMessage short_grants = good;
  short_grants.words = 14;  // header says 4 grants
  EXPECT_EQ(decode(short_grants, &out), ProtocolStatus::kBadValue);
  WireMessage with_handle = good;
  with_handle.has_handle = true;
  EXPECT_EQ(decode(with_handle, &out), ProtocolStatus::kBadValue);
  WireMessage cut = good;
  cut.words = kListReplyHeaderWords - 1;
  EXPECT_EQ(decode(cut, &out), ProtocolStatus::kTooShort);
  WireMessage unknown_status = testing::make_message(kListServers, {99});
  EXPECT_EQ(decode(unknown_status, &out), ProtocolStatus::kBadValue);
  ServerEntry too_many = sample_entry();
  too_many.grant_count = kMaxListedGrants + 1;
  WireMessage message = testing::poisoned();
  EXPECT_FALSE(encode(ListServersReply{ProtocolStatus::kOk, too_many}, &message));
}

TEST(SupervisorReplies, StatusOnlyRepliesCarryEachOutcome) {
  WireMessage message;
  EXPECT_EQ(round_trip(KillServerReply{ProtocolStatus::kNotFound}, &message).status,
            ProtocolStatus::kNotFound);
  EXPECT_EQ(message.label, kKillServer);
  EXPECT_EQ(round_trip(StopServerReply{ProtocolStatus::kNoRights}, &message).status,
            ProtocolStatus::kNoRights);
  EXPECT_EQ(message.label, kStopServer);
  EXPECT_EQ(round_trip(RestartServerReply{ProtocolStatus::kOk}, &message).status,
            ProtocolStatus::kOk);
  EXPECT_EQ(message.label, kRestartServer);
  EXPECT_EQ(round_trip(PowerReply{ProtocolStatus::kBadValue}, &message).status,
            ProtocolStatus::kBadValue);
  EXPECT_EQ(message.label, kPower);
  EXPECT_EQ(message.words, 1u);
  KillServerReply out;
  WireMessage two_words = testing::make_message(kKillServer, {0, 0});
  EXPECT_EQ(decode(two_words, &out), ProtocolStatus::kTooLong);
  WireMessage other_label = testing::make_message(kStopServer, {0});
  EXPECT_EQ(decode(other_label, &out), ProtocolStatus::kUnknownLabel);
  WireMessage no_words = testing::make_message(kKillServer, {});
  EXPECT_EQ(decode(no_words, &out), ProtocolStatus::kTooShort);
}

}  // namespace
}  // namespace bm::ipc
