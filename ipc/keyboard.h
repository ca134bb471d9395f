// The keyboard protocol (labels 0x201..): key events and characters from the keyboard server,
// and the key codes, modifier bits and layout ids that the server and its clients share.
// docs/protocols.md describes every message.
#pragma once

#include <stdint.h>

#include "ipc/listed_enum.h"
#include "ipc/wire_codec.h"

namespace bm::ipc::keyboard {

using ipc::decode;  // the codecs of ipc/wire_codec.h
using ipc::encode;

// X(name, value, "text"): every key, once. A key code names a physical key by its place on
// a US keyboard (values are the USB HID keyboard usages, HID Usage Tables 1.12 §10, page
// 0x07), whatever character the layout gives it: on the de layout kY types 'z'.
// kUnidentified (0x100, past the HID page) is a character that came without a physical key,
// such as an "é" from a serial terminal; the event's character says which.
#define BM_KEY_LIST(X)                 \
  X(kNone, 0x00, "none")               \
  X(kA, 0x04, "A")                     \
  X(kB, 0x05, "B")                     \
  X(kC, 0x06, "C")                     \
  X(kD, 0x07, "D")                     \
  X(kE, 0x08, "E")                     \
  X(kF, 0x09, "F")                     \
  X(kG, 0x0a, "G")                     \
  X(kH, 0x0b, "H")                     \
  X(kI, 0x0c, "I")                     \
  X(kJ, 0x0d, "J")                     \
  X(kK, 0x0e, "K")                     \
  X(kL, 0x0f, "L")                     \
  X(kM, 0x10, "M")                     \
  X(kN, 0x11, "N")                     \
  X(kO, 0x12, "O")                     \
  X(kP, 0x13, "P")                     \
  X(kQ, 0x14, "Q")                     \
  X(kR, 0x15, "R")                     \
  X(kS, 0x16, "S")                     \
  X(kT, 0x17, "T")                     \
  X(kU, 0x18, "U")                     \
  X(kV, 0x19, "V")                     \
  X(kW, 0x1a, "W")                     \
  X(kX, 0x1b, "X")                     \
  X(kY, 0x1c, "Y")                     \
  X(kZ, 0x1d, "Z")                     \
  X(kDigit1, 0x1e, "1")                \
  X(kDigit2, 0x1f, "2")                \
  X(kDigit3, 0x20, "3")                \
  X(kDigit4, 0x21, "4")                \
  X(kDigit5, 0x22, "5")                \
  X(kDigit6, 0x23, "6")                \
  X(kDigit7, 0x24, "7")                \
  X(kDigit8, 0x25, "8")                \
  X(kDigit9, 0x26, "9")                \
  X(kDigit0, 0x27, "0")                \
  X(kEnter, 0x28, "Enter")             \
  X(kEscape, 0x29, "Escape")           \
  X(kBackspace, 0x2a, "Backspace")     \
  X(kTab, 0x2b, "Tab")                 \
  X(kSpace, 0x2c, "Space")             \
  X(kMinus, 0x2d, "-")                 \
  X(kEqual, 0x2e, "=")                 \
  X(kLeftBracket, 0x2f, "[")           \
  X(kRightBracket, 0x30, "]")          \
  X(kBackslash, 0x31, "\\")            \
  X(kNonUsHash, 0x32, "NonUS#")        \
  X(kSemicolon, 0x33, ";")             \
  X(kApostrophe, 0x34, "'")            \
  X(kGrave, 0x35, "`")                 \
  X(kComma, 0x36, ",")                 \
  X(kPeriod, 0x37, ".")                \
  X(kSlash, 0x38, "/")                 \
  X(kCapsLock, 0x39, "CapsLock")       \
  X(kF1, 0x3a, "F1")                   \
  X(kF2, 0x3b, "F2")                   \
  X(kF3, 0x3c, "F3")                   \
  X(kF4, 0x3d, "F4")                   \
  X(kF5, 0x3e, "F5")                   \
  X(kF6, 0x3f, "F6")                   \
  X(kF7, 0x40, "F7")                   \
  X(kF8, 0x41, "F8")                   \
  X(kF9, 0x42, "F9")                   \
  X(kF10, 0x43, "F10")                 \
  X(kF11, 0x44, "F11")                 \
  X(kF12, 0x45, "F12")                 \
  X(kPrintScreen, 0x46, "PrintScreen") \
  X(kScrollLock, 0x47, "ScrollLock")   \
  X(kPause, 0x48, "Pause")             \
  X(kInsert, 0x49, "Insert")           \
  X(kHome, 0x4a, "Home")               \
  X(kPageUp, 0x4b, "PageUp")           \
  X(kDelete, 0x4c, "Delete")           \
  X(kEnd, 0x4d, "End")                 \
  X(kPageDown, 0x4e, "PageDown")       \
  X(kRight, 0x4f, "Right")             \
  X(kLeft, 0x50, "Left")               \
  X(kDown, 0x51, "Down")               \
  X(kUp, 0x52, "Up")                   \
  X(kNumLock, 0x53, "NumLock")         \
  X(kKeypadDivide, 0x54, "Keypad/")    \
  X(kKeypadMultiply, 0x55, "Keypad*")  \
  X(kKeypadMinus, 0x56, "Keypad-")     \
  X(kKeypadPlus, 0x57, "Keypad+")      \
  X(kKeypadEnter, 0x58, "KeypadEnter") \
  X(kKeypad1, 0x59, "Keypad1")         \
  X(kKeypad2, 0x5a, "Keypad2")         \
  X(kKeypad3, 0x5b, "Keypad3")         \
  X(kKeypad4, 0x5c, "Keypad4")         \
  X(kKeypad5, 0x5d, "Keypad5")         \
  X(kKeypad6, 0x5e, "Keypad6")         \
  X(kKeypad7, 0x5f, "Keypad7")         \
  X(kKeypad8, 0x60, "Keypad8")         \
  X(kKeypad9, 0x61, "Keypad9")         \
  X(kKeypad0, 0x62, "Keypad0")         \
  X(kKeypadPeriod, 0x63, "Keypad.")    \
  X(kNonUsBackslash, 0x64, "NonUS\\")  \
  X(kMenu, 0x65, "Menu")               \
  X(kLeftCtrl, 0xe0, "LeftCtrl")       \
  X(kLeftShift, 0xe1, "LeftShift")     \
  X(kLeftAlt, 0xe2, "LeftAlt")         \
  X(kLeftGui, 0xe3, "LeftGui")         \
  X(kRightCtrl, 0xe4, "RightCtrl")     \
  X(kRightShift, 0xe5, "RightShift")   \
  X(kRightAlt, 0xe6, "RightAlt")       \
  X(kRightGui, 0xe7, "RightGui")       \
  X(kUnidentified, 0x100, "Unidentified")

// is_key_code: true for a value BM_KEY_LIST defines, kNone included.
BM_DEFINE_LISTED_ENUM(KeyCode, uint16_t, BM_KEY_LIST, is_key_code, key_name, "unknown key")

// Modifier state at the time of an event (either Shift, either Ctrl, left Alt; AltGr is
// the right Alt key, which layouts such as de use for a third character on a key).
enum Modifier : uint8_t {
  kModShift = 1u << 0,
  kModCtrl = 1u << 1,
  kModAlt = 1u << 2,
  kModCapsLock = 1u << 3,  // the lock is on, not the key held
  kModNumLock = 1u << 4,
  kModAltGr = 1u << 5,
};
constexpr uint8_t kAllModifiers =
    kModShift | kModCtrl | kModAlt | kModCapsLock | kModNumLock | kModAltGr;

enum class Layout : uint64_t {
  kUs = 1,
  kDe = 2,
};
constexpr bool is_layout(uint64_t value) { return value == 1 || value == 2; }

// A Unicode scalar value: what a layout may produce (0 means "no character").
constexpr bool is_code_point(uint64_t value) {
  return value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff);
}

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_KEYBOARD_MESSAGES(X)                 \
  X(ReadEvent, 0x201, "read_event", 1, 1, 4, 4) \
  X(ReadChar, 0x202, "read_char", 1, 1, 2, 2)   \
  X(SetLayout, 0x203, "set_layout", 1, 1, 1, 1)

