// The vga server's real dispatch (servers/terminal/console_service.cpp) driven with encoded console
// messages, as its loop receives them, on a fake screen: what each request draws, and the
// encoded reply, for every label and for the requests it must refuse.
#include "servers/terminal/console_service.h"

#include <string>

#include "test/host/protocols/wire_test_support.h"
#include "test/host/vga/fake_screen.h"

namespace bm::terminal {
namespace {

namespace console = ipc::console;
using ipc::ProtocolStatus;
using ipc::WireMessage;
using ipc::testing::encoded;
using ipc::testing::make_message;
using ipc::testing::poisoned;
using ipc::testing::view_of;

class ConsoleService : public ::testing::Test {
 protected:
  // Sends one encoded request through the dispatch; returns the encoded reply.
  WireMessage serve(const WireMessage& request, bool* drew = nullptr) {
    WireMessage reply = poisoned();
    bool wrote = serve_console_request(terminal_, request, &reply);
    if (drew != nullptr) *drew = wrote;
    EXPECT_EQ(reply.label, request.label);
    return reply;
  }

  template <typename Reply>
  Reply decoded(const WireMessage& reply) {
    Reply out{};
    EXPECT_EQ(decode(reply, &out), ProtocolStatus::kOk);
    return out;
  }

  FakeScreen screen_;
  Terminal terminal_{screen_};
};

TEST_F(ConsoleService, WriteDrawsTheBytesAndRepliesWithTheirCount) {
  const std::string text = "hello\nworld";
  bool drew = false;
  WireMessage reply = serve(encoded(console::WriteRequest{view_of(text)}), &drew);
  console::WriteReply answer = decoded<console::WriteReply>(reply);
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(answer.written, text.size());
  EXPECT_TRUE(drew);
  EXPECT_EQ(screen_.text(0), "hello");
  EXPECT_EQ(screen_.text(1), "world");
  EXPECT_EQ(screen_.cursor_row, 1);
  EXPECT_EQ(screen_.cursor_column, 5);
}

TEST_F(ConsoleService, TheLongestWriteIsTakenWhole) {
  const std::string text(console::kMaxWriteBytes, 'x');
  WireMessage reply = serve(encoded(console::WriteRequest{view_of(text)}));
  EXPECT_EQ(decoded<console::WriteReply>(reply).written, console::kMaxWriteBytes);
  EXPECT_EQ(screen_.text(24), std::string(80, 'x'));
}

TEST_F(ConsoleService, AnEmptyWriteIsOkAndDrawsNothing) {
  bool drew = true;
  WireMessage reply = serve(encoded(console::WriteRequest{}), &drew);
  EXPECT_EQ(decoded<console::WriteReply>(reply).written, 0u);
  EXPECT_FALSE(drew);
  EXPECT_EQ(screen_.changed_cells(), 0);
}

TEST_F(ConsoleService, AMalformedWriteIsRefusedAndDrawsNothing) {
  const std::string text = "abc";
  WireMessage request = encoded(console::WriteRequest{view_of(text)});
  request.words = 3;  // one word past the bytes
  bool drew = true;
  WireMessage reply = serve(request, &drew);
  EXPECT_EQ(reply.words, 1u);
  EXPECT_EQ(decoded<console::WriteReply>(reply).status, ProtocolStatus::kTooLong);
  EXPECT_FALSE(drew);
  WireMessage padded = encoded(console::WriteRequest{view_of(text)});
  padded.word[1] |= 0xffull << 56;  // a non-zero unused byte
  EXPECT_EQ(decoded<console::WriteReply>(serve(padded)).status, ProtocolStatus::kBadValue);
  EXPECT_EQ(screen_.changed_cells(), 0);
}

TEST_F(ConsoleService, ClearBlanksTheScreenAndHomesTheCursor) {
  const std::string text = "some text";
  serve(encoded(console::WriteRequest{view_of(text)}));
  WireMessage reply = serve(encoded(console::ClearRequest{}));
  EXPECT_EQ(decoded<console::ClearReply>(reply).status, ProtocolStatus::kOk);
  EXPECT_EQ(screen_.text(0), "");
  EXPECT_EQ(screen_.cursor_row, 0);
  EXPECT_EQ(screen_.cursor_column, 0);
  EXPECT_EQ(decoded<console::ClearReply>(serve(make_message(console::kClear, {1}))).status,
            ProtocolStatus::kTooLong);
}

TEST_F(ConsoleService, SetColoursAppliesToTheTextAfterIt) {
  WireMessage reply =
      serve(encoded(console::SetColoursRequest{console::Colour::kYellow, console::Colour::kBlue}));
  EXPECT_EQ(decoded<console::SetColoursReply>(reply).status, ProtocolStatus::kOk);
  const std::string text = "Y";
  serve(encoded(console::WriteRequest{view_of(text)}));
  EXPECT_EQ(screen_.attribute(0, 0), 0x1e);  // yellow on blue
  EXPECT_EQ(
      decoded<console::SetColoursReply>(serve(make_message(console::kSetColours, {16, 0}))).status,
      ProtocolStatus::kBadValue);
}

TEST_F(ConsoleService, MoveCursorInsideTheScreenOnly) {
  WireMessage reply = serve(encoded(console::MoveCursorRequest{24, 79}));
  EXPECT_EQ(decoded<console::MoveCursorReply>(reply).status, ProtocolStatus::kOk);
  EXPECT_EQ(screen_.cursor_row, 24);
  EXPECT_EQ(screen_.cursor_column, 79);
  // On the wire, but outside 80x25: the terminal refuses, nothing moves.
  reply = serve(encoded(console::MoveCursorRequest{25, 0}));
  EXPECT_EQ(decoded<console::MoveCursorReply>(reply).status, ProtocolStatus::kBadValue);
  EXPECT_EQ(screen_.cursor_row, 24);
  EXPECT_EQ(terminal_.row(), 24);
}

TEST_F(ConsoleService, QuerySizeIs25By80) {
  console::QuerySizeReply answer =
      decoded<console::QuerySizeReply>(serve(encoded(console::QuerySizeRequest{})));
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(answer.rows, 25u);
  EXPECT_EQ(answer.columns, 80u);
}

TEST_F(ConsoleService, OtherLabelsAreUnknownAndTheServerGoesOn) {
  for (uint32_t label : {0u, 1u, 0x100u, 0x106u, 0x201u, 0x401u, 0xffffffffu}) {
    WireMessage reply = serve(make_message(label, {}));
    EXPECT_EQ(reply.words, 1u);
    EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kUnknownLabel)) << label;
    EXPECT_FALSE(reply.has_handle);
  }
  const std::string text = "still here";
  serve(encoded(console::WriteRequest{view_of(text)}));
  EXPECT_EQ(screen_.text(0), "still here");
}

}  // namespace
}  // namespace bm::terminal
