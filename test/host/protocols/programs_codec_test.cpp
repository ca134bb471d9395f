// Host tests for the program protocol's codecs (ipc/programs.h): every request and reply
// round trips with its documented layout, and each decoder refuses what init or its client
// must never act on (a name too long for a task, an image length of 0, a missing image
// handle, fault words on an exit, an unknown end or state). The generic cut/stretch/relabel
// checks run on the samples in samples.cpp.
#include <cstdio>
#include <cstring>
#include <string>

#include "ipc/programs.h"
#include "ipc/supervisor.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc {
namespace {

using testing::encoded;
using testing::make_message;
using testing::round_trip;

constexpr abi::Handle kImage = 0x0102'0304;

RunProgramRequest run_request(const char* name, const std::string& arguments) {
  static std::string kept;  // the view must outlive the call
  kept = arguments;
  RunProgramRequest request;
  request.image_bytes = 23320;
  std::snprintf(request.name, sizeof(request.name), "%s", name);
  request.image = kImage;
  request.arguments = testing::view_of(kept);
  return request;
}

TEST(ProgramLabels, FollowTheSupervisorsAndStayClearOfEveryOtherInitLabel) {
  ASSERT_EQ(std::size(kProgramMessages), 4u);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(kProgramMessages[i].label, 0x21 + i) << kProgramMessages[i].name;
    EXPECT_TRUE(is_program_label(0x21 + i));
    EXPECT_TRUE(kProgramMessages[i].moves_handles);
  }
  for (uint32_t label : {0u, 1u, 5u, 0x11u, 0x15u, 0x20u, 0x25u, 0x31u, 0x32u}) {
    EXPECT_FALSE(is_program_label(label)) << label;
  }
  for (const MessageSpec& spec : kSupervisorMessages) EXPECT_FALSE(is_program_label(spec.label));
}

TEST(ProgramRun, RequestCarriesLengthNameArgumentsAndTheImage) {
  WireMessage message;
  RunProgramRequest out = round_trip(run_request("hello", "world, again"), &message);
  EXPECT_EQ(message.label, kRunProgram);
  EXPECT_EQ(message.words, 6u + 2u);  // length, 4 name words, argument length, 12 bytes
  EXPECT_TRUE(message.has_handle);
  EXPECT_EQ(message.handle, kImage);
  EXPECT_EQ(message.word[0], 23320u);
  EXPECT_EQ(message.word[1], 0x6f6c6c6568ull);  // "hello", little-endian
  EXPECT_EQ(message.word[5], 12u);
  EXPECT_EQ(out.image_bytes, 23320u);
  EXPECT_STREQ(out.name, "hello");
  EXPECT_EQ(out.image, kImage);
  EXPECT_EQ(testing::bytes_string(out.arguments), "world, again");
}

TEST(ProgramRun, ArgumentsFromNoneToTheLongest) {
  for (size_t length : {size_t{0}, size_t{1}, size_t{8}, size_t{9}, size_t{127}}) {
    WireMessage message;
    RunProgramRequest out = round_trip(run_request("sleep", std::string(length, 'x')), &message);
    EXPECT_EQ(message.words, kRunProgramFixedWords + (length + 7) / 8) << length;
    EXPECT_EQ(out.arguments.length, length);
  }
  EXPECT_EQ(kMaxRunProgramWords, 6u + 16u);
}

