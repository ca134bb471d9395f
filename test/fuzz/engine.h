// One fuzzed system call at a time: pick a number and biased arguments,
// make them safe for the fuzzer itself (it must neither end nor block for
// good), run the call with random RFLAGS bits, check what came back, and
// keep the handle books.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "test/fuzz/call_log.h"
#include "test/fuzz/prng.h"
#include "test/fuzz/world.h"

namespace fuzz {

class Engine {
 public:
  Engine(World& world, Prng& random, CallLog& log, uint64_t trace_from)
      : world_(world), random_(random), log_(log), trace_from_(trace_from) {}

  // Makes call number `index` of the run. False if a check failed (the
  // reason is printed).
  bool step(uint64_t index);
  // Starts a fuzz_child task in `role` (its priority) with user::load_program,
  // supervised by the supervisor thread. The task handle joins the children.
  bm::ipc::ProtocolStatus spawn_child(uint64_t role);

  uint64_t calls_by_status(uint32_t status) const { return by_status_[status < 17 ? status : 17]; }
  uint64_t children_started() const { return children_started_; }

 private:
  uint64_t pick_number();
  void typed_arguments(uint64_t number, uint64_t arguments[6]);
  // Rewrites what would end or block the fuzzer; may change the number.
  void make_safe(uint64_t* number, uint64_t arguments[6]);
  bool run(uint64_t index, uint64_t number, uint64_t arguments[6], uint64_t flags);
  void keep_books(uint64_t number, const uint64_t arguments[6], uint64_t sent_handle,
                  const uint64_t results[6], uint64_t status);
  // After the fuzzer's own thread received a message it may owe a reply:
  // ending every child (the only possible callers) clears that.
  void drop_owed_reply();
  bool served(uint64_t handle) const;
  uint64_t mint_supervisor_handle();

  World& world_;
  Prng& random_;
  CallLog& log_;
  uint64_t trace_from_;
  uint64_t by_status_[18] = {};
  uint64_t children_started_ = 0;
  uint64_t next_badge_ = 1;
  uint64_t minted_ = 0;  // a supervisor handle made for this task_create
};

}  // namespace fuzz
