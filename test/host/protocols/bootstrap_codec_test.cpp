// Host tests for the bootstrap protocol's codecs (ipc/bootstrap.h): a round trip of every
// request and reply, the documented word layout, and the malformed messages each decoder
// refuses (wrong label, wrong length, a missing or stray handle, bad values).
#include <cstdio>
#include <string>
#include <vector>

#include "ipc/bootstrap.h"
#include "ipc/supervisor.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc {
namespace {

using testing::encoded;
using testing::make_message;
using testing::poisoned;
using testing::round_trip;
using testing::Sample;

constexpr abi::Handle kHandle = 0x0102'0304;

template <typename T>
T with_name(const char* name) {
  T value{};
  std::snprintf(value.name, sizeof(value.name), "%s", name);
  return value;
}

// --- every message at least once, with its layout -------------------------------------------

TEST(BootstrapLabels, AreOneToFiveInTheirOrder) {
  ASSERT_EQ(std::size(kBootstrapMessages), 5u);
  for (uint32_t i = 0; i < 5; ++i) {
    EXPECT_EQ(kBootstrapMessages[i].label, i + 1) << kBootstrapMessages[i].name;
    EXPECT_TRUE(is_bootstrap_label(i + 1));
  }
  EXPECT_FALSE(is_bootstrap_label(0));
  EXPECT_FALSE(is_bootstrap_label(6));
  EXPECT_STREQ(kGetArgumentsSpec.name, "get_arguments");
  EXPECT_STREQ(kStartupDoneSpec.name, "startup_done");
}

TEST(BootstrapGetGrant, RequestIsTheIndexAlone) {
  for (uint64_t index : {0ull, 1ull, 17ull, ~0ull}) {
    WireMessage message;
    GetGrantRequest out = round_trip(GetGrantRequest{index}, &message);
    EXPECT_EQ(message.label, kGetGrant);
    EXPECT_EQ(message.words, 1u);
    EXPECT_FALSE(message.has_handle);
    EXPECT_EQ(message.word[0], index);
    EXPECT_EQ(out.index, index);
  }
}

TEST(BootstrapGetGrant, ReplyRoundTripsEveryKindWithItsHandle) {
  for (uint64_t kind = 1; kind <= 6; ++kind) {
    GetGrantReply in{ProtocolStatus::kOk, static_cast<GrantKind>(kind), 0x3d4 + kind, 2, kHandle};
    WireMessage message;
    GetGrantReply out = round_trip(in, &message);
    EXPECT_EQ(message.words, 4u);
    EXPECT_EQ(message.word[0], 0u);
    EXPECT_EQ(message.word[1], kind);
    EXPECT_TRUE(message.has_handle);
    EXPECT_EQ(message.handle, kHandle);
    EXPECT_EQ(out.kind, in.kind);
    EXPECT_EQ(out.detail, in.detail);
    EXPECT_EQ(out.count, 2u);
    EXPECT_EQ(out.handle, kHandle);
  }
}

TEST(BootstrapGetGrant, PastTheLastIsOneWordWithoutAHandle) {
  WireMessage message;
  GetGrantReply out = round_trip(GetGrantReply{ProtocolStatus::kBadValue}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_FALSE(message.has_handle);
  EXPECT_EQ(message.word[0], static_cast<uint64_t>(ProtocolStatus::kBadValue));
  EXPECT_EQ(out.status, ProtocolStatus::kBadValue);
  EXPECT_EQ(out.handle, 0u);
}

TEST(BootstrapGetGrant, DecoderRefusesAnUnknownKindOrAMissingHandle) {
  WireMessage good = encoded(GetGrantReply{ProtocolStatus::kOk, GrantKind::kIrq, 1, 1, kHandle});
  GetGrantReply out{};
  for (uint64_t kind : {0ull, 7ull, 1ull << 40}) {  // 7: past kFramebuffer
    WireMessage bad = good;
    bad.word[1] = kind;
    EXPECT_EQ(decode(bad, &out), ProtocolStatus::kBadValue) << kind;
  }
  WireMessage no_handle = good;
  no_handle.has_handle = false;
  EXPECT_EQ(decode(no_handle, &out), ProtocolStatus::kBadValue);
  WireMessage error_with_handle = encoded(GetGrantReply{ProtocolStatus::kBadValue});
  error_with_handle.has_handle = true;
  EXPECT_EQ(decode(error_with_handle, &out), ProtocolStatus::kBadValue);
}

TEST(BootstrapGetGrant, EncoderRefusesWhatTheDecoderWould) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(GetGrantReply{ProtocolStatus::kOk, static_cast<GrantKind>(9), 0, 0, kHandle},
                      &message));
  EXPECT_FALSE(encode(GetGrantReply{ProtocolStatus::kOk, GrantKind::kIrq, 1, 1, 0}, &message));
  EXPECT_FALSE(encode(GetGrantReply{static_cast<ProtocolStatus>(99)}, &message));
}

