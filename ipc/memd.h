// The memd protocol (labels 0x401..): heap blocks for ring-3 programs. memd places each
// client's blocks in that client's own heap region and answers with their addresses.
// docs/protocols.md describes every message.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/heap_strategy.h"
#include "lib/core/page_size.h"

namespace bm::ipc::memd {

using ipc::decode;  // the shared status-only replies
using ipc::encode;

// Alignments are powers of two up to a page; anything else is kBadAlignment from memd.
constexpr uint64_t kMaxAlignment = bm::kPageSize;
// Every block memd hands out is aligned at least this much (what malloc promises), and a
// realloc'd block exactly this much.
constexpr uint64_t kMinAlignment = 16;

// How memd places blocks: one of the heap strategies, named in its manifest args (the
// heap_policy option). Values and names are lib/abi/heap_strategy.h's.
using HeapPolicy = abi::HeapStrategy;

constexpr uint32_t kStatsReplyWords = 11;

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_MEMD_MESSAGES(X)                \
  X(Alloc, 0x401, "alloc", 2, 2, 2, 2)     \
  X(Free, 0x402, "free", 1, 1, 1, 1)       \
  X(Realloc, 0x403, "realloc", 2, 2, 2, 2) \
  X(Stats, 0x404, "stats", 1, 1, kStatsReplyWords, kStatsReplyWords)

enum Label : uint32_t {
#define BM_MEMD_LABEL(name, label, text, a, b, c, d) k##name = label,
  BM_MEMD_MESSAGES(BM_MEMD_LABEL)
#undef BM_MEMD_LABEL
};

#define BM_MEMD_SPEC(name, label, text, a, b, c, d) \
  constexpr MessageSpec k##name##Spec{label, text, a, b, c, d};
BM_MEMD_MESSAGES(BM_MEMD_SPEC)
#undef BM_MEMD_SPEC

constexpr MessageSpec kMessages[] = {
#define BM_MEMD_SPEC_ENTRY(name, label, text, a, b, c, d) k##name##Spec,
    BM_MEMD_MESSAGES(BM_MEMD_SPEC_ENTRY)
#undef BM_MEMD_SPEC_ENTRY
};

// Requests a client may send again to a restarted memd: only the statistics. A heap request
// is not, and a new memd knows no old heap anyway (docs/reliability.md).
constexpr uint32_t kIdempotent[] = {kStats};

// The request words are not range-checked by the decoders: a bad size, alignment or address
// is memd's answer (kBadSize, kBadAlignment, kNotAllocated, kDoubleFree), counted against the
// client in its statistics, so the encoders accept any value too.

// alloc: a block of `size` bytes whose address is a multiple of `alignment`.
struct AllocRequest {
  uint64_t size = 0;
  uint64_t alignment = kMinAlignment;
};
// alloc and realloc reply with the block's address: never 0, a multiple of kMinAlignment.
template <uint32_t kLabel>
struct AddressReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint64_t address = 0;  // 0 in any reply other than kOk
};
using AllocReply = AddressReply<kAlloc>;

// free: give the block at `address` back; address 0 does nothing and answers kOk.
struct FreeRequest {
  uint64_t address = 0;
};
using FreeReply = StatusReply<kFree>;

// realloc: a new block of `size` bytes holding the old block's first min(old, new) bytes;
// the old block is freed. Address 0 is alloc(size, kMinAlignment). On any error the old
// block is untouched.
struct ReallocRequest {
  uint64_t address = 0;
  uint64_t size = 0;
};
using ReallocReply = AddressReply<kRealloc>;

// stats: one client of memd's table (index 0, 1, ...; kBadValue past the last) and the
// whole pool. Eleven words, so the reply travels partly in the IPC buffer.
struct StatsRequest {
  uint64_t index = 0;  // or kOwnStats: the caller's own row (kBadValue if not a client)
};
constexpr uint64_t kOwnStats = ~0ull;
struct ClientStats {
  uint64_t client_id = 0;     // the badge memd knows the client by
  uint64_t bytes_in_use = 0;  // sum of the sizes asked for, over live blocks
  uint64_t blocks_in_use = 0;
  uint64_t peak_bytes = 0;       // highest bytes_in_use after any request
  uint64_t free_bytes = 0;       // what the heap's allocator could still carve out of the
                                 // heap as it is now (it may grow up to the client's limit)
  uint64_t failed_requests = 0;  // alloc, free and realloc requests answered with an error
  uint64_t mapped_pages = 0;     // pool pages mapped into the client's heap now
  uint64_t pool_total_pages = 0;
  uint64_t pool_used_pages = 0;  // mapped into any client
  HeapPolicy policy = HeapPolicy::kBump;
};
struct StatsReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ClientStats stats;  // zero in any reply other than kOk
};

