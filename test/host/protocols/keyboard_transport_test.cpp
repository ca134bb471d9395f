// The keyboard protocol end to end in one process: events and characters from a fake
// keyboard server, blocking and not, layouts, and malformed requests.
#include "test/host/protocols/fake_servers.h"
#include "test/host/protocols/transport.h"

namespace bm::ipc::testing {
namespace {

using namespace ipc::keyboard;

struct KeyboardFixture {
  FakeKeyboard keyboard;
  InProcessEndpoint endpoint{[this](const WireMessage& request, WireMessage* reply) {
    serve_keyboard(keyboard, request, reply);
  }};
  Client client{&endpoint};

  ProtocolStatus read_char(bool blocking, uint32_t* character) {
    ReadCharReply reply;
    ProtocolStatus status = client.call(ReadCharRequest{blocking}, &reply);
    *character = reply.character;
    return status;
  }
};

constexpr KeyEvent kShiftDown{KeyCode::kLeftShift, true, kModShift, 0};
constexpr KeyEvent kADown{KeyCode::kA, true, kModShift, 'A'};
constexpr KeyEvent kAUp{KeyCode::kA, false, kModShift, 0};
constexpr KeyEvent kShiftUp{KeyCode::kLeftShift, false, 0, 0};

TEST(KeyboardTransport, ReadsEventsInOrderThenWouldBlock) {
  KeyboardFixture f;
  f.keyboard.queued = {kShiftDown, kADown, kAUp, kShiftUp};
  for (const KeyEvent& expected : {kShiftDown, kADown, kAUp, kShiftUp}) {
    ReadEventReply reply;
    ASSERT_EQ(f.client.call(ReadEventRequest{false}, &reply), ProtocolStatus::kOk);
    EXPECT_EQ(reply.event.key, expected.key);
    EXPECT_EQ(reply.event.pressed, expected.pressed);
    EXPECT_EQ(reply.event.modifiers, expected.modifiers);
    EXPECT_EQ(reply.event.character, expected.character);
  }
  ReadEventReply reply;
  EXPECT_EQ(f.client.call(ReadEventRequest{false}, &reply), ProtocolStatus::kWouldBlock);
  EXPECT_EQ(reply.event.key, KeyCode::kNone);
}

TEST(KeyboardTransport, ABlockingReadGetsTheNextKeyToArrive) {
  KeyboardFixture f;
  f.keyboard.arriving = {{KeyCode::kEnter, true, 0, '\n'}};
  uint32_t character = 0;
  EXPECT_EQ(f.read_char(false, &character), ProtocolStatus::kWouldBlock);
  EXPECT_EQ(f.keyboard.arriving.size(), 1u);  // a non-blocking read does not wait for it
  EXPECT_EQ(f.read_char(true, &character), ProtocolStatus::kOk);
  EXPECT_EQ(character, static_cast<uint32_t>('\n'));
}

TEST(KeyboardTransport, ReadCharSkipsReleasesAndKeysWithoutCharacters) {
  KeyboardFixture f;
  f.keyboard.queued = {kShiftDown,
                       kADown,
                       kAUp,
                       kShiftUp,
                       {KeyCode::kF1, true, 0, 0},
                       {KeyCode::kSemicolon, true, 0, 0xf6}};  // the de layout's ö key
  uint32_t character = 0;
  EXPECT_EQ(f.read_char(false, &character), ProtocolStatus::kOk);
  EXPECT_EQ(character, static_cast<uint32_t>('A'));
  EXPECT_EQ(f.read_char(false, &character), ProtocolStatus::kOk);
  EXPECT_EQ(character, 0xf6u);
  EXPECT_EQ(f.read_char(false, &character), ProtocolStatus::kWouldBlock);
  EXPECT_TRUE(f.keyboard.queued.empty());
}

TEST(KeyboardTransport, SetLayoutSwitchesOrSaysUnsupported) {
  KeyboardFixture f;
  SetLayoutReply reply;
  EXPECT_EQ(f.client.call(SetLayoutRequest{Layout::kDe}, &reply), ProtocolStatus::kOk);
  EXPECT_EQ(f.keyboard.layout, Layout::kDe);
  f.keyboard.built_in = {Layout::kDe};  // a build with only de in it
  EXPECT_EQ(f.client.call(SetLayoutRequest{Layout::kUs}, &reply), ProtocolStatus::kUnsupported);
  EXPECT_EQ(f.keyboard.layout, Layout::kDe);
}

TEST(KeyboardTransport, AnswersEachMalformedRequestThenServesTheNext) {
  KeyboardFixture f;
  struct Case {
    const char* what;
    WireMessage message;
    ProtocolStatus expected;
  };
  const Case cases[] = {
      {"read_event without its flag", make_message(kReadEvent, {}), ProtocolStatus::kTooShort},
      {"read_event with two words", make_message(kReadEvent, {0, 0}), ProtocolStatus::kTooLong},
      {"blocking flag 2", make_message(kReadEvent, {2}), ProtocolStatus::kBadValue},
      {"read_char with 512 words",
       [] {
         WireMessage m = make_message(kReadChar, {0});
         m.words = abi::kMaxMessageWords;
         for (uint64_t& word : m.word) word = 0;
         return m;
       }(),
       ProtocolStatus::kTooLong},
      {"layout 0", make_message(kSetLayout, {0}), ProtocolStatus::kBadValue},
      {"layout 3", make_message(kSetLayout, {3}), ProtocolStatus::kBadValue},
      {"a console write", make_message(console::kWrite, {1, 'x'}), ProtocolStatus::kUnknownLabel},
      {"a serial read", make_message(serial::kRead, {1, 0}), ProtocolStatus::kUnknownLabel},
      {"label 0x204", make_message(0x204, {0}), ProtocolStatus::kUnknownLabel},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    f.keyboard.queued = {kADown};
    EXPECT_EQ(f.client.call_raw(c.message), c.expected);
    EXPECT_EQ(f.keyboard.queued.size(), 1u);  // the refused request consumed nothing
    uint32_t character = 0;
    EXPECT_EQ(f.read_char(false, &character), ProtocolStatus::kOk);
    EXPECT_EQ(character, static_cast<uint32_t>('A'));
  }
  EXPECT_EQ(f.keyboard.layout, Layout::kUs);
}

}  // namespace
}  // namespace bm::ipc::testing
