// Decoding, carrying out and answering console, keyboard and serial requests (the message
// tables are in docs/protocols.md). Every path fills the reply, so the server keeps serving.
#include "servers/serial/serial_service.h"

#include "ipc/console.h"
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

// A kOk reply that its encoder refuses would mean a bug here; the client still gets an answer.
template <typename Reply>
void encode_or_refuse(const Reply& answer, uint32_t label, WireMessage* reply) {
  if (!encode(answer, reply)) ipc::encode_status_reply(label, ProtocolStatus::kBadValue, reply);
}

// The reply to a write of `length` bytes of which `written` went out. The transmitter waits
// for as long as the far end needs, so a short count means the UART went away part way: the
// client learns how far it got, and its next write (of the rest) gets kNoDevice.
template <typename Reply>
void answer_write(uint32_t written, uint32_t length, uint32_t label, WireMessage* reply) {
  if (written == 0 && length != 0) {
    return ipc::encode_status_reply(label, ProtocolStatus::kNoDevice, reply);
  }
  encode_or_refuse(Reply{ProtocolStatus::kOk, written}, label, reply);
}

// The status of a console request whose output is `length` bytes, `sent` of them sent.
ProtocolStatus output_status(size_t sent, size_t length) {
  return sent == length ? ProtocolStatus::kOk : ProtocolStatus::kNoDevice;
}

// A console request answered by its status alone: decoded as a Request, then, if well
// formed, carried out by `send` (which returns the status of its output).
template <typename Request, typename Send>
void answer_output(const WireMessage& request, WireMessage* reply, Send send) {
  Request decoded;
  ProtocolStatus status = console::decode(request, &decoded);
  if (status == ProtocolStatus::kOk) status = send(decoded);
  ipc::encode_status_reply(request.label, status, reply);
}

}  // namespace

void SerialService::serve(const WireMessage& request, WireMessage* reply) {
  uint32_t protocol_base = request.label & ~0xffu;
  if (role_ == Role::kConsoleOnly &&
      (protocol_base == ipc::kKeyboardLabelBase || protocol_base == ipc::kSerialLabelBase)) {
    return ipc::encode_status_reply(request.label, ProtocolStatus::kUnsupported, reply);
  }
  switch (request.label) {
    case console::kWrite:
      return console_write(request, reply);
    case console::kClear:
      return console_clear(request, reply);
    case console::kSetColours:
      return console_set_colours(request, reply);
    case console::kMoveCursor:
      return console_move_cursor(request, reply);
    case console::kQuerySize:
      return console_query_size(request, reply);
    case keyboard::kReadEvent:
      return keyboard_read_event(request, reply);
    case keyboard::kReadChar:
      return keyboard_read_char(request, reply);
    case keyboard::kSetLayout:
      return keyboard_set_layout(request, reply);
    case serial_protocol::kWrite:
      return serial_write(request, reply);
    case serial_protocol::kRead:
      return serial_read(request, reply);
    case serial_protocol::kSetLine:
      return serial_set_line(request, reply);
    default:
      ipc::encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  }
}

// --- console ----------------------------------------------------------------------------

void SerialService::console_write(const WireMessage& request, WireMessage* reply) {
  console::WriteRequest write;
  ProtocolStatus status = console::decode(request, &write);
  if (status != ProtocolStatus::kOk) return ipc::encode_status_reply(request.label, status, reply);
  uint32_t written = write_translated(write.bytes.data, write.bytes.length);
  answer_write<console::WriteReply>(written, write.bytes.length, request.label, reply);
}

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

void SerialService::console_clear(const WireMessage& request, WireMessage* reply) {
  answer_output<console::ClearRequest>(request, reply, [&](const console::ClearRequest&) {
    return send_text(kAnsiClear, kAnsiClearLength);
  });
}

void SerialService::console_set_colours(const WireMessage& request, WireMessage* reply) {
  answer_output<console::SetColoursRequest>(
      request, reply, [&](const console::SetColoursRequest& colours) {
        char sequence[kMaxAnsiSequence];
        return send_text(sequence,
                         ansi_set_colours(colours.foreground, colours.background, sequence));
      });
}

// Any position the protocol allows is accepted: a terminal clamps CUP to its own screen,
// whose size the server does not know (see kAssumedRows).
void SerialService::console_move_cursor(const WireMessage& request, WireMessage* reply) {
  answer_output<console::MoveCursorRequest>(
      request, reply, [&](const console::MoveCursorRequest& move) {
        char sequence[kMaxAnsiSequence];
        return send_text(sequence, ansi_move_cursor(move.row, move.column, sequence));
      });
}

// Sends escape-sequence text as it is: kOk if the device took all of it, kNoDevice if not.
ProtocolStatus SerialService::send_text(const char* text, size_t length) {
  return output_status(io_->transmit(reinterpret_cast<const uint8_t*>(text), length), length);
}

