// Deferred replies (reply_create / reply_take / reply_send): a server keeps a call in a reply
// object, receives other calls meanwhile and answers each kept call once, with any message a
// reply can be, then reuses the object; and every way the link can end (caller killed, handle
// closed, server task gone) leaves nobody waiting for ever. Hostile uses get an error and
// change nothing.
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/ipc.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::kRegisterWords;

constexpr uint32_t kCallLabel = 0x5100;
constexpr uint32_t kReplyLabel = 0x5180;
constexpr uint32_t kLongReplyWords = 300;

uint64_t long_word(uint32_t index) { return 0x5eed000000000000ull ^ (index * 0x9e3779b9ull); }

// What one helper caller saw. Helpers share data through globals (helper_thread.h).
struct CallOutcome {
  Status status = Status::kBusy;
  uint32_t label = 0;
  uint32_t words = 0;
  uint64_t word0 = 0;
  uint32_t long_words_wrong = 0;  // words 4.. of a long reply that did not match long_word()
  Handle handle = 0;              // a handle that came with the reply
};

Handle service_client = 0;  // write handle to the endpoint the test serves
CallOutcome outcomes[2];

// Calls service_client with label kCallLabel + index; records the reply in outcomes[index].
void call_service(uint64_t index) {
  user::Message request;
  request.label = kCallLabel + static_cast<uint32_t>(index);
  request.words = 1;
  request.word[0] = index;
  user::Message reply;
  CallOutcome& outcome = outcomes[index];
  outcome.status = user::call(service_client, request, &reply);
  if (outcome.status != Status::kOk) return;
  outcome.label = reply.label;
  outcome.words = reply.words;
  outcome.word0 = reply.word[0];
  for (uint32_t i = kRegisterWords; i < reply.words; ++i) {
    if (user::message_word(reply, i) != long_word(i)) ++outcome.long_words_wrong;
  }
  outcome.handle = reply.has_handle ? reply.handle : 0;
}

// The endpoint a test serves, with a write handle for its helper callers.
struct Service {
  OwnedHandle endpoint;
  OwnedHandle client;
};

Status open_service(Service* service) {
  Status status = take(user::endpoint_create(), &service->endpoint);
  if (status != Status::kOk) return status;
  status = take(user::handle_duplicate(service->endpoint.get(), bm::abi::kRightWrite),
                &service->client);
  service_client = service->client.get();
  outcomes[0] = outcomes[1] = CallOutcome{};
  return status;
}

// Starts helper `index` calling the service and receives its call.
Status receive_call_from(HelperThread& caller, const Service& service, uint64_t index) {
  Status status = caller.start(call_service, index, kPeerPriority);
  if (status != Status::kOk) return status;
  user::Message request;
  status = user::receive(service.endpoint.get(), &request, ticks_for_ms(1000));
  if (status == Status::kOk && request.label != kCallLabel + index) return Status::kInvalidArgument;
  return status;
}

// A new reply object holding the call this thread received last.
Status keep_call(OwnedHandle* reply) {
  Status status = take(user::reply_create(), reply);
  if (status != Status::kOk) return status;
  return user::reply_take(reply->get()).error();
}

// The usual set-up: a service, a helper calling it, and that call kept in a reply object.
// Members end in reverse order: the reply closes first (an unanswered caller hears
// kPeerGone), so the helper can be joined.
struct KeptCall {
  Service service;
  HelperThread caller;
  OwnedHandle reply;
};

Status keep_helper_call(KeptCall* kept) {
  Status status = open_service(&kept->service);
  if (status != Status::kOk) return status;
  status = receive_call_from(kept->caller, kept->service, 0);
  if (status != Status::kOk) return status;
  return keep_call(&kept->reply);
}

Status send_reply(Handle reply, uint64_t word0) {
  return user::reply_send(reply, bm::abi::encode_tag({kReplyLabel, 1, false, false}),
                          {word0, 0, 0, 0})
      .error();
}

