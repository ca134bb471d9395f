// Driving a peer: user::load_program with a badged bootstrap handle, the hello, and
// the command/report exchange of peer_protocol.h.
#include "test/user/peer_control.h"

#include "ipc/kernel_status.h"
#include "user/print.h"
#include "user/program_loader.h"
#include "user/syscalls.h"

namespace user_tests {

namespace {

constexpr char kPeerName[] = "user_test_peer";
// Badges tell the suite's peers apart; each peer gets a new one.
uint64_t next_badge = 0x1000;
// An unknown command: a live peer answers it with a report of ~0.
constexpr uint32_t kPing = 0x7fff;

void describe_unexpected(const char* expected, const user::Message& message) {
  if (message.label == bm::abi::kFaultLabel) {
    user::printf("  expected %s, got a fault report: vector %lu error %#lx rip %#lx cr2 %#lx\n",
                 expected, message.word[1] >> 32, message.word[1] & 0xffffffff, message.word[2],
                 message.word[3]);
  } else {
    user::printf("  expected %s, got label %#x words %u (w0 %#lx w1 %#lx)\n", expected,
                 message.label, message.words, message.word[0], message.word[1]);
  }
}

}  // namespace

// user::load_program reports a kernel refusal as the protocol status ipc/kernel_status.h maps
// it to, one to one; the suite's checks compare kernel statuses, so this maps back.
Status kernel_status_of(bm::ipc::ProtocolStatus status) {
#define BM_STATUS_MATCH(name, value, text) \
  if (bm::ipc::from_kernel(Status::name) == status) return Status::name;
  BM_STATUS_LIST(BM_STATUS_MATCH)
#undef BM_STATUS_MATCH
  return Status::kInvalidArgument;
}

Status Peer::start(uint32_t priority, uint64_t frame_limit, Handle image, uint64_t image_bytes) {
  if (task_ != 0) return Status::kBusy;
  const Environment& env = environment();
  if (image == 0) {
    image = env.peer_image;
    image_bytes = env.peer_image_bytes;
  }
  if (image == 0) {
    user::printf("  no peer image was granted (module user_test_peer)\n");
    return Status::kInvalidHandle;
  }
  badge_ = next_badge++;
  OwnedHandle bootstrap;
  Status status =
      take(user::handle_duplicate(env.control, bm::abi::kRightWrite | bm::abi::kRightGrant, badge_),
           &bootstrap);
  if (status != Status::kOk) return status;
  const char* reason = "";
  auto loaded = user::load_program({.image = image,
                                    .image_bytes = image_bytes,
                                    .name = kPeerName,
                                    .name_length = sizeof(kPeerName) - 1,
                                    .priority = priority,
                                    .bootstrap = bootstrap.get(),
                                    .frame_limit = frame_limit},
                                   &reason);
  if (!loaded.ok()) {
    user::printf("  the peer was not started: %s\n", reason);
    return kernel_status_of(loaded.error());
  }
  task_ = loaded->task.release();

  user::Message hello;
  status = next_message(&hello);
  if (status != Status::kOk) return status;
  if (hello.label != peer::kHello || hello.words != peer::kHelloWords || !hello.has_handle) {
    describe_unexpected("the peer's hello", hello);
    if (hello.has_handle) (void)user::handle_close(hello.handle);
    end();
    return Status::kInvalidArgument;
  }
  commands_ = hello.handle;
  info_.task_id = message_word(hello, peer::kHelloTask);
  info_.thread_id = message_word(hello, peer::kHelloThread);
  info_.bootstrap = message_word(hello, peer::kHelloBootstrap);
  info_.thread_entry = message_word(hello, peer::kHelloThreadEntry);
  info_.data_page = message_word(hello, peer::kHelloDataPage);
  for (uint32_t site = 0; site < peer::kSiteCount; ++site) {
    info_.sites[site] = message_word(hello, peer::kHelloSites + site);
  }
  return Status::kOk;
}

Status Peer::send_command(uint32_t label, uint64_t w0, uint64_t w1, Handle attach) {
  user::Message command;
  command.label = label;
  command.words = 2;
  command.word[0] = w0;
  command.word[1] = w1;
  command.has_handle = attach != 0;
  command.handle = attach;
  return user::send(commands_, command);
}

Status Peer::next_message(user::Message* out, uint64_t timeout_ms) {
  Status status = user::receive(environment().control, out, ticks_for_ms(timeout_ms));
  if (status != Status::kOk) return status;
  if (out->badge != badge_) {
    user::printf("  message from another sender on the control endpoint: badge %#lx label %#x\n",
                 out->badge, out->label);
    if (out->has_handle) (void)user::handle_close(out->handle);
    return Status::kInvalidArgument;
  }
  return Status::kOk;
}

Status Peer::request(uint32_t label, uint64_t w0, uint64_t w1, Handle attach, uint64_t* result) {
  Status status = send_command(label, w0, w1, attach);
  if (status != Status::kOk) return status;
  return await_report(label, result);
}

Status Peer::await_report(uint32_t label, uint64_t* result) {
  user::Message report;
  Status status = next_message(&report);
  if (status != Status::kOk) return status;
  if (report.label != peer::kReport || report.word[1] != label) {
    describe_unexpected("the peer's report", report);
    // A fault report is a call the suite would have to answer: ending the
    // peer answers it.
    if (report.label == bm::abi::kFaultLabel) end();
    return Status::kInvalidArgument;
  }
  if (result != nullptr) *result = report.word[0];
  return Status::kOk;
}

Status Peer::give(Handle object, uint32_t rights) {
  OwnedHandle copy;
  Status status = take(user::handle_duplicate(object, rights | bm::abi::kRightGrant), &copy);
  if (status != Status::kOk) return status;
  status = send_command(peer::kCmdTake, 0, 0, copy.get());
  if (status != Status::kOk) return status;  // still ours: the OwnedHandle closes it
  (void)copy.release();                      // it moved to the peer
  return await_report(peer::kCmdTake, nullptr);
}

Status Peer::exit_and_wait(uint64_t code) {
  Status status = send_command(peer::kCmdExit, code);
  if (status != Status::kOk) return status;
  status = wait_gone();
  return status == Status::kPeerGone ? Status::kOk : status;
}

Status Peer::wait_gone() {
  user::Message ping;
  ping.label = kPing;
  Status status = user::send(commands_, ping);
  if (status == Status::kOk) {
    user::printf("  the peer is still alive: it took a command\n");
    user::Message report;
    (void)next_message(&report);  // its answer to the ping
    return Status::kBusy;
  }
  return status;
}

Status Peer::kill() {
  Status status = user::task_kill(task_).error();
  (void)user::handle_close(task_);
  task_ = 0;
  return status;
}

void Peer::end() {
  if (task_ != 0) {
    (void)user::task_kill(task_);
    (void)user::handle_close(task_);
    task_ = 0;
  }
  if (commands_ != 0) {
    (void)user::handle_close(commands_);
    commands_ = 0;
  }
}

Status start_echo_peer(Peer& peer, OwnedHandle* client) {
  OwnedHandle service;
  Status status = take(user::endpoint_create(), &service);
  if (status != Status::kOk) return status;
  status = take(user::handle_duplicate(service.get(), bm::abi::kRightWrite), client);
  if (status != Status::kOk) return status;
  status = peer.start();
  if (status != Status::kOk) return status;
  status = peer.send_command(peer::kCmdServeEcho, 0, 0, service.get());
  if (status == Status::kOk) service.release();  // moved to the peer
  return status;
}

Status stop_echo_peer(Peer& peer, Handle client, uint64_t* served) {
  user::Message stop;
  stop.label = peer::kEchoStop;
  Status status = user::send(client, stop);
  if (status != Status::kOk) return status;
  user::Message report;
  status = peer.next_message(&report);
  if (status != Status::kOk) return status;
  if (report.label != peer::kReport || report.word[1] != peer::kCmdServeEcho) {
    describe_unexpected("the echo peer's report", report);
    return Status::kInvalidArgument;
  }
  *served = report.word[0];
  return Status::kOk;
}

bool expect_fault(TestContext& test_context, Peer& peer, FaultReport* report) {
  user::Message message;
  Status status = peer.next_message(&message);
  if (status != Status::kOk) {
    test_context.fail(__FILE__, __LINE__, "no fault report from the peer: %s", status_name(status));
    return false;
  }
  if (message.label != bm::abi::kFaultLabel || message.words != 4) {
    describe_unexpected("a fault report", message);
    test_context.fail(__FILE__, __LINE__, "message from the peer is not a fault report");
    return false;
  }
  *report = {message.word[0] >> 32, message.word[0] & 0xffffffff,
             message.word[1] >> 32, message.word[1] & 0xffffffff,
             message.word[2],       message.word[3]};
  EXPECT_EQ(report->task_id, peer.info().task_id);
  EXPECT_EQ(report->thread_id, peer.info().thread_id);
  return true;
}

bool expect_fault_at_site(TestContext& test_context, peer::Site site, uint64_t argument,
                          uint64_t expected_vector, FaultReport* report, uint64_t expected_rip) {
  Peer peer;
  Status status = peer.start();
  if (status != Status::kOk) {
    test_context.fail(__FILE__, __LINE__, "peer did not start: %s", status_name(status));
    return false;
  }
  status = peer.send_command(peer::kCmdRun, site, argument);
  if (status != Status::kOk) {
    test_context.fail(__FILE__, __LINE__, "command not taken: %s", status_name(status));
    return false;
  }
  if (!expect_fault(test_context, peer, report)) return false;
  EXPECT_EQ(report->vector, expected_vector);
  EXPECT_EQ(report->rip, expected_rip != 0 ? expected_rip : peer.site(site));
  // The faulting thread waits for our verdict, so the task is still alive.
  EXPECT_OK(peer.kill());
  return report->vector == expected_vector;
}

}  // namespace user_tests
