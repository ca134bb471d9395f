// I/O port delegation: a task reaches exactly the ports its io-port range
// handles name (the TSS I/O permission bitmap), nothing else, and each
// task's grants stay its own.
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;

// Runs `in` on `port` in a fresh peer and checks it faults with #GP (error
// code 0) at the site.
bool in_port_faults(TestContext& test_context, uint16_t port) {
  FaultReport report;
  if (!expect_fault_at_site(test_context, peer::kSiteInPort, port, kVectorGeneralProtection,
                            &report)) {
    return false;
  }
  return report.error_code == 0;
}

}  // namespace

// 256 ports spread over the whole space (0, 256, 512, ...), none granted to
// the peer: every access faults. One peer per port, killed after its
// fault report.
USER_TEST(ports_without_grant_fault_across_the_port_space) {
  constexpr uint32_t kStride = 256;
  uint64_t start = user::ticks();
  uint32_t wrong = 0;
  for (uint32_t port = 0; port < 65536; port += kStride) {
    if (!in_port_faults(test_context, static_cast<uint16_t>(port))) {
      if (++wrong <= 4) user::printf("  port %#x did not fault as expected\n", port);
    }
  }
  uint64_t ticks = user::ticks() - start;
  user::printf("  256 peers created, faulted and killed in %lu ticks (%lu ms)\n", ticks,
               ticks * 1000 / environment().timer_hz);
  EXPECT_EQ(wrong, 0);
}

// The ports the suite holds are open for the suite only.
USER_TEST(ports_of_one_task_are_closed_in_another) {
  const uint16_t ports[] = {kPostPort, kExitPort, kCom1Base, kCom1Base + 7};
  for (uint16_t port : ports) EXPECT_TRUE(in_port_faults(test_context, port));
}

// A one-port range opens that port and not its neighbours.
USER_TEST(ports_granted_range_opens_exactly_its_ports) {
  const Environment& env = environment();
  ASSERT_TRUE(env.post_port != 0);
  user::out8(kPostPort, 0x42);  // the suite's own grant: would fault (and end the suite) otherwise

  Peer peer;
  ASSERT_OK(peer.start());
  OwnedHandle range;
  ASSERT_OK(take(user::io_port_range_create(env.post_port, kPostPort, 1), &range));
  uint64_t result = 0;
  ASSERT_OK(peer.request(peer::kCmdTake, 0, 0, range.get(), &result));
  range.release();  // moved to the peer
  EXPECT_OK(peer.run(peer::kSiteOutPort, kPostPort | (0x43 << 16), &result));
  EXPECT_OK(peer.run(peer::kSiteInPort, kPostPort, &result));
  // One port above the range.
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteInPort, kPostPort + 1));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_EQ(report.vector, kVectorGeneralProtection);
  EXPECT_EQ(report.rip, peer.site(peer::kSiteInPort));
  EXPECT_OK(peer.kill());

  // One port below, in another peer holding the same grant.
  Peer below;
  ASSERT_OK(below.start());
  ASSERT_OK(take(user::io_port_range_create(env.post_port, kPostPort, 1), &range));
  ASSERT_OK(below.request(peer::kCmdTake, 0, 0, range.get(), &result));
  range.release();
  EXPECT_OK(below.run(peer::kSiteOutPort, kPostPort | (0x44 << 16), &result));
  ASSERT_OK(below.send_command(peer::kCmdRun, peer::kSiteOutPort, (kPostPort - 1) | (0x45 << 16)));
  ASSERT_TRUE(expect_fault(test_context, below, &report));
  EXPECT_EQ(report.vector, kVectorGeneralProtection);
  EXPECT_EQ(report.rip, below.site(peer::kSiteOutPort));
  EXPECT_OK(below.kill());

  user::out8(kPostPort, 0x46);  // giving sub-ranges away left the suite's own grant alone
}

// Closing the range handle closes its ports again.
USER_TEST(ports_closing_the_range_handle_revokes_access) {
  const Environment& env = environment();
  ASSERT_TRUE(env.post_port != 0);
  Peer peer;
  ASSERT_OK(peer.start());
  OwnedHandle range;
  ASSERT_OK(take(user::io_port_range_create(env.post_port, kPostPort, 1), &range));
  uint64_t result = 0;
  ASSERT_OK(peer.request(peer::kCmdTake, 0, 0, range.get(), &result));
  range.release();
  EXPECT_OK(peer.run(peer::kSiteOutPort, kPostPort | (0x47 << 16), &result));
  ASSERT_OK(peer.request(peer::kCmdClose, 0, 0, 0, &result));  // the range it received
  EXPECT_STATUS(static_cast<Status>(result), Status::kOk);
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteOutPort, kPostPort | (0x48 << 16)));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_EQ(report.vector, kVectorGeneralProtection);
  EXPECT_EQ(report.rip, peer.site(peer::kSiteOutPort));
}

USER_TEST(ports_sub_range_must_lie_inside_its_parent) {
  const Environment& env = environment();
  ASSERT_TRUE(env.post_port != 0 && env.com1_ports != 0);
  Handle handle = 0;
  EXPECT_STATUS(take(user::io_port_range_create(env.post_port, kPostPort + 1, 1), &handle),
                Status::kInvalidArgument);
  EXPECT_STATUS(take(user::io_port_range_create(env.post_port, kPostPort - 1, 1), &handle),
                Status::kInvalidArgument);
  EXPECT_STATUS(take(user::io_port_range_create(env.post_port, kPostPort, 2), &handle),
                Status::kInvalidArgument);
  EXPECT_STATUS(take(user::io_port_range_create(env.post_port, kPostPort, 0), &handle),
                Status::kInvalidArgument);
  EXPECT_STATUS(take(user::io_port_range_create(env.com1_ports, kCom1Base + 4, ~0ull - 2), &handle),
                Status::kInvalidArgument);  // first + count wraps
  OwnedHandle middle;
  EXPECT_OK(take(user::io_port_range_create(env.com1_ports, kCom1Base + 2, 3), &middle));
  // Creating sub-ranges needs the manage right on the parent.
  OwnedHandle unmanaged;
  ASSERT_OK(take(user::handle_duplicate(env.post_port, bm::abi::kRightGrant), &unmanaged));
  EXPECT_STATUS(take(user::io_port_range_create(unmanaged.get(), kPostPort, 1), &handle),
                Status::kNoRights);
}
