// Host tests for the ELF executable parser: a good image and a real lld-linked one read back
// exactly, and each corruption, applied alone, is refused with its error and a reason, without
// reading outside the buffer (every parse gets an exact-size heap copy under ASan).
#include "lib/elf/executable.h"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "lib/abi/syscalls.h"
#include "lib/elf/elf64.h"
#include "test/host/elf/elf_builder.h"
#include "test/host/elf/lld_static_executable.h"

namespace bm::elf {
namespace {

using test::build_elf;
using test::exact_copy;
using test::good_headers;
using test::good_image;
using test::kDataAddress;
using test::kDataFileSize;
using test::kDataMemorySize;
using test::kGoodEntry;
using test::kRead;
using test::kReadExecute;
using test::kReadWrite;
using test::kTextAddress;
using test::kTextSize;
using test::kUserHalf;
using test::program_header_field;
using test::ProgramHeader;
using test::put_u16;
using test::put_u32;
using test::put_u64;

constexpr uint64_t kKernelBase = 0xffffffff80000000;

Result<void> parse(const std::vector<uint8_t>& bytes, Image* image, const char** reason = nullptr,
                   AddressLimits limits = kUserHalf) {
  auto copy = exact_copy(bytes, bytes.size());
  return parse_executable(copy.get(), bytes.size(), limits, image, reason);
}

// Refused with `error`, a reason mentioning `reason_part`, and no segments left in the output.
testing::AssertionResult refused_with(const std::vector<uint8_t>& bytes, Error error,
                                      const char* reason_part, AddressLimits limits = kUserHalf) {
  Image image;
  image.segment_count = 5;  // stale data the parser must clear
  const char* reason = nullptr;
  auto result = parse(bytes, &image, &reason, limits);
  if (result.error() != error) {
    return testing::AssertionFailure()
           << "error " << error_name(result.error()) << " (" << (reason ? reason : "null")
           << "), expected " << error_name(error);
  }
  if (reason == nullptr || std::string(reason).find(reason_part) == std::string::npos) {
    return testing::AssertionFailure()
           << "reason \"" << (reason ? reason : "null") << "\" lacks \"" << reason_part << "\"";
  }
  if (image.segment_count != 0) {
    return testing::AssertionFailure() << "segment_count " << image.segment_count << " left";
  }
  return testing::AssertionSuccess();
}

std::vector<uint8_t> with_headers(const std::vector<ProgramHeader>& headers,
                                  uint64_t entry = kGoodEntry) {
  return build_elf(entry, headers);
}

TEST(ElfLayout, OffsetsMatchTheSystemElfHeader) {
  EXPECT_EQ(kElfHeaderSize, sizeof(Elf64_Ehdr));
  EXPECT_EQ(kProgramHeaderSize, sizeof(Elf64_Phdr));
  EXPECT_EQ(kIdentClass, size_t{EI_CLASS});
  EXPECT_EQ(kIdentData, size_t{EI_DATA});
  EXPECT_EQ(kIdentVersion, size_t{EI_VERSION});
  EXPECT_EQ(kOffsetType, offsetof(Elf64_Ehdr, e_type));
  EXPECT_EQ(kOffsetMachine, offsetof(Elf64_Ehdr, e_machine));
  EXPECT_EQ(kOffsetVersion, offsetof(Elf64_Ehdr, e_version));
  EXPECT_EQ(kOffsetEntry, offsetof(Elf64_Ehdr, e_entry));
  EXPECT_EQ(kOffsetPhoff, offsetof(Elf64_Ehdr, e_phoff));
  EXPECT_EQ(kOffsetEhsize, offsetof(Elf64_Ehdr, e_ehsize));
  EXPECT_EQ(kOffsetPhentsize, offsetof(Elf64_Ehdr, e_phentsize));
  EXPECT_EQ(kOffsetPhnum, offsetof(Elf64_Ehdr, e_phnum));
  EXPECT_EQ(kPhOffsetType, offsetof(Elf64_Phdr, p_type));
  EXPECT_EQ(kPhOffsetFlags, offsetof(Elf64_Phdr, p_flags));
  EXPECT_EQ(kPhOffsetOffset, offsetof(Elf64_Phdr, p_offset));
  EXPECT_EQ(kPhOffsetVaddr, offsetof(Elf64_Phdr, p_vaddr));
  EXPECT_EQ(kPhOffsetPaddr, offsetof(Elf64_Phdr, p_paddr));
  EXPECT_EQ(kPhOffsetFilesz, offsetof(Elf64_Phdr, p_filesz));
  EXPECT_EQ(kPhOffsetMemsz, offsetof(Elf64_Phdr, p_memsz));
  EXPECT_EQ(kPhOffsetAlign, offsetof(Elf64_Phdr, p_align));
  EXPECT_EQ(kClass64, ELFCLASS64);
  EXPECT_EQ(kDataLittleEndian, ELFDATA2LSB);
  EXPECT_EQ(kTypeExecutable, ET_EXEC);
  EXPECT_EQ(kTypeShared, ET_DYN);
  EXPECT_EQ(kMachineX86_64, EM_X86_64);
  EXPECT_EQ(kMachine386, EM_386);
  EXPECT_EQ(kMachineAarch64, EM_AARCH64);
  EXPECT_EQ(kSegmentLoad, uint32_t{PT_LOAD});
  EXPECT_EQ(kSegmentDynamic, uint32_t{PT_DYNAMIC});
  EXPECT_EQ(kSegmentInterp, uint32_t{PT_INTERP});
  EXPECT_EQ(kSegmentNote, uint32_t{PT_NOTE});
  EXPECT_EQ(kSegmentTls, uint32_t{PT_TLS});
  EXPECT_EQ(kSegmentGnuStack, uint32_t{PT_GNU_STACK});
  EXPECT_EQ(kFlagExecute, uint32_t{PF_X});
  EXPECT_EQ(kFlagWrite, uint32_t{PF_W});
  EXPECT_EQ(kFlagRead, uint32_t{PF_R});
}

// --- accepted images ------------------------------------------------------------------------

TEST(ElfExecutable, ParsesTwoSegmentImageExactly) {
  Image image;
  const char* reason = nullptr;
  ASSERT_TRUE(parse(good_image(), &image, &reason).ok());
  EXPECT_STREQ(reason, "ok");
  EXPECT_EQ(image.entry, kGoodEntry);
  ASSERT_EQ(image.segment_count, 2u);
  const Segment& text = image.segments[0];
  EXPECT_EQ(text.virtual_address, kTextAddress);
  EXPECT_EQ(text.memory_size, kTextSize);
  EXPECT_EQ(text.file_offset, 0x1000u);
  EXPECT_EQ(text.file_size, kTextSize);
  EXPECT_FALSE(text.writable);
  EXPECT_TRUE(text.executable);
  const Segment& data = image.segments[1];
  EXPECT_EQ(data.virtual_address, kDataAddress);
  EXPECT_EQ(data.memory_size, kDataMemorySize);
  EXPECT_EQ(data.file_offset, 0x2000u);
  EXPECT_EQ(data.file_size, kDataFileSize);
  EXPECT_TRUE(data.writable);
  EXPECT_FALSE(data.executable);
}

TEST(ElfExecutable, ParsesImageLinkedByLld) {
  const std::vector<uint8_t> bytes(std::begin(test::kLldStaticExecutable),
                                   std::end(test::kLldStaticExecutable));
  Image image;
  ASSERT_TRUE(parse(bytes, &image).ok());
  EXPECT_EQ(image.entry, 0x201160u);
  ASSERT_EQ(image.segment_count, 3u);  // PT_PHDR and PT_GNU_STACK are not loaded
  const Segment expected[] = {
      {0x200000, 0x158, 0x0, 0x158, false, false},
      {0x201160, 0x46, 0x160, 0x46, false, true},
      {0x2021b0, 0x2720, 0x1b0, 0x10, true, false},
  };
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(image.segments[i].virtual_address, expected[i].virtual_address);
    EXPECT_EQ(image.segments[i].memory_size, expected[i].memory_size);
    EXPECT_EQ(image.segments[i].file_offset, expected[i].file_offset);
    EXPECT_EQ(image.segments[i].file_size, expected[i].file_size);
    EXPECT_EQ(image.segments[i].writable, expected[i].writable);
    EXPECT_EQ(image.segments[i].executable, expected[i].executable);
  }
}

TEST(ElfExecutable, UsesTheLimitsTheKernelPasses) {
  const AddressLimits user_space = {abi::kUserSpaceBase, abi::kUserSpaceEnd};
  Image image;
  EXPECT_TRUE(parse(good_image(), &image, nullptr, user_space).ok());
  // lld's default base (0x200000) lies below the user range: user programs must be linked at
  // kUserSpaceBase or higher.
  const std::vector<uint8_t> lld(std::begin(test::kLldStaticExecutable),
                                 std::end(test::kLldStaticExecutable));
  EXPECT_TRUE(refused_with(lld, Error::kOutOfRange, "address range", user_space));
}

TEST(ElfExecutable, AcceptsMisalignedBuffer) {
  const auto bytes = good_image();
  auto storage = exact_copy(std::vector<uint8_t>(1), bytes.size() + 1);
  std::memcpy(storage.get() + 1, bytes.data(), bytes.size());
  Image image;
  ASSERT_TRUE(parse_executable(storage.get() + 1, bytes.size(), kUserHalf, &image).ok());
  EXPECT_EQ(image.entry, kGoodEntry);
  EXPECT_EQ(image.segment_count, 2u);
}

TEST(ElfExecutable, IgnoresOtherProgramHeaderTypes) {
  auto headers = good_headers();
  headers.push_back({kSegmentNote, kRead, 0x100, 0, 0x10, 0x10, 4});
  headers.push_back({kSegmentNull, 0, 0, 0, 0, 0, 0});
  headers.push_back({kSegmentTls, kRead, 0x2000, kDataAddress, 0x8, 0x10, 8});
  headers.push_back({0x6474e552 /* PT_GNU_RELRO */, kRead, 0x2000, kDataAddress, 8, 8, 1});
  // An ignored header's fields are not validated: this one points far outside the file.
  headers.push_back({kSegmentNote, kRead, ~uint64_t{0}, 0, 0x10, 0x10, 3});
  Image image;
  ASSERT_TRUE(parse(with_headers(headers), &image).ok());
  EXPECT_EQ(image.segment_count, 2u);
}

TEST(ElfExecutable, SkipsEmptyLoadSegments) {
  auto headers = good_headers();
  // p_memsz 0 maps nothing, so even an address in the kernel half does not matter.
  headers.insert(headers.begin() + 1, {kSegmentLoad, kReadWrite, 0, kKernelBase, 0, 0, 0x1000});
  Image image;
  ASSERT_TRUE(parse(with_headers(headers), &image).ok());
  ASSERT_EQ(image.segment_count, 2u);
  EXPECT_EQ(image.segments[1].virtual_address, kDataAddress);
}

TEST(ElfExecutable, AcceptsAlignmentZeroAndOne) {
  for (uint64_t align : {0, 1}) {
    auto headers = good_headers();
    headers[0].align = align;
    headers[1].offset = 0x2010;  // not congruent to the address: only checked from 4096 up
    headers[1].align = align;
    Image image;
    EXPECT_TRUE(parse(with_headers(headers), &image).ok()) << align;
  }
}

TEST(ElfExecutable, ChecksCongruenceOnlyForPageSizedAlignment) {
  auto headers = good_headers();
  headers[1].offset = 0x2008;
  headers[1].align = 16;
  Image image;
  EXPECT_TRUE(parse(with_headers(headers), &image).ok());
  headers[1].align = 0x1000;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "modulo"));
  headers[1].offset = 0x3000;  // congruent to 0x402000 mod 4 KiB, not mod 2 MiB
  headers[1].align = 0x200000;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "modulo"));
  headers[1].vaddr = 0x603000;  // 0x603000 - 0x3000 is a multiple of 2 MiB
  EXPECT_TRUE(parse(with_headers(headers), &image).ok());
}

