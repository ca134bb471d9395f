// The in-QEMU memd test client (test/e2e/memd_tests.py boots several with different roles,
// next to memd with each policy). Every check prints one "MEMD PASS|FAIL <role>: <case>"
// line; the role ends with "MEMD DONE <role>".
//
// Roles (manifest args role=NAME):
//   heap     the heap tests: one allocation, a 1000-element growing vector, 10 000 boxes,
//            10 000 short-lived boxes next to a long-lived one; statistics back to zero
//   a, b     allocate at the same time, each filling its blocks with its own pattern, and
//            check them later; b also writes past the end of every block it has
//   exiter   allocates a few hundred KiB and ends without freeing: memd must take it all back
//   cacher   fills its block cache, checks memd counts the blocks as cached, then faults
//            (no restart): memd must take the cached blocks back with the rest
//   bench    instructions per malloc + free pair, and per pair in bursts of 64 (tools/bench)
//   crasher  allocates, then faults on purpose; init restarts it (restart=yes), and each new
//            run must become memd's client again under the same id
#include "ipc/memd.h"
#include "lib/fmt/string.h"
#include "user/heap.h"
#include "user/memd_heap.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"
#include "user/tsc.h"

namespace {

namespace memd = bm::ipc::memd;

const char* role = "?";
int failures = 0;

void check(bool ok, const char* name) {
  if (!ok) ++failures;
  user::printf("MEMD %s %s: %s\n", ok ? "PASS" : "FAIL", role, name);
}

bool own_stats(memd::ClientStats* out) {
  return user::memd_heap::stats(memd::kOwnStats, out) == bm::ipc::ProtocolStatus::kOk;
}

// After the block cache gives its free blocks back (user/heap.h, heap_trim).
bool own_stats_trimmed(memd::ClientStats* out) { return user::heap_trim() && own_stats(out); }

bool heap_is_empty() {
  memd::ClientStats stats;
  return own_stats_trimmed(&stats) && stats.bytes_in_use == 0 && stats.blocks_in_use == 0 &&
         stats.cached_bytes == 0 && stats.cached_blocks == 0;
}

// A block too large for the cache: one request to memd, counted exactly as asked.
void one_allocation() {
  auto* bytes = static_cast<uint8_t*>(user::malloc(1000));
  bool ok = bytes != nullptr && reinterpret_cast<uint64_t>(bytes) % 16 == 0;
  if (ok) {
    for (int i = 0; i < 1000; ++i) bytes[i] = static_cast<uint8_t>(i);
    for (int i = 0; i < 1000; ++i) ok &= bytes[i] == static_cast<uint8_t>(i);
    memd::ClientStats stats;
    ok &= own_stats_trimmed(&stats) && stats.bytes_in_use == 1000 && stats.blocks_in_use == 1 &&
          stats.cached_blocks == 0;
  }
  user::free(bytes);
  check(ok && heap_is_empty(), "one allocation");
}

// A small block comes from the cache: memd counts the whole batch as this client's, cached
// (128-byte blocks for a 100-byte request), and a free keeps it in the cache.
void one_cached_allocation() {
  auto* bytes = static_cast<uint8_t*>(user::malloc(100));
  bool ok = bytes != nullptr && reinterpret_cast<uint64_t>(bytes) % 16 == 0;
  memd::ClientStats lent;
  if (ok) {
    __builtin_memset(bytes, 0x5c, 100);
    ok = own_stats_trimmed(&lent) && lent.cached_blocks == 1 && lent.cached_bytes == 128 &&
         lent.blocks_in_use == 1 && lent.bytes_in_use == 128;
  }
  user::free(bytes);
  memd::ClientStats kept;
  ok &= own_stats(&kept) && kept.cached_blocks == 1 && kept.blocks_in_use == 1;
  check(ok && heap_is_empty(), "one cached allocation, counted as cached until trimmed");
}

void growing_vector() {
  uint64_t* items = nullptr;
  size_t capacity = 0;
  bool ok = true;
  for (uint64_t i = 0; i < 1000 && ok; ++i) {
    if (i == capacity) {
      capacity = capacity == 0 ? 4 : capacity * 2;
      auto* grown = static_cast<uint64_t*>(user::realloc(items, capacity * sizeof(uint64_t)));
      ok = grown != nullptr;
      items = grown != nullptr ? grown : items;
    }
    if (ok) items[i] = i * 7 + 1;
  }
  for (uint64_t i = 0; i < 1000 && ok; ++i) ok &= items[i] == i * 7 + 1;
  user::free(items);
  check(ok && heap_is_empty(), "1000-element growing vector");
}

void boxes() {
  constexpr int kBoxes = 10000;
  auto** box = new uint64_t*[kBoxes];
  for (int i = 0; i < kBoxes; ++i) box[i] = new uint64_t(static_cast<uint64_t>(i) ^ 0x5a5a);
  bool ok = true;
  for (int i = 0; i < kBoxes; ++i) ok &= *box[i] == (static_cast<uint64_t>(i) ^ 0x5a5a);
  for (int i = 0; i < kBoxes; ++i) delete box[i];
  delete[] box;
  check(ok && heap_is_empty(), "10 000 boxes");
}

void short_lived_next_to_long_lived() {
  auto* long_lived = new uint64_t(0xfeedfacecafe);
  bool ok = true;
  for (uint64_t i = 0; i < 10000; ++i) {
    auto* box = new uint64_t(i);
    ok &= *box == i;
    delete box;
  }
  ok &= *long_lived == 0xfeedfacecafe;
  memd::ClientStats stats;
  ok &= own_stats_trimmed(&stats) && stats.blocks_in_use == 1;
  delete long_lived;
  check(ok && heap_is_empty(), "10 000 short-lived boxes next to a long-lived one");
}

// Tells the other pattern role that this one's writes are done, by registering a name with
// init, and waits until the other registers its own: the blocks are checked only after both
// clients wrote, without guessing how long the other takes.
bool both_wrote(user::Handle bootstrap, const char* own_name, const char* other_name) {
  // Kept open for the rest of the run: the name stands for this endpoint.
  auto endpoint = user::endpoint_create();
  if (!endpoint.ok() || user::register_service(bootstrap, own_name, endpoint->release()) !=
                            user::ProtocolStatus::kOk) {
    return false;
  }
  user::Handle other = 0;
  constexpr uint64_t kWaitTicks = 30000;  // far longer than the other role's writes take
  return user::lookup_service(bootstrap, other_name, kWaitTicks, &other) ==
         user::ProtocolStatus::kOk;
}

// Roles a and b: blocks of varying sizes with a pattern of the role's own.
void patterns(user::Handle bootstrap, uint8_t pattern, bool scribble_past_the_end) {
  constexpr int kBlocks = 400;
  uint8_t* block[kBlocks];
  size_t size[kBlocks];
  bool ok = true;
  for (int i = 0; i < kBlocks && ok; ++i) {
    size[i] = 16 + static_cast<size_t>(i % 13) * 40;
    block[i] = static_cast<uint8_t*>(user::malloc(size[i]));
    ok = block[i] != nullptr;
    if (ok) __builtin_memset(block[i], pattern, size[i]);
    if (i % 50 == 0) user::yield();  // let the other role allocate in between
  }
  check(ok, "allocate while another client allocates");
  if (!ok) return;
  if (scribble_past_the_end) {
    // Bytes right after each block: what an overrun would hit. memd's metadata is not there,
    // so this may only damage b's own data.
    memd::ClientStats before;
    bool have = own_stats(&before);
    uint64_t heap_end = 0x0000'1000'0000'0000 + before.mapped_pages * 4096;
    for (int i = 0; i < kBlocks && have; ++i) {
      uint64_t end = reinterpret_cast<uint64_t>(block[i]) + size[i];
      for (uint64_t at = end; at < end + 24 && at < heap_end; ++at) {
        *reinterpret_cast<volatile uint8_t*>(at) = 0xee;
      }
    }
    // memd's bookkeeping lives in memd, so overruns cannot change what it counts.
    memd::ClientStats after;
    check(have && own_stats(&after) && before.blocks_in_use >= kBlocks &&
              after.blocks_in_use == before.blocks_in_use &&
              after.bytes_in_use == before.bytes_in_use &&
              after.mapped_pages == before.mapped_pages,
          "memd's accounting survives writes past the end of every block");
  }
  bool a = pattern == 0xaa;
  check(both_wrote(bootstrap, a ? "memd_a_wrote" : "memd_b_wrote",
                   a ? "memd_b_wrote" : "memd_a_wrote"),
        "the other client finished its writes");
  bool intact = true;
  for (int i = 0; i < kBlocks; ++i) {
    // b's overruns may have hit its own next block; only b's bytes can be 0xee.
    for (size_t j = 0; j < size[i]; ++j) {
      uint8_t seen = block[i][j];
      intact &= seen == pattern || (scribble_past_the_end && seen == 0xee);
    }
  }
  check(intact, "blocks hold only this client's bytes");
  for (int i = 0; i < kBlocks; ++i) user::free(block[i]);
  check(heap_is_empty(), "frees after the other client's writes");
  void* again = user::malloc(64);
  check(again != nullptr, "memd still serves after the scribbling");
  user::free(again);
}

void exiter() {
  for (int i = 0; i < 200; ++i) {
    auto* bytes = static_cast<uint8_t*>(user::malloc(2048));
    if (bytes == nullptr) break;
    __builtin_memset(bytes, 0x77, 2048);
  }
  memd::ClientStats stats;
  bool have = own_stats(&stats);
  check(have && stats.blocks_in_use - stats.cached_blocks == 200,
        "allocate 200 blocks, then end without freeing");
  user::printf("MEMD EXITER pages %lu\n", have ? stats.mapped_pages : 0);
}

// Leaves blocks in its cache (free ones and lent ones), shows memd counting them, then
// faults: init does not restart it, and memd must free the cached blocks with the rest
// (test/e2e/memd_tests.py reads memd's line about the client's end).
[[noreturn]] void cacher() {
  void* lent[40];
  for (auto& block : lent) block = user::malloc(48);
  for (int i = 0; i < 20; ++i) user::free(lent[i]);  // 20 free in the cache, 20 lent
  memd::ClientStats stats;
  bool have = own_stats(&stats);
  check(have && stats.cached_blocks >= 40 && stats.cached_blocks == stats.blocks_in_use,
        "memd counts the cache's blocks as cached");
  user::printf("MEMD CACHER cached %lu blocks, %lu bytes\n", have ? stats.cached_blocks : 0,
               have ? stats.cached_bytes : 0);
  user::printf("MEMD DONE cacher %d\n", failures);
  // A write to a kernel address: #PF, reported to init, which ends this server.
  *reinterpret_cast<volatile uint64_t*>(0xffff800000000000ull) = 1;
  for (;;) user::yield();
}

// Role bench (tools/bench): TSC ticks per malloc + free pair through memd, which under
// QEMU's -icount are the guest instructions of both tasks and the kernel.
void bench() {
  constexpr uint64_t kSizes[] = {16, 64, 256, 4096};
  constexpr int kPairs = 1000;
  for (uint64_t size : kSizes) {
    for (int i = 0; i < 10; ++i) user::free(user::malloc(size));  // pages mapped, paths warm
    uint64_t start = user::read_tsc();
    for (int i = 0; i < kPairs; ++i) user::free(user::malloc(size));
    uint64_t per_pair = (user::read_tsc() - start) / kPairs;
    user::printf("MEMD BENCH %lu %lu\n", size, per_pair);
  }
  // Bursts: more blocks live at once than a cache class keeps, so refills and drains happen.
  constexpr int kBurst = 64;
  constexpr int kRounds = 50;
  for (uint64_t size : kSizes) {
    void* blocks[kBurst];
    uint64_t start = user::read_tsc();
    for (int round = 0; round < kRounds; ++round) {
      for (auto& block : blocks) block = user::malloc(size);
      for (auto& block : blocks) user::free(block);
    }
    uint64_t per_pair = (user::read_tsc() - start) / (kRounds * kBurst);
    user::printf("MEMD BURST %lu %lu\n", size, per_pair);
  }
  check(heap_is_empty(), "benchmark leaves the heap empty");
}

[[noreturn]] void crasher() {
  auto* bytes = static_cast<uint64_t*>(user::malloc(4096));
  bool ok = bytes != nullptr;
  if (ok) {
    bytes[0] = 42;
    ok = bytes[0] == 42;
  }
  check(ok, "allocate in a fresh run");
  user::printf("MEMD DONE crasher %d\n", failures);
  // A write to a kernel address: #PF, reported to init, which restarts this server.
  *reinterpret_cast<volatile uint64_t*>(0xffff800000000000ull) = 1;
  for (;;) user::yield();
}

}  // namespace

