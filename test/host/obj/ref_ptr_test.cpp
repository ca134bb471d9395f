// Host tests for RefPtr: every way a reference is taken, moved, handed to a
// table and dropped leaves the count exact.
#include "lib/obj/ref_ptr.h"

#include <gtest/gtest.h>

namespace bm {
namespace {

// Counts references; `freed` records the last release, as destroy() would.
struct Counted {
  void retain() { ++references; }
  void release() {
    ASSERT_GT(references, 0) << "release without a reference";
    if (--references == 0) ++freed;
  }
  int references = 0;
  int freed = 0;
};

struct Derived : Counted {};

TEST(RefPtr, RetainCountsAndScopeEndReleases) {
  Counted object;
  {
    auto owner = RefPtr<Counted>::retain(&object);
    EXPECT_EQ(object.references, 1);
    EXPECT_EQ(owner.get(), &object);
    EXPECT_TRUE(owner);
  }
  EXPECT_EQ(object.references, 0);
  EXPECT_EQ(object.freed, 1);
}

TEST(RefPtr, AdoptTakesOverAnExistingReference) {
  Counted object;
  object.references = 1;  // e.g. handed back by HandleTable::remove
  { auto owner = RefPtr<Counted>::adopt(&object); }
  EXPECT_EQ(object.references, 0);
  EXPECT_EQ(object.freed, 1);
}

TEST(RefPtr, NullIsEmptyAndNeverTouched) {
  RefPtr<Counted> empty;
  EXPECT_FALSE(empty);
  EXPECT_EQ(RefPtr<Counted>::retain(nullptr).get(), nullptr);
  RefPtr<Counted> from_null = nullptr;
  EXPECT_FALSE(from_null);
  empty.reset();
  EXPECT_EQ(empty.leak(), nullptr);
}

TEST(RefPtr, MoveTransfersWithoutCounting) {
  Counted object;
  auto first = RefPtr<Counted>::retain(&object);
  RefPtr<Counted> second = move(first);
  EXPECT_FALSE(first);
  EXPECT_EQ(second.get(), &object);
  EXPECT_EQ(object.references, 1);
  RefPtr<Counted> third;
  third = move(second);
  EXPECT_FALSE(second);
  EXPECT_EQ(object.references, 1);
  third.reset();
  EXPECT_FALSE(third);
  EXPECT_EQ(object.freed, 1);
}

TEST(RefPtr, MoveAssignmentDropsTheOldObject) {
  Counted old_object, new_object;
  auto owner = RefPtr<Counted>::retain(&old_object);
  owner = RefPtr<Counted>::retain(&new_object);
  EXPECT_EQ(old_object.references, 0);
  EXPECT_EQ(old_object.freed, 1);
  EXPECT_EQ(new_object.references, 1);
}

TEST(RefPtr, ReassigningTheSameObjectKeepsItAlive) {
  Counted object;
  auto owner = RefPtr<Counted>::retain(&object);
  owner = owner.share();  // the new reference is taken before the old one drops
  EXPECT_EQ(object.references, 1);
  EXPECT_EQ(object.freed, 0);
}

TEST(RefPtr, ShareIsAnExplicitSecondReference) {
  Counted object;
  auto first = RefPtr<Counted>::retain(&object);
  auto second = first.share();
  EXPECT_EQ(object.references, 2);
  first.reset();
  EXPECT_EQ(object.freed, 0);
  second.reset();
  EXPECT_EQ(object.freed, 1);
}

TEST(RefPtr, LeakHandsTheReferenceToTheCaller) {
  Counted object;
  Counted* table_entry = nullptr;
  {
    auto owner = RefPtr<Counted>::retain(&object);
    table_entry = owner.leak();
    EXPECT_FALSE(owner);
  }
  EXPECT_EQ(table_entry, &object);
  EXPECT_EQ(object.references, 1);  // the table's, until it releases
  table_entry->release();
  EXPECT_EQ(object.freed, 1);
}

TEST(RefPtr, DerivedMovesIntoBase) {
  Derived object;
  RefPtr<Counted> base = RefPtr<Derived>::retain(&object);
  EXPECT_EQ(base.get(), &object);
  EXPECT_EQ(object.references, 1);
  base.reset();
  EXPECT_EQ(object.freed, 1);
}

TEST(RefPtr, AccessGoesToTheObject) {
  Counted object;
  auto owner = RefPtr<Counted>::retain(&object);
  EXPECT_EQ(owner->references, 1);
  EXPECT_EQ((*owner).references, 1);
}

}  // namespace
}  // namespace bm
