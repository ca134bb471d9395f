// init's real bootstrap dispatch (servers/init/bootstrap_service.cpp) driven with encoded
// bootstrap messages, as its loop receives them: every label, the grants moving out one by
// one, the names going through to init's actions, and the malformed requests it refuses
// (each with the handle it brought closed, never leaked).
#include "servers/init/bootstrap_service.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "ipc/bootstrap.h"
#include "test/host/protocols/wire_test_support.h"

namespace init {
namespace {

using bm::abi::Handle;
using bm::ipc::GrantKind;
using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;
using bm::ipc::testing::encoded;
using bm::ipc::testing::make_message;
using bm::ipc::testing::poisoned;

constexpr uint64_t kBadge = 3;
constexpr Handle kEndpoint = 0x1'0007;
constexpr Handle kStray = 0x2'0009;

// init's name table and memd, as the dispatch sees them: records what it was asked.
class FakeActions final : public BootstrapActions {
 public:
  ProtocolStatus register_name(ServerState&, uint64_t badge, const char* name,
                               Handle endpoint) override {
    registered.push_back({name, endpoint, badge});
    if (refuse_register != ProtocolStatus::kOk) {
      close(endpoint);  // as init does: the handle is taken whatever the outcome
      return refuse_register;
    }
    names[name] = endpoint;
    return ProtocolStatus::kOk;
  }
  ProtocolStatus lookup(ServerState&, uint64_t badge, const char* name, Handle* out) override {
    looked_up.push_back({name, 0, badge});
    auto found = names.find(name);
    if (found == names.end()) return ProtocolStatus::kNotFound;
    *out = found->second + 0x100;  // a fresh duplicate
    return ProtocolStatus::kOk;
  }
  bool startup_complete(const ServerState&) override { return startup_over; }
  bool keep_startup_call(ServerState& caller, uint64_t wait_ticks) override {
    kept_waits.push_back({&caller, wait_ticks});
    return can_keep;
  }
  void close(Handle handle) override { closed.push_back(handle); }

  struct Call {
    std::string name;
    Handle handle;
    uint64_t badge;
  };
  std::vector<Call> registered;
  std::vector<Call> looked_up;
  std::vector<Handle> closed;
  std::map<std::string, Handle> names;
  ProtocolStatus refuse_register = ProtocolStatus::kOk;
  bool startup_over = false;
  struct KeptWait {
    const ServerState* caller;
    uint64_t wait_ticks;
  };
  std::vector<KeptWait> kept_waits;  // every keep_startup_call, granted or not
  bool can_keep = true;              // whether a reply object is free
};

class BootstrapService : public ::testing::Test {
 protected:
  BootstrapService() {
    std::strcpy(entry_.module, "vga");
    const char* arguments = "console,probe=1";
    std::strcpy(entry_.arguments, arguments);
    entry_.arguments_length = std::strlen(arguments);
    server_.entry = &entry_;
    server_.grants.grants[0] = {GrantKind::kIoPorts, 0x3d4, 2, 0x3'0001};
    server_.grants.grants[1] = {GrantKind::kDeviceMemory, 0xb8000, 0x8000, 0x3'0002};
    server_.grants.count = 2;
  }

  WireMessage serve(const WireMessage& request, ServerState* caller) {
    WireMessage reply = poisoned();
    reply.has_handle = true;  // stale: the dispatch must set it
    EXPECT_TRUE(on_bootstrap_request(actions_, caller, kBadge, request, &reply));
    EXPECT_EQ(reply.label, request.label);
    return reply;
  }
  WireMessage serve(const WireMessage& request) { return serve(request, &server_); }

  template <typename Reply>
  Reply decoded(const WireMessage& reply) {
    Reply out{};
    EXPECT_EQ(bm::ipc::decode(reply, &out), ProtocolStatus::kOk);
    return out;
  }

  static WireMessage with_stray_handle(WireMessage message) {
    message.has_handle = true;
    message.handle = kStray;
    return message;
  }

  void expect_invalid(const WireMessage& reply) {
    EXPECT_EQ(reply.words, 1u);
    EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kBadValue));
    EXPECT_FALSE(reply.has_handle);
  }

