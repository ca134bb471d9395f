// A PoolMemory over host memory for memd's tests. It keeps each client's mapping table, so a
// test can read and write "client memory" exactly as the client would see it, and it records
// every use of the interface that memd promises never to make.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "servers/memd/heap_layout.h"
#include "servers/memd/pool_memory.h"

namespace bm::memd::testing {

class FakePoolMemory final : public PoolMemory {
 public:
  // `shadow_capacity`: the most shadow one slot may grow to (the heap limit under test).
  FakePoolMemory(size_t pool_pages, size_t shadow_capacity);
  ~FakePoolMemory();

  // --- PoolMemory --------------------------------------------------------------------
  size_t total_pages() const override { return pool_pages_; }
  bool map(ClientSlot slot, uint64_t client_address, PoolPage page) override;
  void unmap(ClientSlot slot, uint64_t client_address) override;
  uint8_t* pool_page(PoolPage page) override;
  void* shadow(ClientSlot slot) override;
  bool grow_shadow(ClientSlot slot, size_t bytes) override;
  void release_shadow(ClientSlot slot) override;

  // --- what a test controls --------------------------------------------------------------
  // The next `count` map() calls succeed, then they fail (until set again; -1: never fail).
  void fail_maps_after(long count) { maps_before_failure_ = count; }
  // grow_shadow fails while this is set.
  void fail_shadow_growth(bool fail) { fail_shadow_growth_ = fail; }

  // --- the client's view ---------------------------------------------------------------
  // False (and nothing copied) if any byte is on an unmapped page: the client would fault.
  bool write_client(ClientSlot slot, uint64_t address, const uint8_t* data, size_t length);
  bool read_client(ClientSlot slot, uint64_t address, uint8_t* data, size_t length) const;
  bool fill_client(ClientSlot slot, uint64_t address, uint8_t value, size_t length);
  // Writes pseudo-random bytes (from `seed`) over every page the client has mapped, blocks
  // and the bytes around them alike, as a misbehaving client may.
  void scribble(ClientSlot slot, uint64_t seed);
  bool is_mapped(ClientSlot slot, uint64_t address) const;
  // Client page address -> pool page, in address order.
  const std::map<uint64_t, PoolPage>& mappings(ClientSlot slot) const { return maps_[slot]; }
  size_t mapped_pages() const;  // over all clients
  size_t shadow_bytes(ClientSlot slot) const { return shadows_[slot].size; }

  // Every broken promise seen so far (double map, unmap of nothing, a page in two places...).
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  struct Shadow {
    uint8_t* base = nullptr;
    size_t size = 0;
    size_t touched = 0;  // bytes ever handed out; beyond them the buffer is fresh junk
  };
  // The host address behind a client address, or nullptr when it is not mapped.
  uint8_t* client_byte(ClientSlot slot, uint64_t address) const;
  void violation(std::string what);

  size_t pool_pages_;
  size_t shadow_capacity_;
  std::vector<uint8_t> pool_;
  std::vector<int> owner_;  // slot a pool page is mapped into, or -1
  std::map<uint64_t, PoolPage> maps_[kMaxClients];
  Shadow shadows_[kMaxClients];
  long maps_before_failure_ = -1;
  bool fail_shadow_growth_ = false;
  std::vector<std::string> violations_;
};

}  // namespace bm::memd::testing
