// Host tests for the per-task handle table: lookups and their error order, rights that never
// grow, exact reference counts, FIFO slot reuse with generations, and a randomized model check.
#include "lib/obj/handle_table.h"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>
#include <vector>

namespace bm {
namespace {

using abi::Handle;
using abi::ObjectType;

// A kernel object stand-in: counts references and notes when the last one goes.
struct FakeObject {
  explicit FakeObject(ObjectType object_type = ObjectType::kEndpoint) : type(object_type) {}

  ObjectType object_type() const { return type; }
  void retain() {
    EXPECT_FALSE(destroyed) << "retain after destruction";
    ++refcount;
  }
  void release() {
    ASSERT_GT(refcount, 0) << "release without a reference";
    if (--refcount == 0) destroyed = true;
  }

  ObjectType type;
  int refcount = 1;  // the creator's reference
  bool destroyed = false;
};

using Table = HandleTable<FakeObject, 8>;
using OneSlotTable = HandleTable<FakeObject, 2>;

constexpr uint32_t kReadWrite = abi::kRightRead | abi::kRightWrite;

// A global table must need no runtime constructor in the kernel.
constinit HandleTable<FakeObject, 64> g_constant_initialised;

Handle insert_ok(Table& table, FakeObject& object, uint32_t rights, uint64_t badge = 0) {
  auto handle = table.insert(&object, rights, badge);
  EXPECT_TRUE(handle.ok()) << error_name(handle.error());
  return handle.value_or(abi::kInvalidHandleValue);
}

TEST(HandleTable, StartsEmptyAndConstantInitialised) {
  EXPECT_EQ(g_constant_initialised.count(), 0u);
  EXPECT_EQ(g_constant_initialised.max_handles(), 63u);
  EXPECT_EQ(g_constant_initialised.lookup(make_handle(1, 1), ObjectType::kNone, 0).error(),
            Error::kInvalidHandle);
}

TEST(HandleTable, InsertThenLookupReturnsTheEntry) {
  Table table;
  FakeObject object(ObjectType::kNotification);
  Handle handle = insert_ok(table, object, kReadWrite, 42);
  EXPECT_NE(handle, abi::kInvalidHandleValue);
  EXPECT_EQ(object.refcount, 2);
  EXPECT_EQ(table.count(), 1u);

  auto entry = table.lookup(handle, ObjectType::kNotification, abi::kRightRead);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->object, &object);
  EXPECT_EQ(entry->rights, kReadWrite);
  EXPECT_EQ(entry->badge, 42u);
  // kNone accepts any type; no required rights is always satisfied.
  EXPECT_TRUE(table.lookup(handle, ObjectType::kNone, 0).ok());
  // Lookup borrows: no reference taken.
  EXPECT_EQ(object.refcount, 2);
  table.close_all();
}

TEST(HandleTable, FirstHandleEncodesGenerationOneAndIndexOne) {
  Table table;
  FakeObject object;
  Handle handle = insert_ok(table, object, 0);
  EXPECT_EQ(handle, make_handle(1, 1));
  EXPECT_EQ(handle, 0x10001u);
  table.close_all();
}

TEST(HandleTable, InsertRejectsInvalidArguments) {
  Table table;
  FakeObject object;
  FakeObject untyped(ObjectType::kNone);
  EXPECT_EQ(table.insert(nullptr, 0).error(), Error::kInvalidArgument);
  EXPECT_EQ(table.insert(&untyped, 0).error(), Error::kInvalidArgument);
  EXPECT_EQ(table.insert(&object, abi::kAllRights + 1).error(), Error::kInvalidArgument);
  EXPECT_EQ(table.insert(&object, 1u << 31).error(), Error::kInvalidArgument);
  EXPECT_EQ(object.refcount, 1);
  EXPECT_EQ(untyped.refcount, 1);
  EXPECT_EQ(table.count(), 0u);
  // Every right at once is fine.
  EXPECT_TRUE(table.insert(&object, abi::kAllRights).ok());
  table.close_all();
}

TEST(HandleTable, LookupWithWrongTypeFails) {
  Table table;
  FakeObject object(ObjectType::kEndpoint);
  Handle handle = insert_ok(table, object, kReadWrite);
  EXPECT_EQ(table.lookup(handle, ObjectType::kNotification, 0).error(), Error::kWrongType);
  EXPECT_EQ(table.lookup(handle, ObjectType::kTask, abi::kRightRead).error(), Error::kWrongType);
  table.close_all();
}

TEST(HandleTable, LookupWithMissingRightFails) {
  Table table;
  FakeObject object;
  Handle handle = insert_ok(table, object, abi::kRightRead);
  EXPECT_EQ(table.lookup(handle, ObjectType::kEndpoint, abi::kRightWrite).error(),
            Error::kNoRights);
  // All required rights must be held, not just one of them.
  EXPECT_EQ(table.lookup(handle, ObjectType::kEndpoint, kReadWrite).error(), Error::kNoRights);
  // A right outside the ABI is never held.
  EXPECT_EQ(table.lookup(handle, ObjectType::kEndpoint, 1u << 20).error(), Error::kNoRights);
  table.close_all();
}

TEST(HandleTable, LookupChecksHandleThenTypeThenRights) {
  Table table;
  FakeObject object(ObjectType::kIrq);
  Handle handle = insert_ok(table, object, 0);
  // Wrong type and missing rights: the type is reported.
  EXPECT_EQ(table.lookup(handle, ObjectType::kMemory, abi::kAllRights).error(), Error::kWrongType);
  ASSERT_TRUE(table.close(handle).ok());
  // Closed, wrong type and missing rights: the handle is reported.
  EXPECT_EQ(table.lookup(handle, ObjectType::kMemory, abi::kAllRights).error(),
            Error::kInvalidHandle);
}

TEST(HandleTable, LookupOfClosedHandleFails) {
  Table table;
  FakeObject object;
  Handle handle = insert_ok(table, object, kReadWrite);
  ASSERT_TRUE(table.close(handle).ok());
  EXPECT_EQ(table.lookup(handle, ObjectType::kNone, 0).error(), Error::kInvalidHandle);
}

TEST(HandleTable, LookupOfNeverIssuedHandleFails) {
  Table table;
  FakeObject object;
  Handle handle = insert_ok(table, object, kReadWrite);
  // Same slot, a generation it never had; next slot, not yet used.
  EXPECT_EQ(table.lookup(make_handle(2, handle_index(handle)), ObjectType::kNone, 0).error(),
            Error::kInvalidHandle);
  EXPECT_EQ(table.lookup(make_handle(1, 2), ObjectType::kNone, 0).error(), Error::kInvalidHandle);
  // Generation 0 is never issued, even for a live index.
  EXPECT_EQ(table.lookup(make_handle(0, handle_index(handle)), ObjectType::kNone, 0).error(),
            Error::kInvalidHandle);
  table.close_all();
}

TEST(HandleTable, HandleZeroIsNeverValid) {
  Table table;
  FakeObject object;
  insert_ok(table, object, kReadWrite);
  EXPECT_EQ(table.lookup(abi::kInvalidHandleValue, ObjectType::kNone, 0).error(),
            Error::kInvalidHandle);
  // Index 0 with any generation is slot 0, never used.
  EXPECT_EQ(table.lookup(make_handle(1, 0), ObjectType::kNone, 0).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.close(abi::kInvalidHandleValue).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.remove(abi::kInvalidHandleValue).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.duplicate(abi::kInvalidHandleValue, 0).error(), Error::kInvalidHandle);
  table.close_all();
}

TEST(HandleTable, IndexOutOfRangeFails) {
  Table table;
  FakeObject object;
  for (size_t i = 0; i < Table::max_handles(); ++i) insert_ok(table, object, kReadWrite);
  for (uint32_t index : {8u, 9u, 100u, 0xffffu}) {
    EXPECT_EQ(
        table.lookup(make_handle(1, static_cast<uint16_t>(index)), ObjectType::kNone, 0).error(),
        Error::kInvalidHandle)
        << index;
  }
  EXPECT_EQ(table.lookup(0xffffffffu, ObjectType::kNone, 0).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.close(0xffffffffu).error(), Error::kInvalidHandle);
  EXPECT_EQ(object.refcount, 1 + static_cast<int>(Table::max_handles()));
  table.close_all();
  EXPECT_EQ(object.refcount, 1);
}

TEST(HandleTable, StaleGenerationIsRejectedAfterSlotReuse) {
  OneSlotTable table;
  FakeObject first;
  FakeObject second(ObjectType::kNotification);
  Handle old_handle = table.insert(&first, kReadWrite).value_or(0);
  ASSERT_TRUE(table.close(old_handle).ok());
  Handle new_handle = table.insert(&second, abi::kRightRead).value_or(0);

  // Same slot, next generation.
  EXPECT_EQ(handle_index(new_handle), handle_index(old_handle));
  EXPECT_EQ(handle_generation(new_handle), handle_generation(old_handle) + 1);
  EXPECT_EQ(table.lookup(old_handle, ObjectType::kNone, 0).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.close(old_handle).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.remove(old_handle).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.duplicate(old_handle, 0).error(), Error::kInvalidHandle);

  auto entry = table.lookup(new_handle, ObjectType::kNotification, abi::kRightRead);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->object, &second);
  EXPECT_EQ(second.refcount, 2);
  EXPECT_EQ(first.refcount, 1);
  table.close_all();
}

