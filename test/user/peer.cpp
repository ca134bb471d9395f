// user-test-peer: the helper program the user test suite starts in its own
// address space. It obeys the command protocol of peer_protocol.h: echo
// server, spinner, faulter, exiter, frame user.
#include "lib/core/page_size.h"
#include "test/user/peer_protocol.h"
#include "test/user/take.h"
#include "user/ipc.h"
#include "user/syscalls.h"

extern "C" {
uint64_t peer_in_port_0x60();
uint64_t peer_in_port(uint64_t port);
uint64_t peer_out_port(uint64_t port_and_value);
uint64_t peer_load(uint64_t address);
uint64_t peer_store(uint64_t address, uint64_t value);
uint64_t peer_ud2();
uint64_t peer_divide();
uint64_t peer_hlt();
uint64_t peer_cli();
uint64_t peer_int_0x20();
uint64_t peer_int3();
uint64_t peer_jump(uint64_t target);
uint64_t peer_sgdt(void* descriptor);
extern const char peer_in_port_0x60_site[], peer_in_port_site[], peer_out_port_site[],
    peer_load_site[], peer_store_site[], peer_ud2_site[], peer_divide_site[], peer_hlt_site[],
    peer_cli_site[], peer_int_0x20_site[], peer_int3_site[], peer_jump_site[],
    peer_sgdt_site[];
}

namespace {

using bm::abi::Handle;
using bm::abi::Status;
using namespace user_tests::peer;
using user_tests::take;

constexpr uint64_t kPage = bm::kPageSize;
constexpr uint8_t kUd2Bytes[2] = {0x0f, 0x0b};

// Jumped to by kSiteJump: data, so mapped without execute permission. It is
// filled with ud2 so that a kernel without NX shows up as #UD, not chaos.
alignas(4096) uint8_t data_page[kPage];

Handle control;   // write handle to the suite's control endpoint (bootstrap)
Handle commands;  // our command endpoint (read, write, grant)
Handle last_received;

uint64_t site_address(Site site) {
  const char* const sites[kSiteCount] = {
      peer_in_port_0x60_site, peer_in_port_site,  peer_out_port_site, peer_load_site,
      peer_store_site,        peer_ud2_site,      peer_divide_site,   peer_hlt_site,
      peer_cli_site,          peer_int_0x20_site, peer_int3_site,     peer_jump_site,
      peer_sgdt_site};
  return reinterpret_cast<uint64_t>(sites[site]);
}

uint64_t run_site(uint64_t site, uint64_t argument) {
  switch (static_cast<Site>(site)) {
    case kSiteInPort0x60:
      return peer_in_port_0x60();
    case kSiteInPort:
      return peer_in_port(argument);
    case kSiteOutPort:
      return peer_out_port(argument);
    case kSiteLoad:
      return peer_load(argument);
    case kSiteStore:
      return peer_store(argument, kStoreValue);
    case kSiteUd2:
      return peer_ud2();
    case kSiteDivide:
      return peer_divide();
    case kSiteHlt:
      return peer_hlt();
    case kSiteCli:
      return peer_cli();
    case kSiteInt0x20:
      return peer_int_0x20();
    case kSiteInt3:
      return peer_int3();
    case kSiteJump:
      return peer_jump(argument != 0 ? argument : reinterpret_cast<uint64_t>(data_page));
    case kSiteSgdt: {
      uint8_t descriptor[10];
      return peer_sgdt(descriptor);
    }
    case kSiteCount:
      break;
  }
  return ~0ull;
}

// Serves `endpoint` until kEchoStop; returns the calls answered.
uint64_t serve_echo(Handle endpoint) {
  uint64_t served = 0;
  user::Message message;
  Status status = user::receive(endpoint, &message);
  while (status == Status::kOk) {
    if (message.label == kEchoStop) break;
    if (message.label == kEchoDie) user::task_exit(7);
    user::Message reply = message;
    for (uint32_t i = 0; i < message.words; ++i) {
      user::set_message_word(&reply, i, user::message_word(message, i) ^ kEchoMask);
    }
    if (message.has_handle && message.words > 0) {
      (void)user::notification_signal(message.handle, message.word[0]);
    }
    ++served;
    status = user::reply_receive(endpoint, reply, &message);
  }
  return served;
}

uint64_t spin(Handle notification) {
  volatile uint64_t count = 0;
  for (;;) {
    count = count + 1;
    if (notification != 0 && count % 256 == 0) {
      uint64_t bits = 0;
      if (take(user::notification_poll(notification), &bits) != Status::kOk || bits != 0) break;
    }
  }
  return count;
}

uint64_t map_frames(uint64_t pages, uint64_t address) {
  Handle memory = 0;
  Status status = take(user::memory_create(pages), &memory);
  if (status != Status::kOk) return static_cast<uint64_t>(status);
  status =
      user::memory_map(bm::abi::kOwnAddressSpace, memory, address, bm::abi::kMapWritable).error();
  if (status != Status::kOk) return static_cast<uint64_t>(status);
  for (uint64_t page = 0; page < pages; ++page) {
    *reinterpret_cast<volatile uint64_t*>(address + page * kPage) = page + 1;
  }
  return static_cast<uint64_t>(Status::kOk);  // the handle and the mapping stay
}

// Runs one command and returns what the report carries (exit commands do
// not return).
uint64_t execute(const user::Message& command) {
  switch (command.label) {
    case kCmdExit:
      if (command.word[1] != 0) (void)user::sleep(command.word[1]);
      user::task_exit(static_cast<int64_t>(command.word[0]));
    case kCmdThreadExit:
      user::thread_exit();
    case kCmdRun:
      return run_site(command.word[0], command.word[1]);
    case kCmdServeEcho:
      return serve_echo(last_received);
    case kCmdSpin:
      return spin(command.has_handle ? command.handle : 0);
    case kCmdClose:
      return static_cast<uint64_t>(user::handle_close(command.word[0] != 0
                                                          ? static_cast<Handle>(command.word[0])
                                                          : last_received)
                                       .error());
    case kCmdMapFrames:
      return map_frames(command.word[0], command.word[1]);
    case kCmdUnmap:
      return static_cast<uint64_t>(
          user::memory_unmap(bm::abi::kOwnAddressSpace, command.word[0]).error());
    case kCmdDuplicateBootstrap: {
      Handle copy = 0;
      return static_cast<uint64_t>(
          take(user::handle_duplicate(control, bm::abi::kRightWrite), &copy));
    }
    case kCmdSignal:
      return static_cast<uint64_t>(
          user::notification_signal(last_received, command.word[0]).error());
    case kCmdTake:
      return command.has_handle ? command.handle : 0;
    case kCmdCall: {
      user::Message request;
      request.label = static_cast<uint32_t>(command.word[0]);
      user::Message reply;
      return static_cast<uint64_t>(user::call(last_received, request, &reply));
    }
    case kCmdKeepCall: {
      user::Message call;
      Status received = user::receive(last_received, &call);
      if (received != Status::kOk) return static_cast<uint64_t>(received);
      Handle kept = 0;  // stays open until the peer ends
      Status made = take(user::reply_create(), &kept);
      if (made != Status::kOk) return static_cast<uint64_t>(made);
      return static_cast<uint64_t>(user::reply_take(kept).error());
    }
    case kCmdWait: {
      uint64_t bits = 0;
      (void)take(user::notification_wait(last_received, bm::abi::kWaitForever), &bits);
      return bits;
    }
    default:
      return ~0ull;
  }
}

}  // namespace

