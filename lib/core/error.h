// The one error enum used by lib/ and the kernel. Errors travel as values;
// the syscall ABI (a later issue) maps these to its own stable codes.
#pragma once

#include <stdint.h>

namespace bm {

enum class Error : int32_t {
  kOk = 0,
  kInvalidArgument,  // a parameter is outside what the function accepts
  kOutOfMemory,      // no block / frame big enough is left
  kBadAlignment,     // alignment not a power of two, or over the supported limit
  kDoubleFree,       // the block was already free
  kForeignPointer,   // the pointer was never handed out by this allocator
  kTruncated,        // a structure claims more bytes than it has
  kMalformed,        // a structure is internally inconsistent
  kMissingTag,       // a required part of a structure is absent
  kOutOfRange,       // an address lies outside the managed range
  kNotMapped,        // no translation exists for the virtual address
  kAlreadyMapped,    // a translation already exists for the virtual address
  kNotAligned,       // an address is not page aligned
  kNotCanonical,     // a virtual address is not canonical (bits 63..47 differ)
  kInvalidHandle,    // a handle is not open in this table (never issued, closed, or stale)
  kWrongType,        // a handle names an object of another type
  kNoRights,         // a handle lacks a right the operation needs
  kNoSlots,          // a fixed-size table is full (handles, object mappings)
  kBadImage,         // a well-formed executable this kernel will not run (arch, type, W+X)
  kNoDevice,         // the hardware did not answer as the device should (absent or broken)
  kTimedOut,         // a bounded wait for the hardware ran out
  kUnsupported,      // well-formed, but a kind this code does not handle (a pixel format)
};

constexpr const char* error_name(Error error) {
  switch (error) {
    case Error::kOk: return "ok";
    case Error::kInvalidArgument: return "invalid argument";
    case Error::kOutOfMemory: return "out of memory";
    case Error::kBadAlignment: return "bad alignment";
    case Error::kDoubleFree: return "double free";
    case Error::kForeignPointer: return "foreign pointer";
    case Error::kTruncated: return "truncated";
    case Error::kMalformed: return "malformed";
    case Error::kMissingTag: return "missing tag";
    case Error::kOutOfRange: return "out of range";
    case Error::kNotMapped: return "not mapped";
    case Error::kAlreadyMapped: return "already mapped";
    case Error::kNotAligned: return "not aligned";
    case Error::kNotCanonical: return "not canonical";
    case Error::kInvalidHandle: return "invalid handle";
    case Error::kWrongType: return "wrong object type";
    case Error::kNoRights: return "missing rights";
    case Error::kNoSlots: return "no free handle slots";
    case Error::kBadImage: return "unsupported executable image";
    case Error::kNoDevice: return "no device";
    case Error::kTimedOut: return "timed out";
    case Error::kUnsupported: return "unsupported";
  }
  return "unknown error";
}

}  // namespace bm