BM_DEFINE_MESSAGES(BM_KEYBOARD_MESSAGES, Label, kMessages)

// Requests a client may send again to a restarted server: a read the old server never
// answered took no key.
constexpr uint32_t kIdempotent[] = {kReadEvent, kReadChar, kSetLayout};

// Event flags word: modifiers in bits 0-7, pressed in bit 8; the other bits are zero.
constexpr uint32_t kEventPressedShift = 8;
constexpr uint64_t kEventPressedBit = 1u << kEventPressedShift;

// An event names a real key (not kNone), known modifier bits and a code point or 0.
constexpr bool is_event_key(uint64_t value) { return value != 0 && is_key_code(value); }

// A code point a read_char reply can carry: never 0.
constexpr bool is_character(uint64_t value) { return value != 0 && is_code_point(value); }

// One key going down (again, when it repeats) or up.
struct KeyEvent {
  KeyCode key = KeyCode::kNone;
  bool pressed = false;
  uint8_t modifiers = 0;   // Modifier bits
  uint32_t character = 0;  // code point the layout gives, 0 if none (or a release)
  using Wire = Fields<Checked<&KeyEvent::key, is_event_key>,
                      PackedWord<Bits<&KeyEvent::modifiers, 0, kAllModifiers>,
                                 Bits<&KeyEvent::pressed, kEventPressedShift, 1>>,
                      Checked<&KeyEvent::character, is_code_point>>;
};

constexpr bool valid_event(const KeyEvent& event) { return KeyEvent::Wire::fits(event); }

// read_event: the next key event, or kWouldBlock at once if there is none and !blocking.
struct ReadEventRequest {
  bool blocking = true;
  using Wire = Request<kReadEventSpec, Flag<&ReadEventRequest::blocking>>;
};
struct ReadEventReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  KeyEvent event{};
  using Wire = Reply<kReadEventSpec, Nested<&ReadEventReply::event>>;
};

// read_char: the next key press that gives a character (other events are consumed).
struct ReadCharRequest {
  bool blocking = true;
  using Wire = Request<kReadCharSpec, Flag<&ReadCharRequest::blocking>>;
};
struct ReadCharReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint32_t character = 0;  // a code point, never 0 in a kOk reply
  using Wire = Reply<kReadCharSpec, Checked<&ReadCharReply::character, is_character>>;
};

// set_layout: kUnsupported if the server was built without that layout.
struct SetLayoutRequest {
  Layout layout = Layout::kUs;
  using Wire = Request<kSetLayoutSpec, Checked<&SetLayoutRequest::layout, is_layout>>;
};
using SetLayoutReply = StatusReply<kSetLayoutSpec>;

}  // namespace bm::ipc::keyboard
