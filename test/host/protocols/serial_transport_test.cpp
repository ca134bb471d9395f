// The serial protocol end to end in one process, on one endpoint with the console protocol
// the serial server also speaks: raw and console writes, reads, line settings, bad requests.
#include "test/host/protocols/fake_servers.h"
#include "test/host/protocols/transport.h"

namespace bm::ipc::testing {
namespace {

struct SerialFixture {
  FakeUart uart;
  InProcessEndpoint endpoint{[this](const WireMessage& request, WireMessage* reply) {
    serve_serial(uart, request, reply);
  }};
  Client client{&endpoint};

  ProtocolStatus read(uint32_t max_bytes, bool blocking, std::string* out) {
    serial::ReadReply reply;
    ProtocolStatus status = client.call(serial::ReadRequest{max_bytes, blocking}, &reply);
    *out = bytes_string(reply.bytes);
    EXPECT_LE(reply.bytes.length, max_bytes);
    return status;
  }
};

TEST(SerialTransport, RawWritesAreUntranslatedAndConsoleWritesGetCrLf) {
  SerialFixture f;
  serial::WriteReply raw;
  EXPECT_EQ(f.client.call(serial::WriteRequest{view_of("a\nb")}, &raw), ProtocolStatus::kOk);
  EXPECT_EQ(raw.written, 3u);
  console::WriteReply text;
  EXPECT_EQ(f.client.call(console::WriteRequest{view_of("c\nd")}, &text), ProtocolStatus::kOk);
  EXPECT_EQ(text.written, 3u);
  EXPECT_EQ(f.uart.transmitted, "a\nbc\r\nd");
}

TEST(SerialTransport, SpeaksTheRestOfTheConsoleProtocolAsAnsi) {
  SerialFixture f;
  console::ClearReply cleared;
  EXPECT_EQ(f.client.call(console::ClearRequest{}, &cleared), ProtocolStatus::kOk);
  console::SetColoursReply coloured;
  EXPECT_EQ(
      f.client.call(console::SetColoursRequest{console::Colour::kLightRed, console::Colour::kBlue},
                    &coloured),
      ProtocolStatus::kOk);
  console::MoveCursorReply moved;
  EXPECT_EQ(f.client.call(console::MoveCursorRequest{0, 9}, &moved), ProtocolStatus::kOk);
  EXPECT_EQ(f.uart.transmitted, "\x1b[2J\x1b[H\x1b[91;44m\x1b[1;10H");
  console::QuerySizeReply size;
  EXPECT_EQ(f.client.call(console::QuerySizeRequest{}, &size), ProtocolStatus::kUnsupported);
}

TEST(SerialTransport, ReadsUpToTheLimitThenWouldBlock) {
  SerialFixture f;
  f.uart.received = pattern(4005);
  std::string got;
  EXPECT_EQ(f.read(4000, false, &got), ProtocolStatus::kOk);  // the longest reply: 502 words
  EXPECT_EQ(got, pattern(4000));
  EXPECT_EQ(f.read(3, false, &got), ProtocolStatus::kOk);
  EXPECT_EQ(got, pattern(4005).substr(4000, 3));
  EXPECT_EQ(f.read(100, false, &got), ProtocolStatus::kOk);
  EXPECT_EQ(got.size(), 2u);
  EXPECT_EQ(f.read(100, false, &got), ProtocolStatus::kWouldBlock);
  EXPECT_EQ(got, "");
  f.uart.arriving = "late";
  EXPECT_EQ(f.read(1, false, &got), ProtocolStatus::kWouldBlock);
  EXPECT_EQ(f.read(2, true, &got), ProtocolStatus::kOk);
  EXPECT_EQ(got, "la");
  EXPECT_EQ(f.read(10, false, &got), ProtocolStatus::kOk);
  EXPECT_EQ(got, "te");
}

TEST(SerialTransport, SetLineChangesTheSettings) {
  SerialFixture f;
  serial::SetLineReply reply;
  serial::LineSettings line{9600, 7, serial::Parity::kOdd, 2};
  EXPECT_EQ(f.client.call(serial::SetLineRequest{line}, &reply), ProtocolStatus::kOk);
  EXPECT_EQ(f.uart.line.baud, 9600u);
  EXPECT_EQ(f.uart.line.data_bits, 7);
  EXPECT_EQ(f.uart.line.parity, serial::Parity::kOdd);
  EXPECT_EQ(f.uart.line.stop_bits, 2);
}

TEST(SerialTransport, AnswersEachMalformedRequestThenServesTheNext) {
  SerialFixture f;
  struct Case {
    const char* what;
    WireMessage message;
    ProtocolStatus expected;
  };
  const Case cases[] = {
      {"baud 0", make_message(serial::kSetLine, {0, 8, 0, 1}), ProtocolStatus::kBadValue},
      {"baud 300", make_message(serial::kSetLine, {300, 8, 0, 1}), ProtocolStatus::kBadValue},
      {"baud 230400", make_message(serial::kSetLine, {230400, 8, 0, 1}), ProtocolStatus::kBadValue},
      {"4 data bits", make_message(serial::kSetLine, {9600, 4, 0, 1}), ProtocolStatus::kBadValue},
      {"9 data bits", make_message(serial::kSetLine, {9600, 9, 0, 1}), ProtocolStatus::kBadValue},
      {"parity 3", make_message(serial::kSetLine, {9600, 8, 3, 1}), ProtocolStatus::kBadValue},
      {"set_line cut short", make_message(serial::kSetLine, {9600, 8, 0}),
       ProtocolStatus::kTooShort},
      {"read of 0 bytes", make_message(serial::kRead, {0, 0}), ProtocolStatus::kBadValue},
      {"read with 3 words", make_message(serial::kRead, {1, 0, 0}), ProtocolStatus::kTooLong},
      {"write with bad padding", make_message(serial::kWrite, {1, 0xff00}),
       ProtocolStatus::kBadValue},
      {"console colour 16", make_message(console::kSetColours, {0, 16}), ProtocolStatus::kBadValue},
      {"console label 0x106", make_message(0x106, {}), ProtocolStatus::kUnknownLabel},
      {"a keyboard read", make_message(keyboard::kReadEvent, {0}), ProtocolStatus::kUnknownLabel},
      {"label 0x304", make_message(0x304, {}), ProtocolStatus::kUnknownLabel},
  };
  int served = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(f.client.call_raw(c.message), c.expected);
    serial::WriteReply reply;
    ASSERT_EQ(f.client.call(serial::WriteRequest{view_of("+")}, &reply), ProtocolStatus::kOk);
    ++served;
  }
  EXPECT_EQ(f.uart.transmitted, std::string(served, '+'));
  EXPECT_EQ(f.uart.line.baud, 115200u);  // no refused set_line acted
  EXPECT_EQ(f.uart.line.data_bits, 8);
}

}  // namespace
}  // namespace bm::ipc::testing