TEST(ElfExecutable, AcceptsSegmentsOnAdjacentPages) {
  auto headers = good_headers();
  headers[0].filesz = headers[0].memsz = 0x1000;  // text fills 0x401000..0x402000 exactly
  Image image;
  EXPECT_TRUE(parse(with_headers(headers), &image).ok());
}

TEST(ElfExecutable, AcceptsSegmentsAtBothEndsOfTheLimits) {
  const AddressLimits limits = {kTextAddress, kDataAddress + kDataMemorySize};
  Image image;
  EXPECT_TRUE(parse(good_image(), &image, nullptr, limits).ok());
  EXPECT_TRUE(refused_with(good_image(), Error::kOutOfRange, "address range",
                           {kTextAddress + 1, kDataAddress + kDataMemorySize}));
  EXPECT_TRUE(refused_with(good_image(), Error::kOutOfRange, "address range",
                           {kTextAddress, kDataAddress + kDataMemorySize - 1}));
}

TEST(ElfExecutable, AcceptsExactlyMaxSegments) {
  std::vector<ProgramHeader> headers;
  for (uint64_t i = 0; i < kMaxSegments; ++i) {
    headers.push_back({kSegmentLoad, i == 0 ? kReadExecute : kRead, 0x1000, 0x400000 + i * 0x1000,
                       0x10, 0x10, 0x1000});
  }
  Image image;
  ASSERT_TRUE(parse(with_headers(headers, 0x400000), &image).ok());
  EXPECT_EQ(image.segment_count, kMaxSegments);
}

