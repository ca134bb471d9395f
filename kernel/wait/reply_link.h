// The link a call makes between two threads: the caller waits for a reply
// (Thread::serving_us) that the server owes it (Thread::reply_to). Kept here,
// below tasks, because ending a task must break its threads' links.
#pragma once

#include "kernel/sched/thread.h"

namespace kernel {

// A thread is being killed: a caller waiting on it hears kPeerGone, and a
// server it waited on (or a reply object holding its call) no longer owes it
// a reply.
void ipc_abandon(Thread* thread);

}  // namespace kernel
