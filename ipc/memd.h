// The memd protocol (labels 0x401..): heap blocks for ring-3 programs. memd places each
// client's blocks in that client's own heap region and answers with their addresses.
// docs/protocols.md describes every message.
#pragma once

#include <stdint.h>

#include "ipc/wire_codec.h"
#include "lib/abi/heap_strategy.h"
#include "lib/core/page_size.h"

namespace bm::ipc::memd {

using ipc::decode;  // the codecs of ipc/wire_codec.h
using ipc::encode;

// Alignments are powers of two up to a page; anything else is kBadAlignment from memd.
constexpr uint64_t kMaxAlignment = bm::kPageSize;
// Every block memd hands out is aligned at least this much (what malloc promises), and a
// realloc'd block exactly this much.
constexpr uint64_t kMinAlignment = 16;

// How memd places blocks: one of the heap strategies, named in its manifest args (the
// heap_policy option). Values and names are lib/abi/heap_strategy.h's.
using HeapPolicy = abi::HeapStrategy;

constexpr uint32_t kStatsReplyWords = 13;
// A refill hands out, and a drain gives back, at most this many blocks in one message; a
// refill's blocks are at most kMaxRefillSize bytes each, so one refill takes at most
// kMaxBatch pages of the client's share.
constexpr uint32_t kMaxBatch = 32;
constexpr uint64_t kMaxRefillSize = bm::kPageSize;

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_MEMD_MESSAGES(X)                                           \
  X(Alloc, 0x401, "alloc", 2, 2, 2, 2)                                \
  X(Free, 0x402, "free", 1, 1, 1, 1)                                  \
  X(Realloc, 0x403, "realloc", 2, 2, 2, 2)                            \
  X(Stats, 0x404, "stats", 1, 1, kStatsReplyWords, kStatsReplyWords)  \
  X(Refill, 0x405, "refill", 2, 2, 3, 2 + kMaxBatch)                  \
  X(Drain, 0x406, "drain", 2, 1 + kMaxBatch, 1, 1)

BM_DEFINE_MESSAGES(BM_MEMD_MESSAGES, Label, kMessages)

// Requests a client may send again to a restarted memd: only the statistics. A heap request
// is not, and a new memd knows no old heap anyway (docs/reliability.md).
constexpr uint32_t kIdempotent[] = {kStats};

constexpr bool valid_block_address(uint64_t address) {
  return address != 0 && address % kMinAlignment == 0;
}

// The request words are not range-checked by the decoders: a bad size, alignment or address
// is memd's answer (kBadSize, kBadAlignment, kNotAllocated, kDoubleFree), counted against the
// client in its statistics, so the encoders accept any value too.

// alloc: a block of `size` bytes whose address is a multiple of `alignment`.
struct AllocRequest {
  uint64_t size = 0;
  uint64_t alignment = kMinAlignment;
  using Wire = Request<kAllocSpec, Word<&AllocRequest::size>, Word<&AllocRequest::alignment>>;
};
// alloc and realloc reply with the block's address: never 0, a multiple of kMinAlignment.
template <const MessageSpec& kSpec>
struct AddressReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint64_t address = 0;  // 0 in any reply other than kOk
  using Wire = Reply<kSpec, Checked<&AddressReply::address, valid_block_address>>;
};
using AllocReply = AddressReply<kAllocSpec>;

// free: give the block at `address` back; address 0 does nothing and answers kOk.
struct FreeRequest {
  uint64_t address = 0;
  using Wire = Request<kFreeSpec, Word<&FreeRequest::address>>;
};
using FreeReply = StatusReply<kFreeSpec>;

// realloc: a new block of `size` bytes holding the old block's first min(old, new) bytes;
// the old block is freed. Address 0 is alloc(size, kMinAlignment). On any error the old
// block is untouched.
struct ReallocRequest {
  uint64_t address = 0;
  uint64_t size = 0;
  using Wire = Request<kReallocSpec, Word<&ReallocRequest::address>, Word<&ReallocRequest::size>>;
};
using ReallocReply = AddressReply<kReallocSpec>;

