// Consoles out, keyboards in (see terminal_io.h).
#include "servers/shell/terminal_io.h"

#include "user/console_client.h"
#include "user/keyboard_client.h"
#include "user/print.h"
#include "user/services.h"
#include "user/thread.h"
#include "user/yield_lock.h"

namespace shell {
namespace {

constexpr uint64_t kStartupLookupTicks = 10000;  // servers may still be starting
constexpr uint64_t kNoKeyboardTicks = 50;        // between look-ups while a keyboard is gone

user::Handle bootstrap_handle = 0;
// The session and the console connections it writes through are used by one reader at a time.
user::YieldLock the_session_lock;
KeyHandler key_handler = nullptr;

bool copy_name(const char* text, size_t length, Connection* out) {
  return length != 0 && user::copy_argument(text, length, out->name, sizeof(out->name));
}

bool lookup(Connection* connection, uint64_t ticks) {
  user::Handle fresh = 0;
  if (user::lookup_service(bootstrap_handle, connection->name, ticks, &fresh) !=
      user::ProtocolStatus::kOk) {
    return false;
  }
  if (connection->handle != 0) (void)user::handle_close(connection->handle);
  connection->handle = fresh;
  return true;
}

}  // namespace

bool TerminalIo::configure(const char* arguments) {
  bool valid = true;
  user::for_each_argument(arguments, [this, &valid](const char* word, size_t length) {
    size_t name_length = 0;
    const char* name = nullptr;
    if ((name = user::argument_value(word, length, "out:", &name_length)) != nullptr &&
        console_count_ < kMaxConsoles) {
      valid &= copy_name(name, name_length, &consoles_[console_count_++]);
    } else if ((name = user::argument_value(word, length, "in:", &name_length)) != nullptr &&
               keyboard_count_ < kMaxKeyboards) {
      valid &= copy_name(name, name_length, &keyboards_[keyboard_count_++]);
    } else {
      valid = false;
    }
  });
  if (console_count_ == 0) valid &= copy_name("console", 7, &consoles_[console_count_++]);
  if (keyboard_count_ == 0) {
    valid &= copy_name("keyboard", 8, &keyboards_[keyboard_count_++]);
  }
  return valid;
}

bool TerminalIo::connect(user::Handle bootstrap) {
  bootstrap_ = bootstrap;
  bootstrap_handle = bootstrap;
  for (size_t i = 0; i < console_count_; ++i) {
    if (!lookup(&consoles_[i], kStartupLookupTicks)) {
      user::printf("shell: no console \"%s\"\n", consoles_[i].name);
      return false;
    }
  }
  for (size_t i = 0; i < keyboard_count_; ++i) {
    if (!lookup(&keyboards_[i], kStartupLookupTicks)) {
      user::printf("shell: no keyboard \"%s\"\n", keyboards_[i].name);
      return false;
    }
  }
  return true;
}

user::YieldLock& TerminalIo::session_lock() { return the_session_lock; }

void TerminalIo::write(const char* text, size_t length) {
  for (size_t i = 0; i < console_count_; ++i) {
    (void)user::console_write(&consoles_[i], text, length);
  }
}

void TerminalIo::read_keys(KeyHandler handle) {
  key_handler = handle;
  for (size_t i = 1; i < keyboard_count_; ++i) {
    if (user::start_thread(reader_thread, reinterpret_cast<uint64_t>(&keyboards_[i]),
                           user::current_priority()) != user::Status::kOk) {
      user::printf("shell: cannot start a reader thread for \"%s\"\n", keyboards_[i].name);
    }
  }
  reader_thread(reinterpret_cast<uint64_t>(&keyboards_[0]));
}

void TerminalIo::reader_thread(uint64_t connection_address) {
  auto* keyboard = reinterpret_cast<Connection*>(connection_address);
  for (;;) {
    bm::ipc::keyboard::KeyEvent event;
    user::ProtocolStatus status = user::read_key_event(keyboard, true, &event);
    if (status == user::ProtocolStatus::kOk) {
      user::LockGuard guard(the_session_lock);
      key_handler(event);
    } else if (status == user::ProtocolStatus::kPeerGone) {
      (void)user::sleep(kNoKeyboardTicks);  // no keyboard under that name now: look again later
    } else {
      (void)user::sleep(10);  // a malformed reply or a busy server: do not spin on it
    }
  }
}

}  // namespace shell