int main(uint64_t bootstrap) {
  static char arguments[bm::ipc::kMaxArgumentsLength + 1];
  (void)user::get_arguments(static_cast<user::Handle>(bootstrap), arguments, sizeof(arguments));
  role = bm::string_equal(arguments, "role=heap")      ? "heap"
         : bm::string_equal(arguments, "role=a")       ? "a"
         : bm::string_equal(arguments, "role=b")       ? "b"
         : bm::string_equal(arguments, "role=exiter")  ? "exiter"
         : bm::string_equal(arguments, "role=bench")   ? "bench"
         : bm::string_equal(arguments, "role=crasher") ? "crasher"
         : bm::string_equal(arguments, "role=cacher")  ? "cacher"
                                                       : "?";
  void* first = user::malloc(1);  // decides the heap source
  check(user::heap_source() == user::HeapSource::kMemd, "the heap comes from memd");
  user::free(first);
  if (bm::string_equal(role, "heap")) {
    one_allocation();
    one_cached_allocation();
    growing_vector();
    boxes();
    short_lived_next_to_long_lived();
  } else if (bm::string_equal(role, "a")) {
    patterns(static_cast<user::Handle>(bootstrap), 0xaa, false);
  } else if (bm::string_equal(role, "b")) {
    patterns(static_cast<user::Handle>(bootstrap), 0xbb, true);
  } else if (bm::string_equal(role, "exiter")) {
    exiter();
  } else if (bm::string_equal(role, "bench")) {
    bench();
  } else if (bm::string_equal(role, "crasher")) {
    crasher();
  } else if (bm::string_equal(role, "cacher")) {
    cacher();
  } else {
    check(false, "known role");
  }
  user::printf("MEMD DONE %s %d\n", role, failures);
  return 0;
}