TEST(ElfExecutable, AcceptsEntryAtTheLastByteOfText) {
  Image image;
  ASSERT_TRUE(parse(with_headers(good_headers(), kTextAddress + kTextSize - 1), &image).ok());
  EXPECT_EQ(image.entry, kTextAddress + kTextSize - 1);
}

// --- refused arguments -----------------------------------------------------------------------

TEST(ElfExecutable, RejectsNullArguments) {
  const auto bytes = good_image();
  Image image;
  const char* reason = nullptr;
  EXPECT_EQ(parse_executable(nullptr, bytes.size(), kUserHalf, &image, &reason).error(),
            Error::kInvalidArgument);
  EXPECT_NE(reason, nullptr);
  EXPECT_EQ(parse_executable(bytes.data(), bytes.size(), kUserHalf, nullptr).error(),
            Error::kInvalidArgument);
}

TEST(ElfExecutable, RejectsEmptyLimits) {
  EXPECT_TRUE(
      refused_with(good_image(), Error::kInvalidArgument, "address range", {0x400000, 0x400000}));
  EXPECT_TRUE(
      refused_with(good_image(), Error::kInvalidArgument, "address range", {0x500000, 0x400000}));
}

// --- refused ELF headers ---------------------------------------------------------------------

TEST(ElfExecutable, RejectsBadMagic) {
  for (size_t i = 0; i < 4; ++i) {
    auto bytes = good_image();
    bytes[i] ^= 0x20;
    EXPECT_TRUE(refused_with(bytes, Error::kMalformed, "bad magic")) << i;
  }
}

