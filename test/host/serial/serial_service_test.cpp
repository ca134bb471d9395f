// Host tests for SerialService against a fake SerialIo: the three protocols on one endpoint,
// blocking and non-blocking reads, the "first reader takes the bytes" rule, transmit stalls,
// and errors for malformed requests after which the service keeps answering.
#include "servers/serial/serial_service.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>

#include "test/host/protocols/wire_test_support.h"

namespace bm::serial {
namespace {

using ipc::ProtocolStatus;
using ipc::WireMessage;
using ipc::testing::bytes_string;
using ipc::testing::encoded;
using ipc::testing::make_message;
using ipc::testing::view_of;
namespace console = ipc::console;
namespace keyboard = ipc::keyboard;
namespace serial_protocol = ipc::serial;

// Received bytes and what went out.
class FakeSerialIo final : public SerialIo {
 public:
  size_t receive(uint8_t* out, size_t capacity) override {
    size_t count = 0;
    while (count < capacity && !received.empty()) {
      out[count++] = static_cast<uint8_t>(received.front());
      received.pop_front();
    }
    return count;
  }
  size_t transmit(const uint8_t* data, size_t length) override {
    size_t sent = length < transmit_budget ? length : transmit_budget;
    transmit_budget -= sent;
    transmitted.append(reinterpret_cast<const char*>(data), sent);
    return sent;
  }
  Result<void> set_line(const LineSettings& settings) override {
    BM_TRY(UartDriver::validate(settings));
    line = settings;
    return {};
  }

  void type(const std::string& text) {
    for (char c : text) received.push_back(c);
  }

  std::deque<char> received;
  std::string transmitted;
  size_t transmit_budget = SIZE_MAX;  // bytes the transmitter sends before it stalls
  LineSettings line;
};

struct SerialServiceTest : ::testing::Test {
  // Serves `request`, which must be answered at once; returns the reply's status word.
  ProtocolStatus serve(const WireMessage& request) {
    reply = ipc::testing::poisoned();
    WaitingRead wait;
    EXPECT_EQ(service.serve(request, &reply, &wait), Outcome::kAnswered);
    EXPECT_EQ(reply.label, request.label);
    EXPECT_GE(reply.words, 1u);
    return static_cast<ProtocolStatus>(reply.word[0]);
  }
  // Serves a blocking read that must wait; returns what it waits as.
  WaitingRead kept(const WireMessage& request) {
    reply = ipc::testing::poisoned();
    WaitingRead wait;
    EXPECT_EQ(service.serve(request, &reply, &wait), Outcome::kWait);
    return wait;
  }
  // Offers what has been received to a waiting read; its reply's status word, or kWouldBlock
  // when it must go on waiting.
  ProtocolStatus offer(const WaitingRead& read) {
    reply = ipc::testing::poisoned();
    if (!service.answer_waiting(read, &reply)) return ProtocolStatus::kWouldBlock;
    return static_cast<ProtocolStatus>(reply.word[0]);
  }
  keyboard::KeyEvent read_event(bool blocking) {
    EXPECT_EQ(serve(encoded(keyboard::ReadEventRequest{blocking})), ProtocolStatus::kOk);
    keyboard::ReadEventReply answer;
    EXPECT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
    return answer.event;
  }
  uint32_t read_char(bool blocking) {
    EXPECT_EQ(serve(encoded(keyboard::ReadCharRequest{blocking})), ProtocolStatus::kOk);
    keyboard::ReadCharReply answer;
    EXPECT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
    return answer.character;
  }
  std::string serial_read(uint32_t max, bool blocking) {
    EXPECT_EQ(serve(encoded(serial_protocol::ReadRequest{max, blocking})), ProtocolStatus::kOk);
    serial_protocol::ReadReply answer;
    EXPECT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
    return bytes_string(answer.bytes);
  }

