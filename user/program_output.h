// Where a program's text goes: the consoles the shell writes to, "console" (the screen, or
// COM1 when the shell talks over serial) and "console.serial" (COM1 next to the screen with
// console=both: servers/shell/manifest), whichever the system has; the kernel log when it has
// neither (a test system without a console, where the log is COM1).
#pragma once

#include <stddef.h>

#include "ipc/client_recovery.h"
#include "user/ipc.h"

namespace user {

class ProgramOutput {
 public:
  // Looks the consoles up once, without waiting: a program starts long after them.
  explicit ProgramOutput(Handle bootstrap);

  void write(const char* text, size_t length);
  // Formats into a line buffer (up to 256 bytes) and writes it.
  void printf(const char* format, ...) __attribute__((format(printf, 2, 3)));

  bool has_console() const { return consoles_[0].handle != 0 || consoles_[1].handle != 0; }

 private:
  bm::ipc::ServiceConnection consoles_[2] = {{"console"}, {"console.serial"}};
};

}  // namespace user