TEST(ElfExecutable, Rejects32BitClass) {
  auto bytes = good_image();
  bytes[kIdentClass] = ELFCLASS32;
  EXPECT_TRUE(refused_with(bytes, Error::kBadImage, "64-bit"));
  bytes[kIdentClass] = ELFCLASSNONE;
  EXPECT_TRUE(refused_with(bytes, Error::kBadImage, "64-bit"));
}

TEST(ElfExecutable, RejectsBigEndian) {
  auto bytes = good_image();
  bytes[kIdentData] = ELFDATA2MSB;
  EXPECT_TRUE(refused_with(bytes, Error::kBadImage, "little endian"));
}

TEST(ElfExecutable, RejectsWrongIdentVersion) {
  auto bytes = good_image();
  bytes[kIdentVersion] = 2;
  EXPECT_TRUE(refused_with(bytes, Error::kMalformed, "e_ident"));
}

TEST(ElfExecutable, RejectsWrongHeaderVersion) {
  for (uint32_t version : {0u, 2u, 0x01000000u}) {
    auto bytes = good_image();
    put_u32(&bytes, kOffsetVersion, version);
    EXPECT_TRUE(refused_with(bytes, Error::kMalformed, "e_version")) << version;
  }
}

TEST(ElfExecutable, RejectsPositionIndependentExecutable) {
  auto bytes = good_image();
  put_u16(&bytes, kOffsetType, ET_DYN);
  EXPECT_TRUE(refused_with(bytes, Error::kBadImage, "ET_DYN"));
}

TEST(ElfExecutable, RejectsRelocatableAndCoreFiles) {
  for (uint16_t type : {ET_NONE, ET_REL, ET_CORE}) {
    auto bytes = good_image();
    put_u16(&bytes, kOffsetType, type);
    EXPECT_TRUE(refused_with(bytes, Error::kBadImage, "not an executable")) << type;
  }
}

