// The Key -> KeyCode table and the modifier-bit mapping (see wire_event.h).
#include "servers/keyboard/wire_event.h"

namespace bm::keyboard {
namespace {

using ipc::keyboard::KeyCode;

struct KeyPair {
  Key key;
  KeyCode code;
};

// Every decoder key once; both enums use the same names, so each line pairs a name with itself.
#define BM_PAIR(name) {Key::name, KeyCode::name}
constexpr KeyPair kPairs[] = {
    BM_PAIR(kEscape),        BM_PAIR(kDigit1),        BM_PAIR(kDigit2),
    BM_PAIR(kDigit3),        BM_PAIR(kDigit4),        BM_PAIR(kDigit5),
    BM_PAIR(kDigit6),        BM_PAIR(kDigit7),        BM_PAIR(kDigit8),
    BM_PAIR(kDigit9),        BM_PAIR(kDigit0),        BM_PAIR(kMinus),
    BM_PAIR(kEqual),         BM_PAIR(kBackspace),     BM_PAIR(kTab),
    BM_PAIR(kQ),             BM_PAIR(kW),             BM_PAIR(kE),
    BM_PAIR(kR),             BM_PAIR(kT),             BM_PAIR(kY),
    BM_PAIR(kU),             BM_PAIR(kI),             BM_PAIR(kO),
    BM_PAIR(kP),             BM_PAIR(kLeftBracket),   BM_PAIR(kRightBracket),
    BM_PAIR(kEnter),         BM_PAIR(kLeftCtrl),      BM_PAIR(kA),
    BM_PAIR(kS),             BM_PAIR(kD),             BM_PAIR(kF),
    BM_PAIR(kG),             BM_PAIR(kH),             BM_PAIR(kJ),
    BM_PAIR(kK),             BM_PAIR(kL),             BM_PAIR(kSemicolon),
    BM_PAIR(kApostrophe),    BM_PAIR(kGrave),         BM_PAIR(kLeftShift),
    BM_PAIR(kBackslash),     BM_PAIR(kZ),             BM_PAIR(kX),
    BM_PAIR(kC),             BM_PAIR(kV),             BM_PAIR(kB),
    BM_PAIR(kN),             BM_PAIR(kM),             BM_PAIR(kComma),
    BM_PAIR(kPeriod),        BM_PAIR(kSlash),         BM_PAIR(kRightShift),
    BM_PAIR(kKeypadMultiply), BM_PAIR(kLeftAlt),      BM_PAIR(kSpace),
    BM_PAIR(kCapsLock),      BM_PAIR(kF1),            BM_PAIR(kF2),
    BM_PAIR(kF3),            BM_PAIR(kF4),            BM_PAIR(kF5),
    BM_PAIR(kF6),            BM_PAIR(kF7),            BM_PAIR(kF8),
    BM_PAIR(kF9),            BM_PAIR(kF10),           BM_PAIR(kNumLock),
    BM_PAIR(kScrollLock),    BM_PAIR(kKeypad7),       BM_PAIR(kKeypad8),
    BM_PAIR(kKeypad9),       BM_PAIR(kKeypadMinus),   BM_PAIR(kKeypad4),
    BM_PAIR(kKeypad5),       BM_PAIR(kKeypad6),       BM_PAIR(kKeypadPlus),
    BM_PAIR(kKeypad1),       BM_PAIR(kKeypad2),       BM_PAIR(kKeypad3),
    BM_PAIR(kKeypad0),       BM_PAIR(kKeypadPeriod),  BM_PAIR(kNonUsBackslash),
    BM_PAIR(kF11),           BM_PAIR(kF12),           BM_PAIR(kKeypadEnter),
    BM_PAIR(kRightCtrl),     BM_PAIR(kKeypadDivide),  BM_PAIR(kPrintScreen),
    BM_PAIR(kRightAlt),      BM_PAIR(kHome),          BM_PAIR(kUp),
    BM_PAIR(kPageUp),        BM_PAIR(kLeft),          BM_PAIR(kRight),
    BM_PAIR(kEnd),           BM_PAIR(kDown),          BM_PAIR(kPageDown),
    BM_PAIR(kInsert),        BM_PAIR(kDelete),        BM_PAIR(kLeftGui),
    BM_PAIR(kRightGui),      BM_PAIR(kMenu),          BM_PAIR(kPause),
};
#undef BM_PAIR

// The table is in Key order with no gaps, so a key's entry is at index key - 1.
constexpr bool pairs_in_key_order() {
  for (unsigned i = 0; i < sizeof(kPairs) / sizeof(kPairs[0]); ++i) {
    if (static_cast<unsigned>(kPairs[i].key) != i + 1) return false;
  }
  return sizeof(kPairs) / sizeof(kPairs[0]) + 1 == static_cast<unsigned>(Key::kCount);
}
static_assert(pairs_in_key_order(), "kPairs must list every Key once, in enum order");

}  // namespace

ipc::keyboard::KeyCode wire_key(Key key) {
  auto index = static_cast<unsigned>(key);
  if (index == 0 || index >= static_cast<unsigned>(Key::kCount)) return KeyCode::kNone;
  return kPairs[index - 1].code;
}

uint8_t wire_modifiers(uint8_t decoder_modifiers) {
  namespace wire = ipc::keyboard;
  uint8_t out = 0;
  if (decoder_modifiers & kShift) out |= wire::kModShift;
  if (decoder_modifiers & kCtrl) out |= wire::kModCtrl;
  if (decoder_modifiers & kAlt) out |= wire::kModAlt;
  if (decoder_modifiers & kAltGr) out |= wire::kModAltGr;
  if (decoder_modifiers & kCapsLock) out |= wire::kModCapsLock;
  if (decoder_modifiers & kNumLock) out |= wire::kModNumLock;
  return out;  // Scroll Lock has no protocol bit: it changes no character
}

ipc::keyboard::KeyEvent wire_event(const KeyEvent& event) {
  ipc::keyboard::KeyEvent out;
  out.key = wire_key(event.key);
  out.pressed = event.pressed;
  out.modifiers = wire_modifiers(event.modifiers);
  out.character = event.pressed ? event.character : 0;
  return out;
}

}  // namespace bm::keyboard
