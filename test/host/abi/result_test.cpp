// Result with either error type (bm::Error in lib/ and the kernel,
// abi::Status in ring 3) and BM_TRY in both of its forms.
#include "lib/core/result.h"

#include <gtest/gtest.h>

#include <type_traits>

#include "lib/abi/syscalls.h"

namespace {

using bm::Error;
using bm::Result;
using bm::abi::Status;

// A move-only value, like user::OwnedHandle: BM_TRY must move it out.
struct MoveOnly {
  explicit MoveOnly(int v) : value(v) {}
  MoveOnly(MoveOnly&& other) : value(other.value) { other.value = 0; }
  MoveOnly(const MoveOnly&) = delete;
  int value;
};

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Error::kInvalidArgument;
  return c - '0';
}

// The expression form: each BM_TRY yields the value or leaves with the error.
Result<int> add_digits(char a, char b) {
  int first = BM_TRY(parse_digit(a));
  int second = BM_TRY(parse_digit(b));
  return first + second;
}

Result<void> check_even(int value) {
  if (value % 2 != 0) return Error::kMalformed;
  return {};
}

// The statement form on Result<void>; `reached` tells whether it went on.
Result<int> halve_even(int value, bool* reached) {
  BM_TRY(check_even(value));
  *reached = true;
  return value / 2;
}

Result<MoveOnly, Status> make_move_only(Status status) {
  if (status != Status::kOk) return status;
  return MoveOnly(7);
}

Result<int, Status> unwrap_move_only(Status status) {
  MoveOnly taken = BM_TRY(make_move_only(status));
  return taken.value;
}

TEST(ResultTest, TryExpressionGivesTheValue) {
  auto sum = add_digits('3', '4');
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(*sum, 7);
}

TEST(ResultTest, TryExpressionReturnsTheFirstError) {
  EXPECT_EQ(add_digits('x', '4').error(), Error::kInvalidArgument);
  EXPECT_EQ(add_digits('3', 'y').error(), Error::kInvalidArgument);
}

TEST(ResultTest, TryStatementOnVoidResult) {
  bool reached = false;
  auto half = halve_even(8, &reached);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(*half, 4);
  EXPECT_TRUE(reached);

  reached = false;
  EXPECT_EQ(halve_even(5, &reached).error(), Error::kMalformed);
  EXPECT_FALSE(reached);
}

TEST(ResultTest, CarriesTheKernelStatusUnchanged) {
  auto made = make_move_only(Status::kPeerGone);
  EXPECT_FALSE(made.ok());
  EXPECT_EQ(made.error(), Status::kPeerGone);
  EXPECT_EQ(unwrap_move_only(Status::kWouldBlock).error(), Status::kWouldBlock);
}

TEST(ResultTest, TryMovesAMoveOnlyValueOut) {
  auto value = unwrap_move_only(Status::kOk);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
}

TEST(ResultTest, MovingAResultMovesItsValue) {
  Result<MoveOnly, Status> first = MoveOnly(3);
  Result<MoveOnly, Status> second(bm::move(first));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->value, 3);
  EXPECT_EQ(first->value, 0);  // moved from
}

TEST(ResultTest, VoidResultWithStatus) {
  Result<void, Status> ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.error(), Status::kOk);
  Result<void, Status> failed = Status::kNoRights;
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.error(), Status::kNoRights);
}

// A trivially copyable value keeps Result trivially copyable (returned in registers); any other
// value is copied, moved and destroyed exactly once each way.
static_assert(std::is_trivially_copyable_v<Result<void*>>);
static_assert(std::is_trivially_copyable_v<Result<size_t, Status>>);
static_assert(!std::is_trivially_copyable_v<Result<MoveOnly, Status>>);

struct Counted {
  explicit Counted(int* live) : live(live) { ++*live; }
  Counted(const Counted& other) : live(other.live) { ++*live; }
  ~Counted() { --*live; }
  int* live;
};

TEST(ResultTest, NonTrivialValueIsDestroyedOnce) {
  int live = 0;
  {
    Result<Counted> first = Counted(&live);
    Result<Counted> copy(first);
    Result<Counted> failed = Error::kMalformed;
    EXPECT_EQ(live, 2);
  }
  EXPECT_EQ(live, 0);
}

}  // namespace
