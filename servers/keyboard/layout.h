// Keyboard layouts as data: for each key that types something, the character without
// modifiers, with Shift and with AltGr. Layouts differ only in these tables.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "servers/keyboard/key_event.h"

namespace bm::keyboard {

// One row of a layout. Characters are Unicode code points; 0 means "types nothing".
struct KeyCharacters {
  Key key;
  uint32_t normal;
  uint32_t shifted;
  uint32_t altgr;
  bool caps_lock;  // Caps Lock acts like Shift on this key (letters; de: also ä ö ü)
};

// Keys every layout shares (Enter, Tab, Space, the keypad operators, ...) are the decoder's
// business; a layout lists only the keys whose characters depend on the country.
struct Layout {
  const char* name;
  bool right_alt_is_altgr;  // right Alt gives kAltGr (de) instead of kAlt (us)
  uint32_t keypad_decimal;  // keypad '.' with Num Lock on: '.' (us) or ',' (de)
  const KeyCharacters* keys;
  size_t key_count;

  // The row for key, or nullptr when this layout gives the key no character. Linear: a
  // layout has about 50 rows and this runs once per keystroke.
  constexpr const KeyCharacters* find(Key key) const {
    for (size_t i = 0; i < key_count; ++i) {
      if (keys[i].key == key) return &keys[i];
    }
    return nullptr;
  }
};

const Layout& layout_us();
const Layout& layout_de();

// True when a equals the known, terminated name b. Stops at the first difference, so it reads
// at most strlen(b) + 1 bytes of a, however long a is.
inline bool layout_name_equals(const char* a, const char* b) {
  for (size_t i = 0;; ++i) {
    if (a[i] != b[i]) return false;
    if (b[i] == '\0') return true;
  }
}

// The layout called name ("us", "de"), or nullptr for an unknown name or nullptr.
inline const Layout* find_layout(const char* name) {
  if (name == nullptr) return nullptr;
  const Layout* const layouts[] = {&layout_us(), &layout_de()};
  for (const Layout* layout : layouts) {
    if (layout_name_equals(name, layout->name)) return layout;
  }
  return nullptr;
}

}  // namespace bm::keyboard