TEST(BootstrapRegister, RequestIsTheNameInFourWordsWithTheEndpoint) {
  RegisterRequest in = with_name<RegisterRequest>("console");
  in.endpoint = kHandle;
  WireMessage message;
  RegisterRequest out = round_trip(in, &message);
  EXPECT_EQ(message.label, kRegister);
  EXPECT_EQ(message.words, 4u);
  EXPECT_EQ(message.word[0], 0x656c6f736e6f63ull);  // "console", little-endian
  EXPECT_EQ(message.word[1], 0u);
  EXPECT_TRUE(message.has_handle);
  EXPECT_EQ(message.handle, kHandle);
  EXPECT_STREQ(out.name, "console");
  EXPECT_EQ(out.endpoint, kHandle);
}

TEST(BootstrapRegister, TheLongestNameRoundTrips) {
  const std::string longest(kMaxNameLength, 'x');
  RegisterRequest in = with_name<RegisterRequest>(longest.c_str());
  in.endpoint = kHandle;
  WireMessage message;
  EXPECT_EQ(round_trip(in, &message).name, longest);
}

TEST(BootstrapRegister, DecoderRefusesAMissingEndpointOrABadName) {
  RegisterRequest in = with_name<RegisterRequest>("serial");
  in.endpoint = kHandle;
  const WireMessage good = encoded(in);
  RegisterRequest out{};
  WireMessage no_handle = good;
  no_handle.has_handle = false;
  EXPECT_EQ(decode(no_handle, &out), ProtocolStatus::kBadValue);
  WireMessage empty = good;
  empty.word[0] = 0;
  EXPECT_EQ(decode(empty, &out), ProtocolStatus::kBadValue);
  WireMessage space = good;
  space.word[0] |= uint64_t{' '} << 48;  // "serial" then a space: not printable by the rules
  EXPECT_EQ(decode(space, &out), ProtocolStatus::kBadValue);
  WireMessage gap = good;
  gap.word[1] = 'x';  // a byte after the terminating zero
  EXPECT_EQ(decode(gap, &out), ProtocolStatus::kBadValue);
}

TEST(BootstrapRegister, EncoderRefusesAnEmptyOrLongNameOrNoEndpoint) {
  WireMessage message = poisoned();
  RegisterRequest empty = with_name<RegisterRequest>("");
  empty.endpoint = kHandle;
  EXPECT_FALSE(encode(empty, &message));
  RegisterRequest no_endpoint = with_name<RegisterRequest>("vga");
  EXPECT_FALSE(encode(no_endpoint, &message));
}

TEST(BootstrapRegister, ReplyIsAStatusWordForEachOutcome) {
  for (ProtocolStatus status : {ProtocolStatus::kOk, ProtocolStatus::kBusy,
                                ProtocolStatus::kNoSlots, ProtocolStatus::kBadValue}) {
    WireMessage message;
    RegisterReply out = round_trip(RegisterReply{status}, &message);
    EXPECT_EQ(message.label, kRegister);
    EXPECT_EQ(message.words, 1u);
    EXPECT_FALSE(message.has_handle);
    EXPECT_EQ(out.status, status);
  }
}

