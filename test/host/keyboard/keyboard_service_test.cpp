// The keyboard server's real dispatch (servers/keyboard/keyboard_service.cpp) driven with
// encoded keyboard messages, as its loop receives them, over a scripted key source: the
// encoded reply for every label, blocking and not, the requests it must refuse, and the reads
// it keeps waiting for the next key.
#include "servers/keyboard/keyboard_service.h"

#include <deque>

#include "test/host/protocols/wire_test_support.h"

namespace bm::keyboard {
namespace {

namespace protocol = ipc::keyboard;
using ipc::ProtocolStatus;
using ipc::WireMessage;
using ipc::testing::encoded;
using ipc::testing::make_message;
using ipc::testing::poisoned;

// Events the interrupt thread would have queued; records how often it was asked.
class ScriptedKeys final : public KeySource {
 public:
  bool next_event(protocol::KeyEvent* out) override {
    ++asked;
    if (events.empty()) return false;
    *out = events.front();
    events.pop_front();
    return true;
  }
  void request_layout(const Layout& layout) override { layout_name = layout.name; }

  std::deque<protocol::KeyEvent> events;
  int asked = 0;
  const char* layout_name = nullptr;
};

protocol::KeyEvent press(protocol::KeyCode key, uint32_t character) {
  return {key, true, 0, character};
}
protocol::KeyEvent release(protocol::KeyCode key) { return {key, false, 0, 0}; }

// A request the server must answer at once.
WireMessage serve(ScriptedKeys& keys, const WireMessage& request) {
  WireMessage reply = poisoned();
  WaitingRead wait;
  EXPECT_EQ(serve_keyboard_request(keys, request, &reply, &wait), Outcome::kAnswered);
  EXPECT_EQ(reply.label, request.label);
  return reply;
}

// A request the server must keep waiting for a key: what it waits for.
WaitingRead kept(ScriptedKeys& keys, const WireMessage& request) {
  WireMessage reply = poisoned();
  WaitingRead wait;
  EXPECT_EQ(serve_keyboard_request(keys, request, &reply, &wait), Outcome::kWait);
  return wait;
}

template <typename Reply>
Reply decoded(const WireMessage& reply) {
  Reply out{};
  EXPECT_EQ(decode(reply, &out), ProtocolStatus::kOk);
  return out;
}

TEST(KeyboardService, ReadEventHandsOutTheNextEventWhole) {
  ScriptedKeys keys;
  keys.events = {{protocol::KeyCode::kA, true, protocol::kModShift, 'A'}};
  auto answer =
      decoded<protocol::ReadEventReply>(serve(keys, encoded(protocol::ReadEventRequest{true})));
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(answer.event.key, protocol::KeyCode::kA);
  EXPECT_TRUE(answer.event.pressed);
  EXPECT_EQ(answer.event.modifiers, protocol::kModShift);
  EXPECT_EQ(answer.event.character, static_cast<uint32_t>('A'));
  EXPECT_EQ(keys.asked, 1);
}

TEST(KeyboardService, ReadEventWithNothingQueuedWouldBlock) {
  ScriptedKeys keys;
  WireMessage reply = serve(keys, encoded(protocol::ReadEventRequest{false}));
  EXPECT_EQ(reply.words, 1u);
  EXPECT_EQ(decoded<protocol::ReadEventReply>(reply).status, ProtocolStatus::kWouldBlock);
}

TEST(KeyboardService, BlockingReadsWithNothingQueuedWaitForTheNextKey) {
  ScriptedKeys keys;
  EXPECT_FALSE(kept(keys, encoded(protocol::ReadEventRequest{true})).wants_character);
  EXPECT_TRUE(kept(keys, encoded(protocol::ReadCharRequest{true})).wants_character);
  // A blocking read_char that finds only keys typing nothing uses them up, then waits.
  keys.events = {press(protocol::KeyCode::kLeftShift, 0), release(protocol::KeyCode::kLeftShift)};
  EXPECT_TRUE(kept(keys, encoded(protocol::ReadCharRequest{true})).wants_character);
  EXPECT_TRUE(keys.events.empty());
}

TEST(KeyboardService, AWaitingReadEventTakesTheNextEventWhateverItIs) {
  WireMessage reply = poisoned();
  ASSERT_TRUE(answer_waiting_read(WaitingRead{false}, release(protocol::KeyCode::kA), &reply));
  auto answer = decoded<protocol::ReadEventReply>(reply);
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(answer.event.key, protocol::KeyCode::kA);
  EXPECT_FALSE(answer.event.pressed);
}

TEST(KeyboardService, AWaitingReadCharLetsKeysWithoutACharacterGoBy) {
  WireMessage reply = poisoned();
  WaitingRead read{true};
  EXPECT_FALSE(answer_waiting_read(read, press(protocol::KeyCode::kLeftShift, 0), &reply));
  EXPECT_FALSE(answer_waiting_read(read, release(protocol::KeyCode::kB), &reply));
  ASSERT_TRUE(answer_waiting_read(read, press(protocol::KeyCode::kB, 'B'), &reply));
  auto answer = decoded<protocol::ReadCharReply>(reply);
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(answer.character, static_cast<uint32_t>('B'));
}

TEST(KeyboardService, ReadCharSkipsReleasesAndKeysWithoutACharacter) {
  ScriptedKeys keys;
  keys.events = {press(protocol::KeyCode::kLeftShift, 0), release(protocol::KeyCode::kLeftShift),
                 press(protocol::KeyCode::kA, 0xe4), press(protocol::KeyCode::kB, 'b')};
  auto answer =
      decoded<protocol::ReadCharReply>(serve(keys, encoded(protocol::ReadCharRequest{true})));
  EXPECT_EQ(answer.status, ProtocolStatus::kOk);
  EXPECT_EQ(answer.character, 0xe4u);
  EXPECT_EQ(keys.events.size(), 1u);  // 'b' stays for the next read
  answer = decoded<protocol::ReadCharReply>(serve(keys, encoded(protocol::ReadCharRequest{false})));
  EXPECT_EQ(answer.character, static_cast<uint32_t>('b'));
  answer = decoded<protocol::ReadCharReply>(serve(keys, encoded(protocol::ReadCharRequest{false})));
  EXPECT_EQ(answer.status, ProtocolStatus::kWouldBlock);
}

TEST(KeyboardService, ReadCharRunsOutOfEventsWithoutACharacter) {
  ScriptedKeys keys;
  keys.events = {press(protocol::KeyCode::kLeftCtrl, 0), release(protocol::KeyCode::kLeftCtrl)};
  auto answer =
      decoded<protocol::ReadCharReply>(serve(keys, encoded(protocol::ReadCharRequest{false})));
  EXPECT_EQ(answer.status, ProtocolStatus::kWouldBlock);
  EXPECT_TRUE(keys.events.empty());
}

TEST(KeyboardService, SetLayoutPassesTheLayoutOn) {
  ScriptedKeys keys;
  WireMessage reply = serve(keys, encoded(protocol::SetLayoutRequest{protocol::Layout::kDe}));
  EXPECT_EQ(decoded<protocol::SetLayoutReply>(reply).status, ProtocolStatus::kOk);
  ASSERT_NE(keys.layout_name, nullptr);
  EXPECT_STREQ(keys.layout_name, "de");
  serve(keys, encoded(protocol::SetLayoutRequest{protocol::Layout::kUs}));
  EXPECT_STREQ(keys.layout_name, "us");
}

TEST(KeyboardService, MalformedRequestsAreRefusedWithoutTakingAnEvent) {
  ScriptedKeys keys;
  keys.events = {press(protocol::KeyCode::kA, 'a')};
  struct Case {
    WireMessage request;
    ProtocolStatus status;
  } cases[] = {
      {make_message(protocol::kReadEvent, {}), ProtocolStatus::kTooShort},
      {make_message(protocol::kReadEvent, {1, 0}), ProtocolStatus::kTooLong},
      {make_message(protocol::kReadEvent, {2}), ProtocolStatus::kBadValue},
      {make_message(protocol::kReadChar, {7}), ProtocolStatus::kBadValue},
      {make_message(protocol::kSetLayout, {3}), ProtocolStatus::kBadValue},
      {make_message(protocol::kSetLayout, {}), ProtocolStatus::kTooShort},
      {make_message(0x204, {}), ProtocolStatus::kUnknownLabel},
      {make_message(0x101, {0}), ProtocolStatus::kUnknownLabel},
  };
  for (const Case& c : cases) {
    WireMessage reply = serve(keys, c.request);
    EXPECT_EQ(reply.words, 1u) << c.request.label;
    EXPECT_EQ(reply.word[0], static_cast<uint64_t>(c.status)) << c.request.label;
  }
  EXPECT_EQ(keys.asked, 0);
  EXPECT_EQ(keys.layout_name, nullptr);
  auto answer =
      decoded<protocol::ReadCharReply>(serve(keys, encoded(protocol::ReadCharRequest{false})));
  EXPECT_EQ(answer.character, static_cast<uint32_t>('a'));
}

}  // namespace
}  // namespace bm::keyboard
