// Synchronous IPC through the real kernel: call/reply with every message
// size, handles and badges, timeouts, non-blocking variants, the reply
// protocol, and "peer gone" instead of a hang when the other side dies.
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::kMaxMessageWords;
using bm::abi::kRegisterWords;
using bm::abi::SystemInfo;

constexpr uint64_t kCanary = 0xc0ffee00c0ffee00ull;

uint64_t pattern(uint64_t seed, uint32_t index) {
  return (seed << 40) ^ (static_cast<uint64_t>(index) * 0x9e3779b97f4a7c15ull) ^ index;
}

// One call of `words` words to the echo peer: every word must come back
// XORed with kEchoMask, and the IPC buffer beyond the message must be
// untouched.
void echo_round_trip(TestContext& test_context, uint32_t words, uint64_t seed) {
  Peer peer;
  OwnedHandle client;
  ASSERT_OK(start_echo_peer(peer, &client));

  user::Message request;
  request.label = 0x4200 + words;
  request.words = words;
  for (uint32_t i = 0; i < words; ++i) set_message_word(&request, i, pattern(seed, i));
  uint64_t* buffer = user::ipc_buffer()->words;
  uint32_t first_unused = words > kRegisterWords ? words : kRegisterWords;
  for (uint32_t i = first_unused; i < kMaxMessageWords; ++i) {
    buffer[i - kRegisterWords] = kCanary ^ i;
  }

  user::Message reply;
  ASSERT_OK(user::call(client.get(), request, &reply));
  EXPECT_EQ(reply.label, request.label);
  EXPECT_EQ(reply.words, words);
  EXPECT_TRUE(!reply.has_handle);
  uint32_t wrong = 0;
  uint32_t first_wrong = 0;
  for (uint32_t i = 0; i < words; ++i) {
    if (message_word(reply, i) != (pattern(seed, i) ^ peer::kEchoMask)) {
      if (wrong++ == 0) first_wrong = i;
    }
  }
  if (wrong != 0) {
    test_context.fail(__FILE__, __LINE__, "%u of %u words wrong, first: word %u = %#lx", wrong,
                      words, first_wrong, message_word(reply, first_wrong));
  }
  uint32_t clobbered = 0;
  for (uint32_t i = first_unused; i < kMaxMessageWords; ++i) {
    if (buffer[i - kRegisterWords] != (kCanary ^ i)) ++clobbered;
  }
  EXPECT_EQ(clobbered, 0);

  uint64_t served = 0;
  EXPECT_OK(stop_echo_peer(peer, client.get(), &served));
  EXPECT_EQ(served, 1);
}

}  // namespace

USER_TEST(ipc_call_round_trip_0_words) { echo_round_trip(test_context, 0, 1); }
USER_TEST(ipc_call_round_trip_4_words) { echo_round_trip(test_context, 4, 2); }
USER_TEST(ipc_call_round_trip_5_words) { echo_round_trip(test_context, 5, 3); }
USER_TEST(ipc_call_round_trip_512_words) { echo_round_trip(test_context, 512, 4); }

// Many calls in a row to one server: nothing is left over between calls.
USER_TEST(ipc_call_repeated_round_trips) {
  Peer peer;
  OwnedHandle client;
  ASSERT_OK(start_echo_peer(peer, &client));
  constexpr uint32_t kCalls = 200;
  uint32_t wrong = 0;
  for (uint32_t call = 0; call < kCalls; ++call) {
    user::Message request;
    request.label = 0x4300;
    request.words = 1 + call % 8;
    for (uint32_t i = 0; i < request.words; ++i) set_message_word(&request, i, pattern(call, i));
    user::Message reply;
    ASSERT_OK(user::call(client.get(), request, &reply));
    for (uint32_t i = 0; i < request.words; ++i) {
      if (message_word(reply, i) != (pattern(call, i) ^ peer::kEchoMask)) ++wrong;
    }
    if (reply.words != request.words) ++wrong;
  }
  EXPECT_EQ(wrong, 0);
  uint64_t served = 0;
  EXPECT_OK(stop_echo_peer(peer, client.get(), &served));
  EXPECT_EQ(served, kCalls);
}