TEST(ProgramRun, EncoderRefusesWhatInitWouldRefuse) {
  WireMessage message;
  EXPECT_FALSE(encode(run_request("hello", std::string(128, 'x')), &message));
  EXPECT_FALSE(encode(run_request("a-name-of-twenty-four-ch", ""), &message));  // over 23
  EXPECT_TRUE(encode(run_request("a-name-of-twenty-three", "x"), &message));
  EXPECT_FALSE(encode(run_request("", ""), &message));
  EXPECT_FALSE(encode(run_request("two words", ""), &message));  // not a service name
  RunProgramRequest no_image = run_request("hello", "");
  no_image.image = 0;
  EXPECT_FALSE(encode(no_image, &message));
  RunProgramRequest empty = run_request("hello", "");
  empty.image_bytes = 0;
  EXPECT_FALSE(encode(empty, &message));
  RunProgramRequest huge = run_request("hello", "");
  huge.image_bytes = kMaxProgramImageBytes + 1;
  EXPECT_FALSE(encode(huge, &message));
  huge.image_bytes = kMaxProgramImageBytes;
  EXPECT_TRUE(encode(huge, &message));
}

TEST(ProgramRun, DecoderRefusesMalformedRequests) {
  const WireMessage good = encoded(run_request("hello", "abc"));
  auto refused = [&](void (*change)(WireMessage*)) {
    WireMessage copy = good;
    change(&copy);
    return testing::decode_as<RunProgramRequest>(copy);
  };
  EXPECT_EQ(refused([](WireMessage*) {}), ProtocolStatus::kOk);
  EXPECT_EQ(refused([](WireMessage* m) { m->has_handle = false; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[0] = 0; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[0] = kMaxProgramImageBytes + 1; }),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[1] = 0; }), ProtocolStatus::kBadValue);
  // 24 printable bytes: a valid service name, too long for a task.
  EXPECT_EQ(refused([](WireMessage* m) {
              m->word[1] = m->word[2] = m->word[3] = 0x6161616161616161ull;
              m->word[4] = 0;
            }),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[5] = 128; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[6] |= 0xffull << 56; }),  // padding
            ProtocolStatus::kBadValue);
}

TEST(ProgramRun, ReplyIsTheProgramId) {
  WireMessage message;
  RunProgramReply out = round_trip(RunProgramReply{ProtocolStatus::kOk, 1530}, &message);
  EXPECT_EQ(message.words, 2u);
  EXPECT_FALSE(message.has_handle);
  EXPECT_EQ(out.program, 1530u);
  EXPECT_FALSE(encode(RunProgramReply{ProtocolStatus::kOk, 0}, &message));
  EXPECT_FALSE(encode(RunProgramReply{ProtocolStatus::kOk, 1ull << 32}, &message));
  for (ProtocolStatus refusal : {ProtocolStatus::kBadImage, ProtocolStatus::kNoSlots,
                                 ProtocolStatus::kNoRights}) {
    out = round_trip(RunProgramReply{refusal, 0}, &message);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(out.status, refusal);
  }
}

TEST(ProgramWait, ReplySaysHowItEnded) {
  WireMessage message;
  WaitProgramReply exited{ProtocolStatus::kOk, ProgramEnd::kExited, 2, {}};
  WaitProgramReply out = round_trip(exited, &message);
  EXPECT_EQ(message.words, 6u);
  EXPECT_EQ(message.word[1], 1u);
  EXPECT_EQ(message.word[2], 2u);
  EXPECT_EQ(out.how, ProgramEnd::kExited);
  EXPECT_EQ(out.exit_code, 2);

  WaitProgramReply killed{ProtocolStatus::kOk, ProgramEnd::kKilled, -1, {}};
  out = round_trip(killed, &message);
  EXPECT_EQ(message.word[2], ~0ull);
  EXPECT_EQ(out.exit_code, -1);

  WaitProgramReply faulted{ProtocolStatus::kOk, ProgramEnd::kFaulted, -1, {14, 6, 0x4001e9, 0x1000}};
  out = round_trip(faulted, &message);
  EXPECT_EQ(message.word[3], (14ull << 32) | 6);  // as the kernel's fault report packs it
  EXPECT_EQ(message.word[4], 0x4001e9u);
  EXPECT_EQ(message.word[5], 0x1000u);
  EXPECT_EQ(out.fault.vector, 14u);
  EXPECT_EQ(out.fault.error_code, 6u);
  EXPECT_EQ(out.fault.rip, 0x4001e9u);
  EXPECT_EQ(out.fault.cr2, 0x1000u);
}

