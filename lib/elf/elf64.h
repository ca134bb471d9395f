// ELF-64 on-disk layout: field offsets and constant values the executable parser reads.
// Sources: "ELF-64 Object File Format" v1.5 §3-§6 and the System V ABI AMD64 supplement §4.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::elf {

// Elf64_Ehdr (64 bytes): e_ident[16], then the fixed fields at these offsets.
constexpr size_t kElfHeaderSize = 64;
constexpr size_t kIdentMagic = 0;        // 0x7f 'E' 'L' 'F'
constexpr size_t kIdentClass = 4;        // EI_CLASS
constexpr size_t kIdentData = 5;         // EI_DATA
constexpr size_t kIdentVersion = 6;      // EI_VERSION
constexpr size_t kOffsetType = 16;       // e_type, u16
constexpr size_t kOffsetMachine = 18;    // e_machine, u16
constexpr size_t kOffsetVersion = 20;    // e_version, u32
constexpr size_t kOffsetEntry = 24;      // e_entry, u64
constexpr size_t kOffsetPhoff = 32;      // e_phoff, u64
constexpr size_t kOffsetEhsize = 52;     // e_ehsize, u16
constexpr size_t kOffsetPhentsize = 54;  // e_phentsize, u16
constexpr size_t kOffsetPhnum = 56;      // e_phnum, u16

constexpr uint8_t kMagic[4] = {0x7f, 'E', 'L', 'F'};
constexpr uint8_t kClass64 = 2;           // ELFCLASS64
constexpr uint8_t kDataLittleEndian = 1;  // ELFDATA2LSB
constexpr uint32_t kVersionCurrent = 1;   // EV_CURRENT, both in e_ident and e_version

constexpr uint16_t kTypeExecutable = 2;    // ET_EXEC
constexpr uint16_t kTypeShared = 3;        // ET_DYN (PIE or shared object)
constexpr uint16_t kMachine386 = 3;        // EM_386
constexpr uint16_t kMachineX86_64 = 62;    // EM_X86_64
constexpr uint16_t kMachineAarch64 = 183;  // EM_AARCH64

// Elf64_Phdr (56 bytes).
constexpr size_t kProgramHeaderSize = 56;
constexpr size_t kPhOffsetType = 0;     // p_type, u32
constexpr size_t kPhOffsetFlags = 4;    // p_flags, u32
constexpr size_t kPhOffsetOffset = 8;   // p_offset, u64
constexpr size_t kPhOffsetVaddr = 16;   // p_vaddr, u64
constexpr size_t kPhOffsetPaddr = 24;   // p_paddr, u64 (unused: we map virtual addresses)
constexpr size_t kPhOffsetFilesz = 32;  // p_filesz, u64
constexpr size_t kPhOffsetMemsz = 40;   // p_memsz, u64
constexpr size_t kPhOffsetAlign = 48;   // p_align, u64

constexpr uint32_t kSegmentNull = 0;               // PT_NULL
constexpr uint32_t kSegmentLoad = 1;               // PT_LOAD
constexpr uint32_t kSegmentDynamic = 2;            // PT_DYNAMIC
constexpr uint32_t kSegmentInterp = 3;             // PT_INTERP
constexpr uint32_t kSegmentNote = 4;               // PT_NOTE
constexpr uint32_t kSegmentTls = 7;                // PT_TLS
constexpr uint32_t kSegmentGnuStack = 0x6474e551;  // PT_GNU_STACK

constexpr uint32_t kFlagExecute = 1;  // PF_X
constexpr uint32_t kFlagWrite = 2;    // PF_W
constexpr uint32_t kFlagRead = 4;     // PF_R

}  // namespace bm::elf
