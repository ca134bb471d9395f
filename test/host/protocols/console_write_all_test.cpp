// Host tests for the console client's write loop (user/console_write_all.h) through the
// in-process transport: a server that takes only part of each write still gets every byte, in
// order, once; refusals and a server that takes nothing end the loop with an error.
#include "user/console_write_all.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "test/host/protocols/transport.h"

namespace bm::ipc::testing {
namespace {

using namespace console;

// A console server that takes at most the next of `budgets` bytes of each write (cycling),
// like a server whose device accepts a little at a time.
struct PartialServer {
  std::vector<uint32_t> budgets;
  size_t next = 0;
  std::string received;
  ProtocolStatus refusal = ProtocolStatus::kOk;  // answer every write with this, if not kOk

  void serve(const WireMessage& request, WireMessage* reply) {
    WriteRequest write;
    ProtocolStatus status = decode(request, &write);
    if (status == ProtocolStatus::kOk) status = refusal;
    if (status != ProtocolStatus::kOk) return encode_status_reply(request.label, status, reply);
    uint32_t budget = budgets[next++ % budgets.size()];
    uint32_t taken = write.bytes.length < budget ? write.bytes.length : budget;
    received.append(reinterpret_cast<const char*>(write.bytes.data), taken);
    ASSERT_TRUE(encode(WriteReply{ProtocolStatus::kOk, taken}, reply));
  }
};

struct WriteAllFixture {
  PartialServer server;
  InProcessEndpoint endpoint{
      [this](const WireMessage& request, WireMessage* reply) { server.serve(request, reply); }};
  std::unique_ptr<WireMessage> request = std::make_unique<WireMessage>();
  std::unique_ptr<WireMessage> reply = std::make_unique<WireMessage>();

  ProtocolStatus write(const std::string& text) {
    return user::console_write_all(text.data(), text.size(), request.get(), reply.get(),
                                   [this](const WireMessage& out, WireMessage* in) {
                                     return endpoint.call(out, in) ? ProtocolStatus::kOk
                                                                   : ProtocolStatus::kTooLong;
                                   });
  }
};

std::string pattern_of(size_t length) {
  std::string text(length, '\0');
  for (size_t i = 0; i < length; ++i) text[i] = static_cast<char>(0x20 + (i * 7 + i / 95) % 95);
  return text;
}

TEST(ConsoleWriteAll, PartialWritesAreCompletedInOrder) {
  WriteAllFixture f;
  f.server.budgets = {1, 17, 4000, 333, 2};
  const std::string text = pattern_of(64 * 1024);
  EXPECT_EQ(f.write(text), ProtocolStatus::kOk);
  EXPECT_EQ(f.server.received, text);
  // Every call took something, so the calls are bounded by the budgets, not unbounded.
  EXPECT_GT(f.endpoint.calls(), static_cast<int>(text.size() / kMaxWriteBytes));
}

TEST(ConsoleWriteAll, AWholeWriteNeedsOneCallPerPiece) {
  WriteAllFixture f;
  f.server.budgets = {kMaxWriteBytes};
  const std::string text = pattern_of(2 * kMaxWriteBytes + 1);
  EXPECT_EQ(f.write(text), ProtocolStatus::kOk);
  EXPECT_EQ(f.server.received, text);
  EXPECT_EQ(f.endpoint.calls(), 3);
  EXPECT_EQ(f.write(""), ProtocolStatus::kOk);  // nothing to write: no call
  EXPECT_EQ(f.endpoint.calls(), 3);
}

TEST(ConsoleWriteAll, ARefusalOrNoProgressEndsTheLoop) {
  WriteAllFixture f;
  f.server.budgets = {5};
  f.server.refusal = ProtocolStatus::kNoDevice;
  EXPECT_EQ(f.write("hello world"), ProtocolStatus::kNoDevice);
  EXPECT_EQ(f.endpoint.calls(), 1);
  WriteAllFixture stuck;
  stuck.server.budgets = {3, 0};  // takes 3, then nothing: must not spin for ever
  EXPECT_EQ(stuck.write("hello world"), ProtocolStatus::kBadValue);
  EXPECT_EQ(stuck.server.received, "hel");
  EXPECT_EQ(stuck.endpoint.calls(), 2);
}

TEST(ConsoleWriteAll, AnIpcFailureIsReturnedAsIs) {
  WriteAllFixture f;
  auto request = std::make_unique<WireMessage>();
  auto reply = std::make_unique<WireMessage>();
  int calls = 0;
  ProtocolStatus status = user::console_write_all("abc", 3, request.get(), reply.get(),
                                                  [&](const WireMessage&, WireMessage*) {
                                                    ++calls;
                                                    return ProtocolStatus::kPeerGone;
                                                  });
  EXPECT_EQ(status, ProtocolStatus::kPeerGone);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace bm::ipc::testing