TEST(ElfExecutable, RejectsOtherMachines) {
  for (int machine : {EM_386, EM_AARCH64, EM_NONE, 0x3e00 /* byte-swapped EM_X86_64 */}) {
    auto bytes = good_image();
    put_u16(&bytes, kOffsetMachine, static_cast<uint16_t>(machine));
    EXPECT_TRUE(refused_with(bytes, Error::kBadImage, "x86_64")) << machine;
  }
}

TEST(ElfExecutable, RejectsWrongHeaderSize) {
  auto bytes = good_image();
  put_u16(&bytes, kOffsetEhsize, 52);  // an Elf32_Ehdr
  EXPECT_TRUE(refused_with(bytes, Error::kMalformed, "header size"));
}

TEST(ElfExecutable, RejectsWrongProgramHeaderSize) {
  for (uint16_t size : {0, 32, 55, 57, 64}) {
    auto bytes = good_image();
    put_u16(&bytes, kOffsetPhentsize, size);
    EXPECT_TRUE(refused_with(bytes, Error::kMalformed, "program header size")) << size;
  }
}

TEST(ElfExecutable, RejectsZeroProgramHeaders) {
  auto bytes = good_image();
  put_u16(&bytes, kOffsetPhnum, 0);
  EXPECT_TRUE(refused_with(bytes, Error::kMissingTag, "no program headers"));
}

TEST(ElfExecutable, RejectsHugeProgramHeaderCount) {
  for (uint16_t count : {65, 1000, 0xffff /* PN_XNUM */}) {
    auto bytes = good_image();
    put_u16(&bytes, kOffsetPhnum, count);
    EXPECT_TRUE(refused_with(bytes, Error::kOutOfRange, "program headers")) << count;
  }
}

TEST(ElfExecutable, AcceptsSixtyFourProgramHeaders) {
  auto headers = good_headers();
  while (headers.size() < kMaxProgramHeaders)
    headers.push_back({kSegmentNote, kRead, 0, 0, 0, 0, 4});
  Image image;
  EXPECT_TRUE(parse(with_headers(headers), &image).ok());
}

TEST(ElfExecutable, RejectsProgramHeaderTablePastTheEnd) {
  const auto good = good_image();
  const uint64_t size = good.size();
  const uint64_t table = 3 * kProgramHeaderSize;
  for (uint64_t offset : {size, size + 1, size - table + 1, size - 1, uint64_t{1} << 40}) {
    auto bytes = good;
    put_u64(&bytes, kOffsetPhoff, offset);
    EXPECT_TRUE(refused_with(bytes, Error::kTruncated, "program header table")) << offset;
  }
}

TEST(ElfExecutable, RejectsOverflowingProgramHeaderOffset) {
  for (uint64_t offset : {~uint64_t{0}, ~uint64_t{0} - 55, ~uint64_t{0} - 3 * 56 + 2}) {
    auto bytes = good_image();
    put_u64(&bytes, kOffsetPhoff, offset);
    EXPECT_TRUE(refused_with(bytes, Error::kTruncated, "program header table")) << offset;
  }
}

TEST(ElfExecutable, RejectsTruncationAtEveryLength) {
  const auto bytes = good_image();
  for (size_t length = 0; length < bytes.size(); ++length) {
    auto copy = exact_copy(bytes, length);  // exactly `length` bytes: ASan catches over-reads
    Image image;
    auto result = parse_executable(copy.get(), length, kUserHalf, &image);
    // The last byte of the file belongs to the data segment, so every prefix is short.
    ASSERT_EQ(result.error(), Error::kTruncated) << "length " << length;
  }
  auto copy = exact_copy(bytes, bytes.size());
  Image image;
  EXPECT_TRUE(parse_executable(copy.get(), bytes.size(), kUserHalf, &image).ok());
}

