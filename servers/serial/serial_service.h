// The serial server's protocol logic: one endpoint answers console (0x1xx), keyboard (0x2xx)
// and serial (0x3xx) requests over a SerialIo. Received bytes go to whichever read asks first:
// a serial read takes them raw, a keyboard read through the line discipline.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/keyboard.h"
#include "ipc/protocol.h"
#include "ipc/serial.h"
#include "servers/serial/line_discipline.h"
#include "servers/serial/serial_io.h"

namespace bm::serial {

class SerialService {
 public:
  // What query_size reports. A serial line cannot know the terminal's size: the far end may
  // be any size, and asking it (a cursor position report) would mix its answer into the
  // user's typing. So the server reports the 80x25 of the console it stands in for (the VGA
  // text screen), which every terminal can show.
  static constexpr uint32_t kAssumedRows = 25;
  static constexpr uint32_t kAssumedColumns = 80;

  // Which requests an instance answers. A blocking read holds its thread until input comes,
  // so the server gives console output a thread of its own (kConsoleOnly), which answers
  // only the console protocol and never waits for input; the other thread answers all.
  enum class Role : uint8_t { kAll, kConsoleOnly };

  // `io` must outlive the service.
  explicit SerialService(SerialIo* io, Role role = Role::kAll) : io_(io), role_(role) {}

  // Answers one request into *reply, always. A malformed request gets the decoder's status
  // alone. A blocking read with nothing received waits in io->wait_for_data() until input
  // arrives, so the caller gets data, never an empty reply.
  void serve(const ipc::WireMessage& request, ipc::WireMessage* reply);

 private:
  ipc::ProtocolStatus send_text(const char* text, size_t length);
  ipc::keyboard::ReadEventReply read_event(bool blocking);
  ipc::keyboard::ReadCharReply read_char(bool blocking);
  ipc::serial::ReadReply read_bytes(ipc::serial::ReadRequest read);
  ipc::ProtocolStatus set_line(const ipc::serial::LineSettings& line);

  // The next key event from the line discipline, taking received bytes one at a time so
  // that bytes a keyboard read does not need stay for the next reader. False when none is
  // complete and !blocking (a partial escape sequence stays in the discipline).
  bool next_key_event(bool blocking, ipc::keyboard::KeyEvent* event);
  // Console output: "\n" becomes "\r\n". Returns how many of the input bytes went out (all
  // of them unless the device went away).
  uint32_t write_translated(const uint8_t* data, uint32_t length);

  SerialIo* io_;
  Role role_;
  LineDiscipline discipline_;
  uint8_t read_buffer_[ipc::serial::kMaxReadBytes] = {};
};

}  // namespace bm::serial