Status reply_recv_plain(Handle endpoint) {
  return user::ipc_reply_recv(endpoint, bm::abi::encode_tag({kReplyLabel, 0, false, false}), {})
      .error();
}

}  // namespace

USER_TEST(reply_take_needs_a_call_to_keep) {
  OwnedHandle reply;
  ASSERT_OK(take(user::reply_create(), &reply));
  EXPECT_STATUS(user::reply_take(reply.get()).error(), Status::kNoCaller);
  EXPECT_STATUS(send_reply(reply.get(), 1), Status::kNoCaller);  // holds nothing to answer
}

// Two calls kept at once, answered in the other order: the endpoint's one thread is free
// for the second call while the first waits, and each caller gets its own answer. Answered,
// an object is empty: a second answer finds no caller, and it can keep the next call.
USER_TEST(reply_kept_calls_are_answered_later_in_any_order) {
  Service service;
  ASSERT_OK(open_service(&service));
  HelperThread first, second;
  ASSERT_OK(receive_call_from(first, service, 0));
  OwnedHandle first_reply, second_reply;
  ASSERT_OK(keep_call(&first_reply));
  // The thread owes nothing now: a plain reply finds no caller, a receive is not refused.
  EXPECT_STATUS(reply_recv_plain(service.endpoint.get()), Status::kNoCaller);
  ASSERT_OK(receive_call_from(second, service, 1));
  EXPECT_STATUS(user::reply_take(first_reply.get()).error(), Status::kBusy);  // one call each
  ASSERT_OK(keep_call(&second_reply));

  EXPECT_OK(send_reply(second_reply.get(), 21));
  EXPECT_TRUE(second.join(ticks_for_ms(1000)));
  EXPECT_TRUE(!first.finished());
  EXPECT_OK(send_reply(first_reply.get(), 20));
  EXPECT_TRUE(first.join(ticks_for_ms(1000)));
  for (uint32_t i = 0; i < 2; ++i) {
    EXPECT_STATUS(outcomes[i].status, Status::kOk);
    EXPECT_EQ(outcomes[i].label, kReplyLabel);
    EXPECT_EQ(outcomes[i].word0, 20 + i);
  }
  EXPECT_STATUS(send_reply(first_reply.get(), 22), Status::kNoCaller);  // answered once

  HelperThread third;
  outcomes[0] = CallOutcome{};
  ASSERT_OK(receive_call_from(third, service, 0));
  EXPECT_OK(user::reply_take(first_reply.get()).error());
  EXPECT_OK(send_reply(first_reply.get(), 23));
  EXPECT_TRUE(third.join(ticks_for_ms(1000)));
  EXPECT_EQ(outcomes[0].word0, 23);
}

// Any thread of the task may answer, here one that never received the call.
void answer_from_helper(uint64_t reply) { (void)send_reply(static_cast<Handle>(reply), 30); }

USER_TEST(reply_any_thread_of_the_task_may_answer) {
  KeptCall kept;
  ASSERT_OK(keep_helper_call(&kept));
  HelperThread answerer;
  ASSERT_OK(answerer.start(answer_from_helper, kept.reply.get(), kPeerPriority));
  EXPECT_TRUE(answerer.join(ticks_for_ms(1000)));
  EXPECT_TRUE(kept.caller.join(ticks_for_ms(1000)));
  EXPECT_STATUS(outcomes[0].status, Status::kOk);
  EXPECT_EQ(outcomes[0].word0, 30);
}

// A long reply: words beyond the registers come from the answering thread's IPC buffer.
USER_TEST(reply_long_answer_through_the_ipc_buffer) {
  KeptCall kept;
  ASSERT_OK(keep_helper_call(&kept));
  user::Message answer;
  answer.label = kReplyLabel;
  answer.words = kLongReplyWords;
  answer.word[0] = 40;
  for (uint32_t i = kRegisterWords; i < kLongReplyWords; ++i) {
    user::set_message_word(&answer, i, long_word(i));
  }
  EXPECT_OK(user::answer_deferred(kept.reply.get(), answer));
  EXPECT_TRUE(kept.caller.join(ticks_for_ms(1000)));
  EXPECT_STATUS(outcomes[0].status, Status::kOk);
  EXPECT_EQ(outcomes[0].words, kLongReplyWords);
  EXPECT_EQ(outcomes[0].word0, 40);
  EXPECT_EQ(outcomes[0].long_words_wrong, 0);
}

