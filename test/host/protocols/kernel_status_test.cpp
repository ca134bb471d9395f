// from_kernel (ipc/kernel_status.h): every kernel status maps to its own protocol status.
#include "ipc/kernel_status.h"

#include <gtest/gtest.h>

#include <set>

namespace {

using bm::abi::Status;
using bm::ipc::from_kernel;
using bm::ipc::ProtocolStatus;

// Every status of the ABI, from its own list, so a new one is tested without editing here.
constexpr Status kKernelStatuses[] = {
#define BM_TEST_KERNEL_STATUS(name, value, text) Status::name,
    BM_STATUS_LIST(BM_TEST_KERNEL_STATUS)
#undef BM_TEST_KERNEL_STATUS
};

TEST(FromKernel, OkIsOk) { EXPECT_EQ(from_kernel(Status::kOk), ProtocolStatus::kOk); }

TEST(FromKernel, EveryKernelStatusMapsToADistinctProtocolStatus) {
  std::set<uint64_t> seen;
  for (Status status : kKernelStatuses) {
    ProtocolStatus mapped = from_kernel(status);
    EXPECT_TRUE(bm::ipc::is_protocol_status(static_cast<uint64_t>(mapped)))
        << bm::abi::status_text(status);
    EXPECT_TRUE(seen.insert(static_cast<uint64_t>(mapped)).second)
        << bm::abi::status_text(status) << " shares " << bm::ipc::protocol_status_text(mapped);
    if (status != Status::kOk) {
      EXPECT_NE(mapped, ProtocolStatus::kOk) << bm::abi::status_text(status);
    }
  }
  EXPECT_EQ(seen.size(), std::size(kKernelStatuses));
}

TEST(FromKernel, TransportFailuresKeepTheirMeaning) {
  EXPECT_EQ(from_kernel(Status::kPeerGone), ProtocolStatus::kPeerGone);
  EXPECT_EQ(from_kernel(Status::kWouldBlock), ProtocolStatus::kWouldBlock);
  EXPECT_EQ(from_kernel(Status::kTimedOut), ProtocolStatus::kTimedOut);
  EXPECT_EQ(from_kernel(Status::kInvalidHandle), ProtocolStatus::kInvalidHandle);
  EXPECT_EQ(from_kernel(Status::kNoRights), ProtocolStatus::kNoRights);
  EXPECT_EQ(from_kernel(Status::kTooLong), ProtocolStatus::kTooLong);
  EXPECT_EQ(from_kernel(Status::kInvalidArgument), ProtocolStatus::kBadValue);
  EXPECT_EQ(from_kernel(Status::kOutOfMemory), ProtocolStatus::kOutOfMemory);
  EXPECT_EQ(from_kernel(Status::kNoSlots), ProtocolStatus::kNoSlots);
  EXPECT_EQ(from_kernel(Status::kBusy), ProtocolStatus::kBusy);
}

}  // namespace