// What a kOk stats reply must satisfy; anything else cannot come from a working memd.
constexpr bool valid_stats(const ClientStats& stats) {
  return abi::is_heap_strategy(static_cast<uint64_t>(stats.policy)) &&
         stats.blocks_in_use <= stats.bytes_in_use && stats.bytes_in_use <= stats.peak_bytes &&
         stats.mapped_pages <= stats.pool_used_pages &&
         stats.pool_used_pages <= stats.pool_total_pages;
}

constexpr bool valid_block_address(uint64_t address) {
  return address != 0 && address % kMinAlignment == 0;
}

// --- requests -------------------------------------------------------------------------

constexpr bool encode(const AllocRequest& request, WireMessage* out) {
  out->label = kAlloc;
  out->words = 2;
  out->word[0] = request.size;
  out->word[1] = request.alignment;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, AllocRequest* out) {
  ProtocolStatus shape = check_request(message, kAllocSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  out->size = message.word[0];
  out->alignment = message.word[1];
  return ProtocolStatus::kOk;
}

constexpr bool encode(const FreeRequest& request, WireMessage* out) {
  out->label = kFree;
  out->words = 1;
  out->word[0] = request.address;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, FreeRequest* out) {
  ProtocolStatus shape = check_request(message, kFreeSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  out->address = message.word[0];
  return ProtocolStatus::kOk;
}

constexpr bool encode(const ReallocRequest& request, WireMessage* out) {
  out->label = kRealloc;
  out->words = 2;
  out->word[0] = request.address;
  out->word[1] = request.size;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, ReallocRequest* out) {
  ProtocolStatus shape = check_request(message, kReallocSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  out->address = message.word[0];
  out->size = message.word[1];
  return ProtocolStatus::kOk;
}

constexpr bool encode(const StatsRequest& request, WireMessage* out) {
  out->label = kStats;
  out->words = 1;
  out->word[0] = request.index;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, StatsRequest* out) {
  ProtocolStatus shape = check_request(message, kStatsSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  out->index = message.word[0];
  return ProtocolStatus::kOk;
}

// --- replies (other than kOk: the status word alone) -----------------------------------

template <uint32_t kLabel>
constexpr bool encode(const AddressReply<kLabel>& reply, WireMessage* out) {
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_status_reply(kLabel, reply.status, out);
    return true;
  }
  if (!valid_block_address(reply.address)) return false;
  out->label = kLabel;
  out->words = 2;
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  out->word[1] = reply.address;
  return true;
}

template <uint32_t kLabel>
constexpr ProtocolStatus decode(const WireMessage& message, AddressReply<kLabel>* out) {
  constexpr MessageSpec kSpec{kLabel, "", 0, 0, 2, 2};
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_reply(message, kSpec, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  uint64_t address = 0;
  if (status == ProtocolStatus::kOk) {
    if (!valid_block_address(message.word[1])) return ProtocolStatus::kBadValue;
    address = message.word[1];
  }
  out->status = status;
  out->address = address;
  return ProtocolStatus::kOk;
}

constexpr bool encode(const StatsReply& reply, WireMessage* out) {
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_status_reply(kStats, reply.status, out);
    return true;
  }
  const ClientStats& stats = reply.stats;
  if (!valid_stats(stats)) return false;
  out->label = kStats;
  out->words = kStatsReplyWords;
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  out->word[1] = stats.client_id;
  out->word[2] = stats.bytes_in_use;
  out->word[3] = stats.blocks_in_use;
  out->word[4] = stats.peak_bytes;
  out->word[5] = stats.free_bytes;
  out->word[6] = stats.failed_requests;
  out->word[7] = stats.mapped_pages;
  out->word[8] = stats.pool_total_pages;
  out->word[9] = stats.pool_used_pages;
  out->word[10] = static_cast<uint64_t>(stats.policy);
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, StatsReply* out) {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_reply(message, kStatsSpec, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  ClientStats stats;
  if (status == ProtocolStatus::kOk) {
    const uint64_t* w = message.word;
    if (!abi::is_heap_strategy(w[10])) return ProtocolStatus::kBadValue;
    stats = ClientStats{w[1], w[2], w[3], w[4], w[5],
                        w[6], w[7], w[8], w[9], static_cast<HeapPolicy>(w[10])};
    if (!valid_stats(stats)) return ProtocolStatus::kBadValue;
  }
  out->status = status;
  out->stats = stats;
  return ProtocolStatus::kOk;
}

}  // namespace bm::ipc::memd
