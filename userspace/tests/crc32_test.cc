// SPDX-License-Identifier: GPL-2.0
// The image's CRC-32 is the standard one: zlib's and IEEE 802.3's.
#include <string_view>

#include "crc32.h"
#include "testing.h"

namespace sigcr::test {
namespace {

std::uint32_t crc_of(std::string_view s)
{
	return crc32({reinterpret_cast<const std::uint8_t *>(s.data()), s.size()});
}

// The check value of the CRC-32 catalogue (CRC-32/ISO-HDLC).
TEST(Crc32, GivesTheStandardCheckValue) { EXPECT_EQ(0xcbf43926u, crc_of("123456789")); }

TEST(Crc32, OfNothingIsZero) { EXPECT_EQ(0u, crc_of("")); }

// Values zlib's crc32() gives.
TEST(Crc32, MatchesZlib)
{
	EXPECT_EQ(0xe8b7be43u, crc_of("a"));
	EXPECT_EQ(0x414fa339u, crc_of("The quick brown fox jumps over the lazy dog"));
}

}  // namespace
}  // namespace sigcr::test
