// SPDX-License-Identifier: GPL-2.0
// The image's checksum: CRC-32 as zlib and IEEE 802.3 compute it
// (reflected polynomial 0xedb88320, initial and final value 0xffffffff).
// Internal to the library; its own test checks the standard check value.
#pragma once

#include <cstdint>
#include <span>

namespace sigcr {

std::uint32_t crc32(std::span<const std::uint8_t> data);

}  // namespace sigcr
