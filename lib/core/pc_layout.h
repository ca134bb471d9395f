// Where the PC's legacy devices sit: the physical memory and I/O ports of the
// devices the kernel and the drivers use. One definition for kernel, servers and tests.
#pragma once

#include <stdint.h>

namespace bm::pc {

// VGA text mode: the colour text buffer at B800:0000, 32 KiB (eight 80x25 pages), and the
// CRT controller's index/data port pair (IBM VGA Technical Reference, "Memory map" and
// "CRT Controller Registers"; OSDev "Text UI").
constexpr uint64_t kVgaTextPhysical = 0xb8000;
constexpr uint64_t kVgaTextBytes = 0x8000;
constexpr uint16_t kVgaCrtcIndexPort = 0x3d4;
constexpr uint16_t kVgaCrtcDataPort = 0x3d5;
constexpr uint16_t kVgaCrtcPortCount = 2;

// COM1: a 16550 UART with eight registers from its base port, on IRQ 4 (IBM PC/AT
// Technical Reference, I/O address map; PC16550D datasheet table 2).
constexpr uint16_t kCom1Base = 0x3f8;
constexpr uint16_t kUartPortCount = 8;
constexpr uint8_t kCom1Irq = 4;

// The 8042 keyboard controller (IBM PC/AT Technical Reference, "Keyboard Controller"):
// data port (read: output buffer, write: to the device) and status/command port.
constexpr uint16_t k8042DataPort = 0x60;
constexpr uint16_t k8042CommandPort = 0x64;

}  // namespace bm::pc
