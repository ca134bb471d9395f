// The shell's connections: the consoles it writes to and the keyboards it reads from, found
// by name through init (manifest args `out:NAME` and `in:NAME`), with one reader thread per
// keyboard so keys from any of them reach the session in the order they arrive at each.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/client_recovery.h"
#include "ipc/keyboard.h"
#include "servers/shell/key_queue.h"
#include "user/ipc.h"

namespace shell {

constexpr size_t kMaxConsoles = 2;
constexpr size_t kMaxKeyboards = 2;

// A console or keyboard by name; the runtime's clients follow it to a restarted server.
using Connection = bm::ipc::ServiceConnection;

struct KeyboardInput {
  Connection connection;
  KeyQueue<64> events;    // reader thread -> session; full holds the reader back
  user::Handle room = 0;  // notification: the session freed a slot the reader waits for
};

class TerminalIo {
 public:
  // Parses the args (default: out:console, in:keyboard). False for a malformed word.
  bool configure(const char* arguments);
  // Looks every name up (servers start in parallel, so it waits a while) and starts the
  // reader threads. False, with the reason printed on the kernel log, if one is missing.
  bool connect(user::Handle bootstrap);

  // Writes to every console. A console whose server went away is looked up again and the
  // write sent to its successor; one that has none costs a quick failed look-up.
  void write(const char* text, size_t length);
  static void sink(void* context, const char* text, size_t length) {
    static_cast<TerminalIo*>(context)->write(text, length);
  }

  // Waits until a key event is queued, then hands each one to visit(event).
  template <typename Visit>
  void wait_for_keys(Visit visit) {
    for (;;) {
      bool any = false;
      for (size_t i = 0; i < keyboard_count_; ++i) {
        bm::ipc::keyboard::KeyEvent event;
        KeyboardInput& input = keyboards_[i];
        while (input.events.pop(&event, [&input] { signal_room(input); })) {
          visit(event);
          any = true;
        }
      }
      if (any) return;
      wait_for_signal();
    }
  }

  size_t console_count() const { return console_count_; }
  size_t keyboard_count() const { return keyboard_count_; }
  const Connection& console(size_t i) const { return consoles_[i]; }
  const Connection& keyboard(size_t i) const { return keyboards_[i].connection; }

 private:
  static void reader_thread(uint64_t input_address);
  static void signal_room(const KeyboardInput& input);
  void wait_for_signal();

  Connection consoles_[kMaxConsoles];
  size_t console_count_ = 0;
  KeyboardInput keyboards_[kMaxKeyboards];
  size_t keyboard_count_ = 0;
  user::Handle bootstrap_ = 0;
};

}  // namespace shell
