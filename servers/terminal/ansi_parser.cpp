// The escape-sequence state machine, a subset of the DEC VT500 parser
// (vt100.net/emu/dec_ansi_parser): enough states to consume every well-formed sequence whole,
// whether we act on it or not.
#include "servers/terminal/ansi_parser.h"

namespace bm::terminal {
namespace {

constexpr uint8_t kBell = 0x07;
constexpr uint8_t kCancel = 0x18;      // CAN: aborts a sequence
constexpr uint8_t kSubstitute = 0x1A;  // SUB: aborts a sequence
constexpr uint8_t kEscapeByte = 0x1B;
constexpr uint8_t kDelete = 0x7F;

bool is_c0(uint8_t byte) { return byte < 0x20; }
bool is_intermediate(uint8_t byte) { return byte >= 0x20 && byte <= 0x2F; }
bool is_parameter_byte(uint8_t byte) { return byte >= 0x30 && byte <= 0x3F; }
bool is_final(uint8_t byte) { return byte >= 0x40 && byte <= 0x7E; }
bool is_escape_final(uint8_t byte) { return byte >= 0x30 && byte <= 0x7E; }
bool is_digit(uint8_t byte) { return byte >= '0' && byte <= '9'; }

// ESC P (DCS), X (SOS), ] (OSC), ^ (PM), _ (APC) open a string that runs to ST or BEL; a
// shell setting the window title must not have the title printed.
bool opens_control_string(uint8_t byte) {
  return byte == 'P' || byte == 'X' || byte == ']' || byte == '^' || byte == '_';
}

}  // namespace

AnsiEvent AnsiParser::feed(uint8_t byte) {
  byte_ = byte;
  if (state_ == State::kControlString || state_ == State::kControlStringEscape) {
    return feed_control_string(byte);
  }
  if (byte == kEscapeByte) {
    // ESC always starts afresh, even inside a sequence: the half-read one is dropped.
    state_ = State::kEscape;
    return AnsiEvent::kNone;
  }
  if (state_ == State::kGround) {
    if (is_c0(byte) || byte == kDelete) return AnsiEvent::kControl;
    return AnsiEvent::kPrint;
  }
  if (byte == kCancel || byte == kSubstitute) {
    state_ = State::kGround;
    return AnsiEvent::kNone;
  }
  // Other C0 controls act immediately without disturbing the sequence, as on a VT100.
  if (is_c0(byte)) return AnsiEvent::kControl;
  if (byte == kDelete) return AnsiEvent::kNone;  // ignored inside sequences
  if (byte > kDelete) {
    // No 8-bit sequence bytes exist here: the sequence is broken; drop it and this byte.
    state_ = State::kGround;
    return AnsiEvent::kNone;
  }
  if (state_ == State::kEscape || state_ == State::kEscapeIntermediate) return feed_escape(byte);
  return feed_csi(byte);
}

AnsiEvent AnsiParser::feed_escape(uint8_t byte) {
  if (is_intermediate(byte)) {
    state_ = State::kEscapeIntermediate;
    return AnsiEvent::kNone;
  }
  bool had_intermediate = state_ == State::kEscapeIntermediate;
  state_ = State::kGround;
  if (had_intermediate) return AnsiEvent::kNone;  // e.g. ESC ( B, ESC # 8: none supported
  if (byte == '[') {
    start_csi();
    return AnsiEvent::kNone;
  }
  if (opens_control_string(byte)) {
    state_ = State::kControlString;
    return AnsiEvent::kNone;
  }
  return is_escape_final(byte) ? AnsiEvent::kEscape : AnsiEvent::kNone;
}

void AnsiParser::start_csi() {
  state_ = State::kCsi;
  parameter_count_ = 0;
  for (uint16_t& parameter : parameters_) parameter = 0;
}

AnsiEvent AnsiParser::feed_csi(uint8_t byte) {
  if (is_final(byte)) {
    bool malformed = state_ == State::kCsiIgnore;
    state_ = State::kGround;
    return malformed ? AnsiEvent::kNone : AnsiEvent::kCsi;
  }
  if (state_ == State::kCsiIgnore) return AnsiEvent::kNone;
  if (is_digit(byte)) {
    if (parameter_count_ == 0) parameter_count_ = 1;
    uint32_t value = parameters_[parameter_count_ - 1] * 10u + (byte - '0');
    if (value > kMaxParameterValue) {
      state_ = State::kCsiIgnore;
      return AnsiEvent::kNone;
    }
    parameters_[parameter_count_ - 1] = static_cast<uint16_t>(value);
    return AnsiEvent::kNone;
  }
  if (byte == ';') {
    if (parameter_count_ == 0) parameter_count_ = 1;  // "ESC[;5H": the first one was omitted
    if (parameter_count_ == kMaxParameters) {
      state_ = State::kCsiIgnore;
      return AnsiEvent::kNone;
    }
    ++parameter_count_;
    return AnsiEvent::kNone;
  }
  // ':' sub-parameters, private markers '<' '=' '>' '?' and intermediates: none of the
  // sequences that use them (DEC private modes, cursor style...) is supported.
  if (is_parameter_byte(byte) || is_intermediate(byte)) state_ = State::kCsiIgnore;
  return AnsiEvent::kNone;
}

AnsiEvent AnsiParser::feed_control_string(uint8_t byte) {
  if (state_ == State::kControlStringEscape) {
    if (byte == '\\') {  // ESC \ is ST, the proper end of the string
      state_ = State::kGround;
      return AnsiEvent::kNone;
    }
    // Any other ESC x ends the string and is itself an escape sequence.
    state_ = State::kEscape;
    return feed(byte);
  }
  if (byte == kEscapeByte) {
    state_ = State::kControlStringEscape;
  } else if (byte == kBell || byte == kCancel || byte == kSubstitute) {
    state_ = State::kGround;  // BEL ends an OSC in xterm practice; CAN/SUB abort
  }
  return AnsiEvent::kNone;
}

}  // namespace bm::terminal
