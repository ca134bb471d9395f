// FakePoolMemory: host vectors for the pool and the shadows, maps for the page tables.
#include "test/host/memd/fake_pool_memory.h"

#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace bm::memd::testing {

namespace {
// What fresh memory holds, so memd cannot rely on zeroes it did not write.
constexpr uint8_t kJunk = 0xa5;
}  // namespace

FakePoolMemory::FakePoolMemory(size_t pool_pages, size_t shadow_capacity)
    : pool_pages_(pool_pages),
      shadow_capacity_((shadow_capacity + kShadowAlignment - 1) / kShadowAlignment *
                       kShadowAlignment),
      pool_(pool_pages * kPageSize, kJunk),
      owner_(pool_pages, -1) {}

FakePoolMemory::~FakePoolMemory() {
  for (Shadow& buffer : shadows_) {
    if (buffer.base == nullptr) continue;
    ASAN_UNPOISON_MEMORY_REGION(buffer.base, shadow_capacity_);
    std::free(buffer.base);
  }
}

void FakePoolMemory::violation(std::string what) { violations_.push_back(std::move(what)); }

bool FakePoolMemory::map(ClientSlot slot, uint64_t client_address, PoolPage page) {
  if (slot >= kMaxClients || page >= pool_pages_ || client_address % kPageSize != 0 ||
      client_address < kClientHeapBase || client_address - kClientHeapBase >= kMaxHeapLimit) {
    violation("map with bad arguments");
    return false;
  }
  if (maps_[slot].count(client_address) != 0) {
    violation("map of an address that is mapped already");
    return false;
  }
  if (owner_[page] != -1) {
    violation("map of a pool page that is mapped already");
    return false;
  }
  if (maps_before_failure_ == 0) return false;
  if (maps_before_failure_ > 0) --maps_before_failure_;
  maps_[slot][client_address] = page;
  owner_[page] = static_cast<int>(slot);
  return true;
}

void FakePoolMemory::unmap(ClientSlot slot, uint64_t client_address) {
  auto found = slot < kMaxClients ? maps_[slot].find(client_address) : maps_[0].end();
  if (slot >= kMaxClients || found == maps_[slot].end()) {
    violation("unmap of an address that is not mapped");
    return;
  }
  owner_[found->second] = -1;
  maps_[slot].erase(found);
}

uint8_t* FakePoolMemory::pool_page(PoolPage page) {
  if (page >= pool_pages_) {
    violation("pool_page beyond the pool");
    return nullptr;
  }
  return &pool_[static_cast<size_t>(page) * kPageSize];
}

void* FakePoolMemory::shadow(ClientSlot slot) {
  if (slot >= kMaxClients) {
    violation("shadow of a bad slot");
    return nullptr;
  }
  Shadow& buffer = shadows_[slot];
  if (buffer.base == nullptr) {
    buffer.base = static_cast<uint8_t*>(std::aligned_alloc(kShadowAlignment, shadow_capacity_));
    // Under ASan, memd touching shadow it was not given is reported where it happens.
    ASAN_POISON_MEMORY_REGION(buffer.base, shadow_capacity_);
  }
  return buffer.base;
}

bool FakePoolMemory::grow_shadow(ClientSlot slot, size_t bytes) {
  if (slot >= kMaxClients || bytes > shadow_capacity_ || bytes < shadows_[slot].size) {
    violation("grow_shadow beyond the capacity or shrinking");
    return false;
  }
  if (fail_shadow_growth_) return false;
  shadow(slot);  // allocates the buffer on first use
  Shadow& buffer = shadows_[slot];
  ASAN_UNPOISON_MEMORY_REGION(buffer.base, bytes);
  // The buffer stays with the slot, so an earlier client's metadata is still there below
  // `touched`; only memory never handed out is filled with junk.
  if (bytes > buffer.touched) {
    std::memset(buffer.base + buffer.touched, kJunk, bytes - buffer.touched);
    buffer.touched = bytes;
  }
  buffer.size = bytes;
  return true;
}

void FakePoolMemory::release_shadow(ClientSlot slot) {
  if (slot >= kMaxClients) {
    violation("release_shadow of a bad slot");
    return;
  }
  Shadow& buffer = shadows_[slot];
  if (buffer.base != nullptr) ASAN_POISON_MEMORY_REGION(buffer.base, shadow_capacity_);
  buffer.size = 0;
}

uint8_t* FakePoolMemory::client_byte(ClientSlot slot, uint64_t address) const {
  const uint64_t page = address - address % kPageSize;
  auto found = maps_[slot].find(page);
  if (found == maps_[slot].end()) return nullptr;
  return const_cast<uint8_t*>(&pool_[static_cast<size_t>(found->second) * kPageSize]) +
         address % kPageSize;
}

bool FakePoolMemory::is_mapped(ClientSlot slot, uint64_t address) const {
  return client_byte(slot, address) != nullptr;
}

// Every access goes page by page through the mapping table, as the client's MMU would.
bool FakePoolMemory::write_client(ClientSlot slot, uint64_t address, const uint8_t* data,
                                  size_t length) {
  for (uint64_t at = address; at < address + length; at = at - at % kPageSize + kPageSize) {
    if (!is_mapped(slot, at)) return false;
  }
  size_t done = 0;
  while (done < length) {
    const uint64_t at = address + done;
    const size_t piece = std::min<size_t>(length - done, kPageSize - at % kPageSize);
    std::memcpy(client_byte(slot, at), data + done, piece);
    done += piece;
  }
  return true;
}

bool FakePoolMemory::read_client(ClientSlot slot, uint64_t address, uint8_t* data,
                                 size_t length) const {
  for (uint64_t at = address; at < address + length; at = at - at % kPageSize + kPageSize) {
    if (!is_mapped(slot, at)) return false;
  }
  size_t done = 0;
  while (done < length) {
    const uint64_t at = address + done;
    const size_t piece = std::min<size_t>(length - done, kPageSize - at % kPageSize);
    std::memcpy(data + done, client_byte(slot, at), piece);
    done += piece;
  }
  return true;
}

bool FakePoolMemory::fill_client(ClientSlot slot, uint64_t address, uint8_t value, size_t length) {
  std::vector<uint8_t> bytes(length, value);
  return write_client(slot, address, bytes.data(), length);
}

void FakePoolMemory::scribble(ClientSlot slot, uint64_t seed) {
  for (const auto& [address, page] : maps_[slot]) {
    uint64_t words[kPageSize / 8];
    for (uint64_t& word : words) {
      seed ^= seed << 13;  // xorshift64: cheap, and never stuck at 0 for a non-zero seed
      seed ^= seed >> 7;
      seed ^= seed << 17;
      word = seed;
    }
    std::memcpy(&pool_[static_cast<size_t>(page) * kPageSize], words, kPageSize);
  }
}

size_t FakePoolMemory::mapped_pages() const {
  size_t count = 0;
  for (const auto& table : maps_) count += table.size();
  return count;
}

}  // namespace bm::memd::testing
