// The biased value generators of arguments.h.
#include "test/fuzz/arguments.h"

#include "lib/abi/message.h"
#include "lib/core/page_size.h"
#include "user/ipc.h"

namespace fuzz {

const char kText[64] = "fuzz-text:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP";

namespace {

constexpr uint64_t kKernelHalf = 0xffff800000000000ull;
constexpr uint64_t kKernelImage = 0xffffffff80000000ull;
constexpr uint64_t kNonCanonical = 0x0000800000000000ull;
constexpr uint64_t kLastUserPage = 0x00007ffffffff000ull;
constexpr uint64_t kPage = bm::kPageSize;

uint64_t edge_around(Prng& random, uint64_t base) { return base - 8 + random.below(17); }

}  // namespace

uint64_t any_value(Prng& random) {
  switch (random.below(14)) {
    case 0:
      return 0;
    case 1:
      return ~0ull;
    case 2:
      return random.below(8);
    case 3:
      return random.below(600);
    case 4:
      return 1ull << random.below(64);
    case 5:
      return (1ull << random.below(64)) - 1 + random.below(3);
    case 6:
      return kKernelHalf + random.below(1u << 20) * 8;
    case 7:
      return kKernelImage + random.below(0x200000);
    case 8:
      return edge_around(random, kNonCanonical);
    case 9:
      return 0xffffffffull + random.below(3) - 1;
    case 10:
      return ~0ull - random.below(16);
    case 11:
      return random.next() & 0xffffffffull;
    default:
      return random.next();
  }
}

uint64_t pointer_value(Prng& random) {
  switch (random.below(16)) {
    case 0:
      return 0;
    case 1:
      return kScratchBase + random.below(kScratchPages * kPage);  // mapped, any alignment
    case 2:
      return kScratchBase + kScratchPages * kPage - random.below(64);  // straddles the end
    case 3:
      return kScratchBase + kScratchPages * kPage + random.below(kPage);  // unmapped
    case 4:
      return kReadOnlyPage + random.below(kPage + 64);  // read-only, then unmapped
    case 5:
      return reinterpret_cast<uint64_t>(kText) + random.below(80);
    case 6:
      return reinterpret_cast<uint64_t>(user::ipc_buffer()) + random.below(kPage + 64);
    case 7:
      return 0x400000 + random.below(0x4000);  // the program image
    case 8:
      return 0x3ff000 + random.below(0x1000 + 16);  // below the user half
    case 9:
      return kLastUserPage + random.below(0x2000);  // the last user page and past it
    case 10:
      return edge_around(random, kNonCanonical);
    case 11:
      return kKernelHalf + random.below(0x100000);
    case 12:
      return kKernelImage + random.below(0x400000);
    case 13:
      return ~0ull - random.below(0x2000);
    case 14:
      return kMapArea + random.below(kMapAreaPages * kPage);
    default:
      return any_value(random);
  }
}

uint64_t map_address(Prng& random) {
  switch (random.below(12)) {
    case 0:
      return kScratchBase;  // occupied
    case 1:
      return kLastUserPage - random.below(4) * kPage;
    case 2:
      return kNonCanonical;
    case 3:
      return 0x3ff000;
    case 4:
      return kMapArea + random.below(kMapAreaPages * kPage);  // unaligned
    case 5:
      return pointer_value(random) & ~(kPage - 1);
    default:
      return kMapArea + random.below(kMapAreaPages) * kPage;
  }
}

uint64_t handle_value(Prng& random, const World& world, bool consuming) {
  uint64_t value = 0;
  uint64_t pick = random.below(100);
  if (pick < 50 && world.pool.size() > 0) {
    value = world.pool.at(static_cast<uint32_t>(random.below(world.pool.size())));
  } else if (pick < 65 && world.pool.stale_count() > 0) {
    value = world.pool.stale_at(static_cast<uint32_t>(random.below(world.pool.stale_count())));
  } else if (pick < 75) {
    const Handle kept[] = {world.keep.bootstrap, world.keep.exit_port,   world.keep.post_port,
                           world.keep.irq,       world.keep.child_image, world.keep.echo,
                           world.keep.served,    world.keep.supervisor};
    value = kept[random.below(8)];
  } else if (pick < 82 && world.children.size() > 0) {
    value = world.children.at(static_cast<uint32_t>(random.below(world.children.size())));
  } else {
    switch (random.below(7)) {
      case 0:
        value = 0;
        break;
      case 1:
        value = ~0ull;
        break;
      case 2:
        value = 0x10000 | random.below(256);
        break;  // generation 1, any slot
      case 3:
        value = (random.below(65536) << 16) | random.below(257);
        break;
      case 4:
        value = (1ull << (32 + random.below(32))) | 0x10001;
        break;  // upper bits set
      case 5:
        value = random.below(0x10000);
        break;  // generation 0: never valid
      default:
        value = any_value(random);
        break;
    }
  }
  if (consuming && (world.keep.contains(value) || world.children.contains(value))) return 0;
  return value;
}

uint64_t rights_value(Prng& random) {
  switch (random.below(6)) {
    case 0:
      return bm::abi::kAllRights;
    case 1:
      return any_value(random);
    case 2:
      return 1u << random.below(8);
    default:
      return random.below(32);
  }
}

uint64_t timeout_value(Prng& random) {
  switch (random.below(6)) {
    case 0:
      return 1;
    case 1:
      return 2;
    case 2:
      return (1ull << 32) + 1 + random.below(1000);  // over the limit: invalid
    case 3:
      return ~0ull - 1 - random.below(4);  // invalid, next to kDontWait
    default:
      return bm::abi::kDontWait;
  }
}

uint64_t tag_value(Prng& random) {
  uint64_t label = random.one_in(8)       ? bm::abi::kKernelLabelBase + random.below(8)
                   : random.below(4) == 0 ? random.next() & 0xffffffff
                                          : random.below(64);
  uint64_t words;
  switch (random.below(8)) {
    case 0:
      words = bm::abi::kMaxMessageWords;
      break;
    case 1:
      words = bm::abi::kMaxMessageWords + 1 + random.below(511);
      break;  // 10-bit field
    case 2:
      words = 4 + random.below(60);
      break;
    default:
      words = random.below(5);
      break;
  }
  uint64_t tag = label | (words << bm::abi::kTagWordsShift);
  if (random.one_in(4)) tag |= bm::abi::kTagHandleBit;
  if (random.one_in(16)) tag |= 1ull << (42 + random.below(21));  // a reserved bit (42-62)
  return tag;
}

uint64_t length_value(Prng& random, uint64_t limit) {
  switch (random.below(8)) {
    case 0:
      return limit;
    case 1:
      return limit + 1;
    case 2:
      return any_value(random);
    default:
      return random.below(limit < 40 ? limit + 1 : 40);
  }
}

}  // namespace fuzz