TEST(ElfExecutable, RejectsTruncationOfTheLldImageAtEveryLength) {
  const std::vector<uint8_t> bytes(std::begin(test::kLldStaticExecutable),
                                   std::end(test::kLldStaticExecutable));
  // The file ends with section headers nobody loads, so only prefixes that cut the program
  // headers or a segment's bytes (the data segment ends at 0x1c0) are short.
  for (size_t length = 0; length <= bytes.size(); ++length) {
    auto copy = exact_copy(bytes, length);
    Image image;
    auto result = parse_executable(copy.get(), length, kUserHalf, &image);
    if (length < 0x1c0) {
      ASSERT_EQ(result.error(), Error::kTruncated) << "length " << length;
    } else {
      ASSERT_TRUE(result.ok()) << "length " << length;
    }
  }
}

// --- refused segments ------------------------------------------------------------------------

TEST(ElfExecutable, RejectsFileSizeAboveMemorySize) {
  auto headers = good_headers();
  headers[1].filesz = headers[1].memsz + 1;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "file size exceeds"));
  headers = good_headers();
  headers.push_back({kSegmentLoad, kRead, 0, 0x500000, 1, 0, 0});  // "empty" but with bytes
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "file size exceeds"));
}

TEST(ElfExecutable, RejectsSegmentDataPastTheEnd) {
  auto bytes = good_image();
  put_u64(&bytes, program_header_field(1, kPhOffsetFilesz), kDataFileSize + 1);
  EXPECT_TRUE(refused_with(bytes, Error::kTruncated, "past the end"));
  bytes = good_image();
  put_u64(&bytes, program_header_field(1, kPhOffsetOffset), bytes.size() + 0x1000);
  put_u64(&bytes, program_header_field(1, kPhOffsetFilesz), 0);  // even with no bytes
  put_u64(&bytes, program_header_field(1, kPhOffsetAlign), 0);
  EXPECT_TRUE(refused_with(bytes, Error::kTruncated, "past the end"));
}

TEST(ElfExecutable, RejectsOverflowingSegmentOffset) {
  auto bytes = good_image();
  put_u64(&bytes, program_header_field(1, kPhOffsetOffset), ~uint64_t{0} - 0x10);
  put_u64(&bytes, program_header_field(1, kPhOffsetAlign), 0);
  EXPECT_TRUE(refused_with(bytes, Error::kTruncated, "past the end"));
  bytes = good_image();
  put_u64(&bytes, program_header_field(1, kPhOffsetFilesz), ~uint64_t{0} - 0xfff);
  put_u64(&bytes, program_header_field(1, kPhOffsetMemsz), ~uint64_t{0});
  EXPECT_TRUE(refused_with(bytes, Error::kTruncated, "past the end"));
}

TEST(ElfExecutable, RejectsAlignmentThatIsNotAPowerOfTwo) {
  for (uint64_t align : {3, 0x1800, 0x3000}) {
    auto headers = good_headers();
    headers[0].align = align;
    EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "power of two")) << align;
  }
}

TEST(ElfExecutable, RejectsSegmentBelowLowest) {
  auto headers = good_headers();
  headers[0].vaddr = 0;  // the null page
  headers[0].offset = 0;
  EXPECT_TRUE(refused_with(with_headers(headers, 0x10), Error::kOutOfRange, "address range"));
}

TEST(ElfExecutable, RejectsSegmentInTheKernelHalf) {
  auto headers = good_headers();
  headers[0].vaddr = kKernelBase + 0x1000;
  EXPECT_TRUE(refused_with(with_headers(headers, kKernelBase + 0x1010), Error::kOutOfRange,
                           "address range"));
}

TEST(ElfExecutable, RejectsSegmentEndingPastTheLimit) {
  auto headers = good_headers();
  headers[1].vaddr = kUserHalf.end - 0x1000;
  headers[1].memsz = 0x1001;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kOutOfRange, "address range"));
  headers[1].memsz = 0x1000;  // ends exactly at the limit
  Image image;
  EXPECT_TRUE(parse(with_headers(headers), &image).ok());
}

TEST(ElfExecutable, RejectsSegmentWrappingAroundTheAddressSpace) {
  const AddressLimits everything = {0x1000, ~uint64_t{0}};
  auto headers = good_headers();
  headers[1].vaddr = 0xfffffffffffff000;
  headers[1].memsz = 0x2000;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kOutOfRange, "address range", everything));
  headers[1].memsz = ~uint64_t{0};
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kOutOfRange, "address range", everything));
  headers[1].memsz = 0xfff;  // last byte is 2^64 - 2, just inside [lowest, end)
  Image image;
  EXPECT_TRUE(parse(with_headers(headers), &image, nullptr, everything).ok());
}

