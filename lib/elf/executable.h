// Validating parser for the static x86-64 ELF executables of user programs. It only describes
// what to map; lib/elf/load_plan.h turns that into page ranges, and the loaders (the kernel's
// for init, user/program_loader.h for everything else) carry them out.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/mm/page_flags.h"  // kPageSize: the granularity segments must not share

namespace bm::elf {

// One non-empty PT_LOAD, validated against the file and the address limits.
struct Segment {
  uint64_t virtual_address;   // p_vaddr (need not be page aligned)
  uint64_t memory_size;       // p_memsz, > 0
  uint64_t file_offset;       // p_offset
  uint64_t file_size;         // p_filesz <= memory_size; the rest is zero-filled (.bss)
  bool writable, executable;  // from p_flags; readable is implied, and never both (W^X)
};

constexpr size_t kMaxSegments = 16;
constexpr size_t kMaxProgramHeaders = 64;

struct Image {
  uint64_t entry;                  // e_entry, inside an executable segment
  Segment segments[kMaxSegments];  // in program-header order
  size_t segment_count;            // >= 1
};

// Where segments may lie: every byte of every segment is in [lowest, end). A loader passes
// the user half so an image can never map over the kernel.
struct AddressLimits {
  uint64_t lowest;
  uint64_t end;
};

// Validates the whole ELF file at [data, data + size) and fills *out. Reads nothing outside
// that range and works at any alignment. On failure *out holds no segments (segment_count 0).
// When `reason` is non-null it receives a static string saying why the image was refused
// ("ok" on success), for init's "refused module X: <reason>" log line.
//
// Accepted: ELFCLASS64, little endian, EV_CURRENT, ET_EXEC, EM_X86_64, 1..64 program headers
// of 56 bytes. PT_LOADs with p_memsz 0 map nothing and are skipped (linkers emit them);
// PT_NOTE, PT_GNU_STACK, PT_TLS, PT_PHDR and other types are ignored.
//
// Two segments that touch the same 4 KiB page are refused even when their bytes are disjoint:
// a loader maps whole pages with one set of permissions each, so a shared page would have to
// be writable and executable at once, or one segment would lose its rights.
//
// Errors:
//   kInvalidArgument  data or out is null; limits.lowest >= limits.end
//   kTruncated        size < 64; program header table or a segment's file bytes past the end
//   kMalformed        bad magic; EI_VERSION/e_version not 1; e_ehsize not 64; e_phentsize not
//                     56; p_filesz > p_memsz; p_align neither 0 nor a power of two; p_vaddr and
//                     p_offset differ modulo a p_align >= 4096; two segments share a page; the
//                     entry point is outside every segment or in a non-executable one
//   kBadImage         a well-formed ELF this system will not run: 32-bit, big endian, not
//                     ET_EXEC (ET_DYN needs relocation), not x86_64, PT_INTERP or PT_DYNAMIC
//                     (needs a dynamic linker), a writable and executable segment
//   kMissingTag       no program headers, or no non-empty PT_LOAD
//   kOutOfRange       more than kMaxProgramHeaders program headers or kMaxSegments non-empty
//                     PT_LOADs; a segment outside [limits.lowest, limits.end) or wrapping
Result<void> parse_executable(const void* data, size_t size, AddressLimits limits, Image* out,
                              const char** reason = nullptr);

}  // namespace bm::elf