// A reply may carry a handle, which moves to the caller's task.
USER_TEST(reply_answer_carries_a_handle) {
  KeptCall kept;
  ASSERT_OK(keep_helper_call(&kept));
  Handle notification = 0;
  ASSERT_OK(take(user::notification_create(), &notification));
  user::Message answer;
  answer.label = kReplyLabel;
  answer.has_handle = true;
  answer.handle = notification;
  EXPECT_OK(user::answer_deferred(kept.reply.get(), answer));
  EXPECT_TRUE(kept.caller.join(ticks_for_ms(1000)));
  ASSERT_OK(outcomes[0].status);
  ASSERT_TRUE(outcomes[0].handle != 0);
  EXPECT_OK(user::notification_signal(outcomes[0].handle, 1));
  EXPECT_OK(user::handle_close(outcomes[0].handle));
}

// A reply handle stays with the server that made it: it cannot be duplicated nor sent on,
// not even inside its own answer. Closing it with a call kept tells the caller kPeerGone.
USER_TEST(reply_handle_cannot_be_copied_or_passed_on) {
  KeptCall kept;
  ASSERT_OK(keep_helper_call(&kept));
  Handle copy = 0;
  EXPECT_STATUS(take(user::handle_duplicate(kept.reply.get(), bm::abi::kRightWrite), &copy),
                Status::kNoRights);
  user::ipc_buffer()->handle = kept.reply.get();
  EXPECT_STATUS(
      user::reply_send(kept.reply.get(), bm::abi::encode_tag({kReplyLabel, 0, true, false}), {})
          .error(),
      Status::kNoRights);
  EXPECT_TRUE(!kept.caller.finished());  // the failed answer changed nothing
  kept.reply.reset();
  EXPECT_TRUE(kept.caller.join(ticks_for_ms(1000)));
  EXPECT_STATUS(outcomes[0].status, Status::kPeerGone);
}

// Bad handles and bad messages are refused before anything happens: the caller still waits
// and the object still answers it.
USER_TEST(reply_calls_refuse_bad_arguments) {
  Service service;
  ASSERT_OK(open_service(&service));
  EXPECT_STATUS(send_reply(0, 1), Status::kInvalidHandle);
  EXPECT_STATUS(send_reply(0xdead0001u, 1), Status::kInvalidHandle);
  EXPECT_STATUS(send_reply(service.endpoint.get(), 1), Status::kWrongType);
  HelperThread caller;
  ASSERT_OK(receive_call_from(caller, service, 0));
  EXPECT_STATUS(user::reply_take(0).error(), Status::kInvalidHandle);
  EXPECT_STATUS(user::reply_take(service.endpoint.get()).error(), Status::kWrongType);
  OwnedHandle reply;
  ASSERT_OK(keep_call(&reply));
  auto raw = [](uint64_t handle_bits, uint64_t tag) {
    return user::raw_syscall(bm::abi::Syscall::reply_send, handle_bits, tag).status;
  };
  uint64_t tag = bm::abi::encode_tag({kReplyLabel, 0, false, false});
  Handle handle = reply.get();
  EXPECT_STATUS(raw(handle | (1ull << 32), tag), Status::kInvalidHandle);
  EXPECT_STATUS(user::raw_syscall(bm::abi::Syscall::reply_take, handle | (1ull << 32)).status,
                Status::kInvalidHandle);
  EXPECT_STATUS(raw(handle, tag | (1ull << 45)), Status::kInvalidArgument);  // reserved bit
  EXPECT_STATUS(raw(handle, tag | bm::abi::kTagNonBlockingBit), Status::kInvalidArgument);
  EXPECT_STATUS(raw(handle, tag | (513ull << bm::abi::kTagWordsShift)), Status::kTooLong);
  EXPECT_TRUE(!caller.finished());
  EXPECT_OK(send_reply(handle, 50));
  EXPECT_TRUE(caller.join(ticks_for_ms(1000)));
  EXPECT_EQ(outcomes[0].word0, 50);
}

