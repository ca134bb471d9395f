// init's real supervisor dispatch (servers/init/supervisor.cpp) driven with encoded
// supervisor messages, as its loop receives them: the control right, every label, the
// list reply built from the manifest, and the malformed requests it refuses.
#include <gtest/gtest.h>

#include <cstdarg>
#include <cstring>
#include <string>
#include <vector>

#include "ipc/supervisor.h"
#include "servers/init/supervisor.h"
#include "test/host/protocols/wire_test_support.h"

namespace init {
namespace {

using bm::abi::Handle;
using bm::abi::PowerAction;
using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;
using bm::ipc::testing::encoded;
using bm::ipc::testing::make_message;
using bm::ipc::testing::poisoned;

constexpr uint64_t kInitTaskId = 1;

// What the dispatch asked of init, recorded by the context's callbacks.
struct Record {
  std::vector<std::string> killed;
  std::vector<std::string> stopped;
  std::vector<std::string> restarted;
  std::vector<Handle> closed;
  std::vector<PowerAction> power;
  std::string log;
  bool restart_fails = false;
} record;

void kill_server(ServerState& server, const char*) {
  record.killed.push_back(server.entry->module);
}
void stop_server(ServerState& server) { record.stopped.push_back(server.entry->module); }
bool restart_server(ServerState& server) {
  record.restarted.push_back(server.entry->module);
  return !record.restart_fails;
}
void close_handle(Handle handle) { record.closed.push_back(handle); }
bm::abi::Status power(PowerAction action) {
  record.power.push_back(action);
  return bm::abi::Status::kInvalidArgument;  // as the kernel answers an unknown action
}
size_t log(const char* format, ...) {
  char line[256];
  va_list arguments;
  va_start(arguments, format);
  int length = std::vsnprintf(line, sizeof(line), format, arguments);
  va_end(arguments);
  record.log += line;
  return length < 0 ? 0 : static_cast<size_t>(length);
}

class SupervisorService : public ::testing::Test {
 protected:
  SupervisorService() {
    record = Record{};
    std::strcpy(entries_[0].module, "shell");
    entries_[0].priority = 10;
    entries_[0].control = true;
    std::strcpy(entries_[1].module, "keyboard");
    entries_[1].priority = 20;
    entries_[1].restart = true;
    entries_[1].ports[0] = {0x60, 1};
    entries_[1].ports[1] = {0x64, 1};
    entries_[1].port_count = 2;
    entries_[1].irqs[0] = 1;
    entries_[1].irq_count = 1;
    std::strcpy(entries_[2].module, "vga");
    entries_[2].vga_memory = true;
    std::strcpy(entries_[2].modules[0], "font");
    entries_[2].module_count = 1;
    boot_.module_count = 1;
    std::strcpy(boot_.modules[0].name, "font");
    boot_.modules[0].size = 4096;
    for (size_t i = 0; i < 3; ++i) servers_[i].entry = &entries_[i];
    servers_[0].running = true;
    servers_[0].task_id = 5;
    servers_[1].running = true;
    servers_[1].task_id = 6;
  }

  SupervisorContext context() {
    return {servers_,     3,     &boot_, kInitTaskId, kill_server, stop_server, restart_server,
            close_handle, power, log};
  }

  // A request from server `caller` (null: an unknown badge); the encoded reply.
  WireMessage serve(const WireMessage& request, const ServerState* caller) {
    WireMessage reply = poisoned();
    reply.has_handle = true;  // stale: the dispatch must clear it
    on_supervisor_request(context(), request, caller, &reply);
    EXPECT_EQ(reply.label, request.label);
    EXPECT_FALSE(reply.has_handle);
    return reply;
  }
  WireMessage serve(const WireMessage& request) { return serve(request, &servers_[0]); }

  static ProtocolStatus status_of(const WireMessage& reply) {
    EXPECT_EQ(reply.words, 1u);
    return static_cast<ProtocolStatus>(reply.word[0]);
  }