// The fast path (kernel/ipc/fast_path.cpp) takes plain calls (words only, of
// any length) to a waiting server and their replies, and leaves a message
// carrying a handle to the general path; with ipc_fast_path=off
// on the command line (the user-tests-general-path run) it takes nothing.
// Every other case in this suite runs in both configurations, so each
// behaviour is checked on both paths.
USER_TEST(ipc_fast_path_takes_plain_calls_only) {
  Peer peer;
  OwnedHandle client;
  ASSERT_OK(start_echo_peer(peer, &client));
  const bool enabled = user::system_value(SystemInfo::kIpcFastPathEnabled) == 1;
  user::printf("  IPC fast path: %s\n", enabled ? "on" : "off");

  user::Message request;
  request.label = 0x4400;
  request.words = kRegisterWords;
  user::Message reply;
  ASSERT_OK(user::call(client.get(), request, &reply));  // the peer now waits in reply_recv
  constexpr uint64_t kCalls = 10;
  const uint32_t lengths[] = {kRegisterWords, kRegisterWords + 1, kMaxMessageWords};
  for (uint32_t words : lengths) {
    request.words = words;
    uint64_t taken_before = user::system_value(SystemInfo::kIpcFastPathTaken);
    for (uint64_t i = 0; i < kCalls; ++i) ASSERT_OK(user::call(client.get(), request, &reply));
    EXPECT_EQ(reply.words, words);
    uint64_t taken = user::system_value(SystemInfo::kIpcFastPathTaken) - taken_before;
    if (enabled) {
      EXPECT_TRUE(taken >= 2 * kCalls);  // each call and each reply
    } else {
      EXPECT_EQ(taken, 0);
    }
  }

  // A handle makes the kernel move a capability: the general path's work, both ways (the
  // peer sends it back with the reply).
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  request.words = 1;
  request.word[0] = 0x1;
  request.has_handle = true;
  request.handle = notification.release();
  uint64_t declined_before = user::system_value(SystemInfo::kIpcFastPathDeclined);
  uint64_t taken_before = user::system_value(SystemInfo::kIpcFastPathTaken);
  ASSERT_OK(user::call(client.get(), request, &reply));
  ASSERT_TRUE(reply.has_handle);
  OwnedHandle returned(reply.handle);
  EXPECT_EQ(user::system_value(SystemInfo::kIpcFastPathTaken), taken_before);
  EXPECT_TRUE(user::system_value(SystemInfo::kIpcFastPathDeclined) >= declined_before + 2);

  uint64_t served = 0;
  EXPECT_OK(stop_echo_peer(peer, client.get(), &served));
  EXPECT_EQ(served, 3 * kCalls + 2);
}

// A handle travels with a call (moved out of the caller), the server uses
// it, and it comes back with the reply.
USER_TEST(ipc_call_moves_a_handle_there_and_back) {
  Peer peer;
  OwnedHandle client;
  ASSERT_OK(start_echo_peer(peer, &client));
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  OwnedHandle observer;
  ASSERT_OK(take(user::handle_duplicate(notification.get(), bm::abi::kRightRead), &observer));

  user::Message request;
  request.label = 0x4400;
  request.words = 1;
  request.word[0] = 0x40;  // the bit the echo server signals
  request.has_handle = true;
  request.handle = notification.get();
  user::Message reply;
  ASSERT_OK(user::call(client.get(), request, &reply));
  Handle sent = notification.release();
  uint64_t bits = 0;
  EXPECT_STATUS(take(user::notification_poll(sent), &bits), Status::kInvalidHandle);  // it moved
  EXPECT_OK(take(user::notification_poll(observer.get()), &bits));
  EXPECT_EQ(bits, 0x40);  // the peer signalled through the handle it received
  EXPECT_EQ(reply.word[0], 0x40 ^ peer::kEchoMask);
  ASSERT_TRUE(reply.has_handle);
  OwnedHandle returned(reply.handle);
  EXPECT_OK(user::notification_signal(returned.get(), 0x2));
  EXPECT_OK(take(user::notification_poll(observer.get()), &bits));
  EXPECT_EQ(bits, 0x2);

  uint64_t served = 0;
  EXPECT_OK(stop_echo_peer(peer, client.get(), &served));
}

