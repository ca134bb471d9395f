// Ring-3 faults become fault reports to the supervisor (the suite, for its
// peers) with the right vector, error code, RIP and CR2; the supervisor's
// reply resumes or ends the faulting task, and the suite itself runs on.
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/ipc.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using peer::Site;

constexpr uint64_t kKernelAddress = 0xffffffff80100000;

// Answering a fault needs ipc_reply_recv, which then blocks in receive. When
// nothing else is due (the reply killed the peer), this thread sends a
// message on the control endpoint after a while so the suite wakes up.
constexpr uint32_t kWatchdogLabel = 0x7e00;
constexpr uint64_t kWatchdogBadge = 0xd09;
Handle watchdog_handle;
volatile bool watchdog_cancelled;

void watchdog(uint64_t ticks) {
  for (uint64_t waited = 0; waited < ticks && !watchdog_cancelled; ++waited) (void)user::sleep(1);
  if (watchdog_cancelled) return;
  user::Message alarm;
  alarm.label = kWatchdogLabel;
  (void)user::send(watchdog_handle, alarm);
}

// Replies `label` to the fault report the suite holds and returns the next
// message on the control endpoint, or the watchdog's after `ticks`.
Status answer_fault(uint32_t label, uint64_t ticks, user::Message* next) {
  OwnedHandle alarm_handle;
  Status status =
      take(user::handle_duplicate(environment().control, bm::abi::kRightWrite, kWatchdogBadge),
           &alarm_handle);
  if (status != Status::kOk) return status;
  watchdog_handle = alarm_handle.get();
  watchdog_cancelled = false;
  HelperThread alarm;
  status = alarm.start(watchdog, ticks, kPeerPriority);
  if (status != Status::kOk) return status;
  user::Message reply;
  reply.label = label;
  status = user::reply_receive(environment().control, reply, next);
  watchdog_cancelled = true;
  alarm.join(ticks_for_ms(1000));
  return status;
}

void expect_general_protection(TestContext& test_context, Site site, uint64_t error_code) {
  FaultReport report;
  if (!expect_fault_at_site(test_context, site, 0, kVectorGeneralProtection, &report)) return;
  EXPECT_EQ(report.error_code, error_code);
  EXPECT_EQ(report.cr2, 0);
}

}  // namespace

USER_TEST(faults_in_port_0x60_without_grant_is_gp_at_its_rip) {
  expect_general_protection(test_context, peer::kSiteInPort0x60, 0);
}

USER_TEST(faults_write_to_kernel_address_is_page_fault) {
  FaultReport report;
  if (!expect_fault_at_site(test_context, peer::kSiteStore, kKernelAddress, kVectorPageFault,
                            &report)) {
    return;
  }
  EXPECT_EQ(report.cr2, kKernelAddress);
  // A user-mode write to a present supervisor page.
  EXPECT_EQ(report.error_code & (kPageFaultWrite | kPageFaultUser | kPageFaultPresent),
            kPageFaultWrite | kPageFaultUser | kPageFaultPresent);
}

USER_TEST(faults_write_to_null_is_page_fault) {
  FaultReport report;
  if (!expect_fault_at_site(test_context, peer::kSiteStore, 0, kVectorPageFault, &report)) return;
  EXPECT_EQ(report.cr2, 0);
  EXPECT_EQ(report.error_code & (kPageFaultWrite | kPageFaultUser | kPageFaultPresent),
            kPageFaultWrite | kPageFaultUser);
}

USER_TEST(faults_invalid_opcode) {
  FaultReport report;
  expect_fault_at_site(test_context, peer::kSiteUd2, 0, kVectorInvalidOpcode, &report);
}

USER_TEST(faults_divide_by_zero) {
  FaultReport report;
  expect_fault_at_site(test_context, peer::kSiteDivide, 0, kVectorDivide, &report);
}

USER_TEST(faults_privileged_instructions_are_gp) {
  expect_general_protection(test_context, peer::kSiteHlt, 0);
  expect_general_protection(test_context, peer::kSiteCli, 0);
}

// Only int3 is callable from ring 3; int $0x20 (the timer's vector) must
// not reach the kernel's IRQ path. The error code names the IDT entry (bit
// 1 set): the SDM (vol. 3A §6.13) puts the vector at bit 3, QEMU's TCG at
// bit 4 (intno * 16 + 2, the descriptor's byte offset in long mode).
USER_TEST(faults_int_to_a_kernel_vector_is_gp) {
  FaultReport report;
  if (!expect_fault_at_site(test_context, peer::kSiteInt0x20, 0, kVectorGeneralProtection,
                            &report)) {
    return;
  }
  constexpr uint64_t kVector = 0x20;
  constexpr uint64_t kIdtBit = 2;
  EXPECT_TRUE(report.error_code == ((kVector << 3) | kIdtBit) ||
              report.error_code == ((kVector << 4) | kIdtBit));
}

