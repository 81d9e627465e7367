// SPDX-License-Identifier: GPL-2.0
// A truncated, corrupted or foreign image is a clear error and restores
// nothing.
#include <cstring>

#include "testing.h"

namespace sigcr::test {
namespace {

ProcessDump sample()
{
	ProcessDump dump;
	for (int i = 0; i < 3; i++) {
		PendingSignal s{};
		s.queue = i == 2 ? Queue::Private : Queue::Shared;
		s.tid = i == 2 ? sys_gettid() : 0;
		const siginfo_t info = queued_siginfo(SIGRTMIN + 3, i);
		std::memcpy(s.info.bytes, &info, sizeof(info));
		dump.signals.push_back(s);
	}
	return dump;
}

// Parsing and rejecting need no new kernel; restoring does.
class Image : public SignalTest {
protected:
	Image() : SignalTest(Needs::AnyKernel) {}
};

// Parse @image and, if that succeeds, restore it; nothing may be pending
// afterwards unless the image was good.
void expect_rejected(const std::vector<std::uint8_t> &image, int err, const char *what)
{
	drain();
	const PendingSets before = pending_sets();
	auto parsed = parse(image);
	ASSERT_FALSE(parsed.ok()) << what << ": accepted";
	EXPECT_EQ(err, parsed.error().err) << what << ": " << parsed.error().message();
	EXPECT_EQ(0u, parsed.error().context.rfind("image: ", 0)) << parsed.error().context;
	EXPECT_EQ(before, pending_sets()) << what << ": something was queued";
}

TEST_F(Image, RoundTripsADump)
{
	const ProcessDump dump = sample();
	ASSERT_OK_AND_ASSIGN(ProcessDump parsed, parse(serialize(dump)));
	EXPECT_EQ(dump, parsed);
}

TEST_F(Image, RoundTripsAnEmptyDump)
{
	ASSERT_OK_AND_ASSIGN(ProcessDump parsed, parse(serialize(ProcessDump{})));
	EXPECT_TRUE(parsed.signals.empty());
}

TEST_F(Image, EveryTruncationIsRejected)
{
	const auto image = serialize(sample());
	for (std::size_t len = 0; len < image.size(); len++)
		expect_rejected({image.begin(), image.begin() + len}, EBADMSG, "truncated");
}

TEST_F(Image, TrailingDataIsRejected)
{
	auto image = serialize(sample());
	image.push_back(0);
	expect_rejected(image, EBADMSG, "trailing byte");
}

TEST_F(Image, EveryCorruptedByteIsRejected)
{
	const auto image = serialize(sample());
	for (std::size_t i = 0; i < image.size(); i++) {
		auto bad = image;
		bad[i] ^= 0x40;
		auto parsed = parse(bad);
		EXPECT_FALSE(parsed.ok()) << "byte " << i << " flipped: accepted";
	}
}

TEST_F(Image, ForeignMagicIsRejected)
{
	auto image = serialize(sample());
	image[0] = 'X';
	expect_rejected(image, EBADMSG, "bad magic");
}

TEST_F(Image, OtherVersionIsRejected)
{
	auto image = serialize(sample());
	image[8] = 2;
	expect_rejected(image, ENOTSUP, "version 2");
}

TEST_F(Image, OtherWordSizeIsRejected)
{
	auto image = serialize(sample());
	image[12] = sizeof(long) == 8 ? 32 : 64;  // the abi tag's word size
	auto parsed = parse(image);
	ASSERT_FALSE(parsed.ok());
	EXPECT_EQ(EINVAL, parsed.error().err);
	EXPECT_NE(std::string::npos, parsed.error().context.find("-bit")) << parsed.error().context;
}

TEST_F(Image, RestoreOfAGoodImageQueuesEverything)
{
	REQUIRE_RAW_SIGNALFD();
	ASSERT_OK_AND_ASSIGN(ProcessDump parsed, parse(serialize(sample())));
	ASSERT_OK(restore_all(parsed));
	EXPECT_EQ(parsed, dump_all());
}

}  // namespace
}  // namespace sigcr::test