namespace {
Handle badge_senders[3];
volatile Status badge_send_status[3];

void send_through_each_handle(uint64_t) {
  for (uint32_t i = 0; i < 3; ++i) {
    user::Message message;
    message.label = 0x4500 + i;
    badge_send_status[i] = user::send(badge_senders[i], message);
  }
}
}  // namespace

// Each handle's badge reaches the receiver; an unbadged handle delivers 0.
USER_TEST(ipc_receiver_sees_each_senders_badge) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  OwnedHandle first, second, plain;
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightWrite, 0x1111), &first));
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightWrite, 0x2222), &second));
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightWrite), &plain));
  badge_senders[0] = first.get();
  badge_senders[1] = second.get();
  badge_senders[2] = plain.get();
  HelperThread sender;
  ASSERT_OK(sender.start(send_through_each_handle, 0, kPeerPriority));
  const uint64_t expected[3] = {0x1111, 0x2222, 0};
  for (uint32_t i = 0; i < 3; ++i) {
    user::Message message;
    ASSERT_OK(user::receive(endpoint.get(), &message, ticks_for_ms(1000)));
    EXPECT_EQ(message.label, 0x4500 + i);
    EXPECT_EQ(message.badge, expected[i]);
  }
  EXPECT_TRUE(sender.join(ticks_for_ms(1000)));
  for (uint32_t i = 0; i < 3; ++i) EXPECT_STATUS(badge_send_status[i], Status::kOk);
}

USER_TEST(ipc_receive_times_out) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  constexpr uint64_t kTimeout = 20;
  user::Message message;
  uint64_t start = user::ticks();
  EXPECT_STATUS(user::receive(endpoint.get(), &message, kTimeout), Status::kTimedOut);
  uint64_t waited = user::ticks() - start;
  EXPECT_GE(waited, kTimeout);
  EXPECT_LE(waited, 3 * kTimeout);
}

USER_TEST(ipc_receive_dont_wait_would_block) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  user::Message message;
  uint64_t start = user::ticks();
  EXPECT_STATUS(user::receive(endpoint.get(), &message, bm::abi::kDontWait), Status::kWouldBlock);
  EXPECT_LE(user::ticks() - start, kTickSlack);
}

// Non-blocking send and call with nobody receiving fail at once and leave
// nothing queued.
USER_TEST(ipc_non_blocking_send_and_call_would_block) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  user::Message message;
  message.label = 0x4600;
  message.words = 1;
  message.word[0] = 99;
  EXPECT_STATUS(user::send(endpoint.get(), message, true), Status::kWouldBlock);
  EXPECT_STATUS(user::ipc_call(endpoint.get(), user::encode(message, true), {1, 0, 0, 0}),
                Status::kWouldBlock);
  user::Message queued;
  EXPECT_STATUS(user::receive(endpoint.get(), &queued, bm::abi::kDontWait), Status::kWouldBlock);
}

namespace {
Handle receiver_endpoint;
volatile Status receiver_status;
volatile uint32_t receiver_label;
volatile uint64_t receiver_word;
volatile uint64_t receiver_badge;
volatile uint64_t receiver_timeout;

void receive_once(uint64_t) {
  user::Message message;
  receiver_status = user::receive(receiver_endpoint, &message, receiver_timeout);
  receiver_label = message.label;
  receiver_word = message.word[0];
  receiver_badge = message.badge;
}
}  // namespace

// A non-blocking send succeeds when a receiver already waits.
USER_TEST(ipc_send_to_a_waiting_receiver) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  receiver_endpoint = endpoint.get();
  receiver_timeout = ticks_for_ms(1000);
  receiver_status = Status::kBusy;
  HelperThread receiver;
  ASSERT_OK(receiver.start(receive_once, 0, kPeerPriority));
  (void)user::sleep(5);  // the receiver runs and blocks in receive
  user::Message message;
  message.label = 0x4700;
  message.words = 1;
  message.word[0] = 0xabcdef;
  EXPECT_OK(user::send(endpoint.get(), message, true));
  EXPECT_TRUE(receiver.join(ticks_for_ms(1000)));
  EXPECT_STATUS(receiver_status, Status::kOk);
  EXPECT_EQ(receiver_label, 0x4700);
  EXPECT_EQ(receiver_word, 0xabcdef);
  EXPECT_EQ(receiver_badge, 0);
}

