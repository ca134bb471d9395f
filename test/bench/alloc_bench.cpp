// Host benchmark of the lib/alloc heap strategies against glibc malloc/free in the same run.
// Names are BM_<Kind>/<strategy>/<size> so a script can divide each by BM_<Kind>/glibc/<size>.
// Pass --json for JSON output (same as --benchmark_format=json).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "lib/alloc/bump_allocator.h"
#include "lib/alloc/fixed_block_allocator.h"
#include "lib/alloc/linked_list_allocator.h"

namespace {

constexpr size_t kArenaBytes = 16 * 1024 * 1024;
constexpr size_t kArenaAlignment = 16384;
constexpr int kBatch = 64;
constexpr int64_t kSizes[] = {16, 64, 256, 1024, 4096};

// Makes the pointer observable so no allocate/free pair is optimised away. Uses the const
// overload on purpose: GCC 12 miscompiles the read-write "+m,r" one here (the stored pointer
// came back as garbage in the batch loop).
inline void escape(void* ptr) { benchmark::DoNotOptimize(static_cast<void* const&>(ptr)); }

// A fresh heap for each benchmark run, so one run's fragmentation does not leak into the next.
template <typename Allocator>
class Arena {
 public:
  Arena() : memory_(static_cast<uint8_t*>(std::aligned_alloc(kArenaAlignment, kArenaBytes))) {
    ok_ = memory_ != nullptr && heap_.init(memory_, kArenaBytes).ok();
  }
  ~Arena() { std::free(memory_); }
  bool ok() const { return ok_; }
  Allocator& heap() { return heap_; }

 private:
  uint8_t* memory_;
  Allocator heap_;
  bool ok_ = false;
};

template <typename Allocator>
void pair(benchmark::State& state) {
  const auto size = static_cast<size_t>(state.range(0));
  Arena<Allocator> arena;
  if (!arena.ok()) return state.SkipWithError("heap init failed");
  Allocator& heap = arena.heap();
  for (auto _ : state) {
    auto block = heap.allocate(size);
    if (!block.ok()) return state.SkipWithError("allocate failed");
    void* ptr = *block;
    escape(ptr);
    if (!heap.free(ptr).ok()) return state.SkipWithError("free failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void glibc_pair(benchmark::State& state) {
  const auto size = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    void* ptr = std::malloc(size);
    escape(ptr);
    std::free(ptr);
  }
  state.SetItemsProcessed(state.iterations());
}

// kBatch live blocks at once, then all freed: closer to real use than a single pair.
template <typename Allocator>
void batch(benchmark::State& state) {
  const auto size = static_cast<size_t>(state.range(0));
  Arena<Allocator> arena;
  if (!arena.ok()) return state.SkipWithError("heap init failed");
  Allocator& heap = arena.heap();
  void* blocks[kBatch];
  for (auto _ : state) {
    for (void*& slot : blocks) {
      auto block = heap.allocate(size);
      if (!block.ok()) return state.SkipWithError("allocate failed");
      slot = *block;
      escape(slot);
    }
    for (void* ptr : blocks) {
      if (!heap.free(ptr).ok()) return state.SkipWithError("free failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void glibc_batch(benchmark::State& state) {
  const auto size = static_cast<size_t>(state.range(0));
  void* blocks[kBatch];
  for (auto _ : state) {
    for (void*& slot : blocks) {
      slot = std::malloc(size);
      escape(slot);
    }
    for (void* ptr : blocks) std::free(ptr);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void register_kind(const char* kind, const char* strategy, void (*function)(benchmark::State&)) {
  const std::string name = std::string("BM_") + kind + "/" + strategy;
  auto* benchmark = benchmark::RegisterBenchmark(name.c_str(), function);
  for (int64_t size : kSizes) benchmark->Arg(size);
}

void register_all() {
  register_kind("Pair", "glibc", glibc_pair);
  register_kind("Pair", "bump", pair<bm::BumpAllocator>);
  register_kind("Pair", "linked_list", pair<bm::LinkedListAllocator>);
  register_kind("Pair", "fixed_block", pair<bm::FixedBlockAllocator>);
  register_kind("Batch64", "glibc", glibc_batch);
  register_kind("Batch64", "bump", batch<bm::BumpAllocator>);
  register_kind("Batch64", "linked_list", batch<bm::LinkedListAllocator>);
  register_kind("Batch64", "fixed_block", batch<bm::FixedBlockAllocator>);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  static char json_format[] = "--benchmark_format=json";
  for (char*& arg : args) {
    if (std::strcmp(arg, "--json") == 0) arg = json_format;
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
