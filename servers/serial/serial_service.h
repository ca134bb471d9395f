// The serial server's protocol logic: one endpoint answers console (0x1xx), keyboard (0x2xx)
// and serial (0x3xx) requests over a SerialIo. Received bytes go to whichever read asks first:
// a serial read takes them raw, a keyboard read through the line discipline. A blocking read
// that finds nothing is not waited out here: the server keeps the call (a reply object) as a
// WaitingRead and answers it with answer_waiting once bytes arrive, so its one service thread
// goes on serving other requests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/keyboard.h"
#include "ipc/protocol.h"
#include "ipc/serial.h"
#include "servers/serial/line_discipline.h"
#include "servers/serial/serial_io.h"

namespace bm::serial {

// A blocking read that found no input yet: what will answer it.
struct WaitingRead {
  enum class Kind : uint8_t { kEvent, kChar, kBytes };
  Kind kind = Kind::kEvent;  // keyboard read_event, keyboard read_char, serial read
  uint32_t max_bytes = 0;    // kBytes: the read's limit
};

enum class Outcome : uint8_t {
  kAnswered,  // the reply is filled in
  kWait,      // a blocking read found nothing: keep the call as the WaitingRead says
};

class SerialService {
 public:
  // What query_size reports. A serial line cannot know the terminal's size: the far end may
  // be any size, and asking it (a cursor position report) would mix its answer into the
  // user's typing. So the server reports the 80x25 of the console it stands in for (the VGA
  // text screen), which every terminal can show.
  static constexpr uint32_t kAssumedRows = 25;
  static constexpr uint32_t kAssumedColumns = 80;

  // `io` must outlive the service.
  explicit SerialService(SerialIo* io) : io_(io) {}

  // Answers one request into *reply, or says a blocking read must wait (*wait describes it).
  // A malformed request gets the decoder's status alone.
  Outcome serve(const ipc::WireMessage& request, ipc::WireMessage* reply, WaitingRead* wait);

  // Answers a waiting read from the bytes received so far: true with *reply filled in, false
  // while there is nothing for it yet (bytes of an unfinished escape sequence stay in the
  // line discipline; a read_char uses up keys that type nothing, as it does when it asks).
  bool answer_waiting(const WaitingRead& read, ipc::WireMessage* reply);

 private:
  ipc::ProtocolStatus send_text(const char* text, size_t length);
  // Each read's answer from what has been received; kWouldBlock when there is nothing.
  ipc::keyboard::ReadEventReply read_event();
  ipc::keyboard::ReadCharReply read_char();
  ipc::serial::ReadReply read_bytes(uint32_t max_bytes);
  ipc::ProtocolStatus set_line(const ipc::serial::LineSettings& line);

  // The next key event from the line discipline, taking received bytes one at a time so
  // that bytes a keyboard read does not need stay for the next reader. False when none is
  // complete (a partial escape sequence stays in the discipline).
  bool next_key_event(ipc::keyboard::KeyEvent* event);
  // Console output: "\n" becomes "\r\n". Returns how many of the input bytes went out (all
  // of them unless the device went away).
  uint32_t write_translated(const uint8_t* data, uint32_t length);

  SerialIo* io_;
  LineDiscipline discipline_;
  uint8_t read_buffer_[ipc::serial::kMaxReadBytes] = {};
};

}  // namespace bm::serial
