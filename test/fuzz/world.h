// What the fuzzer owns while it runs: the handles it must keep (protected),
// the pool of handles it created and may destroy, the stale values of
// closed ones, its child tasks, and its scratch memory.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"

namespace fuzz {

using bm::abi::Handle;

// Where the scratch memory lives: kScratchPages writable pages, then one
// read-only page after a gap, then unmapped space (pointers straddle into
// it). kMapArea is where fuzzed memory_map calls mostly aim.
constexpr uint64_t kScratchBase = 0x10000000;
constexpr uint64_t kScratchPages = 4;
constexpr uint64_t kReadOnlyPage = kScratchBase + 8 * 4096;
constexpr uint64_t kMapArea = 0x20000000;
constexpr uint64_t kMapAreaPages = 64;

// Handles the fuzzer needs to the end: never closed, moved or sent away.
struct Protected {
  Handle bootstrap = 0;    // init's endpoint (served by init)
  Handle exit_port = 0;    // io-port range 0xf4: how the run leaves QEMU
  Handle post_port = 0;    // io-port range 0x80: harmless parent for sub-ranges
  Handle irq = 0;          // an IRQ line nothing raises
  Handle child_image = 0;  // fuzz_child's boot-module image
  uint64_t child_image_bytes = 0;
  Handle echo = 0;         // the companion echo server (served by echo)
  Handle served = 0;       // served by the partner thread
  Handle supervisor = 0;   // the children's supervisor (served by the supervisor thread)

  bool contains(uint64_t value) const;
};

struct PoolEntry {
  Handle value;
  bool served;  // an endpoint some thread always receives on: calls may block
};

class HandlePool {
 public:
  static constexpr uint32_t kCapacity = 96;
  static constexpr uint32_t kStaleCapacity = 32;

  // False when full (the caller closes the handle).
  bool add(Handle value, bool served);
  // Forgets a handle that was closed or moved away; it becomes a stale value.
  void retire(Handle value);
  bool contains(uint64_t value) const;
  bool served(uint64_t value) const;
  uint32_t size() const { return count_; }
  Handle at(uint32_t index) const { return entries_[index].value; }
  Handle stale_at(uint32_t index) const { return stale_[index % kStaleCapacity]; }
  uint32_t stale_count() const {
    return stale_written_ < kStaleCapacity ? stale_written_ : kStaleCapacity;
  }
  // Closes every handle (end of a run).
  void close_all();

 private:
  PoolEntry entries_[kCapacity] = {};
  uint32_t count_ = 0;
  Handle stale_[kStaleCapacity] = {};
  uint32_t stale_written_ = 0;
};

struct Child {
  Handle task;
  uint64_t role;
};
// The role of a child made by a raw task_create: an empty task, no program, no thread.
constexpr uint64_t kEmptyTask = ~0ull;

// Child tasks (fuzz_child): few at once, so the ones that block forever
// cannot pile up. The oldest is killed to make room.
class Children {
 public:
  static constexpr uint32_t kCapacity = 6;

  void add(Handle task, uint64_t role);
  bool contains(uint64_t value) const;
  uint32_t size() const { return count_; }
  Handle at(uint32_t index) const { return children_[index].task; }
  // Kills the oldest child and closes its handle.
  void kill_oldest();
  void kill_all();

 private:
  Child children_[kCapacity] = {};
  uint32_t count_ = 0;
};

struct World {
  Protected keep;
  HandlePool pool;
  Children children;
  bool nested_task_flag = false;  // args nt=1: include RFLAGS.NT
};

}  // namespace fuzz
