// Key codes, modifier bits and the event the keyboard server hands to its clients.
// Hardware-independent: the same definitions serve the decoder, the server and host tests.
#pragma once

#include <stdint.h>

namespace bm::keyboard {

// A physical key, named after its legend on a US keyboard (as USB HID usages and W3C
// KeyboardEvent.code do): on the de layout Key::kY types 'z'. The layout only changes
// KeyEvent::character, never the key. Values are sequential and carry no meaning of their
// own; kCount bounds them. Keypad keys with Num Lock off report the navigation key
// (kKeypad7 -> kHome), because that is what they do then. The names are those of
// ipc/keyboard.h's KeyCode (whose values are USB HID usages), so the two can be unified.
// clang-format off
enum class Key : uint8_t {
  kNone = 0,
  // Main block, in scan code set 1 order.
  kEscape,
  kDigit1, kDigit2, kDigit3, kDigit4, kDigit5, kDigit6, kDigit7, kDigit8, kDigit9, kDigit0,
  kMinus, kEqual, kBackspace, kTab,
  kQ, kW, kE, kR, kT, kY, kU, kI, kO, kP,
  kLeftBracket, kRightBracket, kEnter, kLeftCtrl,
  kA, kS, kD, kF, kG, kH, kJ, kK, kL,
  kSemicolon, kApostrophe, kGrave, kLeftShift, kBackslash,
  kZ, kX, kC, kV, kB, kN, kM,
  kComma, kPeriod, kSlash, kRightShift,
  kKeypadMultiply, kLeftAlt, kSpace, kCapsLock,
  kF1, kF2, kF3, kF4, kF5, kF6, kF7, kF8, kF9, kF10,
  kNumLock, kScrollLock,
  kKeypad7, kKeypad8, kKeypad9, kKeypadMinus,
  kKeypad4, kKeypad5, kKeypad6, kKeypadPlus,
  kKeypad1, kKeypad2, kKeypad3, kKeypad0, kKeypadPeriod,
  kNonUsBackslash,  // the extra ISO key left of Z (de: < > |)
  kF11, kF12,
  // Keys behind the E0 prefix.
  kKeypadEnter, kRightCtrl, kKeypadDivide, kPrintScreen, kRightAlt,
  kHome, kUp, kPageUp, kLeft, kRight, kEnd, kDown, kPageDown, kInsert, kDelete,
  kLeftGui, kRightGui, kMenu,
  // E1 1D 45 (and Ctrl+Break, E0 46).
  kPause,
  kCount,
};
// clang-format on

// Bits of KeyEvent::modifiers and Decoder::modifiers(). kAltGr is set only on layouts whose
// right Alt is AltGr; elsewhere right Alt counts as kAlt.
enum Modifier : uint8_t {
  kShift = 1,
  kCtrl = 2,
  kAlt = 4,
  kAltGr = 8,
  kCapsLock = 16,
  kNumLock = 32,
  kScrollLock = 64,
};

struct KeyEvent {
  Key key;
  bool pressed;        // false for a break code; a typematic repeat is another press
  uint8_t modifiers;   // Modifier bits after this event took effect
  uint32_t character;  // Unicode code point typed, or 0 (releases, non-printing keys)
};

}  // namespace bm::keyboard
