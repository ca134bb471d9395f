// The keyboard server's answer to one keyboard-protocol request (ipc/keyboard.h): decode,
// take events from a KeySource, encode the reply. A blocking read that finds no key is not
// waited out here: the server keeps the call (a reply handle) as a WaitingRead and answers it
// when a key comes, so its loop goes on serving other callers. Host tests
// (test/host/keyboard) call both functions with encoded messages and a fake source.
#pragma once

#include "ipc/keyboard.h"
#include "servers/keyboard/layout.h"

namespace bm::keyboard {

// Where the events come from and where a layout change goes: in the server, the queue the
// interrupt thread fills and the decoder it owns.
class KeySource {
 public:
  // The oldest queued event; false when there is none (the server never waits for one).
  virtual bool next_event(ipc::keyboard::KeyEvent* out) = 0;
  // Use `layout` for the keys decoded from now on.
  virtual void request_layout(const Layout& layout) = 0;

 protected:
  ~KeySource() = default;
};

// A blocking read that found no key yet: what will answer it.
struct WaitingRead {
  bool wants_character = false;  // read_char: a press that types one; read_event: any event
};

enum class Outcome : uint8_t {
  kAnswered,  // `reply` is filled in
  kWait,      // a blocking read found no key: keep the call as *wait describes
};

// Answers `request` into `reply`, or says the call must wait for a key.
Outcome serve_keyboard_request(KeySource& source, const ipc::WireMessage& request,
                               ipc::WireMessage* reply, WaitingRead* wait);

// Offers the next event to a waiting read. True, with `reply` filled in, when it answers the
// read; false when the read lets it go by (read_char skips releases and keys that type
// nothing), the event is then used up, as a read_char that finds it queued uses it up.
bool answer_waiting_read(const WaitingRead& read, const ipc::keyboard::KeyEvent& event,
                         ipc::WireMessage* reply);

}  // namespace bm::keyboard
