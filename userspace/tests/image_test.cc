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
		siginfo_t info{};
		info.si_signo = SIGRTMIN + 3;
		info.si_code = SI_QUEUE;
		info.si_pid = getpid();
		info.si_int = i;
		std::memcpy(s.info.bytes, &info, sizeof(info));
		dump.signals.push_back(s);
	}
	return dump;
}

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

TEST(Image, RoundTripsADump)
{
	const ProcessDump dump = sample();
	auto parsed = parse(serialize(dump));
	ASSERT_TRUE(parsed.ok()) << parsed.error().message();
	EXPECT_EQ(dump, parsed.value());
}

TEST(Image, RoundTripsAnEmptyDump)
{
	auto parsed = parse(serialize(ProcessDump{}));
	ASSERT_TRUE(parsed.ok()) << parsed.error().message();
	EXPECT_TRUE(parsed.value().signals.empty());
}

TEST(Image, EveryTruncationIsRejected)
{
	const auto image = serialize(sample());
	for (std::size_t len = 0; len < image.size(); len++)
		expect_rejected({image.begin(), image.begin() + len}, EBADMSG, "truncated");
}

TEST(Image, TrailingDataIsRejected)
{
	auto image = serialize(sample());
	image.push_back(0);
	expect_rejected(image, EBADMSG, "trailing byte");
}

TEST(Image, EveryCorruptedByteIsRejected)
{
	const auto image = serialize(sample());
	for (std::size_t i = 0; i < image.size(); i++) {
		auto bad = image;
		bad[i] ^= 0x40;
		auto parsed = parse(bad);
		EXPECT_FALSE(parsed.ok()) << "byte " << i << " flipped: accepted";
	}
}

TEST(Image, ForeignMagicIsRejected)
{
	auto image = serialize(sample());
	image[0] = 'X';
	expect_rejected(image, EBADMSG, "bad magic");
}

TEST(Image, OtherVersionIsRejected)
{
	auto image = serialize(sample());
	image[8] = 2;
	expect_rejected(image, ENOTSUP, "version 2");
}

TEST(Image, OtherWordSizeIsRejected)
{
	auto image = serialize(sample());
	image[12] = sizeof(long) == 8 ? 32 : 64;  // the abi tag's word size
	auto parsed = parse(image);
	ASSERT_FALSE(parsed.ok());
	EXPECT_EQ(EINVAL, parsed.error().err);
	EXPECT_NE(std::string::npos, parsed.error().context.find("-bit")) << parsed.error().context;
}

TEST(Image, RestoreOfAGoodImageQueuesEverything)
{
	REQUIRE_RAW_SIGNALFD();
	drain();
	auto parsed = parse(serialize(sample()));
	ASSERT_TRUE(parsed.ok());
	ASSERT_OK(restore_all(parsed.value()));
	ProcessDump again;
	const sigset_t all = test_signals();
	ASSERT_OK(dump_shared(all, again));
	ASSERT_OK(dump_thread(all, again));
	EXPECT_EQ(parsed.value(), again);
}

}  // namespace
}  // namespace sigcr::test
