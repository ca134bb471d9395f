// serial_client: the ring-3 client of test/e2e/serial_server_tests.py. It finds the serial
// server under "console", "keyboard" and "serial", checks a few answers, then echoes typed
// lines (read_char), answers the line "flood" with 64 KiB through the console, and after the
// line "events" reports every key event (read_event).
#include "ipc/console.h"
#include "ipc/keyboard.h"
#include "ipc/protocol.h"
#include "ipc/serial.h"
#include "lib/fmt/format.h"
#include "user/console_client.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace {

using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;
namespace console = bm::ipc::console;
namespace keyboard = bm::ipc::keyboard;
namespace serial = bm::ipc::serial;

constexpr uint64_t kLookupTicks = 2000;  // servers start in parallel
constexpr size_t kMaxLine = 1024;
// The flood: kFloodBytes printable bytes, no newline (so no CR is added), in writes of
// kFloodChunk (bigger than one console message, so the client splits them too).
constexpr size_t kFloodBytes = 64 * 1024;
constexpr size_t kFloodChunk = 6000;

WireMessage request;
WireMessage reply;

// One call with `request`; the answer lands in `reply`. False if the IPC itself failed.
bool call(user::Handle server, user::Handle attach = 0) {
  user::Message message;
  message.label = request.label;
  message.words = request.words;
  message.has_handle = attach != 0;
  message.handle = attach;
  bm::ipc::store_wire(request, message.word, user::ipc_buffer());
  user::Message answer;
  if (user::call(server, message, &answer) != user::Status::kOk) return false;
  return bm::ipc::load_wire(answer.label, answer.words, answer.word, user::ipc_buffer(), &reply);
}

// The status word of the reply to `value`, or kBadValue if the call failed.
template <typename Request>
ProtocolStatus status_of(user::Handle server, const Request& value, user::Handle attach = 0) {
  if (!encode(value, &request) || !call(server, attach)) return ProtocolStatus::kBadValue;
  return static_cast<ProtocolStatus>(reply.word[0]);
}

// What the test can check without typing anything; the first failure is printed.
bool run_checks(user::Handle console_server, user::Handle keyboard_server,
                user::Handle serial_server) {
  console::QuerySizeReply size;
  if (status_of(console_server, console::QuerySizeRequest{}) != ProtocolStatus::kOk ||
      console::decode(reply, &size) != ProtocolStatus::kOk || size.rows != 25 ||
      size.columns != 80) {
    user::printf("serial-client check failed: query_size\n");
    return false;
  }
  if (status_of(serial_server, serial::ReadRequest{16, false}) != ProtocolStatus::kWouldBlock ||
      status_of(keyboard_server, keyboard::ReadEventRequest{false}) !=
          ProtocolStatus::kWouldBlock ||
      status_of(keyboard_server, keyboard::ReadCharRequest{false}) != ProtocolStatus::kWouldBlock) {
    user::printf("serial-client check failed: a non-blocking read with nothing typed\n");
    return false;
  }
  if (status_of(keyboard_server, keyboard::SetLayoutRequest{keyboard::Layout::kDe}) !=
      ProtocolStatus::kUnsupported) {
    user::printf("serial-client check failed: set_layout\n");
    return false;
  }
  // An unknown label and a message with a handle: errors or ignored handles, then service.
  request.label = 0x1ff;
  request.words = 0;
  auto notification = user::notification_create();
  if (!call(console_server) || reply.word[0] != uint64_t(ProtocolStatus::kUnknownLabel) ||
      !notification.ok() ||
      status_of(console_server, console::ClearRequest{}, notification->release()) !=
          ProtocolStatus::kOk ||
      status_of(console_server, console::QuerySizeRequest{}) != ProtocolStatus::kOk) {
    user::printf("serial-client check failed: unknown label or attached handle\n");
    return false;
  }
  // One endpoint answers all three protocols under every name: a read through the console
  // name works too (nothing is typed yet, so a non-blocking one finds nothing).
  if (status_of(console_server, keyboard::ReadEventRequest{false}) !=
      ProtocolStatus::kWouldBlock) {
    user::printf("serial-client check failed: a read sent to the console name\n");
    return false;
  }
  return true;
}

void write(user::Handle console_server, const char* text, size_t length) {
  bm::ipc::ServiceConnection console{"console"};
  console.handle = console_server;  // this test's servers do not restart
  (void)user::console_write(&console, text, length);
}

// Byte i of the flood; test/e2e/serial_server_tests.py computes the same.
char flood_byte(size_t i) { return static_cast<char>(0x20 + (i * 7 + i / 95) % 95); }

