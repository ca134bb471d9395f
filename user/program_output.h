// Where a program's text goes: the "console" service when the system has one (the screen or
// terminal of the shell that started it), the kernel log otherwise (a test system without a
// console, where the log is COM1).
#pragma once

#include <stddef.h>

#include "ipc/client_recovery.h"
#include "user/ipc.h"

namespace user {

class ProgramOutput {
 public:
  // Looks "console" up once, without waiting: a program starts long after the consoles.
  explicit ProgramOutput(Handle bootstrap);

  void write(const char* text, size_t length);
  // Formats into a line buffer (up to 256 bytes) and writes it.
  void printf(const char* format, ...) __attribute__((format(printf, 2, 3)));

  bool has_console() const { return console_.handle != 0; }

 private:
  bm::ipc::ServiceConnection console_{"console"};
};

}  // namespace user
