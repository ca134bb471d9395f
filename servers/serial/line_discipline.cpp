// Console line discipline: a byte-at-a-time state machine for input (ECMA-48 escape syntax,
// UTF-8) and "\n" -> "\r\n" for output.
#include "servers/serial/line_discipline.h"

namespace bm::serial {
namespace {

constexpr uint8_t kEscape = 0x1B;
constexpr uint8_t kDelete = 0x7F;
constexpr uint8_t kBackspace = 0x08;
constexpr uint16_t kMaxParameter = 9999;

bool key(Key which, InputEvent* event) {
  event->kind = InputEvent::kKey;
  event->key = which;
  switch (which) {
    case Key::kEnter:
      event->character = '\n';
      break;
    case Key::kTab:
      event->character = '\t';
      break;
    case Key::kBackspace:
      event->character = '\b';
      break;
    default:
      event->character = 0;
      break;
  }
  return true;
}

bool character(uint32_t code_point, InputEvent* event) {
  event->kind = InputEvent::kChar;
  event->key = Key::kNone;
  event->character = code_point;
  return true;
}

// The final byte shared by CSI and SS3 cursor sequences (ECMA-48 CUU/CUD/CUF/CUB; H and F are
// what xterm sends for Home and End).
Key cursor_key(uint8_t final_byte) {
  switch (final_byte) {
    case 'A':
      return Key::kUp;
    case 'B':
      return Key::kDown;
    case 'C':
      return Key::kRight;
    case 'D':
      return Key::kLeft;
    case 'H':
      return Key::kHome;
    case 'F':
      return Key::kEnd;
    default:
      return Key::kNone;
  }
}

// VT220-style "ESC [ n ~" editing keys.
Key tilde_key(uint16_t parameter) {
  switch (parameter) {
    case 1:
    case 7:
      return Key::kHome;
    case 3:
      return Key::kDelete;
    case 4:
    case 8:
      return Key::kEnd;
    default:
      return Key::kNone;  // Insert, Page Up/Down, function keys: nothing to map to
  }
}

}  // namespace

void LineDiscipline::reset() { *this = LineDiscipline{}; }

bool LineDiscipline::feed(uint8_t byte, InputEvent* event) {
  if (event == nullptr) return false;
  // CR LF is one Enter: the LF directly after a CR produces nothing.
  bool swallow_lf = after_cr_ && byte == '\n' && state_ == State::kGround;
  after_cr_ = false;
  if (swallow_lf) return false;

  switch (state_) {
    case State::kGround:
      return ground(byte, event);
    case State::kEscape:
      if (byte == '[') {
        state_ = State::kCsi;
        sequence_length_ = 1;
        parameter_ = 0;
        first_parameter_done_ = false;
        return false;
      }
      if (byte == 'O') {
        state_ = State::kSs3;
        return false;
      }
      if (byte == kEscape) return false;  // ESC ESC: the first one is dropped
      state_ = State::kGround;
      return ground(byte, event);
    case State::kCsi:
      return csi(byte, event);
    case State::kSs3:
      return ss3(byte, event);
    case State::kUtf8:
      return utf8(byte, event);
  }
  state_ = State::kGround;
  return false;
}

bool LineDiscipline::ground(uint8_t byte, InputEvent* event) {
  switch (byte) {
    case '\r':
      after_cr_ = true;
      return key(Key::kEnter, event);
    case '\n':
      return key(Key::kEnter, event);
    case kDelete:
    case kBackspace:
      return key(Key::kBackspace, event);
    case '\t':
      return key(Key::kTab, event);
    case kEscape:
      state_ = State::kEscape;
      return false;
    default:
      break;
  }
  if (byte < 0x80) return character(byte, event);
  // UTF-8 lead bytes (RFC 3629 §4): C0/C1 would only encode overlong ASCII, F5-FF lie past
  // U+10FFFF, and a stray continuation byte has no lead.
  if (byte >= 0xC2 && byte <= 0xDF) {
    code_point_ = byte & 0x1F;
    utf8_length_ = 2;
  } else if (byte >= 0xE0 && byte <= 0xEF) {
    code_point_ = byte & 0x0F;
    utf8_length_ = 3;
  } else if (byte >= 0xF0 && byte <= 0xF4) {
    code_point_ = byte & 0x07;
    utf8_length_ = 4;
  } else {
    return character(kReplacementCharacter, event);
  }
  utf8_remaining_ = static_cast<uint8_t>(utf8_length_ - 1);
  state_ = State::kUtf8;
  return false;
}

bool LineDiscipline::utf8(uint8_t byte, InputEvent* event) {
  if ((byte & 0xC0) != 0x80) {
    // Cut short: drop the partial character, keep the new byte.
    state_ = State::kGround;
    return ground(byte, event);
  }
  code_point_ = (code_point_ << 6) | (byte & 0x3F);
  if (--utf8_remaining_ != 0) return false;
  state_ = State::kGround;
  const uint32_t minimum = utf8_length_ == 2 ? 0x80 : utf8_length_ == 3 ? 0x800 : 0x10000;
  const bool surrogate = code_point_ >= 0xD800 && code_point_ <= 0xDFFF;
  if (code_point_ < minimum || code_point_ > 0x10FFFF || surrogate) {
    return character(kReplacementCharacter, event);
  }
  return character(code_point_, event);
}

bool LineDiscipline::csi(uint8_t byte, InputEvent* event) {
  if (byte < 0x20 || byte >= 0x7F) {
    // A control or non-ASCII byte cannot be part of the sequence: abandon it and let the
    // byte act normally (an ESC here starts a fresh sequence).
    state_ = State::kGround;
    return ground(byte, event);
  }
  if (++sequence_length_ > kMaxSequenceLength) {
    state_ = State::kGround;
    return false;
  }
  if (byte >= '0' && byte <= '9') {  // parameter digits (ECMA-48 §5.4)
    if (!first_parameter_done_) {
      uint16_t next = static_cast<uint16_t>(parameter_ * 10 + (byte - '0'));
      parameter_ = next > kMaxParameter ? kMaxParameter : next;
    }
    return false;
  }
  if (byte < 0x40) {  // ';', other parameter bytes and intermediates end the first parameter
    first_parameter_done_ = true;
    return false;
  }
  state_ = State::kGround;  // a final byte 0x40-0x7E ends the sequence
  Key which = byte == '~' ? tilde_key(parameter_) : cursor_key(byte);
  if (which == Key::kNone) return false;
  return key(which, event);
}

bool LineDiscipline::ss3(uint8_t byte, InputEvent* event) {
  if (byte < 0x20 || byte >= 0x7F) {
    state_ = State::kGround;
    return ground(byte, event);
  }
  state_ = State::kGround;
  Key which = cursor_key(byte);
  if (which == Key::kNone) return false;
  return key(which, event);
}

size_t LineDiscipline::decode(const uint8_t* bytes, size_t length, InputEvent* events,
                              size_t capacity, size_t* consumed) {
  size_t used = 0;
  size_t produced = 0;
  if (bytes != nullptr && events != nullptr) {
    while (used < length && produced < capacity) {
      if (feed(bytes[used++], &events[produced])) ++produced;
    }
  }
  if (consumed != nullptr) *consumed = used;
  return produced;
}

size_t LineDiscipline::translate_output(const uint8_t* in, size_t in_length, uint8_t* out,
                                        size_t out_capacity, size_t* consumed) {
  size_t read = 0;
  size_t written = 0;
  if (in != nullptr && out != nullptr) {
    while (read < in_length) {
      const uint8_t byte = in[read];
      if (byte == '\n') {
        if (out_capacity - written < 2) break;
        out[written++] = '\r';
      } else if (written == out_capacity) {
        break;
      }
      out[written++] = byte;
      ++read;
    }
  }
  if (consumed != nullptr) *consumed = read;
  return written;
}

}  // namespace bm::serial