  bm::manifest::Server entries_[3] = {};
  ServerState servers_[3];
  bm::abi::InitBootInfo boot_{};
};

TEST_F(SupervisorService, ListServersDescribesEachManifestLine) {
  bm::ipc::ListServersReply reply;
  ASSERT_EQ(bm::ipc::decode(serve(encoded(bm::ipc::ListServersRequest{1})), &reply),
            ProtocolStatus::kOk);
  EXPECT_EQ(reply.status, ProtocolStatus::kOk);
  EXPECT_STREQ(reply.entry.module, "keyboard");
  EXPECT_EQ(reply.entry.task_id, 6u);
  EXPECT_EQ(reply.entry.flags, bm::ipc::kServerRunning | bm::ipc::kServerRestart);
  EXPECT_EQ(reply.entry.priority, 20);
  ASSERT_EQ(reply.entry.grant_count, 3u);
  EXPECT_EQ(reply.entry.grants[0].kind, bm::ipc::GrantKind::kIoPorts);
  EXPECT_EQ(reply.entry.grants[1].detail, 0x64u);
  EXPECT_EQ(reply.entry.grants[2].kind, bm::ipc::GrantKind::kIrq);

  ASSERT_EQ(bm::ipc::decode(serve(encoded(bm::ipc::ListServersRequest{2})), &reply),
            ProtocolStatus::kOk);
  EXPECT_STREQ(reply.entry.module, "vga");
  EXPECT_EQ(reply.entry.task_id, 0u);  // not running
  EXPECT_EQ(reply.entry.flags, 0u);
  ASSERT_EQ(reply.entry.grant_count, 2u);
  EXPECT_EQ(reply.entry.grants[0].kind, bm::ipc::GrantKind::kDeviceMemory);
  EXPECT_EQ(reply.entry.grants[1].kind, bm::ipc::GrantKind::kModule);
  EXPECT_EQ(reply.entry.grants[1].detail, 4096u);

  EXPECT_EQ(status_of(serve(encoded(bm::ipc::ListServersRequest{3}))), ProtocolStatus::kBadValue);
}

// A line with memory=framebuffer lists where the framebuffer is and its bytes (not the
// grant's geometry words, which would overflow the list's 56-bit detail), so `grants` and
// `kill fb` find it.
TEST_F(SupervisorService, AFramebufferGrantIsListedByAddressAndSize) {
  entries_[2].framebuffer_memory = true;
  boot_.screen = bm::abi::BootScreenKind::kFramebuffer;
  boot_.framebuffer_geometry = {
      0x80000000, 4096ull * 0xffff, 4096, 1024, 0xffff, 32, 16, 8, 8, 8, 0, 8, 0};
  bm::ipc::ListServersReply reply;
  ASSERT_EQ(bm::ipc::decode(serve(encoded(bm::ipc::ListServersRequest{2})), &reply),
            ProtocolStatus::kOk);
  ASSERT_EQ(reply.entry.grant_count, 3u);
  EXPECT_EQ(reply.entry.grants[1].kind, bm::ipc::GrantKind::kFramebuffer);
  EXPECT_EQ(reply.entry.grants[1].detail, 0x80000000u);
  EXPECT_EQ(reply.entry.grants[1].count, 4096ull * 0xffff);
}

TEST_F(SupervisorService, KillAndStopEndTheRunningServerWithThatId) {
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::KillServerRequest{6}))), ProtocolStatus::kOk);
  EXPECT_EQ(record.killed, std::vector<std::string>{"keyboard"});
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::StopServerRequest{5}))), ProtocolStatus::kOk);
  EXPECT_EQ(record.stopped, std::vector<std::string>{"shell"});
  EXPECT_NE(record.log.find("killing keyboard (task 6) on request"), std::string::npos);
  // No running server has id 7 (vga is not running, so its id 0 matches nothing either).
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::KillServerRequest{7}))), ProtocolStatus::kNotFound);
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::StopServerRequest{0}))), ProtocolStatus::kNotFound);
  // init cannot be ended.
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::KillServerRequest{kInitTaskId}))),
            ProtocolStatus::kNoRights);
  EXPECT_EQ(record.killed.size(), 1u);
  EXPECT_EQ(record.stopped.size(), 1u);
}

TEST_F(SupervisorService, RestartGoesByManifestIndex) {
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::RestartServerRequest{2}))), ProtocolStatus::kOk);
  EXPECT_EQ(record.restarted, std::vector<std::string>{"vga"});
  record.restart_fails = true;
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::RestartServerRequest{1}))), ProtocolStatus::kNotFound);
  EXPECT_EQ(status_of(serve(encoded(bm::ipc::RestartServerRequest{3}))), ProtocolStatus::kBadValue);
  EXPECT_EQ(record.restarted.size(), 2u);
}

TEST_F(SupervisorService, PowerPassesTheKernelsAnswerOn) {
  WireMessage reply = serve(encoded(bm::ipc::PowerRequest{static_cast<PowerAction>(99)}));
  EXPECT_EQ(status_of(reply), ProtocolStatus::kBadValue);
  ASSERT_EQ(record.power.size(), 1u);
  EXPECT_EQ(record.power[0], static_cast<PowerAction>(99));
}

TEST_F(SupervisorService, OnlyServersWithControlMayAsk) {
  const WireMessage requests[] = {
      encoded(bm::ipc::ListServersRequest{0}), encoded(bm::ipc::KillServerRequest{5}),
      encoded(bm::ipc::StopServerRequest{5}), encoded(bm::ipc::RestartServerRequest{0}),
      encoded(bm::ipc::PowerRequest{PowerAction::kHalt})};
  for (const WireMessage& request : requests) {
    EXPECT_EQ(status_of(serve(request, &servers_[1])), ProtocolStatus::kNoRights) << request.label;
    EXPECT_EQ(status_of(serve(request, nullptr)), ProtocolStatus::kNoRights) << request.label;
  }
  EXPECT_TRUE(record.killed.empty());
  EXPECT_TRUE(record.stopped.empty());
  EXPECT_TRUE(record.restarted.empty());
  EXPECT_TRUE(record.power.empty());
}

TEST_F(SupervisorService, WrongWordCountsAreInvalidAfterTheControlCheck) {
  for (uint32_t label : {bm::ipc::kListServers, bm::ipc::kKillServer, bm::ipc::kPower,
                         bm::ipc::kStopServer, bm::ipc::kRestartServer}) {
    EXPECT_EQ(status_of(serve(make_message(label, {}))), ProtocolStatus::kBadValue) << label;
    EXPECT_EQ(status_of(serve(make_message(label, {5, 0}))), ProtocolStatus::kBadValue) << label;
    EXPECT_EQ(status_of(serve(make_message(label, {5, 0}), &servers_[2])),
              ProtocolStatus::kNoRights);
  }
  EXPECT_TRUE(record.killed.empty());
  EXPECT_TRUE(record.power.empty());
}

TEST_F(SupervisorService, AHandleSentAlongIsClosed) {
  WireMessage request = encoded(bm::ipc::KillServerRequest{6});
  request.has_handle = true;
  request.handle = 0x4'0004;
  EXPECT_EQ(status_of(serve(request)), ProtocolStatus::kOk);
  request.handle = 0x4'0005;
  EXPECT_EQ(status_of(serve(request, nullptr)), ProtocolStatus::kNoRights);
  EXPECT_EQ(record.closed, (std::vector<Handle>{0x4'0004, 0x4'0005}));
}

}  // namespace
}  // namespace init
