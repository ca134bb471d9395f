// Each client's share of the pool: with limit_client_pages, a client that asks for everything
// stops at its cap with kOutOfMemory and changes nothing, the other clients still get pages,
// idle pages do not count against the share, and freeing makes room again.
#include "test/host/memd/memd_test_support.h"

namespace bm::memd::testing {
namespace {

constexpr uint64_t kHog = 10;
constexpr uint64_t kOther = 20;
constexpr size_t kPoolPages = 64;
constexpr size_t kShare = 16;  // one grow step (64 KiB): the smallest share allowed

class ClientShareTest : public ::testing::TestWithParam<Policy> {};
INSTANTIATE_TEST_SUITE_P(Policies, ClientShareTest, ::testing::ValuesIn(kPolicies), policy_name);

// Takes whole pages until refused; returns how many it got.
std::vector<uint64_t> take_pages_until_refused(Memd& memd, uint64_t id) {
  std::vector<uint64_t> pages;
  for (size_t i = 0; i < kPoolPages + 1; ++i) {
    auto address = memd.heap->alloc(id, kPageSize, kPageSize);
    if (!address.ok()) {
      EXPECT_EQ(address.error(), Error::kOutOfMemory);
      break;
    }
    pages.push_back(*address);
  }
  return pages;
}

TEST_P(ClientShareTest, NoCapByDefault) {
  Memd memd(GetParam(), kPoolPages, 1024 * 1024);
  memd.add(kHog);
  EXPECT_EQ(memd.heap->client_page_limit(), kMaxHeapPages);
  EXPECT_EQ(take_pages_until_refused(memd, kHog).size(), kPoolPages);
}

TEST_P(ClientShareTest, AHogStopsAtItsShareAndTheOthersStillGetPages) {
  Memd memd(GetParam(), kPoolPages, 1024 * 1024);
  memd.heap->limit_client_pages(kShare);
  const ClientSlot hog = memd.add(kHog);
  memd.add(kOther);
  std::vector<uint64_t> hog_pages = take_pages_until_refused(memd, kHog);
  EXPECT_EQ(hog_pages.size(), kShare);
  EXPECT_EQ(memd.heap->pool_used_pages(), kShare);
  // The refusal changed nothing the hog can see, and it can still use what it has.
  EXPECT_EQ(memd.stats_of(kHog).mapped_pages, kShare);
  for (size_t i = 0; i < hog_pages.size(); ++i) {
    ASSERT_TRUE(memd.write_pattern(hog, hog_pages[i], kPageSize, i));
  }
  // Everyone else still has the rest of the pool.
  std::vector<uint64_t> other_pages = take_pages_until_refused(memd, kOther);
  EXPECT_EQ(other_pages.size(), kShare);
  EXPECT_EQ(memd.heap->pool_used_pages(), 2 * kShare);
  for (size_t i = 0; i < hog_pages.size(); ++i) {
    EXPECT_TRUE(memd.has_pattern(hog, hog_pages[i], kPageSize, i));
  }
  expect_no_violations(*memd.memory);
}

TEST_P(ClientShareTest, FreeingMakesRoomInTheShareAgain) {
  Memd memd(GetParam(), kPoolPages, 1024 * 1024);
  memd.heap->limit_client_pages(kShare);
  memd.add(kHog);
  std::vector<uint64_t> pages = take_pages_until_refused(memd, kHog);
  ASSERT_EQ(pages.size(), kShare);
  ASSERT_TRUE(memd.heap->free(kHog, pages.back()).ok());
  EXPECT_NE(memd.alloc(kHog, kPageSize, kPageSize), 0u);
  EXPECT_EQ(memd.heap->alloc(kHog, kPageSize, kPageSize).error(), Error::kOutOfMemory);
}

TEST_P(ClientShareTest, IdlePagesDoNotCountAgainstTheShare) {
  Memd memd(GetParam(), kPoolPages, 1024 * 1024, /*idle_pages_kept=*/kShare);
  memd.heap->limit_client_pages(kShare);
  memd.add(kHog);
  std::vector<uint64_t> pages = take_pages_until_refused(memd, kHog);
  ASSERT_EQ(pages.size(), kShare);
  for (uint64_t page : pages) ASSERT_TRUE(memd.heap->free(kHog, page).ok());
  // All kept mapped as idle pages, yet the whole share is available again.
  EXPECT_EQ(take_pages_until_refused(memd, kHog).size(), kShare);
}

TEST_P(ClientShareTest, TheShareIsAtLeastOneGrowStepAndAtMostAHeap) {
  Memd memd(GetParam(), kPoolPages, 1024 * 1024);
  memd.heap->limit_client_pages(0);
  EXPECT_EQ(memd.heap->client_page_limit(), kHeapGrowStep / kPageSize);
  memd.heap->limit_client_pages(~size_t{0});
  EXPECT_EQ(memd.heap->client_page_limit(), kMaxHeapPages);
}

}  // namespace
}  // namespace bm::memd::testing