TEST(HandleTable, ClosedSlotsAreReusedInFifoOrderAfterFreshOnes) {
  Table table;
  FakeObject object;
  std::vector<Handle> handles;
  for (int i = 0; i < 4; ++i) handles.push_back(insert_ok(table, object, 0));
  // Slots 3, 1, 2 closed in that order; slots 5..7 have never been used.
  ASSERT_TRUE(table.close(handles[2]).ok());
  ASSERT_TRUE(table.close(handles[0]).ok());
  ASSERT_TRUE(table.close(handles[1]).ok());
  std::vector<uint16_t> order;
  for (int i = 0; i < 6; ++i) order.push_back(handle_index(insert_ok(table, object, 0)));
  EXPECT_EQ(order, (std::vector<uint16_t>{5, 6, 7, 3, 1, 2}));
  table.close_all();
  EXPECT_EQ(object.refcount, 1);
}

TEST(HandleTable, DuplicateWithFewerRightsWorks) {
  Table table;
  FakeObject object;
  Handle source =
      insert_ok(table, object, abi::kRightRead | abi::kRightWrite | abi::kRightGrant, 9);
  auto copy = table.duplicate(source, abi::kRightRead);
  ASSERT_TRUE(copy.ok());
  EXPECT_NE(*copy, source);
  EXPECT_EQ(object.refcount, 3);
  auto entry = table.lookup(*copy, ObjectType::kEndpoint, abi::kRightRead);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->object, &object);
  EXPECT_EQ(entry->rights, abi::kRightRead);
  EXPECT_EQ(entry->badge, 9u);  // the badge travels with the duplicate
  EXPECT_EQ(table.lookup(*copy, ObjectType::kNone, abi::kRightWrite).error(), Error::kNoRights);
  // The source keeps its rights.
  EXPECT_EQ(table.lookup(source, ObjectType::kNone, 0)->rights,
            abi::kRightRead | abi::kRightWrite | abi::kRightGrant);
  // Same rights is a subset too.
  EXPECT_TRUE(table.duplicate(source, abi::kRightRead | abi::kRightWrite | abi::kRightGrant).ok());
  EXPECT_EQ(object.refcount, 4);
  table.close_all();
  EXPECT_EQ(object.refcount, 1);
}

