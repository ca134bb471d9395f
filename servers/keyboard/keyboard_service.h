// The keyboard server's answer to one keyboard-protocol request (ipc/keyboard.h): decode,
// take events from a KeySource, encode the reply. The server's loop calls it for every
// request; host tests (test/host/keyboard) call it with encoded messages and a fake source.
#pragma once

#include "ipc/keyboard.h"
#include "servers/keyboard/layout.h"

namespace bm::keyboard {

// Where the events come from and where a layout change goes: in the server, the queue the
// interrupt thread fills and the decoder it owns.
class KeySource {
 public:
  // The next event, waiting a bounded time for one if `blocking` (kBlockingReadWaitMs, so the
  // loop comes back to answer heartbeats); false when there is none.
  virtual bool next_event(bool blocking, ipc::keyboard::KeyEvent* out) = 0;
  // Use `layout` for the keys decoded from now on.
  virtual void request_layout(const Layout& layout) = 0;

 protected:
  ~KeySource() = default;
};

// Fills `reply` (always) for `request`.
void serve_keyboard_request(KeySource& source, const ipc::WireMessage& request,
                            ipc::WireMessage* reply);

}  // namespace bm::keyboard
