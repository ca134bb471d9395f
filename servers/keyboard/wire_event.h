// From the decoder's key events to the keyboard protocol's (ipc/keyboard.h). The decoder
// numbers keys densely in scan-code order so its tables are small arrays; the protocol names
// them by USB HID usage, which means something outside this server.
#pragma once

#include <stdint.h>

#include "ipc/keyboard.h"
#include "servers/keyboard/key_event.h"

namespace bm::keyboard {

ipc::keyboard::KeyCode wire_key(Key key);          // kNone for kNone and out-of-range values
uint8_t wire_modifiers(uint8_t decoder_modifiers);  // Modifier bits -> ipc Modifier bits
ipc::keyboard::KeyEvent wire_event(const KeyEvent& event);

}  // namespace bm::keyboard
