// What the CPU must load to run a thread of a task: the task's page tables and
// its I/O permission bitmap. Each task owns one (kernel/task/task.h) and keeps
// it current; its threads point at it, so a thread switch needs nothing else of
// the task, and the scheduler does not depend on kernel/task.
#pragma once

#include <stdint.h>

namespace kernel {

struct TaskContext {
  uint64_t page_table_root = 0;    // the value for CR3
  uint8_t* io_bitmap = nullptr;    // 8 KiB once the task holds any port range; null: no port
  uint32_t io_span_begin = 0;      // the bytes of io_bitmap that may allow a port;
  uint32_t io_span_end = 0;        // all others are 0xff (arch::IoBitmapSpan)
  bool io_every_port = false;      // a grant covers every port: no bitmap to copy
  bool io_bitmap_changed = false;  // since the TSS last copied it
};

// On a switch to a thread of another task: its page tables and its ports.
void load_task_context(TaskContext& context);
// Its ports alone (the running task's changed).
void load_io_permissions(TaskContext& context);
// The TSS must not keep a copy of this context's ports any more (the task ends).
void forget_io_permissions(const TaskContext& context);

}  // namespace kernel
