// Decoding, carrying out and answering console, keyboard and serial requests (the message
// tables are in docs/protocols.md). Every path fills the reply, so the server keeps serving.
#include "servers/serial/serial_service.h"

#include "ipc/console.h"
#include "ipc/dispatch.h"
#include "servers/serial/ansi_output.h"
#include "servers/serial/key_mapping.h"

namespace bm::serial {
namespace {

using ipc::ProtocolStatus;
using ipc::WireMessage;
namespace console = ipc::console;
namespace keyboard = ipc::keyboard;
namespace serial_protocol = ipc::serial;

// Console output is translated through a small buffer; each piece is one transmit.
constexpr size_t kTranslateChunk = 128;

Parity driver_parity(serial_protocol::Parity parity) {
  switch (parity) {
    case serial_protocol::Parity::kOdd:
      return Parity::kOdd;
    case serial_protocol::Parity::kEven:
      return Parity::kEven;
    case serial_protocol::Parity::kNone:
      break;
  }
  return Parity::kNone;
}

// The reply to a write of `length` bytes of which `written` went out. The transmitter waits
// for as long as the far end needs, so a short count means the UART went away part way: the
// client learns how far it got, and its next write (of the rest) gets kNoDevice.
template <typename Reply>
Reply write_reply(uint32_t written, uint32_t length) {
  if (written == 0 && length != 0) return Reply{ProtocolStatus::kNoDevice};
  return Reply{ProtocolStatus::kOk, written};
}

}  // namespace

Outcome SerialService::serve(const WireMessage& request, WireMessage* reply,
                             WaitingRead* wait) {
  // A blocking read whose answer is "nothing yet" waits instead.
  bool must_wait = false;
  auto wait_if = [&](bool blocking, ProtocolStatus status, WaitingRead read) {
    if (blocking && status == ProtocolStatus::kWouldBlock) {
      must_wait = true;
      *wait = read;
    }
  };
  ipc::dispatch(
      request, reply,
      [this](const console::WriteRequest& write) {
        uint32_t written = write_translated(write.bytes.data, write.bytes.length);
        return write_reply<console::WriteReply>(written, write.bytes.length);
      },
      [this](const console::ClearRequest&) { return send_text(kAnsiClear, kAnsiClearLength); },
      [this](const console::SetColoursRequest& colours) {
        char sequence[kMaxAnsiSequence];
        size_t length = ansi_set_colours(colours.foreground, colours.background, sequence);
        return send_text(sequence, length);
      },
      // Any position the protocol allows is accepted: a terminal clamps CUP to its own
      // screen, whose size the server does not know (see kAssumedRows).
      [this](const console::MoveCursorRequest& move) {
        char sequence[kMaxAnsiSequence];
        return send_text(sequence, ansi_move_cursor(move.row, move.column, sequence));
      },
      [](const console::QuerySizeRequest&) {
        return console::QuerySizeReply{ProtocolStatus::kOk, kAssumedRows, kAssumedColumns};
      },
      [&](const keyboard::ReadEventRequest& read) {
        keyboard::ReadEventReply answer = read_event();
        wait_if(read.blocking, answer.status, {WaitingRead::Kind::kEvent, 0});
        return answer;
      },
      [&](const keyboard::ReadCharRequest& read) {
        keyboard::ReadCharReply answer = read_char();
        wait_if(read.blocking, answer.status, {WaitingRead::Kind::kChar, 0});
        return answer;
      },
      // The terminal at the far end applies its own layout before it sends characters.
      [](const keyboard::SetLayoutRequest&) { return ProtocolStatus::kUnsupported; },
      [this](const serial_protocol::WriteRequest& write) {
        auto sent = static_cast<uint32_t>(io_->transmit(write.bytes.data, write.bytes.length));
        return write_reply<serial_protocol::WriteReply>(sent, write.bytes.length);
      },
      [&](const serial_protocol::ReadRequest& read) {
        serial_protocol::ReadReply answer = read_bytes(read.max_bytes);
        wait_if(read.blocking, answer.status, {WaitingRead::Kind::kBytes, read.max_bytes});
        return answer;
      },
      [this](const serial_protocol::SetLineRequest& set) { return set_line(set.line); });
  return must_wait ? Outcome::kWait : Outcome::kAnswered;
}

bool SerialService::answer_waiting(const WaitingRead& read, WireMessage* reply) {
  switch (read.kind) {
    case WaitingRead::Kind::kEvent: {
      keyboard::ReadEventReply answer = read_event();
      return answer.status == ProtocolStatus::kOk && keyboard::encode(answer, reply);
    }
    case WaitingRead::Kind::kChar: {
      keyboard::ReadCharReply answer = read_char();
      return answer.status == ProtocolStatus::kOk && keyboard::encode(answer, reply);
    }
    case WaitingRead::Kind::kBytes: {
      serial_protocol::ReadReply answer = read_bytes(read.max_bytes);
      return answer.status == ProtocolStatus::kOk && serial_protocol::encode(answer, reply);
    }
  }
  return false;
}

// --- console ----------------------------------------------------------------------------

uint32_t SerialService::write_translated(const uint8_t* data, uint32_t length) {
  uint32_t done = 0;
  while (done < length) {
    uint8_t out[kTranslateChunk];
    size_t consumed = 0;
    size_t produced =
        LineDiscipline::translate_output(data + done, length - done, out, sizeof(out), &consumed);
    size_t sent = io_->transmit(out, produced);
    if (sent == produced) {
      done += static_cast<uint32_t>(consumed);
      continue;
    }
    // The device went away part way: count the input bytes whose output all went out.
    size_t sent_for_input = 0;
    for (size_t i = 0; i < consumed; ++i) {
      size_t needed = data[done] == '\n' ? 2 : 1;
      if (sent_for_input + needed > sent) break;
      sent_for_input += needed;
      ++done;
    }
    return done;
  }
  return done;
}

// Sends escape-sequence text as it is: kOk if the device took all of it, kNoDevice if not.
ProtocolStatus SerialService::send_text(const char* text, size_t length) {
  size_t sent = io_->transmit(reinterpret_cast<const uint8_t*>(text), length);
  return sent == length ? ProtocolStatus::kOk : ProtocolStatus::kNoDevice;
}

// --- keyboard ---------------------------------------------------------------------------

bool SerialService::next_key_event(keyboard::KeyEvent* event) {
  uint8_t byte = 0;
  while (io_->receive(&byte, 1) == 1) {
    InputEvent input;
    if (discipline_.feed(byte, &input)) {
      *event = key_event_for(input);
      return true;
    }
  }
  return false;
}

keyboard::ReadEventReply SerialService::read_event() {
  keyboard::ReadEventReply answer;
  if (!next_key_event(&answer.event)) answer.status = ProtocolStatus::kWouldBlock;
  return answer;
}

// As on the keyboard server, events without a character (arrows, Home, ...) are consumed.
keyboard::ReadCharReply SerialService::read_char() {
  keyboard::KeyEvent event;
  do {
    if (!next_key_event(&event)) return {ProtocolStatus::kWouldBlock};
  } while (event.character == 0);
  return {ProtocolStatus::kOk, event.character};
}

// --- serial -----------------------------------------------------------------------------

serial_protocol::ReadReply SerialService::read_bytes(uint32_t max_bytes) {
  size_t received = io_->receive(read_buffer_, max_bytes);
  if (received == 0) return {ProtocolStatus::kWouldBlock};
  return {ProtocolStatus::kOk, {read_buffer_, static_cast<uint32_t>(received)}};
}

ProtocolStatus SerialService::set_line(const serial_protocol::LineSettings& line) {
  LineSettings settings;
  settings.baud = line.baud;
  settings.data_bits = line.data_bits;
  settings.parity = driver_parity(line.parity);
  settings.stop_bits = line.stop_bits;
  // The driver accepts everything the decoder lets through, so a refusal is a bad value.
  if (!io_->set_line(settings)) return ProtocolStatus::kBadValue;
  discipline_.reset();  // a half-received sequence at the old settings means nothing now
  return ProtocolStatus::kOk;
}

}  // namespace bm::serial