TEST(ElfExecutable, RejectsOverlappingSegments) {
  auto headers = good_headers();
  headers[1].vaddr = kTextAddress + 0x40;  // inside text's bytes
  headers[1].offset = 0x2040;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "overlap"));
  headers = good_headers();
  headers[1].vaddr = 0x400000;  // .bss runs over the whole text segment
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "overlap"));
}

TEST(ElfExecutable, RejectsSegmentsSharingAPage) {
  auto headers = good_headers();
  headers[1].vaddr = kTextAddress + 0x800;  // disjoint bytes, same 4 KiB page
  headers[1].offset = 0x2800;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "share a 4 KiB page"));
  headers = good_headers();
  headers[0].filesz = headers[0].memsz = 0x1001;  // text spills one byte onto data's page
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kMalformed, "share a 4 KiB page"));
}

TEST(ElfExecutable, RejectsWritableExecutableSegment) {
  auto headers = good_headers();
  headers[1].flags = kFlagRead | kFlagWrite | kFlagExecute;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kBadImage, "W+X"));
  headers = good_headers();
  headers[0].flags = kFlagWrite | kFlagExecute;
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kBadImage, "W+X"));
}

TEST(ElfExecutable, RejectsTooManySegments) {
  std::vector<ProgramHeader> headers;
  for (uint64_t i = 0; i <= kMaxSegments; ++i) {
    headers.push_back({kSegmentLoad, i == 0 ? kReadExecute : kRead, 0x1000, 0x400000 + i * 0x1000,
                       0x10, 0x10, 0x1000});
  }
  EXPECT_TRUE(
      refused_with(with_headers(headers, 0x400000), Error::kOutOfRange, "loadable segments"));
}

TEST(ElfExecutable, RejectsImageWithoutLoadSegments) {
  EXPECT_TRUE(refused_with(with_headers({{kSegmentGnuStack, kReadWrite, 0, 0, 0, 0, 16}}),
                           Error::kMissingTag, "no loadable segment"));
  EXPECT_TRUE(refused_with(with_headers({{kSegmentLoad, kReadExecute, 0, kTextAddress, 0, 0, 0}}),
                           Error::kMissingTag, "no loadable segment"));
}

TEST(ElfExecutable, RejectsEntryOutsideEverySegment) {
  for (uint64_t entry : {uint64_t{0}, kTextAddress - 1, kTextAddress + kTextSize,
                         kDataAddress + kDataMemorySize, kKernelBase}) {
    EXPECT_TRUE(refused_with(with_headers(good_headers(), entry), Error::kMalformed,
                             "outside every segment"))
        << entry;
  }
}

TEST(ElfExecutable, RejectsEntryInNonExecutableSegment) {
  // In the data segment's file bytes and in its .bss.
  for (uint64_t entry : {kDataAddress, kDataAddress + kDataMemorySize - 1}) {
    EXPECT_TRUE(refused_with(with_headers(good_headers(), entry), Error::kMalformed,
                             "not in an executable segment"))
        << entry;
  }
}

TEST(ElfExecutable, RejectsInterpreter) {
  auto headers = good_headers();
  headers.insert(headers.begin(), {kSegmentInterp, kRead, 0x100, 0, 0x1c, 0x1c, 1});
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kBadImage, "PT_INTERP"));
  headers = good_headers();
  headers.push_back({kSegmentInterp, kRead, 0x100, 0, 0x1c, 0x1c, 1});  // after the loads too
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kBadImage, "PT_INTERP"));
}

TEST(ElfExecutable, RejectsDynamicSection) {
  auto headers = good_headers();
  headers.push_back({kSegmentDynamic, kReadWrite, 0x2000, kDataAddress, 0x10, 0x10, 8});
  EXPECT_TRUE(refused_with(with_headers(headers), Error::kBadImage, "PT_DYNAMIC"));
}

TEST(ElfExecutable, NullReasonPointerIsAllowed) {
  auto bytes = good_image();
  bytes[0] = 0;
  Image image;
  auto copy = exact_copy(bytes, bytes.size());
  EXPECT_EQ(parse_executable(copy.get(), bytes.size(), kUserHalf, &image).error(),
            Error::kMalformed);
}

}  // namespace
}  // namespace bm::elf
