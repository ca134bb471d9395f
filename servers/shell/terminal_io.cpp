// Consoles out, keyboards in (see terminal_io.h).
#include "servers/shell/terminal_io.h"

#include "user/console_client.h"
#include "user/keyboard_client.h"
#include "user/print.h"
#include "user/services.h"
#include "user/thread.h"

namespace shell {
namespace {

constexpr uint64_t kStartupLookupTicks = 10000;  // servers may still be starting
constexpr uint64_t kNoKeyboardTicks = 50;        // between look-ups while a keyboard is gone
constexpr uint64_t kKeysBit = 0;
constexpr uint64_t kRoomBit = 0;
// A reader waiting for room looks again after this long even without a signal: a safety
// net only, the session signals when it frees a slot.
constexpr uint64_t kRoomWaitTicks = 100;

// Signalled by every reader thread when it queued an event.
user::Handle keys_notification = 0;
user::Handle bootstrap_handle = 0;

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
      valid &= copy_name(name, name_length, &keyboards_[keyboard_count_++].connection);
    } else {
      valid = false;
    }
  });
  if (console_count_ == 0) valid &= copy_name("console", 7, &consoles_[console_count_++]);
  if (keyboard_count_ == 0) {
    valid &= copy_name("keyboard", 8, &keyboards_[keyboard_count_++].connection);
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
  // Both kinds of notification last as long as the shell.
  auto notification = user::notification_create();
  if (!notification.ok()) return false;
  keys_notification = notification->release();
  for (size_t i = 0; i < keyboard_count_; ++i) {
    auto room = user::notification_create();
    if (!room.ok()) return false;
    keyboards_[i].room = room->release();
    if (!lookup(&keyboards_[i].connection, kStartupLookupTicks)) {
      user::printf("shell: no keyboard \"%s\"\n", keyboards_[i].connection.name);
      return false;
    }
    if (user::start_thread(reader_thread, reinterpret_cast<uint64_t>(&keyboards_[i]),
                           user::current_priority()) != user::Status::kOk) {
      user::printf("shell: cannot start a reader thread\n");
      return false;
    }
  }
  return true;
}

void TerminalIo::write(const char* text, size_t length) {
  for (size_t i = 0; i < console_count_; ++i) {
    (void)user::console_write(&consoles_[i], text, length);
  }
}

void TerminalIo::reader_thread(uint64_t input_address) {
  auto* input = reinterpret_cast<KeyboardInput*>(input_address);
  for (;;) {
    bm::ipc::keyboard::KeyEvent event;
    user::ProtocolStatus status = user::read_key_event(&input->connection, true, &event);
    if (status == user::ProtocolStatus::kOk) {
      // A full queue holds this thread until the session has room: no key is dropped, and
      // while it waits it reads no more, so the keyboard or serial server keeps the rest
      // (and in turn holds the typist back) instead.
      input->events.push(event,
                         [input] { (void)user::notification_wait(input->room, kRoomWaitTicks); });
      (void)user::notification_signal(keys_notification, 1ull << kKeysBit);
    } else if (status == user::ProtocolStatus::kPeerGone) {
      (void)user::sleep(kNoKeyboardTicks);  // no keyboard under that name now: look again later
    } else {
      (void)user::sleep(10);  // a malformed reply: do not spin on a misbehaving server
    }
  }
}

void TerminalIo::signal_room(const KeyboardInput& input) {
  (void)user::notification_signal(input.room, 1ull << kRoomBit);
}

void TerminalIo::wait_for_signal() {
  (void)user::notification_wait(keys_notification, bm::abi::kWaitForever);
}

}  // namespace shell