TEST(BootstrapLookup, RequestIsTheNameWithoutAHandle) {
  WireMessage message;
  LookupRequest out = round_trip(with_name<LookupRequest>("memd"), &message);
  EXPECT_EQ(message.label, kLookup);
  EXPECT_EQ(message.words, 4u);
  EXPECT_EQ(message.word[0], 0x646d656dull);
  EXPECT_FALSE(message.has_handle);
  EXPECT_STREQ(out.name, "memd");
  WireMessage bad = message;
  bad.word[3] = 0x7f;  // a byte after the end
  EXPECT_EQ(decode(bad, &out), ProtocolStatus::kBadValue);
}

TEST(BootstrapLookup, FoundCarriesTheEndpointNotFoundDoesNot) {
  WireMessage message;
  LookupReply found = round_trip(LookupReply{ProtocolStatus::kOk, kHandle}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_TRUE(message.has_handle);
  EXPECT_EQ(found.endpoint, kHandle);
  LookupReply missing = round_trip(LookupReply{ProtocolStatus::kNotFound, 0}, &message);
  EXPECT_FALSE(message.has_handle);
  EXPECT_EQ(missing.status, ProtocolStatus::kNotFound);
  EXPECT_EQ(missing.endpoint, 0u);
  WireMessage no_handle = encoded(LookupReply{ProtocolStatus::kOk, kHandle});
  no_handle.has_handle = false;
  EXPECT_EQ(decode(no_handle, &found), ProtocolStatus::kBadValue);
  EXPECT_FALSE(encode(LookupReply{ProtocolStatus::kOk, 0}, &message));
}

TEST(BootstrapGetArguments, RoundTripsEveryLengthToTheLimit) {
  for (size_t length : {0, 1, 7, 8, 9, 64, 126, 127}) {
    const std::string text = testing::pattern(length);
    WireMessage message;
    GetArgumentsReply out =
        round_trip(GetArgumentsReply{ProtocolStatus::kOk, testing::view_of(text)}, &message);
    EXPECT_EQ(message.words, 2 + (length + 7) / 8);
    EXPECT_EQ(message.word[1], length);
    EXPECT_EQ(testing::bytes_string(out.arguments), text);
  }
  WireMessage message;
  round_trip(GetArgumentsRequest{}, &message);
  EXPECT_EQ(message.label, kGetArguments);
  EXPECT_EQ(message.words, 0u);
}

TEST(BootstrapStartupDone, CarriesTheWaitAndIsAnsweredByAStatusAlone) {
  WireMessage message;
  for (uint64_t wait : {uint64_t{0}, uint64_t{2000}, kMaxStartupWaitTicks}) {
    StartupDoneRequest out = round_trip(StartupDoneRequest{.wait_ticks = wait}, &message);
    EXPECT_EQ(message.label, kStartupDone);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(message.word[0], wait);
    EXPECT_FALSE(message.has_handle);
    EXPECT_EQ(out.wait_ticks, wait);
  }
  for (ProtocolStatus status : {ProtocolStatus::kOk, ProtocolStatus::kWouldBlock}) {
    StartupDoneReply out = round_trip(StartupDoneReply{status}, &message);
    EXPECT_EQ(message.label, kStartupDone);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(out.status, status);
  }
}

TEST(BootstrapStartupDone, RefusesAWaitOverTheLimit) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(StartupDoneRequest{.wait_ticks = kMaxStartupWaitTicks + 1}, &message));
  StartupDoneRequest out{};
  EXPECT_EQ(decode(make_message(kStartupDone, {kMaxStartupWaitTicks + 1}), &out),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kStartupDone, {~uint64_t{0}}), &out), ProtocolStatus::kBadValue);
}