void SerialService::console_query_size(const WireMessage& request, WireMessage* reply) {
  console::QuerySizeRequest size;
  ProtocolStatus status = console::decode(request, &size);
  if (status != ProtocolStatus::kOk) return ipc::encode_status_reply(request.label, status, reply);
  encode_or_refuse(console::QuerySizeReply{ProtocolStatus::kOk, kAssumedRows, kAssumedColumns},
                   request.label, reply);
}

// --- keyboard ---------------------------------------------------------------------------

bool SerialService::next_key_event(bool blocking, keyboard::KeyEvent* event) {
  for (;;) {
    uint8_t byte = 0;
    if (io_->receive(&byte, 1) == 1) {
      InputEvent input;
      if (discipline_.feed(byte, &input)) {
        *event = key_event_for(input);
        return true;
      }
      continue;
    }
    if (!blocking) return false;
    if (!io_->wait_for_data()) blocking = false;  // the bounded wait passed: one last look
  }
}

void SerialService::keyboard_read_event(const WireMessage& request, WireMessage* reply) {
  keyboard::ReadEventRequest read;
  ProtocolStatus status = keyboard::decode(request, &read);
  if (status != ProtocolStatus::kOk) return ipc::encode_status_reply(request.label, status, reply);
  keyboard::KeyEvent event;
  if (!next_key_event(read.blocking, &event)) {
    return ipc::encode_status_reply(request.label, ProtocolStatus::kWouldBlock, reply);
  }
  encode_or_refuse(keyboard::ReadEventReply{ProtocolStatus::kOk, event}, request.label, reply);
}

// As on the keyboard server, events without a character (arrows, Home, ...) are consumed.
void SerialService::keyboard_read_char(const WireMessage& request, WireMessage* reply) {
  keyboard::ReadCharRequest read;
  ProtocolStatus status = keyboard::decode(request, &read);
  if (status != ProtocolStatus::kOk) return ipc::encode_status_reply(request.label, status, reply);
  keyboard::KeyEvent event;
  do {
    if (!next_key_event(read.blocking, &event)) {
      return ipc::encode_status_reply(request.label, ProtocolStatus::kWouldBlock, reply);
    }
  } while (event.character == 0);
  encode_or_refuse(keyboard::ReadCharReply{ProtocolStatus::kOk, event.character}, request.label,
                   reply);
}

// The terminal at the far end applies its own layout before it sends characters.
void SerialService::keyboard_set_layout(const WireMessage& request, WireMessage* reply) {
  keyboard::SetLayoutRequest layout;
  ProtocolStatus status = keyboard::decode(request, &layout);
  if (status == ProtocolStatus::kOk) status = ProtocolStatus::kUnsupported;
  ipc::encode_status_reply(request.label, status, reply);
}

// --- serial -----------------------------------------------------------------------------

void SerialService::serial_write(const WireMessage& request, WireMessage* reply) {
  serial_protocol::WriteRequest write;
  ProtocolStatus status = serial_protocol::decode(request, &write);
  if (status != ProtocolStatus::kOk) return ipc::encode_status_reply(request.label, status, reply);
  auto sent = static_cast<uint32_t>(io_->transmit(write.bytes.data, write.bytes.length));
  answer_write<serial_protocol::WriteReply>(sent, write.bytes.length, request.label, reply);
}

void SerialService::serial_read(const WireMessage& request, WireMessage* reply) {
  serial_protocol::ReadRequest read;
  ProtocolStatus status = serial_protocol::decode(request, &read);
  if (status != ProtocolStatus::kOk) return ipc::encode_status_reply(request.label, status, reply);
  size_t received = 0;
  while ((received = io_->receive(read_buffer_, read.max_bytes)) == 0) {
    if (!read.blocking) {
      return ipc::encode_status_reply(request.label, ProtocolStatus::kWouldBlock, reply);
    }
    if (!io_->wait_for_data()) read.blocking = false;  // bounded: one last look, then answer
  }
  serial_protocol::ReadReply answer;
  answer.bytes = {read_buffer_, static_cast<uint32_t>(received)};
  encode_or_refuse(answer, request.label, reply);
}

void SerialService::serial_set_line(const WireMessage& request, WireMessage* reply) {
  serial_protocol::SetLineRequest set;
  ProtocolStatus status = serial_protocol::decode(request, &set);
  if (status == ProtocolStatus::kOk) {
    LineSettings settings;
    settings.baud = set.line.baud;
    settings.data_bits = set.line.data_bits;
    settings.parity = driver_parity(set.line.parity);
    settings.stop_bits = set.line.stop_bits;
    // The driver accepts everything the decoder lets through, so a refusal is a bad value.
    if (io_->set_line(settings)) {
      discipline_.reset();  // a half-received sequence at the old settings means nothing now
    } else {
      status = ProtocolStatus::kBadValue;
    }
  }
  ipc::encode_status_reply(request.label, status, reply);
}

}  // namespace bm::serial
