// The names of the x86 CPU exceptions (Intel SDM vol. 3A §6.3.1, table 6-1), vectors 0-31:
// the kernel's fault reports print them, and so does the shell for a program that faulted
// (the vector comes in init's wait_program reply, ipc/programs.h).
#pragma once

#include <stdint.h>

namespace bm::abi {

constexpr uint8_t kExceptionVectorCount = 32;

inline constexpr const char* kExceptionNames[kExceptionVectorCount] = {
    "Divide Error",
    "Debug",
    "Non-maskable Interrupt",
    "Breakpoint",
    "Overflow",
    "BOUND Range Exceeded",
    "Invalid Opcode",
    "Device Not Available",
    "Double Fault",
    "Coprocessor Segment Overrun",
    "Invalid TSS",
    "Segment Not Present",
    "Stack-Segment Fault",
    "General Protection",
    "Page Fault",
    "Reserved",
    "x87 Floating-Point Error",
    "Alignment Check",
    "Machine Check",
    "SIMD Floating-Point Exception",
    "Virtualization",
    "Control Protection",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Hypervisor Injection",
    "VMM Communication",
    "Security",
    "Reserved"};

inline constexpr const char* kExceptionMnemonics[kExceptionVectorCount] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "-",   "#TS",
    "#NP", "#SS", "#GP", "#PF", "-",   "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    "-",   "-",   "-",   "-",   "-",   "-",   "#HV", "#VC", "#SX", "-"};

// "Page Fault" for 14; "Interrupt" past the exceptions.
constexpr const char* exception_name(uint64_t vector) {
  return vector < kExceptionVectorCount ? kExceptionNames[vector] : "Interrupt";
}
// "#PF" for 14; "IRQ" past the exceptions.
constexpr const char* exception_mnemonic(uint64_t vector) {
  return vector < kExceptionVectorCount ? kExceptionMnemonics[vector] : "IRQ";
}

}  // namespace bm::abi
