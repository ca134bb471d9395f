// The shell's connections: the consoles it writes to and the keyboards it reads from, found
// by name through init (manifest args `out:NAME` and `in:NAME`), with one reader thread per
// keyboard (the first is the main thread). The reader that gets a key runs the session on it
// itself, under one lock, so a key reaches the line editor and its echo the console without
// another thread in between, and keys from each keyboard are handled in their order.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/client_recovery.h"
#include "ipc/keyboard.h"
#include "user/ipc.h"
#include "user/yield_lock.h"

namespace shell {

constexpr size_t kMaxConsoles = 2;
constexpr size_t kMaxKeyboards = 2;

// A console or keyboard by name; the runtime's clients follow it to a restarted server.
using Connection = bm::ipc::ServiceConnection;

// What the session does with a key event (Session::on_key in the shell).
using KeyHandler = void (*)(const bm::ipc::keyboard::KeyEvent& event);

class TerminalIo {
 public:
  // Parses the args (default: out:console, in:keyboard). False for a malformed word.
  bool configure(const char* arguments);
  // Looks every name up (servers start in parallel, so it waits a while). False, with the
  // reason printed on the kernel log, if one is missing.
  bool connect(user::Handle bootstrap);

  // Writes to every console. A console whose server went away is looked up again and the
  // write sent to its successor; one that has none costs a quick failed look-up.
  void write(const char* text, size_t length);
  static void sink(void* context, const char* text, size_t length) {
    static_cast<TerminalIo*>(context)->write(text, length);
  }

  // Reads keys for ever: starts a reader thread for each keyboard after the first and reads
  // the first on this thread. Each key goes to handle(event), one at a time. While it runs,
  // that keyboard's reader asks for no more keys, so a slow session holds the typist back in
  // the keyboard or serial server's buffer instead of dropping keys.
  [[noreturn]] void read_keys(KeyHandler handle);

  // The lock the readers hold while the session handles a key; whoever else drives the
  // session (the shell's program waiter) takes it too.
  static user::YieldLock& session_lock();

  size_t console_count() const { return console_count_; }
  size_t keyboard_count() const { return keyboard_count_; }
  const Connection& console(size_t i) const { return consoles_[i]; }
  const Connection& keyboard(size_t i) const { return keyboards_[i]; }

 private:
  [[noreturn]] static void reader_thread(uint64_t connection_address);

  Connection consoles_[kMaxConsoles];
  size_t console_count_ = 0;
  Connection keyboards_[kMaxKeyboards];
  size_t keyboard_count_ = 0;
  user::Handle bootstrap_ = 0;
};

}  // namespace shell
