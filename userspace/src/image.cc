// SPDX-License-Identifier: GPL-2.0
// The image of a ProcessDump:
//
//   "SIGCRIMG" | u32 version | u32 abi | u32 count | count records | u32 crc32
//   record:    u8 queue | u8 pad[3] | i32 tid | 128 bytes siginfo_t
//
// little or big endian as the writer, which the abi field records with the
// word size, since siginfo_t's layout depends on both. The CRC-32 covers
// everything before it.
#include <array>
#include <cstring>
#include <string>

#include <endian.h>

#include "crc32.h"
#include "sigcr/sigcr.h"

namespace sigcr {

std::uint32_t crc32(std::span<const std::uint8_t> data)
{
	static const auto table = [] {
		std::array<std::uint32_t, 256> t{};
		for (std::uint32_t i = 0; i < 256; i++) {
			std::uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			t[i] = c;
		}
		return t;
	}();
	std::uint32_t crc = 0xffffffffu;
	for (std::uint8_t b : data)
		crc = table[(crc ^ b) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

namespace {

constexpr char kMagic[8] = {'S', 'I', 'G', 'C', 'R', 'I', 'M', 'G'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderSize = sizeof(kMagic) + 3 * sizeof(std::uint32_t);
constexpr std::size_t kRecordSize = 1 + 3 + sizeof(std::int32_t) + sizeof(RawSiginfo);
constexpr std::size_t kTrailerSize = sizeof(std::uint32_t);

std::uint32_t abi_tag()
{
	const std::uint32_t order = __BYTE_ORDER == __LITTLE_ENDIAN ? 'L' : 'B';
	return order << 8 | static_cast<std::uint32_t>(sizeof(long) * 8);
}

std::string describe_abi(std::uint32_t abi)
{
	const char order = static_cast<char>(abi >> 8);
	return std::to_string(abi & 0xff) + "-bit " + (order == 'L' ? "little" : order == 'B' ? "big" : "unknown") +
	       "-endian";
}

template <class T>
void put(std::vector<std::uint8_t> &out, const T &v)
{
	const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
	out.insert(out.end(), p, p + sizeof(v));
}

template <class T>
T get(const std::uint8_t *p)
{
	T v;
	std::memcpy(&v, p, sizeof(v));
	return v;
}

Error bad_image(std::string why) { return Error{EBADMSG, "image: " + std::move(why)}; }

}  // namespace

std::vector<std::uint8_t> serialize(const ProcessDump &dump)
{
	std::vector<std::uint8_t> out(kMagic, kMagic + sizeof(kMagic));
	put(out, kVersion);
	put(out, abi_tag());
	put(out, static_cast<std::uint32_t>(dump.signals.size()));
	for (const PendingSignal &s : dump.signals) {
		put(out, static_cast<std::uint8_t>(s.queue));
		out.insert(out.end(), 3, 0);
		put(out, static_cast<std::int32_t>(s.tid));
		out.insert(out.end(), s.info.bytes, s.info.bytes + sizeof(s.info.bytes));
	}
	put(out, crc32(out));
	return out;
}

Result<ProcessDump> parse(std::span<const std::uint8_t> image)
{
	const std::size_t size = image.size();
	if (size < kHeaderSize + kTrailerSize)
		return bad_image("truncated: " + std::to_string(size) + " bytes, the smallest image has " +
				 std::to_string(kHeaderSize + kTrailerSize));
	const std::uint8_t *p = image.data();
	if (std::memcmp(p, kMagic, sizeof(kMagic)))
		return bad_image("not a sigcr image (bad magic)");
	const auto version = get<std::uint32_t>(p + 8);
	if (version != kVersion)
		return Error{ENOTSUP, "image: version " + std::to_string(version) + ", this library reads version " +
					      std::to_string(kVersion)};
	const auto abi = get<std::uint32_t>(p + 12);
	if (abi != abi_tag())
		return Error{EINVAL, "image: written by a " + describe_abi(abi) + " process, this one is " +
					     describe_abi(abi_tag())};
	const auto count = get<std::uint32_t>(p + 16);
	const std::size_t want = kHeaderSize + std::size_t{count} * kRecordSize + kTrailerSize;
	if (size != want)
		return bad_image((size < want ? "truncated: " : "trailing data: ") + std::to_string(size) +
				 " bytes, " + std::to_string(count) + " records need " + std::to_string(want));
	const auto stored = get<std::uint32_t>(p + size - kTrailerSize);
	if (stored != crc32(image.first(size - kTrailerSize)))
		return bad_image("checksum mismatch (corrupted)");

	ProcessDump dump;
	const std::uint8_t *r = p + kHeaderSize;
	for (std::uint32_t i = 0; i < count; i++, r += kRecordSize) {
		PendingSignal s{};
		if (r[0] > static_cast<std::uint8_t>(Queue::Private))
			return bad_image("record " + std::to_string(i) + ": unknown queue " + std::to_string(r[0]));
		s.queue = static_cast<Queue>(r[0]);
		s.tid = get<std::int32_t>(r + 4);
		std::memcpy(s.info.bytes, r + 8, sizeof(s.info.bytes));
		if (s.info.signo() <= 0 || s.info.signo() >= _NSIG)
			return bad_image("record " + std::to_string(i) + ": signal " + std::to_string(s.info.signo()));
		if ((s.queue == Queue::Shared) != (s.tid == 0))
			return bad_image("record " + std::to_string(i) + ": queue and thread disagree");
		dump.signals.push_back(s);
	}
	return dump;
}

}  // namespace sigcr
