// Notifications: signal ORs bits in, poll and wait take them all, wait
// blocks until a signal (from another thread or task) or its timeout.
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;

Handle signal_target;
constexpr uint64_t kSignalDelay = 15;

void signal_later(uint64_t bits) {
  (void)user::sleep(kSignalDelay);
  (void)user::notification_signal(signal_target, bits);
}

}  // namespace

USER_TEST(notifications_signal_ors_bits_and_poll_takes_them) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  uint64_t bits = ~0ull;
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0);
  EXPECT_OK(user::notification_signal(notification.get(), 0x1));
  EXPECT_OK(user::notification_signal(notification.get(), 0x4));
  EXPECT_OK(user::notification_signal(notification.get(), 0x1));
  EXPECT_OK(user::notification_signal(notification.get(), 1ull << 63));
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0x5 | (1ull << 63));
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0);  // taken
}

USER_TEST(notifications_wait_returns_pending_bits_at_once) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  EXPECT_OK(user::notification_signal(notification.get(), 0x30));
  uint64_t bits = 0;
  uint64_t start = user::ticks();
  EXPECT_OK(take(user::notification_wait(notification.get(), bm::abi::kWaitForever), &bits));
  EXPECT_EQ(bits, 0x30);
  EXPECT_LE(user::ticks() - start, kTickSlack);
}

USER_TEST(notifications_wait_times_out) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  constexpr uint64_t kTimeout = 20;
  uint64_t bits = ~0ull;
  uint64_t start = user::ticks();
  EXPECT_STATUS(take(user::notification_wait(notification.get(), kTimeout), &bits),
                Status::kTimedOut);
  uint64_t waited = user::ticks() - start;
  EXPECT_GE(waited, kTimeout);
  EXPECT_LE(waited, 3 * kTimeout);
  // A signal after the timeout is kept for the next wait.
  EXPECT_OK(user::notification_signal(notification.get(), 0x2));
  EXPECT_OK(take(user::notification_wait(notification.get(), kTimeout), &bits));
  EXPECT_EQ(bits, 0x2);
}

USER_TEST(notifications_wait_dont_wait_would_block) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  uint64_t bits = ~0ull;
  EXPECT_STATUS(take(user::notification_wait(notification.get(), bm::abi::kDontWait), &bits),
                Status::kWouldBlock);
  EXPECT_EQ(bits, 0);
  EXPECT_OK(user::notification_signal(notification.get(), 0x4));
  EXPECT_OK(take(user::notification_wait(notification.get(), bm::abi::kDontWait), &bits));
  EXPECT_EQ(bits, 0x4);
}

USER_TEST(notifications_wait_blocks_until_another_thread_signals) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  signal_target = notification.get();
  HelperThread signaller;
  ASSERT_OK(signaller.start(signal_later, 0x80, kPeerPriority));
  uint64_t bits = 0;
  uint64_t start = user::ticks();
  EXPECT_OK(take(user::notification_wait(notification.get(), ticks_for_ms(1000)), &bits));
  uint64_t waited = user::ticks() - start;
  EXPECT_EQ(bits, 0x80);
  EXPECT_GE(waited, kSignalDelay);
  EXPECT_LE(waited, kSignalDelay + kTickSlack);
  EXPECT_TRUE(signaller.join(ticks_for_ms(1000)));
}

USER_TEST(notifications_signal_from_another_task) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.give(notification.get(), bm::abi::kRightWrite));
  uint64_t result = 0;
  ASSERT_OK(peer.request(peer::kCmdSignal, 0x800, 0, 0, &result));
  EXPECT_STATUS(static_cast<Status>(result), Status::kOk);
  uint64_t bits = 0;
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0x800);
}
