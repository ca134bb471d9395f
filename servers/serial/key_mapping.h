// From the line discipline's input events to the keyboard protocol's key events, so a client
// reading "keyboard" cannot tell a serial terminal from the PS/2 keyboard server.
#pragma once

#include "ipc/keyboard.h"
#include "servers/serial/line_discipline.h"

namespace bm::serial {

// Editing keys become their KeyCode (Enter '\n', Backspace '\b', Tab '\t', the others no
// character). A character becomes the US-layout key that types it, with Shift or Ctrl where
// that layout needs them (so 'A' is kA + Shift and Ctrl-C is kC + Ctrl); a character no US
// key types (non-ASCII, NUL) becomes kUnidentified. Every event is a press: a terminal
// sends characters, not key releases.
ipc::keyboard::KeyEvent key_event_for(const InputEvent& input);

}  // namespace bm::serial