// With the handle table full no reply object can be made, and the call stays with the
// thread, still owed; with a slot free again it can be kept and answered.
USER_TEST(reply_create_with_a_full_table_leaves_the_call_owed) {
  Service service;
  ASSERT_OK(open_service(&service));
  HelperThread caller;
  ASSERT_OK(receive_call_from(caller, service, 0));
  constexpr uint32_t kMaxFill = 300;
  static Handle filler[kMaxFill];
  uint32_t filled = 0;
  while (filled < kMaxFill && take(user::notification_create(), &filler[filled]) == Status::kOk) {
    ++filled;
  }
  OwnedHandle reply;
  EXPECT_STATUS(take(user::reply_create(), &reply), Status::kNoSlots);
  user::Message other;
  EXPECT_STATUS(user::receive(service.endpoint.get(), &other, bm::abi::kDontWait), Status::kBusy);
  ASSERT_TRUE(filled > 0);
  EXPECT_OK(user::handle_close(filler[--filled]));
  EXPECT_OK(keep_call(&reply));
  while (filled > 0) EXPECT_OK(user::handle_close(filler[--filled]));
  EXPECT_OK(send_reply(reply.get(), 60));
  EXPECT_TRUE(caller.join(ticks_for_ms(1000)));
  EXPECT_EQ(outcomes[0].word0, 60);
}

// The caller's task is killed while its call is kept: the answer finds nobody (kPeerGone,
// said once), and the object is free for the next call.
USER_TEST(reply_to_a_killed_caller_is_peer_gone) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.give(endpoint.get(), bm::abi::kRightWrite));
  ASSERT_OK(peer.send_command(peer::kCmdCall, kCallLabel));
  user::Message request;
  ASSERT_OK(user::receive(endpoint.get(), &request, ticks_for_ms(1000)));
  EXPECT_EQ(request.label, kCallLabel);
  OwnedHandle reply;
  ASSERT_OK(keep_call(&reply));
  ASSERT_OK(peer.kill());
  EXPECT_STATUS(send_reply(reply.get(), 70), Status::kPeerGone);
  EXPECT_STATUS(send_reply(reply.get(), 71), Status::kNoCaller);
  EXPECT_STATUS(user::reply_take(reply.get()).error(), Status::kNoCaller);  // empty, not busy
}

// The server's task dies holding a kept call: its handles close, and the caller hears
// kPeerGone, as when a server dies in the middle of an ordinary call.
USER_TEST(reply_kept_by_a_dying_server_is_peer_gone) {
  Service service;
  ASSERT_OK(open_service(&service));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.give(service.endpoint.get(), bm::abi::kRightRead));
  HelperThread caller;
  ASSERT_OK(caller.start(call_service, 0, kPeerPriority));
  uint64_t kept = ~0ull;
  ASSERT_OK(peer.request(peer::kCmdKeepCall, 0, 0, 0, &kept));
  EXPECT_STATUS(static_cast<Status>(kept), Status::kOk);
  EXPECT_TRUE(!caller.finished());
  ASSERT_OK(peer.kill());
  EXPECT_TRUE(caller.join(ticks_for_ms(1000)));
  EXPECT_STATUS(outcomes[0].status, Status::kPeerGone);
}

// A fault report is not a call that can wait: the supervisor answers it in place.
USER_TEST(reply_take_refuses_a_fault_report) {
  OwnedHandle reply;
  ASSERT_OK(take(user::reply_create(), &reply));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteInPort0x60, 0));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_STATUS(user::reply_take(reply.get()).error(), Status::kInvalidArgument);
  EXPECT_OK(peer.kill());
}