// Entry of threads the suite starts in this task (thread_create with our task
// handle): reports on the bootstrap handle it gets as argument, then ends.
extern "C" [[noreturn]] void peer_thread_main(uint64_t bootstrap) {
  user::Message report;
  report.label = kThreadReport;
  report.words = 1;
  report.word[0] = user::system_value(bm::abi::SystemInfo::kCurrentThread);
  (void)user::send(static_cast<Handle>(bootstrap), report);
  user::thread_exit();
}

int main(uint64_t bootstrap) {
  control = static_cast<Handle>(bootstrap);
  for (uint64_t i = 0; i < kPage; ++i) data_page[i] = kUd2Bytes[i % 2];
  if (take(user::endpoint_create(), &commands) != Status::kOk) return 1;
  Handle for_suite = 0;
  if (take(user::handle_duplicate(commands, bm::abi::kRightWrite | bm::abi::kRightGrant),
           &for_suite) != Status::kOk) {
    return 2;
  }

  user::Message hello;
  hello.label = kHello;
  hello.words = kHelloWords;
  hello.has_handle = true;
  hello.handle = for_suite;
  uint64_t words[kHelloWords];
  words[kHelloTask] = user::system_value(bm::abi::SystemInfo::kCurrentTask);
  words[kHelloThread] = user::system_value(bm::abi::SystemInfo::kCurrentThread);
  words[kHelloBootstrap] = bootstrap;
  words[kHelloThreadEntry] = reinterpret_cast<uint64_t>(&peer_thread_main);
  words[kHelloDataPage] = reinterpret_cast<uint64_t>(data_page);
  for (uint32_t site = 0; site < kSiteCount; ++site) {
    words[kHelloSites + site] = site_address(static_cast<Site>(site));
  }
  for (uint32_t i = 0; i < kHelloWords; ++i) user::set_message_word(&hello, i, words[i]);
  if (user::send(control, hello) != Status::kOk) return 3;

  for (;;) {
    user::Message command;
    if (user::receive(commands, &command) != Status::kOk) return 4;
    if (command.has_handle) last_received = command.handle;
    user::Message report;
    report.label = kReport;
    report.words = 2;
    report.word[0] = execute(command);
    report.word[1] = command.label;
    if (user::send(control, report) != Status::kOk) return 5;
  }
}
