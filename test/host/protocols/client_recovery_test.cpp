// ipc/client_recovery.h against a fake transport: a dead server's name is looked up again,
// an idempotent request goes once more to the new server, anything else does not, and a
// name without a server costs one quick look-up per call.
#include "ipc/client_recovery.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ipc/console.h"
#include "ipc/heartbeat.h"
#include "ipc/memd.h"

namespace bm::ipc {
namespace {

// Servers by handle; a name maps to the handle of the server that has it now.
struct FakeTransport {
  ProtocolStatus call(abi::Handle server, const WireMessage& request, WireMessage* reply) {
    calls.push_back(server);
    if (dead.count(server) != 0) return ProtocolStatus::kPeerGone;
    reply->label = request.label;
    reply->words = 1;
    reply->word[0] = server;  // tells the test who answered
    return ProtocolStatus::kOk;
  }
  ProtocolStatus lookup(const char* name, uint64_t wait_ticks, abi::Handle* out) {
    waits.push_back(wait_ticks);
    auto found = names.find(name);
    if (found == names.end()) return ProtocolStatus::kNotFound;
    *out = found->second;
    return ProtocolStatus::kOk;
  }
  void close(abi::Handle handle) { closed.push_back(handle); }

  std::map<std::string, abi::Handle> names;
  std::map<abi::Handle, bool> dead;
  std::vector<abi::Handle> calls;
  std::vector<uint64_t> waits;
  std::vector<abi::Handle> closed;
};

WireMessage message(uint32_t label) {
  WireMessage m{};
  m.label = label;
  return m;
}

ServiceConnection connection_to(const char* name, abi::Handle handle) {
  ServiceConnection connection;
  for (size_t i = 0; name[i] != '\0'; ++i) connection.name[i] = name[i];
  connection.handle = handle;
  return connection;
}

TEST(ClientRecovery, ALiveServerIsCalledOnceWithoutALookup) {
  FakeTransport transport;
  ServiceConnection console = connection_to("console", 5);
  WireMessage reply{};
  EXPECT_EQ(recovering_call(transport, &console, message(console::kWrite), &reply),
            ProtocolStatus::kOk);
  EXPECT_EQ(transport.calls, std::vector<abi::Handle>{5});
  EXPECT_EQ(console.lookups, 0u);
}

TEST(ClientRecovery, AnIdempotentRequestGoesAgainToTheRestartedServer) {
  FakeTransport transport;
  transport.dead[5] = true;
  transport.names["console"] = 9;
  ServiceConnection console = connection_to("console", 5);
  WireMessage reply{};
  EXPECT_EQ(recovering_call(transport, &console, message(console::kWrite), &reply),
            ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[0], 9u);
  EXPECT_EQ(transport.calls, (std::vector<abi::Handle>{5, 9}));
  EXPECT_EQ(transport.closed, std::vector<abi::Handle>{5});
  EXPECT_EQ(transport.waits, std::vector<uint64_t>{kRelookupTicks});
  EXPECT_EQ(console.handle, 9u);
  EXPECT_EQ(console.lookups, 1u);
}

TEST(ClientRecovery, OnlyIdempotentRequestsAreRepeated) {
  EXPECT_TRUE(is_idempotent(console::kWrite));
  EXPECT_TRUE(is_idempotent(keyboard::kReadEvent));
  EXPECT_TRUE(is_idempotent(memd::kStats));
  EXPECT_TRUE(is_idempotent(heartbeat::kHeartbeat));
  EXPECT_TRUE(is_idempotent(fs::kRead));
  EXPECT_TRUE(is_idempotent(fs::kWrite));
  EXPECT_TRUE(is_idempotent(fs::kReadDir));
  EXPECT_FALSE(is_idempotent(fs::kOpen));
  EXPECT_FALSE(is_idempotent(fs::kClose));
  EXPECT_FALSE(is_idempotent(fs::kUnlink));
  EXPECT_FALSE(is_idempotent(fs::kRename));
  EXPECT_FALSE(is_idempotent(memd::kAlloc));
  EXPECT_FALSE(is_idempotent(memd::kFree));
  EXPECT_FALSE(is_idempotent(0x999));

  FakeTransport transport;
  transport.dead[5] = true;
  transport.names["memd"] = 9;
  ServiceConnection memd = connection_to("memd", 5);
  WireMessage reply{};
  EXPECT_EQ(recovering_call(transport, &memd, message(memd::kAlloc), &reply),
            ProtocolStatus::kPeerGone);
  EXPECT_EQ(transport.calls, std::vector<abi::Handle>{5});  // not sent to the new server
  EXPECT_EQ(memd.handle, 9u);                               // but the next call goes there
  EXPECT_EQ(recovering_call(transport, &memd, message(memd::kAlloc), &reply), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[0], 9u);
}

TEST(ClientRecovery, ANameWithoutAServerCostsOneQuickLookupPerCall) {
  FakeTransport transport;
  transport.dead[5] = true;
  ServiceConnection console = connection_to("console", 5);
  WireMessage reply{};
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(recovering_call(transport, &console, message(console::kWrite), &reply),
              ProtocolStatus::kPeerGone);
  }
  // The first look-up after the death waits a few ticks for a restart; the rest do not wait.
  ASSERT_EQ(transport.waits.size(), 10u);
  EXPECT_EQ(transport.waits[0], kRelookupTicks);
  for (size_t i = 1; i < 10; ++i) EXPECT_EQ(transport.waits[i], 0u);
  EXPECT_EQ(transport.calls, std::vector<abi::Handle>{5});  // the dead handle, once
  EXPECT_EQ(console.lookups, 10u);
  EXPECT_EQ(console.handle, 0u);

  transport.names["console"] = 11;  // a server comes back
  EXPECT_EQ(recovering_call(transport, &console, message(console::kWrite), &reply),
            ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[0], 11u);
}

TEST(ClientRecovery, ARestartedServerThatDiesAgainIsNotRetriedForEver) {
  FakeTransport transport;
  transport.dead[5] = true;
  transport.dead[9] = true;
  transport.names["keyboard"] = 9;
  ServiceConnection keyboard = connection_to("keyboard", 5);
  WireMessage reply{};
  EXPECT_EQ(recovering_call(transport, &keyboard, message(keyboard::kReadEvent), &reply),
            ProtocolStatus::kPeerGone);
  EXPECT_EQ(transport.calls, (std::vector<abi::Handle>{5, 9}));  // one retry only
}

}  // namespace
}  // namespace bm::ipc
