// Host tests for the heartbeat (ipc/heartbeat.h): its one request and status reply round
// trip, and the malformed forms a decoder refuses.
#include "ipc/heartbeat.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::heartbeat {
namespace {

using testing::make_message;
using testing::round_trip;

TEST(Heartbeat, RequestIsTheLabelAlone) {
  WireMessage message;
  round_trip(HeartbeatRequest{}, &message);
  EXPECT_EQ(message.label, 0xf01u);
  EXPECT_EQ(message.words, 0u);
  EXPECT_STREQ(kHeartbeatSpec.name, "heartbeat");
  HeartbeatRequest out;
  EXPECT_EQ(decode(make_message(kHeartbeat, {0}), &out), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode(make_message(kHeartbeat + 1, {}), &out), ProtocolStatus::kUnknownLabel);
  EXPECT_EQ(decode(make_message(0x101, {}), &out), ProtocolStatus::kUnknownLabel);
}

TEST(Heartbeat, ReplyIsOneStatusWord) {
  WireMessage message;
  EXPECT_EQ(round_trip(HeartbeatReply{}, &message).status, ProtocolStatus::kOk);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(round_trip(HeartbeatReply{ProtocolStatus::kTooLong}, &message).status,
            ProtocolStatus::kTooLong);
  HeartbeatReply out;
  EXPECT_EQ(decode(make_message(kHeartbeat, {0, 0}), &out), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode(make_message(kHeartbeat, {}), &out), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kHeartbeat, {kProtocolStatusCount}), &out),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(0x102, {0}), &out), ProtocolStatus::kUnknownLabel);
}

TEST(Heartbeat, IsTheOnlyLabelOfItsRange) {
  EXPECT_EQ(kHeartbeat, kHeartbeatLabelBase + 1);
  EXPECT_EQ(std::size(kIdempotent), 1u);
  EXPECT_EQ(kIdempotent[0], kHeartbeat);
}

}  // namespace
}  // namespace bm::ipc::heartbeat
