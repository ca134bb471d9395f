// Tiny servers for the transport tests: each decodes a request with the ipc/ codecs, acts on
// a fake device, and encodes the reply, answering anything it cannot decode with the error
// alone, as the real servers must.
#pragma once

#include <deque>
#include <set>
#include <string>

#include "ipc/console.h"
#include "ipc/keyboard.h"
#include "ipc/serial.h"

namespace bm::ipc::testing {

// A screen that records what was written to it.
struct FakeScreen {
  uint32_t rows = 25;
  uint32_t columns = 80;
  std::string text;
  console::Colour foreground = console::Colour::kLightGrey;
  console::Colour background = console::Colour::kBlack;
  uint32_t row = 0;
  uint32_t column = 0;
  int clears = 0;
};
void serve_console(FakeScreen& screen, const WireMessage& request, WireMessage* reply);

struct FakeKeyboard {
  std::deque<keyboard::KeyEvent> queued;    // decoded already, ready to read
  std::deque<keyboard::KeyEvent> arriving;  // what a blocking read waits for (the next IRQs)
  std::set<keyboard::Layout> built_in = {keyboard::Layout::kUs, keyboard::Layout::kDe};
  keyboard::Layout layout = keyboard::Layout::kUs;
};
void serve_keyboard(FakeKeyboard& keyboard, const WireMessage& request, WireMessage* reply);

// A UART: what went out on the wire, what came in, and its line settings. The serial server
// speaks console too: console writes get CR/LF translation, raw writes do not.
struct FakeUart {
  std::string transmitted;
  std::string received;  // not read yet
  std::string arriving;  // what a blocking read waits for
  serial::LineSettings line;
};
void serve_serial(FakeUart& uart, const WireMessage& request, WireMessage* reply);

}  // namespace bm::ipc::testing