// A handle the sender may not pass on (no grant right) stops the message;
// the receiver keeps waiting and the sender keeps the handle.
USER_TEST(ipc_handle_without_grant_right_is_not_sent) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  receiver_endpoint = endpoint.get();
  receiver_timeout = 30;
  receiver_status = Status::kBusy;
  HelperThread receiver;
  ASSERT_OK(receiver.start(receive_once, 0, kPeerPriority));
  (void)user::sleep(5);
  OwnedHandle notification, no_grant;
  ASSERT_OK(take(user::notification_create(), &notification));
  ASSERT_OK(
      take(user::handle_duplicate(notification.get(), bm::abi::kRightRead | bm::abi::kRightWrite),
           &no_grant));
  user::Message message;
  message.label = 0x4800;
  message.has_handle = true;
  message.handle = no_grant.get();
  EXPECT_STATUS(user::send(endpoint.get(), message), Status::kNoRights);
  EXPECT_TRUE(receiver.join(ticks_for_ms(1000)));
  EXPECT_STATUS(receiver_status, Status::kTimedOut);
  EXPECT_OK(user::notification_signal(no_grant.get(), 1));  // still ours
}

namespace {
Handle reply_client;
volatile Status reply_call_status;
volatile uint64_t reply_call_word;
volatile Status reply_send_status;

void call_then_send(uint64_t) {
  user::Message request;
  request.label = 0x4900;
  request.words = 1;
  request.word[0] = 7;
  user::Message reply;
  reply_call_status = user::call(reply_client, request, &reply);
  reply_call_word = reply.word[0];
  user::Message after;
  after.label = 0x4901;
  reply_send_status = user::send(reply_client, after);
}

Status reply_recv_raw(Handle endpoint, uint64_t tag) {
  return user::ipc_reply_recv(endpoint, tag, {}).error();
}
}  // namespace

// The reply protocol: no reply without a caller, a receive while a call is
// unanswered is refused, a malformed reply changes nothing, and a caller is
// answered once only.
USER_TEST(ipc_reply_needs_exactly_one_caller) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  OwnedHandle client;
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightWrite), &client));
  uint64_t plain_tag = bm::abi::encode_tag({0x4980, 0, false, false});
  EXPECT_STATUS(reply_recv_raw(endpoint.get(), plain_tag), Status::kNoCaller);

  reply_client = client.get();
  reply_call_status = Status::kBusy;
  reply_send_status = Status::kBusy;
  HelperThread caller;
  ASSERT_OK(caller.start(call_then_send, 0, kPeerPriority));
  user::Message request;
  ASSERT_OK(user::receive(endpoint.get(), &request, ticks_for_ms(1000)));
  EXPECT_EQ(request.label, 0x4900);
  user::Message other;
  EXPECT_STATUS(user::receive(endpoint.get(), &other, bm::abi::kDontWait), Status::kBusy);
  EXPECT_STATUS(reply_recv_raw(endpoint.get(), plain_tag | bm::abi::kTagNonBlockingBit),
                Status::kInvalidArgument);
  // A reply that cannot be delivered (its handle lacks grant) fails; the
  // caller keeps waiting and the reply is still owed.
  OwnedHandle notification, no_grant;
  ASSERT_OK(take(user::notification_create(), &notification));
  ASSERT_OK(
      take(user::handle_duplicate(notification.get(), bm::abi::kRightRead | bm::abi::kRightWrite),
           &no_grant));
  user::Message bad_reply;
  bad_reply.label = 0x4980;
  bad_reply.has_handle = true;
  bad_reply.handle = no_grant.get();
  user::Message ignored;
  EXPECT_STATUS(user::reply_receive(endpoint.get(), bad_reply, &ignored), Status::kNoRights);
  EXPECT_STATUS(user::receive(endpoint.get(), &other, bm::abi::kDontWait), Status::kBusy);
  EXPECT_OK(user::notification_signal(no_grant.get(), 1));  // the handle stayed here

  user::Message reply;
  reply.label = 0x4980;
  reply.words = 1;
  reply.word[0] = 8;
  user::Message next;
  ASSERT_OK(user::reply_receive(endpoint.get(), reply, &next));  // answers, then gets the send
  EXPECT_EQ(next.label, 0x4901);
  EXPECT_STATUS(reply_recv_raw(endpoint.get(), plain_tag), Status::kNoCaller);  // answered once
  EXPECT_TRUE(caller.join(ticks_for_ms(1000)));
  EXPECT_STATUS(reply_call_status, Status::kOk);
  EXPECT_EQ(reply_call_word, 8);
  EXPECT_STATUS(reply_send_status, Status::kOk);
}

