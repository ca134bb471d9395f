// Host tests for init's message to memd (ipc/memd_admin.h): add_client and its reply round
// trip with their handles, and every malformed form a decoder refuses.
#include "ipc/memd_admin.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::memd_admin {
namespace {

using testing::encoded;
using testing::make_message;
using testing::poisoned;
using testing::round_trip;

constexpr abi::Handle kTask = 0x5'0011;
constexpr abi::Handle kEndpoint = 0x6'0012;

TEST(MemdAdmin, AddClientIsTheIdWithTheTaskHandle) {
  WireMessage message;
  AddClientRequest out = round_trip(AddClientRequest{4, kTask}, &message);
  EXPECT_EQ(message.label, 0x4f1u);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(message.word[0], 4u);
  EXPECT_TRUE(message.has_handle);
  EXPECT_EQ(message.handle, kTask);
  EXPECT_EQ(out.client_id, 4u);
  EXPECT_EQ(out.task, kTask);
  EXPECT_STREQ(kAddClientSpec.name, "add_client");
}

TEST(MemdAdmin, AddClientRefusesIdZeroOrNoTask) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(AddClientRequest{0, kTask}, &message));
  EXPECT_FALSE(encode(AddClientRequest{4, 0}, &message));
  AddClientRequest out;
  WireMessage id_zero = make_message(kAddClient, {0});
  id_zero.has_handle = true;
  id_zero.handle = kTask;
  EXPECT_EQ(decode(id_zero, &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kAddClient, {4}), &out), ProtocolStatus::kBadValue);
  WireMessage good = encoded(AddClientRequest{4, kTask});
  WireMessage two_words = good;
  two_words.words = 2;
  EXPECT_EQ(decode(two_words, &out), ProtocolStatus::kTooLong);
  WireMessage none = good;
  none.words = 0;
  EXPECT_EQ(decode(none, &out), ProtocolStatus::kTooShort);
  WireMessage other = good;
  other.label = 0x401;  // memd's alloc
  EXPECT_EQ(decode(other, &out), ProtocolStatus::kUnknownLabel);
}

TEST(MemdAdmin, ReplyCarriesTheBadgedEndpointOnlyOnSuccess) {
  WireMessage message;
  AddClientReply ok = round_trip(AddClientReply{ProtocolStatus::kOk, kEndpoint}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_TRUE(message.has_handle);
  EXPECT_EQ(ok.endpoint, kEndpoint);
  for (ProtocolStatus refusal :
       {ProtocolStatus::kBusy, ProtocolStatus::kNoSlots, ProtocolStatus::kBadValue}) {
    AddClientReply out = round_trip(AddClientReply{refusal, 0}, &message);
    EXPECT_FALSE(message.has_handle);
    EXPECT_EQ(out.status, refusal);
    EXPECT_EQ(out.endpoint, 0u);
  }
  EXPECT_FALSE(encode(AddClientReply{ProtocolStatus::kOk, 0}, &message));
}

TEST(MemdAdmin, ReplyDecoderRefusesMalformedReplies) {
  AddClientReply out;
  WireMessage no_handle = encoded(AddClientReply{ProtocolStatus::kOk, kEndpoint});
  no_handle.has_handle = false;
  EXPECT_EQ(decode(no_handle, &out), ProtocolStatus::kBadValue);
  WireMessage busy_with_handle = encoded(AddClientReply{ProtocolStatus::kBusy, 0});
  busy_with_handle.has_handle = true;
  EXPECT_EQ(decode(busy_with_handle, &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kAddClient, {99}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kAddClient, {14, 0}), &out), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode(make_message(kAddClient, {}), &out), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(0x4f2, {0}), &out), ProtocolStatus::kUnknownLabel);
}

}  // namespace
}  // namespace bm::ipc::memd_admin
