// Host tests for IntrusiveList: order, exact size, unlinking at every position, refusal of
// double links and foreign items, and a randomized run against std::list.
#include "lib/containers/intrusive_list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <random>
#include <vector>

namespace bm {
namespace {

// The nodes sit after other fields so recovering the item from a node is really tested.
struct Item {
  int id = 0;
  uint64_t padding = 0;
  ListNode node;
  ListNode other_node;
};

using List = IntrusiveList<Item, &Item::node>;
using OtherList = IntrusiveList<Item, &Item::other_node>;

// A global list must need no runtime constructor in the kernel.
constinit List g_constant_initialised;

std::vector<int> ids(const List& list) {
  std::vector<int> out;
  for (Item* item = list.front(); item != nullptr; item = list.next(item)) out.push_back(item->id);
  return out;
}

std::vector<int> ids_backwards(const List& list) {
  std::vector<int> out;
  for (Item* item = list.back(); item != nullptr; item = list.prev(item)) out.push_back(item->id);
  return out;
}

// Items whose ids are their indices.
std::vector<Item> make_items(size_t count) {
  std::vector<Item> items(count);
  for (size_t i = 0; i < count; ++i) items[i].id = static_cast<int>(i);
  return items;
}

TEST(IntrusiveList, GlobalStartsEmpty) {
  EXPECT_TRUE(g_constant_initialised.empty());
  EXPECT_EQ(g_constant_initialised.size(), 0u);
  EXPECT_EQ(g_constant_initialised.front(), nullptr);
}

TEST(IntrusiveList, EmptyListHasNoItems) {
  List list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.size(), 0u);
  EXPECT_EQ(list.front(), nullptr);
  EXPECT_EQ(list.back(), nullptr);
  EXPECT_EQ(list.pop_front(), nullptr);
  EXPECT_EQ(list.size(), 0u);
}

TEST(IntrusiveList, PushBackKeepsInsertionOrder) {
  auto items = make_items(4);
  List list;
  for (auto& item : items) EXPECT_TRUE(list.push_back(&item));
  EXPECT_EQ(ids(list), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(ids_backwards(list), (std::vector<int>{3, 2, 1, 0}));
  EXPECT_EQ(list.front(), &items[0]);
  EXPECT_EQ(list.back(), &items[3]);
  for (auto& item : items) EXPECT_TRUE(item.node.linked());
  while (list.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, PopFrontLeavesTheRestWalkableBothWays) {
  auto items = make_items(3);
  List list;
  for (auto& item : items) EXPECT_TRUE(list.push_back(&item));
  EXPECT_EQ(list.pop_front(), &items[0]);
  EXPECT_FALSE(items[0].node.linked());
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(ids(list), (std::vector<int>{1, 2}));
  EXPECT_EQ(ids_backwards(list), (std::vector<int>{2, 1}));
  EXPECT_EQ(list.prev(&items[1]), nullptr);  // the new head reaches the end marker
  // The popped item can go back on, and the new head can be removed like any head.
  EXPECT_TRUE(list.push_back(&items[0]));
  EXPECT_TRUE(list.remove(&items[1]));
  EXPECT_EQ(ids(list), (std::vector<int>{2, 0}));
  EXPECT_EQ(list.pop_front(), &items[2]);
  EXPECT_EQ(list.pop_front(), &items[0]);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.back(), nullptr);
}

TEST(IntrusiveList, PushFrontPrepends) {
  auto items = make_items(3);
  List list;
  for (auto& item : items) EXPECT_TRUE(list.push_front(&item));
  EXPECT_EQ(ids(list), (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(ids_backwards(list), (std::vector<int>{0, 1, 2}));
  while (list.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, SingleItemIsLinkedAndIsBothEnds) {
  Item item;
  List list;
  EXPECT_FALSE(item.node.linked());
  EXPECT_TRUE(list.push_back(&item));
  EXPECT_TRUE(item.node.linked());
  EXPECT_EQ(list.front(), &item);
  EXPECT_EQ(list.back(), &item);
  EXPECT_EQ(list.next(&item), nullptr);
  EXPECT_EQ(list.prev(&item), nullptr);
  EXPECT_EQ(list.pop_front(), &item);
  EXPECT_FALSE(item.node.linked());
  EXPECT_EQ(item.node.prev, nullptr);
  EXPECT_EQ(item.node.next, nullptr);
  EXPECT_TRUE(list.empty());
}

TEST(IntrusiveList, SizeIsExactThroughEveryOperation) {
  auto items = make_items(5);
  List list;
  size_t expected = 0;
  EXPECT_TRUE(list.push_back(&items[0]));
  EXPECT_EQ(list.size(), ++expected);
  EXPECT_TRUE(list.push_front(&items[1]));
  EXPECT_EQ(list.size(), ++expected);
  EXPECT_TRUE(list.insert_before(&items[0], &items[2]));
  EXPECT_EQ(list.size(), ++expected);
  EXPECT_FALSE(list.push_back(&items[2]));  // refused: size unchanged
  EXPECT_EQ(list.size(), expected);
  EXPECT_TRUE(list.remove(&items[2]));
  EXPECT_EQ(list.size(), --expected);
  EXPECT_FALSE(list.remove(&items[2]));  // no longer linked
  EXPECT_EQ(list.size(), expected);
  EXPECT_NE(list.pop_front(), nullptr);
  EXPECT_EQ(list.size(), --expected);
  EXPECT_NE(list.pop_front(), nullptr);
  EXPECT_EQ(list.size(), --expected);
  EXPECT_EQ(expected, 0u);
  EXPECT_TRUE(list.empty());
}

TEST(IntrusiveList, RemoveFromFront) {
  auto items = make_items(3);
  List list;
  for (auto& item : items) list.push_back(&item);
  EXPECT_TRUE(list.remove(&items[0]));
  EXPECT_FALSE(items[0].node.linked());
  EXPECT_EQ(ids(list), (std::vector<int>{1, 2}));
  EXPECT_EQ(ids_backwards(list), (std::vector<int>{2, 1}));
  EXPECT_EQ(list.front(), &items[1]);
  EXPECT_EQ(list.size(), 2u);
  list.remove(&items[1]);
  list.remove(&items[2]);
}

TEST(IntrusiveList, RemoveFromMiddle) {
  auto items = make_items(3);
  List list;
  for (auto& item : items) list.push_back(&item);
  EXPECT_TRUE(list.remove(&items[1]));
  EXPECT_FALSE(items[1].node.linked());
  EXPECT_EQ(ids(list), (std::vector<int>{0, 2}));
  EXPECT_EQ(ids_backwards(list), (std::vector<int>{2, 0}));
  EXPECT_EQ(list.size(), 2u);
  list.remove(&items[0]);
  list.remove(&items[2]);
}

TEST(IntrusiveList, RemoveFromBack) {
  auto items = make_items(3);
  List list;
  for (auto& item : items) list.push_back(&item);
  EXPECT_TRUE(list.remove(&items[2]));
  EXPECT_FALSE(items[2].node.linked());
  EXPECT_EQ(ids(list), (std::vector<int>{0, 1}));
  EXPECT_EQ(list.back(), &items[1]);
  EXPECT_EQ(list.size(), 2u);
  // The list still appends correctly after its tail was removed.
  EXPECT_TRUE(list.push_back(&items[2]));
  EXPECT_EQ(ids(list), (std::vector<int>{0, 1, 2}));
  while (list.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, RemovedItemCanBeLinkedAgain) {
  auto items = make_items(2);
  List list;
  list.push_back(&items[0]);
  list.push_back(&items[1]);
  ASSERT_TRUE(list.remove(&items[0]));
  EXPECT_TRUE(list.push_back(&items[0]));
  EXPECT_EQ(ids(list), (std::vector<int>{1, 0}));
  while (list.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, RefusesDoubleLinkOnTheSameList) {
  auto items = make_items(2);
  List list;
  ASSERT_TRUE(list.push_back(&items[0]));
  ASSERT_TRUE(list.push_back(&items[1]));
  EXPECT_FALSE(list.push_back(&items[0]));
  EXPECT_FALSE(list.push_front(&items[1]));
  EXPECT_FALSE(list.insert_before(&items[1], &items[0]));
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(ids(list), (std::vector<int>{0, 1}));
  EXPECT_EQ(ids_backwards(list), (std::vector<int>{1, 0}));
  while (list.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, RefusesItemLinkedOnAnotherList) {
  auto items = make_items(3);
  List first;
  List second;
  for (auto& item : items) first.push_back(&item);
  for (auto& item : items) {
    EXPECT_FALSE(second.push_back(&item));
    EXPECT_FALSE(second.push_front(&item));
  }
  EXPECT_TRUE(second.empty());
  EXPECT_EQ(ids(first), (std::vector<int>{0, 1, 2}));
  // The ends of another list are recognised and not unlinked from the wrong list.
  EXPECT_FALSE(second.remove(&items[0]));
  EXPECT_FALSE(second.remove(&items[2]));
  Item outsider;
  outsider.id = 9;
  EXPECT_FALSE(second.insert_before(&items[0], &outsider));
  EXPECT_FALSE(outsider.node.linked());
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(ids(first), (std::vector<int>{0, 1, 2}));
  while (first.pop_front() != nullptr) {
  }
}

// A middle item needs a list of three or more, so a small list refuses another list's middle.
TEST(IntrusiveList, SmallListRefusesAnotherListsMiddleItem) {
  auto items = make_items(5);
  List big;
  List small;
  for (int i = 0; i < 3; ++i) big.push_back(&items[i]);
  small.push_back(&items[3]);
  small.push_back(&items[4]);
  EXPECT_FALSE(small.remove(&items[1]));
  EXPECT_EQ(small.size(), 2u);
  EXPECT_EQ(big.size(), 3u);
  EXPECT_EQ(ids(big), (std::vector<int>{0, 1, 2}));
  while (big.pop_front() != nullptr) {
  }
  while (small.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, RefusesNullAndUnlinkedArguments) {
  Item linked;
  Item unlinked;
  List list;
  EXPECT_FALSE(list.push_back(nullptr));
  EXPECT_FALSE(list.push_front(nullptr));
  EXPECT_FALSE(list.remove(nullptr));
  EXPECT_FALSE(list.remove(&unlinked));
  ASSERT_TRUE(list.push_back(&linked));
  EXPECT_FALSE(list.insert_before(nullptr, &unlinked));
  EXPECT_FALSE(list.insert_before(&linked, nullptr));
  Item other;
  EXPECT_FALSE(list.insert_before(&unlinked, &other));  // position not on the list
  EXPECT_FALSE(other.node.linked());
  EXPECT_EQ(list.next(nullptr), nullptr);
  EXPECT_EQ(list.next(&unlinked), nullptr);
  EXPECT_EQ(list.prev(&unlinked), nullptr);
  EXPECT_EQ(list.size(), 1u);
  list.pop_front();
}

TEST(IntrusiveList, InsertBeforeHeadAndMiddle) {
  auto items = make_items(4);
  List list;
  list.push_back(&items[0]);
  list.push_back(&items[1]);
  EXPECT_TRUE(list.insert_before(&items[0], &items[2]));  // new head
  EXPECT_EQ(list.front(), &items[2]);
  EXPECT_TRUE(list.insert_before(&items[1], &items[3]));  // between 0 and 1
  EXPECT_EQ(ids(list), (std::vector<int>{2, 0, 3, 1}));
  EXPECT_EQ(ids_backwards(list), (std::vector<int>{1, 3, 0, 2}));
  EXPECT_EQ(list.size(), 4u);
  while (list.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, PopFrontReturnsItemsInOrder) {
  auto items = make_items(3);
  List list;
  for (auto& item : items) list.push_back(&item);
  EXPECT_EQ(list.pop_front(), &items[0]);
  EXPECT_EQ(list.pop_front(), &items[1]);
  EXPECT_EQ(list.pop_front(), &items[2]);
  EXPECT_EQ(list.pop_front(), nullptr);
  for (auto& item : items) EXPECT_FALSE(item.node.linked());
}

TEST(IntrusiveList, ItemCanBeOnTwoListsThroughTwoMembers) {
  auto items = make_items(3);
  List by_node;
  OtherList by_other;
  for (auto& item : items) EXPECT_TRUE(by_node.push_back(&item));
  for (auto& item : items) EXPECT_TRUE(by_other.push_front(&item));
  EXPECT_EQ(ids(by_node), (std::vector<int>{0, 1, 2}));
  std::vector<int> other_ids;
  for (Item* item = by_other.front(); item != nullptr; item = by_other.next(item)) {
    other_ids.push_back(item->id);
  }
  EXPECT_EQ(other_ids, (std::vector<int>{2, 1, 0}));
  EXPECT_TRUE(by_other.remove(&items[1]));
  EXPECT_TRUE(items[1].node.linked());  // still on the first list
  EXPECT_EQ(ids(by_node), (std::vector<int>{0, 1, 2}));
  while (by_node.pop_front() != nullptr) {
  }
  while (by_other.pop_front() != nullptr) {
  }
}

TEST(IntrusiveList, CopyOfLinkedItemStartsUnlinked) {
  Item original;
  List list;
  ASSERT_TRUE(list.push_back(&original));
  Item copy = original;
  EXPECT_FALSE(copy.node.linked());
  Item assigned;
  assigned = original;
  EXPECT_FALSE(assigned.node.linked());
  original = assigned;  // assigning over a linked item keeps it linked where it is
  EXPECT_TRUE(original.node.linked());
  EXPECT_EQ(list.front(), &original);
  list.pop_front();
}

TEST(IntrusiveList, ContainsFindsOnlyItsOwnItems) {
  auto items = make_items(3);
  List list;
  List other;
  list.push_back(&items[0]);
  list.push_back(&items[1]);
  other.push_back(&items[2]);
  EXPECT_TRUE(list.contains(&items[0]));
  EXPECT_TRUE(list.contains(&items[1]));
  EXPECT_FALSE(list.contains(&items[2]));
  EXPECT_FALSE(list.contains(nullptr));
  list.pop_front();
  list.pop_front();
  other.pop_front();
}

TEST(IntrusiveList, RandomOperationsMatchStdList) {
  constexpr size_t kItems = 32;
  auto items = make_items(kItems);
  List list;
  std::list<Item*> model;
  std::mt19937 rng(1234);
  for (int step = 0; step < 20000; ++step) {
    Item* item = &items[rng() % kItems];
    const bool in_model = std::find(model.begin(), model.end(), item) != model.end();
    switch (rng() % 5) {
      case 0:
        EXPECT_EQ(list.push_back(item), !in_model);
        if (!in_model) model.push_back(item);
        break;
      case 1:
        EXPECT_EQ(list.push_front(item), !in_model);
        if (!in_model) model.push_front(item);
        break;
      case 2: {
        Item* expected = model.empty() ? nullptr : model.front();
        EXPECT_EQ(list.pop_front(), expected);
        if (!model.empty()) model.pop_front();
        break;
      }
      case 3:
        EXPECT_EQ(list.remove(item), in_model);
        model.remove(item);
        break;
      case 4: {
        if (model.empty() || in_model) break;
        auto position = model.begin();
        std::advance(position, rng() % model.size());
        EXPECT_TRUE(list.insert_before(*position, item));
        model.insert(position, item);
        break;
      }
    }
    ASSERT_EQ(list.size(), model.size());
    if (step % 64 == 0) {
      std::vector<Item*> actual;
      for (Item* t = list.front(); t != nullptr; t = list.next(t)) actual.push_back(t);
      ASSERT_EQ(actual, std::vector<Item*>(model.begin(), model.end()));
    }
  }
  while (list.pop_front() != nullptr) {
  }
}

}  // namespace
}  // namespace bm
