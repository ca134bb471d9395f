// Splits a console byte stream into printable bytes, control bytes and ANSI escape sequences.
// One byte at a time with all state kept here, so a sequence may be split across write() calls.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::terminal {

// What one byte completed. The sequence's details stay readable in the parser until the next
// feed() call.
enum class AnsiEvent : uint8_t {
  kNone,     // the byte was absorbed (part of a sequence, or of an ignored one)
  kPrint,    // byte() is to be shown: 0x20..0x7E, or >= 0x80 outside a sequence
  kControl,  // byte() is a C0 control (< 0x20, not ESC/CAN/SUB) or DEL; may arrive mid-sequence
  kEscape,   // ESC followed by the final byte byte() (0x30..0x7E), e.g. ESC 7
  kCsi,      // ESC [ parameters final: final byte in byte(), parameters below
};

class AnsiParser {
 public:
  // More parameters than this, or a value above kMaxParameterValue, makes the sequence
  // malformed: it is consumed up to its final byte and then ignored as a whole.
  static constexpr int kMaxParameters = 8;
  static constexpr uint32_t kMaxParameterValue = 0xFFFF;

  AnsiEvent feed(uint8_t byte);
  // Back to plain text; a half-read sequence is dropped.
  void reset() { state_ = State::kGround; }

  uint8_t byte() const { return byte_; }
  int parameter_count() const { return parameter_count_; }
  // An omitted parameter (as in "ESC[;5H") reads as 0; so does an index past the end.
  uint16_t parameter(int index) const {
    return index >= 0 && index < parameter_count_ ? parameters_[index] : 0;
  }

 private:
  enum class State : uint8_t {
    kGround,
    kEscape,               // after ESC
    kEscapeIntermediate,   // ESC 0x20..0x2F ... (charset designation etc.), all ignored
    kCsi,                  // ESC [ reading parameters
    kCsiIgnore,            // a CSI we will not act on, consumed up to its final byte
    kControlString,        // OSC/DCS/SOS/PM/APC payload, consumed up to BEL or ESC backslash
    kControlStringEscape,  // ESC seen inside a control string
  };

  AnsiEvent feed_escape(uint8_t byte);
  AnsiEvent feed_csi(uint8_t byte);
  AnsiEvent feed_control_string(uint8_t byte);
  void start_csi();

  State state_ = State::kGround;
  uint8_t byte_ = 0;
  int parameter_count_ = 0;
  uint16_t parameters_[kMaxParameters] = {};
};

}  // namespace bm::terminal