  FakeSerialIo io;
  SerialService service{&io};
  WireMessage reply{};
};

TEST_F(SerialServiceTest, ConsoleWriteTurnsNewlinesIntoCrLf) {
  std::string text = "one\ntwo\r\n";
  EXPECT_EQ(serve(encoded(console::WriteRequest{view_of(text)})), ProtocolStatus::kOk);
  console::WriteReply answer;
  ASSERT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
  EXPECT_EQ(answer.written, text.size());
  EXPECT_EQ(io.transmitted, "one\r\ntwo\r\r\n");
}

TEST_F(SerialServiceTest, ConsoleWriteOfTheLargestMessageGoesOutWhole) {
  std::string text(console::kMaxWriteBytes, 'x');
  for (size_t i = 0; i < text.size(); i += 50) text[i] = '\n';
  EXPECT_EQ(serve(encoded(console::WriteRequest{view_of(text)})), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[1], text.size());
  EXPECT_EQ(io.transmitted.size(), text.size() + text.size() / 50);
}

TEST_F(SerialServiceTest, ADeviceGonePartWayReportsTheInputBytesThatWentOut) {
  // SerialIo::transmit waits for a slow line, so a short count means the UART went away.
  io.transmit_budget = 4;  // "ab\r\n" went, the "c" did not
  std::string text = "ab\ncd";
  EXPECT_EQ(serve(encoded(console::WriteRequest{view_of(text)})), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[1], 3u);
  io.transmit_budget = 3;  // "ab\r": the newline is not counted until its "\n" went out
  io.transmitted.clear();
  EXPECT_EQ(serve(encoded(console::WriteRequest{view_of(text)})), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[1], 2u);
  io.transmit_budget = 2;
  EXPECT_EQ(serve(encoded(serial_protocol::WriteRequest{view_of(text)})), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[1], 2u);
}

TEST_F(SerialServiceTest, ADeviceGoneBeforeTheFirstByteIsAnError) {
  io.transmit_budget = 0;
  std::string text = "lost?";
  EXPECT_EQ(serve(encoded(console::WriteRequest{view_of(text)})), ProtocolStatus::kNoDevice);
  EXPECT_EQ(reply.words, 1u);
  EXPECT_EQ(serve(encoded(serial_protocol::WriteRequest{view_of(text)})),
            ProtocolStatus::kNoDevice);
  EXPECT_EQ(serve(encoded(console::ClearRequest{})), ProtocolStatus::kNoDevice);
  EXPECT_EQ(serve(encoded(console::MoveCursorRequest{1, 1})), ProtocolStatus::kNoDevice);
  // An empty write needs no device.
  EXPECT_EQ(serve(encoded(console::WriteRequest{view_of(std::string())})), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[1], 0u);
}

TEST_F(SerialServiceTest, ConsoleControlsBecomeAnsiSequences) {
  EXPECT_EQ(serve(encoded(console::ClearRequest{})), ProtocolStatus::kOk);
  EXPECT_EQ(io.transmitted, "\x1b[2J\x1b[H");
  io.transmitted.clear();
  EXPECT_EQ(
      serve(encoded(console::SetColoursRequest{console::Colour::kYellow, console::Colour::kBlue})),
      ProtocolStatus::kOk);
  EXPECT_EQ(io.transmitted, "\x1b[93;44m");
  io.transmitted.clear();
  EXPECT_EQ(serve(encoded(console::MoveCursorRequest{2, 5})), ProtocolStatus::kOk);
  EXPECT_EQ(io.transmitted, "\x1b[3;6H");
  io.transmitted.clear();
  // Past the assumed 80x25: the terminal clamps, the server does not refuse.
  EXPECT_EQ(serve(encoded(console::MoveCursorRequest{100, 200})), ProtocolStatus::kOk);
  EXPECT_EQ(io.transmitted, "\x1b[101;201H");
}

TEST_F(SerialServiceTest, QuerySizeReportsTheAssumedEightyByTwentyFive) {
  EXPECT_EQ(serve(encoded(console::QuerySizeRequest{})), ProtocolStatus::kOk);
  console::QuerySizeReply answer;
  ASSERT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
  EXPECT_EQ(answer.rows, 25u);
  EXPECT_EQ(answer.columns, 80u);
}

TEST_F(SerialServiceTest, SerialWriteSendsBytesUnchanged) {
  std::string text = ipc::testing::pattern(300);
  EXPECT_EQ(serve(encoded(serial_protocol::WriteRequest{view_of(text)})), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[1], 300u);
  EXPECT_EQ(io.transmitted, text);
}

TEST_F(SerialServiceTest, SerialReadTakesUpToMaxAndWouldBlockWhenEmpty) {
  EXPECT_EQ(serve(encoded(serial_protocol::ReadRequest{10, false})), ProtocolStatus::kWouldBlock);
  EXPECT_EQ(reply.words, 1u);
  io.type("hello world");
  EXPECT_EQ(serial_read(5, false), "hello");
  EXPECT_EQ(serial_read(4000, false), " world");
}

// A blocking read with nothing received is kept, not waited out: the server's thread goes on
// serving, and the read is answered when bytes come.
TEST_F(SerialServiceTest, ABlockingSerialReadWaitsForTheNextBytes) {
  WaitingRead read = kept(encoded(serial_protocol::ReadRequest{100, true}));
  EXPECT_EQ(read.kind, WaitingRead::Kind::kBytes);
  EXPECT_EQ(offer(read), ProtocolStatus::kWouldBlock);  // a wake-up with nothing new
  io.type("\x1b[A");
  ASSERT_EQ(offer(read), ProtocolStatus::kOk);
  serial_protocol::ReadReply answer;
  ASSERT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
  EXPECT_EQ(bytes_string(answer.bytes), "\x1b[A");  // raw: no line discipline
}

TEST_F(SerialServiceTest, ABlockingSerialReadTakesNoMoreThanItsLimit) {
  WaitingRead read = kept(encoded(serial_protocol::ReadRequest{2, true}));
  io.type("abc");
  ASSERT_EQ(offer(read), ProtocolStatus::kOk);
  EXPECT_EQ(reply.word[1], 2u);
  EXPECT_EQ(serial_read(10, false), "c");
}

TEST_F(SerialServiceTest, KeyboardReadsGoThroughTheLineDiscipline) {
  io.type("hI\r\x1b[D\xc3\xa9");
  keyboard::KeyEvent h = read_event(false);
  EXPECT_EQ(h.key, keyboard::KeyCode::kH);
  EXPECT_EQ(h.character, 'h');
  EXPECT_TRUE(h.pressed);
  keyboard::KeyEvent upper_i = read_event(false);
  EXPECT_EQ(upper_i.key, keyboard::KeyCode::kI);
  EXPECT_EQ(upper_i.modifiers, keyboard::kModShift);
  EXPECT_EQ(read_event(false).key, keyboard::KeyCode::kEnter);
  keyboard::KeyEvent left = read_event(false);
  EXPECT_EQ(left.key, keyboard::KeyCode::kLeft);
  EXPECT_EQ(left.character, 0u);
  keyboard::KeyEvent e_acute = read_event(false);
  EXPECT_EQ(e_acute.key, keyboard::KeyCode::kUnidentified);
  EXPECT_EQ(e_acute.character, 0xe9u);
  EXPECT_EQ(serve(encoded(keyboard::ReadEventRequest{false})), ProtocolStatus::kWouldBlock);
}

TEST_F(SerialServiceTest, ReadCharSkipsKeysWithoutACharacter) {
  io.type("\x1b[A\x1b[3~x\r");
  EXPECT_EQ(read_char(false), 'x');
  EXPECT_EQ(read_char(false), '\n');
  io.type("\x1b[B");
  EXPECT_EQ(serve(encoded(keyboard::ReadCharRequest{false})), ProtocolStatus::kWouldBlock);
}

TEST_F(SerialServiceTest, ABlockingKeyboardReadWaitsAcrossASplitSequence) {
  io.type("\x1b");
  WaitingRead read = kept(encoded(keyboard::ReadEventRequest{true}));
  EXPECT_EQ(read.kind, WaitingRead::Kind::kEvent);
  io.type("[");
  EXPECT_EQ(offer(read), ProtocolStatus::kWouldBlock);  // the sequence is not complete yet
  io.type("C");
  ASSERT_EQ(offer(read), ProtocolStatus::kOk);
  keyboard::ReadEventReply answer;
  ASSERT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
  EXPECT_EQ(answer.event.key, keyboard::KeyCode::kRight);
}

TEST_F(SerialServiceTest, AWaitingReadCharLetsKeysWithoutACharacterGoBy) {
  WaitingRead read = kept(encoded(keyboard::ReadCharRequest{true}));
  EXPECT_EQ(read.kind, WaitingRead::Kind::kChar);
  io.type("\x1b[B");
  EXPECT_EQ(offer(read), ProtocolStatus::kWouldBlock);
  EXPECT_TRUE(io.received.empty());  // the arrow was used up
  io.type("q");
  ASSERT_EQ(offer(read), ProtocolStatus::kOk);
  keyboard::ReadCharReply answer;
  ASSERT_EQ(decode(reply, &answer), ProtocolStatus::kOk);
  EXPECT_EQ(answer.character, uint32_t('q'));
}

TEST_F(SerialServiceTest, ReceivedBytesGoToWhicheverReadAsksFirst) {
  io.type("abc");
  EXPECT_EQ(read_char(false), 'a');         // the keyboard read takes one byte only
  EXPECT_EQ(serial_read(10, false), "bc");  // the rest stays for the raw reader
  EXPECT_EQ(serve(encoded(keyboard::ReadCharRequest{false})), ProtocolStatus::kWouldBlock);
}

TEST_F(SerialServiceTest, SetLineProgramsTheUartAndForgetsHalfASequence) {
  io.type("\x1b[");
  EXPECT_EQ(serve(encoded(keyboard::ReadEventRequest{false})), ProtocolStatus::kWouldBlock);
  serial_protocol::SetLineRequest set;
  set.line = {9600, 7, serial_protocol::Parity::kEven, 2};
  EXPECT_EQ(serve(encoded(set)), ProtocolStatus::kOk);
  EXPECT_EQ(io.line.baud, 9600u);
  EXPECT_EQ(io.line.data_bits, 7);
  EXPECT_EQ(io.line.parity, Parity::kEven);
  EXPECT_EQ(io.line.stop_bits, 2);
  io.type("A");
  keyboard::KeyEvent event = read_event(false);
  EXPECT_EQ(event.key, keyboard::KeyCode::kA);  // not the Up of "ESC [ A"
  EXPECT_EQ(event.modifiers, keyboard::kModShift);
  EXPECT_EQ(serve(make_message(serial_protocol::kSetLine, {300, 8, 0, 1})),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(io.line.baud, 9600u);
}

TEST_F(SerialServiceTest, SetLayoutIsUnsupported) {
  EXPECT_EQ(serve(encoded(keyboard::SetLayoutRequest{keyboard::Layout::kDe})),
            ProtocolStatus::kUnsupported);
  EXPECT_EQ(serve(make_message(keyboard::kSetLayout, {7})), ProtocolStatus::kBadValue);
}

TEST_F(SerialServiceTest, MalformedRequestsGetTheDecodersStatusAndServingGoesOn) {
  struct Case {
    WireMessage request;
    ProtocolStatus status;
  };
  const Case cases[] = {
      {make_message(0x1ff, {}), ProtocolStatus::kUnknownLabel},
      {make_message(0x204, {1}), ProtocolStatus::kUnknownLabel},
      {make_message(0x304, {}), ProtocolStatus::kUnknownLabel},
      {make_message(0x999, {1, 2, 3}), ProtocolStatus::kUnknownLabel},
      {make_message(console::kWrite, {}), ProtocolStatus::kTooShort},
      {make_message(console::kWrite, {9, 1}), ProtocolStatus::kTooShort},
      {make_message(console::kClear, {0}), ProtocolStatus::kTooLong},
      {make_message(console::kSetColours, {16, 0}), ProtocolStatus::kBadValue},
      {make_message(console::kMoveCursor, {1}), ProtocolStatus::kTooShort},
      {make_message(console::kQuerySize, {1}), ProtocolStatus::kTooLong},
      {make_message(keyboard::kReadEvent, {2}), ProtocolStatus::kBadValue},
      {make_message(keyboard::kReadChar, {}), ProtocolStatus::kTooShort},
      {make_message(serial_protocol::kRead, {0, 0}), ProtocolStatus::kBadValue},
      {make_message(serial_protocol::kRead, {4001, 0}), ProtocolStatus::kBadValue},
      {make_message(serial_protocol::kWrite, {1, 0xff00}), ProtocolStatus::kBadValue},
      {make_message(serial_protocol::kSetLine, {9600, 9, 0, 1}), ProtocolStatus::kBadValue},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(serve(c.request), c.status) << std::hex << c.request.label;
    EXPECT_EQ(reply.words, 1u);
    EXPECT_EQ(serve(encoded(console::QuerySizeRequest{})), ProtocolStatus::kOk);
  }
  WireMessage oversized = make_message(console::kWrite, {8});
  oversized.words = bm::abi::kMaxMessageWords;
  EXPECT_EQ(serve(oversized), ProtocolStatus::kTooLong);
  EXPECT_TRUE(io.transmitted.empty());
}

}  // namespace
}  // namespace bm::serial
