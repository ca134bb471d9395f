// Starting the suite's helper programs (helper.cpp) through init, and the suite's side of their
// "ready" call (control.h): each helper is a task of its own, so fs knows it as a client of
// its own.
#pragma once

#include <stdint.h>

#include "ipc/programs.h"
#include "test/fs/fs_test.h"

namespace fs_tests {

// A helper's ready call, kept (reply_take) until the suite lets it go.
struct ReadyCall {
  Handle reply = 0;     // the reply object holding the call; 0 when none came
  uint64_t number = 0;  // w0..w3 of control.h's kReadyLabel
  uint64_t failures = 0;
  uint64_t first_fd = 0;
  uint64_t second_fd = 0;
};

// Starts the helper with `arguments` (its role): the program's id, or 0.
uint64_t start_helper(const char* arguments);
// Waits up to `milliseconds` for the next helper's ready call; false if none came.
bool await_ready(uint64_t milliseconds, ReadyCall* out);
// Answers the call with kGoLabel (the helper carries on) and frees the reply object.
void let_go(ReadyCall* call);
// Frees the reply object without answering: for a helper the suite killed.
void drop(ReadyCall* call);
// Waits until the program ends; kExited with its exit code, or how it ended.
bool wait_helper(uint64_t program, bm::ipc::WaitProgramReply* out);
// The fs server's task id (init's supervisor list), or 0.
uint32_t fs_task_id();

}  // namespace fs_tests
