// The suite's side of a peer (peer_protocol.h): start it, send it commands,
// wait for its reports and fault reports, end it. A Peer kills its task when
// it goes out of scope, so a failed check never leaves a peer behind.
#pragma once

#include <stdint.h>

#include "test/user/peer_protocol.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/ipc.h"

namespace user_tests {

// Longest wait for a peer's message; a correct peer answers in a few ticks.
constexpr uint64_t kPeerTimeoutMs = 2000;

// What the peer told the suite in its hello.
struct PeerInfo {
  uint64_t task_id = 0;
  uint64_t thread_id = 0;
  uint64_t bootstrap = 0;
  uint64_t thread_entry = 0;
  uint64_t data_page = 0;
  uint64_t sites[peer::kSiteCount] = {};
};

// A fault report (words of bm::abi::kFaultLabel), decoded.
struct FaultReport {
  uint64_t task_id;
  uint64_t thread_id;
  uint64_t vector;
  uint64_t error_code;
  uint64_t rip;
  uint64_t cr2;
};

constexpr uint64_t kVectorDivide = 0;
constexpr uint64_t kVectorInvalidOpcode = 6;
constexpr uint64_t kVectorGeneralProtection = 13;
constexpr uint64_t kVectorPageFault = 14;
// Page-fault error code bits (Intel SDM vol. 3A §4.7).
constexpr uint64_t kPageFaultPresent = 1u << 0;
constexpr uint64_t kPageFaultWrite = 1u << 1;
constexpr uint64_t kPageFaultUser = 1u << 2;
constexpr uint64_t kPageFaultFetch = 1u << 4;

class Peer {
 public:
  Peer() = default;
  ~Peer() { end(); }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  // Loads the peer (user::load_program) at `priority` and waits for its
  // hello. frame_limit: its frame quota, 0 = the suite's own limit.
  // image: a memory object holding the peer's ELF (image_bytes long), 0 =
  // the boot module granted to the suite. A loader refusal comes back as the
  // kernel status it maps from (kBadImage for a refused file).
  Status start(uint32_t priority = kPeerPriority, uint64_t frame_limit = 0, Handle image = 0,
               uint64_t image_bytes = 0);
  // Sends a command (blocks until the peer takes it; kPeerGone once it is
  // gone). `attach`, if not 0, moves with it.
  Status send_command(uint32_t label, uint64_t w0 = 0, uint64_t w1 = 0, Handle attach = 0);
  // The peer's next message on the control endpoint: a report, a thread
  // report or a fault report. Messages with another badge are a failure.
  Status next_message(user::Message* out, uint64_t timeout_ms = kPeerTimeoutMs);
  // A command and its report; *result gets the report's word 0.
  Status request(uint32_t label, uint64_t w0, uint64_t w1, Handle attach, uint64_t* result);
  Status run(peer::Site site, uint64_t argument, uint64_t* result) {
    return request(peer::kCmdRun, site, argument, 0, result);
  }
  // Gives the peer a duplicate of `object` with `rights` (kCmdTake): the
  // usual set-up for a test whose other side is the peer.
  Status give(Handle object, uint32_t rights);
  // Tells the peer to exit with `code` and waits until it is gone.
  Status exit_and_wait(uint64_t code = 0);
  // Waits until the peer task is gone: a send to its command endpoint fails
  // with kPeerGone once nobody can receive there. Only for peers that were
  // told to exit (a live peer would take the send as a command: kOk).
  Status wait_gone();
  // task_kill, then closes the task handle.
  Status kill();
  // Kills it if still running and closes every handle (the destructor).
  void end();

  bool started() const { return task_ != 0; }
  Handle task() const { return task_; }
  Handle commands() const { return commands_; }
  uint64_t badge() const { return badge_; }
  const PeerInfo& info() const { return info_; }
  uint64_t site(peer::Site site) const { return info_.sites[site]; }

 private:
  // The peer's report on command `label`; *result gets its word 0.
  Status await_report(uint32_t label, uint64_t* result);

  Handle task_ = 0;
  Handle commands_ = 0;  // write: the peer's command endpoint
  uint64_t badge_ = 0;
  PeerInfo info_;
};

// Starts `peer` and makes it an echo server (kCmdServeEcho) on a new
// endpoint whose only receive handle moves to the peer; *client gets a
// write handle to it.
Status start_echo_peer(Peer& peer, OwnedHandle* client);
// Ends the echo service with kEchoStop and waits for the peer's report;
// *served = the calls it answered.
Status stop_echo_peer(Peer& peer, Handle client, uint64_t* served);

// Runs `site` in a fresh peer and waits for the fault it must cause;
// checks the report's task, thread, vector and RIP (expected_rip 0 = the
// site's own address), then kills the peer. False (with the reason
// recorded) when no such fault came.
bool expect_fault_at_site(TestContext& test_context, peer::Site site, uint64_t argument,
                          uint64_t expected_vector, FaultReport* report, uint64_t expected_rip = 0);
// Waits for `peer`'s next message and checks it is a fault report of its
// main thread; does not end the peer.
bool expect_fault(TestContext& test_context, Peer& peer, FaultReport* report);

}  // namespace user_tests