TEST(ProgramWait, DecoderRefusesMalformedReplies) {
  const WireMessage good = encoded(WaitProgramReply{ProtocolStatus::kOk, ProgramEnd::kExited, 0, {}});
  auto refused = [&](void (*change)(WireMessage*)) {
    WireMessage copy = good;
    change(&copy);
    return testing::decode_as<WaitProgramReply>(copy);
  };
  EXPECT_EQ(refused([](WireMessage*) {}), ProtocolStatus::kOk);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[1] = 0; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[1] = 4; }), ProtocolStatus::kBadValue);
  // Fault words belong to a fault.
  EXPECT_EQ(refused([](WireMessage* m) { m->word[3] = 14ull << 32; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[5] = 0x1000; }), ProtocolStatus::kBadValue);
  // A vector past 31, bits between the error code and the vector.
  EXPECT_EQ(refused([](WireMessage* m) {
              m->word[1] = 3;
              m->word[3] = 32ull << 32;
            }),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) {
              m->word[1] = 3;
              m->word[3] = 1ull << 40;
            }),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->has_handle = true; }), ProtocolStatus::kBadValue);
}

TEST(ProgramKillAndWait, RequestsAreTheProgramIdAlone) {
  WireMessage message;
  EXPECT_EQ(round_trip(WaitProgramRequest{1530}, &message).program, 1530u);
  EXPECT_EQ(message.label, kWaitProgram);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(round_trip(KillProgramRequest{1531}, &message).program, 1531u);
  EXPECT_EQ(message.label, kKillProgram);
  EXPECT_EQ(message.words, 1u);
  // The id is init's to judge: any word travels.
  EXPECT_EQ(round_trip(KillProgramRequest{~0ull}, &message).program, ~0ull);
  EXPECT_EQ(testing::decode_as<WaitProgramRequest>(make_message(kWaitProgram, {})),
            ProtocolStatus::kTooShort);
  EXPECT_EQ(testing::decode_as<KillProgramRequest>(make_message(kKillProgram, {1, 2})),
            ProtocolStatus::kTooLong);
}

TEST(ProgramList, ReplyNamesTheProgramItsStateAndStarter) {
  ListProgramsReply in{ProtocolStatus::kOk, 1537, ProgramState::kRunning, 3, "sleep",
                       (1ull << 32) | 0x105};
  WireMessage message;
  ListProgramsReply out = round_trip(in, &message);
  EXPECT_EQ(message.words, 9u);
  EXPECT_EQ(message.word[8], (1ull << 32) | 0x105);
  EXPECT_EQ(out.client_id, (1ull << 32) | 0x105);
  EXPECT_EQ(message.word[1], 1537u);
  EXPECT_EQ(message.word[2], 1u);
  EXPECT_EQ(message.word[3], 3u);
  EXPECT_EQ(out.state, ProgramState::kRunning);
  EXPECT_EQ(out.starter, 3u);
  EXPECT_STREQ(out.name, "sleep");
  auto refused = [&](void (*change)(WireMessage*)) {
    WireMessage copy = encoded(in);
    change(&copy);
    return testing::decode_as<ListProgramsReply>(copy);
  };
  EXPECT_EQ(refused([](WireMessage* m) { m->word[1] = 0; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[2] = 3; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[3] = 1ull << 32; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(refused([](WireMessage* m) { m->word[4] = 0; }), ProtocolStatus::kBadValue);
  EXPECT_EQ(testing::decode_as<ListProgramsReply>(encoded(ListProgramsReply{
                ProtocolStatus::kBadValue, 0, ProgramState::kRunning, 0, ""})),
            ProtocolStatus::kOk);  // past the last: the status word alone
}

}  // namespace
}  // namespace bm::ipc