TEST(HandleTable, DuplicateWithMoreRightsFails) {
  Table table;
  FakeObject object;
  Handle source = insert_ok(table, object, abi::kRightRead | abi::kRightGrant);
  EXPECT_EQ(table.duplicate(source, abi::kRightRead | abi::kRightWrite).error(), Error::kNoRights);
  EXPECT_EQ(table.duplicate(source, abi::kAllRights).error(), Error::kNoRights);
  EXPECT_EQ(table.duplicate(source, 1u << 30).error(), Error::kNoRights);
  EXPECT_EQ(object.refcount, 2);
  EXPECT_EQ(table.count(), 1u);
  table.close_all();
}

TEST(HandleTable, DuplicateWithoutGrantFails) {
  Table table;
  FakeObject object;
  Handle source = insert_ok(table, object, abi::kRightRead | abi::kRightWrite);
  EXPECT_EQ(table.duplicate(source, abi::kRightRead).error(), Error::kNoRights);
  EXPECT_EQ(table.duplicate(source, 0).error(), Error::kNoRights);
  EXPECT_EQ(table.duplicate_with_badge(source, 0, 5).error(), Error::kNoRights);
  EXPECT_EQ(object.refcount, 2);
  EXPECT_EQ(table.count(), 1u);
  table.close_all();
}