// Writes the flood between two marker lines. The host reads it slowly, so the serial server
// has to wait for the transmitter again and again; every byte must still arrive, in order.
void flood(user::Handle console_server) {
  static char chunk[kFloodChunk];
  write(console_server, "flood-begin\n", 12);
  for (size_t done = 0; done < kFloodBytes;) {
    size_t length = kFloodBytes - done < kFloodChunk ? kFloodBytes - done : kFloodChunk;
    for (size_t i = 0; i < length; ++i) chunk[i] = flood_byte(done + i);
    bm::ipc::ServiceConnection console{"console"};
    console.handle = console_server;  // this test's servers do not restart
    user::ProtocolStatus status = user::console_write(&console, chunk, length);
    if (status != user::ProtocolStatus::kOk) {
      user::printf("serial-client: flood write failed: %s\n",
                   bm::ipc::protocol_status_text(status));
      return;
    }
    done += length;
  }
  write(console_server, "\nflood-end\n", 11);
}

// A code point as UTF-8; returns the length (1-4).
size_t utf8(uint32_t c, char out[4]) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xc0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3f));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xe0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out[2] = static_cast<char>(0x80 | (c & 0x3f));
    return 3;
  }
  out[0] = static_cast<char>(0xf0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3f));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3f));
  out[3] = static_cast<char>(0x80 | (c & 0x3f));
  return 4;
}

bool equals(const char* line, size_t length, const char* word) {
  size_t i = 0;
  for (; i < length; ++i) {
    if (word[i] != line[i]) return false;
  }
  return word[i] == '\0';
}

// Echoes characters as they come, reports each line; returns when the line is "events".
void echo_lines(user::Handle console_server, user::Handle keyboard_server) {
  static char line[kMaxLine];
  size_t length = 0;
  for (;;) {
    if (status_of(keyboard_server, keyboard::ReadCharRequest{true}) != ProtocolStatus::kOk) {
      user::printf("serial-client: read_char failed\n");
      continue;
    }
    keyboard::ReadCharReply got;
    if (keyboard::decode(reply, &got) != ProtocolStatus::kOk) continue;
    char bytes[4];
    size_t count = utf8(got.character, bytes);
    write(console_server, bytes, count);
    if (got.character != '\n') {
      for (size_t i = 0; i < count && length < kMaxLine; ++i) line[length++] = bytes[i];
      continue;
    }
    char report[kMaxLine + 64];
    size_t n = bm::snprintf(report, sizeof(report), "serial-client line (%zu bytes): %.*s\n",
                            length, static_cast<int>(length), line);
    write(console_server, report, n < sizeof(report) ? n : sizeof(report) - 1);
    if (equals(line, length, "events")) return;
    if (equals(line, length, "flood")) flood(console_server);
    length = 0;
  }
}

[[noreturn]] void report_events(user::Handle console_server, user::Handle keyboard_server) {
  for (;;) {
    keyboard::ReadEventReply got;
    if (status_of(keyboard_server, keyboard::ReadEventRequest{true}) != ProtocolStatus::kOk ||
        keyboard::decode(reply, &got) != ProtocolStatus::kOk) {
      user::printf("serial-client: read_event failed\n");
      continue;
    }
    char report[128];
    size_t n = bm::snprintf(report, sizeof(report),
                            "serial-client event: key=%s mods=%#x char=U+%04X pressed=%d\n",
                            keyboard::key_name(got.event.key), unsigned{got.event.modifiers},
                            got.event.character, got.event.pressed ? 1 : 0);
    write(console_server, report, n < sizeof(report) ? n : sizeof(report) - 1);
  }
}

}  // namespace

int main(uint64_t argument) {
  auto bootstrap = static_cast<user::Handle>(argument);
  user::Handle console_server = 0, keyboard_server = 0, serial_server = 0;
  if (user::lookup_service(bootstrap, "console", kLookupTicks, &console_server) !=
          user::ProtocolStatus::kOk ||
      user::lookup_service(bootstrap, "keyboard", kLookupTicks, &keyboard_server) !=
          user::ProtocolStatus::kOk ||
      user::lookup_service(bootstrap, "serial", kLookupTicks, &serial_server) !=
          user::ProtocolStatus::kOk) {
    user::printf("serial-client: console, keyboard or serial not found\n");
    return 1;
  }
  if (run_checks(console_server, keyboard_server, serial_server)) {
    user::printf("serial-client checks ok\n");
  }
  user::printf("serial-client ready\n");
  echo_lines(console_server, keyboard_server);
  write(console_server, "serial-client: reporting events\n", 32);
  report_events(console_server, keyboard_server);
}
