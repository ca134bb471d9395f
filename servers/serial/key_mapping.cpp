// Input events to key events: the US layout read backwards (which key, with which modifiers,
// types this character), matching what servers/keyboard reports for the same keystroke.
#include "servers/serial/key_mapping.h"

namespace bm::serial {
namespace {

using ipc::keyboard::KeyCode;
using ipc::keyboard::KeyEvent;
using ipc::keyboard::kModCtrl;
using ipc::keyboard::kModShift;

// The US keys that type punctuation and digits, unshifted and shifted (the legends of a US
// keyboard, as servers/keyboard/layout_us.cpp has them).
struct SymbolKey {
  KeyCode key;
  char normal;
  char shifted;
};

constexpr SymbolKey kSymbolKeys[] = {
    {KeyCode::kDigit1, '1', '!'},      {KeyCode::kDigit2, '2', '@'},
    {KeyCode::kDigit3, '3', '#'},      {KeyCode::kDigit4, '4', '$'},
    {KeyCode::kDigit5, '5', '%'},      {KeyCode::kDigit6, '6', '^'},
    {KeyCode::kDigit7, '7', '&'},      {KeyCode::kDigit8, '8', '*'},
    {KeyCode::kDigit9, '9', '('},      {KeyCode::kDigit0, '0', ')'},
    {KeyCode::kMinus, '-', '_'},       {KeyCode::kEqual, '=', '+'},
    {KeyCode::kLeftBracket, '[', '{'}, {KeyCode::kRightBracket, ']', '}'},
    {KeyCode::kBackslash, '\\', '|'},  {KeyCode::kSemicolon, ';', ':'},
    {KeyCode::kApostrophe, '\'', '"'}, {KeyCode::kGrave, '`', '~'},
    {KeyCode::kComma, ',', '<'},       {KeyCode::kPeriod, '.', '>'},
    {KeyCode::kSlash, '/', '?'},       {KeyCode::kSpace, ' ', 0},
};

// Control characters the keyboard server makes from Ctrl + a key (its control_character):
// Ctrl + a letter, and Ctrl + [ \ ] ^ _ (ESC is the line discipline's, and never arrives).
bool control_key(uint32_t c, KeyEvent* event) {
  if (c >= 1 && c <= 26) {
    event->key = static_cast<KeyCode>(static_cast<uint32_t>(KeyCode::kA) + c - 1);
    event->modifiers = kModCtrl;
    return true;
  }
  switch (c) {
    case 0x1B:
      event->key = KeyCode::kEscape;  // what servers/keyboard reports for Escape
      return true;
    case 0x1C:
      event->key = KeyCode::kBackslash;
      event->modifiers = kModCtrl;
      return true;
    case 0x1D:
      event->key = KeyCode::kRightBracket;
      event->modifiers = kModCtrl;
      return true;
    case 0x1E:  // '^' is Shift+6
      event->key = KeyCode::kDigit6;
      event->modifiers = kModCtrl | kModShift;
      return true;
    case 0x1F:  // '_' is Shift+-
      event->key = KeyCode::kMinus;
      event->modifiers = kModCtrl | kModShift;
      return true;
    default:
      return false;
  }
}

bool printable_key(uint32_t c, KeyEvent* event) {
  if (c >= 'a' && c <= 'z') {
    event->key = static_cast<KeyCode>(static_cast<uint32_t>(KeyCode::kA) + (c - 'a'));
    return true;
  }
  if (c >= 'A' && c <= 'Z') {
    event->key = static_cast<KeyCode>(static_cast<uint32_t>(KeyCode::kA) + (c - 'A'));
    event->modifiers = kModShift;
    return true;
  }
  for (const SymbolKey& symbol : kSymbolKeys) {
    if (c == static_cast<uint32_t>(symbol.normal)) {
      event->key = symbol.key;
      return true;
    }
    if (symbol.shifted != 0 && c == static_cast<uint32_t>(symbol.shifted)) {
      event->key = symbol.key;
      event->modifiers = kModShift;
      return true;
    }
  }
  return false;
}

KeyCode editing_key(Key key) {
  switch (key) {
    case Key::kUp:
      return KeyCode::kUp;
    case Key::kDown:
      return KeyCode::kDown;
    case Key::kLeft:
      return KeyCode::kLeft;
    case Key::kRight:
      return KeyCode::kRight;
    case Key::kHome:
      return KeyCode::kHome;
    case Key::kEnd:
      return KeyCode::kEnd;
    case Key::kDelete:
      return KeyCode::kDelete;
    case Key::kBackspace:
      return KeyCode::kBackspace;
    case Key::kEnter:
      return KeyCode::kEnter;
    case Key::kTab:
      return KeyCode::kTab;
    case Key::kNone:
      break;
  }
  return KeyCode::kUnidentified;
}

}  // namespace

KeyEvent key_event_for(const InputEvent& input) {
  KeyEvent event;
  event.pressed = true;
  if (input.kind == InputEvent::kKey) {
    event.key = editing_key(input.key);
    event.character = input.character;  // '\n', '\b', '\t' or 0, as the discipline set it
    return event;
  }
  // The line discipline only produces Unicode scalar values; anything else would make an
  // event the protocol refuses, so it becomes U+FFFD as malformed input does.
  event.character =
      ipc::keyboard::is_code_point(input.character) ? input.character : kReplacementCharacter;
  if (!control_key(event.character, &event) && !printable_key(event.character, &event)) {
    event.key = KeyCode::kUnidentified;
    event.modifiers = 0;
  }
  return event;
}

}  // namespace bm::serial