TEST(HandleTable, DuplicateWhenFullFailsWithoutTakingAReference) {
  OneSlotTable table;
  FakeObject object;
  Handle source = table.insert(&object, abi::kAllRights).value_or(0);
  EXPECT_EQ(table.duplicate(source, abi::kRightRead).error(), Error::kNoSlots);
  EXPECT_EQ(table.duplicate_with_badge(source, abi::kRightRead, 1).error(), Error::kNoSlots);
  EXPECT_EQ(object.refcount, 2);
  table.close_all();
}

TEST(HandleTable, DuplicateWithBadgeMintsBadgedHandles) {
  Table table;
  FakeObject endpoint(ObjectType::kEndpoint);
  Handle unbadged = insert_ok(table, endpoint, abi::kRightWrite | abi::kRightGrant);

  auto client_a = table.duplicate_with_badge(unbadged, abi::kRightWrite | abi::kRightGrant, 0xa);
  auto client_b = table.duplicate_with_badge(unbadged, abi::kRightWrite, ~0ull);
  ASSERT_TRUE(client_a.ok());
  ASSERT_TRUE(client_b.ok());
  EXPECT_EQ(table.lookup(*client_a, ObjectType::kEndpoint, 0)->badge, 0xau);
  EXPECT_EQ(table.lookup(*client_b, ObjectType::kEndpoint, 0)->badge, ~0ull);
  EXPECT_EQ(table.lookup(*client_b, ObjectType::kEndpoint, 0)->rights, abi::kRightWrite);
  EXPECT_EQ(table.lookup(unbadged, ObjectType::kEndpoint, 0)->badge, 0u);
  EXPECT_EQ(endpoint.refcount, 4);

  // A badged handle cannot be re-badged, but can be duplicated with its badge.
  EXPECT_EQ(table.duplicate_with_badge(*client_a, abi::kRightWrite, 0xb).error(), Error::kNoRights);
  auto copy = table.duplicate(*client_a, abi::kRightWrite);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(table.lookup(*copy, ObjectType::kEndpoint, 0)->badge, 0xau);
  // Badge 0 means unbadged: not something to mint.
  EXPECT_EQ(table.duplicate_with_badge(unbadged, abi::kRightWrite, 0).error(),
            Error::kInvalidArgument);
  // Rights still only shrink.
  EXPECT_EQ(table.duplicate_with_badge(unbadged, abi::kRightRead, 3).error(), Error::kNoRights);
  EXPECT_EQ(endpoint.refcount, 5);
  EXPECT_EQ(table.count(), 4u);
  table.close_all();
  EXPECT_EQ(endpoint.refcount, 1);
}

TEST(HandleTable, CloseReleasesExactlyOnce) {
  Table table;
  FakeObject object;
  Handle handle = insert_ok(table, object, kReadWrite);
  object.release();  // the table now holds the only reference
  EXPECT_FALSE(object.destroyed);
  ASSERT_TRUE(table.close(handle).ok());
  EXPECT_EQ(object.refcount, 0);
  EXPECT_TRUE(object.destroyed);
  EXPECT_EQ(table.count(), 0u);
  EXPECT_EQ(table.close(handle).error(), Error::kInvalidHandle);
  EXPECT_EQ(object.refcount, 0);
}

TEST(HandleTable, CloseOfOneDuplicateKeepsTheOthers) {
  Table table;
  FakeObject object;
  Handle source = insert_ok(table, object, abi::kAllRights);
  Handle copy = table.duplicate(source, abi::kRightRead).value_or(0);
  ASSERT_TRUE(table.close(source).ok());
  EXPECT_EQ(object.refcount, 2);
  EXPECT_TRUE(table.lookup(copy, ObjectType::kEndpoint, abi::kRightRead).ok());
  table.close_all();
}