// refill: up to `count` blocks of `size` bytes each for the client's block cache
// (user/block_cache.h), in one message. memd places each as an alloc of `size` with
// kMinAlignment would, and counts it as in use by the client and cached, until a drain gives
// it back. A free or realloc of a cached block is refused with kDoubleFree: the runtime takes
// cached blocks back into its cache, never to memd one by one, so such a block was freed
// already. The reply holds at least one block; fewer than `count` when the heap fills up
// midway, kOutOfMemory when not even one fits. A size of 0 or over kMaxRefillSize is kBadSize.
struct RefillRequest {
  uint64_t size = 0;
  uint64_t count = 0;  // 1 .. kMaxBatch
  using Wire = Request<kRefillSpec, Word<&RefillRequest::size>,
                       Bounded<&RefillRequest::count, 1, kMaxBatch>>;
};
using BlockList = WordList<kMaxBatch>;
struct RefillReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  BlockList blocks{};  // kOk: 1 .. count block addresses
  using Wire = Reply<kRefillSpec, Words<&RefillReply::blocks, 1, valid_block_address>>;
};

// drain: give cached blocks back (1 .. kMaxBatch of them). Each must be a live block memd
// handed out by a refill and not drained since; memd frees every one that is, and answers the
// first failure for the others (kDoubleFree, kNotAllocated: also for a block that came from
// alloc or realloc), each counted in failed_requests.
struct DrainRequest {
  BlockList blocks{};
  using Wire = Request<kDrainSpec, Words<&DrainRequest::blocks, 1>>;
};
using DrainReply = StatusReply<kDrainSpec>;

// stats: one client of memd's table (index 0, 1, ...; kBadValue past the last) and the
// whole pool. Thirteen words, so the reply travels partly in the IPC buffer.
struct StatsRequest {
  uint64_t index = 0;  // or kOwnStats: the caller's own row (kBadValue if not a client)
  using Wire = Request<kStatsSpec, Word<&StatsRequest::index>>;
};
constexpr uint64_t kOwnStats = ~0ull;
struct ClientStats;
constexpr bool valid_stats(const ClientStats& stats);
struct ClientStats {
  uint64_t client_id = 0;     // the badge memd knows the client by
  uint64_t bytes_in_use = 0;  // sum of the sizes asked for, over live blocks: the ones the
  uint64_t blocks_in_use = 0;  // client holds, cached ones included
  uint64_t cached_bytes = 0;   // of those, the blocks refills handed out and no drain has
  uint64_t cached_blocks = 0;  // returned yet: in the client's cache or lent from it
  uint64_t peak_bytes = 0;       // highest bytes_in_use after any request
  uint64_t free_bytes = 0;       // what the heap's allocator could still carve out of the
                                 // heap as it is now (it may grow up to the client's limit)
  uint64_t failed_requests = 0;  // alloc, free and realloc requests answered with an error
  uint64_t mapped_pages = 0;     // pool pages mapped into the client's heap now
  uint64_t pool_total_pages = 0;
  uint64_t pool_used_pages = 0;  // mapped into any client
  HeapPolicy policy = HeapPolicy::kBump;
  using Wire = Fields<Word<&ClientStats::client_id>, Word<&ClientStats::bytes_in_use>,
                      Word<&ClientStats::blocks_in_use>, Word<&ClientStats::cached_bytes>,
                      Word<&ClientStats::cached_blocks>, Word<&ClientStats::peak_bytes>,
                      Word<&ClientStats::free_bytes>, Word<&ClientStats::failed_requests>,
                      Word<&ClientStats::mapped_pages>, Word<&ClientStats::pool_total_pages>,
                      Word<&ClientStats::pool_used_pages>,
                      Checked<&ClientStats::policy, abi::is_heap_strategy>, Rule<valid_stats>>;
};
struct StatsReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ClientStats stats{};  // zero in any reply other than kOk
  using Wire = Reply<kStatsSpec, Nested<&StatsReply::stats>>;
};

// What a kOk stats reply must satisfy; anything else cannot come from a working memd.
constexpr bool valid_stats(const ClientStats& stats) {
  return abi::is_heap_strategy(static_cast<uint64_t>(stats.policy)) &&
         stats.blocks_in_use <= stats.bytes_in_use && stats.bytes_in_use <= stats.peak_bytes &&
         stats.cached_blocks <= stats.blocks_in_use && stats.cached_bytes <= stats.bytes_in_use &&
         stats.cached_blocks <= stats.cached_bytes &&
         stats.mapped_pages <= stats.pool_used_pages &&
         stats.pool_used_pages <= stats.pool_total_pages;
}

}  // namespace bm::ipc::memd
