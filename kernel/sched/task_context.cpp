// Loading a task's context on a thread switch.
#include "kernel/sched/task_context.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"

namespace kernel {

void load_task_context(TaskContext& context) {
  arch::write_cr3(context.page_table_root);
  load_io_permissions(context);
}

void load_io_permissions(TaskContext& context) {
  // Most tasks hold no ports: one test on every switch to them.
  if (context.io_bitmap == nullptr) {
    arch::tss_deny_every_port();
    return;
  }
  if (context.io_every_port) {
    arch::tss_allow_every_port();
    return;
  }
  // The context's address names its bitmap: the TSS skips the 8 KiB copy
  // when the same one is still loaded and unchanged.
  arch::tss_set_io_bitmap(context.io_bitmap, {context.io_span_begin, context.io_span_end},
                          &context, context.io_bitmap_changed);
  context.io_bitmap_changed = false;
}

void forget_io_permissions(const TaskContext& context) { arch::tss_forget_io_bitmap(&context); }

}  // namespace kernel