TEST(HandleTable, RemoveTransfersTheReference) {
  Table table;
  FakeObject object(ObjectType::kMemory);
  Handle handle = insert_ok(table, object, abi::kRightMap | abi::kRightGrant, 77);
  auto entry = table.remove(handle);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->object, &object);
  EXPECT_EQ(entry->rights, abi::kRightMap | abi::kRightGrant);
  EXPECT_EQ(entry->badge, 77u);
  EXPECT_EQ(object.refcount, 2);  // now owned by the caller, not released
  EXPECT_EQ(table.count(), 0u);
  EXPECT_EQ(table.lookup(handle, ObjectType::kNone, 0).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.remove(handle).error(), Error::kInvalidHandle);
  EXPECT_EQ(table.close(handle).error(), Error::kInvalidHandle);

  // The receiver's table takes its own reference; the sender's one is then dropped.
  Table receiver;
  Handle received = receiver.insert(entry->object, entry->rights, entry->badge).value_or(0);
  entry->object->release();
  EXPECT_EQ(object.refcount, 2);
  EXPECT_EQ(receiver.lookup(received, ObjectType::kMemory, abi::kRightMap)->badge, 77u);
  receiver.close_all();
  EXPECT_EQ(object.refcount, 1);
}

TEST(HandleTable, ExhaustionThenOneCloseAllowsOneInsert) {
  Table table;
  FakeObject object;
  std::vector<Handle> handles;
  for (size_t i = 0; i < Table::max_handles(); ++i) handles.push_back(insert_ok(table, object, 0));
  EXPECT_EQ(handles.size(), 7u);
  EXPECT_EQ(std::set<Handle>(handles.begin(), handles.end()).size(), handles.size());
  EXPECT_EQ(table.insert(&object, 0).error(), Error::kNoSlots);
  EXPECT_EQ(table.insert(&object, 0).error(), Error::kNoSlots);
  EXPECT_EQ(object.refcount, 8);  // the failures took nothing
  EXPECT_EQ(table.count(), 7u);

  ASSERT_TRUE(table.close(handles[3]).ok());
  Handle reused = insert_ok(table, object, 0);
  EXPECT_EQ(handle_index(reused), handle_index(handles[3]));
  EXPECT_NE(reused, handles[3]);
  EXPECT_EQ(table.insert(&object, 0).error(), Error::kNoSlots);
  EXPECT_EQ(object.refcount, 8);
  table.close_all();
  EXPECT_EQ(object.refcount, 1);
}

TEST(HandleTable, LargestTableIssuesEveryIndex) {
  using Big = HandleTable<FakeObject, 65535>;
  auto table = std::make_unique<Big>();
  FakeObject object;
  std::vector<bool> seen(65535, false);
  for (size_t i = 0; i < Big::max_handles(); ++i) {
    auto handle = table->insert(&object, 0);
    ASSERT_TRUE(handle.ok()) << i;
    ASSERT_EQ(handle_generation(*handle), 1u);
    ASSERT_FALSE(seen[handle_index(*handle)]);
    seen[handle_index(*handle)] = true;
  }
  EXPECT_FALSE(seen[0]);
  EXPECT_TRUE(seen[65534]);
  EXPECT_EQ(table->insert(&object, 0).error(), Error::kNoSlots);
  EXPECT_TRUE(table->lookup(make_handle(1, 65534), ObjectType::kNone, 0).ok());
  EXPECT_EQ(table->lookup(make_handle(1, 0xffff), ObjectType::kNone, 0).error(),
            Error::kInvalidHandle);
  EXPECT_EQ(object.refcount, 65535);
  table->close_all();
  EXPECT_EQ(object.refcount, 1);
  EXPECT_EQ(table->count(), 0u);
}