// int3 is a trap the kernel logs; the peer continues after it.
USER_TEST(faults_int3_is_not_fatal) {
  Peer peer;
  ASSERT_OK(peer.start());
  uint64_t result = 0;
  EXPECT_OK(peer.run(peer::kSiteInt3, 0, &result));
  EXPECT_EQ(result, 1);
  EXPECT_OK(peer.run(peer::kSiteInt3, 0, &result));  // and again
}

// Data pages are mapped without execute permission (NX).
USER_TEST(faults_executing_data_is_page_fault) {
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteJump, 0));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_EQ(report.vector, kVectorPageFault);
  EXPECT_EQ(report.rip, peer.info().data_page);
  EXPECT_EQ(report.cr2, peer.info().data_page);
  EXPECT_EQ(report.error_code & (kPageFaultFetch | kPageFaultUser | kPageFaultPresent),
            kPageFaultFetch | kPageFaultUser | kPageFaultPresent);
}

// The supervisor maps the missing page into the peer and resumes it: the
// load runs again and succeeds.
USER_TEST(faults_resume_after_the_supervisor_maps_the_page) {
  constexpr uint64_t kPeerAddress = 0x50000000;
  constexpr uint64_t kOwnAddress = 0x22000000;
  constexpr uint64_t kValue = 0x1234abcd5678ef00;
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  ASSERT_OK(user::memory_map(bm::abi::kOwnAddressSpace, memory.get(), kOwnAddress,
                             bm::abi::kMapWritable));
  *reinterpret_cast<volatile uint64_t*>(kOwnAddress) = kValue;
  ASSERT_OK(user::memory_unmap(bm::abi::kOwnAddressSpace, kOwnAddress));

  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteLoad, kPeerAddress));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_EQ(report.vector, kVectorPageFault);
  EXPECT_EQ(report.rip, peer.site(peer::kSiteLoad));
  EXPECT_EQ(report.cr2, kPeerAddress);
  EXPECT_EQ(report.error_code & (kPageFaultWrite | kPageFaultUser | kPageFaultPresent),
            kPageFaultUser);

  ASSERT_OK(user::memory_map(peer.task(), memory.get(), kPeerAddress, 0));
  user::Message next;
  ASSERT_OK(answer_fault(bm::abi::kFaultReplyResume, ticks_for_ms(kPeerTimeoutMs), &next));
  EXPECT_EQ(next.badge, peer.badge());
  EXPECT_EQ(next.label, peer::kReport);
  EXPECT_EQ(next.word[0], kValue);
  EXPECT_EQ(next.word[1], peer::kCmdRun);
}

// Resuming without fixing anything: the same instruction faults again.
USER_TEST(faults_resume_without_a_fix_faults_again) {
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteUd2, 0));
  FaultReport first;
  ASSERT_TRUE(expect_fault(test_context, peer, &first));
  user::Message next;
  ASSERT_OK(answer_fault(bm::abi::kFaultReplyResume, ticks_for_ms(kPeerTimeoutMs), &next));
  EXPECT_EQ(next.badge, peer.badge());
  EXPECT_EQ(next.label, bm::abi::kFaultLabel);
  EXPECT_EQ(next.word[1] >> 32, kVectorInvalidOpcode);
  EXPECT_EQ(next.word[2], first.rip);
  // The suite now holds the second report; killing the peer answers it.
  EXPECT_OK(peer.kill());
}

// Killing the faulting task instead of replying (what init does) also
// settles the report: no reply is owed any more.
USER_TEST(faults_kill_instead_of_reply_leaves_no_reply_owed) {
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteUd2, 0));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_OK(peer.kill());
  uint64_t tag = bm::abi::encode_tag({bm::abi::kFaultReplyKill, 0, false, false});
  EXPECT_STATUS(user::ipc_reply_recv(environment().control, tag, {}), Status::kNoCaller);
  user::Message message;
  EXPECT_STATUS(user::receive(environment().control, &message, bm::abi::kDontWait),
                Status::kWouldBlock);
}

namespace {
void expect_reply_kills(TestContext& test_context, uint32_t label) {
  Peer peer;
  ASSERT_OK(peer.start());
  uint64_t tasks = user::task_count();
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteUd2, 0));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  user::Message next;
  ASSERT_OK(answer_fault(label, 20, &next));
  EXPECT_EQ(next.badge, kWatchdogBadge);  // nothing came from the peer
  EXPECT_EQ(next.label, kWatchdogLabel);
  EXPECT_STATUS(peer.wait_gone(), Status::kPeerGone);
  EXPECT_STATUS(user::task_kill(peer.task()), Status::kPeerGone);
  EXPECT_EQ(user::task_count(), tasks - 1);
}
}  // namespace

USER_TEST(faults_reply_kill_ends_the_task) {
  expect_reply_kills(test_context, bm::abi::kFaultReplyKill);
}

USER_TEST(faults_reply_with_another_label_ends_the_task) {
  expect_reply_kills(test_context, 0x1234);
}