TEST(BootstrapGetArguments, RefusesTextOverTheLimit) {
  const std::string text = testing::pattern(kMaxArgumentsLength + 1);
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(GetArgumentsReply{ProtocolStatus::kOk, testing::view_of(text)}, &message));
  WireMessage long_length = make_message(
      kGetArguments, {0, kMaxArgumentsLength + 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  GetArgumentsReply out{};
  EXPECT_EQ(decode(long_length, &out), ProtocolStatus::kBadValue);
}

// --- the generic abuse, for every request and reply ------------------------------------------

std::vector<Sample> bootstrap_samples() {
  std::vector<Sample> samples;
  RegisterRequest add = with_name<RegisterRequest>("keyboard");
  add.endpoint = kHandle;
  samples.push_back(testing::sample("get_grant", GetGrantRequest{3}));
  samples.push_back(testing::sample("register", add));
  samples.push_back(testing::sample("lookup", with_name<LookupRequest>("console")));
  samples.push_back(testing::sample("get_arguments", GetArgumentsRequest{}));
  samples.push_back(testing::sample("startup_done", StartupDoneRequest{.wait_ticks = 2000}));
  samples.push_back(
      testing::sample("get_grant reply",
                      GetGrantReply{ProtocolStatus::kOk, GrantKind::kModule, 4096, 4096, kHandle}));
  samples.push_back(testing::sample("get_grant refused", GetGrantReply{ProtocolStatus::kBadValue}));
  samples.push_back(testing::sample("register reply", RegisterReply{ProtocolStatus::kBusy}));
  samples.push_back(testing::sample("lookup reply", LookupReply{ProtocolStatus::kOk, kHandle}));
  samples.push_back(testing::sample("lookup not found", LookupReply{ProtocolStatus::kNotFound, 0}));
  const std::string text = "layout=de,keyboard";
  samples.push_back(testing::sample(
      "get_arguments reply", GetArgumentsReply{ProtocolStatus::kOk, testing::view_of(text)}));
  samples.push_back(testing::sample("startup_done reply", StartupDoneReply{ProtocolStatus::kOk}));
  samples.push_back(
      testing::sample("startup_done not yet", StartupDoneReply{ProtocolStatus::kWouldBlock}));
  return samples;
}

std::vector<uint32_t> other_labels() {
  std::vector<uint32_t> labels = {0, 6, 0x10, 0x101, 0x4f1, abi::kFaultLabel, 0xffffffffu};
  for (const MessageSpec& spec : kBootstrapMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : kSupervisorMessages) labels.push_back(spec.label);
  return labels;
}

TEST(BootstrapRejection, EveryMessageCutShortIsTooShort) {
  for (const Sample& sample : bootstrap_samples()) {
    SCOPED_TRACE(sample.name);
    ASSERT_EQ(sample.decode(sample.message), ProtocolStatus::kOk);
    for (uint32_t words = 0; words < sample.message.words; ++words) {
      WireMessage cut = sample.message;
      cut.words = words;
      EXPECT_EQ(sample.decode(cut), ProtocolStatus::kTooShort) << words;
    }
  }
}

TEST(BootstrapRejection, EveryMessageStretchedIsTooLong) {
  for (const Sample& sample : bootstrap_samples()) {
    SCOPED_TRACE(sample.name);
    for (uint32_t words : {sample.message.words + 1, abi::kMaxMessageWords}) {
      WireMessage stretched = sample.message;
      stretched.words = words;
      for (uint32_t i = sample.message.words; i < abi::kMaxMessageWords; ++i) {
        stretched.word[i] = 0;
      }
      EXPECT_EQ(sample.decode(stretched), ProtocolStatus::kTooLong) << words;
    }
  }
}

TEST(BootstrapRejection, EveryMessageUnderAnotherLabelIsUnknown) {
  for (const Sample& sample : bootstrap_samples()) {
    SCOPED_TRACE(sample.name);
    for (uint32_t label : other_labels()) {
      if (label == sample.message.label) continue;
      WireMessage relabelled = sample.message;
      relabelled.label = label;
      EXPECT_EQ(sample.decode(relabelled), ProtocolStatus::kUnknownLabel) << label;
    }
  }
}

TEST(BootstrapRejection, EveryReplyWithAnUnknownStatusIsBadValue) {
  for (const Sample& sample : bootstrap_samples()) {
    if (sample.name.find("reply") == std::string::npos &&
        sample.name.find("refused") == std::string::npos &&
        sample.name.find("not found") == std::string::npos) {
      continue;
    }
    SCOPED_TRACE(sample.name);
    for (uint64_t status : {kProtocolStatusCount, uint64_t{1} << 32, ~uint64_t{0}}) {
      WireMessage changed = sample.message;
      changed.word[0] = status;
      changed.words = 1;
      changed.has_handle = false;
      EXPECT_EQ(sample.decode(changed), ProtocolStatus::kBadValue) << status;
    }
  }
}

}  // namespace
}  // namespace bm::ipc