TEST(HandleTable, CloseAllReleasesEverything) {
  Table table;
  FakeObject a(ObjectType::kEndpoint);
  FakeObject b(ObjectType::kNotification);
  FakeObject c(ObjectType::kIrq);
  Handle ha = insert_ok(table, a, abi::kAllRights);
  ASSERT_TRUE(table.duplicate(ha, abi::kRightRead).ok());
  ASSERT_TRUE(table.duplicate_with_badge(ha, abi::kRightWrite, 1).ok());
  Handle hb = insert_ok(table, b, abi::kRightRead);
  Handle hc = insert_ok(table, c, abi::kRightManage);
  ASSERT_TRUE(table.close(hb).ok());
  hb = insert_ok(table, b, abi::kRightWrite);
  for (FakeObject* object : {&a, &b, &c}) object->release();  // drop the creators' references
  EXPECT_FALSE(a.destroyed || b.destroyed || c.destroyed);

  table.close_all();
  EXPECT_TRUE(a.destroyed);
  EXPECT_TRUE(b.destroyed);
  EXPECT_TRUE(c.destroyed);
  EXPECT_EQ(a.refcount, 0);
  EXPECT_EQ(table.count(), 0u);
  for (Handle handle : {ha, hb, hc}) {
    EXPECT_EQ(table.lookup(handle, ObjectType::kNone, 0).error(), Error::kInvalidHandle);
  }
  // The table stays usable.
  FakeObject d;
  Handle hd = insert_ok(table, d, 0);
  EXPECT_TRUE(table.lookup(hd, ObjectType::kEndpoint, 0).ok());
  table.close_all();
  table.close_all();  // idempotent
  EXPECT_EQ(d.refcount, 1);
}

struct Visited {
  std::map<Handle, Table::Entry> entries;
};

void record_entry(void* context, Handle handle, const Table::Entry& entry) {
  static_cast<Visited*>(context)->entries.emplace(handle, entry);
}

TEST(HandleTable, ForEachVisitsExactlyTheLiveHandles) {
  Table table;
  FakeObject a;
  FakeObject b(ObjectType::kTask);
  Handle ha = insert_ok(table, a, abi::kRightRead, 3);
  Handle gone = insert_ok(table, a, abi::kRightWrite);
  Handle hb = insert_ok(table, b, abi::kRightManage);
  ASSERT_TRUE(table.close(gone).ok());

  Visited visited;
  table.for_each(record_entry, &visited);
  ASSERT_EQ(visited.entries.size(), 2u);
  EXPECT_EQ(visited.entries.at(ha).object, &a);
  EXPECT_EQ(visited.entries.at(ha).rights, abi::kRightRead);
  EXPECT_EQ(visited.entries.at(ha).badge, 3u);
  EXPECT_EQ(visited.entries.at(hb).object, &b);
  EXPECT_EQ(visited.entries.at(hb).rights, abi::kRightManage);
  table.close_all();
}

TEST(HandleTable, GenerationWrapsAfter65535ReusesAndSkipsZero) {
  OneSlotTable table;
  FakeObject object;
  const Handle first = table.insert(&object, kReadWrite).value_or(0);
  ASSERT_EQ(first, make_handle(1, 1));
  Handle previous = first;
  for (uint32_t reuse = 1; reuse <= 65535; ++reuse) {
    ASSERT_TRUE(table.close(previous).ok());
    auto handle = table.insert(&object, kReadWrite);
    ASSERT_TRUE(handle.ok());
    ASSERT_NE(*handle, abi::kInvalidHandleValue);
    ASSERT_NE(handle_generation(*handle), 0u);
    ASSERT_EQ(handle_generation(*handle), reuse % 65535 + 1) << reuse;
    ASSERT_EQ(table.lookup(previous, ObjectType::kNone, 0).error(), Error::kInvalidHandle);
    ASSERT_TRUE(table.lookup(*handle, ObjectType::kNone, 0).ok());
    if (reuse == 1 || reuse == 65534 || reuse == 65535) {
      // Exactly one generation of the slot validates: the current one.
      int valid = 0;
      for (uint32_t generation = 0; generation <= 0xffff; ++generation) {
        Handle probe = make_handle(static_cast<uint16_t>(generation), 1);
        if (table.lookup(probe, ObjectType::kNone, 0).ok()) {
          ++valid;
          EXPECT_EQ(probe, *handle);
        }
      }
      EXPECT_EQ(valid, 1);
    }
    previous = *handle;
  }
  // The documented ABA limit: after 65535 reuses of one slot, the first handle value is
  // issued again (and so validates again).
  EXPECT_EQ(previous, first);
  EXPECT_EQ(object.refcount, 2);
  table.close_all();
  EXPECT_EQ(object.refcount, 1);
}

