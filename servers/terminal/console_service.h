// The vga server's answer to one console-protocol request (ipc/console.h): decode, draw on
// the Terminal, encode the reply. The server's loop calls it for every request; host tests
// (test/host/vga) call it with encoded messages on a fake screen.
#pragma once

#include "ipc/console.h"
#include "servers/terminal/terminal.h"

namespace bm::terminal {

// Fills `reply` (always) for `request`. True when a write put text on the screen, the cue for
// the server's latency probe.
bool serve_console_request(Terminal& terminal, const ipc::WireMessage& request,
                           ipc::WireMessage* reply);

}  // namespace bm::terminal