// Nobody can send any more: a receiver just waits (it never hears "peer
// gone"), here until its timeout.
USER_TEST(ipc_receiver_without_senders_keeps_waiting) {
  OwnedHandle endpoint, receive_only;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightRead), &receive_only));
  endpoint.reset();
  user::Message message;
  EXPECT_STATUS(user::receive(receive_only.get(), &message, 10), Status::kTimedOut);
}

// The caller's task ends while the server owes it a reply: the reply has
// nobody to go to, and the server may receive again.
USER_TEST(ipc_caller_gone_leaves_no_reply_owed) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.give(endpoint.get(), bm::abi::kRightWrite));
  ASSERT_OK(peer.send_command(peer::kCmdCall, 0x4d10));
  user::Message request;
  ASSERT_OK(user::receive(endpoint.get(), &request, ticks_for_ms(1000)));
  EXPECT_EQ(request.label, 0x4d10);
  EXPECT_EQ(request.badge, 0);
  ASSERT_OK(peer.kill());
  uint64_t tag = bm::abi::encode_tag({0x4d11, 0, false, false});
  EXPECT_STATUS(user::ipc_reply_recv(endpoint.get(), tag, {}), Status::kNoCaller);
  EXPECT_STATUS(user::receive(endpoint.get(), &request, bm::abi::kDontWait), Status::kWouldBlock);
}

// Nobody holds a receive handle: sending is futile.
USER_TEST(ipc_send_without_any_receive_handle_is_peer_gone) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  OwnedHandle client;
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightWrite), &client));
  endpoint.reset();
  user::Message message;
  message.label = 0x4a00;
  user::Message reply;
  EXPECT_STATUS(user::call(client.get(), message, &reply), Status::kPeerGone);
  EXPECT_STATUS(user::send(client.get(), message), Status::kPeerGone);
}

// The server exited before the call.
USER_TEST(ipc_call_to_an_exited_server_is_peer_gone) {
  Peer peer;
  OwnedHandle client;
  ASSERT_OK(start_echo_peer(peer, &client));
  uint64_t served = 0;
  ASSERT_OK(stop_echo_peer(peer, client.get(), &served));
  EXPECT_OK(peer.exit_and_wait());
  user::Message message;
  message.label = 0x4b00;
  user::Message reply;
  EXPECT_STATUS(user::call(client.get(), message, &reply), Status::kPeerGone);
}

// The call waits in the queue (the server never receives) when the server
// exits.
USER_TEST(ipc_call_queued_while_the_server_exits_is_peer_gone) {
  Peer peer;
  ASSERT_OK(peer.start());
  OwnedHandle service, client;
  ASSERT_OK(take(user::endpoint_create(), &service));
  ASSERT_OK(take(user::handle_duplicate(service.get(), bm::abi::kRightWrite), &client));
  constexpr uint64_t kServerLifetime = 30;
  // The peer takes the receive handle along, sleeps, exits.
  ASSERT_OK(peer.send_command(peer::kCmdExit, 0, kServerLifetime, service.get()));
  service.release();
  user::Message message;
  message.label = 0x4c00;
  user::Message reply;
  uint64_t start = user::ticks();
  EXPECT_STATUS(user::call(client.get(), message, &reply), Status::kPeerGone);
  EXPECT_GE(user::ticks() - start, kServerLifetime / 2);  // it did wait for the server
  EXPECT_STATUS(peer.wait_gone(), Status::kPeerGone);
}

// The server received the call and died before replying.
USER_TEST(ipc_server_dying_with_the_call_taken_is_peer_gone) {
  Peer peer;
  OwnedHandle client;
  ASSERT_OK(start_echo_peer(peer, &client));
  user::Message message;
  message.label = peer::kEchoDie;
  user::Message reply;
  EXPECT_STATUS(user::call(client.get(), message, &reply), Status::kPeerGone);
  EXPECT_STATUS(peer.wait_gone(), Status::kPeerGone);
}