TEST(HandleTable, FailingCallsChangeNothing) {
  Table table;
  FakeObject object;
  Handle readable = insert_ok(table, object, abi::kRightRead);
  Handle grantable = insert_ok(table, object, abi::kRightGrant | abi::kRightRead, 6);
  auto snapshot = [&] {
    Visited visited;
    table.for_each(record_entry, &visited);
    std::vector<std::tuple<Handle, FakeObject*, uint32_t, uint64_t>> rows;
    for (auto& [handle, entry] : visited.entries) {
      rows.emplace_back(handle, entry.object, entry.rights, entry.badge);
    }
    return rows;
  };
  const auto before = snapshot();
  EXPECT_FALSE(table.insert(&object, 1u << 9).ok());
  EXPECT_FALSE(table.duplicate(readable, abi::kRightRead).ok());
  EXPECT_FALSE(table.duplicate(grantable, abi::kRightWrite).ok());
  EXPECT_FALSE(table.duplicate_with_badge(grantable, abi::kRightRead, 1).ok());
  EXPECT_FALSE(table.close(make_handle(2, 1)).ok());
  EXPECT_FALSE(table.remove(make_handle(1, 3)).ok());
  EXPECT_FALSE(table.lookup(readable, ObjectType::kTask, 0).ok());
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(object.refcount, 3);
  EXPECT_EQ(table.count(), 2u);
  // The failures did not consume slots either: the next insert gets slot 3, generation 1.
  EXPECT_EQ(insert_ok(table, object, 0), make_handle(1, 3));
  table.close_all();
}

