// The console protocol end to end in one process: a client's typed calls travel through the
// in-process transport to a fake screen server, and malformed requests get an error reply
// without stopping the server.
#include "test/host/protocols/fake_servers.h"
#include "test/host/protocols/transport.h"

namespace bm::ipc::testing {
namespace {

using namespace console;

struct ConsoleFixture {
  FakeScreen screen;
  InProcessEndpoint endpoint{[this](const WireMessage& request, WireMessage* reply) {
    serve_console(screen, request, reply);
  }};
  Client client{&endpoint};

  ProtocolStatus write(const std::string& text, uint32_t* written = nullptr) {
    WriteReply reply;
    ProtocolStatus status = client.call(WriteRequest{view_of(text)}, &reply);
    if (written != nullptr) *written = reply.written;
    return status;
  }
};

TEST(ConsoleTransport, WritesReachTheScreenInRegistersAndThroughTheIpcBuffer) {
  ConsoleFixture f;
  uint32_t written = 99;
  EXPECT_EQ(f.write("", &written), ProtocolStatus::kOk);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(f.write("hi\n", &written), ProtocolStatus::kOk);  // two words: registers only
  EXPECT_EQ(written, 3u);
  const std::string long_text = pattern(kMaxWriteBytes);  // 501 words: mostly the buffer
  EXPECT_EQ(f.write(long_text, &written), ProtocolStatus::kOk);
  EXPECT_EQ(written, 4000u);
  EXPECT_EQ(f.screen.text, "hi\n" + long_text);
  EXPECT_EQ(f.endpoint.calls(), 3);
}

TEST(ConsoleTransport, DrivesTheScreen) {
  ConsoleFixture f;
  f.write("junk");
  ClearReply cleared;
  EXPECT_EQ(f.client.call(ClearRequest{}, &cleared), ProtocolStatus::kOk);
  EXPECT_EQ(f.screen.clears, 1);
  EXPECT_EQ(f.screen.text, "");
  SetColoursReply coloured;
  EXPECT_EQ(f.client.call(SetColoursRequest{Colour::kYellow, Colour::kBlue}, &coloured),
            ProtocolStatus::kOk);
  EXPECT_EQ(f.screen.foreground, Colour::kYellow);
  EXPECT_EQ(f.screen.background, Colour::kBlue);
  MoveCursorReply moved;
  EXPECT_EQ(f.client.call(MoveCursorRequest{24, 79}, &moved), ProtocolStatus::kOk);
  EXPECT_EQ(f.screen.row, 24u);
  EXPECT_EQ(f.screen.column, 79u);
  QuerySizeReply size;
  EXPECT_EQ(f.client.call(QuerySizeRequest{}, &size), ProtocolStatus::kOk);
  EXPECT_EQ(size.rows, 25u);
  EXPECT_EQ(size.columns, 80u);
}

TEST(ConsoleTransport, RefusesACursorOffTheScreen) {
  ConsoleFixture f;
  MoveCursorReply moved;
  EXPECT_EQ(f.client.call(MoveCursorRequest{25, 0}, &moved), ProtocolStatus::kBadValue);
  EXPECT_EQ(f.client.call(MoveCursorRequest{0, 80}, &moved), ProtocolStatus::kBadValue);
  EXPECT_EQ(f.client.call(MoveCursorRequest{65535, 65535}, &moved), ProtocolStatus::kBadValue);
  EXPECT_EQ(f.screen.row, 0u);
  EXPECT_EQ(f.client.call(MoveCursorRequest{3, 4}, &moved), ProtocolStatus::kOk);
  EXPECT_EQ(f.screen.row, 3u);
}

TEST(ConsoleTransport, AnswersEachMalformedRequestThenServesTheNext) {
  ConsoleFixture f;
  WireMessage full_write = encoded(WriteRequest{view_of(pattern(4000))});
  WireMessage stretched = full_write;
  stretched.words = kMaxWriteWords + 1;
  stretched.word[kMaxWriteWords] = 0;
  WireMessage truncated = full_write;
  truncated.words = 300;
  struct Case {
    const char* what;
    WireMessage message;
    ProtocolStatus expected;
  };
  const Case cases[] = {
      {"write with no words", make_message(kWrite, {}), ProtocolStatus::kTooShort},
      {"write cut short", truncated, ProtocolStatus::kTooShort},
      {"write one word too long", stretched, ProtocolStatus::kTooLong},
      {"write over 4000 bytes", make_message(kWrite, {4001}), ProtocolStatus::kBadValue},
      {"clear with a word", make_message(kClear, {0}), ProtocolStatus::kTooLong},
      {"colour 16", make_message(kSetColours, {16, 0}), ProtocolStatus::kBadValue},
      {"colours missing one", make_message(kSetColours, {1}), ProtocolStatus::kTooShort},
      {"row beyond 65535", make_message(kMoveCursor, {65536, 0}), ProtocolStatus::kBadValue},
      {"query_size with words", make_message(kQuerySize, {1, 2, 3}), ProtocolStatus::kTooLong},
      {"a keyboard label", make_message(keyboard::kReadChar, {1}), ProtocolStatus::kUnknownLabel},
      {"a serial write", make_message(serial::kWrite, {1, 'x'}), ProtocolStatus::kUnknownLabel},
      {"a bootstrap label", make_message(1, {0}), ProtocolStatus::kUnknownLabel},
      {"label 0x106", make_message(0x106, {}), ProtocolStatus::kUnknownLabel},
  };
  int served = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(f.client.call_raw(c.message), c.expected);
    const std::string text = std::to_string(served);
    ASSERT_EQ(f.write(text), ProtocolStatus::kOk);
    EXPECT_TRUE(f.screen.text.ends_with(text)) << f.screen.text;
    ++served;
  }
  EXPECT_EQ(f.screen.text, "0123456789101112");
  EXPECT_EQ(f.screen.foreground, Colour::kLightGrey);  // no refused request acted
  EXPECT_EQ(f.screen.clears, 0);
}

TEST(ConsoleTransport, AMessageOver512WordsNeverReachesTheServer) {
  ConsoleFixture f;
  WireMessage oversized = make_message(kWrite, {});
  oversized.words = abi::kMaxMessageWords + 1;
  WireMessage reply = poisoned();
  EXPECT_FALSE(f.endpoint.call(oversized, &reply));
  EXPECT_EQ(f.endpoint.calls(), 0);
  EXPECT_EQ(f.write("still here"), ProtocolStatus::kOk);
  EXPECT_EQ(f.screen.text, "still here");
}

}  // namespace
}  // namespace bm::ipc::testing