  bm::manifest::Server entry_{};
  ServerState server_;
  FakeActions actions_;
};

TEST_F(BootstrapService, GetGrantMovesEachGrantOutOnce) {
  auto first = decoded<bm::ipc::GetGrantReply>(serve(encoded(bm::ipc::GetGrantRequest{0})));
  EXPECT_EQ(first.status, ProtocolStatus::kOk);
  EXPECT_EQ(first.kind, GrantKind::kIoPorts);
  EXPECT_EQ(first.detail, 0x3d4u);
  EXPECT_EQ(first.count, 2u);
  EXPECT_EQ(first.handle, 0x3'0001u);
  EXPECT_EQ(server_.grants.grants[0].handle, 0u);  // init no longer holds it
  auto second = decoded<bm::ipc::GetGrantReply>(serve(encoded(bm::ipc::GetGrantRequest{1})));
  EXPECT_EQ(second.kind, GrantKind::kDeviceMemory);
  EXPECT_EQ(second.handle, 0x3'0002u);
  // Fetched already, and past the last.
  expect_invalid(serve(encoded(bm::ipc::GetGrantRequest{0})));
  expect_invalid(serve(encoded(bm::ipc::GetGrantRequest{2})));
  expect_invalid(serve(encoded(bm::ipc::GetGrantRequest{~0ull})));
  EXPECT_TRUE(actions_.closed.empty());
}

TEST_F(BootstrapService, RegisterHandsTheNameAndEndpointToInit) {
  bm::ipc::RegisterRequest add{};
  std::strcpy(add.name, "console");
  add.endpoint = kEndpoint;
  auto reply = decoded<bm::ipc::RegisterReply>(serve(encoded(add)));
  EXPECT_EQ(reply.status, ProtocolStatus::kOk);
  ASSERT_EQ(actions_.registered.size(), 1u);
  EXPECT_EQ(actions_.registered[0].name, "console");
  EXPECT_EQ(actions_.registered[0].handle, kEndpoint);
  EXPECT_EQ(actions_.registered[0].badge, kBadge);
  EXPECT_TRUE(actions_.closed.empty());  // init keeps it
}

TEST_F(BootstrapService, RegisterPassesInitsRefusalOn) {
  actions_.refuse_register = ProtocolStatus::kBusy;
  bm::ipc::RegisterRequest add{};
  std::strcpy(add.name, "console");
  add.endpoint = kEndpoint;
  EXPECT_EQ(decoded<bm::ipc::RegisterReply>(serve(encoded(add))).status, ProtocolStatus::kBusy);
  EXPECT_EQ(actions_.closed, std::vector<Handle>{kEndpoint});
}

TEST_F(BootstrapService, RegisterWithoutAHandleOrWithABadNameIsRefused) {
  bm::ipc::RegisterRequest add{};
  std::strcpy(add.name, "console");
  add.endpoint = kEndpoint;
  WireMessage no_handle = encoded(add);
  no_handle.has_handle = false;
  expect_invalid(serve(no_handle));
  WireMessage bad_name = encoded(add);
  bad_name.word[0] = 0;
  expect_invalid(serve(bad_name));
  WireMessage short_name = encoded(add);
  short_name.words = 3;
  expect_invalid(serve(short_name));
  EXPECT_TRUE(actions_.registered.empty());
  // The handles of the two refused requests that had one are closed.
  EXPECT_EQ(actions_.closed, (std::vector<Handle>{kEndpoint, kEndpoint}));
}

TEST_F(BootstrapService, LookupFindsWhatWasRegistered) {
  actions_.names["keyboard"] = kEndpoint;
  bm::ipc::LookupRequest find{};
  std::strcpy(find.name, "keyboard");
  WireMessage reply = serve(encoded(find));
  auto answer = decoded<bm::ipc::LookupReply>(reply);
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(answer.endpoint, kEndpoint + 0x100);
  EXPECT_TRUE(reply.has_handle);
  std::strcpy(find.name, "nothing");
  reply = serve(encoded(find));
  EXPECT_EQ(decoded<bm::ipc::LookupReply>(reply).status, ProtocolStatus::kNotFound);
  EXPECT_FALSE(reply.has_handle);
  ASSERT_EQ(actions_.looked_up.size(), 2u);
  EXPECT_EQ(actions_.looked_up[1].badge, kBadge);
}

TEST_F(BootstrapService, GetArgumentsSendsTheManifestArgs) {
  WireMessage reply = serve(encoded(bm::ipc::GetArgumentsRequest{}));
  auto answer = decoded<bm::ipc::GetArgumentsReply>(reply);
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(bm::ipc::testing::bytes_string(answer.arguments), "console,probe=1");
  EXPECT_EQ(reply.words, 2u + 2u);
  expect_invalid(serve(make_message(bm::ipc::kGetArguments, {0})));
}

TEST_F(BootstrapService, TheLongestArgumentsFit) {
  std::memset(entry_.arguments, 'a', bm::ipc::kMaxArgumentsLength);
  entry_.arguments[bm::ipc::kMaxArgumentsLength] = '\0';
  entry_.arguments_length = bm::ipc::kMaxArgumentsLength;
  WireMessage reply = serve(encoded(bm::ipc::GetArgumentsRequest{}));
  EXPECT_EQ(reply.words, bm::ipc::kMaxArgumentsReplyWords);
  EXPECT_EQ(decoded<bm::ipc::GetArgumentsReply>(reply).arguments.length,
            bm::ipc::kMaxArgumentsLength);
}

TEST_F(BootstrapService, AStrayHandleIsClosedAndTheRequestAnswered) {
  auto grant = decoded<bm::ipc::GetGrantReply>(
      serve(with_stray_handle(encoded(bm::ipc::GetGrantRequest{0}))));
  EXPECT_EQ(grant.status, ProtocolStatus::kOk);
  auto arguments = decoded<bm::ipc::GetArgumentsReply>(
      serve(with_stray_handle(encoded(bm::ipc::GetArgumentsRequest{}))));
  EXPECT_EQ(arguments.status, ProtocolStatus::kOk);
  bm::ipc::LookupRequest find{};
  std::strcpy(find.name, "console");
  EXPECT_EQ(decoded<bm::ipc::LookupReply>(serve(with_stray_handle(encoded(find)))).status,
            ProtocolStatus::kNotFound);
  EXPECT_EQ(actions_.closed, (std::vector<Handle>{kStray, kStray, kStray}));
}

TEST_F(BootstrapService, WrongWordCountsAreRefused) {
  expect_invalid(serve(make_message(bm::ipc::kGetGrant, {})));
  expect_invalid(serve(make_message(bm::ipc::kGetGrant, {0, 0})));
  expect_invalid(serve(make_message(bm::ipc::kLookup, {0x41})));
  expect_invalid(serve(make_message(bm::ipc::kLookup, {0x41, 0, 0, 0, 0})));
  EXPECT_EQ(server_.grants.grants[0].handle, 0x3'0001u);  // nothing moved
  EXPECT_TRUE(actions_.looked_up.empty());
}

TEST_F(BootstrapService, UnknownLabelsAndUnknownCallersGetInvalidArgument) {
  for (uint32_t label : {0u, 6u, 0x10u, 0x101u, 0xffffffffu}) {
    expect_invalid(serve(with_stray_handle(make_message(label, {}))));
  }
  expect_invalid(serve(with_stray_handle(encoded(bm::ipc::GetGrantRequest{0})), nullptr));
  bm::ipc::RegisterRequest add{};
  std::strcpy(add.name, "console");
  add.endpoint = kEndpoint;
  expect_invalid(serve(encoded(add), nullptr));
  EXPECT_EQ(server_.grants.grants[0].handle, 0x3'0001u);
  EXPECT_TRUE(actions_.registered.empty());
  EXPECT_EQ(actions_.closed.size(), 7u);  // every handle that came along
}

TEST_F(BootstrapService, StartupDoneWithoutAWaitSaysWouldBlockUntilStartupIsOver) {
  auto early = decoded<bm::ipc::StartupDoneReply>(serve(encoded(bm::ipc::StartupDoneRequest{})));
  EXPECT_EQ(early.status, ProtocolStatus::kWouldBlock);
  EXPECT_TRUE(actions_.kept_waits.empty());  // a wait of 0 is never kept
  actions_.startup_over = true;
  auto later = decoded<bm::ipc::StartupDoneReply>(serve(encoded(bm::ipc::StartupDoneRequest{})));
  EXPECT_EQ(later.status, ProtocolStatus::kOk);
  // A stray handle is closed and the request answered; an unknown caller is refused.
  auto stray = decoded<bm::ipc::StartupDoneReply>(
      serve(with_stray_handle(encoded(bm::ipc::StartupDoneRequest{}))));
  EXPECT_EQ(stray.status, ProtocolStatus::kOk);
  EXPECT_EQ(actions_.closed, std::vector<Handle>{kStray});
  expect_invalid(serve(encoded(bm::ipc::StartupDoneRequest{}), nullptr));
}

TEST_F(BootstrapService, StartupDoneWithAWaitIsKeptWhileStartupLasts) {
  WireMessage reply = poisoned();
  EXPECT_FALSE(on_bootstrap_request(actions_, &server_, kBadge,
                                    encoded(bm::ipc::StartupDoneRequest{.wait_ticks = 2000}),
                                    &reply));
  ASSERT_EQ(actions_.kept_waits.size(), 1u);
  EXPECT_EQ(actions_.kept_waits[0].caller, &server_);
  EXPECT_EQ(actions_.kept_waits[0].wait_ticks, 2000u);
  EXPECT_TRUE(actions_.closed.empty());
}

TEST_F(BootstrapService, StartupDoneIsAnsweredAtOnceWhenItCannotBeKeptOrNeedNotBe) {
  actions_.can_keep = false;  // no reply object free: the asker hears kWouldBlock and asks again
  auto refused = decoded<bm::ipc::StartupDoneReply>(
      serve(encoded(bm::ipc::StartupDoneRequest{.wait_ticks = 5})));
  EXPECT_EQ(refused.status, ProtocolStatus::kWouldBlock);
  EXPECT_EQ(actions_.kept_waits.size(), 1u);
  actions_.startup_over = true;  // over already: kOk, and nothing kept
  auto over = decoded<bm::ipc::StartupDoneReply>(
      serve(encoded(bm::ipc::StartupDoneRequest{.wait_ticks = 5})));
  EXPECT_EQ(over.status, ProtocolStatus::kOk);
  EXPECT_EQ(actions_.kept_waits.size(), 1u);
}

TEST_F(BootstrapService, StartupDoneWithAWaitOverTheLimitOrNoWordIsRefused) {
  expect_invalid(serve(make_message(bm::ipc::kStartupDone,
                                    {bm::ipc::kMaxStartupWaitTicks + 1})));
  expect_invalid(serve(make_message(bm::ipc::kStartupDone, {})));
  expect_invalid(serve(make_message(bm::ipc::kStartupDone, {1, 2})));
  EXPECT_TRUE(actions_.kept_waits.empty());
}

}  // namespace
}  // namespace init