// 50 000 random operations against a std::map model: every result, every error, every
// reference count and the visited set must match.
TEST(HandleTable, RandomOperationsMatchAModel) {
  using ModelTable = HandleTable<FakeObject, 24>;
  struct ModelEntry {
    size_t object;
    uint32_t rights;
    uint64_t badge;
  };
  constexpr ObjectType kTypes[] = {ObjectType::kEndpoint, ObjectType::kNotification,
                                   ObjectType::kIrq, ObjectType::kMemory};
  std::vector<std::unique_ptr<FakeObject>> objects;
  for (size_t i = 0; i < 10; ++i) {
    objects.push_back(std::make_unique<FakeObject>(kTypes[i % std::size(kTypes)]));
  }
  ModelTable table;
  std::map<Handle, ModelEntry> model;
  std::vector<Handle> closed;  // recently closed handles, to probe as stale
  std::mt19937_64 random(20240601);
  auto pick = [&](uint64_t n) { return static_cast<size_t>(random() % n); };
  auto random_rights = [&] {
    // Mostly valid rights, sometimes a bit outside the ABI.
    uint32_t rights = static_cast<uint32_t>(random()) & abi::kAllRights;
    if (pick(16) == 0) rights |= 1u << (5 + pick(27));
    return rights;
  };
  auto random_handle = [&]() -> Handle {
    switch (pick(5)) {
      case 0:
      case 1:
      case 2:
        if (!model.empty()) {
          auto it = model.begin();
          std::advance(it, pick(model.size()));
          return it->first;
        }
        return 0;
      case 3:
        if (!closed.empty()) return closed[pick(closed.size())];
        return 0;
      default:
        return static_cast<Handle>(random());
    }
  };
  // The model's verdict on a lookup, in the table's documented order.
  auto expected_lookup = [&](Handle handle, ObjectType type, uint32_t required) {
    auto it = model.find(handle);
    if (it == model.end()) return Error::kInvalidHandle;
    if (type != ObjectType::kNone && objects[it->second.object]->type != type) {
      return Error::kWrongType;
    }
    if ((it->second.rights & required) != required) return Error::kNoRights;
    return Error::kOk;
  };
  auto forget = [&](Handle handle) {
    model.erase(handle);
    closed.push_back(handle);
    if (closed.size() > 64) closed.erase(closed.begin());
  };
  auto check_new_handle = [&](Handle handle) {
    EXPECT_NE(handle, abi::kInvalidHandleValue);
    EXPECT_EQ(model.count(handle), 0u);
    EXPECT_GE(handle_index(handle), 1u);
    EXPECT_LT(handle_index(handle), 24u);
  };

  for (int step = 0; step < 50000; ++step) {
    SCOPED_TRACE(step);
    const Handle handle = random_handle();
    switch (pick(7)) {
      case 0: {  // insert
        size_t object = pick(objects.size());
        uint32_t rights = random_rights();
        uint64_t badge = pick(4) == 0 ? random() : 0;
        auto result = table.insert(objects[object].get(), rights, badge);
        Error expected = (rights & ~abi::kAllRights) != 0            ? Error::kInvalidArgument
                         : model.size() == ModelTable::max_handles() ? Error::kNoSlots
                                                                     : Error::kOk;
        ASSERT_EQ(result.error(), expected);
        if (result) {
          check_new_handle(*result);
          model[*result] = {object, rights, badge};
        }
        break;
      }
      case 1: {  // close
        Error expected = model.count(handle) ? Error::kOk : Error::kInvalidHandle;
        ASSERT_EQ(table.close(handle).error(), expected);
        if (expected == Error::kOk) forget(handle);
        break;
      }
      case 2:
      case 3: {  // duplicate, with or without a badge
        const bool badged = pick(2) == 0;
        const uint32_t rights = random_rights();
        const uint64_t badge = pick(8) == 0 ? 0 : random();
        Error expected = expected_lookup(handle, ObjectType::kNone, abi::kRightGrant);
        if (expected == Error::kOk) {
          const ModelEntry& source = model.at(handle);
          if ((rights & ~source.rights) != 0) {
            expected = Error::kNoRights;
          } else if (badged && source.badge != 0) {
            expected = Error::kNoRights;
          } else if (badged && badge == 0) {
            expected = Error::kInvalidArgument;
          } else if (model.size() == ModelTable::max_handles()) {
            expected = Error::kNoSlots;
          }
        }
        auto result = badged ? table.duplicate_with_badge(handle, rights, badge)
                             : table.duplicate(handle, rights);
        ASSERT_EQ(result.error(), expected);
        if (result) {
          check_new_handle(*result);
          const ModelEntry& source = model.at(handle);
          model[*result] = {source.object, rights, badged ? badge : source.badge};
        }
        break;
      }
      case 4: {  // remove: the caller gets the reference and drops it
        auto result = table.remove(handle);
        auto it = model.find(handle);
        if (it == model.end()) {
          ASSERT_EQ(result.error(), Error::kInvalidHandle);
          break;
        }
        ASSERT_TRUE(result.ok());
        EXPECT_EQ(result->object, objects[it->second.object].get());
        EXPECT_EQ(result->rights, it->second.rights);
        EXPECT_EQ(result->badge, it->second.badge);
        result->object->release();
        forget(handle);
        break;
      }
      default: {  // lookup
        const ObjectType type = pick(3) == 0 ? ObjectType::kNone : kTypes[pick(std::size(kTypes))];
        const uint32_t required = pick(2) == 0 ? 0 : random_rights();
        auto result = table.lookup(handle, type, required);
        ASSERT_EQ(result.error(), expected_lookup(handle, type, required));
        if (result) {
          const ModelEntry& entry = model.at(handle);
          EXPECT_EQ(result->object, objects[entry.object].get());
          EXPECT_EQ(result->rights, entry.rights);
          EXPECT_EQ(result->badge, entry.badge);
        }
        break;
      }
    }

    ASSERT_EQ(table.count(), model.size());
    for (Handle stale : closed) {
      // Far fewer than 65535 reuses per slot here, so a closed handle never comes back.
      ASSERT_EQ(model.count(stale), 0u);
    }
    if (step % 97 == 0) {
      std::vector<int> references(objects.size(), 1);
      for (auto& [live, entry] : model) ++references[entry.object];
      for (size_t i = 0; i < objects.size(); ++i) {
        ASSERT_EQ(objects[i]->refcount, references[i]) << "object " << i;
      }
      std::map<Handle, ModelTable::Entry> visited;
      table.for_each(
          [](void* context, Handle live, const ModelTable::Entry& entry) {
            static_cast<std::map<Handle, ModelTable::Entry>*>(context)->emplace(live, entry);
          },
          &visited);
      ASSERT_EQ(visited.size(), model.size());
      for (auto& [live, entry] : model) {
        ASSERT_EQ(visited.count(live), 1u);
        EXPECT_EQ(visited.at(live).object, objects[entry.object].get());
        EXPECT_EQ(visited.at(live).rights, entry.rights);
        EXPECT_EQ(visited.at(live).badge, entry.badge);
      }
    }
  }

  table.close_all();
  for (auto& object : objects) {
    EXPECT_EQ(object->refcount, 1);
    object->release();
    EXPECT_TRUE(object->destroyed);
  }
}

}  // namespace
}  // namespace bm
